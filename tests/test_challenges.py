"""Challenges: concentration of R&D spending and the US–China signal."""

import pandas as pd
import pytest

from scicollab.chapters import challenges


def test_lorenz_curve_runs_from_origin_to_one_one():
    curve = challenges.lorenz(pd.Series([5.0, 1.0, 4.0]))
    assert curve.iloc[0].tolist() == [0.0, 0.0]
    assert curve.iloc[-1].tolist() == pytest.approx([1.0, 1.0])
    assert curve["share_of_spending"].is_monotonic_increasing


def test_gini_of_equal_and_of_concentrated_spending():
    assert challenges.gini(pd.Series([1.0] * 10)) == pytest.approx(0)
    assert challenges.gini(pd.Series([0.0] * 9 + [1.0])) == pytest.approx(0.9)


def test_top_shares_match_a_direct_computation():
    result = challenges.analyse("World")
    gerd = result.gerd.sort_values("gerd_usd", ascending=False)
    direct = gerd["gerd_usd"].head(10).sum() / gerd["gerd_usd"].sum()
    assert result.numbers["ch_top10_share"] == pytest.approx(100 * direct)


def test_table_rows_have_a_source():
    table = pd.read_csv(challenges.TABLE, keep_default_na=False)
    assert len(table) == 5 and table["source"].str.len().gt(0).all()


def test_region_without_gerd_gets_a_sentence(region_without_data):
    result = challenges.analyse(region_without_data)
    assert "unknown" in result.numbers["ch_region_sentence"]
