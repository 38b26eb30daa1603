"""Inside the kernel: the settings of the chapter being run, and where its outputs go.

The executor (:mod:`scicollab.executor`) runs ``begin(settings)`` before each chapter and
``end()`` after it. The settings arrive as one JSON text, a value, never as source code or
environment variables: the project root, the chapter's output folder and the figure
resolution. Between chapters the kernel's namespace, open figures and matplotlib settings are
reset, so a chapter sees the same state in a warm kernel as in a fresh one.
"""

from __future__ import annotations

import contextlib
import json
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import fsops, paths

NUMBERS = "numbers.json"
TIMING = "timing.json"  # read into run.json by the executor


@dataclass
class Run:
    """One chapter run: its output folder, figure resolution and the numbers it glued."""

    out: Path
    dpi: int
    numbers: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)  # time spent in named parts of the run
    started: float = field(default_factory=time.perf_counter)
    glued: list | None = None  # the cell's glued outputs, held until it ends (see glue)

    @property
    def figures(self) -> Path:
        """The folder of the run's figure files."""
        return self.out / "figures"


_current: Run | None = None


@contextlib.contextmanager
def _no_full_collection() -> Iterator[None]:
    """IPython's reset ends with a full garbage collection, a fifth of a second per chapter in a
    kernel holding pandas, matplotlib and plotly; the interpreter's own collector frees the
    chapter's cycles in its time, so the reset skips it."""
    import gc

    collect = gc.collect
    gc.collect = lambda generation=2: 0
    try:
        yield
    finally:
        gc.collect = collect


_rc_snapshot: dict | None = None
_frozen = False


def _freeze_once() -> None:
    """Once per kernel, after its first chapter (its imports loaded, its garbage collected):
    move every object alive to the collector's permanent generation. Modules, functions and
    cached tables live as long as the kernel; scanned again at every full collection, they
    made each one cost about a fifth of a second. A later chapter's garbage is collected as
    before."""
    global _frozen
    if not _frozen:
        import gc

        gc.collect()
        gc.freeze()
        _frozen = True


def begin(settings: str) -> Run:
    """Start a chapter run from its JSON settings (``root``, ``out``, ``dpi``), with an empty
    namespace, no open figures and matplotlib's settings as they were before the first run."""
    global _current, _rc_snapshot
    import matplotlib
    import matplotlib.pyplot as plt
    from IPython import get_ipython

    start = time.perf_counter()
    values = json.loads(settings)
    shell = get_ipython()
    if shell is not None:
        # a new session, as a fresh kernel has: the cell count starts at 1 and the input
        # history is the chapter's own (the kernel's history is an in-memory database, nbclient's
        # setting). Kept across chapters, the count made each reset cost more (IPython clears
        # `_1` to `_<count>`): 17 ms a chapter after 150 economies' editions in one kernel.
        with _no_full_collection():
            shell.reset(new_session=True)
    plt.close("all")
    if _rc_snapshot is None:
        _rc_snapshot = dict(matplotlib.rcParams)
    else:
        matplotlib.rcParams.update(_rc_snapshot)
        _freeze_once()
    paths.set_root(values["root"])
    _current = Run(Path(values["out"]), int(values["dpi"]))
    _current.figures.mkdir(parents=True, exist_ok=True)
    if shell is not None:
        if _send_glued not in shell.events.callbacks["post_run_cell"]:
            shell.events.register("post_run_cell", _send_glued)
        _current.glued = []
    _current.seconds["resetting the kernel"] = time.perf_counter() - start
    return _current


# A cell's glued outputs, sent as one display message when the cell ends; the executor writes
# each as the output of its own that myst_nb.glue would have sent (see executor.expand_glued).
GLUED = "application/vnd.scicollab.glued+json"


