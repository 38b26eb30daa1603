"""Capacity building: medians by income group and growth computed from the tables."""

import pandas as pd
import pytest

from scicollab import paths
from scicollab.chapters import capacity_building as cap


def test_group_medians_match_a_direct_computation():
    frame = cap.table()
    groups = cap.by_income(frame).set_index("income_group")
    low = frame[frame["income_group"] == "Low income"]
    assert groups.loc["Low income", "median_researchers"] == pytest.approx(
        low["researchers_per_million"].median())
    assert groups.loc["Low income", "economies"] == len(low)


def test_growth_is_last_over_first_year():
    first, last, growth = cap.output_growth()
    counts = pd.read_csv(paths.DATA_DIR / "publication_counts.csv")
    assert (first, last) == (counts["year"].min(), counts["year"].max())
    assert first < last
    whole = counts.set_index(["iso3", "year"])["whole"]
    ken = growth.set_index("iso3").loc["KEN"]
    assert ken["start"] == whole[("KEN", first)]
    assert ken["end"] == whole[("KEN", last)]
    assert ken["ratio"] == pytest.approx(whole[("KEN", last)] / whole[("KEN", first)])
    assert (growth["ratio"] == growth["end"] / growth["start"]).all()


def test_outcomes_table_has_a_source_column():
    table = pd.read_csv(cap.TABLE, keep_default_na=False)
    assert table["source"].str.len().gt(0).all()


def test_region_without_data_gets_a_sentence(region_without_data):
    assert "None of the" in cap.analyse(region_without_data).numbers["cap_region_sentence"]
