"""The font files a text's properties name, and their height tables, looked up once per
process for matplotlib's text layout.

matplotlib 3.11 lays a text out (``Text._get_layout``: for its size, its placement and each
drawing, the PNG's and the SVG's alike) by finding the font files its properties name
(``fontManager._find_fonts_by_props``, about 40 µs) and reading two tables of the first font
(``FT2Font.get_sfnt_table``, which builds a new dictionary each time) for its ascent, descent
and line gap. Three regions' chapters lay out about 13,000 texts with a few dozen distinct
font properties. Here the files are kept per font properties and font settings (what
matplotlib's own font cache is keyed on, with the fonts it knows) and the tables per font
files: matplotlib's own answers, found once.

It stands in only where ``Text._get_layout`` is the code this was checked against
(:data:`MATPLOTLIB_SOURCE`), and only for that method (``matplotlib.text``'s names
``fontManager`` and ``get_font``, which nothing else there uses).
"""

from __future__ import annotations

import os

import matplotlib.text
from matplotlib import rcParams
from matplotlib.font_manager import FontProperties, get_font
from matplotlib.text import Text

from .rendering import hashable, source_digest

MATPLOTLIB_SOURCE = "4c79896b10ada776"  # sha256 of Text._get_layout's source in 3.11, first 16
KEPT = 4096  # font properties' lookups kept per process (a region's chapters: a few dozen)
# the settings matplotlib's font lookup depends on (those its own cache is keyed on)
LOOKUP_SETTINGS = tuple(f"font.{key}" for key in (
    "family", "style", "variant", "weight", "stretch", "size", "serif", "sans-serif",
    "cursive", "fantasy", "monospace"))

_original: dict[str, object] = {}
_found: dict[tuple, list] = {}  # font properties' files, by properties, settings and fonts known


class _FontFinder:
    """matplotlib's font manager as ``Text._get_layout`` sees it: the font files of each
    font properties found once under the same settings and fonts, the rest passed through."""

    def __init__(self, manager) -> None:
        self._manager = manager

    def __getattr__(self, name: str):
        return getattr(self._manager, name)

    def _find_fonts_by_props(self, prop, *args, **kwargs):
        if args or kwargs or type(prop) is not FontProperties:
            return self._manager._find_fonts_by_props(prop, *args, **kwargs)
        manager = self._manager
        # the properties as matplotlib hashes and compares them, the settings and the fonts
        # known (adding a font clears matplotlib's cache: it lengthens a list here)
        key = (tuple(prop.__dict__.values()),
               tuple(hashable(rcParams[name]) for name in LOOKUP_SETTINGS),
               os.getenv("MPL_IGNORE_SYSTEM_FONTS"), len(manager.ttflist), len(manager.afmlist))
        found = _found.get(key)
        if found is None:
            if len(_found) >= KEPT:
                _found.clear()
            found = _found[key] = manager._find_fonts_by_props(prop)
        return found


class _FontTables:
    """A font as ``Text._get_layout`` uses it: its tables, each read once."""

    def __init__(self, font) -> None:
        self._font = font
        self._tables: dict[str, dict | None] = {}

    def get_sfnt_table(self, name: str) -> dict | None:
        """The font's table ``name`` (None when the font has none), as FT2Font reads it."""
        if name not in self._tables:
            self._tables[name] = self._font.get_sfnt_table(name)
        return self._tables[name]


_tables: dict[tuple, _FontTables] = {}


def _font_tables(font_filepaths, *args, **kwargs) -> _FontTables:
    """``get_font`` for ``Text._get_layout``: the tables of the font the files make, read once
    (a font's tables do not change; its hinting does not touch them)."""
    key = (tuple(font_filepaths), args, tuple(sorted(kwargs.items())))
    found = _tables.get(key)
    if found is None:
        if len(_tables) >= KEPT:
            _tables.clear()
        found = _tables[key] = _FontTables(get_font(font_filepaths, *args, **kwargs))
    return found


def matches_matplotlib() -> bool:
    """True when matplotlib's ``Text._get_layout`` is the one this module was checked against."""
    return source_digest(Text._get_layout) == MATPLOTLIB_SOURCE


def install() -> bool:
    """Have text layout look fonts up through the kept lookups, once per process; False
    (matplotlib's lookups left in place) when its code differs from the code checked."""
    if _original:
        return True
    if not matches_matplotlib():
        return False
    _original.update(fontManager=matplotlib.text.fontManager, get_font=matplotlib.text.get_font)
    matplotlib.text.fontManager = _FontFinder(_original["fontManager"])
    matplotlib.text.get_font = _font_tables
    return True


def uninstall() -> None:
    """matplotlib's own lookups back (for comparisons)."""
    if _original:
        matplotlib.text.fontManager = _original.pop("fontManager")
        matplotlib.text.get_font = _original.pop("get_font")
