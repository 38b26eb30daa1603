"""Interactive versions of the book's figures: plotly figures built from the same data frame as
the static ones, saved beside them as ``<id>.plotly.json`` and shown in the HTML offline.

Hover shows an economy's values and year, a search box finds and highlights an economy, and
legend entries toggle groups (``_static/scicollab-interactive.js``). plotly.js is served from
the site itself (:mod:`scicollab.vendor`); nothing is fetched from another host. Text from the
data (economy and region names) is escaped wherever it lands in HTML or in a ``<script>``.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from .figures import (
    CONTEXT_GREY,
    INCOME_COLOURS,
    OKABE_ITO,
    FigureSpec,
    income_colour,
    money,
    output_dir,
)
from .vendor import plotly_js

FONT = {"family": "DejaVu Sans, Verdana, Arial, sans-serif", "size": 13, "color": "#222222"}
SMALL = 12  # px: the smallest text of an interactive figure (ticks, legend)
HEIGHT = 460
INCOME_SYMBOLS = {"High income": "circle", "Upper middle income": "square",
                  "Lower middle income": "triangle-up", "Low income": "diamond",
                  "Not classified": "x"}
HELP = ("Hover over a {what} for its values; type an economy's name to find it; click a legend "
        "entry to hide or show that group.")


def layout(x_title: str, y_title: str, **extra) -> dict:
    """The house layout: fonts no smaller than 12 px, a legend below the plot, a white page.

    Give it to ``go.Figure(layout=...)``: plotly validates a layout passed to the constructor
    ten times faster than one applied with ``update_layout``."""
    # plotly's "simple_white" look, spelled out: a named template is deep-copied into every
    # figure and written into every page (about a tenth of a second and 10 kB each)
    axis = {"gridcolor": "#E5E5E5", "zeroline": False, "tickfont": {"size": SMALL},
            "title": {"font": {"size": 13}}, "automargin": True, "showline": True,
            "linecolor": "#444444", "ticks": "outside", "tickcolor": "#444444", "mirror": False,
            "showgrid": True}
    base = {
        "font": FONT, "height": HEIGHT, "autosize": True, "template": "none",
        "paper_bgcolor": "#FFFFFF", "plot_bgcolor": "#FFFFFF",
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "xaxis": {**axis, "title": {**axis["title"], "text": x_title}},
        "yaxis": {**axis, "title": {**axis["title"], "text": y_title}},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0,
                   "font": {"size": SMALL}, "title": {"text": ""}},
        "hoverlabel": {"font": {"size": 13}}, "hovermode": "closest", "dragmode": "zoom",
        "clickmode": "event",
    }
    for key, value in extra.items():
        base[key] = {**base.get(key, {}), **value} if isinstance(value, dict) else value
    return base


def _hover(columns: list[tuple[str, str]]) -> str:
    """A hovertemplate: the economy in bold, then one line per (label, format) of customdata."""
    lines = ["<b>%{customdata[0]}</b>"]
    lines += [f"{label}: %{{customdata[{i}]{fmt}}}" for i, (label, fmt)
              in enumerate(columns, start=1)]
    return "<br>".join(lines) + "<extra></extra>"


def scatter(data: pd.DataFrame, x: str, y: str, *, x_title: str, y_title: str,
            hover: list[tuple[str, str, str]], group: str | None = "income_group",
            highlight: bool = False, log_x: bool = False, log_y: bool = False,
            money_x: bool = False, percent_x: bool = False, percent_y: bool = False,
            fits: list[dict] | None = None, colours: dict[str, str] | None = None) -> go.Figure:
    """A scatter, one trace per group (legend toggles it), the economy's name and the ``hover``
    columns (column, label, d3 format) on hover; fitted lines with their bands behind."""
    lay = layout(x_title, y_title)
    if log_x or money_x:
        lay["xaxis"].update(type="log", dtick=1)  # powers of ten only: no small digit labels
    if money_x:
        powers = [10.0 ** k for k in range(0, 16)]
        lay["xaxis"].update(tickvals=powers, ticktext=[money(p) for p in powers])
    if log_y:
        lay["yaxis"].update(type="log", dtick=1)
    if percent_x:
        lay["xaxis"]["ticksuffix"] = "%"
    if percent_y:
        lay["yaxis"]["ticksuffix"] = "%"
    fig = go.Figure(layout=lay)
    for fit in fits or []:
        band = fit["band"]
        fig.add_trace(go.Scatter(
            x=list(band["x"]) + list(band["x"])[::-1],
            y=list(band["upper"]) + list(band["lower"])[::-1], fill="toself",
            fillcolor=_rgba(fit["colour"], 0.15), line={"width": 0}, hoverinfo="skip",
            name=f"{fit['label']} (band)", legendgroup=fit["label"], showlegend=False))
        fig.add_trace(go.Scatter(x=band["x"], y=band["fit"], mode="lines", name=fit["label"],
                                 legendgroup=fit["label"], hoverinfo="skip",
                                 line={"color": fit["colour"], "width": 2,
                                       "dash": fit.get("dash", "solid")}))
    custom = ["name", *[column for column, _, _ in hover]]
    template = _hover([(label, fmt) for _, label, fmt in hover])
    if highlight and "in_region" in data:
        context = data[~data["in_region"]]
        if len(context):
            fig.add_trace(go.Scatter(
                x=context[x], y=context[y], mode="markers", name="Other economies",
                customdata=context[custom].to_numpy(), hovertemplate=template,
                marker={"color": CONTEXT_GREY, "size": 8}))
        data = data[data["in_region"]]
    groups = ([g for g in (colours or INCOME_COLOURS) if g in set(data[group])]
              if group else [None])
    for name in groups:
        part = data if name is None else data[data[group] == name]
        if part.empty:
            continue
        colour = (colours or {}).get(name) or (income_colour(name) if group == "income_group"
                                               else OKABE_ITO["blue"])
        fig.add_trace(go.Scatter(
            x=part[x], y=part[y], mode="markers", name=name or "Economies",
            customdata=part[custom].to_numpy(), hovertemplate=template,
            marker={"color": colour, "size": 10 if highlight else 9,
                    "symbol": INCOME_SYMBOLS.get(name, "circle"),
                    "line": {"color": "#000000" if highlight else "#FFFFFF", "width": 1}}))
    return fig


def lines(data: pd.DataFrame, x: str, y: str, group: str, *, x_title: str, y_title: str,
          value: str = ",.0f", suffix: str = "", colours: dict[str, str] | None = None,
          percent_y: bool = False) -> go.Figure:
    """One line per group (legend toggles it); hover gives the group, the year and the value."""
    lay = layout(x_title, y_title, hovermode="closest")
    lay["yaxis"]["separatethousands"] = True
    if percent_y:
        lay["yaxis"]["ticksuffix"] = "%"
    fig = go.Figure(layout=lay)
    palette = [c for name, c in OKABE_ITO.items() if name != "yellow"]
    for i, (name, part) in enumerate(data.groupby(group, sort=False)):
        colour = (colours or {}).get(name, palette[i % len(palette)])
        fig.add_trace(go.Scatter(
            x=part[x], y=part[y], mode="lines+markers", name=str(name),
            customdata=[[str(name)]] * len(part), marker={"size": 5},
            line={"color": colour, "width": 2},
            hovertemplate=(f"<b>%{{customdata[0]}}</b><br>%{{x}}: %{{y:{value}}}{suffix}"
                           "<extra></extra>")))
    return fig


def _rgba(colour: str, alpha: float) -> str:
    colour = colour.lstrip("#")
    red, green, blue = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},{alpha})"


def to_json(fig: go.Figure) -> str:
    """The figure as JSON safe inside an HTML ``<script>``: ``<``, ``>`` and ``&`` are written
    as ``\\u003c``, ``\\u003e`` and ``\\u0026`` (JSON reads them back unchanged)."""
    import plotly.io as pio

    plain = json.loads(pio.to_json(fig, validate=False, engine="json"))  # NaN becomes null
    text = json.dumps(plain, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def block(spec: FigureSpec, figure_json: str) -> str:
    """The HTML of one interactive figure: its title, a search box, the plot and its data."""
    title = html.escape(spec.title)
    ident = html.escape(spec.id)
    traces = json.loads(figure_json).get("data", [])
    what = "country" if any(t.get("type") == "choropleth" for t in traces) else "point"
    return (
        f'<div class="sc-interactive" data-figure-id="{ident}">'
        f'<p class="sc-interactive-title">Explore: {title}</p>'
        f'<p class="sc-interactive-help">{html.escape(HELP.format(what=what))}</p>'
        f'<label class="sc-search">Find an economy '
        f'<input type="search" autocomplete="off" list="sc-names-{ident}" '
        f'aria-describedby="sc-status-{ident}"></label>'
        f'<datalist id="sc-names-{ident}"></datalist>'
        f'<span class="sc-status" id="sc-status-{ident}" role="status" aria-live="polite">'
        f'</span>'
        f'<div class="sc-plot" role="group" aria-label="Interactive version of: {title}">'
        f'</div>'
        f'<script type="application/json" class="sc-figure">{figure_json}</script>'
        f'<noscript>The interactive version needs JavaScript; the figure above shows the same '
        f'data.</noscript></div>')


def save(fig: go.Figure, spec: FigureSpec, directory: Path | None = None) -> Path:
    """Write ``<id>.plotly.json`` beside the static figure's files."""
    directory = Path(directory or output_dir())
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{spec.id}.plotly.json"
    document = {"id": spec.id, "title": spec.title, "caption": spec.full_caption,
                "figure": json.loads(to_json(fig))}
    path.write_text(json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1) + "\n",
                    encoding="utf-8")
    return path


