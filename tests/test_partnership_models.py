"""Partnership models: the top-partner share is computed from the pairs table."""

import pandas as pd
import pytest

from scicollab import datasets
from scicollab.chapters import partnership_models as models
from scicollab.report import book_table


def test_top_partner_share_matches_a_direct_computation():
    shares = models.top_partner_share(2020).set_index("iso3")
    pairs = datasets.load("openalex_pairs")
    mine = pairs[(pairs["year"] == 2020) & ((pairs["a"] == "KEN") | (pairs["b"] == "KEN"))]
    assert shares.loc["KEN", "links"] == mine["works"].sum()
    assert shares.loc["KEN", "top_share"] == pytest.approx(
        100 * mine["works"].max() / mine["works"].sum())


def test_only_countries_with_enough_links_are_compared():
    data = models.concentration()
    assert (data["links_base"] >= models.MIN_LINKS).all()
    assert (data["links_last"] >= models.MIN_LINKS).all()


def test_models_table_and_no_data_region(region_without_data):
    table = book_table(models.TABLE)
    assert len(table) == 4 and table["source"].str.len().gt(0).all()
    assert "None of the" in models.analyse(region_without_data).numbers.region_sentence


def _members(partners: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"partner_last": partners, "last_year": 2023})


def test_top_partner_inside_the_region_is_counted_among_the_other_members():
    from scicollab import regions

    g7 = regions.resolve("G7")
    sentence = models._top_partner_sentence(_members(["USA"] * 6 + ["CHN"]), g7, "members")
    assert sentence.endswith("the United States, for all 6 other members.")
    sentence = models._top_partner_sentence(_members(["USA"] * 3 + ["GBR"] * 4), g7, "members")
    assert "the United Kingdom, for 4 of the 6 other members" in sentence


def test_a_tie_for_top_partner_names_every_leader():
    from scicollab import regions

    region = regions.Region("Pair", "custom", ("CAN", "USA"))
    sentence = models._top_partner_sentence(_members(["USA", "CHN"]), region, "members")
    assert sentence.startswith("No single partner leads: China and the United States")


def test_a_small_region_names_each_members_shares_instead_of_a_median():
    data = models.concentration().set_index("iso3")
    sentence = models.analyse("USMCA").numbers.region_sentence
    assert "median" not in sentence
    mexico = data.loc["MEX"]
    assert (f"Mexico from {mexico['top_share_base']:.1f}% to {mexico['top_share_last']:.1f}%"
            in sentence)
    assert "median top-partner share" in models.analyse("G7").numbers.region_sentence


def test_world_edition_does_not_repeat_the_world_as_a_region():
    numbers = models.analyse("World").numbers
    assert "median" not in numbers.region_sentence
    assert numbers.intro_scope == "for every country"


def test_the_coverage_explanation_is_tested_by_a_correlation():
    import numpy as np

    from scicollab import models as stats

    data = models.concentration()
    test = stats.correlation_test(np.log10(data["links_last"] / data["links_base"]),
                                  data["top_share_last"] - data["top_share_base"])
    sentence = models.analyse("World").numbers.coverage_sentence
    assert f"r = {test.r:z.2f}" in sentence and f"Across the {test.n} countries" in sentence
    fits = test.p_value < stats.ALPHA and test.r < 0
    assert ("consistent with coverage" in sentence) == fits


def test_an_economy_with_too_few_links_is_told_in_which_year_and_how_many():
    # it read "fewer than 100 co-authorship links in 2000 or in 2023"
    pairs = datasets.load("openalex_pairs")
    last = int(pairs["year"].max())

    def links(iso3: str, year: int) -> int:
        rows = pairs[pairs["year"] == year]
        return int(rows.loc[(rows["a"] == iso3) | (rows["b"] == iso3), "works"].sum())

    assert links("BTN", 2000) < models.MIN_LINKS <= links("BTN", last)
    sentence = models.analyse("Bhutan").numbers.region_sentence
    assert sentence.startswith(f"Bhutan had {links('BTN', 2000)} links in 2000, fewer than "
                               f"the {models.MIN_LINKS}")
    assert f"in {last}" not in sentence.split(".")[0]
