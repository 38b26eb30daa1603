"""The models module on synthetic inputs with known answers."""

import numpy as np
import pandas as pd
import pytest

from scicollab import models


def test_exact_line_is_recovered():
    x = np.arange(10, dtype=float)
    fit = models.fit_line(x, 2 + 3 * x)
    assert fit.slope == pytest.approx(3)
    assert fit.intercept == pytest.approx(2)
    assert fit.r_squared == pytest.approx(1)
    assert fit.n == 10


def test_robust_interval_covers_true_slope_about_95_percent_of_the_time():
    rng = np.random.default_rng(42)
    covered = 0
    for _ in range(300):
        x = rng.uniform(0, 10, 100)
        y = 1.0 - 0.5 * x + rng.normal(0, 0.2 + 0.3 * x)  # heteroskedastic noise
        fit = models.fit_line(x, y)
        covered += fit.slope_low < -0.5 < fit.slope_high
    assert 0.91 <= covered / 300 <= 0.99
    assert models.describe_slope(fit) == "negative"


def test_band_brackets_the_fitted_line():
    rng = np.random.default_rng(1)
    x = np.linspace(0, 1, 50)
    fit = models.fit_line(x, x + rng.normal(0, 0.1, 50))
    band = fit.band(np.array([0.0, 0.5, 1.0]))
    assert (band["lower"] < band["fit"]).all() and (band["fit"] < band["upper"]).all()


def test_no_relationship_is_described_as_such():
    rng = np.random.default_rng(7)
    fit = models.fit_line(rng.normal(size=60), rng.normal(size=60))
    assert models.describe_slope(fit) == "no clear"


def test_too_few_points_raise_insufficient_data():
    with pytest.raises(models.InsufficientData, match="3 observations"):
        models.fit_line([1, 2, 3], [1, 2, 3])
    with pytest.raises(models.InsufficientData):
        models.fit_line([1.0] * 10, range(10))


def test_missing_values_are_dropped_before_fitting():
    x = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, np.nan])
    fit = models.fit_line(x, 2 * np.nan_to_num(x))
    assert fit.n == 9 and fit.slope == pytest.approx(2)


def test_quadratic_detects_curvature_and_not_in_a_line():
    x = np.linspace(-3, 3, 40)
    curved = models.fit_quadratic(x, 1 - x**2)
    assert curved.curvature == pytest.approx(-1)
    rng = np.random.default_rng(3)
    straight = models.fit_quadratic(x, 2 * x + rng.normal(0, 0.5, 40))
    assert straight.curvature_p > 0.05


def test_influence_finds_the_outlier():
    x = np.arange(20, dtype=float)
    y = x.copy()
    y[19] = -40
    top = models.influence(x, y, [f"c{i}" for i in range(20)], top=3)
    assert top.loc[0, "label"] == "c19" and bool(top.loc[0, "influential"])


def test_lowess_returns_sorted_smooth():
    x = np.array([3.0, 1.0, 2.0, 5.0, 4.0, 6.0, 7.0, 8.0])
    smooth = models.lowess(x, x * 2)
    assert list(smooth["x"]) == sorted(x)
    assert smooth["fit"].to_numpy() == pytest.approx(2 * smooth["x"].to_numpy(), abs=1e-6)


def test_correlation_of_perfect_negative_relationship():
    r, n = models.correlation([1, 2, 3, 4], [8, 6, 4, 2])
    assert r == pytest.approx(-1) and n == 4


def _frame(n=40, slope=-2.0, seed=0):
    import pandas as pd

    rng = np.random.default_rng(seed)
    x = np.linspace(0, 10, n)
    return pd.DataFrame({"label": [f"c{i}" for i in range(n)], "size": np.arange(n),
                         "x": x, "y": 5 + slope * x + rng.normal(0, 0.5, n)})


def test_sensitivity_returns_one_tidy_row_per_variant_with_the_baseline_first():
    data = _frame()
    table = models.sensitivity(data, "x", "y", {
        "drop largest": models.drop_largest("size", 5),
        "other measure": data.assign(y=3 - data["x"]),
    })
    assert list(table.columns) == models.SENSITIVITY_COLUMNS
    assert list(table["variant"]) == [models.BASELINE, "drop largest", "other measure"]
    assert list(table["n"]) == [40, 35, 40]
    assert table.loc[0, "slope"] == pytest.approx(models.fit_line(data["x"], data["y"]).slope)
    assert table.loc[2, "slope"] == pytest.approx(-1)
    assert (table["slope_low"] < table["slope"]).all()
    assert (table["slope"] < table["slope_high"]).all()


def test_drop_largest_removes_exactly_the_k_largest_rows():
    data = _frame()
    kept = models.drop_largest("size", 3)(data)
    assert len(kept) == 37 and kept["size"].max() == 36


def test_drop_values_removes_the_named_rows():
    data = _frame()
    kept = models.drop_values("label", ["c0", "c5"])(data)
    assert len(kept) == 38 and not kept["label"].isin(["c0", "c5"]).any()


def test_variant_with_too_few_points_is_reported_not_raised():
    data = _frame()
    table = models.sensitivity(data, "x", "y", {"tiny": data.head(3)})
    row = table.iloc[1]
    assert row["n"] == 3 and row["direction"] == "too few data" and np.isnan(row["slope"])


def test_robust_when_every_variant_keeps_the_baseline_direction():
    data = _frame(slope=-2.0)
    same = models.sensitivity(data, "x", "y", {"half": data.iloc[::2]})
    assert models.robust(same)
    flipped = models.sensitivity(data, "x", "y", {"reversed": data.assign(y=data["x"])})
    assert not models.robust(flipped)
    rng = np.random.default_rng(5)
    flat = data.assign(y=rng.normal(size=len(data)))
    assert not models.robust(models.sensitivity(flat, "x", "y", {}))


