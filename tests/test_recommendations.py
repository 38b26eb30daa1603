"""Computed recommendations: standing per measure and the pathway rules as the page states them."""

import pandas as pd
import pytest

from scicollab.chapters import recommendations as rec
from scicollab.report import book_table


def _table(**overrides):
    base = {measure: {"members_with_data": 10, "region_median": 1.0, "world_median": 1.0,
                      "above_income_peers": 5} for measure in rec.MEASURES}
    for measure, values in overrides.items():
        base[measure].update(values)
    return pd.DataFrame([{"measure": m, "label": m, **v} for m, v in base.items()])


def test_no_rule_fires_for_an_average_region():
    assert not any(rec.pathways(_table(), 10).values())


def test_each_rule_fires_as_stated():
    low_gerd = rec.pathways(_table(gerd_pct_gdp={"region_median": 0.5}), 10)
    assert low_gerd["Improve the capacity for collaborative and equitable innovation"]
    few_above = rec.pathways(_table(gerd_pct_gdp={"above_income_peers": 3}), 10)
    assert few_above["Improve the capacity for collaborative and equitable innovation"]
    low_trust = rec.pathways(_table(trust_pct={"region_median": 0.5}), 10)
    assert low_trust["Build trust by supporting networks"]
    reliant = rec.pathways(_table(share={"region_median": 2.0}), 10)
    assert reliant["Work to provide secure and sustainable data sharing"]
    sparse = rec.pathways(_table(trust_pct={"members_with_data": 4}), 10)
    assert sparse["Better measures of scientific collaboration"]


def test_standing_medians_come_from_the_members_values():
    frame = rec.measures()
    table = rec.standing(frame, ("CAN", "MEX", "USA")).set_index("measure")
    members = frame[frame["iso3"].isin(["CAN", "MEX", "USA"])]
    assert table.loc["gerd_pct_gdp", "region_median"] == pytest.approx(
        members["gerd_pct_gdp"].median())
    assert table.loc["share", "world_median"] == pytest.approx(frame["share"].median())


def test_pathway_table_rules_match_the_code():
    table = book_table(rec.PATHWAYS)
    assert set(table["pathway"]) == set(rec.pathways(_table(), 10))
    assert "source" in table.columns and table["source"].str.len().gt(0).all()


def test_region_outside_the_list_says_there_is_nothing_to_compare(region_without_data):
    result = rec.analyse(region_without_data)
    assert result.numbers["rec_members"] == 0
    assert "nothing to compare" in result.numbers["rec_members_sentence"]
    assert result.numbers["rec_summary"].startswith("No rule can be applied")
    table = result.numbers["rec_standing_table"].splitlines()
    assert table[0] == "| Measure | World median |"
    assert len(table) == 2 + len(rec.MEASURES)
    marks = result.numbers["rec_pathways_table"].splitlines()[2:]
    assert all("– (no data)" in row for row in marks)


def test_summary_agrees_with_the_table_when_no_rule_fires():
    result = rec.analyse("USMCA")
    assert not any(result.chosen.values())
    text = result.numbers["rec_summary"]
    assert "none of the four rules used here fires" in text
    row = result.table.set_index("measure")
    below = [m for m in rec.MEASURES if row.loc[m, "region_median"] < row.loc[m, "world_median"]]
    assert below, "USMCA sits below the world median on at least one measure"
    said_below = text.split("below the world median on ")[1].split(", and at or above")[0]
    for measure in rec.MEASURES:
        assert (rec.SHORT[measure] in said_below) == (measure in below), measure
    assert "at or above the world and its income peers" not in text


def test_summary_names_the_pathways_that_fire():
    result = rec.analyse("South Asia")
    picked = [name for name, yes in result.chosen.items() if yes]
    text = result.numbers["rec_summary"]
    assert f"{len(picked)} of the four rules used here fire" in text
    assert all(name in text for name in picked)


def test_world_edition_has_no_region_column_and_says_which_rules_cannot_apply():
    result = rec.analyse("World")
    header = result.numbers["rec_standing_table"].splitlines()[0]
    assert "Region median" not in header and "World median" in header
    assert "cannot apply" in result.numbers["rec_summary"]
    marks = [row.split("|")[2].strip()
             for row in result.numbers["rec_pathways_table"].splitlines()[2:]]
    assert sum(mark.startswith("– (compares") for mark in marks) == len(marks) - 1


def test_a_small_region_lists_its_members_values_instead_of_a_median():
    result = rec.analyse("USMCA")
    frame = rec.measures().set_index("iso3")
    rows = {r.split("|")[1].strip(): r for r in result.numbers["rec_standing_table"].splitlines()}
    gerd = rows[rec.measure_labels()["gerd_pct_gdp"]]
    assert f"Mexico {frame.loc['MEX', 'gerd_pct_gdp']:.2f}" in gerd
    assert "Region median" in result.numbers["rec_standing_table"].splitlines()[0]


def test_measure_labels_state_their_years():
    labels = rec.measure_labels()
    first, last = rec.growth_years()
    assert labels["works_growth"].endswith(f"{first} to {last} (ratio)")
    assert f"latest {rec.WINDOW[0]}–{rec.WINDOW[1]}" in labels["researchers_per_million"]
    assert labels["trust_pct"].startswith("Trusting people of another nationality")
