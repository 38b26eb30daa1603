"""Barriers: funding retrenchment measured as the change in R&D spending over a decade."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import pandas as pd

from .. import datasets, regions, verdicts
from ..figures import CONTEXT_GREY, OKABE_ITO, FigureSpec
from ..measures.names import names
from ..regions import Region
from ..report import (
    MIN_FOR_MEDIAN,
    Numbers,
    capitalised,
    collapsible,
    count,
    csv_table,
    markdown_table,
    marked,
    name_list,
    ordinal,
    shows_members,
)

LATEST = (2019, 2023)  # "now": each economy's latest GERD % of GDP in these years
EARLIER = (2009, 2013)  # "a decade earlier": its latest value in these years
TABLE = "barriers-barriers.csv"
STEADY = 0.05  # changes smaller than this (percentage points of GDP) count as steady
BREAK_JUMP = 0.30  # a change of more than 30% from one year to the next: a possible break
LABELS = {"rose": f"raised (by {STEADY:z.2f} points of GDP or more)",
          "fell": f"cut (by {STEADY:z.2f} points of GDP or more)",
          "steady": f"held steady (within {STEADY:z.2f} points)"}
DIRECTION_LABELS = {"fell": "Cut", "steady": "Steady", "rose": "Raised"}
ONE_COLUMN = 30  # up to this many economies the figure has one column of bars, else two


def change_over_decade() -> pd.DataFrame:
    """GERD % of GDP now and a decade earlier, the change, and rose / fell / steady (worked out
    once per process and data folder: the barriers chapter, the home page and the findings of
    every edition read the same table; each caller gets its own copy)."""
    return _change_over_decade(datasets.data_dir()).copy()


@lru_cache(maxsize=4)
def _change_over_decade(directory: Path) -> pd.DataFrame:
    rd = datasets.load("rd_expenditure")
    now = datasets.latest_in_window(rd, "gerd_pct_gdp", *LATEST)
    before = datasets.latest_in_window(rd, "gerd_pct_gdp", *EARLIER)
    frame = now.merge(before, on="iso3", suffixes=("_now", "_before"))
    frame["change"] = frame["gerd_pct_gdp_now"] - frame["gerd_pct_gdp_before"]
    frame["direction"] = "steady"
    frame.loc[frame["change"] >= STEADY, "direction"] = "rose"
    frame.loc[frame["change"] <= -STEADY, "direction"] = "fell"
    frame["category"] = frame["direction"].map(LABELS)
    frame = frame.merge(largest_jumps(rd, frame), on="iso3", how="left")
    frame["jump_year"] = frame["jump_year"].astype("Int64")
    frame["possible_break"] = frame["largest_jump"] > BREAK_JUMP
    return frame.sort_values("change").reset_index(drop=True)


def largest_jumps(rd: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """For each economy, the largest relative change of GERD % of GDP between two consecutive
    years within the span compared, and the year it ends in (nan when no two consecutive years
    are reported): a jump that large is more often a revision or a new survey than a change in
    spending."""
    spans = frame.set_index("iso3")[["year_before", "year_now"]]
    series = rd[rd["iso3"].isin(spans.index)].sort_values(["iso3", "year"])
    series = series.join(spans, on="iso3")
    series = series[series["year"].between(series["year_before"], series["year_now"])]
    previous = series.groupby("iso3")[["year", "gerd_pct_gdp"]].shift()
    consecutive = series["year"] - previous["year"] == 1
    jumps = (series["gerd_pct_gdp"] / previous["gerd_pct_gdp"] - 1).abs().where(consecutive)
    series = series.assign(jump=jumps).dropna(subset=["jump"])
    top = series.sort_values("jump").groupby("iso3").last()
    return pd.DataFrame({"iso3": top.index, "largest_jump": top["jump"].to_numpy(),
                         "jump_year": top["year"].astype(int).to_numpy()})


def counts(frame: pd.DataFrame) -> dict[str, int]:
    """How many economies rose, fell or held steady."""
    found = frame["direction"].value_counts()
    return {key: int(found.get(key, 0)) for key in ("rose", "fell", "steady")}


@dataclass
class BarriersNumbers(Numbers):
    """The numbers and sentences the chapter's prose shows, glued as ``bar_<field>``."""

    PREFIX: ClassVar[str] = "bar"
    latest_start: int
    latest_end: int
    earlier_start: int
    earlier_end: int
    steady: float
    economies: int
    rose: int
    fell: int
    held: int
    median_change: float
    median_change_text: str
    scope: str
    table: str
    region_sentence: str
    break_pct: float
    breaks_n: int
    break_sentence: str
    verdict: str
    verdict_sentence: str
    money_sentence: str
    changes_table: str
    changes_block: str


