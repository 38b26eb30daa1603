"""The GERD analysis: its numbers follow from its data, and regions without data say so."""

import numpy as np
import pandas as pd
import pytest

from scicollab import datasets, models, paths, regions, report
from scicollab.chapters import gerd
from scicollab.measures.shares import MIN_ARTICLES, WINDOW, proxy_shares


@pytest.fixture(scope="module")
def world():
    return gerd.analyse("World")


def test_proxy_share_is_one_minus_fractional_over_whole():
    year, shares = proxy_shares()
    assert year == 2018
    from scicollab import datasets

    counts = datasets.load("publication_counts")
    row = counts[(counts["iso3"] == "KEN") & (counts["year"] == year)].iloc[0]
    ken = shares[shares["iso3"] == "KEN"]["share"].item()
    assert ken == pytest.approx(100 * (1 - row["fractional"] / row["whole"]))
    assert (shares["whole"] >= MIN_ARTICLES).all()


def test_numbers_follow_from_the_plotted_data(world):
    data = world.proxy.data
    assert world.numbers.n_proxy == len(data) == world.proxy.fit.n
    refit = models.fit_line(np.log10(data["gerd_usd"]), data["share"])
    assert world.numbers.proxy.slope == pytest.approx(refit.slope)
    assert (data["gerd_year"] <= world.proxy.year).all()
    assert (data["gerd_year"] >= world.proxy.year - WINDOW).all()


def test_claim_sentence_matches_the_sign_of_the_slope(world):
    direction = models.describe_slope(world.proxy.fit)
    expected = {"negative": "Yes", "positive": "No", "no clear": "Not clearly"}[direction]
    assert world.numbers.claim.startswith(expected)
    # The verdict names the sample, the year of the articles and what GERD measures.
    assert f"all {world.proxy.fit.n} economies (articles {world.proxy.year}" in \
        world.numbers.claim
    assert "not its share of GDP" in world.numbers.claim


def test_slope_is_worded_as_lower_or_higher_not_as_a_signed_difference(world):
    slope = world.proxy.fit.slope
    assert world.numbers.proxy_slope_abs == pytest.approx(abs(slope))
    assert world.numbers.proxy_slope_word == ("lower" if slope < 0 else "higher")


def _table(rows):
    import pandas as pd

    return pd.DataFrame(rows, columns=["variant", "n", "slope", "p_value", "direction",
                                       "sample"])


def _negative_fit(n=100):
    rng = np.random.default_rng(0)
    x = np.linspace(6, 11, n)
    return models.fit_line(x, 80 - 8 * x + rng.normal(0, 5, n))


def test_claim_says_yes_robustly_only_when_every_variant_agrees():
    proxy = gerd.Measure("proxy", "share", 2018, None, fit=_negative_fit())
    table = _table([["base", 100, -8.0, 1e-9, "negative", gerd.ALL],
                    ["drop", 90, -7.0, 1e-6, "negative", gerd.ALL],
                    ["large", 40, -5.0, 0.01, "negative", gerd.LARGE]])
    assert "every variant of the sensitivity check" in gerd.claim_sentence(proxy, table)


def test_claim_says_the_pattern_rests_on_small_against_large_when_only_large_variants_fail():
    proxy = gerd.Measure("proxy", "share", 2018, None, fit=_negative_fit())
    table = _table([["base", 100, -8.0, 1e-9, "negative", gerd.ALL],
                    ["drop", 90, -7.0, 1e-6, "negative", gerd.ALL],
                    ["large a", 44, -4.0, 0.112, "no clear", gerd.LARGE],
                    ["large b", 45, -6.0, 0.042, "negative", gerd.LARGE]])
    sentence = gerd.claim_sentence(proxy, table)
    assert sentence.startswith("Yes across all 100 economies (articles 2018")
    assert "negative at the 5% level in 1 of the 2 fits (p from 0.042 to 0.112)" in sentence
    assert "44 to 45 economies" in sentence
    assert "contrast between small and large R&D systems" in sentence
    assert "clearly" not in sentence and "every variant" not in sentence


