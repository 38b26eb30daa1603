"""Opportunities: which economies gain most from collaboration and are most exposed to reliance."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from .. import regions
from ..measures.shares import WINDOW, missing_measures, proxy_shares, with_gerd
from ..regions import Region
from ..report import (
    Numbers,
    capitalised,
    collapsible,
    csv_table,
    name_list,
    possessive,
)

TABLE = "opportunities-opportunities.csv"


def exposure(data: pd.DataFrame) -> pd.DataFrame:
    """Flag economies below the median GERD and above the median foreign share: 'exposed'."""
    gerd_median = data["gerd_usd"].median()
    share_median = data["share"].median()
    return data.assign(low_investment=data["gerd_usd"] < gerd_median,
                       high_reliance=data["share"] > share_median,
                       exposed=(data["gerd_usd"] < gerd_median) & (data["share"] > share_median))


def with_intensity(data: pd.DataFrame) -> pd.DataFrame:
    """Flag whether GERD as % of GDP (in the same year as the GERD in US$, as the GERD chapter
    joins it) is below the median of the same economies: a check that 'exposed' is not only
    small size."""
    return data.assign(low_intensity=data["gerd_pct_gdp"] < data["gerd_pct_gdp"].median())


def by_name(names) -> list[str]:
    """Names in alphabetical order, ignoring accents and case (Côte d'Ivoire after Costa Rica)."""
    def key(name: str) -> str:
        plain = unicodedata.normalize("NFKD", name)
        return "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return sorted((str(n) for n in names), key=key)


def sorted_names(names) -> str:
    """Names sorted by name and joined as the book joins them: 'A, B and C', with semicolons
    when a name holds a comma (as in 'Congo, Dem. Rep.')."""
    return name_list(by_name(names))


@dataclass
class OpportunitiesNumbers(Numbers):
    """The numbers and sentences the chapter's prose shows, glued as ``opp_<field>``."""

    PREFIX: ClassVar[str] = "opp"
    year: int
    economies: int
    exposed: int
    exposed_low_income: int
    gerd_window_start: int
    gerd_window_end: int
    intensity_median: float
    exposed_low_intensity: int
    exposed_typical_intensity: int
    intensity_sentence: str
    scope: str
    table: str
    region_sentence: str
    exposed_table: str
    exposed_block: str


@dataclass
class Opportunities:
    """What the chapter shows for one region."""

    region: Region
    data: pd.DataFrame
    numbers: OpportunitiesNumbers | None = None


def analyse(region_name: str) -> Opportunities:
    """Exposure to reliance on foreign partners, world and region."""
    region = regions.resolve(region_name)
    year, shares = proxy_shares()
    data = with_intensity(exposure(with_gerd(shares, year, region)))
    exposed = data[data["exposed"]]
    typical = exposed[~exposed["low_intensity"]]
    shown = exposed if region.is_world else exposed[exposed["in_region"]]
    table = exposed_markdown(shown) if len(shown) else ""
    result = Opportunities(region, data)
    result.numbers = OpportunitiesNumbers(
        year=year, economies=len(data), exposed=len(exposed),
        exposed_low_income=int((exposed["income_group"] == "Low income").sum()),
        gerd_window_start=year - WINDOW, gerd_window_end=year,
        intensity_median=float(data["gerd_pct_gdp"].median()),
        exposed_low_intensity=int(exposed["low_intensity"].sum()),
        exposed_typical_intensity=len(typical),
        intensity_sentence=intensity_sentence(exposed, typical,
                                              float(data["gerd_pct_gdp"].median())),
        scope="worldwide" if region.is_world else f"worldwide and for {region.in_prose}",
        table=_table_markdown(), region_sentence=region_sentence(region, data, year),
        exposed_table=table, exposed_block=collapsible("The exposed economies", table))
    return result


def intensity_sentence(exposed: pd.DataFrame, typical: pd.DataFrame, median: float) -> str:
    """How many exposed economies also spend a below-median share of GDP, naming the others."""
    where = f"the median share of GDP among these economies ({median:z.2f}%)"
    if exposed.empty:
        return "No economy is exposed."
    if typical.empty:
        return f"All of them also spend less on R&D than {where}."
    low = len(exposed) - len(typical)
    rest = ("the only one" if len(exposed) == 1 else "all of them" if not low else
            "the other one" if len(typical) == 1 else f"the other {len(typical)}")
    verb = "spends" if len(typical) == 1 else "spend"
    lead = ("" if not low else f"one of them also spends less on R&D than {where}; "
            if low == 1 else
            f"of the {len(exposed)}, {low} also spend less on R&D than {where}; ")
    return capitalised(
        f"{lead}{rest} ({sorted_names(typical['name'])}) {verb} at least "
        f"{'that share' if low else where}, so a low total there reflects the size of the "
        "economy rather than low spending relative to it.")


def region_sentence(region: Region, data: pd.DataFrame, year: int) -> str:
    """Which of the region's economies are exposed, named in alphabetical order."""
    members = data[data["in_region"]]
    if region.is_economy:
        name = capitalised(region.in_prose)
        if members.empty:
            return (f"{possessive(name)} exposure cannot be assessed: "
                    f"{missing_measures(region.members[0], year)}.")
        row = members.iloc[0]
        spend = "below" if row["low_investment"] else "at or above"
        rely = "above" if row["high_reliance"] else "at or below"
        verdict = "is in the exposed group" if row["exposed"] else "is not in the exposed group"
        return (f"{name} spends {spend} the median economy's GERD and its foreign share of "
                f"credit is {rely} the median, so it {verdict}; its R&D intensity is "
                f"{row['gerd_pct_gdp']:z.2f}% of GDP in {int(row['gerd_year'])}, "
                f"{'below' if row['low_intensity'] else 'at or above'} the median of these "
                "economies.")
    if members.empty:
        return (f"None of the economies in {region.in_prose} has both a GERD figure and the "
                "co-authorship share, so exposure cannot be assessed.")
    mine = members[members["exposed"]]
    if region.is_world:
        return (f"The table below lists the {len(mine)} exposed economies with their spending "
                "and shares.")
    opening = (f"{members['name'].iloc[0]} is the only economy of {region.in_prose} with both "
               "measures" if len(members) == 1 else
               f"Of the {len(members)} economies of {region.in_prose} with both measures")
    if mine.empty:
        found = ("; it is not in the exposed group" if len(members) == 1
                 else ", none is in the exposed group")
    elif len(members) == 1:
        found = "; it is in the exposed group"
    else:
        verb = "is" if len(mine) == 1 else "are"
        found = f", {len(mine)} {verb} in the exposed group: {sorted_names(mine['name'])}"
    return f"{opening}{found}."


def exposed_markdown(frame: pd.DataFrame) -> str:
    """The exposed economies as a sortable table (cells escaped)."""
    from ..report import markdown_table

    ordered = frame.set_index("name").loc[by_name(frame["name"])].reset_index()
    shown = pd.DataFrame({
        "name": ordered["name"], "group": ordered["income_group"],
        "gerd": ordered["gerd_usd"].map(lambda v: f"{v / 1e6:z,.1f}"),
        "intensity": ordered["gerd_pct_gdp"].map(lambda v: f"{v:z.2f}"),
        "share": ordered["share"].map(lambda v: f"{v:z.1f}")})
    return markdown_table(shown, {"name": "Economy", "group": "Income group",
                                  "gerd": "GERD (US$ million)", "intensity": "GERD (% of GDP)",
                                  "share": "Foreign share of credit (%)"}, escaped=True)


def _table_markdown() -> str:
    return csv_table(TABLE, {
        "opportunity": "Opportunity",
        "summary": "What the report says, in brief",
        "evidence_in_this_book": "Evidence in this book",
    })
