"""Pillars: the elements table is sourced and the standing comes from the recommendations."""

from scicollab.chapters import pillars, recommendations


def test_elements_have_sources_and_the_standing_matches_recommendations():
    table = pillars.elements()
    assert table["source"].str.len().gt(0).all()
    found = pillars.numbers("USMCA")
    assert found["pil_standing_table"] == recommendations.analyse("USMCA").numbers[
        "rec_standing_table"]
    assert found["pil_members"] == 3
