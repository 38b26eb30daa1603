"""The data-gaps chapter: coverage counted right, missing members listed, every region handled."""

import pandas as pd
import pytest

from scicollab import datasets, regions
from scicollab.chapters import data_gaps


@pytest.fixture(scope="module")
def world():
    return data_gaps.analyse("World")


def _world_bank_list() -> set[str]:
    """The economies on the World Bank's list, read straight from the processed countries table."""
    from scicollab import paths

    countries = pd.read_csv(paths.data_dir() / "countries.csv", keep_default_na=False)
    return set(countries.loc[countries["in_world_bank_list"].astype(str) == "True", "iso3"])


@pytest.fixture(scope="module")
def africa():
    return data_gaps.analyse("Sub-Saharan Africa")


def test_gerd_coverage_matches_a_direct_count_of_the_table(africa):
    members = set(regions.resolve("Sub-Saharan Africa").members)
    rd = datasets.load("rd_expenditure").dropna(subset=["gerd_usd"])
    rd = rd[rd["iso3"].isin(members) & rd["year"].between(2000, 2023)]
    row = africa.summary.set_index("measure").loc["gerd"]
    assert row["records"] == len(rd)
    assert row["cells"] == len(members) * 24
    assert africa.numbers.gerd.missing_pct == pytest.approx(
        100 * (1 - len(rd) / (len(members) * 24)))
    yearly = africa.shares[(africa.shares["measure"] == "gerd")].set_index("period")["share"]
    assert yearly[2015] == pytest.approx(100 * (rd["year"] == 2015).sum() / len(members))


def test_trust_coverage_counts_waves_of_item_g007_36_b(world):
    listed = _world_bank_list()
    trust = datasets.load("trust")
    trust = trust[(trust["item"] == "G007_36_B") & trust["wave"].isin([5, 6, 7])
                  & trust["iso3"].isin(listed)]
    row = world.summary.set_index("measure").loc["trust"]
    assert row["records"] == trust[["iso3", "wave"]].drop_duplicates().shape[0]
    assert row["cells"] == 3 * len(listed)


def test_world_counts_the_world_bank_list_and_territories_apart(world):
    listed = _world_bank_list()
    everything = set(regions.resolve("World").members)
    assert set(world.economies) == listed
    assert set(world.territories) == everything - listed
    assert set(world.coverage["iso3"]) == listed
    n = world.numbers
    assert n.members == len(listed)
    assert n.economies == \
        f"the {len(listed)} economies on the World Bank's list of economies"
    assert f"{len(everything - listed)} territories outside the World Bank's list" in \
        n.territories_sentence
    # The territories' own records are counted for the sentence, not in the world's cells.
    counts = datasets.load("publication_counts").dropna(subset=["foreign_credit_share"])
    counts = counts[counts["year"].between(2000, 2018) & ~counts["iso3"].isin(listed)]
    if len(counts):
        assert f"{len(counts)} country-period cells in all" in n.territories_sentence


def test_regions_other_than_the_world_count_every_member(africa):
    assert africa.economies == regions.resolve("Sub-Saharan Africa").members
    assert africa.territories == ()
    assert africa.numbers.territories_sentence == (
        "Every member of Sub-Saharan Africa is on the World Bank's list of economies.")


def test_broad_and_exact_coverage_match_direct_counts(world):
    listed = _world_bank_list()
    counts = datasets.load("publication_counts").dropna(subset=["foreign_credit_share"])
    counts = counts[counts["year"].between(2000, 2018) & counts["iso3"].isin(listed)]
    pubs = datasets.load("publications")
    pubs = pubs[pubs["year"].between(2000, 2022) & pubs["iso3"].isin(listed)]
    summary = world.summary.set_index("measure")
    assert summary.loc["broad", "records"] == len(counts)
    assert summary.loc["exact", "records"] == len(pubs)
    assert summary.loc["exact", "members_with"] == pubs["iso3"].nunique()


def test_overall_missing_share_and_verdict_agree(world):
    n = world.numbers
    assert n.cells == world.summary["cells"].sum()
    assert n.missing_pct == pytest.approx(100 * (1 - n.records / n.cells))
    assert n.outnumber == ("yes" if n.missing_pct > 50 else "no")
    assert n.overall.startswith("so gaps" if n.outnumber == "yes"
                                        else "so records")
    outnumbered = (world.summary["missing"] > world.summary["records"]).sum()
    assert n.measures_outnumbered == outnumbered
    assert n.verdict.startswith("Gaps outnumber records for")


def test_verdict_names_the_one_measure_left_in_the_singular():
    summary = pd.DataFrame({"short": ["GERD", "exact share", "broad share", "trust"],
                            "missing": [9, 9, 1, 9], "records": [1, 1, 9, 1]})
    assert data_gaps.verdict_sentence(summary).endswith(
        "for the other one, the broad share, most cells have a value.")
    two = summary.assign(missing=[9, 9, 1, 1], records=[1, 1, 9, 9])
    assert data_gaps.verdict_sentence(two).endswith("for the others, most cells have a value.")


def test_income_groups_are_named_as_groups_in_sentences():
    low = data_gaps.analyse("Low income").numbers
    members = len(regions.resolve("Low income").members)
    assert low.economies == f"the {members} economies of the Low income group"
    assert "economies of the Low income group" in low.region_sentence
    assert low.where == "the Low income group"


