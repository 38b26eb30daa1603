"""Publishing a new version of a folder's files all at once, or not at all.

New files are written to a private staging folder inside the target (same file system), checked,
then moved into place with the last file (the manifest) moved last. The files they replace are
hard-linked (or copied) aside first, so a failure or an interrupt while moving puts every one of
them back: the folder ends either wholly old or wholly new. A staging folder left by a build
that was killed is removed by the next build, with a note; one still held by a running build
stops the new build instead. A full disk or a folder that cannot be written gives one line
that names the folder and the fix.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from . import fsops
from .errors import ScicollabError

PREFIX = ".staging-"
LOCK = ".lock"
_BACKUP = ".previous"
_SWAPPING = ".swapping"  # the names being moved into place; present only while they are
log = logging.getLogger(__name__)


def write_error(exc: OSError, folder: Path, command: str = "build",
                option: str = "--out") -> ScicollabError:
    """One line for an error while writing into ``folder``: what, where, what to do.

    ``command`` and ``option`` name the step to run again and the option choosing another
    folder (``build`` and ``--out`` for the data build).
    """
    kept = f"{folder} was left as it was"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return ScicollabError(f"no space left on the disk holding {folder}: free some space "
                              f"and run the {command} again; {kept}")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ScicollabError(f"cannot write to {folder} ({exc.strerror}): make the folder "
                              f"writable, or {command} elsewhere with {option} DIR; {kept}")
    where = f" ({exc.filename})" if exc.filename else ""
    return ScicollabError(f"cannot write to {folder}: {exc.strerror or exc}{where}; {kept}")


def _hold(folder: Path) -> int:
    """Lock a staging folder for this process (released when the process ends, even killed)."""
    handle = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return handle


def remove_stale(out: Path) -> list[str]:
    """Remove staging folders of builds that were killed; names of those removed.

    A staging folder whose lock is still held belongs to a running build: that is an error,
    since two builds publishing into one folder would mix their files.
    """
    removed = []
    for folder in sorted(out.glob(f"{PREFIX}*")):
        if not folder.is_dir():
            continue
        lock = folder / LOCK
        if lock.exists():
            handle = os.open(lock, os.O_RDWR)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise ScicollabError(f"another data build is writing to {out} (its staging "
                                     f"folder is {folder.name}): wait for it to finish, or "
                                     "build elsewhere with --out DIR") from None
            finally:
                os.close(handle)
        if (folder / _SWAPPING).is_file():
            _roll_back(folder, out, (folder / _SWAPPING).read_text().splitlines())
        shutil.rmtree(folder)
        log.warning("note: removed %s in %s, left by a data build that was stopped before it "
                    "finished", folder.name, out)
        removed.append(folder.name)
    return removed


@contextlib.contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A locked, empty staging folder inside ``out`` (created if needed), removed on exit.

    On failure, ``out`` and the parents made with it are removed again if this call made them
    and they stayed empty (:func:`fsops.made_folder`).
    """
    out = Path(out)
    with contextlib.ExitStack() as made:
        try:
            made.enter_context(fsops.made_folder(out))
            remove_stale(out)
            folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=out))
        except OSError as exc:
            raise write_error(exc, out) from None
        handle = _hold(folder)
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            os.close(handle)


def _roll_back(folder: Path, out: Path, names: list[str]) -> None:
    """Undo a swap that stopped part-way: every file already moved goes back to its old self."""
    backup = folder / _BACKUP
    for name in reversed(names):
        if (folder / name).exists():
            continue  # not moved yet
        if (backup / name).exists():
            os.replace(backup / name, out / name)
        elif (out / name).exists():
            (out / name).unlink()


def _keep(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def publish(folder: Path, out: Path, names: list[str]) -> None:
    """Move ``names`` from the staging ``folder`` into ``out``, the last name last, all or none.

    Every file that will be replaced is first kept aside in the staging folder; if anything
    fails (or the user interrupts) while files are moved, the kept files go back and the new
    ones that had no predecessor are removed.
    """
    backup = folder / _BACKUP
    try:
        backup.mkdir()
        for name in names:
            if (out / name).exists():
                _keep(out / name, backup / name)
        (folder / _SWAPPING).write_text("".join(f"{name}\n" for name in names))
    except OSError as exc:
        raise write_error(exc, out) from None
    try:
        for name in names:
            os.replace(folder / name, out / name)
    except BaseException as exc:
        _roll_back(folder, out, names)
        if isinstance(exc, OSError):
            raise write_error(exc, out) from None
        raise
    (folder / _SWAPPING).unlink()
