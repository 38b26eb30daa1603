"""Partnership models: the top-partner share is computed from the pairs table."""

import pandas as pd
import pytest

from scicollab import datasets
from scicollab.chapters import partnership_models as models


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
    table = pd.read_csv(models.TABLE, keep_default_na=False)
    assert len(table) == 4 and table["source"].str.len().gt(0).all()
    assert "None of the" in models.analyse(region_without_data).numbers["mod_region_sentence"]