def test_claim_names_a_full_sample_variant_that_breaks():
    proxy = gerd.Measure("proxy", "share", 2018, None, fit=_negative_fit())
    table = _table([["base", 100, -8.0, 1e-9, "negative", gerd.ALL],
                    ["Without the outliers", 95, -1.0, 0.4, "no clear", gerd.ALL],
                    ["large", 44, -4.0, 0.2, "no clear", gerd.LARGE]])
    sentence = gerd.claim_sentence(proxy, table)
    assert "not robustly" in sentence
    assert "“Without the outliers”" in sentence and "“large”" in sentence


def test_world_verdict_agrees_with_the_world_sensitivity_table(world):
    claim = world.numbers.claim
    if models.robust(world.sensitivity):
        assert "every variant" in claim
    else:
        assert "every variant" not in claim
        failing = world.sensitivity[world.sensitivity["direction"] != "negative"]
        assert ("rests on the contrast" in claim) == (failing["sample"] == gerd.LARGE).all()
    assert "clearly" not in claim


def test_calibration_is_strong_enough_to_justify_the_proxy(world):
    assert world.calibration_r > 0.9
    assert world.numbers.cal.n >= 40


def test_region_median_and_rank(world):
    africa = gerd.analyse("Sub-Saharan Africa")
    members = africa.proxy.data[africa.proxy.data["in_region"]]
    assert africa.numbers.region.n == len(members)
    assert africa.numbers.region.median == pytest.approx(members["share"].median())
    ranked = africa.region_medians
    position = ranked.index[ranked["region"] == "Sub-Saharan Africa"][0] + 1
    assert africa.numbers.region.rank.startswith(str(position))
    sentence = africa.numbers.region.sentence
    assert f"(n = {len(members)})" in sentence
    assert "mechanically" in sentence  # a low share is partly the size of the research system


def test_world_is_not_ranked_among_the_regions_or_compared_with_itself(world):
    assert "World" not in set(world.region_medians["region"])
    assert world.numbers.regions_ranked == len(regions.names()) - 1
    assert world.numbers.region.rank == "not ranked"
    sentence = world.numbers.region.sentence
    assert sentence.startswith(f"All {world.proxy.fit.n} economies with both measures")
    assert "economies in World" not in sentence and "ranks" not in sentence
    assert world.numbers.scope.startswith("The region editions")


def test_small_region_names_its_members_values_instead_of_leaning_on_a_median():
    usmca = gerd.analyse("USMCA")
    sentence = usmca.numbers.region.sentence
    members = usmca.proxy.data[usmca.proxy.data["in_region"]]
    assert len(members) < report.MIN_FOR_MEDIAN
    assert sentence.startswith(f"All {len(members)} economies in USMCA have both measures")
    for name, share in zip(members["name"], members["share"], strict=True):
        assert f"{name} {share:.1f}%" in sentence
    assert "says little about the region" in sentence
    assert "the same in every edition" in usmca.numbers.scope


def test_income_group_is_named_as_a_group_in_sentences():
    low = gerd.analyse("Low income")
    assert "economies in the Low income group have both measures" in \
        low.numbers.region.sentence
    assert "members of the Low income group" in low.numbers.scope
    spec = gerd.figure_spec(low.proxy, low.region)
    assert "Economies in the Low income group are outlined" in spec.caption


def test_region_without_data_gets_a_sentence_not_a_crash(region_without_data):
    analysis = gerd.analyse(region_without_data)
    assert analysis.numbers.region.n == 0
    assert analysis.numbers.region.rank == "not ranked"
    assert analysis.numbers.region.sentence == (
        "The only economy in No Data Land lacks a recent GERD figure or enough articles for "
        "the share, so the region cannot be placed on this chart.")
    fig, spec, data = gerd.figure(analysis.proxy, analysis.region)
    assert spec.id == f"gerd-proxy-{regions.slugify(region_without_data)}"
    assert not data["in_region"].any()
    _says_it_has_no_point(fig, spec, data, "No member of No Data Land is among them.")


def test_an_economy_without_a_point_is_said_to_have_none_and_the_largest_are_named():
    import matplotlib.pyplot as plt

    kenya = gerd.analyse("Kenya")
    assert "KEN" not in set(kenya.proxy.data["iso3"])  # no GERD figure for 2014-2018
    fig, spec, data = gerd.figure(kenya.proxy, kenya.region)
    _says_it_has_no_point(fig, spec, data, "Kenya is not among them.")
    fig, spec, data = gerd.influence_figure(kenya.proxy, kenya.region)
    plt.close(fig)
    assert not data["in_region"].any() and "Kenya is not among them." in spec.caption
    assert "drawn in blue" not in spec.caption


