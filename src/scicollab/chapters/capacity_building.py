"""Capacity building: researchers per million and output growth, lower-income vs others."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from .. import datasets, panels, regions
from ..figures import FigureSpec
from ..measures.capacity import WORLD, by_income, output_growth, table, verdict
from ..panels import economy_sentence
from ..regions import INCOME_GROUPS, Region
from ..report import (
    MIN_FOR_MEDIAN,
    Numbers,
    capitalised,
    csv_table,
    marked_and_named,
    name_list,
    shows_members,
)

WINDOW = panels.WINDOW  # researchers per million: latest value in these years
TABLE = "capacity_building-outcomes.csv"


def foreign_share_by_income() -> tuple[int, pd.DataFrame]:
    """Median foreign share of whole-count credit per income group (the shared panel)."""
    share = panels.panel("broad_share")
    frame = share.values[share.values["income_group"].isin(INCOME_GROUPS)]
    table = frame.groupby("income_group").agg(economies=("iso3", "size"),
                                               median_share=("value", "median"))
    return panels.broad_year(), table.reindex(list(INCOME_GROUPS)).reset_index()


@dataclass
class CapacityNumbers(Numbers):
    """The numbers and sentences the chapter's prose shows, glued as ``cap_<field>``."""

    PREFIX: ClassVar[str] = "cap"
    window_start: int
    window_end: int
    first: int
    last: int
    low_growth: float
    high_growth: float
    low_researchers: float
    high_researchers: float
    low_with_researchers: int
    low_economies: int
    groups_table: str
    outcomes_table: str
    scope: str
    world_researchers: float
    world_with_researchers: int
    low_with_growth: int
    high_with_growth: int
    share_sentence: str
    growth_lead: str
    verdict: str
    verdict_sentence: str
    region_sentence: str


@dataclass
class Capacity:
    """What the chapter shows for one region."""

    region: Region
    frame: pd.DataFrame
    groups: pd.DataFrame
    numbers: CapacityNumbers | None = None


def analyse(region_name: str) -> Capacity:
    """Capacity measures by income group and for the region's members."""
    region = regions.resolve(region_name)
    frame = table()
    frame = frame.assign(in_region=frame["iso3"].isin(region.members))
    groups = by_income(frame)
    first, last, _ = output_growth()
    g = groups.set_index("income_group")
    v = verdict(groups)
    ranked = groups[groups["income_group"] != WORLD].dropna(subset=["median_growth"])
    fastest = ranked.sort_values("median_growth", ascending=False)["income_group"].iloc[0]
    result = Capacity(region, frame, groups)
    result.numbers = CapacityNumbers(
        window_start=WINDOW[0], window_end=WINDOW[1], first=first, last=last,
        low_growth=float(g.loc["Low income", "median_growth"]),
        high_growth=float(g.loc["High income", "median_growth"]),
        low_researchers=float(g.loc["Low income", "median_researchers"]),
        high_researchers=float(g.loc["High income", "median_researchers"]),
        low_with_researchers=int(g.loc["Low income", "with_researchers"]),
        low_economies=int(g.loc["Low income", "economies"]),
        groups_table=_groups_markdown(groups), outcomes_table=_outcomes_markdown(),
        scope=("across income groups" if region.is_world
               else f"across income groups and for {region.in_prose}"),
        world_researchers=float(g.loc[WORLD, "median_researchers"]),
        world_with_researchers=int(g.loc[WORLD, "with_researchers"]),
        low_with_growth=int(g.loc["Low income", "with_growth"]),
        high_with_growth=int(g.loc["High income", "with_growth"]),
        share_sentence=share_sentence(),
        growth_lead=(f"Output grew fastest, from a low base, in {fastest.lower()} economies"
                     if fastest == "Low income" else
                     f"Output grew fastest in {fastest.lower()} economies, not in "
                     "low-income ones"),
        verdict=v.verdict, verdict_sentence=v.sentence,
        region_sentence=region_sentence(region, frame, first, last))
    return result


def share_sentence() -> str:
    """Which income group has the highest median foreign share of credit, and what that can and
    cannot say about capacity building."""
    year, shares = foreign_share_by_income()
    shares = shares.dropna(subset=["median_share"]).set_index("income_group")
    top = shares["median_share"].idxmax()
    high = shares.loc["High income"]
    if top == "Low income":
        low = shares.loc["Low income"]
        return (f"Low-income economies also have the highest median foreign share of "
                f"whole-count credit in {year} ({low['median_share']:z.1f}% across "
                f"{int(low['economies'])} economies, against {high['median_share']:z.1f}% across "
                f"{int(high['economies'])} high-income ones). This is "
                "consistent with, but does not demonstrate, the capacity-building effect the "
                "article describes: a share of credit in one year does not show how much of the "
                "growth came from partnerships, or that partnerships caused it.")
    return (f"The highest median foreign share of whole-count credit in {year} is in the "
            f"{top} group ({shares.loc[top, 'median_share']:z.1f}%), not among low-income "
            "economies, so these data do not point to partnerships behind their faster "
            "growth.")


