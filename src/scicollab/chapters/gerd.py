"""The GERD analysis: international co-authorship share against domestic R&D investment.

This module is long because the chapter tests one claim several ways (two measures, a
calibration, influence, sensitivity) and writes the verdict from all of them; its numbers for
the prose (about eighty) are declared as typed fields, in groups, and built in one place."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd

from .. import datasets, models, regions, verdicts
from ..figures import FigureSpec
from ..measures.names import members_phrase
from ..measures.sensitivity import sensitivity_markdown
from ..measures.shares import (
    MIN_ARTICLES,
    WINDOW,
    countries,
    exact_shares,
    missing_measures,
    proxy_shares,
    with_gerd,
)
from ..models import CONFIDENCE
from ..panels import economy_sentence
from ..regions import Region, the_country
from ..report import (
    LEVEL,
    MIN_FOR_MEDIAN,
    Numbers,
    SlopeNumbers,
    against_line,
    capitalised,
    collapsible,
    count,
    dollars,
    framed,
    marked,
    marked_and_named,
    name_list,
    ordinal,
    p_text,
    shows_members,
)

TOP_PRODUCERS = 10  # sensitivity: drop this many of the largest producers (whole count)
SHOWN_INFLUENCE = 10  # economies shown in the Cook's distance figure
LOWESS_FRAC = 0.6  # share of the economies each LOWESS local fit uses
LOWESS_GOOD_FIT = 90  # % of the smooth inside the line's band for the line to "describe" the data
ALL = "all economies"  # the sample of a sensitivity variant fitted on every economy
LARGE = "large producers"  # ... fitted only on the economies with the exact share


@dataclass
class Measure:
    """One way of measuring the share, matched with GERD, and its fits."""

    key: str
    label: str
    year: int
    data: pd.DataFrame
    fit: models.LinearFit | None = None
    quadratic: models.QuadraticFit | None = None
    influence: pd.DataFrame | None = None


@dataclass
class FitNumbers:
    """One measure's OLS fit of the share on log10 GERD (``gerd_<measure>_*``)."""

    slope: float
    slope_low: float
    slope_high: float
    p: float
    r2: float
    curvature_p: float  # the squared term's p-value


@dataclass
class CalibrationNumbers:
    """The exact share fitted on the broad one (``gerd_cal_*``): r, n, year, the line, and the
    range of broad shares it was fitted on."""

    r: float
    n: int
    year: int
    slope: float
    intercept: float
    low: float
    high: float


@dataclass
class OutsideNumbers:
    """The economies whose broad share lies outside the calibration range
    (``gerd_outside_*``)."""

    n: int
    below: int
    above: int
    region_n: int
    table: str
    sentence: str
    block: str


@dataclass
class RegionNumbers:
    """Where the region sits (``gerd_region_*``): its economies with both measures, its members,
    their median share and its rank among the named regions."""

    n: int
    members: int
    median: float
    rank: str
    sentence: str


@dataclass
class SensitivityNumbers:
    """The broad-measure slope refitted on variants of the sample (``gerd_sensitivity_*``)."""

    table: str
    sentence: str
    variants: int
    robust: str
    slope_min: float
    slope_max: float


@dataclass
class InfluentialNumbers:
    """The economies above the Cook's distance threshold (``gerd_influential_*``)."""

    n: int
    economies: str
    list: str


@dataclass
class LowessNumbers:
    """The LOWESS smooth against the line's band (``gerd_lowess_*``)."""

    frac: float
    inside_pct: float
    outside_pct: float


@dataclass
class GerdNumbers(Numbers):
    """The numbers and sentences the chapter's prose shows, glued as ``gerd_<field>``; a fit
    that could not be made is None and glues nothing."""

    PREFIX: ClassVar[str] = "gerd"
    proxy_year: int
    exact_year: int
    window_start: int
    exact_window_start: int
    min_articles: int
    n_proxy: int
    n_exact: int
    cal: CalibrationNumbers
    proxy: FitNumbers | None
    exact: FitNumbers | None
    proxy_slope_abs: float | None
    proxy_slope_word: str | None
    proxy_r2_pct: float | None
    claim: str
    shape: str
    influence: str
    scope: str
    region: RegionNumbers
    regions_ranked: int
    verdict: str
    verdict_why: str
    verdict_plain: str
    size_table: str
    size_sentence: str
    intensity: SlopeNumbers | None
    size: SlopeNumbers | None
    outside: OutsideNumbers
    top_producers: int
    sensitivity: SensitivityNumbers
    influential: InfluentialNumbers
    cooks_threshold: float
    lowess: LowessNumbers
    proxy_range: float
    exact_range: float


@dataclass
class GerdAnalysis:
    """Everything the GERD chapter shows for one region."""

    region: Region
    proxy: Measure
    exact: Measure
    exact_same_year: Measure  # the exact share in the broad measure's year
    calibration: models.LinearFit
    calibration_r: float
    calibration_data: pd.DataFrame
    region_medians: pd.DataFrame
    sensitivity: pd.DataFrame | None = None
    intensity: models.LinearFit | None = None  # the share on log10 GERD as % of GDP
    size_control: models.MultipleFit | None = None  # on log10 GERD and log10 articles
    intensity_size: models.MultipleFit | None = None  # on log10 GERD % of GDP and log10 articles
    calibration_range: tuple[float, float] = (float("nan"), float("nan"))
    verdict: verdicts.Verdict | None = None
    numbers: GerdNumbers | None = None


def _measure(key: str, label: str, year: int, shares: pd.DataFrame, region: Region) -> Measure:
    data = with_gerd(shares, year, region)
    measure = Measure(key, label, year, data)
    try:
        measure.fit = models.fit_line(data["log10_gerd_usd"], data["share"])
        measure.quadratic = models.fit_quadratic(data["log10_gerd_usd"], data["share"])
        measure.influence = models.influence(data["log10_gerd_usd"], data["share"],
                                             data["iso3"], top=None)
    except models.InsufficientData:
        pass
    return measure


