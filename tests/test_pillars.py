"""Pillars: the elements table is sourced and the standing comes from the recommendations."""

from scicollab.chapters import pillars, recommendations


def test_elements_have_sources_and_the_standing_matches_recommendations():
    table = pillars.elements()
    assert table["source"].str.len().gt(0).all()
    found = pillars.numbers("USMCA")
    assert found["pil_standing_table"] == recommendations.analyse("USMCA").numbers[
        "rec_standing_table"]
    assert found["pil_members"] == 3


def test_pillars_intro_speaks_of_the_region_in_prose():
    assert pillars.numbers("USMCA")["pil_standing_intro"].startswith(
        "For the 3 economies of USMCA in the World Bank's list")
    assert "the Low income group" in pillars.numbers("Low income")["pil_standing_intro"]
    assert pillars.numbers("World")["pil_region_scope"] == "the world"
