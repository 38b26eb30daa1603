"""Drivers: how fast internationally co-authored output and partner counts have grown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from .. import datasets, regions
from ..figures import OKABE_ITO, FigureSpec
from ..measures import openalex
from ..measures.names import names
from ..panels import economy_sentence
from ..regions import Region, the_country
from ..report import MIN_FOR_MEDIAN, Numbers, count, csv_table, name_list

TABLE = "drivers-drivers.csv"
BASE = 2000


def index_series(members: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Internationally co-authored works (summed) and median partner count per year, with the
    works indexed to BASE = 100, over all economies or the given ones."""
    oa = datasets.load("openalex_international")
    if members is not None:
        oa = oa[oa["iso3"].isin(members)]
    yearly = oa.groupby("year").agg(works=("international_works", "sum"),
                                    median_partners=("partner_countries", "median"),
                                    economies=("iso3", "nunique")).reset_index()
    base = yearly.loc[yearly["year"] == BASE, "works"]
    yearly["index"] = 100 * yearly["works"] / base.iloc[0] if len(base) and base.iloc[0] else (
        float("nan"))
    return yearly


@dataclass
class DriversNumbers(Numbers):
    """The numbers and sentences the chapter's prose shows, glued as ``drv_<field>``."""

    PREFIX: ClassVar[str] = "drv"
    base: int
    last: int
    world_index: float
    partners_base: float
    partners_last: float
    index_label: str
    economies_base: int
    economies_last: int
    benchmark_sentence: str
    scope: str
    table: str
    region_sentence: str


@dataclass
class Drivers:
    """What the chapter shows for one region."""

    region: Region
    world: pd.DataFrame
    members: pd.DataFrame
    numbers: DriversNumbers | None = None


def _at(frame: pd.DataFrame, year: int, column: str) -> float:
    row = frame.loc[frame["year"] == year, column]
    return float(row.iloc[0]) if len(row) else float("nan")


def analyse(region_name: str) -> Drivers:
    """Growth of works and partners, world and region."""
    region = regions.resolve(region_name)
    world = index_series()
    members = index_series(region.members)
    last = int(world["year"].max())
    result = Drivers(region, world, members)
    result.numbers = DriversNumbers(
        base=BASE, last=last, world_index=_at(world, last, "index"),
        partners_base=_at(world, BASE, "median_partners"),
        partners_last=_at(world, last, "median_partners"),
        index_label=f"index, {BASE} = 100",
        economies_base=int(_at(world, BASE, "economies")),
        economies_last=int(_at(world, last, "economies")),
        benchmark_sentence=openalex.benchmark_sentence(openalex.coverage_benchmark()),
        scope="worldwide" if region.is_world else f"worldwide and in {region.in_prose}",
        table=_table_markdown(),
        region_sentence=_region_sentence(region, world, members, last))
    return result


def _region_sentence(region: Region, world: pd.DataFrame, members: pd.DataFrame,
                     last: int) -> str:
    if region.is_world:
        return ("This is the world edition, so the index above is the world's; a region's "
                "edition adds its members' index to the figure.")
    if region.is_economy:
        return economy_text(region, world, members, last)
    if members.empty or pd.isna(_at(members, last, "index")):
        return (f"OpenAlex has no internationally co-authored works for the economies of "
                f"{region.in_prose} in both {BASE} and {last}.")
    text = (f"For {region.in_prose}, the members' summed credits (whole counts, each member "
            f"counted once per work) stood at {_at(members, last, 'index'):z,.0f} in {last} "
            f"(index, {BASE} = 100), against {_at(world, last, 'index'):z,.0f} for all countries.")
    oa = datasets.load("openalex_international")
    mine = oa[oa["iso3"].isin(region.members) & oa["year"].isin([BASE, last])]
    both = mine.pivot(index="iso3", columns="year", values="partner_countries").dropna()
    if len(both) < MIN_FOR_MEDIAN:
        label = names()
        each = [f"{the_country(label[iso3])} from {row[BASE]:z.0f} to {row[last]:z.0f}"
                for iso3, row in both.sort_values(last, ascending=False).iterrows()]
        if each:
            text += f" Partner countries, {BASE} to {last}: {name_list(each)}."
    else:
        text += (f" The median member worked with {both[BASE].median():z.0f} partner countries "
                 f"in {BASE} and {both[last].median():z.0f} in {last} (the "
                 f"{count(len(both), 'member')} with works in both years).")
    return text


