"""File-system safety: outputs appear whole or not at all, and nothing the tool did not write is
touched.

Every folder the tool publishes (a cache entry, a run's chapter, an edition, the book's HTML)
is written in full in a staging folder beside its target (``<parent>/.staging/``) and moved into
place with one rename. A staging folder's name carries the process id of its writer, so a later
command can tell the leftovers of a killed process (SIGKILL, power loss) from a build that is
still running, and removes them under a lock. A folder is replaced only when it carries the
marker file the tool writes into everything it owns.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock

from .errors import ScicollabError, UsageError

STAGING = ".staging"
LOCKS = ".locks"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def writer_gone(name: str, prefix: str | None = None) -> bool:
    """Whether ``name``, as the tool names what one process writes (``<prefix>-<pid>-<random>``:
    a staging folder, a kernel's connection folder; with ``prefix`` only that one), was
    written by a process that no longer runs."""
    parts = name.rsplit("-", 2)
    return (len(parts) == 3 and prefix in (None, parts[0]) and parts[1].isdigit()
            and not _pid_alive(int(parts[1])))


@contextlib.contextmanager
def made_folder(folder: Path) -> Iterator[None]:
    """``folder`` made with any parents it lacks; when the block fails (or the making does),
    the folders made here that are still empty (but for an empty staging folder,
    :data:`STAGING`) are removed again, deepest first, so that a failed command leaves no
    empty ``a/b/`` behind for ``--out a/b/c``. Folders that existed before, or that hold
    anything, are kept."""
    folder = Path(folder).absolute()
    missing = []
    probe = folder
    while not probe.exists() and not probe.is_symlink() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        yield
    except BaseException:
        for made in missing:  # deepest first; one that is not empty keeps its parents too
            with contextlib.suppress(OSError):
                (made / STAGING).rmdir()
            try:
                made.rmdir()
            except FileNotFoundError:
                continue
            except OSError:
                break
        raise


def staging_dir(parent: Path, prefix: str) -> Path:
    """A new, empty, private folder under ``parent/.staging/`` named for this process."""
    folder = Path(parent) / STAGING
    with disk_errors(folder):
        folder.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f"{prefix}-{os.getpid()}-", dir=folder))


@contextlib.contextmanager
def staged(parent: Path, prefix: str) -> Iterator[Path]:
    """A staging folder that is removed when the block ends, whatever happens in it."""
    folder = staging_dir(parent, prefix)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def clean_stale(parent: Path) -> list[str]:
    """Remove staging folders under ``parent/.staging/`` left by processes that no longer run;
    the names removed (for the user to be told)."""
    folder = Path(parent) / STAGING
    if not folder.is_dir():
        return []
    removed = []
    with lock(Path(parent) / LOCKS / "staging"):
        for item in sorted(folder.iterdir()):
            if writer_gone(item.name):
                shutil.rmtree(item, ignore_errors=True)
                removed.append(item.name)
    return removed


@contextlib.contextmanager
def lock(path: Path, timeout: float = -1) -> Iterator[None]:
    """An exclusive inter-process lock on ``path`` (a ``.lock`` file; created as needed)."""
    path = Path(path)
    with disk_errors(path.parent):
        path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path.with_name(path.name + ".lock")), timeout=timeout):
        yield


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False when unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def replace_dir(new: Path, target: Path) -> None:
    """Put folder ``new`` at ``target`` in one step; the previous ``target`` is removed after.

    On Linux the two are exchanged atomically; elsewhere the old folder is renamed aside first
    (a reader may then briefly find no folder, never a mixed one)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)
        return
    old = target.parent / STAGING / f"{target.name}.old-{os.getpid()}-{os.urandom(4).hex()}"
    old.parent.mkdir(parents=True, exist_ok=True)
    os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def link_or_copy(source: Path | str, target: Path | str) -> None:
    """``target`` as a hard link to ``source`` (no disk, no time), else a copy (another file
    system, or one without links); a file written later is a new file, never through the
    link."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a file whole: a temporary file beside it, then one rename."""
    path = Path(path)
    with disk_errors(path.parent):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data.encode() if isinstance(data, str) else data)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def owned_or_absent(folder: Path, marker: str | tuple[str, ...], what: str) -> None:
    """Refuse to replace ``folder`` unless it is absent, empty or carries a ``marker`` (a file
    the tool writes into every folder it owns)."""
    if not folder.exists():
        return
    if not folder.is_dir():
        raise UsageError(f"{folder} exists and is not a folder; choose another path for the {what}")
    markers = (marker,) if isinstance(marker, str) else marker
    if not any((folder / m).is_file() for m in markers) and any(folder.iterdir()):
        marker = markers[0]
        raise UsageError(f"{folder} holds files this tool did not write (no {marker}); it will "
                         f"not replace them: choose an empty or new folder for the {what}")


def check_writable(folder: Path, what: str) -> Path:
    """Refuse early (before any work) an output folder that cannot be written: a file in its
    place, a read-only parent, a path too long. Returns the folder, absolute."""
    folder = Path(folder).absolute()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{what} {folder} is a file, not a folder; give a folder path")
    for part in folder.parts:
        if len(os.fsencode(part)) > 255:
            raise UsageError(f"{what} path has a name longer than 255 bytes; give a shorter path")
    existing = folder
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(f"{what} {folder}: {existing} is a file, not a folder")
    try:  # a real probe: permission bits say nothing for root or on a read-only mount
        handle, probe = tempfile.mkstemp(prefix=".scicollab-probe-", dir=existing)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        reason = _DISK.get(exc.errno, exc.strerror)
        raise UsageError(f"{what} {folder} cannot be written in {existing} ({reason}); choose a "
                         "folder you can write to") from None
    return folder


_DISK = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exceeded",
         errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied",
         errno.EPERM: "permission denied", errno.ENAMETOOLONG: "a file name is too long"}


@contextlib.contextmanager
def disk_errors(where: Path) -> Iterator[None]:
    """Turn a failed write (full disk, read-only, permission) into one clear error naming the
    folder and what to do."""
    try:
        yield
    except OSError as exc:
        reason = _DISK.get(exc.errno)
        if reason is None:
            raise
        raise ScicollabError(f"cannot write in {where}: {reason} ({exc.strerror}); free space or "
                             "choose another folder, then run the command again") from None
