"""Computed recommendations: where a region stands on each measure, and which pathways follow."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import datasets, paths, regions
from ..regions import Region
from ..sources.worldbank import INCOME_GROUPS
from . import gerd, trust

WINDOW = (2015, 2023)  # latest value in this window for GERD and researchers
GROWTH_YEARS = 10
PATHWAYS = paths.ROOT / "book" / "tables" / "recommendations-pathways.csv"


def measures() -> pd.DataFrame:
    """One row per economy: the latest value of every measure the recommendations use."""
    start, end = WINDOW
    rd = datasets.latest_in_window(datasets.load("rd_expenditure"), "gerd_pct_gdp", start, end)
    researchers = datasets.latest_in_window(datasets.load("researchers"),
                                            "researchers_per_million", start, end)
    _, shares = gerd.proxy_shares()
    trust_latest = trust.latest_trust()[["iso3", "trust_pct"]]
    oa = datasets.load("openalex_international")
    last = int(oa["year"].max())
    wide = oa[oa["year"].isin([last - GROWTH_YEARS, last])].pivot(
        index="iso3", columns="year", values="international_works")
    wide = wide[wide[last - GROWTH_YEARS] > 0].dropna()
    growth = pd.DataFrame({"iso3": wide.index,
                           "works_growth": (wide[last] / wide[last - GROWTH_YEARS]).to_numpy()})
    countries = datasets.countries()
    frame = countries[countries["in_world_bank_list"]][["iso3", "name", "income_group"]]
    for part in (rd[["iso3", "gerd_pct_gdp"]], researchers[["iso3", "researchers_per_million"]],
                 shares[["iso3", "share"]], trust_latest, growth):
        frame = frame.merge(part, on="iso3", how="left")
    return frame.reset_index(drop=True)


MEASURES = {
    "gerd_pct_gdp": "GERD, % of GDP",
    "researchers_per_million": "Researchers per million people",
    "share": "Foreign share of whole-count credit (%)",
    "trust_pct": "Trust people of another nationality (%)",
    "works_growth": "Growth of internationally co-authored works (ratio over ten years)",
}


def standing(frame: pd.DataFrame, members: tuple[str, ...]) -> pd.DataFrame:
    """Per measure: members with data, region median, world median, members above their peers."""
    rows = []
    peer_medians = frame.groupby("income_group")[list(MEASURES)].median()
    inside = frame[frame["iso3"].isin(members)]
    for column, label in MEASURES.items():
        values = inside.dropna(subset=[column])
        above = sum(
            row[column] > peer_medians.loc[row["income_group"], column]
            for _, row in values.iterrows() if row["income_group"] in INCOME_GROUPS)
        rows.append({"measure": column, "label": label, "members_with_data": len(values),
                     "region_median": values[column].median() if len(values) else np.nan,
                     "world_median": frame[column].median(),
                     "above_income_peers": int(above)})
    return pd.DataFrame(rows)


def pathways(table: pd.DataFrame, members: int) -> dict[str, bool]:
    """Which of the report's four pathways the region's standing points to (rules in PATHWAYS).

    Half of all economies sit below their income group's median by construction, so the peer
    rule fires only when at most a third of the members are above it.
    """
    row = table.set_index("measure")
    gerd_row, trust_row, share_row = row.loc["gerd_pct_gdp"], row.loc["trust_pct"], row.loc["share"]
    half = members / 2
    return {
        "Better measures of scientific collaboration":
            bool(gerd_row["members_with_data"] < half or trust_row["members_with_data"] < half),
        "Improve the capacity for collaborative and equitable innovation":
            bool(gerd_row["members_with_data"] > 0 and (
                gerd_row["region_median"] < gerd_row["world_median"]
                or gerd_row["above_income_peers"] <= gerd_row["members_with_data"] / 3)),
        "Build trust by supporting networks":
            bool(trust_row["members_with_data"] > 0
                 and trust_row["region_median"] < trust_row["world_median"]),
        "Work to provide secure and sustainable data sharing":
            bool(share_row["members_with_data"] > 0
                 and share_row["region_median"] > share_row["world_median"]),
    }


@dataclass
class Recommendations:
    """The region's standing, the pathways it points to, and the chapter's numbers."""

    region: Region
    table: pd.DataFrame
    chosen: dict[str, bool]
    numbers: dict = field(default_factory=dict)


def _standing_markdown(table: pd.DataFrame) -> str:
    def cell(value: float) -> str:
        if pd.isna(value):
            return "–"
        return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.0f}"

    rows = ["| Measure | Members with data | Region median | World median | "
            "Members above their income group's median |", "|---|---:|---:|---:|---:|"]
    for r in table.itertuples():
        rows.append(f"| {r.label} | {r.members_with_data} | {cell(r.region_median)} | "
                    f"{cell(r.world_median)} | {r.above_income_peers} of "
                    f"{r.members_with_data} |")
    return "\n".join(rows)


def _pathways_markdown(chosen: dict[str, bool]) -> str:
    table = pd.read_csv(PATHWAYS, keep_default_na=False)
    rows = ["| Pathway | Points here? | Rule |", "|---|---|---|"]
    for r in table.itertuples():
        mark = "**yes**" if chosen[r.pathway] else "no"
        rows.append(f"| {r.pathway} | {mark} | {r.rule_used_here} |")
    return "\n".join(rows)


def analyse(region_name: str) -> Recommendations:
    """The computed recommendations for a region."""
    region = regions.resolve(region_name)
    frame = measures()
    members = tuple(m for m in region.members if m in set(frame["iso3"]))
    table = standing(frame, members)
    chosen = pathways(table, len(members))
    result = Recommendations(region, table, chosen)
    picked = [name for name, yes in chosen.items() if yes]
    if not members:
        summary = (f"None of the economies in {region.name} is in the World Bank's list, so "
                   "there is nothing to compare.")
    elif picked:
        summary = (f"For {region.name}, the data point to {len(picked)} of the report's four "
                   f"pathways: {'; '.join(picked)}.")
    else:
        summary = (f"For {region.name}, none of the rules fires: on every measure the region is "
                   "at or above the world and its income peers.")
    row = table.set_index("measure")
    result.numbers = {
        "rec_members": len(members),
        "rec_window_start": WINDOW[0], "rec_window_end": WINDOW[1],
        "rec_growth_years": GROWTH_YEARS,
        "rec_standing_table": _standing_markdown(table),
        "rec_pathways_table": _pathways_markdown(chosen),
        "rec_summary": summary,
        "rec_pathway_count": len(picked),
        "rec_gerd_region": float(row.loc["gerd_pct_gdp", "region_median"]),
        "rec_gerd_world": float(row.loc["gerd_pct_gdp", "world_median"]),
    }
    return result