def economy_text(region: Region, world: pd.DataFrame, members: pd.DataFrame,
                 last: int) -> str:
    """One economy's index of internationally co-authored works and its partner countries,
    with its ranks; or the years it lacks."""
    iso3 = region.members[0]
    name = region.in_prose
    oa = datasets.load("openalex_international")
    mine = oa[oa["iso3"] == iso3].set_index("year")
    if mine.empty:
        return f"OpenAlex has no internationally co-authored works for {name} in any year."
    if BASE not in mine.index or last not in mine.index:
        years = f"{int(mine.index.min())}–{int(mine.index.max())}"
        return (f"OpenAlex has internationally co-authored works for {name} only in some years "
                f"({years}, {count(len(mine), 'year')}), not in both {BASE} and {last}, so "
                "no index can be drawn. " + economy_sentence(iso3, ["works", "partners"]))
    return (f"For {name}, internationally co-authored works (whole counts) stood at "
            f"{_at(members, last, 'index'):z,.0f} in {last} (index, {BASE} = 100), against "
            f"{_at(world, last, 'index'):z,.0f} for all economies; its partner countries went "
            f"from {mine.loc[BASE, 'partner_countries']:z.0f} in {BASE} to "
            f"{mine.loc[last, 'partner_countries']:z.0f} in {last}. "
            + economy_sentence(iso3, ["works", "partners", "works_growth"],
                               lead="Where it stands"))


def _table_markdown() -> str:
    return csv_table(TABLE, {"driver": "Driver", "summary": "In brief"})


def figure(d: Drivers):
    """Index of internationally co-authored works (BASE = 100), all countries and the region."""
    import matplotlib.pyplot as plt

    from ..figures import lines, thousands_axis

    spec = FigureSpec(
        id=f"drivers-growth-{d.region.slug}",
        title="The growth of international co-authorship",
        caption=(f"Internationally co-authored works, summed over countries (whole counts: a work "
                 f"counts once for every country on it), as an index with {BASE} = 100"
                 + ("." if d.region.is_world else f": all countries and {d.region.in_prose}.")
                 + " The counts also grow with OpenAlex's coverage."),
        source=datasets.source_line("openalex_international"),
        data_years=f"{int(d.world['year'].min())}–{int(d.world['year'].max())}")
    fig, ax = plt.subplots(figsize=(7.5, 4.0))
    world = d.world[d.world["year"] >= BASE]
    data = world.assign(group="all")
    shown = world.assign(line="All countries")
    colours = {"All countries": OKABE_ITO["blue"]}
    if not d.region.is_world and not d.members.empty:
        mine = d.members[d.members["year"] >= BASE]
        data = pd.concat([data, mine.assign(group=d.region.name)], ignore_index=True)
        shown = pd.concat([shown, mine.assign(line=d.region.name)], ignore_index=True)
        colours[d.region.name] = OKABE_ITO["vermillion"]
    ax.set_ylabel(f"Index, {BASE} = 100")
    ax.set_xlabel("Publication year")
    lines(ax, shown, "year", "index", "line", colours)
    thousands_axis(ax, "y")
    ax.set_title(spec.title)
    return fig, spec, data


def explore(d: Drivers, data: pd.DataFrame):
    """The interactive version of :func:`figure`."""
    from .. import interactive

    shown = data.assign(line=data["group"].replace({"all": "All countries"}))
    return interactive.lines(shown, "year", "index", "line", x_title="Publication year",
                             y_title=f"Index, {BASE} = 100",
                             colours={"All countries": OKABE_ITO["blue"],
                                      d.region.name: OKABE_ITO["vermillion"]})