def calibrate() -> tuple[models.LinearFit, float, pd.DataFrame]:
    """Exact share (10001) against the proxy (1819) in the year both tables cover."""
    counts = datasets.load("publication_counts")
    pubs = datasets.load("publications")
    year = int(min(counts["year"].max(), pubs["year"].max()))
    both = pubs.loc[pubs["year"] == year, ["iso3", "international_share"]].merge(
        counts.loc[counts["year"] == year, ["iso3", "foreign_credit_share"]], on="iso3")
    both = both.assign(year=year, exact=100 * both["international_share"],
                       proxy=100 * both["foreign_credit_share"])[["iso3", "year", "proxy",
                                                                    "exact"]]
    fit = models.fit_line(both["proxy"], both["exact"])
    r, _ = models.correlation(both["proxy"], both["exact"])
    return fit, r, both


def region_medians(shares: pd.DataFrame) -> pd.DataFrame:
    """Median share of every named region's members (the world excepted), ranked from highest."""
    rows = []
    for name in regions.names():
        if regions.resolve(name).is_world:
            continue  # the world is the whole the regions are compared within, not one of them
        members = regions.resolve(name).members
        values = shares.loc[shares["iso3"].isin(members), "share"]
        if len(values):
            rows.append({"region": name, "countries": len(values), "median": values.median()})
    frame = pd.DataFrame(rows).sort_values("median", ascending=False, kind="mergesort")
    frame["rank"] = np.arange(1, len(frame) + 1)
    return frame.reset_index(drop=True)


def analyse(region_name: str) -> GerdAnalysis:
    """Assemble data, fits and the chapter's numbers for a region. The fits are over every
    economy with data whatever the region, so they are made once per process and data folder
    (:func:`_fitted`); the region marks its members (``in_region``) and words the numbers."""
    region = regions.resolve(region_name)
    world = _fitted(datasets.data_dir())
    analysis = dataclasses.replace(
        world, region=region, proxy=_marked(world.proxy, region),
        exact=_marked(world.exact, region),
        exact_same_year=_marked(world.exact_same_year, region),
        calibration_data=world.calibration_data.copy(),
        region_medians=world.region_medians.copy(),
        sensitivity=None if world.sensitivity is None else world.sensitivity.copy())
    analysis.numbers = _numbers(analysis)
    return analysis


def _marked(measure: Measure, region: Region) -> Measure:
    """A copy of a measure with the region's members marked in its data."""
    data = measure.data.assign(in_region=measure.data["iso3"].isin(region.members))
    influence = None if measure.influence is None else measure.influence.copy()
    return dataclasses.replace(measure, data=data, influence=influence)


@lru_cache(maxsize=4)
def _fitted(directory: Path) -> GerdAnalysis:
    """Data, fits, checks and verdict over every economy with data, without a region's numbers
    (``directory``: the data folder they come from)."""
    world = regions.resolve("World")
    proxy_year, proxy = proxy_shares()
    exact_year, exact = exact_shares()
    proxy_measure = _measure("proxy", "Foreign share of whole-count credit (%)", proxy_year,
                             proxy, world)
    exact_measure = _measure("exact", "Internationally co-authored share of articles (%)",
                             exact_year, exact, world)
    same_year = _measure("exact", "Internationally co-authored share of articles (%)",
                         proxy_year, exact_shares(proxy_year)[1], world)
    cal_fit, cal_r, cal_data = calibrate()
    medians = region_medians(proxy_measure.data)
    analysis = GerdAnalysis(world, proxy_measure, exact_measure, same_year, cal_fit, cal_r,
                            cal_data, medians)
    analysis.sensitivity = sensitivity(proxy_measure, exact_measure, same_year)
    analysis.intensity, analysis.size_control, analysis.intensity_size = size_checks(
        proxy_measure.data)
    analysis.calibration_range = (float(cal_data["proxy"].min()), float(cal_data["proxy"].max()))
    proxy_measure.data = flag_calibration(proxy_measure.data, analysis)
    analysis.verdict = verdict(analysis)
    return analysis


def size_checks(data: pd.DataFrame) -> tuple[models.LinearFit | None, models.MultipleFit | None,
                                              models.MultipleFit | None]:
    """The two checks of size against intensity: the share on R&D intensity (log10 GERD as %
    of GDP), and on log10 GERD (then on log10 intensity) with output size (log10 whole-count
    articles) held fixed."""
    try:
        intensity = models.fit_line(data["log10_gerd_pct_gdp"], data["share"])
    except models.InsufficientData:
        intensity = None
    fits = []
    for x in ("log10_gerd_usd", "log10_gerd_pct_gdp"):
        try:
            fits.append(models.fit_multiple(data, "share", [x, "log10_whole"]))
        except models.InsufficientData:
            fits.append(None)
    return intensity, fits[0], fits[1]


def _negative(estimate: float, p_value: float) -> bool:
    return bool(estimate < 0 and p_value < models.ALPHA)


def survives(a: GerdAnalysis) -> dict[str, bool | None]:
    """Whether the falling relationship survives each further check: measured as R&D
    intensity, and with output size held fixed (None when a check could not be fitted)."""
    size = a.size_control.term("log10_gerd_usd") if a.size_control is not None else None
    return {
        "measuring R&D as a share of GDP": (None if a.intensity is None else
                                            _negative(a.intensity.slope, a.intensity.p_value)),
        "holding output size fixed": (None if size is None else
                                      _negative(size["estimate"], size["p_value"])),
    }


def verdict(a: GerdAnalysis) -> verdicts.Verdict:
    """The verdict on the report's Figure 2, by the shared rule (verdicts.falls_with_investment)."""
    return verdicts.falls_with_investment(a.proxy.fit, models.robust(a.sensitivity)
                                          if a.sensitivity is not None else False, survives(a))


