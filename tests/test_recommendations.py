"""Computed recommendations: standing per measure and the pathway rules as the page states them."""

import pandas as pd
import pytest

from scicollab import paths, verdicts
from scicollab.chapters import recommendations as rec
from scicollab.report import book_table


def _table(**overrides):
    base = {measure: {"members_with_data": 10, "region_median": 1.0, "world_median": 1.0,
                      "above_income_peers": 5, "member_values": [("A", 1.0)]}
            for measure in rec.MEASURES}
    for measure, values in overrides.items():
        base[measure].update(values)
    return pd.DataFrame([{"measure": m, "label": m, **v} for m, v in base.items()])


QUIET = {"gaps": verdicts.NOT_SUPPORTED}


def _fired(chosen):
    return {name for name, p in chosen.items() if p.points_here}


def test_no_rule_fires_for_an_average_region_with_few_gaps():
    assert not _fired(rec.pathways(_table(), 10, QUIET))


def test_each_regional_rule_fires_as_stated():
    low_gerd = rec.pathways(_table(gerd_pct_gdp={"region_median": 0.5}), 10, QUIET)
    assert _fired(low_gerd) == {rec.CAPACITY}
    few_above = rec.pathways(_table(gerd_pct_gdp={"above_income_peers": 3}), 10, QUIET)
    assert _fired(few_above) == {rec.CAPACITY}
    low_trust = rec.pathways(_table(trust_pct={"region_median": 0.5}), 10, QUIET)
    assert _fired(low_trust) == {rec.TRUST}
    reliant = rec.pathways(_table(share={"region_median": 2.0}), 10, QUIET)
    assert _fired(reliant) == {rec.SHARING}
    gaps = rec.pathways(_table(), 10, {"gaps": verdicts.IN_PART})
    assert _fired(gaps) == {rec.COVERAGE}


def test_the_world_reads_its_own_findings_and_every_rule_can_apply():
    found = {"gaps": verdicts.HOLDS, "figure2": verdicts.IN_PART,
             "trust_high": verdicts.HOLDS, "future": verdicts.HOLDS}
    assert _fired(rec.pathways(_table(), 10, found, is_world=True)) == set(
        rec.pathways(_table(), 10, found, is_world=True))
    against = {"gaps": verdicts.NOT_SUPPORTED, "figure2": verdicts.NOT_SUPPORTED,
               "trust_high": verdicts.NOT_SUPPORTED, "future": verdicts.NOT_SUPPORTED}
    assert not _fired(rec.pathways(_table(), 10, against, is_world=True))


def test_a_changed_finding_changes_the_pathway():
    holds = {"gaps": verdicts.NOT_SUPPORTED, "figure2": verdicts.HOLDS,
             "trust_high": verdicts.NOT_SUPPORTED, "future": verdicts.NOT_SUPPORTED}
    assert _fired(rec.pathways(_table(), 10, holds, is_world=True)) == {rec.CAPACITY}
    fails = {**holds, "figure2": verdicts.NOT_SUPPORTED}
    assert not _fired(rec.pathways(_table(), 10, fails, is_world=True))


def test_standing_medians_come_from_the_members_values():
    frame = rec.measures()
    table = rec.standing(frame, ("CAN", "MEX", "USA")).set_index("measure")
    members = frame[frame["iso3"].isin(["CAN", "MEX", "USA"])]
    assert table.loc["gerd_pct_gdp", "region_median"] == pytest.approx(
        members["gerd_pct_gdp"].median())
    assert table.loc["share", "world_median"] == pytest.approx(frame["share"].median())


def test_pathway_table_rules_match_the_code():
    table = book_table(rec.PATHWAYS)
    assert set(table["pathway"]) == set(rec.pathways(_table(), 10, QUIET))
    assert "source" in table.columns and table["source"].str.len().gt(0).all()


def test_region_outside_the_list_says_there_is_nothing_to_compare(region_without_data):
    result = rec.analyse(region_without_data)
    assert result.numbers.members == 0
    assert "nothing to compare" in result.numbers.members_sentence
    assert result.numbers.summary.startswith("No rule can be applied")
    table = result.numbers.standing_table.splitlines()
    assert table[0] == "| Measure | World median |"
    assert len(table) == 2 + len(rec.MEASURES)
    marks = result.numbers.pathways_table.splitlines()[2:]
    assert all("– (no data)" in row for row in marks)