def _says_it_has_no_point(fig, spec, data, sentence: str) -> None:
    """A scatter of a region with no point says so in its caption and its legend, claims no
    outline, and names the largest economies as the world's scatter does."""
    import matplotlib.pyplot as plt

    assert sentence in spec.caption and "outlined" not in spec.caption
    assert "The largest producers" in spec.caption
    legend = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    assert any(text.endswith("no point\n(lacks GERD or the share)") for text in legend)
    assert "Other economies" not in legend  # coloured by income group, as for the world
    assert data["labelled"].sum() >= 6
    plt.close(fig)


def test_figure_spec_has_id_caption_source_and_years(world):
    spec = gerd.figure_spec(world.proxy, world.region)
    assert spec.id == "gerd-proxy-world"
    assert "NCSES" in spec.full_caption and "World Bank" in spec.full_caption
    assert "2018" in spec.full_caption


def test_sensitivity_baseline_matches_the_chapter_fit(world):
    table = world.sensitivity
    assert table.loc[0, "slope"] == pytest.approx(world.proxy.fit.slope)
    assert table.loc[0, "n"] == world.proxy.fit.n
    assert world.numbers.sensitivity.variants == len(table) - 1


def test_sensitivity_drops_the_largest_producers_and_switches_measure(world):
    table = world.sensitivity.set_index("variant")
    dropped = table.loc[f"Without the {gerd.TOP_PRODUCERS} largest producers"]
    assert dropped["n"] == world.proxy.fit.n - gerd.TOP_PRODUCERS
    largest = world.proxy.data.nlargest(gerd.TOP_PRODUCERS, "whole")
    rest = world.proxy.data.drop(largest.index)
    assert dropped["slope"] == pytest.approx(
        models.fit_line(rest["log10_gerd_usd"], rest["share"]).slope)
    exact = table.loc[f"Exact measure, latest year ({world.exact.year})"]
    assert exact["n"] == world.exact.fit.n
    assert exact["slope"] == pytest.approx(world.exact.fit.slope)
    influential = world.proxy.influence["influential"].sum()
    assert table.loc["Without the influential economies", "n"] == world.proxy.fit.n - influential


def test_measure_and_sample_are_separated_on_the_same_economies_in_the_same_year(world):
    year = world.proxy.year
    table = world.sensitivity.set_index("variant")
    broad = table.loc[f"Broad measure, only the economies with the exact share ({year})"]
    exact = table.loc[f"Exact measure, same economies and year ({year})"]
    assert world.exact_same_year.year == year
    common = set(world.exact_same_year.data["iso3"]) & set(world.proxy.data["iso3"])
    assert broad["n"] == exact["n"] == len(common)
    same = world.exact_same_year.data[world.exact_same_year.data["iso3"].isin(common)]
    assert exact["slope"] == pytest.approx(
        models.fit_line(same["log10_gerd_usd"], same["share"]).slope)
    assert set(world.sensitivity.loc[world.sensitivity["sample"] == gerd.LARGE, "variant"]) == \
        {v for v in world.sensitivity["variant"] if "xact" in v}


def test_robustness_sentence_follows_the_table(world):
    sentence = world.numbers.sensitivity.sentence
    if models.robust(world.sensitivity):
        assert sentence.startswith("The conclusion survives:")
    else:
        assert "only in part" in sentence or "no clear slope" in sentence
    expected = "yes" if models.robust(world.sensitivity) else "no"
    assert world.numbers.sensitivity.robust == expected
    assert "clearly" not in sentence


def test_robustness_sentence_names_the_variant_that_breaks_with_its_p_value():
    import pandas as pd

    table = pd.DataFrame({"variant": ["base", "a", "b"], "n": [50, 40, 30],
                          "slope": [-5.0, -4.0, 1.0], "p_value": [1e-5, 0.04, 0.3],
                          "direction": ["negative", "negative", "no clear"]})
    sentence = gerd.robustness_sentence(table)
    assert "stays negative at the 5% level in 1 of the 2 variants" in sentence
    assert sentence.endswith("“b” (no clear relationship, p = 0.300).")


