"""Governance: who performs and who funds R&D, the institutional setting partnerships work in."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .. import datasets, paths, regions
from ..figures import OKABE_ITO, FigureSpec
from ..regions import Region
from ..report import csv_table
from . import landscape

TABLE = paths.ROOT / "book" / "tables" / "governance-considerations.csv"
SECTORS = ["business", "government", "higher_education", "private_nonprofit"]
SECTOR_LABELS = {"business": "Business", "government": "Government",
                 "higher_education": "Higher education", "private_nonprofit": "Private non-profit"}
SECTOR_COLOURS = {"business": OKABE_ITO["blue"], "government": OKABE_ITO["orange"],
                  "higher_education": OKABE_ITO["green"],
                  "private_nonprofit": OKABE_ITO["purple"]}
MAX_BARS = 25


def performing_sectors() -> pd.DataFrame:
    """Share of GERD performed by each sector, one row per economy (NCSES, 2021 or latest)."""
    funding = datasets.load("rd_funding")
    perf = funding[funding["category"] == "performing_sector"]
    wide = perf.pivot(index=["iso3", "year"], columns="sector", values="value").reset_index()
    wide.columns.name = None
    wide = wide.dropna(subset=["business", "government", "higher_education"], how="all")
    wide["name"] = wide["iso3"].map(landscape.names())
    return wide.sort_values("business", ascending=False).reset_index(drop=True)


@dataclass
class Governance:
    """What the chapter shows for one region."""

    region: Region
    sectors: pd.DataFrame
    numbers: dict = field(default_factory=dict)


def analyse(region_name: str) -> Governance:
    """Performing-sector shares, world and region."""
    region = regions.resolve(region_name)
    sectors = performing_sectors().assign(
        in_region=lambda f: f["iso3"].isin(region.members))
    members = sectors[sectors["in_region"]]
    n = {"gov_economies": len(sectors),
         "gov_year_first": int(sectors["year"].min()), "gov_year_last": int(sectors["year"].max()),
         "gov_business_median": float(sectors["business"].median()),
         "gov_government_median": float(sectors["government"].median()),
         "gov_higher_median": float(sectors["higher_education"].median()),
         "gov_table": _table_markdown()}
    if members.empty:
        n["gov_region_sentence"] = (f"NCSES does not report R&D by performing sector for any "
                                    f"economy in {region.name}.")
    else:
        lead = members.iloc[0]
        n["gov_region_sentence"] = (
            f"{len(members)} economies of {region.name} are covered. Their median business share "
            f"of R&D performed is {members['business'].median():.1f}% and their median "
            f"government share {members['government'].median():.1f}%; {lead['name']} has the "
            f"largest business share ({lead['business']:.1f}%).")
    result = Governance(region, sectors)
    result.numbers = n
    return result


def _table_markdown() -> str:
    return csv_table(TABLE, {"consideration": "Consideration", "why_it_matters": "Why it matters"})


def figure(g: Governance):
    """Stacked bars: share of GERD performed by each sector, for the region's members or all."""
    import matplotlib.pyplot as plt

    data = g.sectors if g.region.is_world or not g.sectors["in_region"].any() else \
        g.sectors[g.sectors["in_region"]]
    data = data.head(MAX_BARS)
    spec = FigureSpec(
        id=f"governance-sectors-{g.region.slug}",
        title="Who performs R&D?",
        caption=("Share of gross domestic expenditure on R&D performed by each sector, for "
                 + ("the economies NCSES covers" if g.region.is_world else
                    f"the members of {g.region.name} that NCSES covers (all covered economies "
                    "when none is)")
                 + f", ordered by the business share (at most {MAX_BARS} economies)."),
        source=datasets.source_line("rd_funding"),
        data_years=f"{int(data['year'].min())}–{int(data['year'].max())} (2021 or latest)")
    fig, ax = plt.subplots(figsize=(7.5, max(2.5, 0.26 * len(data) + 1.2)))
    left = pd.Series(0.0, index=data.index)
    for sector in SECTORS:
        values = data[sector].fillna(0)
        ax.barh(data["name"], values, left=left, color=SECTOR_COLOURS[sector],
                label=SECTOR_LABELS[sector])
        left = left + values
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("Share of GERD performed (%)")
    ax.set_title(spec.title)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=4)
    return fig, spec, data[["iso3", "name", "year", *SECTORS, "in_region"]]
