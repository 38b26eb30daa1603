"""The future chapter: the trend is computed from the publications table."""

import pytest

from scicollab import datasets
from scicollab.chapters import future
from scicollab.report import book_table


def test_median_share_per_year_matches_a_direct_computation():
    table = future.share_by_year().set_index("year")
    pubs = datasets.load("publications")
    newest = pubs.loc[pubs["year"] == pubs["year"].max(), "table_id"].iloc[0]
    year = pubs[pubs["year"] == 2010]
    direct = 100 * year[year["table_id"] == newest]["international_share"].median()
    assert table.loc[2010, "median_share"] == pytest.approx(direct)


def test_the_trend_uses_one_edition_of_the_ncses_table_and_says_why():
    pubs = datasets.load("publications")
    newest = pubs.loc[pubs["year"] == pubs["year"].max(), "table_id"].iloc[0]
    table = future.share_by_year()
    assert set(table["table_id"]) == {newest}, "no year of the series joins two editions"
    assert table["year"].min() == pubs.loc[pubs["table_id"] == newest, "year"].min()
    older = pubs[pubs["table_id"] != newest]
    assert len(older), "the processed table holds an older edition for the test to exercise"
    last_old = older[older["year"] < table["year"].min()]["year"].max()
    old_median = 100 * older[older["year"] == last_old]["international_share"].median()
    jump = table["median_share"].iloc[0] - old_median
    numbers = future.analyse("World").numbers
    assert numbers.break_.jump == pytest.approx(jump)
    assert f"jump by {jump:.1f} points from {last_old}" in numbers.break_.sentence
    assert numbers.first_year == table["year"].min()


def test_trend_sentence_follows_the_slope():
    result = future.analyse("World")
    slope = result.numbers.slope
    assert ("kept rising" in result.numbers.trend_sentence) == (slope > 0)


def test_table_has_a_source_column():
    table = book_table(future.TABLE)
    assert table["source"].str.len().gt(0).all()


def test_region_without_data_gets_a_sentence(region_without_data):
    assert "does not report" in future.analyse(region_without_data).numbers.region_sentence


def test_world_edition_does_not_repeat_the_world_as_a_region():
    numbers = future.analyse("World").numbers
    assert "median share went" not in numbers.region_sentence
    assert numbers.scope == "overall"
    low = future.analyse("Low income").numbers
    assert low.scope == "overall and in the Low income group"


@pytest.mark.parametrize(("region", "lines"), [("World", ["All reported economies"]),
                                               ("G7", ["All reported economies", "G7"])])
def test_the_figure_its_data_and_its_interactive_version_hold_the_same_lines(region, lines):
    # the World edition's CSV and interactive version held a second line, "World", equal to
    # the first, which the figure did not draw
    import matplotlib.pyplot as plt

    analysis = future.analyse(region)
    fig, _spec, data = future.figure(analysis)
    plt.close(fig)
    assert [trace.name for trace in future.explore(analysis, data).data] == lines
    assert data["group"].nunique() == len(lines)


def test_a_small_region_names_each_members_share_instead_of_a_median():
    pubs = datasets.load("publications")
    newest = pubs.loc[pubs["year"] == pubs["year"].max(), "table_id"].iloc[0]
    canada = pubs[(pubs["iso3"] == "CAN") & (pubs["table_id"] == newest)].sort_values("year")
    sentence = future.analyse("USMCA").numbers.region_sentence
    first, last = canada.iloc[0], canada.iloc[-1]
    assert (f"Canada from {100 * first['international_share']:.1f}% in {int(first['year'])} to "
            f"{100 * last['international_share']:.1f}% in {int(last['year'])}") in sentence
    assert "the median share went" in future.analyse("G7").numbers.region_sentence


def test_the_trend_sentence_names_how_many_economies_report_each_end():
    numbers = future.analyse("World").numbers
    table = future.share_by_year()
    assert numbers.first_economies == table["economies"].iloc[0]
    assert numbers.economies == table["economies"].iloc[-1]
