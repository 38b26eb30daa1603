"""Frequently asked questions: the article's brief answers, judged on the evidence beside them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from .. import datasets, regions, verdicts
from ..measures import capacity, impact, openalex, spending
from ..report import Numbers, book_table, possessive
from ..verdicts import Verdict

TABLE = "faq-questions.csv"
TOP_SPENDERS = 10  # funding imbalance: the share of spending of this many largest spenders


def questions() -> pd.DataFrame:
    """The article's questions with its brief answers and the chapter holding the evidence."""
    return book_table(TABLE)


def _importance(region: regions.Region) -> str:
    oa = datasets.load("openalex_international")
    last = int(oa["year"].max())
    grown = openalex.growth(oa, openalex.BASE_YEAR, last, "international_works")
    place = "worldwide" if region.is_world else f"in {region.in_prose}"
    if not region.is_world:
        grown = grown[grown["iso3"].isin(region.members)]
    if grown.empty:
        return f"OpenAlex has no works {place} to measure."
    economies = ("economies" if region.is_world else
                 f"economies of {region.in_prose}" if len(grown) > 1 else
                 f"economy of {region.in_prose}")
    subject = (possessive(region.in_prose) if region.is_economy else
               f"Summed over the {len(grown)} {economies} with internationally co-authored "
               "works in both years,")
    text = (f"{subject} OpenAlex's country-level credits (whole counts: a work counts once for "
            f"every country on it) grew {grown['end'].sum() / grown['start'].sum():z.1f}-fold "
            f"between {openalex.BASE_YEAR} and {last}. That growth also reflects OpenAlex "
            "indexing more works over time. ")
    if region.is_economy:
        text = text.replace(f"{subject} OpenAlex's", f"{subject} OpenAlex")
    bench = openalex.coverage_benchmark(None if region.is_world else region.members)
    if bench["economies"] and not region.is_world:
        return text + openalex.benchmark_sentence(bench, "members")
    world = openalex.benchmark_sentence(openalex.coverage_benchmark())
    if region.is_world:
        return text + world
    nobody = (f"NCSES does not report {region.in_prose}" if region.is_economy else
              "NCSES reports none of the members")
    return text + f"{nobody}; worldwide, " + world[0].lower() + world[1:]


def answers(region_name: str) -> dict[str, tuple[Verdict, str]]:
    """Per question key: the verdict on the article's brief answer, by the shared rules, and the
    evidence it follows from (for the selected region where the data allow)."""
    region = regions.resolve(region_name)
    covid = impact.covid_comparison(impact.covid_vs_all())
    gerd = spending.latest_gerd()
    abroad = datasets.load("rd_funding")
    funds = abroad[abroad["category"] == "source_of_funds"].dropna(subset=["value"])
    latest = funds.sort_values("year").groupby(["iso3", "sector"]).last().reset_index()
    by_sector = latest.pivot(index="iso3", columns="sector", values="value")
    years = latest["year"]
    income = capacity.by_income(capacity.table())
    groups = income.set_index("income_group")
    first, last, _ = capacity.output_growth()
    low, high = groups.loc["Low income"], groups.loc["High income"]
    top = spending.top_share(gerd, TOP_SPENDERS)
    imbalance = verdicts.concentrated(top, TOP_SPENDERS)
    paid = {sector: float(by_sector[sector].median()) for sector in
            ("government", "business", "rest_of_the_world") if sector in by_sector}
    funders = verdicts.combined({
        "government funding": Verdict(verdicts.HOLDS if paid.get("government", 0) > 0
                                      else verdicts.NOT_SUPPORTED, "government funds R&D"),
        "industry funding": Verdict(verdicts.HOLDS if paid.get("business", 0) > 0
                                    else verdicts.NOT_SUPPORTED, "business funds R&D"),
        "funding by agencies for partnerships in particular": None})
    return {
        "importance": (verdicts.untestable(
            "the data show how much collaboration grew, not why it matters"),
            _importance(region)),
        "impact": (impact.citation_verdict(),
                   "No table of this book holds citation counts, so the claim cannot be tested. "
                   "What the book can show about impact is narrower: "
                   f"{covid.more_international} of {covid.compared} large "
                   "producers were more international in their coronavirus research than in "
                   f"their research overall in {covid.year}."),
        "challenges": (verdicts.combined({"funding imbalances": imbalance,
                                          "regulatory differences": None,
                                          "cultural barriers": None}),
                       f"Funding imbalance is measurable: the {TOP_SPENDERS} largest spenders "
                       f"account for {100 * top:z.1f}% of R&D spending (GERD in current US$, each "
                       f"economy's latest year {int(gerd['year'].min())}–"
                       f"{int(gerd['year'].max())}, {len(gerd)} economies), and the Gini "
                       f"coefficient is {spending.gini(gerd['gerd_usd']):z.2f}. Regulatory and "
                       "cultural issues leave no trace in these data."),
        "funding": (funders,
                    "NCSES cannot separate the funding of partnerships from other R&D money. "
                    f"Of all R&D spending, in the median of the {len(by_sector)} economies it "
                    f"reports (each economy's latest year, {int(years.min())}–"
                    f"{int(years.max())}), government paid {paid.get('government', 0):z.1f}%, "
                    f"business {paid.get('business', 0):z.1f}% and sources abroad a median "
                    f"{paid.get('rest_of_the_world', 0):z.1f}%."),
        "capacity": (capacity.verdict(income),
                     "Output grew faster, from a low base, in low-income economies: between "
                     f"{first} and {last} the median low-income economy's articles grew "
                     f"{low['median_growth']:z.1f}-fold ({int(low['with_growth'])} economies "
                     f"with data), the median high-income economy's "
                     f"{high['median_growth']:z.1f}-fold ({int(high['with_growth'])}), in NCSES "
                     "whole counts. This book cannot attribute that growth to partnerships, nor "
                     "see skills or infrastructure."
                     if low["median_growth"] > high["median_growth"] else
                     f"Between {first} and {last} the median low-income economy's articles grew "
                     f"{low['median_growth']:z.1f}-fold, the median high-income economy's "
                     f"{high['median_growth']:z.1f}-fold, in NCSES whole counts: no faster "
                     "catch-up is visible."),
    }


def evidence(region_name: str) -> dict[str, str]:
    """One data sentence per question key, for the selected region where the data allow."""
    return {key: text for key, (_, text) in answers(region_name).items()}


@dataclass
class FaqNumbers(Numbers):
    """The FAQ as the chapter's prose shows it, glued as ``faq_<field>``."""

    PREFIX: ClassVar[str] = "faq"
    block: str
    count: int
    scope: str


def numbers(region_name: str) -> FaqNumbers:
    """The FAQ as one Markdown block to glue, each answer with its verdict, the evidence it
    follows from and a link to the chapter."""
    found = answers(region_name)
    blocks = []
    for q in questions().itertuples():
        verdict, text = found[q.key]
        blocks.append(f"**{q.question}**\n\nThe article's answer, in brief: "
                      f"{q.article_answer_in_brief}. **Verdict: {verdict.verdict}**, because "
                      f"{verdict.why}. The evidence: {text} More in {{doc}}`{q.chapter}`.")
    region = regions.resolve(region_name)
    return FaqNumbers(block="\n\n".join(blocks), count=len(blocks),
                      scope=("for the world" if region.is_world else
                             f"for {region.in_prose} where the data allow"))
