"""FAQ: every question has a data answer and a link to an existing chapter."""

import re

import pandas as pd

from scicollab import paths
from scicollab.chapters import catalogue, faq

GREW = re.compile(r"grew (\d+\.\d)-fold between (\d{4}) and (\d{4})")


def test_every_question_has_evidence_and_an_existing_chapter():
    found = faq.evidence("World")
    table = faq.questions()
    assert set(table["key"]) == set(found)
    assert set(table["chapter"]) <= set(catalogue.chapters())
    assert table["source"].str.len().gt(0).all()


def _growth_of_international_works(members: set[str] | None) -> tuple[str, int, int]:
    """Summed works in the last year over summed works in 2000, of the economies with both."""
    works = pd.read_csv(paths.data_dir() / "openalex_international.csv")
    last = int(works["year"].max())
    if members is not None:
        works = works[works["iso3"].isin(members)]
    wide = works.pivot(index="iso3", columns="year", values="international_works")
    both = wide[[2000, last]].dropna()
    both = both[both[2000] > 0]
    return f"{both[last].sum() / both[2000].sum():.1f}", 2000, last


def test_region_changes_the_importance_answer():
    countries = pd.read_csv(paths.data_dir() / "countries.csv")
    africa = set(countries.loc[countries["in_world_bank_list"]
                               & (countries["region"] == "Sub-Saharan Africa"), "iso3"])
    region = faq.evidence("Sub-Saharan Africa")["importance"]
    world = faq.evidence("World")["importance"]
    assert "economies of Sub-Saharan Africa" in region and "of Sub-Saharan" not in world
    fold, first, last = GREW.search(region).groups()
    assert (fold, int(first), int(last)) == _growth_of_international_works(africa)
    assert GREW.search(world).group(1) == _growth_of_international_works(None)[0]
    assert fold != GREW.search(world).group(1)
    block = faq.numbers("World").block
    assert block.count("{doc}") == len(faq.questions())


def test_region_without_data_says_so_instead_of_a_number(region_without_data):
    found = faq.evidence(region_without_data)
    assert found["importance"] == f"OpenAlex has no works in {region_without_data} to measure."
    numbers = faq.numbers(region_without_data)
    assert found["importance"] in numbers.block
    assert numbers.count == len(faq.questions())


def test_importance_answer_says_whole_counts_and_benchmarks_coverage():
    from scicollab.measures import openalex

    world = faq.evidence("World")["importance"]
    assert "country-level credits" in world and "whole counts" in world
    assert openalex.benchmark_sentence(openalex.coverage_benchmark()) in world
    low = faq.evidence("Low income")["importance"]
    assert "the Low income group" in low and "NCSES reports none of the members" in low


def test_capacity_answer_does_not_credit_partnerships():
    from scicollab.measures import capacity

    answer = faq.evidence("World")["capacity"]
    first, last, _ = capacity.output_growth()
    assert f"between {first} and {last}" in answer
    assert "cannot attribute that growth to partnerships" in answer
    assert "where capacity is lowest" not in answer


def test_funding_answer_says_what_ncses_cannot_separate_and_which_years():
    from scicollab import datasets

    answer = faq.evidence("World")["funding"]
    funds = datasets.load("rd_funding")
    abroad = funds[(funds["category"] == "source_of_funds")
                   & (funds["sector"] == "rest_of_the_world")].dropna(subset=["value"])
    assert answer.startswith("NCSES cannot separate the funding of partnerships")
    assert f"{int(abroad['year'].min())}–{int(abroad['year'].max())}" in answer
    assert f"a median {abroad['value'].median():.1f}%" in answer
    assert "Mostly from home" not in answer


def test_each_answer_carries_the_verdict_its_evidence_supports():
    from scicollab import verdicts

    found = faq.answers("World")
    block = faq.numbers("World").block
    for verdict, text in found.values():
        assert verdict.verdict in verdicts.VERDICTS
        assert f"**Verdict: {verdict.verdict}**, because {verdict.why}" in block
        assert text in block
    assert found["impact"][0].verdict == verdicts.UNTESTABLE, "no citation data"
    assert "citation counts" in found["impact"][1]
    assert found["challenges"][0].verdict == verdicts.IN_PART


def test_combined_verdict_follows_its_parts():
    from scicollab.verdicts import HOLDS, NOT_SUPPORTED, Verdict, combined

    yes, no = Verdict(HOLDS, "x"), Verdict(NOT_SUPPORTED, "y")
    assert combined({"a": yes, "b": yes}).verdict == HOLDS
    assert combined({"a": yes, "b": None}).verdict == "holds in part"
    assert combined({"a": no, "b": None}).verdict == NOT_SUPPORTED
    assert combined({"a": None}).verdict == "cannot be tested with these data"
