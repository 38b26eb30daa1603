"""The future: is the share of internationally co-authored research still rising?"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .. import datasets, models, regions
from ..figures import OKABE_ITO, FigureSpec
from ..regions import Region
from ..report import MIN_FOR_MEDIAN, count, csv_table, name_list, the_country
from . import landscape

TABLE = "future-fields.csv"
RECENT = 10  # years in the recent-trend fit


def share_by_year(members: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Median internationally co-authored share (%) per year across economies (NCSES)."""
    pubs = datasets.load("publications")
    if members is not None:
        pubs = pubs[pubs["iso3"].isin(members)]
    grouped = pubs.groupby("year").agg(median_share=("international_share", "median"),
                                       economies=("iso3", "nunique")).reset_index()
    grouped["median_share"] *= 100
    return grouped


@dataclass
class Future:
    """What the chapter shows for one region."""

    region: Region
    world: pd.DataFrame
    members: pd.DataFrame
    numbers: dict = field(default_factory=dict)


def _trend(frame: pd.DataFrame) -> models.LinearFit | None:
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
    fit = _trend(world)
    first, last = world.iloc[0], world.iloc[-1]
    n = {"fut_first_year": int(first["year"]), "fut_last_year": int(last["year"]),
         "fut_first_share": float(first["median_share"]),
         "fut_last_share": float(last["median_share"]),
         "fut_economies": int(last["economies"]), "fut_recent_years": RECENT,
         "fut_slope": fit.slope if fit else float("nan"),
         "fut_trend_sentence": _sentence(fit, "the median economy's share"),
         "fut_table": _table_markdown()}
    n["fut_first_economies"] = int(first["economies"])
    n["fut_scope"] = ("overall" if region.is_world else f"overall and in {region.in_prose}")
    n["fut_region_sentence"] = _region_sentence(region, members)
    result = Future(region, world, members)
    result.numbers = n
    return result


def _region_sentence(region: Region, members: pd.DataFrame) -> str:
    if region.is_world:
        return ("This is the world edition, so the figures above are the world's; a region's "
                "edition adds its members' median to the figure.")
    if members.empty:
        return (f"NCSES does not report the co-authorship attributes of any economy of "
                f"{region.in_prose}.")
    fit = _trend(members)
    first_year, last_year = int(members["year"].iloc[0]), int(members["year"].iloc[-1])
    reported = int(members["economies"].iloc[-1])
    if reported < MIN_FOR_MEDIAN:
        pubs = datasets.load("publications")
        pubs = pubs[pubs["iso3"].isin(region.members)]
        label = landscape.names()
        each = []
        for iso3, part in pubs.sort_values("year").groupby("iso3"):
            start, end = part.iloc[0], part.iloc[-1]
            each.append(f"{the_country(label[iso3])} from "
                        f"{100 * start['international_share']:.1f}% in {int(start['year'])} "
                        f"to {100 * end['international_share']:.1f}% in "
                        f"{int(end['year'])}")
        text = (f"NCSES reports {count(reported, 'economy')} of {region.in_prose}. The share of "
                f"articles with an international co-author went, for "
                f"{name_list(each)}.")
        subject = "that share" if reported == 1 else "their median share"
        return text + f" Over the last {RECENT} years " + _sentence(fit, subject) + "."
    return (f"For the {count(reported, 'economy')} of {region.in_prose} that NCSES reports, the "
            f"median share went from {members['median_share'].iloc[0]:.1f}% in {first_year} to "
            f"{members['median_share'].iloc[-1]:.1f}% in {last_year}; over the last {RECENT} "
            "years " + _sentence(fit, "it") + ".")


def _sentence(fit: models.LinearFit | None, subject: str) -> str:
    if fit is None:
        return f"there are too few years to tell whether {subject} is still rising"
    direction = models.describe_slope(fit)
    if direction == "positive":
        return f"{subject} kept rising, by {fit.slope:.2f} percentage points a year"
    if direction == "negative":
        return f"{subject} fell, by {abs(fit.slope):.2f} percentage points a year"
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
                                    f", and across those of {f.region.in_prose}") + "."),
        source=datasets.source_line("publications"),
        data_years=f"{int(f.world['year'].min())}–{int(f.world['year'].max())}")
    fig, ax = plt.subplots(figsize=(7.5, 4.0))
    shown = f.world.assign(line="All reported economies")
    colours = {"All reported economies": OKABE_ITO["blue"]}
    if not f.region.is_world and not f.members.empty:
        shown = pd.concat([shown, f.members.assign(line=f.region.name)], ignore_index=True)
        colours[f.region.name] = OKABE_ITO["vermillion"]
    lines(ax, shown, "year", "median_share", "line", colours)
    percent_axis(ax, "y")
    ax.set_ylabel("Internationally co-authored share (median)")
    ax.set_xlabel("Publication year")
    ax.set_title(spec.title)
    data = f.world.assign(group="all").rename(columns={"median_share": "median_share_pct"})
    if not f.members.empty:
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
