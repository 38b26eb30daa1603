"""A figure drawn once into pixels, cropped to what it draws: the PNG's image and the box
that crops the SVG alike (see :func:`figures.save`)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import io
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.transforms import Bbox

if TYPE_CHECKING:
    from matplotlib.backend_bases import RendererBase
    from PIL import Image

CANVAS_MARGIN = 1.5  # inches drawn around a figure, to catch what lies outside it
TEXTS_KEPT = 8192  # plain texts' measurements kept per process (a region's chapters: ~250)
# What a plain text's size depends on besides the text, its font properties and the
# resolution: how glyphs are hinted and kerned, and the fonts a generic family name means.
FONT_SETTINGS = ("text.hinting", "text.hinting_factor", "text.kerning_factor", "font.family",
                 "font.sans-serif", "font.serif", "font.monospace", "font.cursive",
                 "font.fantasy")


def render(fig: plt.Figure) -> tuple[Image.Image, Bbox]:
    """The figure drawn at ``savefig.dpi`` and cropped to what it draws, plus
    ``savefig.pad_inches``: the image (PIL, RGBA) and the crop (inches), which crops the SVG
    alike.

    One drawing does both: the figure is drawn on a canvas :data:`CANVAS_MARGIN` inches wider
    on every side than the figure (so a legend or label placed outside the figure is drawn
    too), and the crop is the box of pixels that differ from the background. Only when a
    drawing reaches the canvas's edge, or an axes, text or legend lies beyond it, is the box
    measured by matplotlib (:func:`tight_bbox`) and the figure drawn again inside it."""
    dpi = plt.rcParams["savefig.dpi"]
    _pin_figure_legends(fig)
    width, height = fig.get_size_inches()
    margin = CANVAS_MARGIN
    canvas = Bbox([[-margin, -margin], [width + margin, height + margin]])
    pixels = _pixels(fig, canvas, dpi)
    rows, columns = _ink(pixels)
    # measuring texts (_placed_within) gives the figure a renderer of its own size and draws
    # nothing, so Agg's canvas behind ``pixels`` stays as drawn until the crop is copied
    if rows is None or rows[0] == 0 or columns[0] == 0 or rows[1] == pixels.shape[0] \
            or columns[1] == pixels.shape[1] or not _placed_within(fig, canvas, dpi):
        bbox = tight_bbox(fig)
        return _image(_pixels(fig, bbox, dpi)), bbox
    pad = round(plt.rcParams["savefig.pad_inches"] * dpi)
    top, bottom = max(0, rows[0] - pad), min(pixels.shape[0], rows[1] + pad)
    left, right = max(0, columns[0] - pad), min(pixels.shape[1], columns[1] + pad)
    bbox = Bbox([[left / dpi - margin, (pixels.shape[0] - bottom) / dpi - margin],
                 [right / dpi - margin, (pixels.shape[0] - top) / dpi - margin]])
    return _image(pixels[top:bottom, left:right]), bbox


@contextlib.contextmanager
def drawn_text_sizes() -> Iterator[list[float]]:
    """Within the block, the size in points of every text Agg draws (not empty), appended to
    the list given: what a reader sees, without looking for texts in the figure (which would
    create the ticks of axes that are not drawn, and count their labels)."""
    from matplotlib.backends.backend_agg import RendererAgg

    sizes: list[float] = []
    draw_text = RendererAgg.draw_text

    def recorded(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if s.strip():
            sizes.append(prop.get_size_in_points())
        return draw_text(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    RendererAgg.draw_text = recorded
    try:
        yield sizes
    finally:
        RendererAgg.draw_text = draw_text


_measures: dict[type, Callable] = {}  # each renderer kind's own measurement of a text


def share_text_metrics() -> None:
    """Have the Agg and SVG renderers of this process share one measurement of each plain
    text per kind of renderer and resolution.

    matplotlib keeps a text's size per renderer, and drawing one figure makes several (for the
    PNG the layout's, the enlarged canvas's and the placement check's, each at its own size;
    one for the SVG): in four regions' chapters FreeType laid out 6,557 texts for their size
    alone, of which a few hundred differed. A plain text's size depends only on the text, its
    font properties, the renderer's kind and resolution, and :data:`FONT_SETTINGS`, so one
    cache keyed on those gives the same numbers, and the same files. Math and TeX texts are
    measured as before."""
    if _measures:
        return
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.backends.backend_svg import RendererSVG

    for kind in (RendererAgg, RendererSVG):
        _measures[kind] = kind.get_text_width_height_descent
        kind.get_text_width_height_descent = _shared_measure(kind)


def _shared_measure(kind: type) -> Callable:
    """``kind``'s text measurement through the process's cache of plain texts."""
    measure = _measures[kind]

    def measured(self, s, prop, ismath):
        if ismath:
            return measure(self, s, prop, ismath)
        settings = tuple(hashable(plt.rcParams[name]) for name in FONT_SETTINGS)
        return _plain_text_size(kind, s, prop.copy(), self.points_to_pixels(72), settings)

    return measured


@functools.lru_cache(maxsize=TEXTS_KEPT)
def _plain_text_size(kind: type, text: str, prop, dpi: float,
                     settings: tuple) -> tuple[float, float, float]:
    """Width, height and descent of a plain text as a ``kind`` renderer at ``dpi`` measures it
    (``settings`` are the :data:`FONT_SETTINGS` it was measured under: part of the key)."""
    return _measures[kind](_measuring_renderer(kind, dpi), text, prop, False)


@functools.lru_cache(maxsize=8)
def _measuring_renderer(kind: type, dpi: float):
    """A one-pixel renderer of ``kind`` at ``dpi``, which measures texts as any other there."""
    if kind.__name__ == "RendererSVG":  # always 72 dpi: a point is its unit
        return kind(1, 1, io.StringIO())
    return kind(1, 1, dpi)


def source_digest(function) -> str:
    """The first 16 hex digits of the sha256 of ``function``'s source ("" when it has none):
    how the modules standing in for a piece of matplotlib recognise the code they were checked
    against."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return ""
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def hashable(value):
    """A setting's value as a cache key can hold it: a list (of font names, of a text's
    language ranges) becomes a tuple."""
    return tuple(value) if isinstance(value, list) else value


