"""Challenges: concentration of R&D spending and the US–China signal."""

import pandas as pd
import pytest

from scicollab import datasets
from scicollab.chapters import challenges
from scicollab.measures import spending
from scicollab.report import book_table


def test_lorenz_curve_runs_from_origin_to_one_one():
    curve = spending.lorenz(pd.Series([5.0, 1.0, 4.0]))
    assert curve.iloc[0].tolist() == [0.0, 0.0]
    assert curve.iloc[-1].tolist() == pytest.approx([1.0, 1.0])
    assert curve["share_of_spending"].is_monotonic_increasing


def test_gini_of_equal_and_of_concentrated_spending():
    assert spending.gini(pd.Series([1.0] * 10)) == pytest.approx(0)
    assert spending.gini(pd.Series([0.0] * 9 + [1.0])) == pytest.approx(0.9)


def test_top_shares_match_a_direct_computation():
    result = challenges.analyse("World")
    gerd = result.gerd.sort_values("gerd_usd", ascending=False)
    direct = gerd["gerd_usd"].head(10).sum() / gerd["gerd_usd"].sum()
    assert result.numbers.top10_share == pytest.approx(100 * direct)


def test_table_rows_have_a_source():
    table = book_table(challenges.TABLE)
    assert len(table) == 5 and table["source"].str.len().gt(0).all()


def test_region_without_gerd_gets_a_sentence(region_without_data):
    result = challenges.analyse(region_without_data)
    assert "unknown" in result.numbers.region_sentence


def test_world_edition_splits_spending_by_income_group_instead_of_a_tautology():
    result = challenges.analyse("World")
    sentence = result.numbers.region_sentence
    assert "100.0%" not in sentence
    groups = result.gerd.assign(group=result.gerd["iso3"].map(
        datasets.countries().set_index("iso3")["income_group"]))
    high = groups[groups["group"] == "High income"]
    share = 100 * high["gerd_usd"].sum() / groups["gerd_usd"].sum()
    assert f"accounts for {share:.1f}% of their spending" in sentence
    assert "High income group makes up" in sentence, "the sentence has a verb"
    table = result.numbers.income_table.splitlines()
    high_row = next(r for r in table if r.startswith("| High income |"))
    assert f"| {len(high)} |" in high_row and f"{share:.1f}%" in high_row
    assert len(table) == 2 + groups["group"].nunique()


def test_ppp_caveat_is_tested_on_the_economies_with_both_measures():
    test = challenges.ppp_test()
    ppp = datasets.latest_in_window(datasets.load("gerd_ppp"), "gerd_ppp_bn",
                                    *challenges.WINDOW)
    usd = spending.latest_gerd()
    both = ppp.merge(usd, on="iso3")
    assert test["n"] == len(both) > 10
    assert test["ppp"] == spending.gini(both["gerd_ppp_bn"])
    assert test["usd"] == spending.gini(both["gerd_usd"])
    sentence = challenges.ppp_sentence(test)
    assert f"{test['ppp']:.2f} in purchasing-power dollars" in sentence
    assert ("is less concentrated" in sentence) == (test["ppp"] < test["usd"])


def test_tiny_shares_read_less_than_a_tenth_of_a_percent():
    assert challenges.share_text(0.03) == "less than 0.1%"
    assert challenges.share_text(0.0) == "0.0%"
    assert challenges.share_text(2.345) == "2.3%"
    sentence = challenges.analyse("Low income").numbers.region_sentence
    assert "less than 0.1% of the combined spending" in sentence and "0.0%" not in sentence


def test_region_share_is_its_members_spending_over_all_reported_spending():
    result = challenges.analyse("USMCA")
    gerd = result.gerd
    share = 100 * gerd.loc[gerd["iso3"].isin(["CAN", "MEX", "USA"]), "gerd_usd"].sum() \
        / gerd["gerd_usd"].sum()
    assert f"{share:.1f}% of the combined spending of the {len(gerd)}" in \
        result.numbers.region_sentence


def test_missing_economies_are_counted_on_the_world_bank_list():
    countries = datasets.countries()
    listed = countries[countries["in_world_bank_list"]]
    reported = set(spending.latest_gerd()["iso3"])
    missing = int((~listed["iso3"].isin(reported)).sum())
    assert challenges.analyse("World").numbers.missing_text.startswith(
        f"{missing} economies on the World Bank's list have no GERD figure")


def test_fall_from_the_peak_is_written_as_below_not_as_a_negative_change():
    numbers = challenges.analyse("World").numbers
    assert numbers.uscn_peak_year < numbers.uscn_last_year, "the data have a fall"
    assert numbers.uscn_change_text == f"{-numbers.uscn_change:.1f}% below that peak"
