"""The future chapter: the trend is computed from the publications table."""

import pandas as pd
import pytest

from scicollab import datasets
from scicollab.chapters import future


def test_median_share_per_year_matches_a_direct_computation():
    table = future.share_by_year().set_index("year")
    pubs = datasets.load("publications")
    direct = 100 * pubs[pubs["year"] == 2010]["international_share"].median()
    assert table.loc[2010, "median_share"] == pytest.approx(direct)


def test_trend_sentence_follows_the_slope():
    result = future.analyse("World")
    slope = result.numbers["fut_slope"]
    assert ("kept rising" in result.numbers["fut_trend_sentence"]) == (slope > 0)


def test_table_has_a_source_column():
    table = pd.read_csv(future.TABLE, keep_default_na=False)
    assert table["source"].str.len().gt(0).all()


def test_region_without_data_gets_a_sentence(region_without_data):
    assert "does not report" in future.analyse(region_without_data).numbers["fut_region_sentence"]
