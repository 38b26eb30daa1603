"""The GERD analysis: its numbers follow from its data, and regions without data say so."""

import numpy as np
import pytest

from scicollab import models, regions
from scicollab.chapters import gerd


@pytest.fixture(scope="module")
def world():
    return gerd.analyse("World")


def test_proxy_share_is_one_minus_fractional_over_whole():
    year, shares = gerd.proxy_shares()
    assert year == 2018
    from scicollab import datasets

    counts = datasets.load("publication_counts")
    row = counts[(counts["iso3"] == "KEN") & (counts["year"] == year)].iloc[0]
    ken = shares[shares["iso3"] == "KEN"]["share"].item()
    assert ken == pytest.approx(100 * (1 - row["fractional"] / row["whole"]))
    assert (shares["whole"] >= gerd.MIN_ARTICLES).all()


def test_numbers_follow_from_the_plotted_data(world):
    data = world.proxy.data
    assert world.numbers["gerd_n_proxy"] == len(data) == world.proxy.fit.n
    refit = models.fit_line(np.log10(data["gerd_usd"]), data["share"])
    assert world.numbers["gerd_proxy_slope"] == pytest.approx(refit.slope)
    assert (data["gerd_year"] <= world.proxy.year).all()
    assert (data["gerd_year"] >= world.proxy.year - gerd.WINDOW).all()


def test_claim_sentence_matches_the_sign_of_the_slope(world):
    direction = models.describe_slope(world.proxy.fit)
    expected = {"negative": "Yes", "positive": "No", "no clear": "Not clearly"}[direction]
    assert world.numbers["gerd_claim"].startswith(expected)


def test_calibration_is_strong_enough_to_justify_the_proxy(world):
    assert world.calibration_r > 0.9
    assert world.numbers["gerd_cal_n"] >= 40


def test_region_median_and_rank(world):
    africa = gerd.analyse("Sub-Saharan Africa")
    members = africa.proxy.data[africa.proxy.data["in_region"]]
    assert africa.numbers["gerd_region_n"] == len(members)
    assert africa.numbers["gerd_region_median"] == pytest.approx(members["share"].median())
    ranked = africa.region_medians
    position = ranked.index[ranked["region"] == "Sub-Saharan Africa"][0] + 1
    assert africa.numbers["gerd_region_rank"].startswith(str(position))


def test_region_without_data_gets_a_sentence_not_a_crash(monkeypatch):
    empty = regions.Region("Antarctica", "custom", ("ATA",))
    monkeypatch.setattr(regions, "resolve", lambda name: empty if name == "Antarctica"
                        else regions._catalogue()[name])
    analysis = gerd.analyse("Antarctica")
    assert analysis.numbers["gerd_region_n"] == 0
    assert "cannot be placed" in analysis.numbers["gerd_region_sentence"]
    _fig, spec, data = gerd.figure(analysis.proxy, empty)
    assert spec.id == "gerd-proxy-antarctica" and not data["in_region"].any()


def test_figure_spec_has_id_caption_source_and_years(world):
    spec = gerd.figure_spec(world.proxy, world.region)
    assert spec.id == "gerd-proxy-world"
    assert "NCSES" in spec.full_caption and "World Bank" in spec.full_caption
    assert "2018" in spec.full_caption
