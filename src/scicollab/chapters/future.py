"""The future: is the share of internationally co-authored research still rising?"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from .. import datasets, models, panels, regions, verdicts
from ..figures import OKABE_ITO, FigureSpec
from ..measures.names import names
from ..panels import economy_sentence
from ..regions import Region, the_country
from ..report import MIN_FOR_MEDIAN, Numbers, capitalised, count, csv_table, name_list, possessive

TABLE = "future-fields.csv"
RECENT = 10  # years in the recent-trend fit


def share_by_year(members: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Median internationally co-authored share (%) per year across economies (NCSES), from
    one edition of the table only (panels.exact_series), so that no year joins two editions."""
    pubs = panels.exact_series()
    if members is not None:
        pubs = pubs[pubs["iso3"].isin(members)]
    grouped = pubs.groupby("year").agg(median_share=("international_share", "median"),
                                       economies=("iso3", "nunique"),
                                       table_id=("table_id", "first")).reset_index()
    grouped["median_share"] *= 100
    return grouped


@dataclass
class BreakNumbers:
    """The join of two NCSES editions the chapter leaves out (``fut_break_*``): the first year
    of the current edition, the jump a join would show and a typical year's change (None with
    one edition only), and the sentence that says so."""

    year: int | None
    jump: float | None
    typical: float | None
    sentence: str


@dataclass
class FutureNumbers(Numbers):
    """The numbers and sentences the chapter's prose shows, glued as ``fut_<field>``; the
    trend's interval is None when there are too few years for a trend."""

    PREFIX: ClassVar[str] = "fut"
    first_year: int
    last_year: int
    first_share: float
    last_share: float
    economies: int
    first_economies: int
    recent_years: int
    slope: float
    slope_low: float | None
    slope_high: float | None
    trend_n: int | None
    trend_sentence: str
    table: str
    break_: BreakNumbers
    verdict: str
    verdict_sentence: str
    scope: str
    region_sentence: str


@dataclass
class Future:
    """What the chapter shows for one region."""

    region: Region
    world: pd.DataFrame
    members: pd.DataFrame
    numbers: FutureNumbers | None = None


def trend(frame: pd.DataFrame) -> models.LinearFit | None:
    """The linear trend of the median share over the last RECENT years (None: too few)."""
    recent = frame[frame["year"] > frame["year"].max() - RECENT]
    try:
        return models.fit_line(recent["year"], recent["median_share"])
    except models.InsufficientData:
        return None


def analyse(region_name: str) -> Future:
    """Trend of the international share, all economies and the region's."""
    region = regions.resolve(region_name)
    world = share_by_year()
    members = share_by_year(region.members)
    fit = trend(world)
    first, last = world.iloc[0], world.iloc[-1]
    v = verdicts.still_rising(fit)
    result = Future(region, world, members)
    result.numbers = FutureNumbers(
        first_year=int(first["year"]), last_year=int(last["year"]),
        first_share=float(first["median_share"]), last_share=float(last["median_share"]),
        economies=int(last["economies"]), first_economies=int(first["economies"]),
        recent_years=RECENT, slope=fit.slope if fit else float("nan"),
        slope_low=fit.slope_low if fit else None, slope_high=fit.slope_high if fit else None,
        trend_n=fit.n if fit else None,
        trend_sentence=_sentence(fit, "the median economy's share"), table=_table_markdown(),
        break_=break_numbers(), verdict=v.verdict, verdict_sentence=v.sentence,
        scope="overall" if region.is_world else f"overall and in {region.in_prose}",
        region_sentence=_region_sentence(region, members))
    return result


def break_numbers() -> BreakNumbers:
    """The join of two NCSES editions that the chapter leaves out, in numbers and words."""
    b = panels.vintage_break()
    if b["older_table"] is None:
        return BreakNumbers(year=None, jump=None, typical=None,
                            sentence="The series comes from one edition of the NCSES table.")
    return BreakNumbers(
        year=b["year"], jump=b["jump"], typical=b["typical"],
        sentence=(
            f"The series starts in {b['year']} because that is where the current edition "
            f"of the NCSES table (table {b['newest_table']}) starts. The processed data "
            f"also hold {b['older_first']}–{b['older_last']} from an earlier edition (table "
            f"{b['older_table']}), but the two editions count differently: joined, the "
            f"median share would jump by {b['jump']:z.1f} points from {b['older_last']} to "
            f"{b['year']}, against a median change of {b['typical']:z.1f} points from one "
            "year to the next within the current edition. That jump is a break between "
            "editions, not a change in collaboration, so the earlier years are left out."))


