"""One house style for every figure, and one way to save it: PNG, SVG and the CSV behind it."""

from __future__ import annotations

import io
import itertools
import json
import struct
from dataclasses import asdict, dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib import ticker
from matplotlib.backends.backend_agg import FigureCanvasAgg

from . import agg_text, drawings, rendering, svg_files, text_fonts

# Okabe & Ito (2008), a palette readable with the common forms of colour blindness.
OKABE_ITO = {
    "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000",
    "grey": "#999999",
}
# High income in gold (Okabe–Ito orange), as in the policy report's Figure 3; each group has its
# own marker too, so no group is told apart by colour alone.
INCOME_COLOURS = {
    "High income": OKABE_ITO["orange"],
    "Upper middle income": OKABE_ITO["blue"],
    "Lower middle income": OKABE_ITO["green"],
    "Low income": OKABE_ITO["vermillion"],
    "Not classified": OKABE_ITO["grey"],
}
INCOME_MARKERS = {
    "High income": "o", "Upper middle income": "s", "Lower middle income": "^",
    "Low income": "D", "Not classified": "X",
}
CONTEXT_GREY = "#C8C8C8"  # non-member economies, behind the highlighted region
GRID_GREY = "#E5E5E5"
HIGHLIGHT_EDGE = "#000000"
MAX_LABELS = 14  # economies named in one scatter: more would crowd it
PALETTE_MAX_DPI = 200  # PNGs at up to this resolution are stored with a palette
MIN_FONT_PT = 8  # no text smaller: 8 pt is 11 CSS px at the page's 100 px per inch

STYLE = {
    "figure.figsize": (7.5, 4.8),
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    # titles at the top of their axes: matplotlib's automatic placement measures every axis's
    # ticks once more per drawing (8% of rendering) to lift a title above tick labels drawn
    # on top, and no chart of the book draws any there
    "axes.titley": 1.0,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.title_fontsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": GRID_GREY,
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "svg.hashsalt": "scicollab",
    # SVG text stays text: smaller files, faster to write, and editable in a brief; a viewer
    # without DejaVu Sans shows another sans-serif
    "svg.fonttype": "none",
    "path.simplify": True,
    # glyphs drawn from their outlines, not fitted to the pixel grid by the font's hinter: a
    # sixth less time to render a chapter's figures (the hinter ran for every text, in the
    # PNG's drawing and again when the SVG's texts were measured), and on screen, where the
    # PNG is shown scaled down from print density, no sharper with it
    "text.hinting": "no_hinting",
}


def apply_style() -> None:
    """Set the house theme (seaborn's, the Okabe–Ito palette, the house settings) for every
    figure made after this call, whose texts are measured once per process
    (:func:`rendering.share_text_metrics`), whose fonts are looked up once per process
    (:func:`text_fonts.install`) and which are laid out once per process for drawing
    (:func:`agg_text.install`)."""
    rendering.share_text_metrics()
    text_fonts.install()
    agg_text.install()
    sns.set_theme(context="notebook", style="whitegrid", palette=list(OKABE_ITO.values()),
                  rc=STYLE)


@dataclass(frozen=True)
class FigureSpec:
    """A figure's stable id, its caption, and where its data come from."""

    id: str
    title: str
    caption: str
    source: str
    data_years: str

    @property
    def full_caption(self) -> str:
        """Caption with source and data years, as it appears under the figure."""
        return f"{self.caption} Source: {self.source}. Data: {self.data_years}."

    @property
    def alt(self) -> str:
        """Alt text for screen readers, derived from the caption."""
        return f"{self.title}. {self.caption}"


def output_dir() -> Path:
    """Where figure files go: the chapter run's folder (see :mod:`scicollab.run_context`), else
    the project's _build/figures."""
    from .run_context import figures_dir

    return figures_dir()


