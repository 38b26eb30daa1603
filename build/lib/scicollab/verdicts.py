"""The verdict rules: one function per claim of the source documents that the book tests.

Each rule takes the results of a chapter's computation (fits, counts, tables) and returns a
:class:`Verdict`: one of four words and the reason in a sentence. The chapters word their
conclusions from these verdicts and the findings table on the home page prints them, so the
two can never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from .models import ALPHA, LinearFit, SlopeDifference, describe_slope

HOLDS = "holds"
IN_PART = "holds in part"
NOT_SUPPORTED = "not supported"
UNTESTABLE = "cannot be tested with these data"
VERDICTS = (HOLDS, IN_PART, NOT_SUPPORTED, UNTESTABLE)

QUOTED_TOLERANCE = 0.10  # a quoted count "matches" a computed one within ±10%


@dataclass(frozen=True)
class Verdict:
    """A claim's verdict and the reason for it, in plain words."""

    verdict: str
    why: str

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}")

    @property
    def sentence(self) -> str:
        """'Holds in part: the reason.'"""
        return f"{self.verdict[:1].upper()}{self.verdict[1:]}: {self.why}"


def falls_with_investment(fit: LinearFit | None, robust: bool,
                          checks: Mapping[str, bool | None]) -> Verdict:
    """The report's Figure 2: economies that invest less in R&D have a larger share of
    internationally co-authored output.

    Holds when the slope on (log) GERD is negative at the book's level, survives every
    sensitivity variant and every further check in ``checks`` (name → survives, or None when
    the check could not be fitted); holds in part when it is negative but fails a variant or a
    check; not supported when it is not negative."""
    if fit is None:
        return Verdict(UNTESTABLE, "too few economies have both R&D spending and the "
                                   "co-authorship share to fit a line")
    direction = describe_slope(fit)
    if direction != "negative":
        how = "rises" if direction == "positive" else "shows no clear slope"
        return Verdict(NOT_SUPPORTED, f"the share {how} with R&D spending")
    failed = [name for name, survives in checks.items() if survives is not None and not survives]
    if robust and not failed:
        return Verdict(HOLDS, "the share falls with R&D spending, in every sensitivity variant "
                              "and every further check")
    reasons = []
    if not robust:
        reasons.append("not every sensitivity variant keeps the negative slope")
    if failed:
        reasons.append("it does not survive " + _join(failed))
    return Verdict(IN_PART, "the share falls with R&D spending, but " + "; ".join(reasons))


def rises_with_trust(fit: LinearFit | None, against: list[str]) -> Verdict:
    """The report's Figure 3, high-income countries: the share rises with trust.

    ``against`` names the sensitivity variants whose direction differs from the baseline's."""
    if fit is None:
        return Verdict(UNTESTABLE, "too few high-income countries have both measures")
    direction = describe_slope(fit)
    if direction == "negative":
        return Verdict(NOT_SUPPORTED, "among high-income countries the share falls as trust "
                                      "rises")
    if direction == "no clear":
        return Verdict(NOT_SUPPORTED, "among high-income countries the slope cannot be told "
                                      "apart from zero")
    if against:
        return Verdict(IN_PART, "the share rises with trust, but not in " + _join(against))
    return Verdict(HOLDS, "among high-income countries the share rises with trust")


def no_relationship(fit: LinearFit | None, high: LinearFit | None) -> Verdict:
    """The report's Figure 3, low and middle income countries: no relationship with trust.

    A slope that cannot be told from zero is consistent with the claim but does not prove it,
    so the claim holds in part at most; a clear slope contradicts it. The reason says whether
    the interval at least rules out a slope as steep as the high-income one."""
    if fit is None:
        return Verdict(UNTESTABLE, "too few low and middle income countries have both measures")
    direction = describe_slope(fit)
    if direction != "no clear":
        moves = "rises" if direction == "positive" else "falls"
        return Verdict(NOT_SUPPORTED, f"the share {moves} with trust")
    if high is not None and not fit.slope_low <= high.slope <= fit.slope_high:
        return Verdict(IN_PART, "the slope cannot be told from zero, and its interval rules out "
                                "one as steep as among high-income countries; no slope at all "
                                "cannot be proven")
    return Verdict(IN_PART, "the slope cannot be told from zero, but its interval is too wide "
                            "to rule out a relationship")


