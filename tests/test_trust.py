"""Trust: WVS respondent files, the measure's direction, group fits, verdicts, no-data regions."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scicollab import datasets, models, paths, pipeline, regions
from scicollab.chapters import trust
from scicollab.errors import DataFileError
from scicollab.measures.trust import ITEM, latest_trust
from scicollab.sources import wvs
from scicollab.sources.common import sha256_file


@pytest.fixture(scope="module")
def world():
    return trust.analyse("World")


def test_latest_wave_per_country_and_trust_is_complement_of_distrust():
    latest = latest_trust()
    assert latest["iso3"].is_unique
    raw = datasets.load("trust")
    raw = raw[raw["item"] == ITEM]
    assert (latest.set_index("iso3")["wave"] == raw.groupby("iso3")["wave"].max()).all()
    assert np.allclose(latest["trust_pct"] + latest["distrust_pct"], 100)


def test_groups_are_high_income_and_low_and_middle_income(world):
    high = world.groups["High income"].data
    lmic = world.groups["Low & middle income"].data
    # The World Bank's FY2024 classification read straight from the processed countries table.
    countries = pd.read_csv(paths.data_dir() / "countries.csv", keep_default_na=False)
    income = countries.set_index("iso3")["income_group"]
    low_and_middle = {"Low income", "Lower middle income", "Upper middle income"}
    assert set(income[high["iso3"]]) == {"High income"}
    assert set(income[lmic["iso3"]]) <= low_and_middle
    assert set(lmic["income_group"]) <= low_and_middle  # no "Not classified" economies
    # Every plotted economy with one of the four income groups is in exactly one of the two.
    classified = world.data[world.data["iso3"].map(income).isin(low_and_middle | {"High income"})]
    assert not set(high["iso3"]) & set(lmic["iso3"])
    assert set(high["iso3"]) | set(lmic["iso3"]) == set(classified["iso3"])


def test_group_slopes_are_refits_of_the_plotted_data(world):
    high = world.groups["High income"].data
    refit = models.fit_line(high["trust_pct"], high["share"])
    assert world.numbers.high.slope == pytest.approx(refit.slope)
    assert world.numbers.high.n == refit.n


def test_verdicts_follow_sign_and_significance(world):
    high, lmic = world.groups["High income"], world.groups["Low & middle income"]
    v_high, v_lmic, v_diff = trust.claim_verdicts(world)
    assert world.numbers.claim_high == (
        f"**Verdict: {v_high.verdict}.** " + trust.verdict_rises(high.fit, high.sensitivity))
    assert world.numbers.claim_lmic == (
        f"**Verdict: {v_lmic.verdict}.** " + trust.verdict_none(lmic.fit, high.fit,
                                                                 lmic.sensitivity))
    assert world.numbers.difference.startswith(f"**Verdict: {v_diff.verdict}.**")
    rng = np.random.default_rng(0)
    x = np.linspace(0, 100, 40)
    rising = models.fit_line(x, x + rng.normal(0, 5, 40))
    flat = models.fit_line(x, rng.normal(0, 5, 40))
    assert trust.verdict_rises(rising).startswith("The data support the claim:")
    assert trust.verdict_rises(flat).startswith("The claim is not supported")
    assert trust.verdict_none(flat).startswith("Consistent with the claim, but not a confirmation")
    assert trust.verdict_none(rising).startswith("The claim fails")
    assert trust.verdict_none(None).startswith("Cannot be tested")


def test_a_flat_slope_is_not_read_as_proof_of_no_relationship():
    rng = np.random.default_rng(1)
    x = np.linspace(0, 100, 40)
    steep = models.fit_line(x, 0.2 * x + rng.normal(0, 2, 40))
    noisy_flat = models.fit_line(x, rng.normal(0, 40, 40))  # wide interval, covers 0.2
    assert noisy_flat.slope_low < steep.slope < noisy_flat.slope_high
    assert "too wide to rule out a relationship as strong" in trust.verdict_none(noisy_flat, steep)
    tight_flat = models.fit_line(x, rng.normal(0, 0.5, 40))  # narrow interval, excludes 0.2
    assert not tight_flat.slope_low < steep.slope < tight_flat.slope_high
    assert "rules out a slope as large" in trust.verdict_none(tight_flat, steep)


def test_verdicts_agree_with_the_sensitivity_variants():
    import pandas as pd

    rng = np.random.default_rng(0)
    x = np.linspace(0, 100, 40)
    rising = models.fit_line(x, x + rng.normal(0, 5, 40))
    flat = models.fit_line(x, rng.normal(0, 5, 40))
    table = pd.DataFrame({"variant": ["base", "Exact share", "Without the largest"],
                          "direction": ["positive", "positive", "no clear"]})
    partial = trust.verdict_rises(rising, table)
    assert partial.startswith("The data support the claim only in part")
    assert "“Without the largest”" in partial
    every = trust.verdict_rises(rising, table.assign(direction="positive"))
    assert "in every variant of the check below" in every
    breaks = trust.verdict_none(flat, None, table.assign(direction=["no clear", "negative",
                                                                     "no clear"]))
    assert "In “Exact share”, however, the slope differs from zero" in breaks


def test_world_verdicts_agree_with_the_world_sensitivity_tables(world):
    high = world.groups["High income"].sensitivity
    lmic = world.groups["Low & middle income"].sensitivity
    if (high["direction"] == "positive").all():
        assert "every variant" in world.numbers.claim_high
    if (lmic["direction"] == "no clear").all():
        assert "also find no slope" in world.numbers.claim_lmic
    assert "The claim holds" not in world.numbers.claim_lmic


def test_difference_of_slopes_is_one_interaction_fit_of_the_two_groups(world):
    both = world.data[world.data["group"] != ""]
    diff = world.difference
    assert diff.n == len(both) == world.numbers.high.n + world.numbers.lmic.n
    high, lmic = world.groups["High income"].fit, world.groups["Low & middle income"].fit
    assert diff.difference == pytest.approx(high.slope - lmic.slope)
    assert world.numbers.diff_p == pytest.approx(diff.p_value)
    sentence = world.numbers.difference
    if diff.p_value >= models.ALPHA:
        assert "cannot tell the two slopes apart" in sentence
    else:
        assert "the two slopes differ" in sentence


def test_unclassified_countries_are_named_so_the_counts_add_up(world):
    n = world.numbers
    assert n.n == n.high.n + n.lmic.n + n.unclassified.n
    unclassified = world.data.loc[world.data["group"] == "", "name"]
    for name in unclassified:
        assert name in n.unclassified.sentence


def test_survey_years_span_the_waves_and_the_latest_surveys(world):
    raw = datasets.load("trust")
    raw = raw[(raw["item"] == ITEM) & raw["wave"].between(5, 7)]
    assert world.numbers.waves_year_first == raw["year"].min()
    assert world.numbers.waves_year_last == raw["year"].max()
    assert world.numbers.year_first == world.data["year"].min()
    late = world.data[world.data["year"] > trust.IVS_TITLE_YEARS[1]]
    for name in late["name"]:
        assert name in world.numbers.title_sentence


def test_sensitivity_table_has_baseline_and_variants(world):
    table = world.groups["High income"].sensitivity
    assert table["variant"].iloc[0].startswith("Broad share")
    assert len(table) == 3


def test_region_without_survey_data_gets_a_sentence(region_without_data):
    analysis = trust.analyse(region_without_data)
    assert analysis.numbers.region.surveyed == 0
    assert analysis.numbers.region.sentence == (
        "The only economy in No Data Land was not surveyed on this question in waves 5 to 7, "
        "so the region cannot be placed on this chart.")
    _fig, spec, data = trust.figure(analysis)
    assert spec.id == f"trust-{regions.slugify(region_without_data)}"
    assert not data["in_region"].any()


def test_figure_caption_names_sources_and_years(world):
    spec = trust.figure_spec(world)
    assert "EVS/WVS" in spec.full_caption and "NCSES" in spec.full_caption
    assert str(world.share_year) in spec.data_years
    fig, _spec, _data = trust.figure(world)
    assert fig.axes[0].get_xlabel().startswith("Trusting people of another nationality")


# --- user-supplied WVS respondent files -------------------------------------------------------

WVS = Path(__file__).parent / "fixtures" / "wvs"
COUNTRIES = {"DEU", "NGA", "JPN", "USA"}


def _by_country_wave(frame):
    return frame.set_index(["iso3", "wave"])


def test_wave7_file_gives_weighted_distrust_and_skips_missing_codes():
    got = _by_country_wave(wvs.read_microdata(WVS / "wave7.csv", COUNTRIES))
    assert list(got.index) == [("DEU", 7), ("NGA", 7)]
    assert got.loc[("DEU", 7), "distrust_pct"] == pytest.approx(37.5)
    assert got.loc[("DEU", 7), "trust_pct"] == pytest.approx(62.5)
    assert got.loc[("DEU", 7), "n"] == 4
    assert got.loc[("DEU", 7), "year"] == 2018
    assert got.loc[("NGA", 7), "distrust_pct"] == pytest.approx(25.0)
    assert got.loc[("NGA", 7), "n"] == 2
    assert set(got["item"]) == {"G007_36_B"}


def test_time_series_file_gives_one_row_per_country_wave_with_modal_year():
    got = _by_country_wave(wvs.read_microdata(WVS / "timeseries.csv", COUNTRIES))
    assert got.loc[("DEU", 6), "distrust_pct"] == pytest.approx(75.0)
    assert got.loc[("DEU", 7), "distrust_pct"] == pytest.approx(50.0)
    assert got.loc[("JPN", 7), "distrust_pct"] == pytest.approx(40.0)
    assert got.loc[("JPN", 7), "trust_pct"] == pytest.approx(60.0)
    assert got.loc[("JPN", 7), "year"] == 2019


def test_microdata_has_the_schema_of_the_trust_table():
    got = wvs.read_microdata(WVS / "wave7.csv", COUNTRIES)
    assert list(got.columns) == list(datasets.load("trust").columns)


def test_stata_file_gives_the_same_shares_as_csv(tmp_path):
    frame = pd.read_csv(WVS / "wave7.csv").drop(columns="Q1")
    frame.to_stata(tmp_path / "wave7.dta", write_index=False)
    from_stata = wvs.read_microdata(tmp_path / "wave7.dta", COUNTRIES)
    pd.testing.assert_frame_equal(from_stata, wvs.read_microdata(WVS / "wave7.csv", COUNTRIES))


def test_spss_without_pyreadstat_says_what_to_install(tmp_path, monkeypatch):
    import importlib.util

    (tmp_path / "wave7.sav").write_bytes(b"$FL2")
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "pyreadstat" else real(name, *a))
    with pytest.raises(DataFileError, match="pyreadstat"):
        wvs.read_microdata(tmp_path / "wave7.sav", COUNTRIES)


def test_missing_column_names_file_and_column():
    with pytest.raises(DataFileError) as err:
        wvs.read_microdata(WVS / "missing_weight_column.csv", COUNTRIES)
    assert err.value.column == "W_WEIGHT"
    assert "missing_weight_column.csv" in str(err.value)


def test_text_in_answer_cell_names_row_and_column():
    with pytest.raises(DataFileError) as err:
        wvs.read_microdata(WVS / "text_in_answer.csv", COUNTRIES)
    assert (err.value.row, err.value.column) == (3, "Q63")
    assert "text_in_answer.csv" in str(err.value)


@pytest.mark.parametrize(("line", "column", "message"), [
    ("DEU,2018,7,1.0", "Q63", "outside the scale"),
    ("DEU,2018,2,", "W_WEIGHT", "weight missing"),
    ("DEU,2018,2,heavy", "W_WEIGHT", "expected a number"),
    ("XXX,2018,2,1.0", "B_COUNTRY_ALPHA", "unknown ISO3"),
])
def test_bad_cells_stop_with_row_and_column(tmp_path, line, column, message):
    path = tmp_path / "bad.csv"
    path.write_text(f"B_COUNTRY_ALPHA,A_YEAR,Q63,W_WEIGHT\nDEU,2018,1,1.0\n{line}\n")
    with pytest.raises(DataFileError, match=message) as err:
        wvs.read_microdata(path, COUNTRIES)
    assert (err.value.row, err.value.column) == (3, column)


def test_user_file_replaces_only_the_country_waves_it_covers():
    aggregates = datasets.load("trust")
    micro = wvs.read_microdata(WVS / "timeseries.csv", set(aggregates["iso3"]))
    merged = wvs.replace_covered(aggregates, micro)
    assert len(merged) == len(aggregates)  # DEU 6, DEU 7 and JPN 7 all exist in the aggregates
    row = merged.set_index(["iso3", "wave", "item"]).loc[("DEU", 7, "G007_36_B")]
    assert row["distrust_pct"] == pytest.approx(50.0) and row["studies"] == wvs.STUDIES
    untouched = merged[~merged["studies"].eq(wvs.STUDIES)]
    key = ["iso3", "wave", "item"]
    pd.testing.assert_frame_equal(
        untouched.sort_values(key).reset_index(drop=True),
        aggregates.merge(micro[key], on=key, how="left", indicator=True)
        .query("_merge == 'left_only'").drop(columns="_merge")
        .sort_values(key).reset_index(drop=True))


def test_data_build_with_user_file_records_its_checksum(raw_dir, tmp_path):
    committed = sha256_file(paths.data_dir() / "trust.csv")
    out = tmp_path / "data"
    manifest = pipeline.build(raw_dir, out, only=["trust"], wvs_file=WVS / "wave7.csv")
    trust_table = pd.read_csv(out / "trust.csv", keep_default_na=False)
    nga = trust_table[(trust_table["iso3"] == "NGA") & (trust_table["wave"] == 7)
                      & (trust_table["item"] == "G007_36_B")]
    assert nga["trust_pct"].tolist() == [75.0]
    files = [f for s in manifest["tables"]["trust"]["sources"] for f in s["raw_files"]]
    user = [f for f in files if f["path"].endswith("wave7.csv")]
    assert user and user[0]["sha256"] == sha256_file(WVS / "wave7.csv")
    assert user[0]["path"] == "wave7.csv"  # not where the file lay on this machine
    assert sha256_file(paths.data_dir() / "trust.csv") == committed


def test_trust_is_the_complement_of_the_sources_distrust_share():
    latest = latest_trust().set_index("iso3")
    nordic = latest.loc[["DNK", "FIN", "NOR", "SWE"], "trust_pct"]
    # Nordic publics are among the most trusting in every wave of the surveys: if pct (distrust)
    # were read as trust they would sit at the bottom instead.
    assert (nordic > latest["trust_pct"].quantile(0.75)).all()


def test_chapter_says_when_trust_comes_from_a_user_file():
    data = pd.DataFrame({"studies": [wvs.STUDIES, "WVS", "EVS+WVS"]})
    numbers = trust._user_file_numbers(data)
    assert numbers.n == 1
    assert "respondent file" in numbers.sentence
    assert trust._user_file_numbers(data.iloc[1:]).n == 0


def test_region_members_are_placed_above_or_below_their_group_line():
    analysis = trust.analyse("USMCA")
    numbers = analysis.numbers
    assert numbers.region.above + numbers.region.below == \
        numbers.region.in_figure
    sentence = numbers.region.sentence
    assert "line fitted to their income group" in sentence
    # Three members: their values are named, and the position is not read as openness alone.
    assert "(n = " not in sentence
    for row in analysis.data[analysis.data["in_region"]].itertuples():
        assert f"{row.name} {row.trust_pct:.1f}%" in sentence
    assert "mechanically" in sentence
    assert "0 sit" not in sentence


def test_sides_of_the_line_are_worded_for_zero_one_and_two():
    assert trust._sides(0, 1) == "it sits below"
    assert trust._sides(0, 2) == "both sit below"
    assert trust._sides(3, 0) == "all 3 sit above"
    assert trust._sides(4, 1) == "4 sit above and 1 below"


def test_region_sentence_names_income_groups_and_gives_n_for_a_median():
    low = trust.analyse("Low income").numbers
    sentence = low.region.sentence
    assert "economies in the Low income group were surveyed" in sentence
    assert f"(n = {low.region.surveyed})" in sentence
    world = trust.analyse("World").numbers
    assert world.region.sentence.startswith("Across all ")
    assert "members of the Low income group" in low.scope


def test_the_reports_explanations_are_tested_where_the_data_allow():
    world = trust.analyse("World")
    table = trust.explanations(world)
    assert set(table["group"]) == {"High income", "Low & middle income"}
    untested = table[~table["tested"]]
    assert list(untested["explanation"]) == ["Strong trade and diplomatic relationships"]
    assert untested["fits"].isna().all()
    data = trust.with_explanations(world.data)
    high = data[data["group"] == "High income"]
    fit = models.fit_multiple(high, "share", ["trust_pct", "log10_gerd_pct_gdp"])
    row = table[table["explanation"].str.contains("intensity") & (table["group"] ==
                                                                   "High income")].iloc[0]
    stays = fit.term("trust_pct")["p_value"] < models.ALPHA
    assert row["fits"] == (not stays)
    assert f"{fit.term('trust_pct')['estimate']:.2f}" in row["result"]
    sentence = world.numbers.explanations_sentence
    assert f"{int(table['tested'].sum())} can be tested" in sentence
    assert "Not testable with these data: “strong trade and diplomatic relationships”" in sentence
    # the slope and its interval carry one sign ("falls ... by 19.9 (95% CI -28.1 to -11.8)"
    # read as two different numbers)
    lmic = table[table["explanation"].str.startswith("More modest")].iloc[0]["result"]
    slope, low, high = (float(x) for x in re.search(
        r": ([+-][\d.]+) points per tenfold intensity \(95% CI ([+-][\d.]+) to ([+-][\d.]+)",
        lmic).groups())
    assert low <= slope <= high and ("falls" in lmic) == (slope < 0)



@pytest.mark.parametrize("economy", ["Japan", "Sweden", "Nigeria", "Kenya"])
def test_an_economy_off_its_groups_line_is_called_so_only_beyond_the_usual_scatter(economy):
    a = trust.analyse(economy)
    point = a.data[a.data["iso3"] == regions.resolve(economy).members[0]].iloc[0]
    fit = a.groups[point["group"]].fit
    gap = point["share"] - (fit.intercept + fit.slope * point["trust_pct"])
    text = str(a.numbers)
    within = abs(gap) < fit.residual_sd
    assert ("within the usual scatter" in text) == within
    assert ("beyond the usual scatter" in text) == (not within)
    assert f"{abs(gap):z.1f} points {'above' if gap > 0 else 'below'} the line fitted" in text


def test_the_fits_are_made_once_and_each_region_marks_its_own_members(monkeypatch):
    """The GERD and trust fits are over every economy whatever the region: a second region's
    analysis reuses them, and marks its own members in its own copy of the data."""
    from scicollab.chapters import gerd

    kenya_gerd, kenya_trust = gerd.analyse("Kenya"), trust.analyse("Kenya")
    monkeypatch.setattr(gerd, "sensitivity", lambda *a: pytest.fail("GERD fits made again"))
    monkeypatch.setattr(trust, "assemble", lambda *a: pytest.fail("trust fits made again"))
    chile_gerd, chile_trust = gerd.analyse("Chile"), trust.analyse("Chile")
    for kenya, chile in ((kenya_gerd.proxy.data, chile_gerd.proxy.data),
                         (kenya_trust.data, chile_trust.data)):
        marked = chile.set_index("iso3")["in_region"]
        assert marked["CHL"] and not marked.drop("CHL").any()
        assert not kenya.set_index("iso3")["in_region"].get("CHL", False)
    high = chile_trust.groups["High income"].data.set_index("iso3")["in_region"]
    assert high["CHL"] and high.sum() == 1
    assert chile_gerd.proxy.fit == kenya_gerd.proxy.fit
    assert chile_gerd.numbers.scope != kenya_gerd.numbers.scope