def save(fig: plt.Figure, spec: FigureSpec, data: pd.DataFrame,
         directory: Path | None = None) -> dict[str, Path]:
    """Write <id>.png, <id>.svg, <id>.csv and <id>.json (caption, source, alt) deterministically."""
    directory = Path(directory or output_dir())
    directory.mkdir(parents=True, exist_ok=True)
    files = {kind: directory / f"{spec.id}.{kind}" for kind in ("png", "svg", "csv", "json")}
    # each file carries its figure's id: two figures drawn alike (an economy's chart drawn as
    # the world's) stay two files, and a file names its figure wherever it is pasted
    png, svg, smallest = drawings.rendered(fig, spec.id, lambda: _render(fig, spec.id))
    files["png"].write_bytes(png)
    files["svg"].write_text(svg, encoding="utf-8")
    data.to_csv(files["csv"], index=False, lineterminator="\n")
    meta = {**asdict(spec), "full_caption": spec.full_caption, "alt": spec.alt,
            "smallest_font_pt": smallest}
    files["json"].write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return files


def _render(fig: plt.Figure, title: str) -> tuple[bytes, str, float]:
    """The figure drawn as PNG and SVG (cropped alike), each titled ``title``, and the size in
    points of the smallest text drawn in the PNG."""
    if not hasattr(fig.canvas, "get_renderer"):
        # a figure closed after an earlier save (one drawn once per process and reused, as the
        # GERD calibration) has lost its canvas: give it one to draw on again
        FigureCanvasAgg(fig)
    with rendering.laid_out_once(fig):
        with rendering.drawn_text_sizes() as sizes:
            image, bbox = rendering.render(fig)
        svg = io.BytesIO()
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None, "Title": title},
                    bbox_inches=bbox)
    png = io.BytesIO()
    write_png(image, png, title)
    text = svg_files.house(svg.getvalue().decode("utf-8"),
                           screen=plt.rcParams["savefig.dpi"] <= PALETTE_MAX_DPI)
    return png.getvalue(), text, min(sizes, default=float(plt.rcParams["font.size"]))


def write_png(image, path: Path | io.BytesIO, title: str) -> None:
    """Write a rendered figure as PNG with its resolution and its id as title. Up to screen
    resolution (:data:`PALETTE_MAX_DPI`) the colours become a 256-colour palette without
    dithering: a chart has few colours, and the file is about a quarter of the size; print
    resolution keeps full colour."""
    from PIL import PngImagePlugin

    dpi = plt.rcParams["savefig.dpi"]
    info = PngImagePlugin.PngInfo()
    info.add_text("Title", title)
    if dpi <= PALETTE_MAX_DPI:
        image = rendering.palette(image.convert("RGB"))
    image.save(path, format="png", pnginfo=info, dpi=(dpi, dpi))


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels of PNG data (from its IHDR header)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not PNG data")
    return struct.unpack(">II", data[16:24])


def page_image(png: Path):
    """A saved PNG as an IPython image shown at screen size (``figure.dpi``), sharp on
    high-density screens because it is stored at ``savefig.dpi``.

    Only the width is set: the height follows, so a narrow (phone) screen that shrinks the
    width keeps the figure in proportion."""
    from IPython.display import Image

    data = Path(png).read_bytes()
    width, _ = png_size(data)
    scale = plt.rcParams["figure.dpi"] / plt.rcParams["savefig.dpi"]
    return Image(data=data, format="png", width=round(width * scale))


def income_colour(group: str) -> str:
    """The colour of a World Bank income group ('' counts as not classified)."""
    return INCOME_COLOURS.get(group or "Not classified", INCOME_COLOURS["Not classified"])


def scatter_by_income(ax: plt.Axes, data: pd.DataFrame, x: str, y: str,
                      highlight: bool) -> None:
    """Points coloured and shaped by income group (seaborn); with ``highlight``, non-members in
    grey behind and members outlined. Label the axes first (see :func:`lines`)."""
    if highlight:
        context = data[~data["in_region"]]
        if len(context):
            sns.scatterplot(data=context, x=x, y=y, color=CONTEXT_GREY, s=18, linewidth=0,
                            marker="o", label="Other economies", ax=ax, zorder=2)
        data = data[data["in_region"]]
    groups = [g for g in INCOME_COLOURS if g in set(data["income_group"])]
    if len(data):
        sns.scatterplot(data=data, x=x, y=y, hue="income_group", style="income_group",
                        hue_order=groups, style_order=groups, palette=INCOME_COLOURS,
                        markers=INCOME_MARKERS, s=40 if highlight else 32,
                        edgecolor=HIGHLIGHT_EDGE if highlight else "white",
                        linewidth=0.8 if highlight else 0.4, ax=ax, zorder=3)