def _image(pixels: np.ndarray) -> Image.Image:
    """An RGBA image of its own copy of ``pixels`` (Agg's buffer, which the next drawing of the
    figure paints over; PIL would share a contiguous array's memory)."""
    from PIL import Image

    return Image.fromarray(pixels.copy(), "RGBA")


@contextlib.contextmanager
def laid_out_once(fig: plt.Figure) -> Iterator[None]:
    """Within the block, the figure has no layout engine: its engine, if any, has placed the
    axes once, at the PNG's resolution, and each drawing (PNG, SVG) uses that placement.

    matplotlib's savefig draws a figure that has an engine twice, first with drawing switched
    off so that the engine can lay it out for that file, and constrained layout lays it out
    again in the second drawing. ``tight_layout`` leaves a placeholder engine, which lays out
    nothing: its first drawing measured every text and tick for nothing (a third of the
    barriers chart's rendering). A constrained layout was computed four times per figure, and
    the SVG's at 72 dpi, a fraction of a point from the PNG's: both now share one. The engine
    is back on the figure after the block."""
    engine = fig.get_layout_engine()
    if engine is None:
        yield
        return
    with _measured_at(fig, plt.rcParams["savefig.dpi"]):
        engine.execute(fig)
    fig.set_layout_engine(None)
    try:
        yield
    finally:
        fig.set_layout_engine(engine)


def _placed_within(fig: plt.Figure, canvas: Bbox, dpi: float) -> bool:
    """True when every axes, text and legend of the figure lies inside ``canvas`` (inches):
    the things a chapter may place outside the figure, whose ink might miss the canvas
    altogether (ticks, lines and markers stay with their axes). Measured at the drawing's
    resolution, where the texts' sizes are already known."""
    artists = [*fig.texts, *fig.legends]
    for ax in fig.axes:
        artists += [ax, *ax.texts, *([ax.get_legend()] if ax.get_legend() else [])]
    with _measured_at(fig, dpi) as renderer:
        to_inches = fig.dpi_scale_trans.inverted()
        return all(canvas.containsx(box.x0) and canvas.containsx(box.x1)
                   and canvas.containsy(box.y0) and canvas.containsy(box.y1)
                   for box in (a.get_window_extent(renderer).transformed(to_inches)
                               for a in artists if a.get_visible()))


