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


def test_region_without_data_gets_a_sentence_not_a_crash(region_without_data):
    analysis = gerd.analyse(region_without_data)
    assert analysis.numbers["gerd_region_n"] == 0
    assert analysis.numbers["gerd_region_rank"] == "not ranked"
    assert "cannot be placed" in analysis.numbers["gerd_region_sentence"]
    _fig, spec, data = gerd.figure(analysis.proxy, analysis.region)
    assert spec.id == f"gerd-proxy-{regions.slugify(region_without_data)}"
    assert not data["in_region"].any()


def test_figure_spec_has_id_caption_source_and_years(world):
    spec = gerd.figure_spec(world.proxy, world.region)
    assert spec.id == "gerd-proxy-world"
    assert "NCSES" in spec.full_caption and "World Bank" in spec.full_caption
    assert "2018" in spec.full_caption


def test_sensitivity_baseline_matches_the_chapter_fit(world):
    table = world.sensitivity
    assert table.loc[0, "slope"] == pytest.approx(world.proxy.fit.slope)
    assert table.loc[0, "n"] == world.proxy.fit.n
    assert world.numbers["gerd_sensitivity_variants"] == len(table) - 1


def test_sensitivity_drops_the_largest_producers_and_switches_measure(world):
    table = world.sensitivity.set_index("variant")
    dropped = table.loc[f"Without the {gerd.TOP_PRODUCERS} largest producers"]
    assert dropped["n"] == world.proxy.fit.n - gerd.TOP_PRODUCERS
    largest = world.proxy.data.nlargest(gerd.TOP_PRODUCERS, "whole")
    rest = world.proxy.data.drop(largest.index)
    assert dropped["slope"] == pytest.approx(
        models.fit_line(rest["log10_gerd_usd"], rest["share"]).slope)
    exact = table.loc["Exact measure"]
    assert exact["n"] == world.exact.fit.n
    assert exact["slope"] == pytest.approx(world.exact.fit.slope)
    influential = world.proxy.influence["influential"].sum()
    assert table.loc["Without the influential economies", "n"] == world.proxy.fit.n - influential


def test_robustness_sentence_follows_the_table(world):
    sentence = world.numbers["gerd_sensitivity_sentence"]
    if models.robust(world.sensitivity):
        assert sentence.startswith("The conclusion survives:")
    else:
        assert "only in part" in sentence or "no clear slope" in sentence
    expected = "yes" if models.robust(world.sensitivity) else "no"
    assert world.numbers["gerd_sensitivity_robust"] == expected


def test_robustness_sentence_names_the_variant_that_breaks():
    import pandas as pd

    table = pd.DataFrame({"variant": ["base", "a", "b"], "n": [50, 40, 30],
                          "slope": [-5.0, -4.0, 1.0], "direction": ["negative", "negative",
                                                                    "no clear"]})
    sentence = gerd.robustness_sentence(table)
    assert "in 1 of the 2 variants" in sentence
    assert sentence.endswith("“b” (no clear relationship).")


def test_sensitivity_table_renders_every_variant_as_markdown(world):
    text = world.numbers["gerd_sensitivity_table"]
    lines = text.splitlines()
    assert len(lines) == len(world.sensitivity) + 2
    assert all(v in text for v in world.sensitivity["variant"])


def test_influence_figure_lists_the_most_influential_economies(world):
    _fig, spec, data = gerd.influence_figure(world.proxy, world.region)
    assert spec.id == "gerd-influence-proxy-world"
    assert list(data["iso3"]) == list(world.proxy.influence["label"].head(gerd.SHOWN_INFLUENCE))
    assert data["cooks_distance"].is_monotonic_decreasing
    assert world.numbers["gerd_influence"].split(", ") == list(data["iso3"].head(3))


def test_lowess_share_inside_band_is_a_percentage(world):
    assert 0 <= world.numbers["gerd_lowess_inside_pct"] <= 100
    spec = gerd.figure_spec(world.proxy, world.region)
    assert "LOWESS" in spec.caption


def test_gerd_ranges_are_the_spans_of_log_gerd(world):
    full = world.proxy.data["log10_gerd_usd"]
    assert world.numbers["gerd_proxy_range"] == pytest.approx(full.max() - full.min())
    assert world.numbers["gerd_exact_range"] < world.numbers["gerd_proxy_range"]
