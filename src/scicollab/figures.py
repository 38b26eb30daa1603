"""One house style for every figure, and one way to save it: PNG, SVG and the CSV behind it."""

from __future__ import annotations

import json
import struct
from dataclasses import asdict, dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

# Okabe & Ito (2008), a palette readable with the common forms of colour blindness.
OKABE_ITO = {
    "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000",
    "grey": "#999999",
}
INCOME_COLOURS = {
    "High income": OKABE_ITO["blue"],
    "Upper middle income": OKABE_ITO["green"],
    "Lower middle income": OKABE_ITO["orange"],
    "Low income": OKABE_ITO["vermillion"],
    "Not classified": OKABE_ITO["grey"],
}
CONTEXT_GREY = "#C8C8C8"  # non-member economies, behind the highlighted region
GRID_GREY = "#E5E5E5"
HIGHLIGHT_EDGE = "#000000"

STYLE = {
    "figure.figsize": (7.5, 4.8),
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": GRID_GREY,
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "svg.hashsalt": "scicollab",
    "svg.fonttype": "path",
    "path.simplify": True,
}


def apply_style() -> None:
    """Set the house style for every figure made after this call."""
    plt.rcParams.update(STYLE)


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
    bbox = tight_bbox(fig)
    fig.savefig(files["png"], metadata={"Software": None}, bbox_inches=bbox)
    fig.savefig(files["svg"], metadata={"Date": None, "Creator": None}, bbox_inches=bbox)
    data.to_csv(files["csv"], index=False, lineterminator="\n")
    meta = {**asdict(spec), "full_caption": spec.full_caption, "alt": spec.alt}
    files["json"].write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return files


def tight_bbox(fig: plt.Figure):
    """The figure's tight bounding box (inches, padded), measured once at the PNG resolution.

    Passing it to both ``savefig`` calls crops the PNG and the SVG alike and spares each the
    extra layout pass that ``bbox_inches="tight"`` makes.
    """
    dpi = plt.rcParams["savefig.dpi"]
    original = fig.dpi
    fig.set_dpi(dpi)
    try:
        bbox = fig.get_tightbbox(fig.canvas.get_renderer())
    finally:
        fig.set_dpi(original)
    return bbox.padded(plt.rcParams["savefig.pad_inches"])


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
    """Points coloured by income group; with ``highlight``, non-members in grey, members outlined
    and labelled by ISO3 code (when there are few enough to read)."""
    groups = [g for g in INCOME_COLOURS if g in set(data["income_group"])]
    if highlight:
        context = data[~data["in_region"]]
        ax.scatter(context[x], context[y], s=18, color=CONTEXT_GREY, linewidth=0,
                   label="Other economies", zorder=2)
        data = data[data["in_region"]]
    for group in groups:
        part = data[data["income_group"] == group]
        if len(part):
            ax.scatter(part[x], part[y], s=30 if highlight else 22, color=income_colour(group),
                       edgecolor=HIGHLIGHT_EDGE if highlight else "white",
                       linewidth=0.8 if highlight else 0.4, label=group, zorder=3)
    if highlight and len(data) <= 25:
        for _, row in data.iterrows():
            ax.annotate(row["iso3"], (row[x], row[y]), xytext=(3, 3),
                        textcoords="offset points", fontsize=7, zorder=4)


def add_band(ax: plt.Axes, band: pd.DataFrame, colour: str, label: str,
             transform_x=None) -> None:
    """A fitted line with its shaded confidence band."""
    xs = band["x"] if transform_x is None else transform_x(band["x"])
    ax.fill_between(xs, band["lower"], band["upper"], color=colour, alpha=0.15, linewidth=0,
                    zorder=1)
    ax.plot(xs, band["fit"], color=colour, linewidth=1.8, label=label, zorder=2)
