"""Capacity building: medians by income group and growth computed from the tables."""

import pandas as pd
import pytest

from scicollab import paths
from scicollab.chapters import capacity_building as cap
from scicollab.measures import capacity
from scicollab.measures.shares import MIN_ARTICLES
from scicollab.report import book_table


def test_group_medians_match_a_direct_computation():
    frame = capacity.table()
    groups = capacity.by_income(frame).set_index("income_group")
    low = frame[frame["income_group"] == "Low income"]
    assert groups.loc["Low income", "median_researchers"] == pytest.approx(
        low["researchers_per_million"].median())
    assert groups.loc["Low income", "economies"] == len(low)


def test_growth_is_last_over_first_year():
    first, last, growth = capacity.output_growth()
    counts = pd.read_csv(paths.data_dir() / "publication_counts.csv")
    assert (first, last) == (counts["year"].min(), counts["year"].max())
    assert first < last
    whole = counts.set_index(["iso3", "year"])["whole"]
    ken = growth.set_index("iso3").loc["KEN"]
    assert ken["start"] == whole[("KEN", first)]
    assert ken["end"] == whole[("KEN", last)]
    assert ken["ratio"] == pytest.approx(whole[("KEN", last)] / whole[("KEN", first)])
    assert (growth["ratio"] == growth["end"] / growth["start"]).all()


def test_outcomes_table_has_a_source_column():
    table = book_table(cap.TABLE)
    assert table["source"].str.len().gt(0).all()


def test_region_without_data_gets_a_sentence(region_without_data):
    assert "None of the" in cap.analyse(region_without_data).numbers.region_sentence


def test_small_region_names_members_values_instead_of_a_median():
    sentence = cap.analyse("USMCA").numbers.region_sentence
    frame = capacity.table().set_index("iso3")
    assert f"Canada {frame.loc['CAN', 'researchers_per_million']:,.0f}" in sentence
    assert f"Mexico {frame.loc['MEX', 'ratio']:.1f}-fold" in sentence
    assert "median" not in sentence


def test_region_medians_state_how_many_economies_they_cover():
    sentence = cap.analyse("Low income").numbers.region_sentence
    low = capacity.table().query("income_group == 'Low income'")
    reporting = low["researchers_per_million"].notna().sum()
    assert sentence.startswith(f"In the Low income group, {reporting} of {len(low)} economies")
    assert f"median article output of {low['ratio'].notna().sum()} economies" in sentence


def test_world_sentence_is_about_all_economies_not_a_region_called_world():
    sentence = cap.analyse("World").numbers.region_sentence
    economies = len(capacity.table())
    assert sentence.startswith(f"Across the {economies} economies on the World Bank's list")
    assert "In World" not in sentence


def test_foreign_share_sentence_names_the_group_with_the_highest_median():
    counts = pd.read_csv(paths.data_dir() / "publication_counts.csv")
    countries = pd.read_csv(paths.data_dir() / "countries.csv")
    year = counts["year"].max()
    shares = counts[(counts["year"] == year) & (counts["whole"] >= MIN_ARTICLES)].merge(
        countries[["iso3", "income_group"]], on="iso3")
    medians = 100 * shares.groupby("income_group")["foreign_credit_share"].median()
    sentence = cap.share_sentence()
    assert medians.idxmax() == "Low income"
    assert sentence.startswith("Low-income economies also have the highest median foreign share")
    assert f"{medians['Low income']:.1f}%" in sentence and f"{medians['High income']:.1f}%" \
        in sentence
    assert "does not demonstrate" in sentence