def test_sensitivity_table_renders_every_variant_as_markdown(world):
    text = world.numbers.sensitivity.table
    lines = text.splitlines()
    assert len(lines) == len(world.sensitivity) + 2
    assert all(v in text for v in world.sensitivity["variant"])


def test_influence_figure_lists_the_most_influential_economies(world):
    _fig, spec, data = gerd.influence_figure(world.proxy, world.region)
    assert spec.id == "gerd-influence-proxy-world"
    assert list(data["iso3"]) == list(world.proxy.influence["label"].head(gerd.SHOWN_INFLUENCE))
    assert data["cooks_distance"].is_monotonic_decreasing
    assert world.numbers.influence == report.name_list(map(regions.the_country,
                                                           data["name"].head(3)))
    influential = world.proxy.influence.loc[world.proxy.influence["influential"], "label"]
    assert world.numbers.influential.list == report.name_list(
        gerd.economy_names(world.proxy, influential))


def test_lowess_share_inside_band_is_a_percentage(world):
    assert 0 <= world.numbers.lowess.inside_pct <= 100
    spec = gerd.figure_spec(world.proxy, world.region)
    assert "LOWESS" in spec.caption


def test_shape_sentence_follows_the_smooth_and_the_squared_term(world):
    inside = world.numbers.lowess.inside_pct
    sentence = world.numbers.shape
    if inside < gerd.LOWESS_GOOD_FIT:
        assert f"leaves the straight line's 95% confidence band at {100 - inside:.0f}%" in sentence
        assert "simplification" in sentence
    else:
        assert "describes the shape well" in sentence
    significant = world.proxy.quadratic.curvature_p < models.ALPHA
    assert ("not significant" in sentence) == (not significant)


def test_gerd_ranges_are_the_spans_of_log_gerd(world):
    full = world.proxy.data["log10_gerd_usd"]
    assert world.numbers.proxy_range == pytest.approx(full.max() - full.min())
    assert world.numbers.exact_range < world.numbers.proxy_range


def test_intensity_and_output_size_models_match_a_direct_fit():
    import statsmodels.api as sm

    a = gerd.analyse("World")
    data = a.proxy.data
    rd = datasets.load("rd_expenditure").set_index(["iso3", "year"])["gerd_pct_gdp"]
    row = data.iloc[0]
    assert row["gerd_pct_gdp"] == pytest.approx(rd[(row["iso3"], row["gerd_year"])])
    direct = sm.OLS(data["share"], sm.add_constant(np.log10(data["gerd_pct_gdp"]))).fit(
        cov_type="HC3")
    assert a.intensity.slope == pytest.approx(direct.params.iloc[1])
    design = sm.add_constant(np.column_stack([data["log10_gerd_usd"], np.log10(data["whole"])]))
    both = sm.OLS(data["share"].to_numpy(), design).fit(cov_type="HC3")
    size = a.size_control.term("log10_gerd_usd")
    assert size["estimate"] == pytest.approx(both.params[1])
    assert size["p_value"] == pytest.approx(both.pvalues[1])


def test_the_verdict_says_whether_the_fall_survives_intensity_and_output_size():
    a = gerd.analyse("World")
    checks = gerd.survives(a)
    size = a.size_control.term("log10_gerd_usd")
    assert checks["holding output size fixed"] == (size["estimate"] < 0
                                                   and size["p_value"] < models.ALPHA)
    assert checks["measuring R&D as a share of GDP"] == (a.intensity.slope < 0
                                                         and a.intensity.p_value < models.ALPHA)
    n = a.numbers
    assert n.verdict == a.verdict.verdict
    assert n.verdict_plain.startswith(f"**The report's reading {a.verdict.verdict}.**")
    moved = "rises" if size["estimate"] > 0 and size["p_value"] < models.ALPHA else None
    if moved:
        assert "Holding output size fixed" in n.verdict_plain
        assert "the share rises with R&D spending" in n.verdict_plain
    rows = n.size_table.splitlines()[2:]
    assert len(rows) == 2 + len(a.size_control.terms) + len(a.intensity_size.terms)


