"""Frequently asked questions, each answered with a number from the chapter that holds the data."""

from __future__ import annotations

import pandas as pd

from .. import datasets, paths, regions
from . import capacity_building, challenges, impact, landscape

TABLE = paths.ROOT / "book" / "tables" / "faq-questions.csv"


def questions() -> pd.DataFrame:
    """The article's questions with its brief answers and the chapter holding the evidence."""
    return pd.read_csv(TABLE, keep_default_na=False)


def evidence(region_name: str) -> dict[str, str]:
    """One data sentence per question key, for the selected region where the data allow."""
    region = regions.resolve(region_name)
    oa = datasets.load("openalex_international")
    last = int(oa["year"].max())
    grown = landscape.growth(oa, landscape.BASE_YEAR, last, "international_works")
    if not region.is_world:
        grown = grown[grown["iso3"].isin(region.members)]
    covid = impact.analyse(region.name).numbers
    gerd = challenges.latest_gerd()
    abroad = datasets.load("rd_funding")
    abroad = abroad[(abroad["category"] == "source_of_funds")
                    & (abroad["sector"] == "rest_of_the_world")].dropna(subset=["value"])
    groups = capacity_building.by_income(capacity_building.table()).set_index("income_group")
    where = "worldwide" if region.is_world else f"in {region.name}"
    return {
        "importance": (f"Internationally co-authored works {where} grew "
                       f"{grown['end'].sum() / grown['start'].sum():.1f}-fold between "
                       f"{landscape.BASE_YEAR} and {last} (OpenAlex)." if len(grown) else
                       f"OpenAlex has no works {where} to measure."),
        "impact": ("This book has no citation data to test it; what it can show is that "
                   f"{covid['imp_more_international']} of {covid['imp_compared']} large "
                   "producers were more international in their coronavirus research than in "
                   f"their research overall in {covid['imp_year']}."),
        "challenges": (f"Funding imbalance is measurable: the Gini coefficient of R&D spending "
                       f"across {len(gerd)} economies is "
                       f"{challenges.gini(gerd['gerd_usd']):.2f}."),
        "funding": (f"Mostly from home: in the median of {len(abroad)} economies NCSES reports, "
                    f"{abroad['value'].median():.1f}% of R&D spending came from abroad."),
        "capacity": (f"Output grew fastest where capacity is lowest: the median low-income "
                     f"economy's articles grew {groups.loc['Low income', 'median_growth']:.1f}"
                     f"-fold, the median high-income economy's "
                     f"{groups.loc['High income', 'median_growth']:.1f}-fold (NCSES)."),
    }


def numbers(region_name: str) -> dict[str, str]:
    """The FAQ as one Markdown block to glue, with links to the chapters."""
    found = evidence(region_name)
    blocks = []
    for q in questions().itertuples():
        blocks.append(f"**{q.question}**\n\nThe article's answer, in brief: "
                      f"{q.article_answer_in_brief}. What the data say: {found[q.key]} "
                      f"More in {{doc}}`{q.chapter}`.")
    return {"faq_block": "\n\n".join(blocks), "faq_count": len(blocks)}
