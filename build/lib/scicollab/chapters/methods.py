"""The constants the Methods page states, read from the code that uses them."""

from __future__ import annotations

from .. import models, panels, verdicts
from ..report import MIN_FOR_MEDIAN
from ..sources import ncses
from . import barriers, data_gaps, future, gerd, landscape, partnership_models


def numbers() -> dict[str, object]:
    """Every constant of the measures, models and verdicts, as glue values."""
    anchors = sorted(ncses.ACCESS_ANCHORS.items())
    return {
        "met_confidence": models.CONFIDENCE, "met_alpha_pct": round(100 * models.ALPHA),
        "met_min_points": models.MIN_POINTS, "met_cooks": "4/n",
        "met_min_for_median": MIN_FOR_MEDIAN,
        "met_min_articles": gerd.MIN_ARTICLES, "met_gerd_years": gerd.WINDOW + 1,
        "met_lowess_pct": round(100 * gerd.LOWESS_FRAC),
        "met_lowess_good_pct": gerd.LOWESS_GOOD_FIT,
        "met_top_producers": gerd.TOP_PRODUCERS,
        "met_window_start": panels.WINDOW[0], "met_window_end": panels.WINDOW[1],
        "met_growth_years": panels.GROWTH_YEARS,
        "met_steady": barriers.STEADY, "met_break_pct": round(100 * barriers.BREAK_JUMP),
        "met_recent_years": future.RECENT, "met_min_links": partnership_models.MIN_LINKS,
        "met_small_region": data_gaps.SMALL_REGION,
        "met_quoted_tolerance_pct": round(100 * verdicts.QUOTED_TOLERANCE),
        "met_max_window": landscape.MAX_WINDOW,
        "met_access_first_year": anchors[0][0], "met_access_first_share": anchors[0][1],
        "met_access_last_year": anchors[-1][0], "met_access_last_share": anchors[-1][1],
        "met_access_tolerance": ncses.ACCESS_ANCHOR_TOLERANCE,
    }