def test_the_chapter_opens_with_the_verdict_before_any_methods_vocabulary():
    text = (paths.notebooks_dir() / "gerd.md").read_text()
    answer = text.index("{glue:md}`gerd_verdict_plain`")
    for word in ("gerd_shape", "Cook", "heteroskedasticity", "confidence interval"):
        assert text.index(word) > answer, word
    plain = gerd.analyse("World").numbers.verdict_plain
    for word in ("LOWESS", "Cook", "heteroskedasticity", "HC3"):
        assert word not in plain


def test_economies_outside_the_calibration_range_are_flagged_and_listed():
    a = gerd.analyse("World")
    data = a.proxy.data
    low, high = a.calibration_data["proxy"].min(), a.calibration_data["proxy"].max()
    assert a.calibration_range == (pytest.approx(low), pytest.approx(high))
    outside = data[(data["share"] < low) | (data["share"] > high)]
    assert set(outside["iso3"]) == set(data.loc[~data["calibrated"], "iso3"])
    assert a.numbers.outside.n == len(outside)
    rows = a.numbers.outside.table.splitlines()[2:]
    assert len(rows) == len(outside)
    estimate = a.calibration.intercept + a.calibration.slope * data["share"]
    assert np.allclose(data["exact_estimate"], estimate)
    _fig, _spec, figure_data = gerd.figure(a.proxy, a.region)
    import matplotlib.pyplot as plt

    plt.close("all")
    assert len(figure_data) == len(data)


@pytest.mark.parametrize("economy", ["Mauritania", "Japan", "Switzerland", "Kenya"])
def test_an_economy_off_the_line_is_called_so_only_beyond_the_usual_scatter(economy):
    region = regions.resolve(economy)
    analysis = gerd.analyse(region)
    data = analysis.proxy.data.set_index("iso3")
    iso3 = region.members[0]
    text = gerd.economy_text(analysis)
    if iso3 not in data.index:
        assert "cannot be placed on this chart" in text and "scatter" not in text
        return
    fit = analysis.proxy.fit
    gap = data.loc[iso3, "share"] - (fit.intercept + fit.slope * data.loc[iso3,
                                                                           "log10_gerd_usd"])
    within = abs(gap) < fit.residual_sd
    assert ("within the usual scatter" in text) == within
    assert ("beyond the usual scatter" in text) == (not within)
    assert f"{abs(gap):z.1f} points {'above' if gap > 0 else 'below'}" in text


def test_the_sensitivity_table_gives_each_direction_a_word_of_its_own():
    # its Direction column read "no clear", the start of "no clear relationship"
    from scicollab.measures.sensitivity import sensitivity_markdown

    table = pd.DataFrame({
        "variant": ["a", "b", "c"], "n": [40, 40, 2], "slope": [-8.4, -0.04, float("nan")],
        "slope_low": [-10.0, -0.3, float("nan")], "slope_high": [-6.7, 0.2, float("nan")],
        "p_value": [0.0001, 0.7, float("nan")], "r_squared": [0.45, 0.001, float("nan")],
        "direction": ["negative", "no clear", "too few data"]})
    rows = sensitivity_markdown(table).splitlines()[2:]
    assert [row.split("|")[-2].strip() for row in rows] == ["negative", "unclear",
                                                             "too few data"]
    assert "| -0.0 |" not in rows[1] and "| 0.0 |" in rows[1]


def test_a_region_with_no_economy_outside_the_calibration_range_says_none_is():
    # it read "Of them, no economies are in USMCA."
    sentence = gerd.analyse("USMCA").numbers.outside.sentence
    assert sentence.endswith(" None of them is in USMCA.") and "no economies" not in sentence
    africa = gerd.analyse("Sub-Saharan Africa").numbers.outside
    assert africa.region_n > 0 and africa.sentence.endswith("listed below.")


def test_economies_listed_in_a_sentence_carry_their_article():
    # "The economies that move the straight line most are Syrian Arab Republic, United Kingdom
    # and Switzerland"
    a = gerd.analyse("World")
    names = gerd.economy_names(a.proxy, a.proxy.influence["label"].head(3))
    assert "the United Kingdom" in names and "the Syrian Arab Republic" in names
    assert a.numbers.influence == report.name_list(names)
    from scicollab.chapters import challenges

    assert challenges.analyse("World").numbers.top2_names == "the United States and China"

