"""Opportunities: which economies gain most from collaboration and are most exposed to reliance."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .. import paths, regions
from ..regions import Region
from ..report import csv_table
from . import gerd

TABLE = paths.ROOT / "book" / "tables" / "opportunities-opportunities.csv"


def exposure(data: pd.DataFrame) -> pd.DataFrame:
    """Flag economies below the median GERD and above the median foreign share: 'exposed'."""
    gerd_median = data["gerd_usd"].median()
    share_median = data["share"].median()
    return data.assign(low_investment=data["gerd_usd"] < gerd_median,
                       high_reliance=data["share"] > share_median,
                       exposed=(data["gerd_usd"] < gerd_median) & (data["share"] > share_median))


@dataclass
class Opportunities:
    """What the chapter shows for one region."""

    region: Region
    data: pd.DataFrame
    numbers: dict = field(default_factory=dict)


def analyse(region_name: str) -> Opportunities:
    """Exposure to reliance on foreign partners, world and region."""
    region = regions.resolve(region_name)
    year, shares = gerd.proxy_shares()
    data = exposure(gerd.with_gerd(shares, year, region))
    exposed = data[data["exposed"]]
    members = data[data["in_region"]]
    n = {"opp_year": year, "opp_economies": len(data), "opp_exposed": len(exposed),
         "opp_exposed_low_income": int((exposed["income_group"] == "Low income").sum()),
         "opp_table": _table_markdown()}
    if members.empty:
        n["opp_region_sentence"] = (f"None of the economies in {region.name} has both a GERD "
                                    "figure and the co-authorship share, so exposure cannot be "
                                    "assessed.")
    else:
        mine = members[members["exposed"]]
        listed = ", ".join(mine["name"]) if len(mine) else "none"
        n["opp_region_sentence"] = (
            f"Of the {len(members)} economies of {region.in_prose} with both measures, "
            f"{len(mine)} are in the exposed group: {listed}.")
    result = Opportunities(region, data)
    result.numbers = n
    return result


def _table_markdown() -> str:
    return csv_table(TABLE, {
        "opportunity": "Opportunity",
        "summary": "What the report says, in brief",
        "evidence_in_this_book": "Evidence in this book",
    })
