"""Agg's drawing of plain texts, pixel for pixel matplotlib's own but cheaper: each text's
glyph layout kept per process, and the glyph loop without its per-glyph set-up.

matplotlib 3.11's ``RendererAgg.draw_text`` lays the text out (``FT2Font._layout``: about half
a millisecond a text, with its fallback fonts) every time it is drawn, although a chapter's
tick labels, names and titles come back in every figure and every region; its glyph loop then
sets the font's size and builds the same rotation matrix again for every glyph. Here the
layout is kept per font, size, resolution, hinting and text, and the loop sets a font's size
only when the glyph's font changes (every glyph's position is still set before it is drawn).

It stands in for matplotlib's only where matplotlib's code is the code this was written
against and checked on (:data:`MATPLOTLIB_SOURCES`): another matplotlib draws texts itself.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
from matplotlib.ft2font import RenderMode

from .rendering import hashable, source_digest

LAYOUTS_KEPT = 16384  # texts' layouts kept per process (a region's chapters draw ~1,500)
# sha256 (first 16 hex digits) of the source of each method this module replaces or relies on,
# in the matplotlib it was checked against (3.11)
MATPLOTLIB_SOURCES = {"draw_text": "a08e437e92594360",
                      "_draw_text_glyphs_and_boxes": "ccc4749c98095394",
                      "_prepare_font": "0d1177abbed013cc"}

_original: dict[str, object] = {}


def matches_matplotlib() -> bool:
    """True when matplotlib's ``RendererAgg`` text methods are those this module was checked
    against (the installed matplotlib's own, not a replacement)."""
    return all(source_digest(_original.get(name, getattr(RendererAgg, name))) == digest
               for name, digest in MATPLOTLIB_SOURCES.items())


def install() -> bool:
    """Have Agg draw plain texts through the kept layouts and the lean glyph loop, once per
    process; False (matplotlib's drawing left in place) when matplotlib's code differs from
    the code this was checked against."""
    if _original:
        return True
    if not matches_matplotlib():
        return False
    _original["draw_text"] = RendererAgg.draw_text
    RendererAgg.draw_text = draw_text
    return True


def uninstall() -> None:
    """matplotlib's own text drawing back (for comparisons)."""
    if _original:
        RendererAgg.draw_text = _original.pop("draw_text")


def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
    """``RendererAgg.draw_text`` with the layout kept (:func:`_layout`) and the lean loop
    (:func:`_draw_glyphs`); math texts are drawn by matplotlib as before."""
    if ismath:
        return self.draw_mathtext(gc, x, y, s, prop, angle)
    font = self._prepare_font(prop)
    size = prop.get_size_in_points()
    features = mtext.get_fontfeatures() if mtext is not None else None
    language = mtext.get_language() if mtext is not None else None
    flags = get_hinting_flag()
    glyphs = _layout(font, s, flags, hashable(features), hashable(language), size, self.dpi)
    _draw_glyphs(self, gc, x, y, angle, size, flags, glyphs)


@functools.lru_cache(maxsize=LAYOUTS_KEPT)
def _layout(font, text: str, flags, features, language, size: float,
            dpi: float) -> tuple[tuple[object, int, float, float], ...]:
    """The glyphs of ``text`` laid out by ``font`` (already at ``size`` and ``dpi``, which are
    part of the key with the hinting ``flags``): each glyph's font (the font itself or one of
    its fallbacks), index and offset."""
    return tuple((item.ft_object, item.glyph_index, item.x, item.y)
                 for item in font._layout(text, flags=flags, features=features,
                                          language=language))


def _draw_glyphs(renderer, gc, x: float, y: float, angle: float, size: float, load_flags,
                 glyphs: tuple) -> None:
    """matplotlib's glyph loop (``_draw_text_glyphs_and_boxes`` without boxes, which plain
    text has none of), with the rotation matrix made once and a font's size set when the
    glyph's font changes rather than before every glyph; ``load_flags``: the hinting the
    glyphs were laid out with."""
    cos = math.cos(math.radians(angle))
    sin = math.sin(math.radians(angle))
    # matplotlib's matrix for a glyph without slant (0) or extension (1), as it computes it
    matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])
              @ [[1, 0], [0, 1]]).round().astype(int)
    antialiased = gc.get_antialiased()
    mode = RenderMode.NORMAL if antialiased else RenderMode.MONO
    height, dpi = renderer.height, renderer.dpi
    draw_image = renderer._renderer.draw_text_image
    sized = None
    for font, index, dx, dy in glyphs:  # dy is upwards
        if font is not sized:
            font.set_size(size, dpi)
            sized = font
        # FreeType's y is upwards
        font._set_transform(matrix, [round(0x40 * (x + dx * cos - dy * sin)),
                                     round(0x40 * (height - y + dx * sin + dy * cos))])
        bitmap = font._render_glyph(index, load_flags, mode)
        buffer = bitmap.buffer
        if not antialiased:
            buffer *= 0xff
        # draw_text_image's y is downwards and the bitmap's bottom side
        draw_image(buffer, bitmap.left, int(height) - bitmap.top + buffer.shape[0], 0, gc)
