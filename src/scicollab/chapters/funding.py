"""Funding: how much economies spend on R&D, how that moved, and how much comes from abroad."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from .. import datasets, panels, regions
from ..figures import CONTEXT_GREY, OKABE_ITO, FigureSpec
from ..measures.names import names
from ..panels import economy_sentence
from ..regions import Region
from ..report import (
    MIN_FOR_MEDIAN,
    Numbers,
    capitalised,
    count,
    csv_table,
    framed,
    marked,
    name_list,
    possessive,
    shows_members,
)

TABLE = "funding-sources.csv"
START = 2000
WINDOW = panels.WINDOW  # each economy's latest GERD % of GDP in these years (shared panel)


def sources_of_funds() -> pd.DataFrame:
    """Share of GERD by source of funds, one row per economy (NCSES, 2021 or latest)."""
    funding = datasets.load("rd_funding")
    funds = funding[funding["category"] == "source_of_funds"]
    wide = funds.pivot(index=["iso3", "year"], columns="sector", values="value").reset_index()
    wide.columns.name = None
    wide["name"] = wide["iso3"].map(names())
    return wide.sort_values("rest_of_the_world", ascending=False).reset_index(drop=True)


def gerd_trend(members: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Median GERD as % of GDP per year since START, over all economies or the given ones."""
    rd = datasets.load("rd_expenditure")
    rd = rd[rd["year"] >= START]
    if members is not None:
        rd = rd[rd["iso3"].isin(members)]
    return rd.groupby("year").agg(median=("gerd_pct_gdp", "median"),
                                  economies=("iso3", "nunique")).reset_index()


def well_covered_years() -> tuple[int, int]:
    """First and last year since START in which at least half as many economies report GERD
    (% of GDP) as in the best-covered year."""
    trend = gerd_trend()
    covered = trend[trend["economies"] >= trend["economies"].max() / 2]
    return int(covered["year"].iloc[0]), int(covered["year"].iloc[-1])


def constant_panel(first: int, last: int) -> pd.DataFrame:
    """GERD % of GDP in ``first`` and ``last`` for the economies that report it in both years."""
    rd = datasets.load("rd_expenditure").dropna(subset=["gerd_pct_gdp"])
    wide = rd[rd["year"].isin([first, last])].pivot(index="iso3", columns="year",
                                                    values="gerd_pct_gdp")
    wide = wide.dropna()
    return pd.DataFrame({"iso3": wide.index, "first": wide[first].to_numpy(),
                         "last": wide[last].to_numpy()}).reset_index(drop=True)


def latest_gerd_share() -> pd.DataFrame:
    """Each economy's latest GERD as % of GDP within WINDOW, with its year and name (the shared
    panel that every chapter reads)."""
    values = panels.panel("gerd_pct_gdp").values
    return values.rename(columns={"value": "gerd_pct_gdp"})[
        ["iso3", "year", "gerd_pct_gdp", "name", "income_group"]].reset_index(drop=True)


@dataclass
class FundingNumbers(Numbers):
    """The numbers and sentences the chapter's prose shows, glued as ``fund_<field>``."""

    PREFIX: ClassVar[str] = "fund"
    economies: int
    abroad_median: float
    abroad_top: str
    abroad_top_value: float
    source_economies: int
    business_median: float
    government_median: float
    source_year_last: int
    source_year_first: int
    source_on_last: int
    start: int
    end: int
    panel_economies: int
    gerd_start: float
    gerd_end: float
    window_start: int
    window_end: int
    latest_economies: int
    latest_median: float
    outside_panel: int
    outside_panel_median: float
    scope: str
    table: str
    region_sentence: str


@dataclass
class Funding:
    """What the chapter shows for one region."""

    region: Region
    funds: pd.DataFrame
    numbers: FundingNumbers | None = None


def analyse(region_name: str) -> Funding:
    """Funding from abroad and R&D spending, world and region."""
    region = regions.resolve(region_name)
    funds = sources_of_funds().assign(in_region=lambda f: f["iso3"].isin(region.members))
    abroad = funds.dropna(subset=["rest_of_the_world"])
    by_source = funds.dropna(subset=["business", "government"], how="all")
    first, last = well_covered_years()
    panel = constant_panel(first, last)
    latest = latest_gerd_share()
    outside = latest[~latest["iso3"].isin(panel["iso3"])]
    newest = int(funds["year"].max())
    result = Funding(region, funds)
    result.numbers = FundingNumbers(
        economies=len(abroad), abroad_median=float(abroad["rest_of_the_world"].median()),
        abroad_top=abroad["name"].iloc[0],
        abroad_top_value=float(abroad["rest_of_the_world"].iloc[0]),
        source_economies=len(by_source),
        business_median=float(by_source["business"].median()),
        government_median=float(by_source["government"].median()),
        source_year_last=newest, source_year_first=int(funds["year"].min()),
        source_on_last=int((by_source["year"] == newest).sum()),
        start=first, end=last, panel_economies=len(panel),
        gerd_start=float(panel["first"].median()), gerd_end=float(panel["last"].median()),
        window_start=WINDOW[0], window_end=WINDOW[1],
        latest_economies=len(latest), latest_median=float(latest["gerd_pct_gdp"].median()),
        outside_panel=len(outside),
        outside_panel_median=float(outside["gerd_pct_gdp"].median()),
        scope=("for the world" if region.is_world
               else f"for the world and for {region.in_prose}"),
        table=_table_markdown(), region_sentence=region_sentence(region, latest, abroad))
    return result


