"""A Sphinx extension: the accessibility fixes an axe-core audit of the built site asks for,
made in the page's HTML so they hold without JavaScript.

- A code block wider than the page scrolls sideways; a keyboard user must be able to reach it,
  so every ``<pre>`` gets ``tabindex="0"`` (axe: scrollable-region-focusable).
- sphinxcontrib-bibtex marks its citation list ``role="list"`` although its entries are
  ``role="doc-biblioentry"``, which a list may not hold; the list role is dropped
  (axe: aria-required-children).
"""

from __future__ import annotations

import re

_PRE = re.compile(r"<pre(?![^>]*\btabindex=)(?=[\s>])")
_CITATION_LIST = '<div role="list" class="citation-list">'


def fix_body(body: str) -> str:
    """The page body with focusable code blocks and a citation list without a list role."""
    return _PRE.sub('<pre tabindex="0"', body).replace(_CITATION_LIST,
                                                        '<div class="citation-list">')


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    if "body" in context:
        context["body"] = fix_body(context["body"])


def setup(app) -> dict[str, object]:
    """Register with Sphinx."""
    app.connect("html-page-context", _on_page_context)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
