"""The models module on synthetic inputs with known answers."""

import numpy as np
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