def glue(key: str, value: object) -> None:
    """Glue ``value`` under ``key`` for the page, as ``myst_nb.glue(key, value, display=False)``.

    In a chapter run by the executor, the cell's glued values are held and sent in one message
    when the cell ends, instead of one message each (a chapter glues up to a hundred values,
    an edition about six hundred); the executor turns that message back into the outputs
    myst_nb.glue would have made, so the executed notebook is the same. Anywhere else (plain
    Jupyter, jupyter-book's own execution) this is myst_nb.glue itself."""
    if _current is None or _current.glued is None:
        from myst_nb import glue as myst_glue

        myst_glue(key, value, display=False)
        return
    from IPython.core.formatters import format_display_data
    from myst_nb.ext.glue import GLUE_PREFIX

    data, metadata = format_display_data(value)
    metadata["scrapbook"] = {"name": key, "mime_prefix": GLUE_PREFIX}
    _current.glued.append({"data": {GLUE_PREFIX + kind: _as_text(content)
                                    for kind, content in data.items()}, "metadata": metadata})


def _as_text(content: object) -> object:
    """A display value as the kernel would send it: bytes (an image) as base64 text."""
    import base64

    return base64.b64encode(content).decode("ascii") if isinstance(content, bytes) else content


def _send_glued(result: object = None) -> None:
    """IPython's post_run_cell hook: send the cell's glued values, if any, as one message."""
    if _current is None or not _current.glued:
        return
    from IPython.display import publish_display_data

    held, _current.glued = _current.glued, []
    publish_display_data({GLUED: held})


# the display message that opens each notebook cell's outputs in a chapter run as one request
# (see run_cells; the executor gives each cell the outputs that follow its message)
CELL = "application/vnd.scicollab.cell+json"


def run_cells(before: str, cells: list[tuple[str, bool]], after: str) -> None:
    """Run ``before``, each of ``cells`` (its source, and whether it may raise), then ``after``,
    each as an IPython cell of its own: a chapter's whole run in one request to the kernel.

    The executor sends one request per chapter instead of one per cell (each request and its
    replies cost the two processes about 4 ms, some 120 per region). Before each cell a
    :data:`CELL` message names it, so that the outputs that follow are its own (a display
    message first sends what the cell printed before it); a cell counts in the kernel's history
    as a request of its own would, ``before`` and ``after`` do not. The run stops at the first
    cell that fails and may not (its error is sent as a request's would be): the cells after
    it and ``after`` do not run. (A cell cannot await at its top level here: IPython runs it on
    the kernel's event loop, which is running this request, and the cell fails.)"""
    from IPython import get_ipython
    from IPython.display import publish_display_data

    shell = get_ipython()
    if before and not shell.run_cell(before, store_history=False).success:
        return
    for number, (source, may_raise) in enumerate(cells):
        publish_display_data({CELL: {"cell": number}})
        if not shell.run_cell(source, store_history=True).success and not may_raise:
            return
    publish_display_data({CELL: {"cell": len(cells)}})
    if after:
        shell.run_cell(after, store_history=False)


def current() -> Run | None:
    """The chapter run in progress in this kernel, if any."""
    return _current


def end() -> None:
    """Finish the run: write the numbers the chapter glued to ``numbers.json`` (strict JSON:
    a missing value, NaN, is written as null)."""
    global _current
    run, _current = _current, None
    if run is not None:
        numbers = {key: None if isinstance(value, float) and not math.isfinite(value) else value
                   for key, value in run.numbers.items()}
        fsops.write_atomic(run.out / NUMBERS, json.dumps(
            numbers, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n")
        spent = {part: round(value, 3) for part, value in sorted(run.seconds.items())}
        spent["chapter in the kernel"] = round(time.perf_counter() - run.started, 3)
        fsops.write_atomic(run.out / TIMING, json.dumps(spent) + "\n")


@contextlib.contextmanager
def timed(part: str) -> Iterator[None]:
    """Add the time spent inside the block to the run's ``part`` (see ``timing.json``)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        if _current is not None:
            _current.seconds[part] = _current.seconds.get(part, 0.0) + time.perf_counter() - start


def record_numbers(numbers: dict) -> None:
    """Keep the chapter's glued numbers for ``numbers.json`` (ignored outside a run)."""
    if _current is not None:
        _current.numbers.update(numbers)


def figures_dir() -> Path:
    """Where figure files go: the run's ``figures/``, else the project's ``_build/figures``."""
    return _current.figures if _current is not None else paths.build_dir() / "figures"


def dpi() -> int | None:
    """The figure resolution the run asks for (None outside a run: the house default)."""
    return _current.dpi if _current is not None else None