def test_missing_members_are_those_with_no_value_in_any_period(africa):
    members = set(regions.resolve("Sub-Saharan Africa").members)
    rd = datasets.load("rd_expenditure").dropna(subset=["gerd_usd"])
    having = set(rd.loc[rd["year"].between(2000, 2023), "iso3"]) & members
    names = datasets.countries().set_index("iso3")["name"]
    expected = sorted(names[list(members - having)])
    row = africa.missing.set_index("measure").loc["gerd"]
    assert row["missing"] == expected
    assert row["n_missing"] + row["n_present"] == len(members)
    assert africa.numbers.gerd.without == len(expected)
    assert all(name in africa.numbers.missing_table for name in expected)


def test_long_missing_lists_name_the_shorter_side(africa):
    table = africa.numbers.missing_table
    exact = africa.missing.set_index("measure").loc["exact"]
    assert exact["n_missing"] > exact["n_present"]
    assert f"all except these {exact['n_present']}" in table


def test_small_region_shows_every_member_and_large_region_a_readable_subset(world, africa):
    assert data_gaps.per_country(africa.region)
    assert sorted(data_gaps.countries_shown(africa)) == sorted(africa.region.members)
    assert not data_gaps.per_country(world.region)
    shown = data_gaps.countries_shown(world)
    assert len(shown) == data_gaps.SMALL_REGION
    with_some = world.coverage.groupby("iso3")["covered"].sum()
    assert (with_some[shown] > 0).all()
    assert "too large" in world.numbers.countries_sentence
    assert "every one" in africa.numbers.countries_sentence


def test_figures_have_region_ids_sources_and_years(africa):
    _fig, spec, data = data_gaps.shares_figure(africa)
    assert spec.id == "gaps-coverage-sub-saharan-africa"
    assert "World Bank" in spec.full_caption and "NCSES" in spec.full_caption
    assert "2000–2023" in spec.full_caption and "wave 7" in spec.full_caption
    assert set(data["measure"]) == {"gerd", "exact", "broad", "trust"}
    _fig, spec, data = data_gaps.countries_figure(africa)
    assert spec.id == "gaps-countries-sub-saharan-africa"
    assert set(data["iso3"]) == set(africa.region.members)


def test_region_without_data_gets_a_sentence_and_every_key(monkeypatch, world):
    empty = regions.Region("Antarctica", "custom", ("ATA",))
    monkeypatch.setattr(regions, "resolve", lambda name: empty if name == "Antarctica"
                        else regions._catalogue()[name])
    analysis = data_gaps.analyse("Antarctica")
    assert set(analysis.numbers.as_dict()) == set(world.numbers.as_dict())
    assert analysis.numbers.region_sentence == (
        "The only economy in Antarctica has no value for any of the four measures in any "
        "period: for this region the data are all gaps.")
    assert analysis.numbers.with_sentence.startswith("No economy counted here")
    assert analysis.numbers.countries_sentence == \
        "The heat map shows the region's one economy."
    assert analysis.numbers.territories_sentence.startswith(
        "The only member of Antarctica is outside the World Bank's list of economies; it is")
    assert analysis.numbers.records == 0
    assert analysis.numbers.verdict.startswith("There is no record")
    for make in (data_gaps.shares_figure, data_gaps.countries_figure):
        _fig, spec, data = make(analysis)
        assert spec.id.endswith("-antarctica") and isinstance(data, pd.DataFrame)


def test_the_region_sentence_names_shares_with_their_article(africa):
    best_and_worst = data_gaps.region_sentence(africa)
    for short in ("broad share", "exact share"):
        if short in best_and_worst:
            assert f"the {short}" in best_and_worst
    assert "the GERD" not in best_and_worst and "the trust" not in best_and_worst
    assert data_gaps._named("GERD") == "GERD" and data_gaps._named("broad share") == (
        "the broad share")


def test_an_economys_sentence_says_what_it_has_and_what_it_lacks():
    # it read "Bhutan has the broad share, but not at least one GERD figure, the exact share
    # or a trust survey." and, for an economy, "the economies with data; the others are not in
    # the charts"
    a = data_gaps.analyse("Bhutan")
    held = a.summary.set_index("measure")["members_with"]
    assert held.to_dict() == {"gerd": 0, "exact": 0, "broad": 1, "trust": 0}
    assert data_gaps.with_sentence(a) == (
        "Bhutan has the broad share, but no GERD figure, no exact share and no trust survey. "
        "Any statement in this book about Bhutan rests on the measures it has; in the charts "
        "of a measure it lacks, it is missing.")
    usa = data_gaps.analyse("United States")
    assert data_gaps.with_sentence(usa) == (
        "The United States has at least one GERD figure, the exact share, the broad share and "
        "a trust survey.")
    assert usa.numbers.where == "the United States"
    africa = data_gaps.with_sentence(data_gaps.analyse("Sub-Saharan Africa"))
    assert africa.endswith("Any statement in this book about Sub-Saharan Africa rests on the "
                           "economies with data; the others are not in the charts, and nothing "
                           "says they resemble the ones that are.")


def test_an_economy_without_any_value_is_named_as_itself():
    # Aruba's edition read "The only economy in Aruba has no value ... for this region"
    a = data_gaps.analyse("Aruba")
    assert a.summary["records"].sum() == 0
    assert a.numbers.region_sentence == ("Aruba has no value for any of the four measures in "
                                         "any period: its data are all gaps.")