def add_band(ax: plt.Axes, band: pd.DataFrame, colour: str, label: str,
             transform_x=None) -> None:
    """A fitted line with its shaded confidence band (from a ``models`` fit's ``band``)."""
    xs = band["x"] if transform_x is None else transform_x(band["x"])
    ax.fill_between(xs, band["lower"], band["upper"], color=colour, alpha=0.15, linewidth=0,
                    zorder=1)
    ax.plot(xs, band["fit"], color=colour, linewidth=1.8, label=label, zorder=2)


def outliers(data: pd.DataFrame, x: str, y: str, k: int = 3,
             log_x: bool = False) -> list[str]:
    """The ISO3 codes of the ``k`` economies farthest from the middle of the cloud (distance
    from the medians in interquartile ranges, on both axes)."""
    if len(data) == 0:
        return []
    xs = np.log10(data[x]) if log_x else data[x]
    distance = 0
    for values in (xs, data[y]):
        spread = values.quantile(0.75) - values.quantile(0.25) or 1.0
        distance = distance + ((values - values.median()) / spread) ** 2
    return list(data.assign(_d=distance).nlargest(k, "_d")["iso3"])


def pick_labels(data: pd.DataFrame, *, size: str | None = None, top: int = 6,
                extra=(), highlight: bool = False, limit: int = MAX_LABELS) -> pd.DataFrame:
    """The rows of a scatter to name: the region's members (largest first) when ``highlight``,
    otherwise the ``top`` largest by ``size``; with the economies in ``extra`` (ISO3: the
    influential ones, clear outliers) first; at most ``limit``."""
    pool = data[data["in_region"]] if highlight and "in_region" in data else data
    ordered = pool.sort_values(size, ascending=False, kind="mergesort") if size else pool
    first = [code for code in extra if code in set(pool["iso3"])]
    rest = [code for code in ordered["iso3"] if code not in first]
    chosen = first + (rest if highlight else rest[:top])
    chosen = list(dict.fromkeys(chosen))[:limit]
    return pool[pool["iso3"].isin(chosen)]


def label_line_ends(ax: plt.Axes, ends: pd.DataFrame, x: str, y: str, label: str,
                    colours: dict[str, str], fontsize: float = 9) -> None:
    """Name each line at its last point, spread vertically where lines converge so no two
    names overlap (a replacement for the legend)."""
    if ends.empty:
        return
    fig = ax.figure
    ax.autoscale_view()  # the limits as drawn: places are measured in pixels
    to_pixels = ax.transData.transform
    points = to_pixels(np.column_stack([ends[x].to_numpy(float), ends[y].to_numpy(float)]))
    gap = fontsize * 1.25 * fig.dpi / 72
    order = np.argsort(points[:, 1])
    placed = points[:, 1].copy()
    for previous, current in itertools.pairwise(order):
        placed[current] = max(placed[current], placed[previous] + gap)
    for i in order:
        ax.annotate(str(ends[label].iloc[i]), (ends[x].iloc[i], ends[y].iloc[i]),
                    xytext=(6, (placed[i] - points[i, 1]) * 72 / fig.dpi),
                    textcoords="offset points", va="center", fontsize=fontsize,
                    color=colours.get(ends[label].iloc[i], OKABE_ITO["black"]),
                    annotation_clip=False)