def slopes_differ(diff: SlopeDifference | None) -> Verdict:
    """The report's contrast: the relationship with trust is steeper among high-income
    countries than among low and middle income ones (one model with an interaction term)."""
    if diff is None:
        return Verdict(UNTESTABLE, "too few countries in one of the two groups")
    if diff.p_value >= ALPHA:
        return Verdict(NOT_SUPPORTED, "the two groups' slopes cannot be told apart")
    if diff.difference > 0:
        return Verdict(HOLDS, "the high-income slope is steeper")
    return Verdict(NOT_SUPPORTED, "the slopes differ, but the other way round")


def quoted_counts_match(ratios: Mapping[str, float], lower_bounds: Mapping[str, bool]) -> Verdict:
    """The report's quoted counts of internationally co-authored publications in one year,
    against the same count computed from the data (quoted ÷ computed per country).

    A count quoted as 'over N' matches when the computed count is at least N less the
    tolerance; an exact count when it is within the tolerance either way."""
    if not ratios:
        return Verdict(UNTESTABLE, "no source at hand covers the countries and year quoted")
    matched = [c for c, r in ratios.items() if _matches(r, lower_bounds.get(c, False))]
    if len(matched) == len(ratios):
        return Verdict(HOLDS, "every quoted count matches the data")
    if matched:
        return Verdict(IN_PART, f"the counts match for {_join(matched)} only")
    return Verdict(NOT_SUPPORTED, "no quoted count matches a one-year count in the data")


def _matches(ratio: float, lower_bound: bool) -> bool:
    if math.isnan(ratio):
        return False
    if lower_bound:
        return ratio <= 1 + QUOTED_TOLERANCE
    return abs(ratio - 1) <= QUOTED_TOLERANCE


def tracks_size(r: float, p: float) -> Verdict:
    """The report: collaborative output tracks the size of the economy (a positive
    correlation of the two on log scales, significant at the book's level)."""
    if math.isnan(r):
        return Verdict(UNTESTABLE, "too few economies have both measures")
    if p < ALPHA and r > 0:
        return Verdict(HOLDS, "larger economies have more internationally co-authored works")
    return Verdict(NOT_SUPPORTED, "no clear positive correlation with the size of the economy")


def link_falls(link_change: float, country_changes: Mapping[str, float],
               complete_change: float | None) -> Verdict:
    """The article: geopolitical tensions disrupt ongoing collaborations. Tested on the largest
    bilateral link (changes as fractions, from its peak to the latest year).

    Holds in part when the link fell from its peak faster than each partner's international
    output (a disruption the data can see, with a cause they cannot) and the latest complete
    year confirms the fall; not supported when it did not fall faster."""
    if math.isnan(link_change):
        return Verdict(UNTESTABLE, "the link is not in the data")
    if link_change >= 0:
        return Verdict(NOT_SUPPORTED, "the link is at its peak in the latest year")
    faster = all(link_change < c for c in country_changes.values())
    confirmed = complete_change is None or complete_change < 0
    if faster and confirmed:
        return Verdict(IN_PART, "the link fell faster than either country's international "
                                "output, but the data cannot show why")
    return Verdict(NOT_SUPPORTED, "the link did not fall faster than the two countries' "
                                  "international output")


def gaps_outnumber(cells: int, missing: int, measures_outnumbered: int,
                   measures: int) -> Verdict:
    """The report: at national level there are more gaps than records.

    Holds when gaps outnumber records overall and for every measure; in part when overall or
    for some measures only; not supported when records outnumber gaps for every measure."""
    if cells == 0:
        return Verdict(UNTESTABLE, "the region has no economy to count")
    overall = missing > cells - missing
    if overall and measures_outnumbered == measures:
        return Verdict(HOLDS, "gaps outnumber records for every measure")
    if overall or measures_outnumbered:
        return Verdict(IN_PART, f"gaps outnumber records for {measures_outnumbered} of the "
                                f"{measures} measures")
    return Verdict(NOT_SUPPORTED, "records outnumber gaps for every measure")


