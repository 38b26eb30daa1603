"""The constants the Methods page states, read from the code that uses them.

The page is not an analysis chapter, so this module lives outside ``chapters/`` and may read
each chapter's own constants (as ``findings`` reads their analyses); the chapters themselves
never import one another."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from . import models, panels, verdicts
from .chapters import barriers, data_gaps, future, gerd, landscape, partnership_models
from .measures import shares
from .report import MIN_FOR_MEDIAN, Numbers
from .sources import ncses


@dataclass
class MethodsNumbers(Numbers):
    """Every constant of the measures, models and verdicts the page states, glued as
    ``met_<field>``."""

    PREFIX: ClassVar[str] = "met"
    confidence: int
    alpha_pct: int
    min_points: int
    cooks: str
    min_for_median: int
    min_articles: int
    gerd_years: int
    lowess_pct: int
    lowess_good_pct: int
    top_producers: int
    window_start: int
    window_end: int
    growth_years: int
    steady: float
    break_pct: int
    recent_years: int
    min_links: int
    small_region: int
    quoted_tolerance_pct: int
    max_window: int
    access_first_year: int
    access_first_share: float
    access_last_year: int
    access_last_share: float
    access_tolerance: float


def numbers() -> MethodsNumbers:
    """Every constant of the measures, models and verdicts, for the Methods page."""
    anchors = sorted(ncses.ACCESS_ANCHORS.items())
    return MethodsNumbers(
        confidence=models.CONFIDENCE, alpha_pct=round(100 * models.ALPHA),
        min_points=models.MIN_POINTS, cooks="4/n", min_for_median=MIN_FOR_MEDIAN,
        min_articles=shares.MIN_ARTICLES, gerd_years=shares.WINDOW + 1,
        lowess_pct=round(100 * gerd.LOWESS_FRAC), lowess_good_pct=gerd.LOWESS_GOOD_FIT,
        top_producers=gerd.TOP_PRODUCERS,
        window_start=panels.WINDOW[0], window_end=panels.WINDOW[1],
        growth_years=panels.GROWTH_YEARS,
        steady=barriers.STEADY, break_pct=round(100 * barriers.BREAK_JUMP),
        recent_years=future.RECENT, min_links=partnership_models.MIN_LINKS,
        small_region=data_gaps.SMALL_REGION,
        quoted_tolerance_pct=round(100 * verdicts.QUOTED_TOLERANCE),
        max_window=landscape.MAX_WINDOW,
        access_first_year=anchors[0][0], access_first_share=anchors[0][1],
        access_last_year=anchors[-1][0], access_last_share=anchors[-1][1],
        access_tolerance=ncses.ACCESS_ANCHOR_TOLERANCE)