def publish(key: str, fig: go.Figure, spec: FigureSpec) -> None:
    """Save an interactive figure and glue its HTML block under ``key``."""
    from IPython.display import HTML

    from .run_context import glue

    save(fig, spec)
    glue(key, HTML(block(spec, to_json(fig))))


def standalone_html(path: Path) -> str:
    """A saved ``<id>.plotly.json`` as one HTML file that works offline: plotly.js inlined,
    the country shapes (for maps) inlined, no request to any host."""
    from . import vendor

    document = json.loads(Path(path).read_text(encoding="utf-8"))
    spec = FigureSpec(document["id"], document["title"], "", "", "")
    figure_json = to_json(go.Figure(document["figure"]))
    shapes = ""
    if any(trace.get("type") == "choropleth" for trace in document["figure"].get("data", [])):
        folder = vendor.fetch_shapes()
        shapes = "".join(
            f'<script>window.PlotlyGeoAssets=window.PlotlyGeoAssets||{{topojson:{{}}}};'
            f'PlotlyGeoAssets.topojson["{name[:-5]}"]='
            f'{(folder / name).read_text(encoding="utf-8")};</script>'
            for name in vendor.SHAPES["files"])
    script = (Path(__file__).parent / "static" / "scicollab-interactive.js").read_text()
    style = (Path(__file__).parent / "static" / "scicollab-interactive.css").read_text() + (
        "body{font-family:" + FONT["family"] + ";max-width:60rem;margin:1rem auto;"
        "padding:0 1rem;line-height:1.5}")
    caption = html.escape(document["caption"])
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(document['title'])}</title><style>{style}</style>"
            f"<script>{plotly_js().read_text(encoding='utf-8')}</script>{shapes}</head>"
            f"<body><main>{block(spec, figure_json)}<p>{caption}</p></main>"
            f"<script>{script}</script></body></html>\n")