def flag_calibration(data: pd.DataFrame, a: GerdAnalysis) -> pd.DataFrame:
    """Mark the economies whose broad share lies outside the range the calibration was fitted
    on (``calibrated`` False): mapping them onto the exact share is an extrapolation. Adds the
    calibrated estimate of the exact share (``exact_estimate``)."""
    low, high = a.calibration_range
    fit = a.calibration
    return data.assign(calibrated=data["share"].between(low, high),
                       exact_estimate=fit.at(data["share"]))


def _numbers(a: GerdAnalysis) -> GerdNumbers:
    """The chapter's numbers, built here in one place."""
    p, e = a.proxy, a.exact
    low, high = a.calibration_range
    influential = _influential(p)
    inside = lowess_inside_band(p)
    return GerdNumbers(
        proxy_year=p.year, exact_year=e.year, window_start=p.year - WINDOW,
        exact_window_start=e.year - WINDOW, min_articles=MIN_ARTICLES,
        n_proxy=len(p.data), n_exact=len(e.data),
        cal=CalibrationNumbers(
            r=a.calibration_r, n=a.calibration.n,
            year=int(a.calibration_data["year"].iloc[0]), slope=a.calibration.slope,
            intercept=a.calibration.intercept, low=low, high=high),
        proxy=_fit_numbers(p), exact=_fit_numbers(e),
        proxy_slope_abs=abs(p.fit.slope) if p.fit is not None else None,
        proxy_slope_word=(None if p.fit is None else "lower" if p.fit.slope < 0 else "higher"),
        proxy_r2_pct=100 * p.fit.r_squared if p.fit is not None else None,
        claim=claim_sentence(p, a.sensitivity), shape=shape_sentence(p),
        influence=(name_list(economy_names(p, p.influence["label"].head(3)))
                   if p.influence is not None else "none"),
        scope=scope_sentence(a.region),
        region=_region_numbers(a), regions_ranked=len(a.region_medians),
        verdict=a.verdict.verdict, verdict_why=a.verdict.why, verdict_plain=plain_verdict(a),
        size_table=size_markdown(a), size_sentence=size_sentence(a),
        intensity=(None if a.intensity is None else SlopeNumbers(
            n=a.intensity.n, slope=a.intensity.slope, low=a.intensity.slope_low,
            high=a.intensity.slope_high, p=a.intensity.p_value, r2=a.intensity.r_squared)),
        size=_size_numbers(a.size_control),
        outside=_outside_numbers(a),
        top_producers=TOP_PRODUCERS,
        sensitivity=_sensitivity_numbers(a.sensitivity),
        influential=InfluentialNumbers(n=len(influential),
                                       economies=count(len(influential), "economy"),
                                       list=name_list(economy_names(p, influential))),
        cooks_threshold=(models.cooks_threshold(p.fit.n) if p.fit is not None else np.nan),
        lowess=LowessNumbers(frac=LOWESS_FRAC, inside_pct=inside, outside_pct=100 - inside),
        proxy_range=_span(p.data["log10_gerd_usd"]),
        exact_range=_span(a.exact.data["log10_gerd_usd"]))


def _fit_numbers(m: Measure) -> FitNumbers | None:
    if m.fit is None:
        return None
    return FitNumbers(slope=m.fit.slope, slope_low=m.fit.slope_low, slope_high=m.fit.slope_high,
                      p=m.fit.p_value, r2=m.fit.r_squared, curvature_p=m.quadratic.curvature_p)


def _influential(measure: Measure) -> list[str]:
    if measure.influence is None:
        return []
    return list(measure.influence.loc[measure.influence["influential"], "label"])


def economy_names(measure: Measure, codes) -> list[str]:
    """The names of the economies with these ISO3 codes, in the order given, as a sentence
    names them ('the United Kingdom')."""
    names = measure.data.set_index("iso3")["name"]
    return [the_country(str(names[c])) if c in names.index and pd.notna(names[c]) else str(c)
            for c in codes]


def sensitivity(proxy: Measure, exact: Measure, exact_same_year: Measure) -> pd.DataFrame:
    """The broad-measure slope refitted without the largest producers, without the influential
    economies, and on the large producers that have the exact share: on the broad measure and
    on the exact one in the same year (which separates sample from measure), then on the exact
    share in its latest year. The ``sample`` column says which rows use only large producers."""
    x, y = "log10_gerd_usd", "share"
    common = set(exact_same_year.data["iso3"]) & set(proxy.data["iso3"])
    large = {
        f"Broad measure, only the economies with the exact share ({proxy.year})":
            lambda d: d[d["iso3"].isin(common)],
        f"Exact measure, same economies and year ({proxy.year})":
            exact_same_year.data[exact_same_year.data["iso3"].isin(common)],
    }
    if exact.year != proxy.year:
        large[f"Exact measure, latest year ({exact.year})"] = exact.data
        large[f"Exact measure ({exact.year}) without its influential economies"] = \
            models.drop_values("iso3", _influential(exact))(exact.data)
    else:
        large["Exact measure without its influential economies"] = \
            models.drop_values("iso3", _influential(exact))(exact.data)
    variants: dict[str, models.Variant] = {
        f"Without the {TOP_PRODUCERS} largest producers": models.drop_largest("whole",
                                                                              TOP_PRODUCERS),
        "Without the influential economies": models.drop_values("iso3", _influential(proxy)),
        **large,
    }
    table = models.sensitivity(proxy.data, x, y, variants)
    table.loc[0, "variant"] = "Broad measure, all economies (baseline)"
    table["sample"] = [LARGE if v in large else ALL for v in table["variant"]]
    return table


