"""One Markdown parser per format for glued Markdown, kept for the process's HTML builds.

myst-nb renders each glued Markdown value (``{glue:md}``, a ``:format: commonmark`` glue
block) with a parser made for that one value: a new settings object and a new ``MarkdownIt``
with its plugins and its own renderer, whose set-up inspects the renderer's class for its
methods (about 0.34 ms). An edition's pages glue about 165 such values. Within
:func:`kept_parsers`, myst-nb gets the parser it made before for equal settings and the same
renderer class: parsing keeps nothing between texts (each has its own state and environment),
and myst-nb renders the tokens with the page's own renderer, not the parser's. The pages are
the same.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

MAX_PARSERS = 16  # settings and renderer classes kept (a build uses one or two)

_kept: list[tuple[object, type, object]] = []  # (settings, renderer class, parser)


def _kept_parser(original):
    """``create_md_parser`` answering from :data:`_kept` where it can."""

    def create(config, renderer):
        for settings, kind, parser in _kept:
            if kind is renderer and settings == config:
                return parser
        parser = original(config, renderer)
        if len(_kept) >= MAX_PARSERS:
            _kept.clear()
        _kept.append((config, renderer, parser))
        return parser

    return create


@contextlib.contextmanager
def kept_parsers() -> Iterator[None]:
    """Within the block, myst-nb's rendering of glued Markdown reuses its parsers."""
    from myst_nb.core import render

    original = render.create_md_parser
    render.create_md_parser = _kept_parser(original)
    try:
        yield
    finally:
        render.create_md_parser = original
