"""The verdict rules: each one changes its verdict when its input changes the way it should."""

import numpy as np
import pandas as pd
import pytest

from scicollab import models, verdicts
from scicollab.chapters import gerd
from scicollab.verdicts import HOLDS, IN_PART, NOT_SUPPORTED, UNTESTABLE


def _line(slope: float, noise: float = 1.0, n: int = 60, seed: int = 0) -> models.LinearFit:
    rng = np.random.default_rng(seed)
    x = np.linspace(0, 10, n)
    return models.fit_line(x, 50 + slope * x + rng.normal(0, noise, n))


def test_figure2_rule_flips_when_the_relationship_is_reversed():
    assert verdicts.falls_with_investment(_line(-3), True, {}).verdict == HOLDS
    assert verdicts.falls_with_investment(_line(+3), True, {}).verdict == NOT_SUPPORTED
    assert verdicts.falls_with_investment(_line(0, noise=30), True, {}).verdict == NOT_SUPPORTED
    assert verdicts.falls_with_investment(None, True, {}).verdict == UNTESTABLE


def test_figure2_rule_holds_only_in_part_when_a_check_or_variant_fails():
    fit = _line(-3)
    failed = verdicts.falls_with_investment(fit, True, {"holding output size fixed": False})
    assert failed.verdict == IN_PART and "holding output size fixed" in failed.why
    assert verdicts.falls_with_investment(fit, False, {}).verdict == IN_PART
    unfitted = verdicts.falls_with_investment(fit, True, {"a check": None})
    assert unfitted.verdict == HOLDS, "a check that could not be fitted does not count against"


def test_gerd_chapter_verdict_changes_when_its_data_are_reversed():
    analysis = gerd.analyse("World")
    data = analysis.proxy.data
    flipped = data.assign(share=data["share"].max() + data["share"].min() - data["share"])
    fit = models.fit_line(flipped["log10_gerd_usd"], flipped["share"])
    assert analysis.verdict.verdict in (HOLDS, IN_PART)
    assert verdicts.falls_with_investment(fit, True, {}).verdict == NOT_SUPPORTED


def test_trust_rules_follow_sign_significance_and_variants():
    assert verdicts.rises_with_trust(_line(2), []).verdict == HOLDS
    assert verdicts.rises_with_trust(_line(2), ["a variant"]).verdict == IN_PART
    assert verdicts.rises_with_trust(_line(-2), []).verdict == NOT_SUPPORTED
    assert verdicts.no_relationship(_line(0, noise=30), _line(2)).verdict == IN_PART
    assert verdicts.no_relationship(_line(2), None).verdict == NOT_SUPPORTED
    assert verdicts.no_relationship(None, None).verdict == UNTESTABLE


def test_slope_difference_rule_needs_a_significant_positive_difference():
    rng = np.random.default_rng(1)
    x = np.tile(np.linspace(0, 10, 30), 2)
    group = np.repeat([True, False], 30)
    steep = 50 + np.where(group, 3, 0) * x + rng.normal(0, 1, 60)
    assert verdicts.slopes_differ(models.compare_slopes(x, steep, group)).verdict == HOLDS
    reverse = 50 + np.where(group, 0, 3) * x + rng.normal(0, 1, 60)
    assert verdicts.slopes_differ(models.compare_slopes(x, reverse, group)).verdict == \
        NOT_SUPPORTED
    assert verdicts.slopes_differ(None).verdict == UNTESTABLE


@pytest.mark.parametrize(("ratios", "over", "expected"), [
    ({"A": 1.05, "B": 0.95}, {}, HOLDS),
    ({"A": 1.05, "B": 3.0}, {}, IN_PART),
    ({"A": 3.3, "B": 3.7}, {"A": True, "B": True}, NOT_SUPPORTED),
    ({"A": 0.5}, {"A": True}, HOLDS),  # 'over N' with twice N computed: the bound holds
    ({"A": 0.5}, {}, NOT_SUPPORTED),
    ({}, {}, UNTESTABLE),
])
def test_quoted_counts_rule(ratios, over, expected):
    assert verdicts.quoted_counts_match(ratios, over).verdict == expected


def test_link_rule_needs_a_fall_faster_than_both_countries_and_a_complete_year():
    countries = {"USA": -0.04, "CHN": 0.11}
    assert verdicts.link_falls(-0.13, countries, -0.05).verdict == IN_PART
    assert verdicts.link_falls(-0.13, countries, 0.02).verdict == NOT_SUPPORTED
    assert verdicts.link_falls(-0.02, countries, -0.01).verdict == NOT_SUPPORTED
    assert verdicts.link_falls(0.0, countries, None).verdict == NOT_SUPPORTED


def test_gaps_rule_counts_overall_and_per_measure():
    assert verdicts.gaps_outnumber(100, 70, 4, 4).verdict == HOLDS
    assert verdicts.gaps_outnumber(100, 70, 3, 4).verdict == IN_PART
    assert verdicts.gaps_outnumber(100, 30, 1, 4).verdict == IN_PART
    assert verdicts.gaps_outnumber(100, 30, 0, 4).verdict == NOT_SUPPORTED
    assert verdicts.gaps_outnumber(0, 0, 0, 4).verdict == UNTESTABLE


def test_other_rules_flip_with_their_inputs():
    assert verdicts.disparities_narrow(8.8, 3.1).verdict == IN_PART
    assert verdicts.disparities_narrow(2.0, 3.1).verdict == NOT_SUPPORTED
    assert verdicts.still_rising(_line(1)).verdict == HOLDS
    assert verdicts.still_rising(_line(-1)).verdict == NOT_SUPPORTED
    assert verdicts.retrenchment(26, 100).verdict == IN_PART
    assert verdicts.retrenchment(0, 100).verdict == NOT_SUPPORTED
    assert verdicts.tracks_size(0.9, 0.001).verdict == HOLDS
    assert verdicts.tracks_size(0.1, 0.4).verdict == NOT_SUPPORTED
    assert verdicts.concentrated(0.8, 10).verdict == HOLDS
    assert verdicts.concentrated(0.3, 10).verdict == NOT_SUPPORTED


def test_a_verdict_is_one_of_four_words():
    with pytest.raises(ValueError):
        verdicts.Verdict("probably", "x")
    assert verdicts.Verdict(IN_PART, "why").sentence == "Holds in part: why"
    assert pd.Series(verdicts.VERDICTS).is_unique
