"""Statistical models used by every analysis chapter (statsmodels), with honest summaries."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import ScicollabError

MIN_POINTS = 8  # fewer countries than this and no line is fitted
CONFIDENCE = 95  # per cent, for every confidence interval and band
ALPHA = 1 - CONFIDENCE / 100
COVARIANCE = "HC3"  # heteroskedasticity-robust standard errors (MacKinnon & White)


def _sm():
    """statsmodels.api, imported on first use: it takes seconds, and many chapters never fit."""
    import statsmodels.api

    return statsmodels.api


class InsufficientData(ScicollabError):
    """Too few observations for a fit."""


@dataclass
class LinearFit:
    """OLS of y on x with robust standard errors."""

    n: int
    slope: float
    intercept: float
    slope_low: float
    slope_high: float
    p_value: float
    r_squared: float
    result: object

    def at(self, x):
        """The line's value at ``x`` (a number or an array)."""
        return self.intercept + self.slope * x

    @property
    def residual_sd(self) -> float:
        """How far points typically lie from the line: the residuals' standard deviation (the
        square root of the residual mean square, on n - 2 degrees of freedom)."""
        return float(np.sqrt(self.result.mse_resid))

    def band(self, x: np.ndarray, alpha: float = ALPHA) -> pd.DataFrame:
        """Fitted mean and its confidence band at the given x values."""
        frame = self.result.get_prediction(_sm().add_constant(np.asarray(x, float),
                                                           has_constant="add"))
        table = frame.summary_frame(alpha=alpha)
        return pd.DataFrame({"x": x, "fit": table["mean"].to_numpy(),
                             "lower": table["mean_ci_lower"].to_numpy(),
                             "upper": table["mean_ci_upper"].to_numpy()})


@dataclass
class QuadraticFit:
    """OLS of y on x and x² with robust standard errors: tests for curvature."""

    n: int
    curvature: float
    curvature_p: float
    r_squared: float
    aic_linear: float
    aic_quadratic: float
    result: object

    def band(self, x: np.ndarray, alpha: float = ALPHA) -> pd.DataFrame:
        """Fitted mean and its confidence band at the given x values."""
        x = np.asarray(x, float)
        design = _sm().add_constant(np.column_stack([x, x**2]), has_constant="add")
        table = self.result.get_prediction(design).summary_frame(alpha=alpha)
        return pd.DataFrame({"x": x, "fit": table["mean"].to_numpy(),
                             "lower": table["mean_ci_lower"].to_numpy(),
                             "upper": table["mean_ci_upper"].to_numpy()})


def _clean(x, y) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    keep = np.isfinite(x) & np.isfinite(y)
    return x[keep], y[keep]


def fit_line(x, y, *, min_points: int = MIN_POINTS, alpha: float = ALPHA) -> LinearFit:
    """Fit y = a + b·x by OLS with HC3 standard errors; needs ``min_points`` observations."""
    x, y = _clean(x, y)
    if len(x) < min_points:
        raise InsufficientData(f"{len(x)} observations; at least {min_points} are needed")
    if np.ptp(x) == 0:
        raise InsufficientData("x does not vary")
    result = _sm().OLS(y, _sm().add_constant(x)).fit(cov_type=COVARIANCE)
    low, high = result.conf_int(alpha=alpha)[1]
    return LinearFit(len(x), float(result.params[1]), float(result.params[0]), float(low),
                     float(high), float(result.pvalues[1]), float(result.rsquared), result)


def fit_quadratic(x, y, *, min_points: int = MIN_POINTS) -> QuadraticFit:
    """Fit y = a + b·x + c·x² (robust SEs) and compare its AIC with the straight line."""
    x, y = _clean(x, y)
    if len(x) < min_points:
        raise InsufficientData(f"{len(x)} observations; at least {min_points} are needed")
    design = _sm().add_constant(np.column_stack([x, x**2]))
    result = _sm().OLS(y, design).fit(cov_type=COVARIANCE)
    linear = _sm().OLS(y, _sm().add_constant(x)).fit()
    return QuadraticFit(len(x), float(result.params[2]), float(result.pvalues[2]),
                        float(result.rsquared), float(linear.aic), float(result.aic), result)


def lowess(x, y, frac: float = 0.6) -> pd.DataFrame:
    """A LOWESS smooth of y on x (sorted by x), a model-free view of the shape."""
    x, y = _clean(x, y)
    from statsmodels.nonparametric.smoothers_lowess import lowess as smoother

    smooth = smoother(y, x, frac=frac, return_sorted=True)
    return pd.DataFrame({"x": smooth[:, 0], "fit": smooth[:, 1]})


