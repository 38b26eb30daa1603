"""Innovation networks and alliances: North American links, and any region's internal links."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .. import datasets, paths, regions
from ..figures import OKABE_ITO, FigureSpec
from ..regions import Region
from ..report import csv_table
from . import landscape

TABLE = paths.ROOT / "book" / "tables" / "innovation_networks-initiatives.csv"
LINKS = {("CAN", "USA"): "United States – Canada", ("MEX", "USA"): "United States – Mexico",
         ("CAN", "MEX"): "Canada – Mexico"}


def north_american_links() -> pd.DataFrame:
    """Works co-authored within each USMCA pair, by year (OpenAlex)."""
    pairs = landscape.pairs()
    rows = []
    for (a, b), label in LINKS.items():
        part = pairs[(pairs["a"] == a) & (pairs["b"] == b)][["year", "works"]]
        rows.append(part.assign(a=a, b=b, link=label))
    return pd.concat(rows, ignore_index=True)


def ncses_links() -> pd.DataFrame:
    """Articles co-authored within each USMCA pair in NCSES's two years."""
    pairs = datasets.load("ncses_pairs")
    keys = pd.Series([LINKS.get((a, b)) for a, b in zip(pairs["a"], pairs["b"], strict=True)])
    found = pairs.assign(link=keys.to_numpy()).dropna(subset=["link"])
    return found.pivot(index="link", columns="year", values="articles").reset_index()


@dataclass
class Networks:
    """What the chapter shows for one region."""

    region: Region
    links: pd.DataFrame
    numbers: dict = field(default_factory=dict)


def analyse(region_name: str) -> Networks:
    """North American links over time, and the region's inside vs outside links."""
    region = regions.resolve(region_name)
    links = north_american_links()
    first, last = 2000, int(links["year"].max())
    growth = {}
    for label, part in links.groupby("link"):
        series = part.set_index("year")["works"]
        growth[label] = float(series.get(last, float("nan")) / series.get(first, float("nan")))
    ncses = ncses_links().set_index("link")
    n = {"net_first": first, "net_last": last,
         "net_us_can_growth": growth["United States – Canada"],
         "net_us_mex_growth": growth["United States – Mexico"],
         "net_can_mex_growth": growth["Canada – Mexico"],
         "net_us_can_last": _works(links, "United States – Canada", last),
         "net_us_mex_last": _works(links, "United States – Mexico", last),
         "net_ncses": "; ".join(f"{link}: {int(row[2003]):,} articles in 2003 and "
                                f"{int(row[2022]):,} in 2022" for link, row in ncses.iterrows()),
         "net_table": _table_markdown()}
    if region.is_world:
        n["net_region_sentence"] = ("For the world as a whole every link is internal; choose a "
                                    "region to see how much of its members' co-authorship stays "
                                    "inside it.")
    else:
        inside = landscape.inside_outside(landscape.pairs(), region.members, last)
        if inside.empty:
            n["net_region_sentence"] = (f"No co-authorship links were recorded for the economies "
                                        f"of {region.name} in {last}.")
        else:
            share = 100 * inside["inside"].sum() / inside["links"].sum()
            n["net_region_sentence"] = (
                f"In {last}, {share:.1f}% of the co-authorship links of {region.name}'s members "
                "were with other members; the rest were with partners elsewhere.")
    result = Networks(region, links)
    result.numbers = n
    return result


def _works(links: pd.DataFrame, label: str, year: int) -> str:
    found = links[(links["link"] == label) & (links["year"] == year)]["works"]
    return f"{int(found.iloc[0]):,}" if len(found) else "–"


def _table_markdown() -> str:
    return csv_table(TABLE, {
        "initiative": "Initiative",
        "countries": "Countries",
        "focus": "Focus",
        "started": "Since",
    })


def figure(n: Networks):
    """Works co-authored within the three USMCA pairs over time."""
    import matplotlib.pyplot as plt

    data = n.links
    spec = FigureSpec(
        id="innovation-networks-usmca",
        title="Research links inside North America",
        caption="Works with authors from both countries of each USMCA pair, by publication year.",
        source=datasets.source_line("openalex_pairs"),
        data_years=f"{int(data['year'].min())}–{int(data['year'].max())}")
    fig, ax = plt.subplots(figsize=(7.5, 4.0))
    colours = [OKABE_ITO["blue"], OKABE_ITO["green"], OKABE_ITO["orange"]]
    for colour, (label, part) in zip(colours, data.groupby("link", sort=False), strict=True):
        ax.plot(part["year"], part["works"], color=colour, linewidth=2, label=label)
    ax.set_ylabel("Co-authored works")
    ax.set_xlabel("Publication year")
    ax.set_title(spec.title)
    ax.legend(fontsize=8)
    return fig, spec, data[["a", "b", "link", "year", "works"]]