def region_sentence(region: Region, latest: pd.DataFrame, abroad: pd.DataFrame) -> str:
    """The region's R&D spending and funding from abroad: medians from five members up,
    each member's value named below that (``latest``: every economy's latest R&D spending;
    ``abroad``: every economy NCSES reports, its members marked ``in_region``)."""
    start, end = WINDOW
    if region.is_world:
        low, high = latest.nsmallest(1, "gerd_pct_gdp").iloc[0], \
            latest.nlargest(1, "gerd_pct_gdp").iloc[0]
        return (f"Across the {len(latest)} economies with a figure for {start}–{end} (each "
                f"economy's latest), R&D spending ranges from {low['gerd_pct_gdp']:z.2f}% of GDP "
                f"in {low['name']} ({int(low['year'])}) to {high['gerd_pct_gdp']:z.2f}% in "
                f"{high['name']} ({int(high['year'])}).")
    gerd = latest[latest["iso3"].isin(region.members)].sort_values("name")
    mine = abroad[abroad["in_region"]].sort_values("name")
    if region.is_economy:
        return economy_text(region, mine, abroad)
    if gerd.empty and mine.empty:
        return (f"Neither the World Bank (R&D spending, {start}–{end}) nor NCSES (sources of "
                f"R&D funds) has figures for any economy in {region.in_prose}.")
    members = len(region.members)
    missing = members - len(gerd)
    others = ("" if not missing else "; the other member has no figure" if missing == 1
              else f"; the other {missing} members have no figure")
    if gerd.empty:
        spending = (f"none of its {count(members, 'member')} reports R&D spending as a share "
                    f"of GDP for {start}–{end}")
    elif len(gerd) == 1:
        row = gerd.iloc[0]
        spending = (f"{row['name']} is the only one of its {count(members, 'member')} with a "
                    f"figure for {start}–{end}: it spent {row['gerd_pct_gdp']:z.2f}% of GDP on "
                    f"R&D in {int(row['year'])}")
    elif len(gerd) < MIN_FOR_MEDIAN:
        values = name_list(f"{r['name']} {r['gerd_pct_gdp']:z.2f}% ({int(r['year'])})"
                            for _, r in gerd.iterrows())
        spending = (f"R&D spending as a share of GDP (each member's latest figure for "
                    f"{start}–{end}) was {values}{others}")
    else:
        which = (f"its {len(gerd)} members" if not missing else
                 f"the {len(gerd)} of its {members} members with a figure")
        spending = (f"taking each member's latest figure for {start}–{end}, the median R&D "
                    f"spending of {which} was {gerd['gerd_pct_gdp'].median():z.2f}% of GDP (all "
                    f"economies: {latest['gerd_pct_gdp'].median():z.2f}%, n = "
                    f"{len(latest)})")
    if mine.empty:
        foreign = "NCSES reports no member's share of R&D funded from abroad"
    elif len(mine) == 1:
        row = mine.iloc[0]
        foreign = (f"NCSES covers one member, {row['name']}, where "
                   f"{row['rest_of_the_world']:z.1f}% of R&D was funded from abroad in "
                   f"{int(row['year'])}")
    elif len(mine) < MIN_FOR_MEDIAN:
        values = name_list(f"{r['name']} {r['rest_of_the_world']:z.1f}% ({int(r['year'])})"
                            for _, r in mine.iterrows())
        foreign = f"the share of R&D funded from abroad, as NCSES reports it, was {values}"
    else:
        foreign = (f"across the {len(mine)} members NCSES covers, a median "
                   f"{mine['rest_of_the_world'].median():z.1f}% of R&D was funded from abroad "
                   f"(all {len(abroad)} NCSES economies: "
                   f"{abroad['rest_of_the_world'].median():z.1f}%)")
    return f"In {region.in_prose}, {spending}. {capitalised(foreign)}."


