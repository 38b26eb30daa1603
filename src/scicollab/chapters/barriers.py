"""Barriers: funding retrenchment measured as the change in R&D spending over a decade."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .. import datasets, regions
from ..figures import CONTEXT_GREY, OKABE_ITO, FigureSpec
from ..regions import Region
from ..report import MIN_FOR_MEDIAN, csv_table, name_list
from . import landscape

LATEST = (2019, 2023)  # "now": each economy's latest GERD % of GDP in these years
EARLIER = (2009, 2013)  # "a decade earlier": its latest value in these years
TABLE = "barriers-barriers.csv"
STEADY = 0.05  # changes smaller than this (percentage points of GDP) count as steady
DIRECTION_LABELS = {"fell": "Cut", "steady": "Steady", "rose": "Raised"}
ONE_COLUMN = 30  # up to this many economies the figure has one column of bars, else two


def change_over_decade() -> pd.DataFrame:
    """GERD % of GDP now and a decade earlier, the change, and rose / fell / steady."""
    rd = datasets.load("rd_expenditure")
    now = datasets.latest_in_window(rd, "gerd_pct_gdp", *LATEST)
    before = datasets.latest_in_window(rd, "gerd_pct_gdp", *EARLIER)
    frame = now.merge(before, on="iso3", suffixes=("_now", "_before"))
    frame["change"] = frame["gerd_pct_gdp_now"] - frame["gerd_pct_gdp_before"]
    frame["direction"] = "steady"
    frame.loc[frame["change"] >= STEADY, "direction"] = "rose"
    frame.loc[frame["change"] <= -STEADY, "direction"] = "fell"
    return frame.sort_values("change").reset_index(drop=True)


def counts(frame: pd.DataFrame) -> dict[str, int]:
    """How many economies rose, fell or held steady."""
    found = frame["direction"].value_counts()
    return {key: int(found.get(key, 0)) for key in ("rose", "fell", "steady")}


@dataclass
class Barriers:
    """What the chapter shows for one region."""

    region: Region
    change: pd.DataFrame
    numbers: dict = field(default_factory=dict)


def analyse(region_name: str) -> Barriers:
    """Retrenchment vs growth of R&D spending, world and region."""
    region = regions.resolve(region_name)
    change = change_over_decade()
    change = change.assign(in_region=change["iso3"].isin(region.members),
                           name=change["iso3"].map(landscape.names()))
    world = counts(change)
    members = change[change["in_region"]]
    n = {"bar_latest_start": LATEST[0], "bar_latest_end": LATEST[1],
         "bar_earlier_start": EARLIER[0], "bar_earlier_end": EARLIER[1],
         "bar_steady": STEADY, "bar_economies": len(change),
         "bar_rose": world["rose"], "bar_fell": world["fell"], "bar_held": world["steady"],
         "bar_median_change": float(change["change"].median()),
         "bar_median_change_text": points(float(change["change"].median())),
         "bar_scope": "worldwide" if region.is_world else f"worldwide and in {region.in_prose}",
         "bar_table": _table_markdown(),
         "bar_region_sentence": " ".join(filter(None, (region_sentence(region, members),
                                                       verdict(region, members))))}
    result = Barriers(region, change)
    result.numbers = n
    return result


def points(change: float) -> str:
    """A change in points of GDP with its sign; 'under 0.01 points' when it rounds to zero."""
    return ("under 0.01 points of GDP either way" if round(change, 2) == 0
            else f"{change:+.2f} points of GDP")


def _none_or(k: int) -> str:
    return "none" if k == 0 else str(k)


def region_sentence(region: Region, members: pd.DataFrame) -> str:
    """The region's own counts; each member's change named when there are few of them."""
    if members.empty:
        return (f"None of the economies in {region.in_prose} has R&D spending figures for both "
                "periods, so retrenchment cannot be measured there.")
    cut = members[members["direction"] == "fell"].sort_values("name")
    if region.is_world:
        if len(cut) < 2:
            return f"{cut['name'].iloc[0]} is the only economy that cut it." if len(cut) else \
                "No economy cut it."
        return f"The {len(cut)} economies that cut it: {name_list(cut['name'])}."
    mine = counts(members)
    if len(members) < MIN_FOR_MEDIAN:
        values = name_list(
            f"{r['name']} {r['gerd_pct_gdp_before']:.2f}% ({int(r['year_before'])}) to "
            f"{r['gerd_pct_gdp_now']:.2f}% ({int(r['year_now'])})"
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
                 + ("" if b.region.is_world
                    else f" Economies in {b.region.in_prose} are in colour, the others grey.")),
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
