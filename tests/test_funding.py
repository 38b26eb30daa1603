"""Funding: shares from the funding table, the GERD trend, and regions without data."""

import re

import pytest

from scicollab import datasets, regions, report
from scicollab.chapters import funding
from scicollab.report import book_table


def test_abroad_share_comes_from_the_funding_table():
    funds = funding.sources_of_funds().set_index("iso3")
    raw = datasets.load("rd_funding")
    gbr = raw[(raw["iso3"] == "GBR") & (raw["sector"] == "rest_of_the_world")
              & (raw["category"] == "source_of_funds")]["value"].item()
    assert funds.loc["GBR", "rest_of_the_world"] == gbr


def test_gerd_trend_is_the_median_per_year():
    trend = funding.gerd_trend().set_index("year")
    rd = datasets.load("rd_expenditure")
    assert trend.loc[2015, "median"] == pytest.approx(
        rd[rd["year"] == 2015]["gerd_pct_gdp"].median())


def test_table_has_a_source_column():
    table = book_table(funding.TABLE)
    assert len(table) == 4 and table["source"].str.len().gt(0).all()


def test_region_without_data_gets_a_sentence(region_without_data):
    assert "Neither" in funding.analyse(region_without_data).numbers.region_sentence


def test_gerd_change_compares_the_same_economies_in_the_first_and_last_year():
    numbers = funding.analyse("World").numbers
    first, last = numbers.start, numbers.end
    rd = datasets.load("rd_expenditure").dropna(subset=["gerd_pct_gdp"])
    before = rd[rd["year"] == first].set_index("iso3")["gerd_pct_gdp"]
    after = rd[rd["year"] == last].set_index("iso3")["gerd_pct_gdp"]
    both = before.index.intersection(after.index)
    assert numbers.panel_economies == len(both) < len(after)
    assert numbers.gerd_start == pytest.approx(before[both].median())
    assert numbers.gerd_end == pytest.approx(after[both].median())


def test_last_year_of_the_trend_is_not_a_sparsely_reported_one():
    numbers = funding.analyse("World").numbers
    reporting = funding.gerd_trend().set_index("year")["economies"]
    assert reporting[numbers.end] >= reporting.max() / 2
    assert (reporting.loc[numbers.end + 1:] < reporting.max() / 2).all()


def test_region_median_uses_each_members_latest_value_in_the_window():
    sentence = funding.analyse("Low income").numbers.region_sentence
    rd = datasets.load("rd_expenditure").dropna(subset=["gerd_pct_gdp"])
    start, end = funding.WINDOW
    members = set(regions.resolve("Low income").members)
    window = rd[rd["iso3"].isin(members) & rd["year"].between(start, end)]
    latest = window.sort_values("year").groupby("iso3")["gerd_pct_gdp"].last()
    assert len(latest) >= report.MIN_FOR_MEDIAN
    assert f"{len(latest)} of its {len(members)} members" in sentence
    assert f"{latest.median():.2f}% of GDP" in sentence
    assert sentence.startswith("In the Low income group,")


def test_small_region_names_each_members_values_instead_of_a_median():
    sentence = funding.analyse("USMCA").numbers.region_sentence
    rd = datasets.load("rd_expenditure").dropna(subset=["gerd_pct_gdp"])
    start, end = funding.WINDOW
    mex = rd[(rd["iso3"] == "MEX") & rd["year"].between(start, end)].sort_values("year").iloc[-1]
    assert f"Mexico {mex['gerd_pct_gdp']:.2f}% ({int(mex['year'])})" in sentence
    assert "median" not in sentence and "members reporting" not in sentence


def test_one_member_with_funding_from_abroad_is_named_not_called_a_median():
    sentence = funding.analyse("Middle East & North Africa").numbers.region_sentence
    abroad = funding.sources_of_funds().set_index("iso3").loc["ISR", "rest_of_the_world"]
    assert f"NCSES covers one member, Israel, where {abroad:.1f}%" in sentence
    assert not re.search(r"\b1 members", sentence)


def test_world_edition_does_not_compare_the_world_with_itself():
    numbers = funding.analyse("World").numbers
    assert numbers.scope == "for the world"
    assert "In World" not in numbers.region_sentence
    assert "In the world" not in numbers.region_sentence
