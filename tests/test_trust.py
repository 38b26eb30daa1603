"""The trust analysis: direction of the measure, per-group fits, verdicts, regions without data."""

import numpy as np
import pytest

from scicollab import datasets, models, regions
from scicollab.chapters import trust


@pytest.fixture(scope="module")
def world():
    return trust.analyse("World")


def test_latest_wave_per_country_and_trust_is_complement_of_distrust():
    latest = trust.latest_trust()
    assert latest["iso3"].is_unique
    raw = datasets.load("trust")
    raw = raw[raw["item"] == trust.ITEM]
    assert (latest.set_index("iso3")["wave"] == raw.groupby("iso3")["wave"].max()).all()
    assert np.allclose(latest["trust_pct"] + latest["distrust_pct"], 100)


def test_groups_are_high_income_and_low_and_middle_income(world):
    high = world.groups["High income"].data
    lmic = world.groups["Low & middle income"].data
    assert set(high["income_group"]) == {"High income"}
    assert "High income" not in set(lmic["income_group"])
    assert len(high) + len(lmic) <= len(world.data)


def test_group_slopes_are_refits_of_the_plotted_data(world):
    high = world.groups["High income"].data
    refit = models.fit_line(high["trust_pct"], high["share"])
    assert world.numbers["trust_high_slope"] == pytest.approx(refit.slope)
    assert world.numbers["trust_high_n"] == refit.n


def test_verdicts_follow_sign_and_significance(world):
    for key, fit, verdict in (("high", world.groups["High income"].fit, trust.verdict_rises),
                              ("lmic", world.groups["Low & middle income"].fit,
                               trust.verdict_none)):
        assert world.numbers[f"trust_claim_{key}"] == verdict(fit)
    rng = np.random.default_rng(0)
    x = np.linspace(0, 100, 40)
    rising = models.fit_line(x, x + rng.normal(0, 5, 40))
    flat = models.fit_line(x, rng.normal(0, 5, 40))
    assert trust.verdict_rises(rising).startswith("The claim holds")
    assert trust.verdict_rises(flat).startswith("The claim is not supported")
    assert trust.verdict_none(flat).startswith("The claim holds")
    assert trust.verdict_none(rising).startswith("The claim fails")
    assert trust.verdict_none(None).startswith("Cannot be tested")


def test_sensitivity_table_has_baseline_and_variants(world):
    table = world.groups["High income"].sensitivity
    assert table["variant"].iloc[0].startswith("Broad share")
    assert len(table) == 3


def test_region_without_survey_data_gets_a_sentence(monkeypatch):
    empty = regions.Region("Antarctica", "custom", ("ATA",))
    real = regions.resolve
    monkeypatch.setattr(regions, "resolve", lambda name: empty if name == "Antarctica"
                        else real(name))
    analysis = trust.analyse("Antarctica")
    assert analysis.numbers["trust_region_surveyed"] == 0
    assert "cannot be placed" in analysis.numbers["trust_region_sentence"]
    _fig, spec, data = trust.figure(analysis)
    assert spec.id == "trust-antarctica" and not data["in_region"].any()


def test_figure_caption_names_sources_and_years(world):
    spec = trust.figure_spec(world)
    assert "EVS/WVS" in spec.full_caption and "NCSES" in spec.full_caption
    assert str(world.share_year) in spec.data_years