def influence(x, y, labels, top: int | None = 5) -> pd.DataFrame:
    """The observations that move the OLS line most (Cook's distance), largest first.

    ``influential`` marks the conventional threshold, a distance above 4/n; ``top=None``
    returns every observation."""
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    labels = np.asarray(labels)
    keep = np.isfinite(x) & np.isfinite(y)
    result = _sm().OLS(y[keep], _sm().add_constant(x[keep])).fit()
    cooks = result.get_influence().cooks_distance[0]
    frame = pd.DataFrame({"label": labels[keep], "cooks_distance": cooks})
    frame["influential"] = frame["cooks_distance"] > cooks_threshold(int(keep.sum()))
    frame = frame.sort_values("cooks_distance", ascending=False, kind="mergesort")
    if top is not None:
        frame = frame.head(top)
    return frame.reset_index(drop=True)


def cooks_threshold(n: int) -> float:
    """The usual rule of thumb for an influential observation: Cook's distance above 4/n."""
    return 4 / n


def correlation(x, y) -> tuple[float, int]:
    """Pearson correlation and the number of complete pairs."""
    x, y = _clean(x, y)
    if len(x) < 3:
        raise InsufficientData(f"{len(x)} pairs; at least 3 are needed")
    return float(np.corrcoef(x, y)[0, 1]), len(x)


def describe_slope(fit: LinearFit, alpha: float = ALPHA) -> str:
    """'negative', 'positive' or 'no clear' relationship at significance level alpha."""
    if fit.p_value >= alpha:
        return "no clear"
    return "negative" if fit.slope < 0 else "positive"


Variant = Callable[[pd.DataFrame], pd.DataFrame] | pd.DataFrame
SENSITIVITY_COLUMNS = ["variant", "n", "slope", "slope_low", "slope_high", "p_value",
                       "r_squared", "direction"]
BASELINE = "All economies (baseline)"


def sensitivity(data: pd.DataFrame, x: str, y: str, variants: Mapping[str, Variant], *,
                baseline: str = BASELINE, min_points: int = MIN_POINTS,
                alpha: float = ALPHA) -> pd.DataFrame:
    """Refit y on x for the baseline and each variant: one tidy row per fit.

    A variant is either a function of the baseline data (to drop countries, say) or a data
    frame of its own (to switch measure). A variant with too few observations gets its ``n``
    and missing estimates, with direction 'too few data'."""
    rows = []
    for name, variant in {baseline: data, **variants}.items():
        frame = variant if isinstance(variant, pd.DataFrame) else variant(data)
        xs, ys = _clean(frame[x], frame[y])
        try:
            fit = fit_line(xs, ys, min_points=min_points, alpha=alpha)
        except InsufficientData:
            rows.append({"variant": name, "n": len(xs), "slope": np.nan, "slope_low": np.nan,
                         "slope_high": np.nan, "p_value": np.nan, "r_squared": np.nan,
                         "direction": "too few data"})
            continue
        rows.append({"variant": name, "n": fit.n, "slope": fit.slope,
                     "slope_low": fit.slope_low, "slope_high": fit.slope_high,
                     "p_value": fit.p_value, "r_squared": fit.r_squared,
                     "direction": describe_slope(fit, alpha)})
    return pd.DataFrame(rows, columns=SENSITIVITY_COLUMNS)


def drop_largest(column: str, k: int) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """A sensitivity variant: drop the ``k`` rows with the largest ``column``."""
    def variant(data: pd.DataFrame) -> pd.DataFrame:
        return data.drop(data[column].nlargest(k).index)
    return variant


def drop_values(column: str, values) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """A sensitivity variant: drop the rows whose ``column`` is one of ``values``."""
    values = set(values)

    def variant(data: pd.DataFrame) -> pd.DataFrame:
        return data[~data[column].isin(values)]
    return variant


def robust(table: pd.DataFrame) -> bool:
    """True when every variant that could be fitted shows the baseline's (significant) direction."""
    baseline = table["direction"].iloc[0]
    if baseline not in ("negative", "positive"):
        return False
    fitted = table[table["direction"] != "too few data"]
    return bool((fitted["direction"] == baseline).all())


@dataclass
class SlopeDifference:
    """How much one group's slope exceeds another's, from one OLS with an interaction term."""

    n: int
    n_group: int  # observations in the group whose slope is compared
    n_other: int
    difference: float  # the group's slope minus the other observations' slope
    low: float
    high: float
    p_value: float
    result: object


