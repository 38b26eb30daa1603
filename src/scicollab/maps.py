"""World maps: choropleths of a value or a category per economy, static (matplotlib) and
interactive (plotly), from Natural Earth's country shapes (:mod:`scicollab.vendor`).

Both use the Natural Earth projection. A shape is joined to the data by its ISO 3166 alpha-3
code; areas Natural Earth draws without such a code (disputed or partly recognised areas) are
drawn as land with no value, and economies too small for the 1:110m shapes appear only in the
interactive maps (1:50m) and in the CSV.
"""

from __future__ import annotations

import json
from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from matplotlib.collections import PathCollection
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.path import Path as MplPath

from . import interactive, vendor
from .figures import CONTEXT_GREY, GRID_GREY, HIGHLIGHT_EDGE, OKABE_ITO

NO_DATA = GRID_GREY  # land without a value
SEQUENTIAL = ("#DCEBF5", OKABE_ITO["blue"])  # pale to the palette's blue
CATEGORY_COLOURS = [OKABE_ITO[c] for c in ("blue", "orange", "green", "vermillion", "purple",
                                           "sky", "yellow")]
LAT_RANGE = (-58, 84)  # Antarctica is left out


def natural_earth(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """The Natural Earth projection (Šavrič et al. 2011) of degrees east and north."""
    lam, phi = np.radians(np.asarray(lon, float)), np.radians(np.asarray(lat, float))
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return x, y


def _arcs(topology: dict) -> list[np.ndarray]:
    """The topology's arcs as arrays of (lon, lat), undoing quantisation and delta coding."""
    scale = np.array(topology["transform"]["scale"])
    translate = np.array(topology["transform"]["translate"])
    return [np.cumsum(np.array(arc, float), axis=0) * scale + translate
            for arc in topology["arcs"]]


def _ring(arcs: list[np.ndarray], indices: list[int]) -> np.ndarray:
    parts = []
    for k, index in enumerate(indices):
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        parts.append(arc if k == 0 else arc[1:])
    return np.concatenate(parts)


def _split_at_antimeridian(ring: np.ndarray) -> list[np.ndarray]:
    """A ring that runs along the 180° meridian (Fiji, Chukotka) as an eastern and a western
    ring, each held to its own side, so no edge crosses the whole map."""
    if not np.any(np.abs(np.diff(ring[:, 0])) > 180):
        return [ring]
    east, west = ring.copy(), ring.copy()
    east[east[:, 0] < 0, 0] = 180.0
    west[west[:, 0] > 0, 0] = -180.0
    return [east, west]


@lru_cache(maxsize=2)
def shapes(resolution: int = 110) -> tuple[dict[str, list[np.ndarray]], list[np.ndarray]]:
    """Country rings by ISO3 code, and the rings of areas drawn without a code, in degrees."""
    path = vendor.fetch_shapes() / f"world_{resolution}m.json"
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs = _arcs(topology)
    coded: dict[str, list[np.ndarray]] = {}
    uncoded: list[np.ndarray] = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = {"Polygon": [geometry.get("arcs", [])],
                    "MultiPolygon": geometry.get("arcs", [])}.get(geometry["type"], [])
        rings = [part for polygon in polygons for ring in polygon if ring
                 for part in _split_at_antimeridian(_ring(arcs, ring))]
        code = geometry.get("id")
        if code == "ATA":
            continue
        (coded.setdefault(code, []) if code else uncoded).extend(rings)
    return coded, uncoded


def _path(rings: list[np.ndarray]) -> MplPath:
    vertices, codes = [], []
    for ring in rings:
        x, y = natural_earth(ring[:, 0], ring[:, 1])
        vertices.append(np.column_stack([x, y]))
        codes.append([MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 2) + [MplPath.CLOSEPOLY])
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def draw(ax: plt.Axes, colours: dict[str, str], members: tuple[str, ...] = ()) -> None:
    """Fill every country with its colour (``NO_DATA`` when it has none); with ``members``,
    outline them and frame the map on them."""
    coded, uncoded = shapes(110)
    paths, faces = [], []
    for code, rings in sorted(coded.items()):
        paths.append(_path(rings))
        faces.append(colours.get(code, NO_DATA))
    paths += [_path([ring]) for ring in uncoded]
    faces += [NO_DATA] * len(uncoded)
    # the filled shapes are drawn as an image inside the SVG (at the file's resolution: print
    # resolution in brief packs); the frame, labels and legend stay vector and text
    ax.add_collection(PathCollection(paths, facecolors=faces, edgecolors="#FFFFFF",
                                     linewidths=0.3, rasterized=True))
    framed = [coded[c] for c in members if c in coded]
    if framed:
        ax.add_collection(PathCollection([_path(r) for r in framed], facecolors="none",
                                         edgecolors=HIGHLIGHT_EDGE, linewidths=0.9))
    _frame(ax, [ring for rings in framed for ring in rings])


def _frame(ax: plt.Axes, rings: list[np.ndarray]) -> None:
    if rings:
        points = np.concatenate(rings)
        west, east = points[:, 0].min(), points[:, 0].max()
        south, north = points[:, 1].min(), points[:, 1].max()
        pad_lon, pad_lat = max(8, 0.15 * (east - west)), max(6, 0.15 * (north - south))
        lon = [max(-180, west - pad_lon), min(180, east + pad_lon)]
        lat = [max(LAT_RANGE[0], south - pad_lat), min(LAT_RANGE[1], north + pad_lat)]
    else:
        lon, lat = [-180, 180], list(LAT_RANGE)
    xs, _ = natural_earth(lon, [0, 0])
    _, ys = natural_earth([0, 0], lat)
    ax.set_xlim(*xs)
    ax.set_ylim(*ys)
    ax.set_aspect("equal")
    ax.set_axis_off()


def value_colours(values: pd.Series, low: float, high: float) -> tuple[dict[str, str], object]:
    """Colour per ISO3 on the sequential scale from ``low`` to ``high``; the colour map."""
    from matplotlib.colors import to_hex

    cmap = LinearSegmentedColormap.from_list("scicollab", list(SEQUENTIAL))
    norm = Normalize(low, high)
    return {code: to_hex(cmap(norm(v))) for code, v in values.dropna().items()}, (cmap, norm)


def static_value_map(data: pd.DataFrame, value: str, title: str, label: str,
                     members: tuple[str, ...] = (), percent: bool = True) -> plt.Figure:
    """A static choropleth of ``value`` (indexed by ``iso3``) with its colour bar."""
    values = data.set_index("iso3")[value]
    low, high = 0.0, float(np.nanmax(values.to_numpy(float))) if len(values) else 1.0
    colours, (cmap, norm) = value_colours(values, low, high)
    fig, ax = plt.subplots(figsize=(7.5, 4.3))
    draw(ax, colours, members)
    bar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, orientation="horizontal",
                       fraction=0.05, pad=0.02, aspect=40, shrink=0.7)
    bar.set_label(label)
    if percent:
        from matplotlib.ticker import PercentFormatter

        bar.ax.xaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
    _legend_no_data(bar.ax, members)
    ax.set_title(title)
    return fig