def economy_text(region: Region, mine: pd.DataFrame, abroad: pd.DataFrame) -> str:
    """One economy's R&D spending with its ranks, and its share funded from abroad (``mine``:
    its row of ``abroad``, if NCSES reports it)."""
    iso3 = region.members[0]
    name = region.in_prose
    text = economy_sentence(iso3, ["gerd_pct_gdp", "gerd_usd"])
    if mine.empty:
        return text + (f" NCSES does not report {possessive(name)} R&D by source of funds, "
                       "so the share funded from abroad is unknown.")
    row = mine.iloc[0]
    return text + (f" In {name}, {row['rest_of_the_world']:z.1f}% of R&D was funded from abroad "
                   f"in {int(row['year'])} (median of the {len(abroad)} economies NCSES "
                   f"reports: {abroad['rest_of_the_world'].median():z.1f}%).")


def _table_markdown() -> str:
    return csv_table(TABLE, {
        "funding_source": "Funding source",
        "role_in_partnerships": "Role in partnerships",
        "measured_here": "Measured here",
    })


def _years(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def _bar_colours(region: Region, data: pd.DataFrame) -> list[str]:
    """One colour per economy's bar, for the static and the interactive chart alike: the
    region's members in blue and the others grey, or all blue when no member is plotted."""
    highlight = shows_members(region, data)
    return [OKABE_ITO["blue"] if (not highlight or member) else CONTEXT_GREY
            for member in data["in_region"]]


def figure(f: Funding):
    """Share of GERD funded from abroad, economies NCSES covers, region members in colour."""
    import matplotlib.pyplot as plt

    from ..figures import percent_axis

    data = f.funds.dropna(subset=["rest_of_the_world"])
    highlight = shows_members(f.region, data)
    spec = FigureSpec(
        id=f"funding-abroad-{f.region.slug}",
        title="How much R&D is funded from abroad?",
        caption=("Share of gross domestic expenditure on R&D funded from the rest of the world "
                 "(foreign firms, governments, international organisations), for the economies "
                 "NCSES covers." + marked(f.region, highlight, "in colour")),
        source=datasets.source_line("rd_funding"),
        data_years=(f"{_years(int(data['year'].min()), int(data['year'].max()))} "
                    "(each economy's latest year)"))
    fig, ax = plt.subplots(figsize=(7.5, max(3.0, 0.2 * len(data) + 1)))
    colours = _bar_colours(f.region, data)
    ax.barh(data["name"], data["rest_of_the_world"], color=colours)
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=8)
    percent_axis(ax, "x")
    ax.set_xlabel("Share of GERD funded from abroad")
    ax.set_title(spec.title)
    columns = ["iso3", "name", "year", "in_region", "business", "government",
               "other_domestic", "rest_of_the_world"]
    return fig, spec, data[[c for c in columns if c in data.columns]]


def intensity_map(f: Funding):
    """World map of R&D intensity (GERD % of GDP, each economy's latest value): figure, spec,
    data."""
    from .. import maps

    latest = latest_gerd_share()
    data = latest.assign(in_region=latest["iso3"].isin(f.region.members))[
        ["iso3", "name", "in_region", "year", "gerd_pct_gdp"]]
    members = () if f.region.is_world else f.region.members
    spec = FigureSpec(
        id=f"map-rd-intensity-{f.region.slug}",
        title="R&D intensity: GERD as a share of GDP",
        caption=("Gross domestic expenditure on R&D as a percentage of GDP, each economy's "
                 "latest value in the window (its year is in the CSV and on hover); grey land "
                 "has no value." + framed(f.region)),
        source=datasets.source_line("rd_expenditure"), data_years=_years(*WINDOW))
    fig = maps.static_value_map(data, "gerd_pct_gdp", spec.title, "GERD, % of GDP",
                                members=members, percent=False)
    return fig, spec, data


def explore_intensity_map(data: pd.DataFrame, region: Region):
    """The interactive version of :func:`intensity_map`."""
    from .. import maps

    return maps.interactive_value_map(
        data, "gerd_pct_gdp", "GERD, % of GDP",
        [("gerd_pct_gdp", "GERD, % of GDP", ":.2f"), ("year", "Year", "")],
        members=() if region.is_world else region.members, suffix="")


def explore(data: pd.DataFrame, region: Region):
    """The interactive version of :func:`figure`: a bar per economy, hover for its values."""
    import plotly.graph_objects as go

    from .. import interactive

    colours = _bar_colours(region, data)
    lay = interactive.layout("Share of GERD funded from abroad (%)", "",
                             height=max(360, 18 * len(data) + 120))
    lay["yaxis"].update(autorange="reversed", tickfont={"size": interactive.SMALL})
    fig = go.Figure(layout=lay)
    fig.add_trace(go.Bar(
        x=data["rest_of_the_world"], y=data["name"], orientation="h", marker={"color": colours},
        customdata=data[["name", "rest_of_the_world", "year"]].to_numpy(), name="Economies",
        hovertemplate=interactive._hover([("Funded from abroad (%)", ":.1f"),
                                          ("Year", "")])))
    return fig