def robustness_sentence(table: pd.DataFrame) -> str:
    """Plain words: does the conclusion survive every sensitivity variant?"""
    baseline = table["direction"].iloc[0]
    others = table.iloc[1:]
    fitted = others[others["direction"] != "too few data"]
    if baseline not in ("negative", "positive"):
        return ("There is no clear slope on the baseline fit, so there is no conclusion for "
                "the variants to test.")
    if models.robust(table):
        low, high = fitted["slope"].min(), fitted["slope"].max()
        return (f"The conclusion survives: every one of the {len(fitted)} variants keeps a "
                f"{baseline} slope {LEVEL}, between {low:z.1f} and {high:z.1f} percentage "
                "points per tenfold GERD.")
    failing = fitted[fitted["direction"] != baseline]
    names = "; ".join(
        f"“{r.variant}” ({r.direction} relationship"
        f"{'' if pd.isna(r.p_value) else ', ' + p_text(r.p_value)})"
        for r in failing.itertuples())
    held = len(fitted) - len(failing)
    return (f"The conclusion survives only in part: the slope stays {baseline} {LEVEL} in "
            f"{held} of the {len(fitted)} variants, but not in {names}.")


def _sensitivity_numbers(table: pd.DataFrame) -> SensitivityNumbers:
    fitted = table[table["direction"] != "too few data"]
    return SensitivityNumbers(
        table=sensitivity_markdown(table), sentence=robustness_sentence(table),
        variants=len(table) - 1, robust="yes" if models.robust(table) else "no",
        slope_min=float(fitted["slope"].min()) if len(fitted) else np.nan,
        slope_max=float(fitted["slope"].max()) if len(fitted) else np.nan)


def _span(values: pd.Series) -> float:
    """Orders of magnitude covered by a log10 series (nan when empty)."""
    return float(values.max() - values.min()) if len(values) else float("nan")


def lowess_inside_band(measure: Measure) -> float:
    """Percentage of the LOWESS smooth's points that lie inside the OLS confidence band."""
    if measure.fit is None:
        return float("nan")
    smooth = models.lowess(measure.data["log10_gerd_usd"], measure.data["share"],
                           frac=LOWESS_FRAC)
    band = measure.fit.band(smooth["x"].to_numpy())
    inside = (smooth["fit"] >= band["lower"]) & (smooth["fit"] <= band["upper"])
    return float(100 * inside.mean())


def claim_sentence(proxy: Measure, table: pd.DataFrame) -> str:
    """Plain words: do economies that invest less collaborate relatively more, and how robustly
    (the verdict agrees with the sensitivity table)?"""
    if proxy.fit is None:
        return "There are too few economies with both measures to test the claim."
    where = (f"across all {proxy.fit.n} economies (articles {proxy.year}; GERD in current US$, "
             "that is the size of the R&D budget, not its share of GDP)")
    direction = models.describe_slope(proxy.fit)
    if direction == "positive":
        return f"No: {where}, the share rises, not falls, with GERD ({p_text(proxy.fit.p_value)})."
    if direction == "no clear":
        return (f"Not clearly: {where}, the slope is not distinguishable from zero "
                f"({p_text(proxy.fit.p_value)}).")
    verdict = (f"Yes {where}: economies that spend less on R&D have a higher share of "
               f"internationally co-authored output ({p_text(proxy.fit.p_value)})")
    if models.robust(table):
        return (verdict + ", and every variant of the sensitivity check below keeps a negative "
                f"slope {LEVEL}.")
    fitted = table.iloc[1:][table["direction"].iloc[1:] != "too few data"]
    failing = fitted[fitted["direction"] != direction]
    large = fitted[fitted["sample"] == LARGE] if "sample" in fitted else fitted.iloc[:0]
    if len(large) and (failing["sample"] == LARGE).all():
        held = int((large["direction"] == direction).sum())
        low, high = int(large["n"].min()), int(large["n"].max())
        size = f"{low}" if low == high else f"{low} to {high}"
        return (verdict + f". Among the large producers that have the exact share ({size} "
                "economies, depending on the fit) the slope is weak: it is negative "
                f"{LEVEL} in {'none' if held == 0 else held} of the {len(large)} fits "
                f"(p from {large['p_value'].min():z.3f} to {large['p_value'].max():z.3f}). The "
                "pattern therefore rests on the contrast between small and large R&D systems, "
                "not on differences among the large ones.")
    names = name_list(f"“{v}”" for v in failing["variant"])
    return verdict + f", but not robustly: the slope is not negative {LEVEL} in {names}."


def shape_sentence(proxy: Measure) -> str:
    """Whether the relationship bends beyond a straight line in log GERD: the squared term
    and the model-free LOWESS smooth."""
    if proxy.quadratic is None:
        return "There are too few economies to test the shape of the relationship."
    q = proxy.quadratic
    inside = lowess_inside_band(proxy)
    good = inside >= LOWESS_GOOD_FIT
    if q.curvature_p < models.ALPHA:
        shape = "bends downward" if q.curvature < 0 else "flattens out at high investment"
        first = (f"The relationship {shape} beyond a straight line in log GERD (squared term "
                 f"significant {LEVEL}, {p_text(q.curvature_p)})")
        joint = ", although" if good else ", and"
    else:
        first = (f"The squared term in log GERD is not significant {LEVEL} "
                 f"({p_text(q.curvature_p)})")
        joint = ", and" if good else ", but"
    if good:
        return (f"{first}{joint} the model-free LOWESS smooth stays inside the straight line's "
                f"{CONFIDENCE}% confidence band at {inside:z.0f}% of the economies, so the "
                "straight line describes the shape well.")
    return (f"{first}{joint} the model-free LOWESS smooth leaves the straight line's "
            f"{CONFIDENCE}% confidence band at {100 - inside:z.0f}% of the economies, so the "
            "straight line is a simplification of the shape.")


def scope_sentence(region: Region) -> str:
    """What in the chapter depends on the selected region, and what does not."""
    if region.is_world:
        return ("The region editions of this book then show where the members of one region "
                "sit.")
    if region.is_economy:
        return ("The fits use every economy with data, so they are the same in every edition of "
                f"this book; the last section shows where {region.in_prose} sits.")
    return ("The fits use every economy with data, so they are the same in every edition of "
            f"this book; the last section shows where the members of {region.in_prose} sit.")


SIZE_NOTE = ("Large research systems have a lower foreign share of whole-count credit "
             "mechanically, because more of their co-authors are domestic, so a region's median "
             "and rank reflect the size of its members' research systems as much as their "
             "openness.")
