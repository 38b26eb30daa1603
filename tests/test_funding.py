"""Funding: shares from the funding table, the GERD trend, and regions without data."""

import pandas as pd
import pytest

from scicollab import datasets
from scicollab.chapters import funding


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
    table = pd.read_csv(funding.TABLE, keep_default_na=False)
    assert len(table) == 4 and table["source"].str.len().gt(0).all()


def test_region_without_data_gets_a_sentence(region_without_data):
    assert "Neither" in funding.analyse(region_without_data).numbers["fund_region_sentence"]
