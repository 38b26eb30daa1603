"""Opportunities: the exposed group is below-median investment and above-median reliance."""

import pandas as pd

from scicollab.chapters import opportunities as opp


def test_exposure_flags_low_investment_and_high_reliance():
    frame = pd.DataFrame({"gerd_usd": [1, 2, 3, 4], "share": [50, 10, 60, 40]})
    flagged = opp.exposure(frame)
    assert list(flagged["exposed"]) == [True, False, False, False]


def test_counts_match_the_flagged_rows():
    result = opp.analyse("Sub-Saharan Africa")
    assert result.numbers["opp_exposed"] == int(result.data["exposed"].sum())
    assert "Sub-Saharan Africa" in result.numbers["opp_region_sentence"]


def test_table_has_a_source_column():
    table = pd.read_csv(opp.TABLE, keep_default_na=False)
    assert len(table) == 3 and table["source"].str.len().gt(0).all()


def test_region_without_data_gets_a_sentence(region_without_data):
    assert "cannot be assessed" in opp.analyse(region_without_data).numbers["opp_region_sentence"]
