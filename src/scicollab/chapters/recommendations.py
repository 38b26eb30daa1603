"""Computed recommendations: where a region stands on each measure, and which pathways follow."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from .. import panels, regions, verdicts
from ..measures.trust import latest_trust
from ..regions import INCOME_GROUPS, Region
from ..report import (
    MIN_FOR_MEDIAN,
    Numbers,
    book_table,
    count,
    escape,
    name_list,
    possessive,
)

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
    share_year = panels.broad_year()
    surveys = latest_trust()
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


CAPACITY = "Improve the capacity for collaborative and equitable innovation"
TRUST = "Build trust by supporting networks"
SHARING = "Work to provide secure and sustainable data sharing"
SUPPORTED = (verdicts.HOLDS, verdicts.IN_PART)


@dataclass(frozen=True)
class Pathway:
    """Whether one of the report's pathways follows from the findings, and the evidence."""

    points_here: bool
    evidence: str


def pathways(table: pd.DataFrame, members: int, found: Mapping[str, str],
             is_world: bool = False) -> dict[str, Pathway]:
    """Which of the report's four pathways the findings point to (rules in PATHWAYS).

    ``found`` maps a finding's key (see ``findings.CLAIMS``) to its verdict for the region (for
    the world, the world's). A region is also compared with the world on the measure each
    pathway is about; for the world as a whole, the world's own finding decides. Half of all
    economies sit below their income group's median by construction, so the peer rule fires
    only when at most a third of the members are above it."""
    row = table.set_index("measure")
    gerd_row, trust_row, share_row = row.loc["gerd_pct_gdp"], row.loc["trust_pct"], row.loc["share"]
    gaps = found.get("gaps", verdicts.UNTESTABLE)
    out = {COVERAGE: Pathway(gaps in SUPPORTED,
                             f"the data-gaps finding, more gaps than records: {gaps}")}
    if is_world:
        fig2, trust_high, future = (found.get(k, verdicts.UNTESTABLE)
                                    for k in ("figure2", "trust_high", "future"))
        out[CAPACITY] = Pathway(fig2 in SUPPORTED, "the least-investing economies collaborate "
                                                   f"relatively more: {fig2}")
        out[TRUST] = Pathway(trust_high in SUPPORTED, "collaboration rises with trust among "
                                                      f"high-income countries: {trust_high}")
        out[SHARING] = Pathway(future == verdicts.HOLDS, "the share of internationally "
                                                         f"co-authored work keeps rising: {future}")
        return out
    low_gerd = bool(gerd_row["members_with_data"] > 0 and (
        gerd_row["region_median"] < gerd_row["world_median"]
        or gerd_row["above_income_peers"] <= gerd_row["members_with_data"] / 3))
    out[CAPACITY] = Pathway(low_gerd, _compared(gerd_row, "GERD as a share of GDP", members,
                                                  peers=True))
    out[TRUST] = Pathway(bool(trust_row["members_with_data"] > 0
                              and trust_row["region_median"] < trust_row["world_median"]),
                         _compared(trust_row, "trust in people of another nationality",
                                   members))
    out[SHARING] = Pathway(bool(share_row["members_with_data"] > 0
                                and share_row["region_median"] > share_row["world_median"]),
                           _compared(share_row, "the foreign share of co-authorship credit",
                                     members))
    return out


def _compared(row: pd.Series, what: str, members: int, peers: bool = False) -> str:
    """'median 0.45 against a world median of 0.80 (3 of 8 above their income peers)';
    ``members``, the region's number of economies, words a region without data."""
    if row["members_with_data"] == 0:
        return f"no {'value' if members == 1 else 'member has a value'} for {what}"
    value = (row["member_values"][0][1] if row["members_with_data"] == 1
             else row["region_median"])
    lead = "value" if row["members_with_data"] == 1 else "median"
    text = (f"{what}: {lead} {_cell(value)} against a world median of "
            f"{_cell(row['world_median'])}")
    if peers and row["members_with_data"] == 1:
        text += (" (above its income group's median)" if row["above_income_peers"] else
                 " (not above its income group's median)")
    elif peers:
        text += (f" ({int(row['above_income_peers'])} of {int(row['members_with_data'])} above "
                 "their income group's median)")
    return text


