"""Frequently asked questions, each answered with a number from the chapter that holds the data."""

from __future__ import annotations

import pandas as pd

from .. import datasets, regions
from ..report import book_table
from . import capacity_building, challenges, impact, landscape

TABLE = "faq-questions.csv"


def questions() -> pd.DataFrame:
    """The article's questions with its brief answers and the chapter holding the evidence."""
    return book_table(TABLE)


def _importance(region: regions.Region) -> str:
    oa = datasets.load("openalex_international")
    last = int(oa["year"].max())
    grown = landscape.growth(oa, landscape.BASE_YEAR, last, "international_works")
    where = "worldwide" if region.is_world else f"in {region.in_prose}"
    if not region.is_world:
        grown = grown[grown["iso3"].isin(region.members)]
    if grown.empty:
        return f"OpenAlex has no works {where} to measure."
    economies = ("economies" if region.is_world else
                 f"economies of {region.in_prose}" if len(grown) > 1 else
                 f"economy of {region.in_prose}")
    text = (f"Summed over the {len(grown)} {economies} with internationally co-authored works in "
            f"both years, OpenAlex's country-level credits (whole counts: a work counts once for "
            f"every country on it) grew {grown['end'].sum() / grown['start'].sum():.1f}-fold "
            f"between {landscape.BASE_YEAR} and {last}. That growth also reflects OpenAlex "
            "indexing more works over time. ")
    bench = landscape.coverage_benchmark(None if region.is_world else region.members)
    if bench["economies"] and not region.is_world:
        return text + landscape.benchmark_sentence(bench, "members")
    world = landscape.benchmark_sentence(landscape.coverage_benchmark())
    if region.is_world:
        return text + world
    return text + "NCSES reports none of the members; worldwide, " + world[0].lower() + world[1:]


def evidence(region_name: str) -> dict[str, str]:
    """One data sentence per question key, for the selected region where the data allow."""
    region = regions.resolve(region_name)
    covid = impact.analyse(region).numbers
    gerd = challenges.latest_gerd()
    abroad = datasets.load("rd_funding")
    abroad = abroad[(abroad["category"] == "source_of_funds")
                    & (abroad["sector"] == "rest_of_the_world")].dropna(subset=["value"])
    abroad = abroad.sort_values("year").groupby("iso3").last()
    groups = capacity_building.by_income(capacity_building.table()).set_index("income_group")
    first, last, _ = capacity_building.output_growth()
    low, high = groups.loc["Low income"], groups.loc["High income"]
    return {
        "importance": _importance(region),
        "impact": ("This book has no citation data to test it; what it can show is that "
                   f"{covid['imp_more_international']} of {covid['imp_compared']} large "
                   "producers were more international in their coronavirus research than in "
                   f"their research overall in {covid['imp_year']}."),
        "challenges": (f"Funding imbalance is measurable: the Gini coefficient of R&D spending "
                       f"(GERD in current US$, each economy's latest year "
                       f"{int(gerd['year'].min())}–{int(gerd['year'].max())}) across "
                       f"{len(gerd)} economies is {challenges.gini(gerd['gerd_usd']):.2f}."),
        "funding": (f"NCSES cannot separate the funding of partnerships from other R&D money. "
                    f"Of all R&D spending, a median {abroad['value'].median():.1f}% came from "
                    f"abroad across the {len(abroad)} economies it reports (each economy's "
                    f"latest year, {int(abroad['year'].min())}–{int(abroad['year'].max())})."),
        "capacity": (f"Output grew fastest, from a low base, in low-income economies: between "
                     f"{first} and {last} the median low-income economy's articles grew "
                     f"{low['median_growth']:.1f}-fold ({int(low['with_growth'])} economies "
                     f"with data), the median high-income economy's "
                     f"{high['median_growth']:.1f}-fold ({int(high['with_growth'])}), in NCSES "
                     "whole counts. This book cannot attribute that growth to partnerships."),
    }


def numbers(region_name: str) -> dict[str, str]:
    """The FAQ as one Markdown block to glue, with links to the chapters."""
    found = evidence(region_name)
    blocks = []
    for q in questions().itertuples():
        blocks.append(f"**{q.question}**\n\nThe article's answer, in brief: "
                      f"{q.article_answer_in_brief}. What the data say: {found[q.key]} "
                      f"More in {{doc}}`{q.chapter}`.")
    region = regions.resolve(region_name)
    return {"faq_block": "\n\n".join(blocks), "faq_count": len(blocks),
            "faq_scope": ("for the world" if region.is_world else
                          f"for {region.in_prose} where the data allow")}
