"""Barriers: the decade's change in R&D spending is computed and classified as stated."""

import pandas as pd
import pytest

from scicollab import datasets, regions, report
from scicollab.chapters import barriers, data_gaps
from scicollab.report import book_table


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
    assert n.held == int(small.sum())
    assert n.rose == int(rose.sum()) and n.fell == int(fell.sum())
    assert n.rose + n.fell + n.held == n.economies == len(change)


def test_counts_tally_each_direction_and_report_absent_ones_as_zero():
    frame = pd.DataFrame({"direction": ["rose", "rose", "fell"]})
    assert barriers.counts(frame) == {"rose": 2, "fell": 1, "steady": 0}


def test_region_without_data_gets_a_sentence(region_without_data):
    numbers = barriers.analyse(region_without_data).numbers
    assert "cannot be measured" in numbers.region_sentence


def test_barriers_table_has_a_source_column():
    table = book_table(barriers.TABLE)
    assert len(table) == 3 and table["source"].str.len().gt(0).all()


@pytest.mark.parametrize("name", ["South Asia", "Low income", "USMCA", "BRICS", "G7"])
def test_region_verdict_comes_from_the_regions_own_counts(name):
    sentence = barriers.analyse(name).numbers.region_sentence
    region = regions.resolve(name)
    change = barriers.change_over_decade()
    mine = barriers.counts(change[change["iso3"].isin(region.members)])
    total = sum(mine.values())
    if 2 * mine["fell"] > total:
        assert f"Most economies of {region.in_prose} cut" in sentence
    elif 2 * mine["fell"] < total:
        assert f"Most economies of {region.in_prose} did not cut" in sentence
    assert "worldwide" not in sentence
    assert "what they are spent on" not in sentence


def test_south_asia_is_not_told_that_more_economies_raised_spending():
    sentence = barriers.analyse("South Asia").numbers.region_sentence
    assert "none raised" in sentence and "Most economies of South Asia cut" in sentence


def test_world_edition_lists_every_economy_in_a_table_not_in_prose_and_says_worldwide():
    numbers = barriers.analyse("World").numbers
    assert numbers.scope == "worldwide"
    sentence = numbers.region_sentence
    assert f"the {numbers.fell} that cut" in sentence
    assert "Most economies worldwide did not cut" in sentence
    assert "of the world" not in sentence
    rows = numbers.changes_table.splitlines()[2:]
    assert len(rows) == numbers.economies
    change = barriers.change_over_decade()
    assert "Pakistan" not in sentence, "names are in the table, not the prose"
    cut_rows = [r for r in rows if "| cut (" in r.replace("\\", "")]
    assert len(cut_rows) == numbers.fell == int((change["direction"] == "fell").sum())


def test_the_classification_the_text_counts_is_a_column_of_the_figure_data():
    _fig, _spec, data = barriers.figure(barriers.analyse("World"))
    numbers = barriers.analyse("World").numbers
    assert int((data["direction"] == "fell").sum()) == numbers.fell
    assert int((data["direction"] == "rose").sum()) == numbers.rose
    assert int((data["direction"] == "steady").sum()) == numbers.held
    assert "name" in data.columns


def test_a_jump_above_the_threshold_between_consecutive_years_is_flagged_as_a_possible_break():
    rd = pd.DataFrame({"iso3": ["AAA"] * 4 + ["BBB"] * 3,
                       "year": [2010, 2011, 2012, 2013, 2010, 2012, 2013],
                       "gerd_pct_gdp": [1.0, 1.1, 1.6, 1.6, 1.0, 2.0, 2.1]})
    spans = pd.DataFrame({"iso3": ["AAA", "BBB"], "year_before": [2010, 2010],
                          "year_now": [2013, 2013]})
    jumps = barriers.largest_jumps(rd, spans).set_index("iso3")
    assert jumps.loc["AAA", "largest_jump"] == pytest.approx(1.6 / 1.1 - 1)
    assert jumps.loc["AAA", "jump_year"] == 2012
    assert jumps.loc["BBB", "largest_jump"] == pytest.approx(0.05), "2010 to 2012 is no jump"
    change = barriers.change_over_decade()
    assert (change["possible_break"] == (change["largest_jump"] > barriers.BREAK_JUMP)).all()