def disparities_narrow(low_growth: float, high_growth: float) -> Verdict:
    """The article: partnerships can reduce disparities in research output. The data can show
    whether low-income output grew faster than high-income output (the gap narrowing in
    relative terms), not that partnerships caused it, so the claim holds at most in part."""
    if math.isnan(low_growth) or math.isnan(high_growth):
        return Verdict(UNTESTABLE, "too few economies have article counts in both years")
    if low_growth > high_growth:
        return Verdict(IN_PART, "low-income output grew faster than high-income output, but "
                                "the data cannot attribute that to partnerships")
    return Verdict(NOT_SUPPORTED, "low-income output did not grow faster than high-income "
                                  "output")


def still_rising(fit: LinearFit | None) -> Verdict:
    """The article: cross-border partnerships will keep expanding. Tested on the recent trend
    of the median internationally co-authored share (a trend, not a forecast)."""
    if fit is None:
        return Verdict(UNTESTABLE, "too few years of one consistent series")
    direction = describe_slope(fit)
    if direction == "positive":
        return Verdict(HOLDS, "the share is still rising")
    if direction == "negative":
        return Verdict(NOT_SUPPORTED, "the share is falling")
    return Verdict(NOT_SUPPORTED, "the share has levelled off")


def retrenchment(fell: int, total: int) -> Verdict:
    """The report: funding retrenchment, with many casualties. The data show cuts in total
    R&D spending as a share of GDP, not in funding for international collaboration, so the
    claim holds at most in part."""
    if total < 2:
        return Verdict(UNTESTABLE, "too few economies with R&D spending in both periods")
    if fell == 0:
        return Verdict(NOT_SUPPORTED, "no economy cut R&D spending as a share of GDP")
    return Verdict(IN_PART, "some economies cut R&D spending as a share of GDP; whether money "
                            "for international collaboration was cut cannot be seen")


def untestable(why: str) -> Verdict:
    """A claim the data at hand cannot test, with the reason."""
    return Verdict(UNTESTABLE, why)


def _join(items: list[str], word: str = "or") -> str:
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]


def falls_among_members(fit: LinearFit | None) -> Verdict:
    """The report's Figure 2 refitted on one region's members alone (no sensitivity checks):
    holds when the slope is negative at the book's level."""
    if fit is None:
        return Verdict(UNTESTABLE, "too few of the region's economies have both measures")
    direction = describe_slope(fit)
    if direction == "negative":
        return Verdict(HOLDS, "among the region's economies the share falls with R&D spending")
    how = "rises" if direction == "positive" else "shows no clear slope"
    return Verdict(NOT_SUPPORTED, f"among the region's economies the share {how}")


def one_economy(what: str) -> Verdict:
    """A claim about a pattern across economies, in an economy's edition: one economy cannot
    test it; ``what`` says where the economy stands instead."""
    return Verdict(UNTESTABLE, f"a pattern across economies cannot be tested on one; {what}")


def combined(parts: Mapping[str, Verdict | None]) -> Verdict:
    """A claim made of several parts (name → the part's verdict, None when the data cannot
    test it): holds when every part is tested and holds; holds in part when some tested part
    holds (or holds in part); not supported when every tested part fails; cannot be tested
    when no part can be."""
    tested = {k: v for k, v in parts.items() if v is not None and v.verdict != UNTESTABLE}
    untested = [k for k in parts if k not in tested]
    if not tested:
        return Verdict(UNTESTABLE, f"none of its parts ({_join(list(parts), 'and')}) is in "
                                   "the data")
    held = [k for k, v in tested.items() if v.verdict in (HOLDS, IN_PART)]
    if not held:
        return Verdict(NOT_SUPPORTED, f"the data do not show {_join(list(tested))}")
    if len(held) == len(parts) and all(v.verdict == HOLDS for v in tested.values()):
        return Verdict(HOLDS, f"the data show {_join(held, 'and')}")
    why = f"the data show {_join(held, 'and')}"
    if untested:
        why += f"; {_join(untested, 'and')} cannot be tested with these data"
    return Verdict(IN_PART, why)


def concentrated(top_share: float, top: int) -> Verdict:
    """Funding imbalance: holds when the ``top`` largest spenders account for more than half
    of all reported R&D spending (``top_share`` a fraction)."""
    if math.isnan(top_share):
        return Verdict(UNTESTABLE, "no R&D spending figures")
    if top_share > 0.5:
        return Verdict(HOLDS, f"the {top} largest spenders account for most of the spending")
    return Verdict(NOT_SUPPORTED, f"the {top} largest spenders account for less than half")
