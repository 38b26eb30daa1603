"""Computed recommendations: where a region stands on each measure, and which pathways follow."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import panels, regions
from ..regions import Region
from ..report import MIN_FOR_MEDIAN, book_table, count, name_list
from ..sources.worldbank import INCOME_GROUPS
from . import gerd, trust

WINDOW = panels.WINDOW  # latest value in this window for GERD and researchers
GROWTH_YEARS = panels.GROWTH_YEARS
PATHWAYS = "recommendations-pathways.csv"
COVERAGE = "Better measures of scientific collaboration"  # the pathway the coverage rule names


PANELS = {"gerd_pct_gdp": "gerd_pct_gdp", "researchers_per_million": "researchers",
          "share": "broad_share", "trust_pct": "trust", "works_growth": "works_growth"}


def measures() -> pd.DataFrame:
    """One row per economy of the world (the World Bank's list): the latest value of every
    measure the recommendations use, each from the shared panel every chapter reads."""
    frame = panels.economies()[["iso3", "name", "income_group"]]
    for column, key in PANELS.items():
        values = panels.panel(key).values[["iso3", "value"]].rename(columns={"value": column})
        frame = frame.merge(values, on="iso3", how="left")
    return frame.reset_index(drop=True)


MEASURES = {
    "gerd_pct_gdp": "GERD, % of GDP",
    "researchers_per_million": "Researchers per million people",
    "share": "Foreign share of whole-count credit (%)",
    "trust_pct": "Trusting people of another nationality (%)",
    "works_growth": "Growth of internationally co-authored works (ratio)",
}
# How the summary names each measure, and why a low value on it triggers no pathway.
SHORT = {
    "gerd_pct_gdp": "GERD as a share of GDP",
    "researchers_per_million": "researchers per million people",
    "share": "the foreign share of co-authorship credit",
    "trust_pct": "trust in people of another nationality",
    "works_growth": "the growth of internationally co-authored works",
}
NOT_FLAGGED = {
    "researchers_per_million": "no rule uses researchers per million",
    "share": ("the data-sharing rule looks for a foreign share above the world median, not "
              "below it"),
    "works_growth": "no rule uses growth",
}
_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


def growth_years() -> tuple[int, int]:
    """The first and last year of the growth measure (the last GROWTH_YEARS years of OpenAlex)."""
    return panels.growth_years()


def measure_labels() -> dict[str, str]:
    """Each measure's label with its years: windows, survey years, the growth period."""
    start, end = WINDOW
    share_year, _ = gerd.proxy_shares()
    surveys = trust.latest_trust()
    first, last = growth_years()
    return {
        "gerd_pct_gdp": f"{MEASURES['gerd_pct_gdp']}, latest {start}–{end}",
        "researchers_per_million": f"{MEASURES['researchers_per_million']}, latest {start}–{end}",
        "share": f"{MEASURES['share'][:-4]}, {share_year} (%)",
        "trust_pct": (f"{MEASURES['trust_pct'][:-4]}, latest survey "
                      f"{int(surveys['year'].min())}–{int(surveys['year'].max())} (%)"),
        "works_growth": f"Growth of internationally co-authored works, {first} to {last} (ratio)",
    }


def standing(frame: pd.DataFrame, members: tuple[str, ...]) -> pd.DataFrame:
    """Per measure: members with data, region median, world median, members above their peers,
    and the members' own values (name, value) for small regions."""
    rows = []
    labels = measure_labels()
    peer_medians = frame.groupby("income_group")[list(MEASURES)].median()
    inside = frame[frame["iso3"].isin(members)]
    for column in MEASURES:
        values = inside.dropna(subset=[column])
        above = sum(
            row[column] > peer_medians.loc[row["income_group"], column]
            for _, row in values.iterrows() if row["income_group"] in INCOME_GROUPS)
        rows.append({"measure": column, "label": labels[column], "members_with_data": len(values),
                     "region_median": values[column].median() if len(values) else np.nan,
                     "world_median": frame[column].median(),
                     "above_income_peers": int(above),
                     "member_values": sorted(zip(values["name"], values[column], strict=True))})
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
        COVERAGE:
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


def members_sentence(region: Region, members: int) -> str:
    """How many of the region's economies are in the World Bank's list, said plainly."""
    if members == 0:
        return (f"None of the economies of {region.in_prose} is in the World Bank's list, so "
                "there is nothing to compare.")
    if region.is_world:
        return f"The World Bank's list has {count(members, 'economy')}."
    named = region.in_prose[0].upper() + region.in_prose[1:]
    return f"{named} has {count(members, 'economy')} in the World Bank's list."


@dataclass
class Recommendations:
    """The region's standing, the pathways it points to, and the chapter's numbers."""

    region: Region
    table: pd.DataFrame
    chosen: dict[str, bool]
    numbers: dict = field(default_factory=dict)


def _cell(value: float) -> str:
    if pd.isna(value):
        return "–"
    return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.0f}"


