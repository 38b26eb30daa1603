"""Impact: how international was the research response to the pandemic?"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from .. import datasets, regions
from ..figures import OKABE_ITO, FigureSpec
from ..measures.impact import YEAR, citation_verdict, covid_comparison, covid_vs_all
from ..regions import Region
from ..report import (
    MIN_FOR_MEDIAN,
    Numbers,
    capitalised,
    csv_table,
    marked_and_named,
    name_list,
    shows_members,
)

TABLE = "impact-dimensions.csv"


@dataclass
class ImpactNumbers(Numbers):
    """The numbers and sentences the chapter's prose shows, glued as ``imp_<field>``."""

    PREFIX: ClassVar[str] = "imp"
    year: int
    economies: int
    compared: int
    more_international: int
    median_covid: float
    median_all: float
    table: str
    scope: str
    region_sentence: str
    citation_verdict: str
    citation_sentence: str


@dataclass
class Impact:
    """What the chapter shows for one region."""

    region: Region
    data: pd.DataFrame
    numbers: ImpactNumbers | None = None


def analyse(region_name: str) -> Impact:
    """Coronavirus research: volume and international share, world and region."""
    region = regions.resolve(region_name)
    data = covid_vs_all().assign(in_region=lambda f: f["iso3"].isin(region.members))
    compared = covid_comparison(data)
    v = citation_verdict()
    result = Impact(region, data)
    result.numbers = ImpactNumbers(
        year=compared.year, economies=len(data), compared=compared.compared,
        more_international=compared.more_international,
        median_covid=compared.median_covid, median_all=compared.median_all,
        table=_table_markdown(),
        scope=("for all economies" if region.is_world
               else f"for all economies and for {region.in_prose}"),
        region_sentence=region_sentence(region, data),
        citation_verdict=v.verdict, citation_sentence=v.sentence)
    return result


def region_sentence(region: Region, data: pd.DataFrame) -> str:
    """The region's coronavirus articles in whole counts and the international share of them;
    each member's share named when there are few members."""
    members = data[data["in_region"]]
    if region.is_economy:
        return economy_text(region, members)
    if members.empty:
        return (f"NCSES records no coronavirus-related articles in {YEAR} for the economies in "
                f"{region.in_prose}.")
    total = int(members["whole"].sum())
    share = 100 * members["international"].sum() / members["whole"].sum()
    credits = (f"{total:,} whole-count credits (an article with authors from two countries "
               "counts once for each)")
    if region.is_world:
        return (f"Across all {len(members)} economies, coronavirus-related articles in {YEAR} "
                f"add up to {credits}; {share:z.1f}% of those credits are on articles with an "
                "international co-author.")
    if len(members) == 1:
        row = members.iloc[0]
        return (f"{row['name']} is the only economy of {region.in_prose} with "
                f"coronavirus-related articles in {YEAR}: {credits}, {share:z.1f}% of them on "
                "articles with an international co-author.")
    opening = (f"The {len(members)} economies of {region.in_prose} with coronavirus-related "
               f"articles in {YEAR} have {credits}; {share:z.1f}% of those credits are on "
               "articles with an international co-author")
    if len(members) < MIN_FOR_MEDIAN:
        each = name_list(f"{r['name']} {100 * r['international_share_covid']:z.1f}%"
                          for _, r in members.sort_values("name").iterrows())
        return f"{opening} ({each})."
    return f"{opening}."


def economy_text(region: Region, members: pd.DataFrame) -> str:
    """One economy's coronavirus articles, how international they were, and against its
    articles overall."""
    name = capitalised(region.in_prose)
    if members.empty:
        return f"NCSES records no coronavirus-related articles for {name} in {YEAR}."
    row = members.iloc[0]
    text = (f"{name} had {int(row['whole']):,} coronavirus-related articles in {YEAR} (whole "
            f"counts); {int(row['international']):,} of them "
            f"({100 * row['international_share_covid']:z.1f}%) had an international co-author")
    if pd.notna(row["international_share_all"]):
        more = row["international_share_covid"] > row["international_share_all"]
        text += (f", against {100 * row['international_share_all']:z.1f}% of all its articles "
                 f"that year: its pandemic research was {'more' if more else 'less'} "
                 "international than its research overall")
    else:
        text += "; NCSES does not report the share for all its articles to compare"
    return text + "."