def _region_sentence(region: Region, members: pd.DataFrame) -> str:
    if region.is_economy:
        return _economy_sentence(region)
    if region.is_world:
        return ("This is the world edition, so the figures above are the world's; a region's "
                "edition adds its members' median to the figure.")
    if members.empty:
        return (f"NCSES does not report the co-authorship attributes of any economy of "
                f"{region.in_prose}.")
    fit = trend(members)
    first_year, last_year = int(members["year"].iloc[0]), int(members["year"].iloc[-1])
    reported = int(members["economies"].iloc[-1])
    if reported < MIN_FOR_MEDIAN:
        pubs = panels.exact_series()
        pubs = pubs[pubs["iso3"].isin(region.members)]
        label = names()
        each = []
        for iso3, part in pubs.sort_values("year").groupby("iso3"):
            start, end = part.iloc[0], part.iloc[-1]
            each.append(f"{the_country(label[iso3])} from "
                        f"{100 * start['international_share']:z.1f}% in {int(start['year'])} "
                        f"to {100 * end['international_share']:z.1f}% in "
                        f"{int(end['year'])}")
        text = (f"NCSES reports {count(reported, 'economy')} of {region.in_prose}. The share of "
                f"articles with an international co-author went, for "
                f"{name_list(each)}.")
        subject = "that share" if reported == 1 else "their median share"
        return text + f" Over the last {RECENT} years " + _sentence(fit, subject) + "."
    return (f"For the {count(reported, 'economy')} of {region.in_prose} that NCSES reports, the "
            f"median share went from {members['median_share'].iloc[0]:z.1f}% in {first_year} to "
            f"{members['median_share'].iloc[-1]:z.1f}% in {last_year}; over the last {RECENT} "
            "years " + _sentence(fit, "it") + ".")


def _economy_sentence(region: Region) -> str:
    """One economy's exact share over the years (current edition), its trend and rank; or that
    NCSES does not report it, with its broad share instead."""
    iso3 = region.members[0]
    name = region.in_prose
    pubs = panels.exact_series()
    mine = pubs[pubs["iso3"] == iso3].sort_values("year")
    if mine.empty:
        return (f"NCSES does not report the co-authorship attributes of {name}: it covers only "
                "the larger producers. " + economy_sentence(iso3, ["broad_share"]))
    series = mine.assign(median_share=100 * mine["international_share"])
    fit = trend(series)
    first, last = series.iloc[0], series.iloc[-1]
    return (f"{possessive(capitalised(name))} share of articles with an international "
            "co-author went from "
            f"{first['median_share']:z.1f}% in {int(first['year'])} to "
            f"{last['median_share']:z.1f}% in {int(last['year'])}; over the last {RECENT} years "
            + _sentence(fit, "it") + ". " + economy_sentence(iso3, ["exact_share"]))


def _sentence(fit: models.LinearFit | None, subject: str) -> str:
    if fit is None:
        return f"there are too few years to tell whether {subject} is still rising"
    direction = models.describe_slope(fit)
    if direction == "positive":
        return f"{subject} kept rising, by {fit.slope:z.2f} percentage points a year"
    if direction == "negative":
        return f"{subject} fell, by {abs(fit.slope):z.2f} percentage points a year"
    return f"{subject} has levelled off (no clear trend)"


def _table_markdown() -> str:
    return csv_table(TABLE, {
        "theme": "Theme",
        "what_the_article_expects": "What the article expects",
    })


def figure(f: Future):
    """The median internationally co-authored share over time, all economies and the region."""
    import matplotlib.pyplot as plt

    from ..figures import lines, percent_axis

    spec = FigureSpec(
        id=f"future-share-{f.region.slug}",
        title="Is research still becoming more international?",
        caption=("Median share of articles with an international co-author across the economies "
                 "NCSES reports" + ("" if f.region.is_world or f.members.empty else
                                    f", and the share of {f.region.in_prose}"
                                    if f.region.is_economy else
                                    f", and across those of {f.region.in_prose}") + "."),
        source=datasets.source_line("publications"),
        data_years=f"{int(f.world['year'].min())}–{int(f.world['year'].max())}")
    fig, ax = plt.subplots(figsize=(7.5, 4.0))
    shown = f.world.assign(line="All reported economies")
    colours = {"All reported economies": OKABE_ITO["blue"]}
    own_line = not f.region.is_world and not f.members.empty  # the world's is the first line
    if own_line:
        shown = pd.concat([shown, f.members.assign(line=f.region.name)], ignore_index=True)
        colours[f.region.name] = OKABE_ITO["vermillion"]
    ax.set_ylabel("Internationally co-authored share (median)")
    ax.set_xlabel("Publication year")
    lines(ax, shown, "year", "median_share", "line", colours)
    percent_axis(ax, "y")
    ax.set_title(spec.title)
    data = f.world.assign(group="all").rename(columns={"median_share": "median_share_pct"})
    if own_line:
        data = pd.concat([data, f.members.assign(group=f.region.name).rename(
            columns={"median_share": "median_share_pct"})], ignore_index=True)
    return fig, spec, data


def explore(f: Future, data: pd.DataFrame):
    """The interactive version of :func:`figure`."""
    from .. import interactive

    shown = data.assign(line=data["group"].replace({"all": "All reported economies"}))
    return interactive.lines(shown, "year", "median_share_pct", "line",
                             x_title="Publication year",
                             y_title="Internationally co-authored share (median, %)",
                             value=".1f", suffix="%", percent_y=True,
                             colours={"All reported economies": OKABE_ITO["blue"],
                                      f.region.name: OKABE_ITO["vermillion"]})