def test_break_sentence_counts_directions_with_and_without_the_flagged_economies():
    change = barriers.change_over_decade()
    clean = barriers.counts(change[~change["possible_break"]])
    sentence = barriers.analyse("World").numbers.break_sentence
    assert (f"Without them, {clean['rose']} raised R&D spending as a share of GDP, "
            f"{clean['fell']} cut it and {clean['steady']} held it steady") in sentence


def test_money_sentence_counts_the_cutters_that_also_spent_less_in_dollars():
    change = barriers.change_over_decade()
    rd = datasets.load("rd_expenditure").set_index(["iso3", "year"])["gerd_usd"]
    cut = change[change["direction"] == "fell"]
    less = sum(rd[(r.iso3, r.year_now)] < rd[(r.iso3, r.year_before)] for r in cut.itertuples()
               if (r.iso3, r.year_now) in rd.index and (r.iso3, r.year_before) in rd.index
               and pd.notna(rd[(r.iso3, r.year_now)]) and pd.notna(rd[(r.iso3, r.year_before)]))
    assert f"{less} of them spent less money" in barriers.money_sentence(change)


def test_an_economy_gets_its_own_change_and_rank_not_a_median():
    sentence = barriers.analyse("Kenya").numbers.region_sentence
    change = barriers.change_over_decade()
    kenya = change.set_index("iso3").loc["KEN"]
    position = int((change["change"] > kenya["change"]).sum()) + 1
    assert sentence.startswith("Kenya went from")
    assert f"{kenya['gerd_pct_gdp_now']:.2f}%" in sentence
    assert report.ordinal(position) in sentence
    assert "median" not in sentence and "Most economies" not in sentence


def test_a_median_change_that_rounds_to_zero_is_not_printed_as_minus_zero():
    assert barriers.points(-0.001) == "under 0.01 points of GDP either way"
    assert barriers.points(0.126) == "+0.13 points of GDP"
    assert "-0.00" not in barriers.analyse("Latin America & Caribbean").numbers.region_sentence


def test_counts_of_zero_read_none_and_no_empty_list_is_printed():
    sentence = barriers.analyse("North America").numbers.region_sentence
    assert "none cut it" in sentence
    assert "Those that cut it" not in sentence and ": none" not in sentence


def test_small_region_names_each_members_values_instead_of_a_median():
    sentence = barriers.analyse("USMCA").numbers.region_sentence
    row = barriers.change_over_decade().set_index("iso3").loc["MEX"]
    assert (f"Mexico {row['gerd_pct_gdp_before']:.2f}% ({int(row['year_before'])}) to "
            f"{row['gerd_pct_gdp_now']:.2f}% ({int(row['year_now'])})") in sentence
    assert "median" not in sentence


def test_retrenchment_row_does_not_say_collaboration_money_is_cut_first():
    table = book_table(barriers.TABLE).set_index("barrier")
    summary = table.loc["Funding retrenchment", "summary"]
    assert "first" not in summary and "growing number" in summary


def test_tables_the_same_for_every_region_are_worked_out_once_and_handed_out_as_copies(
        monkeypatch):
    first = barriers.change_over_decade()
    first.loc[:, "change"] = 99.0  # a caller's change stays its own
    gaps = data_gaps.income_gaps()
    gaps.clear()
    records = data_gaps.MEASURES[0].records()
    column = records.columns[0]
    del records[column]
    monkeypatch.setattr(datasets, "load", lambda name: pytest.fail(f"{name} loaded again"))
    assert (barriers.change_over_decade()["change"] != 99.0).all()
    assert set(data_gaps.income_gaps()) == {"gerd", "trust"}
    assert column in data_gaps.MEASURES[0].records().columns
