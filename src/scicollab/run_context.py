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
        with _no_full_collection():
            shell.reset(new_session=False)
    plt.close("all")
    if _rc_snapshot is None:
        _rc_snapshot = dict(matplotlib.rcParams)
    else:
        matplotlib.rcParams.update(_rc_snapshot)
    paths.set_root(values["root"])
    _current = Run(Path(values["out"]), int(values["dpi"]))
    _current.figures.mkdir(parents=True, exist_ok=True)
    _current.seconds["resetting the kernel"] = time.perf_counter() - start
    return _current


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
