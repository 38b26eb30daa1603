"""The one way a chapter is executed: for a region, with parameters, into an output folder.

:func:`execute` runs one chapter's notebook in a kernel and writes, into ``out``, the executed
notebook, the figure files, the glued numbers (``numbers.json``) and ``run.json`` (what was run,
how long it took). The folder appears whole or not at all. The region reaches the kernel as
notebook parameters (``region``, and ``members`` for a custom group), injected by papermill
with values that cannot leave their literals (:mod:`scicollab.params`); the output folder and
resolution reach it as a JSON value (:mod:`scicollab.run_context`).

:class:`Cache` is the one cache of executed chapters, keyed on the notebook source, the region
and its members, the parameters, the resolution, the processed data and the package code. The
book, region editions, brief packs and ``scicollab run`` all get their chapters from it.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import fingerprints, fsops, params, paths, regions, run_context
from .chapters import catalogue
from .errors import ScicollabError

if TYPE_CHECKING:
    from .kernel import Kernel

SCREEN_DPI = 150  # figures shown on pages
PRINT_DPI = 300  # figures in brief packs
RUN_FILE = "run.json"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class ChapterFailed(ScicollabError):
    """A chapter raised an error while executing; names the chapter, region, cell and error."""


@dataclass(frozen=True)
class ChapterSpec:
    """What to execute: a chapter for a region, with extra parameters, at a figure resolution."""

    chapter: str
    region: regions.Region
    parameters: Mapping[str, object] = field(default_factory=dict)
    dpi: int = SCREEN_DPI

    def notebook_parameters(self) -> dict[str, object]:
        """Every value injected into the notebook: the region's, then the extra ones."""
        return {**regions.as_parameters(self.region), **self.parameters}

    def key(self, code: str, data: str) -> str:
        """The cache key of this run given the package code and data digests."""
        return fingerprints.chapter_key(
            catalogue.source(self.chapter).read_bytes(), self.region.name, self.region.members,
            self.parameters, self.dpi, code, data)


@dataclass
class ChapterResult:
    """One executed chapter: where its files are, how long it took, or why it failed."""

    chapter: str
    region: str
    key: str = ""
    folder: Path | None = None
    seconds: float = 0.0
    cached: bool = False
    error: str = ""

    @property
    def ok(self) -> bool:
        """True when the chapter ran (or was cached) without error."""
        return not self.error and self.folder is not None

    @property
    def notebook(self) -> Path:
        """The executed notebook."""
        return self._require() / f"{self.chapter}.ipynb"

    @property
    def figures(self) -> Path:
        """The folder of the chapter's figure files."""
        return self._require() / "figures"

    def numbers(self) -> dict:
        """The numbers the chapter glued."""
        return json.loads((self._require() / "numbers.json").read_text())

    def _require(self) -> Path:
        if self.folder is None:
            raise ScicollabError(f"chapter {self.chapter!r} has no output: {self.error}")
        return self.folder


def plan(chapter: str, region: regions.Region, parameters: Mapping[str, object] | None = None,
         dpi: int = SCREEN_DPI) -> ChapterSpec:
    """A validated spec: known chapter, declared parameters of the right types (no kernel yet)."""
    declared = catalogue.parameters(chapter)
    given = dict(parameters or {})
    params.check(chapter, declared, {**regions.as_parameters(region), **given})
    return ChapterSpec(chapter, region, given, dpi)


@lru_cache(maxsize=64)
def _parsed(path: Path, mtime_ns: int, size: int):
    """One version of a chapter's MyST source as a notebook (parsed once per process)."""
    import jupytext

    return jupytext.read(path)


def _notebook(spec: ChapterSpec):
    path = catalogue.source(spec.chapter)
    stat = path.stat()
    notebook = copy.deepcopy(_parsed(path, stat.st_mtime_ns, stat.st_size))
    return params.inject(notebook, spec.notebook_parameters())


