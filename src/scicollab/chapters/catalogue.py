"""The book's pages (from _toc.yml), which of them are executed notebooks, and the parameters
each notebook accepts.

A page of the table of contents is a *chapter* (executed for a region) when its MyST source is
a notebook: it has jupytext front matter with a ``kernelspec``. Chapters are named by their
file stem (``gerd`` for ``notebooks/gerd.md``); the names are unique.
"""

from __future__ import annotations

import ast
import difflib
import os
import re
import stat
from functools import lru_cache
from pathlib import Path

import yaml

from .. import paths
from ..errors import ScicollabError, UnknownNameError


def _toc_files(node) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        if "file" in node:
            found.append(node["file"])
        elif "root" in node:
            found.append(node["root"])
        for key, value in node.items():
            if key != "root":
                found.extend(_toc_files(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_toc_files(item))
    return found


def toc_files(root: Path | None = None) -> list[str]:
    """Every page of a book's _toc.yml in reading order, the root first (paths without suffix)."""
    path = Path(root or paths.root()) / "_toc.yml"
    stat = path.stat()
    return list(_parsed_toc(path, stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=8)
def _parsed_toc(path: Path, mtime_ns: int, size: int) -> tuple[str, ...]:
    """The pages of one version of a _toc.yml (a changed file has another mtime or size)."""
    return tuple(str(Path(f).with_suffix("")) if f.endswith(".md") else f
                 for f in _toc_files(yaml.safe_load(path.read_text())))


@lru_cache(maxsize=256)
def _is_notebook(path: str, mtime_ns: int) -> bool:
    text = Path(path).read_text(encoding="utf-8")
    if not text.startswith("---"):
        return False
    end = text.find("\n---", 3)
    try:
        front = yaml.safe_load(text[3:end]) if end > 0 else None
    except yaml.YAMLError:
        return False
    return isinstance(front, dict) and "kernelspec" in front


def is_notebook(path: Path | str) -> bool:
    """True when a MyST page is a notebook (jupytext front matter with a kernelspec)."""
    try:
        found = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(found.st_mode) and _is_notebook(os.fspath(path), found.st_mtime_ns)


def pages(root: Path | None = None) -> dict[str, str]:
    """Chapter name → its page in the table of contents (e.g. ``gerd`` → ``notebooks/gerd``),
    for every page that is a notebook, in reading order."""
    root = str(root or paths.root())
    found: dict[str, str] = {}
    for page in toc_files(Path(root)):
        if is_notebook(os.path.join(root, f"{page}.md")):
            found.setdefault(os.path.basename(page), page)
    return found


def chapters() -> list[str]:
    """Notebook chapters in reading order, by name (the file stem)."""
    return list(pages())


def page(chapter: str) -> str:
    """The table-of-contents path of a chapter (``notebooks/gerd``)."""
    return _known(chapter, pages())


def _known(chapter: str, known: dict[str, str]) -> str:
    """The chapter's page among ``known`` (see :func:`pages`); unknown names suggest close ones."""
    if chapter not in known:
        raise UnknownNameError("chapter", chapter, difflib.get_close_matches(chapter, known, n=3),
                               f"Chapters: {', '.join(known)}.")
    return known[chapter]


def source(chapter: str) -> Path:
    """The MyST markdown source of a chapter; unknown names suggest close ones."""
    return paths.root() / f"{page(chapter)}.md"


# A MyST code cell: its options (":tags: [...]" lines) and its source.
CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n((?::[^\n]*\n)*)(.*?)^```", re.M | re.S)


@lru_cache(maxsize=64)
def _parameters(path: Path, mtime: float) -> dict[str, object]:
    for options, source in CODE_CELL.findall(path.read_text(encoding="utf-8")):
        tags = re.search(r"^:tags:\s*\[([^\]]*)\]", options, re.M)
        if tags and "parameters" in [t.strip() for t in tags.group(1).split(",")]:
            values: dict[str, object] = {}
            for node in ast.parse(source).body:
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            values[target.id] = ast.literal_eval(node.value)
            return values
    raise ScicollabError(f"{path}: no cell tagged 'parameters'")


def parameters(chapter: str) -> dict[str, object]:
    """The parameter names of a chapter with their default values."""
    path = source(chapter)
    return dict(_parameters(path, path.stat().st_mtime))


def figure_count(page: Path) -> int:
    """How many figures a notebook page publishes (its ``publish_figure(`` calls)."""
    return Path(page).read_text(encoding="utf-8").count("publish_figure(\"")


def longest_first(chapters: list[str]) -> list[str]:
    """Chapters ordered for parallel execution: most figures (the bulk of a chapter's run time)
    first, ties in reading order, so that no worker is left with a long chapter at the end."""
    return sorted(chapters, key=lambda chapter: -figure_count(source(chapter)))