ECONOMY_SIZE_NOTE = ("Large research systems have a lower foreign share of whole-count credit "
                     "mechanically, because more of their co-authors are domestic, so the "
                     "share and its rank reflect the size of a research system as much as its "
                     "openness.")
RANKED = ("(income groups, World Bank regions and custom groups, ranked by the median of their "
          "members; the world as a whole is not ranked)")


def _region_numbers(a: GerdAnalysis) -> RegionNumbers:
    region = a.region
    members = a.proxy.data[a.proxy.data["in_region"]].sort_values("name")
    row = a.region_medians[a.region_medians["region"] == region.name]
    where = region.in_prose
    median, rank = float("nan"), "not ranked"
    if region.is_economy:
        sentence = economy_text(a)
    elif region.is_world and len(members):
        median = float(members["share"].median())
        sentence = (
            f"All {len(members)} economies with both measures are in the figures above; their "
            f"median foreign share of credit is {median:z.1f}%. The region editions of this book "
            "show where the members of one region sit and how their median compares with the "
            f"other named regions {RANKED}.")
    elif len(members) and len(row):
        median = float(row["median"].iloc[0])
        rank = ordinal(int(row["rank"].iloc[0]))
        ranked = len(a.region_medians)
        have = "have" if len(members) > 1 else "has"
        phrase = members_phrase(len(members), len(region.members), where)
        if len(members) < MIN_FOR_MEDIAN:
            values = name_list(f"{name} {share:z.1f}%" for name, share
                               in zip(members["name"], members["share"], strict=True))
            sentence = (
                f"{phrase} {have} both measures; their foreign shares of credit are {values}. "
                f"The median of {count(len(members), 'economy')}, {median:z.1f}%, ranks {rank} "
                f"among the {ranked} named regions of this book {RANKED}, but with so few "
                "economies it says little about the region.")
            if len(members) == 1:
                sentence = sentence.replace("their foreign shares of credit are",
                                            "its foreign share of credit is")
        else:
            sentence = (
                f"{phrase} {have} both measures. Their median foreign share of credit is "
                f"{median:z.1f}% (n = {len(members)}), which ranks {rank} among the {ranked} "
                f"named regions of this book {RANKED}.")
        sentence = f"{sentence} {SIZE_NOTE}"
    else:
        lacks = ("lacks a recent GERD figure or enough articles for the share"
                 if len(region.members) == 1 else
                 "has both a recent GERD figure and enough articles for the share")
        sentence = (
            f"{members_phrase(0, len(region.members), where)} {lacks}, so the region cannot be "
            "placed on this chart.")
    return RegionNumbers(n=len(members), members=len(region.members), median=median, rank=rank,
                         sentence=sentence)


def economy_text(a: GerdAnalysis) -> str:
    """One economy on the chart: its share and GERD, where it sits against the fitted line,
    its ranks; or which of the two measures it lacks, and why."""
    iso3 = a.region.members[0]
    name = a.region.in_prose
    data = a.proxy.data.set_index("iso3")
    year = a.proxy.year
    if iso3 in data.index:
        row = data.loc[iso3]
        text = (f"{capitalised(name)} is in the figure: a foreign share of credit of "
                f"{row['share']:z.1f}% in {year}, with GERD of {dollars(row['gerd_usd'])} "
                f"({int(row['gerd_year'])}, {row['gerd_pct_gdp']:z.2f}% of GDP).")
        fit = a.proxy.fit
        if fit is not None:
            gap = row["share"] - fit.at(row["log10_gerd_usd"])
            text += " That is " + against_line(
                gap, fit.residual_sd, "the fitted line for its R&D spending",
                compared="foreign share than economies that spend as much typically have",
                typical="the foreign share that economies spending as much typically have") + "."
        ranks = economy_sentence(iso3, ["broad_share", "gerd_usd", "gerd_pct_gdp"])
        return f"{text} {ranks} {ECONOMY_SIZE_NOTE}"
    return (f"{capitalised(name)} cannot be placed on this chart: "
            f"{missing_measures(iso3, year)}. "
            + economy_sentence(iso3, ["broad_share", "gerd_pct_gdp"]))


def _fit_text(estimate: float, low: float, high: float, p: float, unit: str) -> str:
    """'−8.4 points per tenfold GERD (95% CI −10.0 to −6.7, p < 0.001)'."""
    return (f"{estimate:+z.1f} points per tenfold {unit} ({CONFIDENCE}% CI {low:+z.1f} to "
            f"{high:+z.1f}, {p_text(p)})")


def _moves(estimate: float, p: float) -> str:
    if p >= models.ALPHA:
        return "shows no clear slope"
    return "falls" if estimate < 0 else "rises"


def plain_verdict(a: GerdAnalysis) -> str:
    """The chapter's answer in plain words, before any methods vocabulary: the verdict, the
    report's measure (size of R&D spending), R&D intensity, and output size held fixed."""
    fit, v = a.proxy.fit, a.verdict
    if fit is None:
        return f"**{v.verdict.capitalize()}.** {v.why[:1].upper()}{v.why[1:]}."
    text = (f"**The report's reading {v.verdict}.** Across {fit.n} economies, those with "
            f"smaller R&D budgets have {'a larger' if fit.slope < 0 else 'a smaller'} foreign "
            "share of their articles: the share "
            f"{_moves(fit.slope, fit.p_value)} with R&D spending, "
            + _fit_text(fit.slope, fit.slope_low, fit.slope_high, fit.p_value, "GERD")
            + ". But the size of an R&D budget mostly measures the size of the economy.")
    if a.intensity is not None:
        i = a.intensity
        text += (f" Measured as a share of GDP instead (R&D intensity), the share "
                 f"{_moves(i.slope, i.p_value)}: "
                 + _fit_text(i.slope, i.slope_low, i.slope_high, i.p_value, "R&D intensity")
                 + f", n = {i.n}.")
    if a.size_control is not None:
        t = a.size_control.term("log10_gerd_usd")
        moves = _moves(t["estimate"], t["p_value"])
        text += (" Holding output size fixed (economies with the same number of articles), "
                 f"the share {moves} with R&D spending: "
                 + _fit_text(t["estimate"], t["low"], t["high"], t["p_value"], "GERD")
                 + f", n = {a.size_control.n}.")
        if moves != "falls":
            text += (" The falling pattern of the report's figure therefore reflects the size "
                     "of research systems, which large budgets go with, rather than how much "
                     "an economy invests for its size.")
        else:
            text += " The falling pattern is therefore not only one of size."
    return text