def members_sentence(region: Region, members: int) -> str:
    """How many of the region's economies are in the World Bank's list, said plainly."""
    if members == 0:
        return (f"None of the economies of {region.in_prose} is in the World Bank's list, so "
                "there is nothing to compare.")
    if region.is_world:
        return f"The World Bank's list has {count(members, 'economy')}."
    if region.is_economy:
        return (f"The table gives {possessive(region.in_prose)} own value on each measure, its "
                "rank among all economies with a value and within its income group (first is the "
                "highest), and the medians it is compared with.")
    named = region.in_prose[0].upper() + region.in_prose[1:]
    return f"{named} has {count(members, 'economy')} in the World Bank's list."


@dataclass
class RecommendationsNumbers(Numbers):
    """The numbers and sentences the chapter's prose shows, glued as ``rec_<field>``."""

    PREFIX: ClassVar[str] = "rec"
    members: int
    members_sentence: str
    intro: str
    window_start: int
    window_end: int
    growth_years: int
    growth_first: int
    growth_last: int
    share_year: int
    trust_first: int
    trust_last: int
    standing_table: str
    pathways_table: str
    summary: str
    pathway_count: int
    gerd_region: float
    gerd_world: float


@dataclass
class Recommendations:
    """The region's standing, the pathways it points to, and the chapter's numbers."""

    region: Region
    table: pd.DataFrame
    chosen: dict[str, Pathway]
    numbers: RecommendationsNumbers | None = None


def _cell(value: float) -> str:
    if pd.isna(value):
        return "–"
    return f"{value:z,.2f}" if abs(value) < 10 else f"{value:z,.0f}"


def _economy_markdown(table: pd.DataFrame, iso3: str) -> str:
    """One economy's standing: its value, its ranks, and the world's and its income group's
    medians, each measure from its shared panel."""
    frame = measures()
    group = frame.set_index("iso3").loc[iso3, "income_group"]
    rows = ["| Measure | Value | Rank among economies | Rank in its income group | World "
            "median | Income group median |", "|---|---:|---:|---:|---:|---:|"]
    for r in table.itertuples():
        p = panels.panel(PANELS[r.measure])
        rank = panels.rank(p, iso3)
        peers = frame.loc[frame["income_group"] == group, r.measure].median()
        if rank is None:
            cells = "– | – | –"
        else:
            within = ("–" if rank.group_rank is None else
                      f"{rank.group_rank} of {rank.group_n}")
            cells = f"{_cell(rank.value)} | {rank.rank} of {rank.n} | {within}"
        rows.append(f"| {r.label} | {cells} | {_cell(r.world_median)} | {_cell(peers)} |")
    return "\n".join(rows)


def _standing_markdown(table: pd.DataFrame, region: Region, members: int) -> str:
    """The standing table: world medians only without members, no region column for the world,
    and each member's value instead of a median when fewer than MIN_FOR_MEDIAN members have data."""
    if members == 0:
        rows = ["| Measure | World median |", "|---|---:|"]
        rows += [f"| {r.label} | {_cell(r.world_median)} |" for r in table.itertuples()]
        return "\n".join(rows)
    if region.is_economy:
        return _economy_markdown(table, region.members[0])
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


def _pathways_markdown(chosen: dict[str, Pathway], members: int) -> str:
    table = book_table(PATHWAYS)
    rows = ["| Pathway | What the report asks for | Evidence here | Points here? | Rule |",
            "|---|---|---|---|---|"]
    for r in table.itertuples():
        found = chosen[r.pathway]
        mark = "– (no data)" if members == 0 else ("**yes**" if found.points_here else "no")
        rows.append(f"| {r.pathway} | {r.what_the_report_asks_for} | {escape(found.evidence)} | "
                    f"{mark} | {r.rule_used_here} |")
    return "\n".join(rows)


