"""Where things live: the project (a checkout of this repository), its data and its build.

The project root comes from the working directory, not from where the package is installed:
the nearest folder at or above it holding ``_toc.yml`` and ``notebooks/``. A virtual
environment made in one checkout therefore builds the checkout you are in. ``--root DIR`` on
the command line (or :func:`set_root`) chooses another.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import UsageError

MARKERS = ("_toc.yml", "notebooks")
_root: Path | None = None


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: the working directory) that holds
    ``_toc.yml`` and ``notebooks/``."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKERS[0]).is_file() and (folder / MARKERS[1]).is_dir():
            return folder
    raise UsageError(f"no scicollab project at or above {here} (a folder holding _toc.yml "
                     "and notebooks/): run the command inside a clone, or pass --root DIR")


def set_root(path: Path | str | None) -> None:
    """Use ``path`` as the project root from now on (None: find it from the working directory)."""
    global _root
    if path is None:
        _root = None
        return
    folder = Path(path).resolve()
    if not ((folder / MARKERS[0]).is_file() and (folder / MARKERS[1]).is_dir()):
        raise UsageError(f"{folder} is not a scicollab project (it needs _toc.yml and "
                         "notebooks/); pass the folder of a clone")
    _root = folder


def root() -> Path:
    """The project root in use."""
    return _root or find_root()


def data_dir() -> Path:
    """The processed tables and their manifest."""
    return root() / "data"


def notebooks_dir() -> Path:
    """The chapters' MyST sources."""
    return root() / "notebooks"


def build_dir() -> Path:
    """Everything the tool writes: book, editions, runs, cache."""
    return root() / "_build"


def book_table(name: str) -> Path:
    """A committed table of the source documents' arguments (``book/tables/<name>``)."""
    return root() / "book" / "tables" / name


def default_raw_dir() -> Path:
    """The raw third-party files: $SCICOLLAB_RAW, else ../shared/data beside the project."""
    env = os.environ.get("SCICOLLAB_RAW")
    if env:
        return Path(env)
    try:
        base = root()
    except UsageError:
        base = Path.cwd()
    return base.parent / "shared" / "data"