def _size_numbers(fit: models.MultipleFit | None) -> SlopeNumbers | None:
    """The GERD slope with output size held fixed."""
    if fit is None:
        return None
    t = fit.term("log10_gerd_usd")
    return SlopeNumbers(n=fit.n, slope=float(t["estimate"]), low=float(t["low"]),
                        high=float(t["high"]), p=float(t["p_value"]), r2=fit.r_squared)


def size_sentence(a: GerdAnalysis) -> str:
    """What the two further models say, each in one sentence."""
    parts = []
    if a.intensity is not None:
        i = a.intensity
        parts.append(f"On R&D intensity alone the share {_moves(i.slope, i.p_value)} "
                     f"(R² = {i.r_squared:z.2f}, against {a.proxy.fit.r_squared:z.2f} for the "
                     "size of the budget)." if a.proxy.fit is not None else "")
    if a.size_control is not None and a.intensity_size is not None:
        size = a.size_control.term("log10_gerd_usd")
        output = a.size_control.term("log10_whole")
        both = a.intensity_size.term("log10_gerd_pct_gdp")
        parts.append(
            f"With the number of articles in the model, the share "
            f"{_moves(output['estimate'], output['p_value'])} with output size "
            f"({output['estimate']:+z.1f} points per tenfold articles) while it "
            f"{_moves(size['estimate'], size['p_value'])} with the R&D budget, and it "
            f"{_moves(both['estimate'], both['p_value'])} with R&D intensity "
            f"({both['estimate']:+z.1f} points per tenfold intensity, {p_text(both['p_value'])}): "
            "among economies with the same output, those that invest more are, if anything, "
            "more international, not less." if not _negative(size["estimate"], size["p_value"])
            else f"With the number of articles in the model, the share still "
                 f"{_moves(size['estimate'], size['p_value'])} with the R&D budget and "
                 f"{_moves(both['estimate'], both['p_value'])} with R&D intensity.")
    return " ".join(p for p in parts if p)


def size_markdown(a: GerdAnalysis) -> str:
    """The models of size against intensity, one row per model and term."""
    rows = ["| Model | Term | Economies | Points per tenfold | " f"{CONFIDENCE}% CI | p | R² |",
            "|---|---|---:|---:|---|---:|---:|"]

    def row(model: str, term: str, n: int, est: float, low: float, high: float, p: float,
            r2: float) -> str:
        shown = "< 0.001" if p < 0.001 else f"{p:z.3f}"
        return (f"| {model} | {term} | {n} | {est:+z.1f} | {low:+z.1f} to {high:+z.1f} | {shown} "
                f"| {r2:z.2f} |")

    if a.proxy.fit is not None:
        f = a.proxy.fit
        rows.append(row("The report's measure", "GERD, US$", f.n, f.slope, f.slope_low,
                        f.slope_high, f.p_value, f.r_squared))
    if a.intensity is not None:
        i = a.intensity
        rows.append(row("R&D intensity", "GERD, % of GDP", i.n, i.slope, i.slope_low,
                        i.slope_high, i.p_value, i.r_squared))
    labels = {"log10_gerd_usd": "GERD, US$", "log10_gerd_pct_gdp": "GERD, % of GDP",
              "log10_whole": "Articles (output size)"}
    for model, fit in (("GERD and output size", a.size_control),
                       ("R&D intensity and output size", a.intensity_size)):
        if fit is None:
            continue
        for t in fit.terms.itertuples():
            rows.append(row(model, labels[t.term], fit.n, t.estimate, t.low, t.high,
                            t.p_value, fit.r_squared))
    return "\n".join(rows)


def _outside_numbers(a: GerdAnalysis) -> OutsideNumbers:
    low, high = a.calibration_range
    data = a.proxy.data
    outside = data[~data["calibrated"]].sort_values("share")
    shown = outside if a.region.is_world else outside[outside["in_region"]]
    table = pd.DataFrame({
        "name": shown["name"], "income_group": shown["income_group"],
        "share": shown["share"].map(lambda v: f"{v:z.1f}"),
        "side": np.where(shown["share"] < low, "below", "above")})
    from ..report import markdown_table

    listed = (markdown_table(table, {
        "name": "Economy", "income_group": "Income group",
        "share": "Foreign share of credit (%)", "side": "Outside the range"},
        escaped=True) if len(table) else "")
    return OutsideNumbers(
        n=len(outside), below=int((outside["share"] < low).sum()),
        above=int((outside["share"] > high).sum()),
        region_n=int(outside["in_region"].sum()), table=listed,
        sentence=outside_sentence(a, outside, shown),
        block=collapsible("Economies outside the calibration range", listed))


def outside_sentence(a: GerdAnalysis, outside: pd.DataFrame, shown: pd.DataFrame) -> str:
    """How many economies lie outside the calibration range, and which table lists them."""
    low, high = a.calibration_range
    n = len(a.proxy.data)
    text = (f"The calibration was fitted on broad shares from {low:z.1f}% to {high:z.1f}%; "
            f"{count(len(outside), 'economy')} of the {n} in the figure lie outside that range "
            f"({int((outside['share'] < low).sum())} below it, "
            f"{int((outside['share'] > high).sum())} above), so what their broad share says "
            "about their exact share is an extrapolation (the figure's data marks them with "
            "`calibrated` false).")
    if a.region.is_world:
        return text + (" They are listed below." if len(shown) else "")
    if a.region.is_economy:
        if a.region.members[0] not in set(a.proxy.data["iso3"]):
            return text
        inside = bool(len(shown) == 0)
        return text + (f" {capitalised(a.region.in_prose)} lies "
                       f"{'inside' if inside else 'outside'} the range.")
    if shown.empty:
        return text + f" None of them is in {a.region.in_prose}."
    return text + (f" Of them, {count(len(shown), 'economy')} "
                   f"{'is' if len(shown) == 1 else 'are'} in {a.region.in_prose}, listed below.")