def test_influence_can_return_every_observation_with_the_4_over_n_threshold():
    x = np.arange(20, dtype=float)
    y = x.copy()
    y[19] = -40
    every = models.influence(x, y, [f"c{i}" for i in range(20)], top=None)
    assert len(every) == 20
    assert models.cooks_threshold(20) == pytest.approx(0.2)
    assert list(every["influential"]) == list(every["cooks_distance"] > 0.2)


def _two_groups(slope_a: float, slope_b: float, n: int = 60, seed: int = 0, noise=None):
    rng = np.random.default_rng(seed)
    x = np.tile(np.linspace(0, 10, n // 2), 2)
    group = np.repeat([True, False], n // 2)
    sd = noise if noise is not None else 0.5
    y = 1 + np.where(group, slope_a, slope_b) * x + np.where(group, 2.0, 0.0) \
        + rng.normal(0, sd, n)
    return x, y, group


def test_slope_difference_recovers_a_known_gap_between_groups():
    x, y, group = _two_groups(3.0, 1.0)
    diff = models.compare_slopes(x, y, group)
    assert diff.difference == pytest.approx(2.0, abs=0.1)
    assert diff.low < 2.0 < diff.high
    assert diff.p_value < 0.001
    assert (diff.n, diff.n_group, diff.n_other) == (60, 30, 30)
    # A fully interacted model gives each group its own line: the difference of separate fits.
    separate = (models.fit_line(x[group], y[group]).slope
                - models.fit_line(x[~group], y[~group]).slope)
    assert diff.difference == pytest.approx(separate)


def test_equal_slopes_are_not_told_apart():
    x, y, group = _two_groups(2.0, 2.0, seed=3)
    diff = models.compare_slopes(x, y, group)
    assert diff.low < 0 < diff.high
    assert diff.p_value > 0.05


def test_slope_difference_interval_covers_the_true_gap_about_95_percent_of_the_time():
    covered = 0
    for seed in range(300):
        rng = np.random.default_rng(seed)
        x = rng.uniform(0, 10, 80)
        group = np.arange(80) < 40
        y = np.where(group, 0.5, -0.5) * x + rng.normal(0, 0.2 + 0.3 * x)  # heteroskedastic
        diff = models.compare_slopes(x, y, group)
        covered += diff.low < 1.0 < diff.high
    assert 0.91 <= covered / 300 <= 0.99


def test_slope_difference_needs_enough_points_in_each_group():
    x, y, group = _two_groups(1.0, 1.0, n=20)
    group[:] = False
    group[:3] = True
    with pytest.raises(models.InsufficientData, match="3 observations in the group"):
        models.compare_slopes(x, y, group)


def test_fit_multiple_holds_the_other_predictor_fixed():
    rng = np.random.default_rng(3)
    investment = rng.normal(0, 1, 60)
    trust_pct = 50 + 10 * investment + rng.normal(0, 1, 60)
    share = 20 + 5 * investment + rng.normal(0, 1, 60)  # trust matters only through investment
    frame = pd.DataFrame({"share": share, "trust_pct": trust_pct, "x": investment})
    alone = models.fit_line(frame["trust_pct"], frame["share"])
    fit = models.fit_multiple(frame, "share", ["trust_pct", "x"])
    assert alone.p_value < 0.05, "alone, trust seems to matter"
    assert fit.term("trust_pct")["p_value"] > 0.05, "held against investment, it does not"
    assert fit.term("x")["estimate"] == pytest.approx(5, abs=1)
    assert fit.n == 60 and 0 < fit.r_squared <= 1
    assert np.isnan(fit.groups_p)


def test_fit_multiple_tests_group_indicators_jointly():
    rng = np.random.default_rng(4)
    x = rng.normal(0, 1, 90)
    groups = np.repeat(["a", "b", "c"], 30)
    shifted = 2 * x + np.select([groups == "a", groups == "b"], [0.0, 3.0], 6.0)
    frame = pd.DataFrame({"y": shifted + rng.normal(0, 1, 90), "x": x, "g": groups})
    assert models.fit_multiple(frame, "y", ["x"], groups="g").groups_p < 0.001
    frame["y"] = 2 * x + rng.normal(0, 1, 90)
    same = models.fit_multiple(frame, "y", ["x"], groups="g")
    assert same.groups_p > 0.01 and same.groups_r_squared < 0.2


def test_fit_multiple_refuses_too_few_rows():
    frame = pd.DataFrame({"y": [1.0, 2.0, 3.0], "x": [1.0, 2.0, 4.0]})
    with pytest.raises(models.InsufficientData):
        models.fit_multiple(frame, "y", ["x"])


def test_correlation_test_recovers_r_and_brackets_it():
    rng = np.random.default_rng(5)
    x = rng.normal(0, 1, 200)
    y = 0.6 * x + rng.normal(0, 0.8, 200)
    test = models.correlation_test(x, y)
    assert test.r == pytest.approx(np.corrcoef(x, y)[0, 1])
    assert test.low < test.r < test.high and test.p_value < 0.001 and test.n == 200
    unrelated = models.correlation_test(x, rng.normal(0, 1, 200))
    assert unrelated.low < 0 < unrelated.high and unrelated.p_value > 0.01


def test_residual_sd_is_the_scatter_about_the_line_on_n_minus_2_degrees_of_freedom():
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0])
    y = np.array([2.0, 4.5, 5.5, 8.5, 9.0, 12.5, 13.0, 16.5, 17.0])
    fit = models.fit_line(x, y)
    residuals = y - (fit.intercept + fit.slope * x)
    assert fit.residual_sd == pytest.approx(np.sqrt((residuals ** 2).sum() / (len(x) - 2)))