@dataclass
class Barriers:
    """What the chapter shows for one region."""

    region: Region
    change: pd.DataFrame
    numbers: BarriersNumbers | None = None


def analyse(region_name: str) -> Barriers:
    """Retrenchment vs growth of R&D spending, world and region."""
    region = regions.resolve(region_name)
    change = change_over_decade()
    change = change.assign(in_region=change["iso3"].isin(region.members),
                           name=change["iso3"].map(names()))
    world = counts(change)
    members = change[change["in_region"]]
    v = verdicts.retrenchment(world["fell"], len(change))
    shown = change if region.is_world else members
    changes = changes_markdown(shown) if len(shown) else ""
    result = Barriers(region, change)
    result.numbers = BarriersNumbers(
        latest_start=LATEST[0], latest_end=LATEST[1],
        earlier_start=EARLIER[0], earlier_end=EARLIER[1], steady=STEADY,
        economies=len(change), rose=world["rose"], fell=world["fell"], held=world["steady"],
        median_change=float(change["change"].median()),
        median_change_text=points(float(change["change"].median())),
        scope="worldwide" if region.is_world else f"worldwide and in {region.in_prose}",
        table=_table_markdown(),
        region_sentence=" ".join(filter(None, (region_sentence(region, members),
                                               verdict(region, members)))),
        break_pct=100 * BREAK_JUMP, breaks_n=len(change[change["possible_break"]]),
        break_sentence=break_sentence(change, region),
        verdict=v.verdict, verdict_sentence=v.sentence, money_sentence=money_sentence(change),
        changes_table=changes,
        changes_block=collapsible("Each economy's change in R&D spending", changes))
    return result


def break_sentence(change: pd.DataFrame, region: Region) -> str:
    """The economies whose compared span holds a jump large enough to be a break in the series,
    and the counts without them."""
    flagged = change[change["possible_break"]]
    clean = counts(change[~change["possible_break"]])
    found = counts(change)
    text = (f"Neither the World Bank's download nor the NCSES tables at hand carry the "
            "publishers' flags for breaks in series (a new survey, a revised method such as a "
            "country's revision of business R&D), so this chapter flags a possible break "
            f"wherever GERD as a share of GDP moves by more than {100 * BREAK_JUMP:z.0f}% from "
            "one year to the next inside the span compared. "
            f"{capitalised(count(len(flagged), 'economy'))} of {len(change)} have such a jump "
            "(marked in the table below). Without them, "
            f"{clean['rose']} raised R&D "
            f"spending as a share of GDP, {clean['fell']} cut it and {clean['steady']} held it "
            f"steady, against {found['rose']}, {found['fell']} and {found['steady']} with them")
    same = (found["rose"] > found["fell"]) == (clean["rose"] > clean["fell"])
    text += (", so the flagged economies do not change which direction prevails."
             if same else ", so the flagged economies decide which direction prevails.")
    mine = flagged[flagged["iso3"].isin(region.members)]
    if not region.is_world and not region.is_economy and 0 < len(mine) < MIN_FOR_MEDIAN:
        text += (f" In {region.in_prose}: {name_list(by_count(mine))}.")
    return text


def by_count(frame: pd.DataFrame) -> list[str]:
    """'Kuwait (2019)': names with the year the largest jump ends in, by name."""
    frame = frame.sort_values("name")
    return [f"{name} ({year})" for name, year in zip(frame["name"], frame["jump_year"],
                                                       strict=True)]


def money_sentence(change: pd.DataFrame) -> str:
    """Tests the caveat that a falling share of GDP need not be less money: of the economies
    that cut the share, how many also spent less in current US dollars over the same years."""
    rd = datasets.load("rd_expenditure").set_index(["iso3", "year"])["gerd_usd"]
    cut = change[change["direction"] == "fell"]
    pairs = [(rd.get((r.iso3, r.year_before)), rd.get((r.iso3, r.year_now)))
             for r in cut.itertuples()]
    known = [(b, a) for b, a in pairs if pd.notna(b) and pd.notna(a)]
    less = sum(a < b for b, a in known)
    if not known:
        return ("Whether the economies that cut the share also spent less money cannot be "
                "tested: none has GERD in US dollars for both years.")
    return (f"Of the {len(cut)} economies that cut R&D spending as a share of GDP, "
            f"{len(known)} have GERD in current US dollars for both years compared; "
            f"{less} of them spent less money in the later year, and {len(known) - less} spent "
            "more, their share falling only because GDP grew faster (current dollars, not "
            "adjusted for prices or exchange rates).")


