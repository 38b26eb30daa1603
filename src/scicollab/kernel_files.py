"""Where a kernel's connection file goes, and the removal of those a killed command left.

jupyter_client writes each kernel's connection file (its ports and the key that signs its
messages) in the temporary folder and removes it when the kernel stops. A command killed with
SIGKILL stops nothing: its kernels exit by themselves (they watch their parent), their files
stay. So each file goes in a private folder named for the process that started the kernel,
``<temporary folder>/scicollab-kernel-<pid>-<random>/kernel.json``, and the next command
removes the folders of processes that no longer run (:func:`remove_stale`), as it removes a
killed command's staging folders. Light: the commands that start no kernel call it too.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from . import fsops

NAME = "scicollab-kernel"
PREFIX = f"{NAME}-"
FILE = "kernel.json"


def new_folder() -> str:
    """A new private folder (0700) for one kernel's connection file, named for this process."""
    return tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-")


def connection_file(folder: str) -> str:
    """The connection file's path in ``folder`` (jupyter_client writes it, 0600)."""
    return os.path.join(folder, FILE)


def remove_stale() -> list[str]:
    """Remove the connection folders in the temporary folder whose process no longer runs;
    only this user's folders named so are looked at. The names removed."""
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*-*"):
        with contextlib.suppress(OSError):
            if (not folder.is_symlink() and folder.is_dir() and folder.stat().st_uid == os.getuid()
                    and fsops.writer_gone(folder.name, NAME)):
                shutil.rmtree(folder)
                removed.append(folder.name)
    return removed
