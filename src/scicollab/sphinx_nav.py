"""A Sphinx extension: a page's sidebar navigation is made once per process for each book
outline, not once per page of every build.

The theme makes each page's left navigation from Sphinx's table of contents (resolved for the
page, rendered to HTML, then parsed and rewritten with BeautifulSoup): about a tenth of an
edition's HTML build. Editions share their outline (the same pages, titles and order), so a
worker building edition after edition made the same navigation for each page again. This
extension keeps the navigation the theme made for a page under the page's name, its arguments
and the book's outline: the whole table of contents, rendered for the root page once per build.
A page with the same name, arguments and outline gets the same navigation, which depends on
nothing else: its links are relative to the page, and its marks show where the page is in
the outline. Only the expanded navigation is kept (``collapse`` false, as this book's theme
has it); a collapsed one also depends on which branch is open, and is made each time.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict

KEPT = 4096  # navigations remembered per process (an edition has about 30 pages)
_kept: OrderedDict[tuple, str] = OrderedDict()
_outlines: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # per build: by arguments


def outline(app, arguments: dict) -> str:
    """The book's whole table of contents for ``arguments`` (the theme's, but for the page):
    rendered for the root page, once per build."""
    from sphinx.environment.adapters.toctree import global_toctree_for_doc

    per_build = _outlines.setdefault(app.builder, {})
    key = tuple(sorted(arguments.items()))
    if key not in per_build:
        tree = global_toctree_for_doc(app.env, app.config.root_doc, app.builder,
                                      **{"includehidden": False, **arguments})
        per_build[key] = "" if tree is None else app.builder.render_partial(tree)["fragment"]
    return per_build[key]


def _on_page_context(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    made = context.get("generate_toctree_html")
    if made is None:
        return

    def generate(kind: str, startdepth: int = 1, show_nav_level: int = 1, **arguments):
        if kind != "sidebar" or startdepth != 0 or arguments.get("collapse", True) is not False \
                or arguments.get("maxdepth") == "":
            return made(kind, startdepth, show_nav_level, **arguments)
        key = (outline(app, arguments), pagename, show_nav_level,
               tuple(sorted(arguments.items())))
        html = _kept.get(key)
        if html is None:
            html = _kept[key] = str(made(kind, startdepth, show_nav_level, **arguments))
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
        else:
            _kept.move_to_end(key)
        return html

    context["generate_toctree_html"] = generate


def setup(app) -> dict[str, object]:
    """Register with Sphinx: after the theme has given each page its navigation function."""
    app.connect("html-page-context", _on_page_context, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