def changes_markdown(frame: pd.DataFrame) -> str:
    """Every economy's change as a sortable table (cells escaped)."""
    shown = pd.DataFrame({
        "name": frame["name"],
        "before": [f"{v:z.2f} ({y})" for v, y in zip(frame["gerd_pct_gdp_before"],
                                                    frame["year_before"], strict=True)],
        "now": [f"{v:z.2f} ({y})" for v, y in zip(frame["gerd_pct_gdp_now"], frame["year_now"],
                                                 strict=True)],
        "change": frame["change"].map(lambda v: f"{v:+z.2f}"),
        "direction": frame["category"],
        "break": [f"yes, {100 * j:z.0f}% in {y}" if b else "" for b, j, y in
                  zip(frame["possible_break"], frame["largest_jump"], frame["jump_year"],
                      strict=True)]})
    return markdown_table(shown, {
        "name": "Economy", "before": "Earlier (% of GDP, year)",
        "now": "Latest (% of GDP, year)", "change": "Change (points)",
        "direction": "Classified as", "break": "Possible break"}, escaped=True)


def points(change: float) -> str:
    """A change in points of GDP with its sign; 'under 0.01 points' when it rounds to zero."""
    return ("under 0.01 points of GDP either way" if round(change, 2) == 0
            else f"{change:+z.2f} points of GDP")


def _none_or(k: int) -> str:
    return "none" if k == 0 else str(k)


def region_sentence(region: Region, members: pd.DataFrame) -> str:
    """The region's own counts; each member's change named when there are few of them."""
    if members.empty:
        if region.is_economy:
            return (f"{capitalised(region.in_prose)} does not have R&D spending "
                    f"figures for both periods ({EARLIER[0]}–{EARLIER[1]} and "
                    f"{LATEST[0]}–{LATEST[1]}), so retrenchment cannot be measured there.")
        return (f"None of the economies in {region.in_prose} has R&D spending figures for both "
                "periods, so retrenchment cannot be measured there.")
    cut = members[members["direction"] == "fell"].sort_values("name")
    if region.is_economy:
        return economy_text(region, members)
    if region.is_world:
        if len(cut) < 2:
            return f"{cut['name'].iloc[0]} is the only economy that cut it." if len(cut) else \
                "No economy cut it."
        return (f"The table below lists all {len(members)} economies with their change; sort "
                f"it by the change to see the {len(cut)} that cut R&D spending as a share of "
                "GDP.")
    mine = counts(members)
    if len(members) < MIN_FOR_MEDIAN:
        values = name_list(
            f"{r['name']} {r['gerd_pct_gdp_before']:z.2f}% ({int(r['year_before'])}) to "
            f"{r['gerd_pct_gdp_now']:z.2f}% ({int(r['year_now'])})"
            for _, r in members.sort_values("name").iterrows())
        detail = f" R&D spending as a share of GDP, earlier and latest: {values}."
    else:
        cutters = ("" if cut.empty else f" {cut['name'].iloc[0]} cut it." if len(cut) == 1
                   else f" Those that cut it: {name_list(cut['name'])}.")
        detail = f" The median change was {points(float(members['change'].median()))}.{cutters}"
    opening = (f"{members['name'].iloc[0]} is the only economy of {region.in_prose} with "
               "figures for both periods" if len(members) == 1 else
               f"Of the {len(members)} economies of {region.in_prose} with figures for both "
               "periods")
    if len(members) == 1:
        direction = {"rose": "raised R&D spending as a share of GDP",
                     "fell": "cut R&D spending as a share of GDP",
                     "steady": "held R&D spending as a share of GDP steady"}[
            members["direction"].iloc[0]]
        return f"{opening}; it {direction}.{detail}"
    return (f"{opening}, {_none_or(mine['rose'])} raised R&D spending as a share of GDP, "
            f"{_none_or(mine['fell'])} cut it and {_none_or(mine['steady'])} held it "
            f"steady.{detail}")