def _pin_figure_legends(fig: plt.Figure) -> None:
    """Anchor each figure-level legend where it stands now, in figure coordinates. Unpinned, it
    is anchored to the figure's box, which matplotlib replaces by the drawn box when it draws a
    part of a figure, so the legend would move with the crop."""
    for legend in fig.legends:
        box = fig.transFigure.inverted().transform_bbox(legend.get_bbox_to_anchor())
        legend.set_bbox_to_anchor(box, transform=fig.transFigure)


def _pixels(fig: plt.Figure, bbox: Bbox, dpi: float) -> np.ndarray:
    """The part of the figure inside ``bbox`` (inches) drawn by Agg at ``dpi``: an array of
    rows of RGBA pixels. It is Agg's own buffer, not a copy (no image format is encoded and
    decoded on the way, and tens of megabytes are not copied): read it before the figure is
    drawn again."""
    kept = _Kept()
    fig.savefig(kept, format="rgba", dpi=dpi, bbox_inches=bbox)
    data = kept.data
    count = data.nbytes // 4
    # Agg's canvas is the box in pixels, each side truncated; matplotlib's own arithmetic can
    # land a rounding error either side of a whole number, so the width is found, not assumed
    width, height = bbox.width * dpi, bbox.height * dpi
    for columns in (int(width), int(width) + 1, int(width) - 1):
        if columns > 0 and count % columns == 0 and abs(count // columns - height) < 1.5:
            return np.frombuffer(data, dtype=np.uint8).reshape(count // columns, columns, 4)
    raise RuntimeError(f"Agg drew {count} pixels for a {width:.1f} x {height:.1f} canvas")


class _Kept:
    """A file for ``savefig(format="rgba")`` that keeps the buffer written to it, uncopied."""

    data = memoryview(b"")

    def write(self, data) -> int:
        """Keep ``data`` (Agg writes its whole canvas in one call)."""
        self.data = memoryview(data).cast("B")
        return self.data.nbytes

    def seek(self, offset: int, whence: int = 0) -> int:
        """What matplotlib asks of a file object; nothing to move here."""
        return 0


def _ink(pixels: np.ndarray) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The rows and columns (first, one past the last) of pixels that differ from the
    background (the top-left corner's colour); (None, None) for an empty drawing."""
    packed = pixels.view(np.uint32)[:, :, 0]
    drawn = packed != packed[0, 0]
    rows, columns = np.flatnonzero(drawn.any(axis=1)), np.flatnonzero(drawn.any(axis=0))
    if not rows.size:
        return None, None
    return (int(rows[0]), int(rows[-1]) + 1), (int(columns[0]), int(columns[-1]) + 1)


def tight_bbox(fig: plt.Figure) -> Bbox:
    """The figure's tight bounding box (inches, padded), as matplotlib measures it, at the PNG
    resolution."""
    with _measured_at(fig, plt.rcParams["savefig.dpi"]) as renderer:
        bbox = fig.get_tightbbox(renderer)
    return bbox.padded(plt.rcParams["savefig.pad_inches"])


@contextlib.contextmanager
def _measured_at(fig: plt.Figure, dpi: float) -> Iterator[RendererBase]:
    """The figure's renderer with the figure at ``dpi`` for the block (the resolution it is
    drawn at, so texts measure as drawn), then back at its own resolution."""
    original = fig.dpi
    fig.set_dpi(dpi)
    try:
        yield fig.canvas.get_renderer()
    finally:
        fig.set_dpi(original)


def palette(image):
    """The image with at most 256 colours (transparency kept for RGBA), chosen without
    dithering: the house's screen-resolution encoding of a figure's pixels."""
    from PIL import Image

    return image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
