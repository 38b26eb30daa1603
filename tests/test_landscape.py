"""Who collaborates: growth, pairs, inside/outside links and the report's quoted counts."""

import pandas as pd
import pytest

from scicollab import datasets, regions
from scicollab.chapters import landscape


def test_growth_is_the_ratio_of_the_tables_values():
    oa = datasets.load("openalex_international")
    grown = landscape.growth(oa, 2000, 2023, "international_works")
    kenya = grown[grown["iso3"] == "KEN"].iloc[0]
    value = oa.set_index(["iso3", "year"])["international_works"]
    assert kenya["ratio"] == pytest.approx(value["KEN", 2023] / value["KEN", 2000])


def test_inside_and_outside_links_add_up():
    pairs = pd.DataFrame({"a": ["CAN", "CAN", "MEX"], "b": ["USA", "FRA", "USA"],
                          "year": [2020] * 3, "works": [10, 5, 3]})
    links = landscape.inside_outside(pairs, ("CAN", "MEX", "USA"), 2020).set_index("iso3")
    assert links.loc["CAN", "inside"] == 10 and links.loc["CAN", "outside"] == 5
    assert links.loc["USA", "inside"] == 13 and links.loc["USA", "outside"] == 0
    assert ((links["inside"] + links["outside"]) == links["links"]).all()


def test_strongest_pairs_are_ranked_by_works():
    result = landscape.analyse("World")
    works = list(result.top_pairs["works"])
    assert works == sorted(works, reverse=True)


def test_us_china_series_comes_from_the_pairs_table():
    oa, ncses = landscape.us_china()
    pairs = datasets.load("openalex_pairs")
    direct = pairs[(pairs["a"] == "CHN") & (pairs["b"] == "USA")]
    assert list(oa["works"]) == list(direct["works"])
    assert list(ncses["year"]) == [2003, 2022]


def test_quoted_counts_sit_beside_the_data():
    table = landscape.quoted_comparison()
    assert list(table["iso3"]) == ["USA", "CHN", "ZAF", "NAM"]
    namibia = table[table["iso3"] == "NAM"].iloc[0]
    assert namibia["openalex_international"] > 0 and pd.isna(namibia["ncses_total"])


def test_region_without_data_gets_a_sentence(monkeypatch):
    empty = regions.Region("Antarctica", "custom", ("ZZZ",))
    real = regions.resolve
    monkeypatch.setattr(regions, "resolve", lambda n: empty if n == "Antarctica" else real(n))
    result = landscape.analyse("Antarctica")
    assert result.numbers["land_region_n"] == 0
    assert "None of the" in result.numbers["land_region_sentence"]
    _fig, spec, _ = landscape.links_figure(result)
    assert spec.id == "landscape-links-antarctica"
