"""Execute chapters for a region with papermill, into _build/regions/<slug>/."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat

from . import paths, regions
from .chapters import catalogue
from .errors import ScicollabError


class ChapterFailed(ScicollabError):
    """A chapter raised an error while executing; names the chapter and the cell's error."""


@dataclass
class ChapterRun:
    """Where one executed chapter and its files went."""

    chapter: str
    notebook: Path
    figures: Path
    numbers: Path


def regions_dir() -> Path:
    """The root of region outputs."""
    return paths.BUILD_DIR / "regions"


def plan(region_name: str, chapters: Sequence[str] | None,
         parameters: dict[str, object] | None = None) -> tuple[regions.Region, list[str]]:
    """Validate everything before any kernel starts: region, chapters, parameter names."""
    region = regions.resolve(region_name)
    wanted = list(chapters) if chapters else catalogue.chapters()
    for chapter in wanted:
        catalogue.source(chapter)
        catalogue.check_parameters(chapter, {"region": region.name, **(parameters or {})})
    return region, wanted


def _cell_error(notebook: Path) -> str:
    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception:
        return "no output notebook"
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"{output.get('ename')}: {output.get('evalue')}"
    return "unknown error"


def run_chapter(chapter: str, region: regions.Region, out: Path,
                parameters: dict[str, object] | None = None) -> ChapterRun:
    """Execute one chapter for a region; files appear in ``out`` only when it succeeded."""
    import papermill

    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{chapter}-", dir=out))
    source_nb = staging / f"{chapter}.source.ipynb"
    executed = staging / f"{chapter}.ipynb"
    jupytext.write(jupytext.read(catalogue.source(chapter)), source_nb)
    env = {"SCICOLLAB_FIGURES": str(staging / "figures"),
           "SCICOLLAB_NUMBERS": str(staging / "numbers" / f"{chapter}.json")}
    (staging / "numbers").mkdir()
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        papermill.execute_notebook(
            str(source_nb), str(executed), parameters={"region": region.name,
                                                       **(parameters or {})},
            kernel_name="python3", cwd=str(paths.NOTEBOOKS_DIR), progress_bar=False,
            log_output=False)
    except Exception as exc:
        detail = _cell_error(executed)
        shutil.rmtree(staging, ignore_errors=True)
        raise ChapterFailed(f"chapter {chapter!r} failed for region {region.name!r}: "
                            f"{detail}") from exc
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    source_nb.unlink()
    for folder in ("figures", "numbers"):
        (out / folder).mkdir(exist_ok=True)
        for item in sorted((staging / folder).glob("*")):
            os.replace(item, out / folder / item.name)
    os.replace(executed, out / executed.name)
    shutil.rmtree(staging, ignore_errors=True)
    return ChapterRun(chapter, out / executed.name, out / "figures",
                      out / "numbers" / f"{chapter}.json")


def run(region_name: str, chapters: Sequence[str] | None = None,
        parameters: dict[str, object] | None = None,
        out: Path | None = None) -> list[ChapterRun]:
    """Validate, then execute the chapters for a region; returns what was written."""
    region, wanted = plan(region_name, chapters, parameters)
    target = Path(out) if out else regions_dir() / region.slug
    return [run_chapter(chapter, region, target, parameters) for chapter in wanted]
