"""Drivers: the growth index is computed from the OpenAlex table."""

import pytest

from scicollab import datasets
from scicollab.chapters import drivers
from scicollab.report import book_table


def test_index_is_works_over_base_year_works():
    series = drivers.index_series(("KEN",)).set_index("year")
    raw = datasets.load("openalex_international").set_index(["iso3", "year"])
    expected = 100 * raw.loc[("KEN", 2020), "international_works"] / raw.loc[
        ("KEN", drivers.BASE), "international_works"]
    assert series.loc[2020, "index"] == pytest.approx(expected)
    assert series.loc[drivers.BASE, "index"] == pytest.approx(100)


def test_table_has_a_source_column():
    table = book_table(drivers.TABLE)
    assert table["source"].str.len().gt(0).all()


def test_region_without_data_gets_a_sentence(monkeypatch):
    from scicollab import regions

    empty = regions.Region("Nowhere", "custom", ("ZZZ",))
    real = regions.resolve
    monkeypatch.setattr(regions, "resolve", lambda n: empty if n == "Nowhere" else real(n))
    assert "no internationally" in drivers.analyse("Nowhere").numbers.region_sentence


def test_world_edition_does_not_set_the_world_against_itself():
    numbers = drivers.analyse("World").numbers
    assert "against" not in numbers.region_sentence
    assert numbers.scope == "worldwide"
    assert drivers.analyse("Low income").numbers.scope == (
        "worldwide and in the Low income group")


def test_index_sentence_states_its_base_and_a_small_region_names_its_members():
    numbers = drivers.analyse("USMCA").numbers
    assert numbers.index_label == f"index, {drivers.BASE} = 100"
    sentence = numbers.region_sentence
    raw = datasets.load("openalex_international").set_index(["iso3", "year"])
    last = numbers.last
    mexico = (f"Mexico from {raw.loc[('MEX', drivers.BASE), 'partner_countries']:.0f} to "
              f"{raw.loc[('MEX', last), 'partner_countries']:.0f}")
    assert mexico in sentence and "median" not in sentence
    assert "median member" in drivers.analyse("Low income").numbers.region_sentence


def test_growth_is_benchmarked_against_ncses():
    assert "NCSES's count of internationally co-authored articles" in drivers.analyse(
        "World").numbers.benchmark_sentence
