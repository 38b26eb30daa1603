"""Funding: how much economies spend on R&D, how that moved, and how much comes from abroad."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .. import datasets, paths, regions
from ..figures import CONTEXT_GREY, OKABE_ITO, FigureSpec
from ..regions import Region
from ..report import csv_table
from . import landscape

TABLE = paths.ROOT / "book" / "tables" / "funding-sources.csv"
START = 2000


def sources_of_funds() -> pd.DataFrame:
    """Share of GERD by source of funds, one row per economy (NCSES, 2021 or latest)."""
    funding = datasets.load("rd_funding")
    funds = funding[funding["category"] == "source_of_funds"]
    wide = funds.pivot(index=["iso3", "year"], columns="sector", values="value").reset_index()
    wide.columns.name = None
    wide["name"] = wide["iso3"].map(landscape.names())
    return wide.sort_values("rest_of_the_world", ascending=False).reset_index(drop=True)


def gerd_trend(members: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Median GERD as % of GDP per year since START, over all economies or the given ones."""
    rd = datasets.load("rd_expenditure")
    rd = rd[rd["year"] >= START]
    if members is not None:
        rd = rd[rd["iso3"].isin(members)]
    return rd.groupby("year").agg(median=("gerd_pct_gdp", "median"),
                                  economies=("iso3", "nunique")).reset_index()


@dataclass
class Funding:
    """What the chapter shows for one region."""

    region: Region
    funds: pd.DataFrame
    numbers: dict = field(default_factory=dict)


def analyse(region_name: str) -> Funding:
    """Funding from abroad and the GERD trend, world and region."""
    region = regions.resolve(region_name)
    funds = sources_of_funds().assign(in_region=lambda f: f["iso3"].isin(region.members))
    abroad = funds.dropna(subset=["rest_of_the_world"])
    world = gerd_trend()
    recent = world[world["economies"] >= world["economies"].max() / 2]
    n = {"fund_economies": len(abroad),
         "fund_abroad_median": float(abroad["rest_of_the_world"].median()),
         "fund_abroad_top": abroad["name"].iloc[0],
         "fund_abroad_top_value": float(abroad["rest_of_the_world"].iloc[0]),
         "fund_business_median": float(funds["business"].median()),
         "fund_government_median": float(funds["government"].median()),
         "fund_start": int(recent["year"].iloc[0]), "fund_end": int(recent["year"].iloc[-1]),
         "fund_gerd_start": float(recent["median"].iloc[0]),
         "fund_gerd_end": float(recent["median"].iloc[-1]),
         "fund_table": _table_markdown()}
    members = abroad[abroad["in_region"]]
    trend = gerd_trend(region.members)
    if members.empty and trend.empty:
        n["fund_region_sentence"] = (f"Neither the World Bank nor NCSES reports R&D funding for "
                                     f"any economy in {region.name}.")
    else:
        parts = []
        if not trend.empty:
            last = trend.iloc[-1]
            parts.append(f"the median GERD of the {int(last['economies'])} members reporting "
                         f"in {int(last['year'])} was {last['median']:.2f}% of GDP")
        if not members.empty:
            parts.append(f"{len(members)} members report funding from abroad, a median of "
                         f"{members['rest_of_the_world'].median():.1f}% of their R&D")
        else:
            parts.append("NCSES reports no member's funding from abroad")
        n["fund_region_sentence"] = f"In {region.name}, " + "; ".join(parts) + "."
    result = Funding(region, funds)
    result.numbers = n
    return result


def _table_markdown() -> str:
    return csv_table(TABLE, {
        "funding_source": "Funding source",
        "role_in_partnerships": "Role in partnerships",
        "measured_here": "Measured here",
    })


def figure(f: Funding):
    """Share of GERD funded from abroad, economies NCSES covers, region members in colour."""
    import matplotlib.pyplot as plt

    data = f.funds.dropna(subset=["rest_of_the_world"])
    spec = FigureSpec(
        id=f"funding-abroad-{f.region.slug}",
        title="How much R&D is funded from abroad?",
        caption=("Share of gross domestic expenditure on R&D funded from the rest of the world "
                 "(foreign firms, governments, international organisations), for the economies "
                 "NCSES covers." + ("" if f.region.is_world else
                                    f" Members of {f.region.name} are in colour.")),
        source=datasets.source_line("rd_funding"),
        data_years=f"{int(data['year'].min())}–{int(data['year'].max())} (2021 or latest)")
    fig, ax = plt.subplots(figsize=(7.5, max(3.0, 0.2 * len(data) + 1)))
    colours = [OKABE_ITO["blue"] if (f.region.is_world or m) else CONTEXT_GREY
               for m in data["in_region"]]
    ax.barh(data["name"], data["rest_of_the_world"], color=colours)
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=7)
    ax.set_xlabel("Share of GERD funded from abroad (%)")
    ax.set_title(spec.title)
    columns = ["iso3", "name", "year", "in_region", "business", "government",
               "other_domestic", "rest_of_the_world"]
    return fig, spec, data[[c for c in columns if c in data.columns]]