def _standing_markdown(table: pd.DataFrame, region: Region, members: int) -> str:
    """The standing table: world medians only without members, no region column for the world,
    and each member's value instead of a median when fewer than MIN_FOR_MEDIAN members have data."""
    if members == 0:
        rows = ["| Measure | World median |", "|---|---:|"]
        rows += [f"| {r.label} | {_cell(r.world_median)} |" for r in table.itertuples()]
        return "\n".join(rows)
    if region.is_world:
        rows = ["| Measure | Economies with data | World median | "
                "Economies above their income group's median |", "|---|---:|---:|---:|"]
        rows += [f"| {r.label} | {r.members_with_data} | {_cell(r.world_median)} | "
                 f"{r.above_income_peers} of {r.members_with_data} |" for r in table.itertuples()]
        return "\n".join(rows)
    rows = ["| Measure | Members with data | Region median (each member's value when fewer "
            f"than {MIN_FOR_MEDIAN}) | World median | Members above their income group's median |",
            "|---|---:|---:|---:|---:|"]
    for r in table.itertuples():
        if 0 < r.members_with_data < MIN_FOR_MEDIAN:
            region_cell = "; ".join(f"{name} {_cell(value)}" for name, value in r.member_values)
        else:
            region_cell = _cell(r.region_median)
        rows.append(f"| {r.label} | {r.members_with_data} | {region_cell} | "
                    f"{_cell(r.world_median)} | {r.above_income_peers} of "
                    f"{r.members_with_data} |")
    return "\n".join(rows)


def _pathways_markdown(chosen: dict[str, bool], region: Region, members: int) -> str:
    table = book_table(PATHWAYS)
    rows = ["| Pathway | Points here? | Rule |", "|---|---|---|"]
    for r in table.itertuples():
        if members == 0:
            mark = "– (no data)"
        elif region.is_world and r.pathway != COVERAGE:
            mark = "– (compares a region with the world)"
        else:
            mark = "**yes**" if chosen[r.pathway] else "no"
        rows.append(f"| {r.pathway} | {mark} | {r.rule_used_here} |")
    return "\n".join(rows)


def _short_of(gerd_n: int, trust_n: int, members: int) -> str:
    """Which of the coverage rule's two measures fewer than half of the members have."""
    short = [what for what, n in (("a GERD figure", gerd_n), ("a trust survey", trust_n))
             if n < members / 2]
    return " or ".join(short)


