"""Execute the book's notebook pages in parallel, into the execution cache myst-nb reads.

myst-nb executes a Jupyter Book's pages one after another. Before the book is built, the pages
whose code is not yet in the jupyter-cache run here in worker processes, each in a fresh kernel
exactly as myst-nb would run it (same reader, same working directory, same timeout), and the
executed notebooks go into that cache. The book build then finds every page cached and only
renders it. A page that fails here is left uncached: the book build runs it again and reports
the failing cell in its log, as it always has.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from . import envvars
from .chapters import catalogue


@dataclass(frozen=True)
class PageRun:
    """One page executed in a worker: its source, seconds, kernel stderr and failure if any."""

    page: Path
    seconds: float
    stderr: str
    error: str | None = None


MAX_WORKERS = 8  # each worker runs a kernel of a few hundred MB


def default_workers() -> int:
    """One worker per CPU this process may use, at most :data:`MAX_WORKERS`."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, usable))


def read_page(path: Path):
    """The notebook myst-nb (and jupyter-cache's myst plugin) reads from a MyST page."""
    from myst_nb.core.read import myst_nb_reader_plugin

    return myst_nb_reader_plugin(str(path))


def _cached_mode_notebooks(root: Path) -> list[tuple[Path, object]]:
    from myst_nb.core.read import is_myst_markdown_notebook

    found = []
    for name in catalogue.toc_files(root):
        path = root / (name if name.endswith(".md") else f"{name}.md")
        if not (path.is_file() and is_myst_markdown_notebook(path.read_text(encoding="utf-8"))):
            continue
        notebook = read_page(path)
        if notebook.metadata.get("mystnb", {}).get("execution_mode", "cache") == "cache":
            found.append((path, notebook))
    return found


def notebook_pages(root: Path) -> list[Path]:
    """The table of contents' MyST notebook pages that myst-nb executes through its cache.

    A page that sets its own ``mystnb: execution_mode`` (the regions gallery re-runs on every
    build) is left to myst-nb.
    """
    return [path for path, _ in _cached_mode_notebooks(root)]


def uncached_pages(root: Path, cache_path: Path) -> list[Path]:
    """Notebook pages whose code has no executed notebook in the cache yet."""
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_path))
    missing = []
    for path, notebook in _cached_mode_notebooks(root):
        try:
            cache.match_cache_notebook(notebook)
        except KeyError:
            missing.append(path)
    return missing


@contextlib.contextmanager
def _captured_stderr() -> Iterator[Callable[[], str]]:
    """Send this process's file descriptor 2 (inherited by kernels) to a file while inside."""
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield lambda: (sink.seek(0), sink.read().decode(errors="replace"))[1]
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _execute(page: str, timeout: int) -> tuple[str, object, float, str, str | None]:
    """Worker: run one page in a fresh kernel; the executed notebook, or the error text."""
    from jupyter_cache.executors.utils import single_nb_execution

    notebook = read_page(Path(page))
    with _captured_stderr() as stderr:
        result = single_nb_execution(notebook, cwd=str(Path(page).parent), timeout=timeout,
                                     allow_errors=False)
        text = stderr()
    if result.err is not None:
        return page, None, result.time, text, result.exc_string or repr(result.err)
    return page, result.nb, result.time, text, None


def execute_pages(root: Path, cache_path: Path, *, timeout: int = 300, workers: int = 2,
                  env: dict[str, str] | None = None,
                  on_done: Callable[[PageRun], None] | None = None) -> list[PageRun]:
    """Execute every uncached notebook page in ``workers`` processes and cache the results.

    ``env`` is added to the kernels' environment. Returns one :class:`PageRun` per page run.
    """
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    todo = uncached_pages(root, cache_path)
    if not todo:
        return []
    cache = get_cache(str(cache_path))
    runs = []
    context = multiprocessing.get_context("fork")
    with envvars.temporarily(env or {}), ProcessPoolExecutor(max_workers=max(1, workers),
                                                      mp_context=context) as pool:
        futures = [pool.submit(_execute, str(page), timeout)
                   for page in catalogue.longest_first(todo)]
        for future in as_completed(futures):
            page, executed, seconds, stderr, error = future.result()
            if executed is not None:
                cache.cache_notebook_bundle(
                    CacheBundleIn(executed, page, data={"execution_seconds": seconds}),
                    check_validity=False, overwrite=True)
            run = PageRun(Path(page), seconds, stderr, error)
            runs.append(run)
            if on_done:
                on_done(run)
    return sorted(runs, key=lambda run: todo.index(run.page))
