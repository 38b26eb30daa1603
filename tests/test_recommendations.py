"""Computed recommendations: standing per measure and the pathway rules as the page states them."""

import pandas as pd
import pytest

from scicollab.chapters import recommendations as rec


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
    table = pd.read_csv(rec.PATHWAYS, keep_default_na=False)
    assert set(table["pathway"]) == set(rec.pathways(_table(), 10))
    assert "source" in table.columns and table["source"].str.len().gt(0).all()


def test_region_outside_the_list_gets_a_sentence(region_without_data):
    result = rec.analyse(region_without_data)
    assert result.numbers["rec_members"] == 0
    assert "nothing to compare" in result.numbers["rec_summary"]
