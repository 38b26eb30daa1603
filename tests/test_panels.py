"""The shared panels: one definition of the world's economies, one value per statistic."""

import pandas as pd
import pytest

from scicollab import panels, paths, regions
from scicollab.chapters import capacity_building, challenges, funding, recommendations


def test_the_worlds_economies_are_the_world_bank_list_and_nothing_else():
    countries = pd.read_csv(paths.data_dir() / "countries.csv", keep_default_na=False)
    listed = set(countries.loc[countries["in_world_bank_list"].astype(str) == "True", "iso3"])
    assert set(panels.economies()["iso3"]) == listed
    world = regions.resolve("World")
    assert set(panels.counted(world)) == listed
    assert set(panels.territories(world)) == set(world.members) - listed
    assert "ATA" in panels.territories(world), "Antarctica is a member of World, not an economy"


@pytest.mark.parametrize("key", sorted(panels.BUILDERS))
def test_every_panel_holds_only_the_worlds_economies_once_each(key):
    values = panels.panel(key).values
    assert len(values) > 0
    assert values["iso3"].is_unique
    assert set(values["iso3"]) <= set(panels.economies()["iso3"])
    assert values["value"].notna().all()


def test_researchers_per_million_is_one_number_in_every_chapter():
    median, n = panels.panel("researchers").median()
    capacity = capacity_building.analyse("World")
    assert capacity.numbers.world_researchers == pytest.approx(median)
    assert capacity.numbers.world_with_researchers == n
    standing = recommendations.analyse("World").table.set_index("measure")
    assert standing.loc["researchers_per_million", "world_median"] == pytest.approx(median)
    assert standing.loc["researchers_per_million", "members_with_data"] == n
    assert f"{n} economies report researchers per million" in capacity.numbers.region_sentence
    assert f"(median {median:,.0f})" in capacity.numbers.region_sentence


def test_gerd_share_of_gdp_is_one_panel_for_funding_and_recommendations():
    median, n = panels.panel("gerd_pct_gdp").median()
    numbers = funding.analyse("World").numbers
    assert numbers.latest_economies == n
    assert numbers.latest_median == pytest.approx(median)
    standing = recommendations.analyse("World").table.set_index("measure")
    assert standing.loc["gerd_pct_gdp", "world_median"] == pytest.approx(median)


def test_gerd_in_dollars_uses_the_same_window_as_gerd_share_of_gdp():
    numbers = challenges.analyse("World").numbers
    assert (numbers.window_start, numbers.window_end) == panels.WINDOW
    assert numbers.economies == len(panels.panel("gerd_usd").values)


def test_latest_value_is_the_latest_year_in_the_window():
    rd = pd.read_csv(paths.data_dir() / "rd_expenditure.csv")
    start, end = panels.WINDOW
    kenya = rd[(rd["iso3"] == "KEN") & rd["year"].between(start, end)].sort_values("year")
    row = panels.panel("gerd_pct_gdp").values.set_index("iso3").loc["KEN"]
    assert row["year"] == kenya["year"].iloc[-1]
    assert row["value"] == pytest.approx(kenya["gerd_pct_gdp"].iloc[-1])


def test_an_economy_is_ranked_among_all_economies_and_within_its_income_group():
    p = panels.panel("researchers")
    values = p.values
    r = panels.rank(p, "KEN")
    kenya = values.set_index("iso3").loc["KEN"]
    assert r.value == pytest.approx(kenya["value"])
    assert r.rank == 1 + int((values["value"] > kenya["value"]).sum())
    assert r.n == len(values)
    peers = values[values["income_group"] == kenya["income_group"]]
    assert r.group == kenya["income_group"]
    assert r.group_rank == 1 + int((peers["value"] > kenya["value"]).sum())
    assert r.group_n == len(peers)
    top = values.sort_values("value").iloc[-1]
    assert panels.rank(p, top["iso3"]).rank == 1


def test_an_economy_without_a_value_has_no_rank_and_the_sentence_says_so():
    p = panels.panel("exact_share")
    assert panels.rank(p, "TUV") is None
    assert panels.standing_sentence(p, "TUV", "Tuvalu").startswith("Tuvalu has no value for")


def test_rank_table_agrees_with_rank():
    p = panels.panel("gerd_pct_gdp")
    table = panels.rank_table(p).set_index("iso3")
    for iso3 in ("KEN", "USA", "DEU"):
        r = panels.rank(p, iso3)
        assert table.loc[iso3, "rank"] == r.rank
        assert table.loc[iso3, "group_rank"] == r.group_rank


def test_group_medians_end_with_the_world_over_every_listed_economy():
    table = panels.group_medians(panels.panel("researchers")).set_index("income_group")
    assert table.loc["World", "economies"] == len(panels.economies())
    assert table.loc["World", "median"] == pytest.approx(panels.panel("researchers").median()[0])