def figure_spec(measure: Measure, region: Region) -> FigureSpec:
    """Caption, source and years of a GERD scatter."""
    sources = datasets.source_line("rd_expenditure",
                                   "publication_counts" if measure.key == "proxy"
                                   else "publications")
    shown = shows_members(region, measure.data)
    where = marked_and_named(region, shown, "outlined",
                             "the largest producers, the economies that move the line most")
    kind = ("foreign share of whole-count credit (1 − fractional/whole count)"
            if measure.key == "proxy" else "share of articles with an international co-author")
    return FigureSpec(
        id=f"gerd-{measure.key}-{region.slug}",
        title=f"International co-authorship and R&D investment ({measure.key} measure)",
        caption=(f"Each point is an economy: {kind} against GERD in current US$ (log scale), "
                 f"coloured by World Bank income group, with an OLS fit in log GERD and its "
                 f"{CONFIDENCE}% confidence band, and a LOWESS smooth (dashed; each local fit "
                 f"uses {LOWESS_FRAC:z.0%} of the economies) as a model-free view of the "
                 f"shape.{where}"),
        source=sources,
        data_years=(f"articles {measure.year}; GERD latest of {measure.year - WINDOW}–"
                    f"{measure.year}"),
    )


def figure(measure: Measure, region: Region):
    """The Figure 2 scatter for one measure: (matplotlib figure, spec, plotted data)."""
    import matplotlib.pyplot as plt

    from ..figures import (
        OKABE_ITO,
        add_band,
        money_axis,
        outliers,
        percent_axis,
        pick_labels,
        scatter_by_income,
    )
    from ..labels import label_points

    spec = figure_spec(measure, region)
    fig, ax = plt.subplots()
    if measure.fit is not None:
        grid = np.linspace(measure.data["log10_gerd_usd"].min(),
                           measure.data["log10_gerd_usd"].max(), 100)
        add_band(ax, measure.fit.band(grid), OKABE_ITO["black"], f"OLS fit, {CONFIDENCE}% CI",
                 transform_x=lambda v: 10 ** v)
        smooth = models.lowess(measure.data["log10_gerd_usd"], measure.data["share"],
                               frac=LOWESS_FRAC)
        ax.plot(10 ** smooth["x"], smooth["fit"], color=OKABE_ITO["purple"], linewidth=1.6,
                linestyle="--", label="LOWESS smooth", zorder=2)
    # a region with no point is drawn as the world is: by income group, the largest named
    highlight = shows_members(region, measure.data)
    ax.set_xlabel("GERD, current US$ (log scale)")
    ax.set_ylabel(measure.label)
    scatter_by_income(ax, measure.data, "gerd_usd", "share", highlight=highlight)
    money_axis(ax, "x")
    percent_axis(ax, "y")
    influential = ([] if measure.influence is None else
                   list(measure.influence.loc[measure.influence["influential"], "label"]))
    named = pick_labels(measure.data, size="whole", top=6, highlight=highlight,
                        extra=influential[:4] + outliers(measure.data, "gerd_usd", "share",
                                                         k=3, log_x=True))
    label_points(ax, named, "gerd_usd", "share")
    ax.set_title(spec.title)
    if not region.is_world and not highlight:
        # said in the figure too, for the reader who meets it pasted into a brief
        ax.plot([], [], " ", label=f"{region.name}: no point\n(lacks GERD or the share)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    columns = ["iso3", "name", "income_group", "in_region", "gerd_usd", "gerd_year", "share",
               "whole"]
    data = measure.data[columns].assign(share_year=measure.year,
                                        labelled=measure.data["iso3"].isin(named["iso3"]))
    return fig, spec, data


def calibration_figure(a: GerdAnalysis):
    """Exact share against the proxy on the countries both tables cover (the same in every
    region: drawn once per process and data version)."""
    return _calibration_figure(datasets.data_version())


@lru_cache(maxsize=1)
def _calibration_figure(data_version: str):
    import matplotlib.pyplot as plt

    from ..figures import OKABE_ITO, add_band, percent_axis
    from ..labels import label_points

    calibration, _, calibration_data = calibrate()
    year = int(calibration_data["year"].iloc[0])
    spec = FigureSpec(
        id="gerd-calibration",
        title="The broad measure tracks the exact co-authorship share",
        caption=("Each point is an economy covered by both NCSES tables: the share of its "
                 "articles with an international co-author against the foreign share of its "
                 f"whole-count credit, with an OLS fit and {CONFIDENCE}% confidence band."),
        source=datasets.source_line("publications", "publication_counts"),
        data_years=f"articles {year}",
    )
    data = calibration_data
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    grid = np.linspace(data["proxy"].min(), data["proxy"].max(), 100)
    add_band(ax, calibration.band(grid), OKABE_ITO["blue"], f"OLS fit, {CONFIDENCE}% CI")
    ax.scatter(data["proxy"], data["exact"], s=22, color=OKABE_ITO["blue"], zorder=3)
    label_points(ax, data, "proxy", "exact", label="iso3")
    percent_axis(ax, "x")
    percent_axis(ax, "y")
    ax.set_xlabel("Foreign share of whole-count credit (%)")
    ax.set_ylabel("Internationally co-authored share (%)")
    ax.set_title(spec.title)
    return fig, spec, data


