"""Each drawing rendered once per process: a figure drawn exactly like one saved before gets
that figure's PNG and SVG under its own id, instead of a second rendering.

An economy absent from a chart sees the world's chart (see :func:`report.shows_members`), and
a figure the same in every region (the GERD calibration) is saved in every edition: a worker
building many editions renders each such drawing once. Two figures draw alike when everything
they hold pickles the same (artists, data, texts, colours, positions) under the same
matplotlib settings; only what does not draw and differs between identical drawings (the
transforms' references to their parents, the figure's number in pyplot) is left out. A figure
that cannot be pickled is rendered every time.
"""

from __future__ import annotations

import gc
import hashlib
import io
import pickle
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import matplotlib as mpl
from matplotlib.cbook import CallbackRegistry
from matplotlib.figure import Figure
from matplotlib.transforms import TransformNode

from .file_titles import retitled

KEPT = 64  # drawings remembered per process: more than an edition has figures


@dataclass(frozen=True)
class Rendered:
    """A drawing's files, titled with the id of the figure first saved with it, and the size
    in points of its smallest text (found once: on a figure not drawn in this process, looking
    for its texts creates every axis's ticks)."""

    png: bytes
    svg: str
    title: str
    smallest_font: float

    def titled(self, title: str) -> tuple[bytes, str] | None:
        """The files with ``title`` in place of the first figure's id (None when a title is
        not found where it was written, so the caller renders instead)."""
        if title == self.title:
            return self.png, self.svg
        png = retitled(self.png, "png", self.title, title)
        svg = retitled(self.svg.encode("utf-8"), "svg", self.title, title)
        if png is None or svg is None:
            return None
        return png, svg.decode("utf-8")


_kept: OrderedDict[str, Rendered] = OrderedDict()


def rendered(fig, title: str, render: Callable[[], tuple[bytes, str, float]]
             ) -> tuple[bytes, str, float]:
    """The PNG and SVG of ``fig`` titled ``title`` and its smallest font: an earlier rendering
    of the same drawing, retitled, else ``render()`` (which must title its files ``title``),
    remembered."""
    key = digest(fig)
    earlier = _kept.get(key) if key else None
    files = earlier.titled(title) if earlier else None
    if files is not None:
        _kept.move_to_end(key)
        return (*files, earlier.smallest_font)
    png, svg, smallest = render()
    if key:
        _kept[key] = Rendered(png, svg, title, smallest)
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return png, svg, smallest


def forget() -> None:
    """Forget every rendering (as when others push them out of the process's memory)."""
    _kept.clear()


def digest(fig) -> str | None:
    """What the figure draws, as a hash of its pickled state and matplotlib's settings; None
    for a figure that cannot be pickled."""
    buffer = io.BytesIO()
    collecting = gc.isenabled()
    gc.disable()  # pickling allocates many short-lived objects: no collection of the heap
    try:
        _DrawingPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(fig)
    except Exception:  # any figure pickle cannot take is simply rendered
        return None
    finally:
        if collecting:
            gc.enable()
    value = hashlib.sha256(buffer.getvalue())
    value.update(repr(sorted(mpl.rcParams.items())).encode())
    return value.hexdigest()


# what an object's pickled state holds that does not draw and differs between two identical
# drawings: a transform's parents (keyed by their memory addresses, kept to invalidate cached
# transforms) and a figure's number in pyplot (which counts the figures open)
_NOT_DRAWN = ((TransformNode, ("_parents",)), (Figure, ("_number", "_restore_to_pylab")))


class _DrawingPickler(pickle.Pickler):
    """A pickler that leaves out of each object what does not draw (:data:`_NOT_DRAWN`) and
    reduces a callback registry to an empty one (its own pickling would advance its id
    counter)."""

    def reducer_override(self, obj):
        """Reduce an object without what does not draw; anything else as pickle does."""
        if isinstance(obj, CallbackRegistry):
            return CallbackRegistry, ()
        for kind, left_out in _NOT_DRAWN:
            if isinstance(obj, kind):
                reduced = obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
                state = {k: v for k, v in obj.__getstate__().items() if k not in left_out}
                return (*reduced[:2], state, *reduced[3:])
        return NotImplemented