def _table_markdown() -> str:
    return csv_table(TABLE, {
        "dimension": "Dimension",
        "what_the_documents_say": "What the documents say",
        "measured_here": "Measured here?",
    })


def figure(i: Impact):
    """International share of coronavirus articles against that of all articles in 2020."""
    import matplotlib.pyplot as plt
    import numpy as np
    import seaborn as sns

    from ..figures import outliers, percent_axis, pick_labels
    from ..labels import label_points

    data = i.data.dropna(subset=["international_share_all"])
    # a region none of whose members is shown is drawn as the world is
    highlight = shows_members(i.region, data)
    spec = FigureSpec(
        id=f"impact-covid-{i.region.slug}",
        title="Was pandemic research more international?",
        caption=("Each point is an economy NCSES reports for both tables: the share of its "
                 "coronavirus-related articles with an international co-author against the same "
                 "share for all its articles; points above the diagonal were more international "
                 "in pandemic research."
                 + marked_and_named(i.region, highlight, "in vermillion")),
        source=datasets.source_line("covid_articles", "publications"),
        data_years=str(YEAR))
    fig, ax = plt.subplots(figsize=(6.4, 5.6))
    ax.plot([0, 100], [0, 100], color=OKABE_ITO["grey"], linestyle="--", linewidth=1,
            label="Equally international")
    plotted = data.assign(all_pct=100 * data["international_share_all"],
                          covid_pct=100 * data["international_share_covid"],
                          where=np.where(data["in_region"], i.region.name, "Other economies"))
    if not highlight:
        plotted["where"] = "Economies"
    hues = [h for h in (i.region.name, "Other economies", "Economies")
            if h in set(plotted["where"])]
    ax.set_xlabel("All articles: internationally co-authored")
    ax.set_ylabel("Coronavirus articles: internationally co-authored")
    sns.scatterplot(data=plotted, x="all_pct", y="covid_pct", hue="where", hue_order=hues,
                    palette={i.region.name: OKABE_ITO["vermillion"],
                             "Other economies": OKABE_ITO["blue"],
                             "Economies": OKABE_ITO["blue"]},
                    s=30, linewidth=0.4, edgecolor="white", ax=ax, zorder=3)
    named = pick_labels(plotted, size="whole", top=8, highlight=highlight,
                        extra=outliers(plotted, "all_pct", "covid_pct", k=3))
    label_points(ax, named, "all_pct", "covid_pct")
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    percent_axis(ax, "x")
    percent_axis(ax, "y")
    ax.set_title(spec.title)
    ax.legend(loc="upper left", title=None)
    data = data.assign(labelled=data["iso3"].isin(named["iso3"]))
    columns = ["iso3", "name", "in_region", "whole", "international", "international_share_covid",
               "international_share_all", "labelled"]
    return fig, spec, data[columns]


def explore(i: Impact, data: pd.DataFrame):
    """The interactive version of :func:`figure`, from the data frame it plotted."""
    from .. import interactive

    shown = data.assign(all_pct=100 * data["international_share_all"],
                        covid_pct=100 * data["international_share_covid"])
    return interactive.scatter(
        shown, "all_pct", "covid_pct", group=None,
        x_title="All articles: internationally co-authored (%)",
        y_title="Coronavirus articles: internationally co-authored (%)",
        hover=[("covid_pct", "Coronavirus articles (%)", ":.1f"),
               ("all_pct", "All articles (%)", ":.1f"), ("whole", "Coronavirus articles", ":,.0f")],
        highlight=shows_members(i.region, data), percent_x=True, percent_y=True)