def heatmap(ax: plt.Axes, frame: pd.DataFrame, cmap, vmin: float, vmax: float, *,
            annotate: str = "", fontsize: float = 8, gap: float = 0.0, labels: bool = True,
            rasterized: bool = False) -> None:
    """A grid of cells, one per value of ``frame`` (rows top to bottom), missing values left
    blank: seaborn's heatmap look (cells as one mesh, white gaps of ``gap`` points, no spines
    or grid lines), drawn directly. Seaborn's own heatmap draws the whole figure once more to
    see whether its tick labels overlap, which here, with labels set by the chapter, only
    costs time.

    ``annotate`` is a format for the value printed in each cell (e.g. ``"{:.0f}"``), dark on
    light cells and white on dark ones; ``labels`` puts the rows' and columns' names as ticks."""
    from seaborn.utils import relative_luminance

    values = np.ma.masked_invalid(frame.to_numpy(dtype=float))
    mesh = ax.pcolormesh(values, cmap=cmap, vmin=vmin, vmax=vmax, linewidth=gap,
                         edgecolor="white", rasterized=rasterized)
    ax.set(xlim=(0, values.shape[1]), ylim=(values.shape[0], 0))
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if labels:
        ax.set_xticks(np.arange(values.shape[1]) + 0.5, [str(c) for c in frame.columns])
        ax.set_yticks(np.arange(values.shape[0]) + 0.5, [str(r) for r in frame.index],
                      va="center")
    else:
        ax.set(xticks=[], yticks=[])
    if annotate:
        colours = mesh.to_rgba(values)
        for (row, column), value in np.ndenumerate(values.filled(np.nan)):
            if np.isfinite(value):
                light = relative_luminance(colours[row, column]) > 0.408
                ax.text(column + 0.5, row + 0.5, annotate.format(value), ha="center",
                        va="center", fontsize=fontsize, color=".15" if light else "white")


def money(value: float, _position=None) -> str:
    """US dollars as an axis tick says them: $1M, $250M, $1B, $1.5T."""
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= scale:
            return f"${value / scale:,.3g}{suffix}"
    return f"${value:z,.0f}"


def log_axis(ax: plt.Axes, axis: str, formatter: ticker.Formatter,
             subs: tuple[float, ...] = (1.0,)) -> None:
    """A log axis ticked at ``subs`` times each power of ten, labelled by ``formatter``, without
    minor ticks: the house style draws no tick marks, minor grid lines or minor labels, so they
    would only be laid out, dozens per axis, every time the figure is drawn."""
    getattr(ax, f"set_{axis}scale")("log")
    target = getattr(ax, f"{axis}axis")
    target.set_major_locator(ticker.LogLocator(base=10, subs=subs))
    target.set_major_formatter(formatter)
    target.set_minor_locator(ticker.NullLocator())


def money_axis(ax: plt.Axes, axis: str = "x") -> None:
    """A log axis of US dollars ticked $1M, $1B, $1T (powers of ten)."""
    log_axis(ax, axis, ticker.FuncFormatter(money))


def percent_axis(ax: plt.Axes, axis: str = "y", decimals: int = 0) -> None:
    """An axis of percentages (values 0–100) ticked 20%, 40%, …"""
    getattr(ax, f"{axis}axis").set_major_formatter(
        ticker.PercentFormatter(xmax=100, decimals=decimals))


def thousands_axis(ax: plt.Axes, axis: str = "y") -> None:
    """An axis of counts with thousands separators: 10,000."""
    getattr(ax, f"{axis}axis").set_major_formatter(ticker.StrMethodFormatter("{x:z,.0f}"))


def lines(ax: plt.Axes, data: pd.DataFrame, x: str, y: str, group: str,
          colours: dict[str, str] | None = None) -> dict[str, str]:
    """One line per group (seaborn), each named at its end instead of a legend; the colours.

    Label the axes first: seaborn labels an unlabelled axis, after making its tick labels to
    see whether any shows (about 10 ms a chart)."""
    order = list(dict.fromkeys(data[group]))
    palette = [c for name, c in OKABE_ITO.items() if name != "yellow"]  # yellow text is faint
    colours = colours or {name: palette[i % len(palette)] for i, name in enumerate(order)}
    if data.empty:
        return colours
    sns.lineplot(data=data, x=x, y=y, hue=group, hue_order=order, palette=colours,
                 estimator=None, errorbar=None, linewidth=2, legend=False, ax=ax)
    ends = data.sort_values(x).groupby(group, sort=False).tail(1)
    label_line_ends(ax, ends, x, y, group, colours)
    return colours
