"""The book's chapters (from _toc.yml) and the parameters each notebook accepts."""

from __future__ import annotations

import ast
import difflib
from functools import lru_cache
from pathlib import Path

import jupytext
import yaml

from .. import paths
from ..errors import ScicollabError, UnknownNameError


def _toc_files(node) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        if "file" in node:
            found.append(node["file"])
        for value in node.values():
            found.extend(_toc_files(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_toc_files(item))
    return found


def toc_files(root: Path | None = None) -> list[str]:
    """Every page of a book's _toc.yml in reading order (paths without suffix)."""
    path = Path(root or paths.root()) / "_toc.yml"
    stat = path.stat()
    return list(_parsed_toc(path, stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=8)
def _parsed_toc(path: Path, mtime_ns: int, size: int) -> tuple[str, ...]:
    """The pages of one version of a _toc.yml (a changed file has another mtime or size)."""
    return tuple(_toc_files(yaml.safe_load(path.read_text())))


def chapters() -> list[str]:
    """Notebook chapters in reading order, by id (the file stem under notebooks/)."""
    return [Path(f).stem for f in toc_files() if f.startswith("notebooks/")]


def source(chapter: str) -> Path:
    """The MyST markdown source of a chapter; unknown ids suggest close ones."""
    known = chapters()
    if chapter not in known:
        raise UnknownNameError("chapter", chapter, difflib.get_close_matches(chapter, known, n=3),
                               f"Chapters: {', '.join(known)}.")
    return paths.notebooks_dir() / f"{chapter}.md"


@lru_cache(maxsize=64)
def _parameters(path: Path, mtime: float) -> dict[str, object]:
    notebook = jupytext.read(path)
    for cell in notebook.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            values: dict[str, object] = {}
            for node in ast.parse(cell.source).body:
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


def check_parameters(chapter: str, given: dict[str, object]) -> None:
    """Refuse parameter names the chapter does not declare (papermill would only warn)."""
    declared = parameters(chapter)
    for name in given:
        if name not in declared:
            raise UnknownNameError(
                "parameter", name, difflib.get_close_matches(name, list(declared), n=3),
                f"Chapter {chapter!r} declares: {', '.join(declared)}.")


def figure_count(page: Path) -> int:
    """How many figures a notebook page publishes (its ``publish_figure(`` calls)."""
    return Path(page).read_text(encoding="utf-8").count("publish_figure(\"")


def longest_first(pages: list[Path]) -> list[Path]:
    """Pages ordered for parallel execution: most figures (the bulk of a page's run time)
    first, ties in reading order, so that no worker is left with a long page at the end."""
    return sorted(pages, key=lambda page: -figure_count(page))