def summary(region: Region, table: pd.DataFrame, chosen: dict[str, Pathway],
            members: int) -> str:
    """The paragraph above the pathways table, generated from the findings and the rules."""
    row = table.set_index("measure")
    if members == 0:
        return (f"No rule can be applied: none of the economies of {region.in_prose} is in the "
                "World Bank's list.")
    picked = [name for name, p in chosen.items() if p.points_here]
    rules = _WORDS.get(len(chosen), str(len(chosen)))
    lead = "For the world as a whole" if region.is_world else f"For {region.in_prose}"
    if len(picked) == len(chosen):
        text = f"{lead}, all {rules} rules used here fire, pointing to every pathway."
    elif picked:
        verb = "fires" if len(picked) == 1 else "fire"
        text = (f"{lead}, {len(picked)} of the {rules} rules used here {verb}, pointing to: "
                f"{'; '.join(picked)}.")
    else:
        text = f"{lead}, none of the {rules} rules used here fires."
    if region.is_world:
        return text + (" For the world the rules read the world's own findings, on the home "
                       "page; in a region's edition they compare the region with the world.")
    measured = row[row["members_with_data"] > 0]
    below = [m for m in measured.index
             if measured.loc[m, "region_median"] < measured.loc[m, "world_median"]]
    above = [m for m in measured.index if m not in below]
    whose = "Its value is" if region.is_economy else "The region's median is"
    parts = []
    if below:
        parts.append(f"below the world median on {name_list([SHORT[m] for m in below])}")
    if above:
        parts.append(f"at or above it on {name_list([SHORT[m] for m in above])}")
    if parts:
        text += f" {whose} {', and '.join(parts)}."
    if not region.is_economy:
        none_above = [m for m in measured.index if measured.loc[m, "above_income_peers"] == 0]
        few_above = [m for m in measured.index if m not in none_above and
                     measured.loc[m, "above_income_peers"]
                     <= measured.loc[m, "members_with_data"] / 3]
        if none_above:
            text += (f" No member is above its income group's median on "
                     f"{name_list([SHORT[m] for m in none_above])}.")
        if few_above:
            text += (f" At most a third of the members with data are above their income "
                     f"group's median on {name_list([SHORT[m] for m in few_above])}.")
    quiet = [m for m in below if m in NOT_FLAGGED]
    if quiet:
        if quiet != below:
            lead_q = f"Being lower on {name_list([SHORT[m] for m in quiet])} triggers no"
        else:
            lead_q = {1: "This triggers no", 2: "Neither triggers a"}.get(
                len(quiet), "None of these triggers a")
        text += (f" {lead_q} pathway under these rules: "
                 f"{'; '.join(NOT_FLAGGED[m] for m in quiet)}.")
    missing = [m for m in row.index if row.loc[m, "members_with_data"] == 0]
    if missing:
        who = "It has" if region.is_economy else "No member has"
        text += f" {who} no data on {name_list([SHORT[m] for m in missing])}." if \
            region.is_economy else f" {who} data on {name_list([SHORT[m] for m in missing])}."
    return text


def analyse(region_name: str) -> Recommendations:
    """The computed recommendations for a region."""
    region = regions.resolve(region_name)
    frame = measures()
    members = tuple(m for m in region.members if m in set(frame["iso3"]))
    table = standing(frame, members)
    from .. import findings

    found = findings.region_findings(region)
    verdict_of = {k: f.verdict.verdict for k, f in found.items() if f is not None}
    chosen = pathways(table, len(members), verdict_of, region.is_world)
    result = Recommendations(region, table, chosen)
    row = table.set_index("measure")
    first, last = growth_years()
    surveys = latest_trust()
    result.numbers = RecommendationsNumbers(
        members=len(members), members_sentence=members_sentence(region, len(members)),
        intro=(
            "In a region's edition it sets the region beside the world and beside its income "
            "peers on each measure this book computes; in this world edition it shows the "
            "world's medians and how many economies each measure covers." if region.is_world
            else f"It sets {region.in_prose} beside the world and beside its income peers on "
                 "each measure this book computes."),
        window_start=WINDOW[0], window_end=WINDOW[1], growth_years=GROWTH_YEARS,
        growth_first=first, growth_last=last, share_year=panels.broad_year(),
        trust_first=int(surveys["year"].min()), trust_last=int(surveys["year"].max()),
        standing_table=_standing_markdown(table, region, len(members)),
        pathways_table=_pathways_markdown(chosen, len(members)),
        summary=summary(region, table, chosen, len(members)),
        pathway_count=len([name for name, p in chosen.items() if p.points_here]),
        gerd_region=float(row.loc["gerd_pct_gdp", "region_median"]),
        gerd_world=float(row.loc["gerd_pct_gdp", "world_median"]))
    return result