def summary(region: Region, table: pd.DataFrame, chosen: dict[str, bool], members: int) -> str:
    """The paragraph above the pathways table, generated from the standing table and rules."""
    row = table.set_index("measure")
    if members == 0:
        return (f"No rule can be applied: none of the economies of {region.in_prose} is in the "
                "World Bank's list.")
    if region.is_world:
        gerd_n = int(row.loc["gerd_pct_gdp", "members_with_data"])
        trust_n = int(row.loc["trust_pct", "members_with_data"])
        start, end = WINDOW
        fired = chosen[COVERAGE]
        others = _WORDS.get(len(chosen) - 1, str(len(chosen) - 1))
        return (f"For the world as a whole, the {others} rules that compare a region with the "
                "world median cannot apply. The coverage rule "
                f"{'fires' if fired else 'does not fire'}: "
                f"of the {members} economies, {gerd_n} have a GERD figure for {start}–{end} and "
                f"{trust_n} have a trust survey"
                + (f"; fewer than half have {_short_of(gerd_n, trust_n, members)}, so the data "
                   "point to better measures of scientific collaboration." if fired else
                   "; at least half have each."))
    picked = [name for name, yes in chosen.items() if yes]
    rules = _WORDS.get(len(chosen), str(len(chosen)))
    if len(picked) == len(chosen):
        text = (f"For {region.in_prose}, all {rules} rules used here fire, pointing to every "
                "pathway.")
    elif picked:
        verb = "fires" if len(picked) == 1 else "fire"
        text = (f"For {region.in_prose}, {len(picked)} of the {rules} rules used here {verb}, "
                f"pointing to: {'; '.join(picked)}.")
    else:
        text = f"For {region.in_prose}, none of the {rules} rules used here fires."
    measured = row[row["members_with_data"] > 0]
    below = [m for m in measured.index
             if measured.loc[m, "region_median"] < measured.loc[m, "world_median"]]
    above = [m for m in measured.index if m not in below]
    parts = []
    if below:
        parts.append(f"below the world median on {name_list([SHORT[m] for m in below])}")
    if above:
        parts.append(f"at or above it on {name_list([SHORT[m] for m in above])}")
    if parts:
        text += f" The region's median is {', and '.join(parts)}."
    none_above = [m for m in measured.index if measured.loc[m, "above_income_peers"] == 0]
    few_above = [m for m in measured.index if m not in none_above and
                 measured.loc[m, "above_income_peers"] <= measured.loc[m, "members_with_data"] / 3]
    if none_above:
        text += (f" No member is above its income group's median on "
                 f"{name_list([SHORT[m] for m in none_above])}.")
    if few_above:
        text += (f" At most a third of the members with data are above their income group's "
                 f"median on {name_list([SHORT[m] for m in few_above])}.")
    quiet = [m for m in below if m in NOT_FLAGGED]
    if quiet:
        if quiet != below:
            lead = f"Being lower on {name_list([SHORT[m] for m in quiet])} triggers no"
        else:
            lead = {1: "This triggers no", 2: "Neither triggers a"}.get(
                len(quiet), "None of these triggers a")
        text += (f" {lead} pathway under these rules: "
                 f"{'; '.join(NOT_FLAGGED[m] for m in quiet)}.")
    missing = [m for m in row.index if row.loc[m, "members_with_data"] == 0]
    if missing:
        text += f" No member has data on {name_list([SHORT[m] for m in missing])}."
    return text


def analyse(region_name: str) -> Recommendations:
    """The computed recommendations for a region."""
    region = regions.resolve(region_name)
    frame = measures()
    members = tuple(m for m in region.members if m in set(frame["iso3"]))
    table = standing(frame, members)
    chosen = pathways(table, len(members))
    result = Recommendations(region, table, chosen)
    picked = [name for name, yes in chosen.items() if yes]
    row = table.set_index("measure")
    first, last = growth_years()
    surveys = trust.latest_trust()
    result.numbers = {
        "rec_members": len(members),
        "rec_members_sentence": members_sentence(region, len(members)),
        "rec_intro": (
            "In a region's edition it sets the region beside the world and beside its income "
            "peers on each measure this book computes; in this world edition it shows the "
            "world's medians and how many economies each measure covers." if region.is_world
            else f"It sets {region.in_prose} beside the world and beside its income peers on "
                 "each measure this book computes."),
        "rec_window_start": WINDOW[0], "rec_window_end": WINDOW[1],
        "rec_growth_years": GROWTH_YEARS, "rec_growth_first": first, "rec_growth_last": last,
        "rec_share_year": gerd.proxy_shares()[0],
        "rec_trust_first": int(surveys["year"].min()), "rec_trust_last": int(surveys["year"].max()),
        "rec_standing_table": _standing_markdown(table, region, len(members)),
        "rec_pathways_table": _pathways_markdown(chosen, region, len(members)),
        "rec_summary": summary(region, table, chosen, len(members)),
        "rec_pathway_count": len(picked),
        "rec_gerd_region": float(row.loc["gerd_pct_gdp", "region_median"]),
        "rec_gerd_world": float(row.loc["gerd_pct_gdp", "world_median"]),
    }
    return result