def static_category_map(data: pd.DataFrame, category: str, order: list[str], title: str,
                        members: tuple[str, ...] = (),
                        colours: dict[str, str] | None = None) -> plt.Figure:
    """A static choropleth of a category per economy, with a legend in ``order``."""
    from matplotlib.patches import Patch

    colours = colours or category_colours(order)
    fills = {row.iso3: colours[getattr(row, category)] for row in data.itertuples()
             if getattr(row, category) in colours}
    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    draw(ax, fills, members)
    handles = [Patch(color=colours[c], label=c) for c in order if c in colours]
    handles.append(Patch(color=NO_DATA, label="No data"))
    if members:
        handles.append(Patch(facecolor="none", edgecolor=HIGHLIGHT_EDGE, label="Region member"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0),
              ncol=min(4, len(handles)), frameon=False)
    ax.set_title(title)
    return fig


def _legend_no_data(bar: plt.Axes, members: tuple[str, ...]) -> None:
    """'No data' (and 'Region member') beside the colour bar ``bar``: off the map, where a
    legend would cover the shapes of a region drawn close up."""
    from matplotlib.patches import Patch

    handles = [Patch(color=NO_DATA, label="No data")]
    if members:
        handles.append(Patch(facecolor="none", edgecolor=HIGHLIGHT_EDGE, label="Region member"))
    bar.legend(handles=handles, loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False,
               borderaxespad=0)


