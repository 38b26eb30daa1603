"""Barriers: the decade's change in R&D spending is computed and classified as stated."""

import pandas as pd
import pytest

from scicollab import datasets
from scicollab.chapters import barriers


def test_change_is_now_minus_a_decade_earlier():
    change = barriers.change_over_decade().set_index("iso3")
    rd = datasets.load("rd_expenditure").set_index(["iso3", "year"])["gerd_pct_gdp"]
    row = change.loc["KOR"]
    assert row["change"] == pytest.approx(rd[("KOR", row["year_now"])]
                                          - rd[("KOR", row["year_before"])])
    assert barriers.LATEST[0] <= row["year_now"] <= barriers.LATEST[1]


def test_directions_follow_the_steady_band_and_counts_add_up():
    change = barriers.change_over_decade()
    small = change["change"].abs() < barriers.STEADY
    rose = change["change"] >= barriers.STEADY
    fell = change["change"] <= -barriers.STEADY
    assert small.any() and rose.any() and fell.any(), "the data should exercise every label"
    assert (change.loc[small, "direction"] == "steady").all()
    assert (change.loc[rose, "direction"] == "rose").all()
    assert (change.loc[fell, "direction"] == "fell").all()
    n = barriers.analyse("World").numbers
    assert n["bar_held"] == int(small.sum())
    assert n["bar_rose"] == int(rose.sum()) and n["bar_fell"] == int(fell.sum())
    assert n["bar_rose"] + n["bar_fell"] + n["bar_held"] == n["bar_economies"] == len(change)


def test_counts_tally_each_direction_and_report_absent_ones_as_zero():
    frame = pd.DataFrame({"direction": ["rose", "rose", "fell"]})
    assert barriers.counts(frame) == {"rose": 2, "fell": 1, "steady": 0}


def test_region_without_data_gets_a_sentence(region_without_data):
    numbers = barriers.analyse(region_without_data).numbers
    assert "cannot be measured" in numbers["bar_region_sentence"]


def test_barriers_table_has_a_source_column():
    table = pd.read_csv(barriers.TABLE, keep_default_na=False)
    assert len(table) == 3 and table["source"].str.len().gt(0).all()