def influence_figure(measure: Measure, region: Region):
    """Cook's distance of the economies that move the OLS line most, with the 4/n threshold."""
    import matplotlib.pyplot as plt

    from ..figures import CONTEXT_GREY, OKABE_ITO

    columns = ["iso3", "name", "cooks_distance", "influential", "in_region"]
    if measure.influence is None:
        data = pd.DataFrame(columns=columns)
    else:
        top = measure.influence.head(SHOWN_INFLUENCE).rename(columns={"label": "iso3"})
        data = top.merge(measure.data[["iso3", "name", "in_region"]], on="iso3",
                         how="left")[columns]
    shown = shows_members(region, data)
    where = marked(region, shown, "drawn in blue, the others in grey")
    spec = FigureSpec(
        id=f"gerd-influence-{measure.key}-{region.slug}",
        title="Which economies drive the fitted line",
        caption=(f"Cook's distance of the {SHOWN_INFLUENCE} most influential economies in the "
                 f"OLS fit of the {'broad' if measure.key == 'proxy' else 'exact'} share on "
                 "log GERD; the dashed line marks the "
                 f"usual threshold of 4/n.{where}"),
        source=datasets.source_line("rd_expenditure", "publication_counts"
                                    if measure.key == "proxy" else "publications"),
        data_years=(f"articles {measure.year}; GERD latest of {measure.year - WINDOW}–"
                    f"{measure.year}"),
    )
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    if measure.influence is None:
        ax.text(0.5, 0.5, "Too few economies for a fit", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
        return fig, spec, data
    colours = [OKABE_ITO["blue"] if (not shown or member) else CONTEXT_GREY
               for member in data["in_region"]]
    positions = np.arange(len(data))[::-1]
    ax.barh(positions, data["cooks_distance"], color=colours, zorder=2)
    ax.set_yticks(positions, [f"{name} ({iso})" for name, iso in
                              zip(data["name"], data["iso3"], strict=True)])
    ax.axvline(models.cooks_threshold(measure.fit.n), color=OKABE_ITO["black"], linestyle="--",
               linewidth=1, label="4/n threshold")
    ax.set_xlabel("Cook's distance")
    ax.set_title(spec.title)
    ax.legend(loc="lower right")
    return fig, spec, data


def explore(measure: Measure, data: pd.DataFrame, region: Region):
    """The interactive version of :func:`figure`, from the data frame it plotted."""
    from .. import interactive
    from ..figures import OKABE_ITO, money

    fits = []
    if measure.fit is not None:
        grid = np.linspace(measure.data["log10_gerd_usd"].min(),
                           measure.data["log10_gerd_usd"].max(), 60)
        band = measure.fit.band(grid).assign(x=lambda f: 10 ** f["x"])
        fits.append({"band": band, "colour": OKABE_ITO["black"],
                     "label": f"OLS fit, {CONFIDENCE}% CI"})
    hover = [("share", measure.label.replace(" (%)", ""), ":.1f"),
             ("gerd_label", "GERD", ""), ("gerd_year", "GERD year", ""),
             ("share_year", "Articles year", ""), ("income_group", "Income group", "")]
    data = data.assign(gerd_label=data["gerd_usd"].map(money))
    fig = interactive.scatter(data, "gerd_usd", "share", x_title="GERD, current US$ (log)",
                              y_title=measure.label, hover=hover,
                              highlight=shows_members(region, data), money_x=True,
                              percent_y=True,
                              fits=fits)
    if measure.fit is not None:
        import plotly.graph_objects as go

        smooth = models.lowess(measure.data["log10_gerd_usd"], measure.data["share"],
                               frac=LOWESS_FRAC)
        fig.add_trace(go.Scatter(x=10 ** smooth["x"], y=smooth["fit"], mode="lines",
                                 name="LOWESS smooth", hoverinfo="skip",
                                 line={"color": OKABE_ITO["purple"], "dash": "dash",
                                       "width": 2}))
    return fig


def share_map(region: Region):
    """World map of the foreign share of whole-count credit: (figure, spec, data)."""
    from .. import maps

    year, shares = proxy_shares()
    data = shares.merge(countries(), on="iso3", how="left").assign(
        year=year, in_region=lambda f: f["iso3"].isin(region.members))
    data = data[["iso3", "name", "income_group", "in_region", "year", "share", "whole"]]
    members = () if region.is_world else region.members
    spec = FigureSpec(
        id=f"map-share-{region.slug}",
        title="Where research is most international",
        caption=("Foreign share of whole-count credit (1 − fractional/whole count) of each "
                 f"economy with at least {MIN_ARTICLES} articles; grey land has no value."
                 + framed(region)),
        source=datasets.source_line("publication_counts"), data_years=f"articles {year}")
    fig = maps.static_value_map(data, "share", spec.title, "Foreign share of credit",
                                members=members)
    return fig, spec, data


def explore_share_map(data: pd.DataFrame, region: Region):
    """The interactive version of :func:`share_map`."""
    from .. import maps

    return maps.interactive_value_map(
        data, "share", "Foreign share of credit",
        [("share", "Foreign share of credit (%)", ":.1f"), ("year", "Year", ""),
         ("whole", "Articles (whole count)", ":,.0f")],
        members=() if region.is_world else region.members)


def explore_calibration(a: GerdAnalysis, data: pd.DataFrame):
    """The interactive version of :func:`calibration_figure`."""
    from .. import interactive
    from ..figures import OKABE_ITO

    grid = np.linspace(data["proxy"].min(), data["proxy"].max(), 60)
    shown = data.merge(countries()[["iso3", "name"]], on="iso3", how="left")
    shown["name"] = shown["name"].fillna(shown["iso3"])
    return interactive.scatter(
        shown, "proxy", "exact", group=None, x_title="Foreign share of whole-count credit (%)",
        y_title="Internationally co-authored share (%)",
        hover=[("proxy", "Broad measure (%)", ":.1f"), ("exact", "Exact share (%)", ":.1f"),
               ("year", "Year", "")], percent_x=True, percent_y=True,
        fits=[{"band": a.calibration.band(grid), "colour": OKABE_ITO["blue"],
               "label": f"OLS fit, {CONFIDENCE}% CI"}])