def category_colours(order: list[str]) -> dict[str, str]:
    """One palette colour per category, in order (the last ones share grey if there are many)."""
    return {c: CATEGORY_COLOURS[i] if i < len(CATEGORY_COLOURS) else CONTEXT_GREY
            for i, c in enumerate(order)}


def _geo(members: tuple[str, ...]) -> dict:
    geo = {"projection": {"type": "natural earth"}, "showframe": False, "showcoastlines": False,
           "showland": True, "landcolor": NO_DATA, "showcountries": True,
           "countrycolor": "#FFFFFF", "countrywidth": 0.4, "resolution": 50,
           "lataxis": {"range": list(LAT_RANGE)}, "bgcolor": "rgba(0,0,0,0)"}
    coded, _ = shapes(110)
    rings = [ring for c in members if c in coded for ring in coded[c]]
    if rings:
        points = np.concatenate(rings)
        pad = 6
        geo["lonaxis"] = {"range": [max(-180, float(points[:, 0].min()) - pad),
                                    min(180, float(points[:, 0].max()) + pad)]}
        geo["lataxis"] = {"range": [max(LAT_RANGE[0], float(points[:, 1].min()) - pad),
                                    min(LAT_RANGE[1], float(points[:, 1].max()) + pad)]}
    return geo


def _members_outline(fig: go.Figure, members: tuple[str, ...]) -> None:
    if members:
        fig.add_trace(go.Choropleth(
            locations=list(members), z=[1] * len(members), locationmode="ISO-3",
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
            marker={"line": {"color": HIGHLIGHT_EDGE, "width": 1.6}}, hoverinfo="skip",
            name="Region member", showlegend=False))


def interactive_value_map(data: pd.DataFrame, value: str, label: str,
                          hover: list[tuple[str, str, str]], members: tuple[str, ...] = (),
                          suffix: str = "%") -> go.Figure:
    """A plotly choropleth of ``value``: hover gives the economy, the value and its year."""
    custom = ["name", *[column for column, _, _ in hover]]
    fig = go.Figure(layout=interactive.layout("", "", geo=_geo(members), height=440))
    fig.add_trace(go.Choropleth(
        locations=data["iso3"], z=data[value], locationmode="ISO-3", name=label,
        customdata=data[custom].to_numpy(), zmin=0,
        colorscale=[[0, SEQUENTIAL[0]], [1, SEQUENTIAL[1]]],
        marker={"line": {"color": "#FFFFFF", "width": 0.4}},
        colorbar={"title": {"text": label, "side": "top"}, "orientation": "h", "y": -0.02,
                  "yanchor": "top", "thickness": 12, "len": 0.8, "ticksuffix": suffix,
                  "tickfont": {"size": interactive.SMALL}},
        hovertemplate=interactive._hover([(lab, fmt) for _, lab, fmt in hover])))
    _members_outline(fig, members)
    return fig


def interactive_category_map(data: pd.DataFrame, category: str, order: list[str],
                             hover: list[tuple[str, str, str]],
                             members: tuple[str, ...] = (),
                             colours: dict[str, str] | None = None) -> go.Figure:
    """A plotly choropleth with one trace per category (its legend entry toggles it)."""
    colours = colours or category_colours(order)
    custom = ["name", *[column for column, _, _ in hover]]
    template = interactive._hover([(lab, fmt) for _, lab, fmt in hover])
    fig = go.Figure(layout=interactive.layout("", "", geo=_geo(members), height=460,
                                              legend={"y": 0.0}))
    for name in order:
        part = data[data[category] == name]
        if part.empty:
            continue
        colour = colours.get(name, CONTEXT_GREY)
        fig.add_trace(go.Choropleth(
            locations=part["iso3"], z=[1] * len(part), locationmode="ISO-3", name=name,
            customdata=part[custom].to_numpy(), showscale=False, showlegend=True,
            colorscale=[[0, colour], [1, colour]], hovertemplate=template,
            marker={"line": {"color": "#FFFFFF", "width": 0.4}}))
    _members_outline(fig, members)
    return fig