def compare_slopes(x, y, in_group, *, min_points: int = MIN_POINTS,
                   alpha: float = ALPHA) -> SlopeDifference:
    """Test whether y rises with x more steeply in one group than in the rest.

    Fits y = a + b·x + c·g + d·x·g by OLS with HC3 standard errors, where g is 1 in the group;
    d is the difference of the two slopes, with its confidence interval and p-value. Each group
    needs ``min_points`` observations and some spread in x."""
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    g = np.asarray(in_group, bool)
    keep = np.isfinite(x) & np.isfinite(y)
    x, y, g = x[keep], y[keep], g[keep]
    for label, part in (("the group", g), ("the other observations", ~g)):
        if part.sum() < min_points:
            raise InsufficientData(f"{int(part.sum())} observations in {label}; at least "
                                   f"{min_points} are needed")
        if np.ptp(x[part]) == 0:
            raise InsufficientData(f"x does not vary in {label}")
    design = _sm().add_constant(np.column_stack([x, g, x * g]).astype(float))
    result = _sm().OLS(y, design).fit(cov_type=COVARIANCE)
    low, high = result.conf_int(alpha=alpha)[3]
    return SlopeDifference(len(x), int(g.sum()), int((~g).sum()), float(result.params[3]),
                           float(low), float(high), float(result.pvalues[3]), result)


@dataclass
class MultipleFit:
    """OLS of y on several predictors (and, optionally, indicators of a grouping), HC3 errors."""

    n: int
    r_squared: float
    terms: pd.DataFrame  # term, estimate, low, high, p_value (the constant and indicators left out)
    groups_p: float  # p-value of the joint Wald test that the group indicators are all zero
    groups_r_squared: float  # R² of the group indicators alone (nan without groups)
    result: object

    def term(self, name: str) -> pd.Series:
        """One predictor's row: estimate, low, high, p_value."""
        return self.terms.set_index("term").loc[name]


def fit_multiple(data: pd.DataFrame, y: str, xs: list[str], *, groups: str | None = None,
                 min_points: int = MIN_POINTS, alpha: float = ALPHA) -> MultipleFit:
    """Fit y on the columns ``xs`` (and one indicator per level of ``groups`` but the first) by
    OLS with HC3 standard errors, on the rows where every column has a value.

    Each predictor's coefficient is its association with y holding the others fixed; with
    ``groups``, ``groups_p`` says whether the groups differ once the predictors are held fixed."""
    columns = [y, *xs] + ([groups] if groups else [])
    frame = data[columns].replace([np.inf, -np.inf], np.nan).dropna()
    if len(frame) < min_points + len(xs):
        raise InsufficientData(f"{len(frame)} observations for {len(xs)} predictors; at least "
                               f"{min_points + len(xs)} are needed")
    design = frame[xs].astype(float)
    levels: list[str] = []
    if groups:
        dummies = pd.get_dummies(frame[groups].astype(str), prefix="group", drop_first=True,
                                 dtype=float)
        levels = list(dummies.columns)
        design = pd.concat([design, dummies], axis=1)
    for column in xs:
        if np.ptp(design[column].to_numpy()) == 0:
            raise InsufficientData(f"{column} does not vary")
    design = _sm().add_constant(design, has_constant="add")
    result = _sm().OLS(frame[y].astype(float), design).fit(cov_type=COVARIANCE)
    interval = result.conf_int(alpha=alpha)
    terms = pd.DataFrame({"term": xs, "estimate": [float(result.params[c]) for c in xs],
                          "low": [float(interval.loc[c, 0]) for c in xs],
                          "high": [float(interval.loc[c, 1]) for c in xs],
                          "p_value": [float(result.pvalues[c]) for c in xs]})
    groups_p = groups_r2 = float("nan")
    if levels:
        restriction = np.zeros((len(levels), len(design.columns)))
        for i, level in enumerate(levels):
            restriction[i, list(design.columns).index(level)] = 1
        groups_p = float(np.asarray(result.wald_test(restriction, use_f=True,
                                                     scalar=True).pvalue))
        alone = _sm().OLS(frame[y].astype(float), _sm().add_constant(
            design[levels], has_constant="add")).fit()
        groups_r2 = float(alone.rsquared)
    return MultipleFit(len(frame), float(result.rsquared), terms, groups_p, groups_r2, result)


@dataclass
class Correlation:
    """Pearson's r with its confidence interval (Fisher's z) and the p-value of the slope."""

    r: float
    n: int
    low: float
    high: float
    p_value: float  # of the OLS slope of y on x (HC3), the book's test of an association


def correlation_test(x, y, *, alpha: float = ALPHA, min_points: int = MIN_POINTS) -> Correlation:
    """Pearson's r of y and x with a Fisher-z interval; the p-value is the HC3 slope test, so
    that a correlation is called significant by the same rule as a fitted line."""
    from statistics import NormalDist

    x, y = _clean(x, y)
    fit = fit_line(x, y, min_points=min_points, alpha=alpha)
    r = float(np.corrcoef(x, y)[0, 1])
    z, half = np.arctanh(r), NormalDist().inv_cdf(1 - alpha / 2) / np.sqrt(len(x) - 3)
    return Correlation(r, len(x), float(np.tanh(z - half)), float(np.tanh(z + half)),
                       fit.p_value)
