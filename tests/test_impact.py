"""Impact: pandemic research compared with all research, per economy."""

import pytest

from scicollab import datasets
from scicollab.chapters import impact
from scicollab.measures.impact import covid_vs_all
from scicollab.report import book_table


def test_covid_share_is_international_over_whole():
    data = covid_vs_all().set_index("iso3")
    raw = datasets.load("covid_articles").set_index("iso3")
    assert data.loc["ITA", "international_share_covid"] == pytest.approx(
        raw.loc["ITA", "international"] / raw.loc["ITA", "whole"])


def test_count_above_the_diagonal_matches_the_data():
    result = impact.analyse("World")
    both = result.data.dropna(subset=["international_share_all"])
    assert result.numbers.more_international == int(
        (both["international_share_covid"] > both["international_share_all"]).sum())


def test_dimensions_table_has_a_source_column():
    table = book_table(impact.TABLE)
    assert len(table) == 3 and table["source"].str.len().gt(0).all()


def test_region_without_data_gets_a_sentence(region_without_data):
    assert "no coronavirus" in impact.analyse(region_without_data).numbers.region_sentence


def test_small_region_names_each_members_share():
    sentence = impact.analyse("USMCA").numbers.region_sentence
    can = covid_vs_all().set_index("iso3").loc["CAN"]
    assert f"Canada {100 * can['international_share_covid']:.1f}%" in sentence


def test_region_sentence_explains_whole_count_credits():
    for name in ("World", "Low income"):
        sentence = impact.analyse(name).numbers.region_sentence
        assert "whole-count credits (an article with authors from two countries counts once " \
               "for each)" in sentence
    assert "economies of the world" not in impact.analyse("World").numbers.region_sentence


def test_societal_claim_is_only_partly_measured():
    table = book_table(impact.TABLE).set_index("dimension")
    assert table.loc["Societal", "measured_here"].startswith("Partly:")


def test_an_economy_gets_the_count_behind_its_share():
    # Bhutan's 5 articles read "60.0% of them": a percentage of five needs its count beside it
    a = impact.analyse("Bhutan")
    row = a.data[a.data["in_region"]].iloc[0]
    sentence = impact.region_sentence(a.region, a.data)
    assert (f"had {int(row['whole'])} coronavirus-related articles in {impact.YEAR} (whole "
            f"counts); {int(row['international'])} of them "
            f"({100 * row['international'] / row['whole']:.1f}%) had an international "
            "co-author") in sentence