def economy_text(region: Region, members: pd.DataFrame) -> str:
    """One economy's change, its rank among all economies, and whether its span may hold a
    break."""
    row = members.iloc[0]
    change = change_over_decade()
    position = int((change["change"] > row["change"]).sum()) + 1
    name = region.in_prose
    text = (f"{capitalised(name)} went from {row['gerd_pct_gdp_before']:z.2f}% of GDP "
            f"({int(row['year_before'])}) to {row['gerd_pct_gdp_now']:z.2f}% "
            f"({int(row['year_now'])}): {points(float(row['change']))}, so it "
            f"{ {'rose': 'raised', 'fell': 'cut', 'steady': 'held steady'}[row['direction']]} "
            f"R&D spending as a share of GDP. That is the {ordinal(position)} largest change of "
            f"the {len(change)} economies with both figures (largest rise first).")
    if row["possible_break"]:
        text += (f" Its series moves by {100 * row['largest_jump']:z.0f}% between "
                 f"{int(row['jump_year']) - 1} and {int(row['jump_year'])}, more than the "
                 f"{100 * BREAK_JUMP:z.0f}% this chapter flags as a possible break, so part of "
                 "the change may be a revision rather than a change in spending.")
    return text


def verdict(region: Region, frame: pd.DataFrame) -> str:
    """Whether most economies (worldwide, or of the region) cut R&D spending as a share of GDP,
    from the same counts the text gives; empty for fewer than two economies."""
    found = counts(frame)
    total = sum(found.values())
    if total < 2:
        return ""
    where = "worldwide" if region.is_world else f"of {region.in_prose}"
    if 2 * found["fell"] < total:
        return f"Most economies {where} did not cut R&D spending as a share of GDP."
    if 2 * found["fell"] > total:
        return f"Most economies {where} cut R&D spending as a share of GDP."
    return f"Half of the economies {where} cut R&D spending as a share of GDP."


def _table_markdown() -> str:
    return csv_table(TABLE, {
        "barrier": "Barrier",
        "summary": "What the report says, in brief",
        "evidence_in_this_book": "Evidence in this book",
    })


def figure(b: Barriers):
    """Distribution of the decade's change in GERD % of GDP, region members marked."""
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import Patch

    data = b.change
    spec = FigureSpec(
        id=f"barriers-change-{b.region.slug}",
        title="Who raised and who cut R&D spending over a decade?",
        caption=("Change in gross domestic expenditure on R&D as a share of GDP, in percentage "
                 "points, between each economy's latest value in the earlier and the later "
                 "window; one named bar per economy, ordered from largest cut to largest rise "
                 "(read down the left column, then the right), "
                 f"coloured as the text counts them (a change within {STEADY} points either "
                 "way is steady)."
                 + marked(b.region, shows_members(b.region, data), "in colour, the others grey")),
        source=datasets.source_line("rd_expenditure"),
        data_years=f"{EARLIER[0]}–{EARLIER[1]} and {LATEST[0]}–{LATEST[1]}")
    colours = {"fell": OKABE_ITO["vermillion"], "steady": OKABE_ITO["grey"],
               "rose": OKABE_ITO["blue"]}
    found = data.loc[data["in_region"] | b.region.is_world, "direction"].value_counts()
    panels = 1 if len(data) <= ONE_COLUMN else 2
    rows = -(-len(data) // panels)
    fig, axes = plt.subplots(1, panels, figsize=(7.5, 0.14 * rows + 1.6), squeeze=False)
    low, high = min(0.0, float(data["change"].min())), max(0.0, float(data["change"].max()))
    pad = 0.05 * (high - low or 1)
    for k, ax in enumerate(axes[0]):
        part = data.iloc[k * rows:(k + 1) * rows]
        shown = [colours[d] if (b.region.is_world or member) else CONTEXT_GREY
                 for d, member in zip(part["direction"], part["in_region"], strict=True)]
        ax.barh(np.arange(len(part)), part["change"], color=shown, height=0.75)
        ax.set_yticks(np.arange(len(part)), part["name"], fontsize=8)
        ax.set_ylim(rows - 0.5, -0.5)
        ax.set_xlim(low - pad, high + pad)
        ax.axvline(0, color=OKABE_ITO["black"], linewidth=0.8)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("Change, points of GDP")
    handles = [Patch(color=colour, label=f"{DIRECTION_LABELS[d]} ({int(found.get(d, 0))})")
               for d, colour in colours.items()]
    if not b.region.is_world:
        handles.append(Patch(color=CONTEXT_GREY, label="Other economies"))
    fig.legend(handles=handles, loc="lower center", ncols=len(handles),
               bbox_to_anchor=(0.5, 1.0 - 0.9 / (0.14 * rows + 1.6)))
    fig.suptitle(spec.title, fontsize=11, fontweight="bold")
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.9 / (0.14 * rows + 1.6)))
    columns = ["iso3", "name", "in_region", "year_before", "gerd_pct_gdp_before", "year_now",
               "gerd_pct_gdp_now", "change", "direction"]
    return fig, spec, data[columns]