def region_sentence(region: Region, frame: pd.DataFrame, first: int, last: int) -> str:
    """Researchers per million and output growth of the region's members: medians (with n)
    from five economies, each member's values named below that."""
    if region.is_economy:
        return economy_sentence(region.members[0], ["researchers", "output_growth"])
    members = frame[frame["in_region"]].sort_values("name")
    researchers = members.dropna(subset=["researchers_per_million"])
    growth = members.dropna(subset=["ratio"])
    if researchers.empty and growth.empty:
        return (f"None of the economies in {region.in_prose} has researcher counts or article "
                "counts to compare.")
    total = len(members)
    where = (f"Across the {total} economies on the World Bank's list" if region.is_world
             else f"In {region.in_prose}")
    span = f"{WINDOW[0]}–{WINDOW[1]}"
    if researchers.empty:
        people = f"no economy reports researchers per million for {span}"
    elif len(researchers) < MIN_FOR_MEDIAN:
        people = (f"researchers per million (latest value, {span}) are "
                  + name_list(f"{r['name']} {r['researchers_per_million']:z,.0f}"
                               for _, r in researchers.iterrows()))
        if len(researchers) < total:
            people += f" ({len(researchers)} of {total} economies report the figure)"
    else:
        reporting = (f"all {total}" if len(researchers) == total and not region.is_world
                     else f"{len(researchers)} of {total}" if not region.is_world
                     else str(len(researchers)))
        people = (f"{reporting} economies report researchers per million for {span} (median "
                  f"{researchers['researchers_per_million'].median():z,.0f})")
    if growth.empty:
        output = f"no economy has article counts for both {first} and {last}"
    elif len(growth) < MIN_FOR_MEDIAN:
        output = (f"article output grew from {first} to {last}: "
                  + name_list(f"{r['name']} {r['ratio']:z.1f}-fold"
                               for _, r in growth.iterrows()))
    else:
        output = (f"the median article output of {len(growth)} economies grew "
                  f"{growth['ratio'].median():z.1f}-fold from {first} to {last}")
    return f"{where}, {people}. {capitalised(output)}."


def _groups_markdown(groups: pd.DataFrame) -> str:
    rows = ["| Income group | Economies | Reporting researchers | Median researchers per "
            "million | Median output growth (ratio) |", "|---|---:|---:|---:|---:|"]
    for r in groups.itertuples():
        rows.append(f"| {r.income_group} | {r.economies} | {r.with_researchers} | "
                    f"{r.median_researchers:z,.0f} | {r.median_growth:z.1f} |")
    return "\n".join(rows)


def _outcomes_markdown() -> str:
    return csv_table(TABLE, {"outcome": "Outcome", "what_it_means": "What it means",
                             "measure_in_this_book": "Measured here by"})


def figure(c: Capacity):
    """Researchers per million against output growth, by income group, region marked."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import StrMethodFormatter

    from ..figures import log_axis, outliers, pick_labels, scatter_by_income
    from ..labels import label_points

    first, last, _ = output_growth()
    data = c.frame.dropna(subset=["researchers_per_million", "ratio"])
    shown = shows_members(c.region, data)
    spec = FigureSpec(
        id=f"capacity-{c.region.slug}",
        title="Research capacity and growth of output",
        caption=("Each point is an economy: researchers per million people (latest value, log "
                 "scale) against the growth of its article output (whole counts, ratio of last "
                 "to first year), coloured and shaped by income group."
                 + marked_and_named(c.region, shown, "outlined; others are grey")),
        source=datasets.source_line("researchers", "publication_counts"),
        data_years=f"researchers {WINDOW[0]}–{WINDOW[1]}; articles {first} and {last}")
    fig, ax = plt.subplots()
    ax.set_xlabel("Researchers per million people (log scale)")
    ax.set_ylabel(f"Article output {last} ÷ {first} (log scale)")
    scatter_by_income(ax, data, "researchers_per_million", "ratio", highlight=shown)
    log_axis(ax, "x", StrMethodFormatter("{x:,g}"))
    log_axis(ax, "y", StrMethodFormatter("×{x:g}"), subs=(1.0, 2.0, 5.0))
    named = pick_labels(data, size="end", top=6, highlight=shown,
                        extra=outliers(data, "researchers_per_million", "ratio", k=4,
                                       log_x=True))
    label_points(ax, named, "researchers_per_million", "ratio")  # once the scales are final
    ax.set_title(spec.title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    columns = ["iso3", "name", "income_group", "in_region", "researchers_per_million",
               "start", "end", "ratio"]
    data = data.assign(labelled=data["iso3"].isin(named["iso3"]))
    return fig, spec, data[[*columns, "labelled"]].rename(columns={"start": f"articles_{first}",
                                                    "end": f"articles_{last}"})


def explore(c: Capacity, data: pd.DataFrame):
    """The interactive version of :func:`figure`, from the data frame it plotted."""
    from .. import interactive

    ratio = [column for column in data.columns if column.startswith("articles_")]
    hover = [("researchers_per_million", "Researchers per million", ":,.0f"),
             ("ratio", "Output growth (×)", ":.1f"),
             *[(column, f"Articles {column[-4:]}", ":,.0f") for column in ratio],
             ("income_group", "Income group", "")]
    return interactive.scatter(
        data, "researchers_per_million", "ratio", x_title="Researchers per million (log)",
        y_title="Article output growth (×, log)", hover=hover,
        highlight=shows_members(c.region, data), log_x=True, log_y=True)