def test_summary_names_the_pathways_that_fire_and_agrees_with_the_table():
    for name in ("South Asia", "USMCA", "Kenya"):
        result = rec.analyse(name)
        picked = [p for p, found in result.chosen.items() if found.points_here]
        text = result.numbers.summary
        assert all(p in text for p in picked)
        rows = result.numbers.pathways_table.splitlines()[2:]
        marks = {r.split(" | ")[0].lstrip("| "): r.split(" | ")[3] for r in rows}
        assert {p for p, m in marks.items() if m == "**yes**"} == set(picked)
        row = result.table.set_index("measure")
        measured = row[row["members_with_data"] > 0]
        below = [m for m in measured.index
                 if measured.loc[m, "region_median"] < measured.loc[m, "world_median"]]
        if below:
            said = text.split("below the world median on ")[1].split(", and at or above")[0]
            for measure in rec.MEASURES:
                assert (rec.SHORT[measure] in said) == (measure in below), (name, measure)


def test_world_edition_applies_every_rule_from_the_findings_and_points_to_no_csv():
    from scicollab import findings

    result = rec.analyse("World")
    header = result.numbers.standing_table.splitlines()[0]
    assert "Region median" not in header and "World median" in header
    assert "cannot apply" not in result.numbers.summary
    marks = [row.split(" | ")[3] for row in result.numbers.pathways_table.splitlines()[2:]]
    assert set(marks) <= {"**yes**", "no"}, "every rule applies to the world"
    world = findings.world_findings()
    expected = {rec.COVERAGE: world["gaps"].verdict.verdict in rec.SUPPORTED,
                rec.CAPACITY: world["figure2"].verdict.verdict in rec.SUPPORTED,
                rec.TRUST: world["trust_high"].verdict.verdict in rec.SUPPORTED,
                rec.SHARING: world["future"].verdict.verdict == verdicts.HOLDS}
    assert {k: p.points_here for k, p in result.chosen.items()} == expected
    source = (paths.notebooks_dir() / "recommendations.md").read_text()
    assert "recommendations-pathways.csv" not in source


def test_an_economy_gets_its_value_and_ranks_not_a_median():
    result = rec.analyse("Kenya")
    table = result.numbers.standing_table.splitlines()
    assert "Rank among economies" in table[0] and "Region median" not in table[0]
    from scicollab import panels

    r = panels.rank(panels.panel("researchers"), "KEN")
    row = next(line for line in table if line.startswith("| Researchers per million"))
    assert f"| {r.rank} of {r.n} |" in row and f"| {r.group_rank} of {r.group_n} |" in row
    assert "Its value is" in result.numbers.summary
    assert "The region's median" not in result.numbers.summary


def test_a_small_region_lists_its_members_values_instead_of_a_median():
    result = rec.analyse("USMCA")
    frame = rec.measures().set_index("iso3")
    rows = {r.split("|")[1].strip(): r for r in result.numbers.standing_table.splitlines()}
    gerd = rows[rec.measure_labels()["gerd_pct_gdp"]]
    assert f"Mexico {frame.loc['MEX', 'gerd_pct_gdp']:.2f}" in gerd
    assert "Region median" in result.numbers.standing_table.splitlines()[0]


def test_measure_labels_state_their_years():
    labels = rec.measure_labels()
    first, last = rec.growth_years()
    assert labels["works_growth"].endswith(f"{first} to {last} (ratio)")
    assert f"latest {rec.WINDOW[0]}–{rec.WINDOW[1]}" in labels["researchers_per_million"]
    assert labels["trust_pct"].startswith("Trusting people of another nationality")


def test_a_measure_without_data_is_worded_for_an_economy_and_for_a_group():
    # an economy's edition read "no member has a value for trust ..."
    empty = {"members_with_data": 0, "region_median": float("nan")}
    one = rec.pathways(_table(trust_pct=empty), 1, QUIET)[rec.TRUST].evidence
    group = rec.pathways(_table(trust_pct=empty), 10, QUIET)[rec.TRUST].evidence
    assert one == "no value for trust in people of another nationality"
    assert group == "no member has a value for trust in people of another nationality"
    bhutan = rec.analyse("Bhutan").chosen[rec.TRUST]
    assert not bhutan.points_here and bhutan.evidence.startswith("no value for trust")
