"""Pillars: the elements table is sourced; each element shows the findings that bear on it."""

import pandas as pd

from scicollab import findings, verdicts
from scicollab.chapters import pillars, recommendations


def test_elements_have_sources_and_every_mapped_element_is_in_the_table():
    table = pillars.elements()
    assert table["source"].str.len().gt(0).all()
    assert set(pillars.FINDINGS) <= set(table["element"])
    keys = {c.key for c in findings.CLAIMS}
    assert all(set(k) <= keys for k in pillars.FINDINGS.values())


def test_pillars_no_longer_repeats_the_recommendations_standing_table():
    found = pillars.numbers("USMCA")
    standing = recommendations.analyse("USMCA").numbers.standing_table
    assert standing not in found.as_dict().values()
    assert "pil_standing_table" not in found.as_dict()


def test_element_verdicts_are_the_findings_verdicts():
    rows = pillars.element_findings("World")
    world = findings.table("World").set_index("claim")
    for row in rows.itertuples():
        assert row.verdict == world.loc[row.claim, "verdict"]
        assert row.whose == "the world"
    assert len(rows) == sum(len(k) for k in pillars.FINDINGS.values())


def test_a_region_gets_its_own_verdict_where_it_has_one_and_the_worlds_otherwise():
    rows = pillars.element_findings("Sub-Saharan Africa").set_index("claim")
    mine = findings.table("Sub-Saharan Africa").set_index("claim")
    for claim, row in rows.iterrows():
        regional = mine.loc[claim, "region_verdict"]
        if pd.isna(regional) or regional == verdicts.UNTESTABLE:
            assert row["whose"] == "the world" and row["verdict"] == mine.loc[claim, "verdict"]
        else:
            assert row["whose"] == "Sub-Saharan Africa" and row["verdict"] == regional
    kenya = pillars.element_findings("Kenya")
    assert (kenya["verdict"] != verdicts.UNTESTABLE).sum() >= 1


def test_pillars_scope_speaks_of_the_region_in_prose():
    assert pillars.numbers("World").region_scope == "the world"
    assert pillars.numbers("Low income").region_scope == "the Low income group"
    assert pillars.numbers("United States").region_scope == "the United States"
