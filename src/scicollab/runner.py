"""Execute chapters for a region with papermill, into _build/regions/<slug>/."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat

from . import envvars, paths, regions
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
    return paths.build_dir() / "regions"


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


class WarmKernel:
    """One long-lived kernel that executes chapter after chapter (imports stay loaded).

    Each chapter starts from an empty namespace: ``setup`` code (which must reset the
    namespace, see :func:`scicollab.editions.kernel_prepare`) runs before it. The executed
    notebook has papermill's injected-parameters cell, as with :func:`run_chapter`.
    """

    def __init__(self, timeout: int = 300) -> None:
        self.timeout = timeout
        self.client = None

    def _start(self):
        from nbclient import NotebookClient

        client = NotebookClient(nbformat.v4.new_notebook(), timeout=self.timeout,
                                kernel_name="python3", allow_errors=False,
                                resources={"metadata": {"path": str(paths.notebooks_dir())}})
        client.km = client.create_kernel_manager()
        client.start_new_kernel(cwd=str(paths.notebooks_dir()))
        client.start_new_kernel_client()
        self.client = client
        return client

    def execute(self, notebook, setup: str = ""):
        """Run ``setup`` then ``notebook`` in the kernel; returns the executed notebook."""
        from nbclient.exceptions import DeadKernelError

        client = self.client or self._start()
        try:
            if setup:
                client.nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(setup)])
                client.execute(cleanup_kc=False)
            client.nb = notebook
            return client.execute(cleanup_kc=False)
        except DeadKernelError:
            self.shutdown()
            raise

    def shutdown(self) -> None:
        """Stop the kernel (safe to call twice)."""
        client, self.client = self.client, None
        if client is not None:
            with contextlib.suppress(Exception):  # best effort at exit
                client._cleanup_kernel()


def _execute_warm(kernel: WarmKernel, source_nb: Path, executed: Path,
                  parameters: dict[str, object], setup: str) -> None:
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    notebook = load_notebook_node(str(source_nb))
    notebook = parameterize_notebook(notebook, parameters, kernel_name="python3",
                                     language="python")
    try:
        kernel.execute(notebook, setup)
    finally:
        nbformat.write(notebook, executed)


def run_chapter(chapter: str, region: regions.Region, out: Path,
                parameters: dict[str, object] | None = None, *,
                kernel: WarmKernel | None = None, setup: str = "") -> ChapterRun:
    """Execute one chapter for a region; files appear in ``out`` only when it succeeded.

    With ``kernel``, the chapter runs in that warm kernel after ``setup``; otherwise papermill
    starts a fresh kernel.
    """
    import papermill

    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{chapter}-", dir=out))
    source_nb = staging / f"{chapter}.source.ipynb"
    executed = staging / f"{chapter}.ipynb"
    jupytext.write(jupytext.read(catalogue.source(chapter)), source_nb)
    env = {"SCICOLLAB_FIGURES": str(staging / "figures"),
           "SCICOLLAB_NUMBERS": str(staging / "numbers" / f"{chapter}.json")}
    (staging / "numbers").mkdir()
    given = {**regions.as_parameters(region), **(parameters or {})}
    try:
        if kernel is not None:
            setup = setup.replace("@FIGURES@", repr(env["SCICOLLAB_FIGURES"])).replace(
                "@NUMBERS@", repr(env["SCICOLLAB_NUMBERS"]))
            with envvars.temporarily(env):
                _execute_warm(kernel, source_nb, executed, given, setup)
        else:
            with envvars.temporarily(env):
                papermill.execute_notebook(
                    str(source_nb), str(executed), parameters=given,
                    kernel_name="python3", cwd=str(paths.notebooks_dir()), progress_bar=False,
                    log_output=False)
    except Exception as exc:
        detail = _cell_error(executed)
        if detail in ("no output notebook", "unknown error"):
            detail = f"{detail} ({type(exc).__name__}: {exc})"
        shutil.rmtree(staging, ignore_errors=True)
        raise ChapterFailed(f"chapter {chapter!r} failed for region {region.name!r}: "
                            f"{detail}") from exc
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