def _cell_error(notebook, exc: BaseException) -> str:
    """'cell 3 (`first line`): ValueError: message' for the first failing cell, if found (cells
    counted as in the chapter's source, without papermill's injected cell)."""
    source_cells = [c for c in notebook.cells
                    if "injected-parameters" not in c.metadata.get("tags", [])]
    for number, cell in enumerate(source_cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                line = next((s for s in cell.source.splitlines() if s.strip()), "")
                return (f"cell {number} (`{line.strip()[:60]}`): {output.get('ename')}: "
                        f"{output.get('evalue')}")
    lines = ANSI.sub("", str(exc)).strip().splitlines()
    return f"{type(exc).__name__}: {lines[-1] if lines else 'no message'}"


def execute(spec: ChapterSpec, out: Path, kernel: Kernel | None = None) -> ChapterResult:
    """Execute one chapter into ``out`` (which must not exist yet, or be an earlier run's
    folder: it is replaced whole). A failure raises :class:`ChapterFailed` and leaves ``out``
    as it was. Without ``kernel``, a fresh kernel is started and stopped."""
    import nbformat  # here, not at the top: a no-change rebuild starts no chapter

    from .kernel import Kernel

    out = Path(out)
    fsops.owned_or_absent(out, RUN_FILE, f"output of chapter {spec.chapter}")
    notebook = _notebook(spec)
    own = kernel is None
    kernel = kernel or Kernel(paths.notebooks_dir())
    start = time.perf_counter()
    with fsops.staged(out.parent, out.name) as staging:
        settings = json.dumps({"root": str(paths.root()), "out": str(staging), "dpi": spec.dpi})
        setup = f"import scicollab.run_context as _run\n_run.begin({settings!r})\n"
        try:
            kernel.run(notebook, before=setup,
                       after="import scicollab.run_context as _run\n_run.end()\n")
        except KeyboardInterrupt:
            raise
        except Exception as exc:
            raise ChapterFailed(f"chapter {spec.chapter!r} failed for region "
                                f"{spec.region.name!r}: {_cell_error(notebook, exc)}") from None
        finally:
            if own:
                kernel.shutdown()
        seconds = time.perf_counter() - start
        expand_glued(notebook)
        with fsops.disk_errors(out.parent):
            nbformat.write(notebook, staging / f"{spec.chapter}.ipynb")
            timing = staging / run_context.TIMING
            parts = json.loads(timing.read_text()) if timing.is_file() else {}
            timing.unlink(missing_ok=True)
            (staging / RUN_FILE).write_text(json.dumps({
                "chapter": spec.chapter, "region": spec.region.name, "kind": spec.region.kind,
                "members": list(spec.region.members), "parameters": dict(spec.parameters),
                "dpi": spec.dpi, "seconds": round(seconds, 3), "parts": parts,
                "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                indent=2, ensure_ascii=False) + "\n")
            if out.exists():
                fsops.replace_dir(staging, out)
            else:
                os.rename(staging, out)
    return ChapterResult(spec.chapter, spec.region.name, folder=out, seconds=seconds)


def expand_glued(notebook) -> None:
    """Replace each cell's message of glued values (:data:`run_context.GLUED`) by one output
    per value, in order, as ``myst_nb.glue`` makes them: the outputs a kernel that sent each
    value on its own would have given, at the end of the cell (a glued output is never shown
    where it stands, so their place among the cell's other outputs changes nothing). The
    outputs are checked with the whole notebook when it is written, not one by one here."""
    from nbformat import from_dict

    for cell in notebook.cells:
        if cell.get("cell_type") != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            held = output.get("data", {}).get(run_context.GLUED)
            if output.get("output_type") != "display_data" or held is None:
                outputs.append(output)
                continue
            outputs += [from_dict({"output_type": "display_data", "data": item["data"],
                                   "metadata": item["metadata"]}) for item in held]
        cell.outputs = outputs


class Cache:
    """Executed chapters by key, under ``folder`` (default ``_build/cache``)."""

    def __init__(self, folder: Path | None = None, *, code: str | None = None,
                 data: str | None = None) -> None:
        self.folder = Path(folder or paths.build_dir() / "cache")
        self.code = code or fingerprints.kernel_code()
        self.data = data or fingerprints.data()

    @property
    def digests(self) -> tuple[str, str, str]:
        """What a worker needs to use the same cache with the same keys: folder, code, data."""
        return str(self.folder), self.code, self.data

    def key(self, spec: ChapterSpec) -> str:
        """The cache key of a spec."""
        return spec.key(self.code, self.data)

    def entry(self, spec: ChapterSpec, key: str | None = None) -> Path:
        """The folder where the spec's executed chapter is (or would be) kept."""
        return self.folder / f"{spec.chapter}-{(key or self.key(spec))[:24]}"

    def lookup(self, spec: ChapterSpec) -> ChapterResult | None:
        """The cached result of a spec, or None."""
        key = self.key(spec)
        folder = self.entry(spec, key)
        try:
            record = json.loads((folder / RUN_FILE).read_text())
        except (OSError, ValueError):
            return None
        return ChapterResult(spec.chapter, spec.region.name, key, folder,
                             float(record.get("seconds", 0.0)), cached=True)

    def run(self, spec: ChapterSpec, kernel: Kernel | None = None) -> ChapterResult:
        """The spec's executed chapter: from the cache, else executed into it. A failure is
        returned (``error`` set), not raised, so that other chapters go on."""
        found = self.lookup(spec)
        if found is not None:
            return found
        key = self.key(spec)
        target = self.entry(spec, key)
        self.folder.mkdir(parents=True, exist_ok=True)
        with fsops.staged(self.folder, target.name) as holder:
            try:
                result = execute(spec, holder / "run", kernel)
            except ChapterFailed as exc:
                return ChapterResult(spec.chapter, spec.region.name, key, error=str(exc))
            try:
                os.rename(result.folder, target)
            except OSError:  # another process cached the same chapter first: keep theirs
                shutil.rmtree(result.folder, ignore_errors=True)
        return ChapterResult(spec.chapter, spec.region.name, key, target, result.seconds)

    def clean_stale(self) -> list[str]:
        """Remove staging folders of killed processes; their names."""
        return fsops.clean_stale(self.folder)
