"""The trust analysis: international co-authorship share against trust in foreigners.

This module is long because the chapter tests the report's two claims and their difference,
by income group, with the same robustness checks as the GERD chapter."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd

from .. import datasets, models, panels, regions, verdicts
from ..figures import OKABE_ITO, FigureSpec
from ..measures.names import members_phrase
from ..measures.sensitivity import sensitivity_markdown
from ..measures.shares import exact_shares, proxy_shares
from ..measures.trust import ITEM, latest_trust
from ..models import CONFIDENCE
from ..panels import economy_sentence
from ..regions import INCOME_GROUPS, Region
from ..report import (
    LEVEL,
    MIN_FOR_MEDIAN,
    Numbers,
    SlopeNumbers,
    against_line,
    capitalised,
    its_members,
    marked_and_named,
    name_list,
    p_text,
    shows_members,
)
from ..sources import wvs
from ..sources.ivs import TRUST_ITEMS

GROUPS = {
    "High income": (INCOME_GROUPS[3],),
    "Low & middle income": INCOME_GROUPS[:3],
}
# As in the report's Figure 3: high income in gold (Okabe–Ito orange), the others in blue.
GROUP_COLOURS = {"High income": OKABE_ITO["orange"], "Low & middle income": OKABE_ITO["blue"]}
IVS_TITLE_YEARS = (1981, 2022)  # the years in the title of the compilation we cite


@dataclass
class GroupFit:
    """One income group's fit of the share on trust."""

    group: str
    data: pd.DataFrame
    fit: models.LinearFit | None
    sensitivity: pd.DataFrame


@dataclass
class GroupNumbers(SlopeNumbers):
    """One income group's fit of the share on trust (``trust_high_*``, ``trust_lmic_*``):
    its countries, the slope with its interval, p, R², and the sensitivity table."""

    sensitivity: str


@dataclass
class UserFileNumbers:
    """How many plotted countries take their trust from a user's WVS respondent file
    (``trust_user_file_*``)."""

    n: int
    sentence: str


@dataclass
class UnclassifiedNumbers:
    """The plotted countries in neither income-group fit (``trust_unclassified_*``)."""

    n: int
    sentence: str


@dataclass
class RegionNumbers:
    """The region's members on the chart (``trust_region_*``)."""

    surveyed: int
    in_figure: int
    median: float
    above: int
    below: int
    sentence: str


@dataclass
class TrustNumbers(Numbers):
    """The numbers and sentences the chapter's prose shows, glued as ``trust_<field>``."""

    PREFIX: ClassVar[str] = "trust"
    share_year: int
    exact_year: int
    n: int
    countries_surveyed: int
    wave_first: int
    wave_last: int
    year_first: int
    year_last: int
    high: GroupNumbers
    lmic: GroupNumbers
    exact_n: int
    high_slope_abs: float
    high_slope_word: str
    user_file: UserFileNumbers
    claim_high: str
    claim_lmic: str
    verdict_high: str
    verdict_lmic: str
    verdict_diff: str
    explanations_table: str
    explanations_sentence: str
    diff: float
    diff_low: float
    diff_high: float
    diff_p: float
    difference: str
    waves_year_first: int
    waves_year_last: int
    unclassified: UnclassifiedNumbers
    title_sentence: str
    scope: str
    region: RegionNumbers


@dataclass
class TrustAnalysis:
    """Everything the trust chapter shows for one region."""

    region: Region
    share_year: int
    data: pd.DataFrame
    groups: dict[str, GroupFit]
    difference: models.SlopeDifference | None = None  # high-income slope minus the other's
    numbers: TrustNumbers | None = None


def _group_of(income: str) -> str:
    for group, members in GROUPS.items():
        if income in members:
            return group
    return ""


def assemble(shares: pd.DataFrame, region: Region) -> pd.DataFrame:
    """Trust merged with a co-authorship share, income group and region membership."""
    countries = datasets.countries()[["iso3", "name", "income_group"]]
    frame = latest_trust().merge(shares, on="iso3").merge(countries, on="iso3", how="left")
    frame["income_group"] = frame["income_group"].fillna("").replace("", "Not classified")
    frame["group"] = frame["income_group"].map(_group_of)
    frame["in_region"] = frame["iso3"].isin(region.members)
    return frame.sort_values("iso3").reset_index(drop=True)


def _fit(data: pd.DataFrame) -> models.LinearFit | None:
    try:
        return models.fit_line(data["trust_pct"], data["share"])
    except models.InsufficientData:
        return None


def analyse(region_name: str) -> TrustAnalysis:
    """Assemble data, per-group fits, sensitivity checks and the chapter's numbers. The fits
    are over every economy with data whatever the region, so they are made once per process
    and data folder (:func:`_fitted`); the region marks its members and words the numbers."""
    region = regions.resolve(region_name)
    world, exact_year = _fitted(datasets.data_dir())
    groups = {name: dataclasses.replace(g, data=_marked(g.data, region),
                                        sensitivity=g.sensitivity.copy())
              for name, g in world.groups.items()}
    analysis = TrustAnalysis(region, world.share_year, _marked(world.data, region), groups,
                             world.difference)
    analysis.numbers = _numbers(analysis, exact_year)
    return analysis


def _marked(frame: pd.DataFrame, region: Region) -> pd.DataFrame:
    """A copy of ``frame`` with the region's members marked (``in_region``)."""
    return frame.assign(in_region=frame["iso3"].isin(region.members))


@lru_cache(maxsize=4)
def _fitted(directory: Path) -> tuple[TrustAnalysis, int]:
    """Data, per-group fits and checks over every economy with data, without a region's
    numbers, and the exact share's year (``directory``: the data folder they come from)."""
    world = regions.resolve("World")
    share_year, proxy = proxy_shares()
    exact_year, exact = exact_shares()
    data = assemble(proxy, world)
    exact_data = assemble(exact, world)
    groups = {}
    for group in GROUPS:
        part = data[data["group"] == group]
        variants = {
            f"Exact share ({exact_year}), same group": exact_data[exact_data["group"] == group],
            "Without the three economies with most articles": models.drop_largest("whole", 3),
        }
        groups[group] = GroupFit(group, part, _fit(part),
                                 models.sensitivity(part, "trust_pct", "share", variants,
                                                    baseline=f"Broad share ({share_year})"))
    return TrustAnalysis(world, share_year, data, groups, slope_difference(data)), exact_year


def slope_difference(data: pd.DataFrame) -> models.SlopeDifference | None:
    """Does the share rise with trust more steeply among high-income countries than among low
    and middle income ones? One OLS with an interaction term (HC3); None with too few data."""
    both = data[data["group"].isin(GROUPS)]
    try:
        return models.compare_slopes(both["trust_pct"], both["share"],
                                     both["group"] == "High income")
    except models.InsufficientData:
        return None


def _variants_against(sensitivity: pd.DataFrame | None, direction: str) -> tuple[int, list[str]]:
    """How many sensitivity variants could be fitted, and the names of those whose direction
    differs from ``direction``."""
    if sensitivity is None:
        return 0, []
    variants = sensitivity.iloc[1:]
    fitted = variants[variants["direction"] != "too few data"]
    return len(fitted), list(fitted.loc[fitted["direction"] != direction, "variant"])


def verdict_rises(fit: models.LinearFit | None,
                  sensitivity: pd.DataFrame | None = None) -> str:
    """Plain words on claim (a): the share rises with trust among high-income countries; the
    verdict agrees with the sensitivity variants when they are given."""
    if fit is None:
        return "Cannot be tested: too few high-income countries have both measures."
    direction = models.describe_slope(fit)
    p = p_text(fit.p_value)
    if direction == "negative":
        return f"The claim fails: among high-income countries the share falls as trust rises ({p})."
    if direction == "no clear":
        return ("The claim is not supported: among high-income countries the slope cannot be "
                f"told apart from zero ({p}).")
    fitted, against = _variants_against(sensitivity, direction)
    if against:
        names = name_list(f"“{v}”" for v in against)
        return ("The data support the claim only in part: among high-income countries the share "
                f"rises with trust ({p}), but not {LEVEL} in {names}.")
    text = ("The data support the claim: among high-income countries the share rises with "
            f"trust ({p})")
    if fitted:
        text += f", and it rises {LEVEL} in every variant of the check below"
    return text + "."


def verdict_none(fit: models.LinearFit | None, high: models.LinearFit | None = None,
                 sensitivity: pd.DataFrame | None = None) -> str:
    """Plain words on claim (b): no relationship among low and middle income countries. A slope
    that cannot be told apart from zero is consistent with the claim, not proof of it."""
    if fit is None:
        return "Cannot be tested: too few low and middle income countries have both measures."
    direction = models.describe_slope(fit)
    p = p_text(fit.p_value)
    if direction != "no clear":
        moves = "rises" if direction == "positive" else "falls"
        return (f"The claim fails: among low and middle income countries the share {moves} "
                f"with trust ({p}).")
    interval = f"{fit.slope_low:z.2f} to {fit.slope_high:z.2f}"
    text = ("Consistent with the claim, but not a confirmation: among low and middle income "
            f"countries the slope is not distinguishable from zero ({p})")
    if high is not None and fit.slope_low <= high.slope <= fit.slope_high:
        text += (f", and its interval ({interval}) is too wide to rule out a relationship as "
                 f"strong as among high-income countries ({high.slope:z.2f})")
    elif high is not None:
        text += (f"; its interval ({interval}) rules out a slope as large as among high-income "
                 f"countries ({high.slope:z.2f}), though not a smaller one")
    else:
        text += f"; its interval runs from {interval}"
    fitted, against = _variants_against(sensitivity, direction)
    if against:
        names = name_list(f"“{v}”" for v in against)
        return text + f". In {names}, however, the slope differs from zero {LEVEL}."
    if fitted:
        return text + (". The variants in the check below also find no slope distinguishable "
                       "from zero.")
    return text + "."


def difference_sentence(diff: models.SlopeDifference | None) -> str:
    """Plain words: do the high-income and the low and middle income slopes differ?"""
    if diff is None:
        return "There are too few countries in one of the two groups to compare their slopes."
    gap = (f"({CONFIDENCE}% CI {diff.low:z.2f} to {diff.high:z.2f}; {p_text(diff.p_value)})")
    which = "exceeds" if diff.difference >= 0 else "falls short of"
    text = (f"In one regression with an interaction term (heteroskedasticity-robust errors), "
            f"the high-income slope {which} the low and middle income one by "
            f"{abs(diff.difference):z.2f} points per point of trust {gap}")
    if diff.p_value >= models.ALPHA:
        return (text + f", which is not significant {LEVEL}: these data cannot tell the two "
                "slopes apart, so the contrast the report draws between the two groups is not "
                "established here.")
    if diff.difference > 0:
        return text + f": the two slopes differ {LEVEL}, as the report's contrast implies."
    return (text + f": the two slopes differ {LEVEL}, but the other way round from the "
            "report's contrast.")


def _numbers(a: TrustAnalysis, exact_year: int) -> TrustNumbers:
    """The chapter's numbers, built here in one place."""
    waves, years = a.data["wave"], a.data["year"]
    high, lmic = a.groups["High income"], a.groups["Low & middle income"]
    v_high, v_lmic, v_diff = claim_verdicts(a)
    tested = explanations(a)
    d = a.difference
    nan = float("nan")
    surveyed = _surveyed_years()
    return TrustNumbers(
        share_year=a.share_year, exact_year=exact_year, n=len(a.data),
        countries_surveyed=len(latest_trust()),
        wave_first=int(waves.min()), wave_last=int(waves.max()),
        year_first=int(years.min()), year_last=int(years.max()),
        high=_group_numbers(high), lmic=_group_numbers(lmic),
        exact_n=int(sum(
            g.sensitivity.loc[g.sensitivity["variant"].str.startswith("Exact"), "n"].sum()
            for g in a.groups.values())),
        high_slope_abs=abs(high.fit.slope) if high.fit is not None else nan,
        high_slope_word=("different" if high.fit is None else
                         "higher" if high.fit.slope >= 0 else "lower"),
        user_file=_user_file_numbers(a.data),
        claim_high=f"**Verdict: {v_high.verdict}.** " + verdict_rises(high.fit,
                                                                     high.sensitivity),
        claim_lmic=f"**Verdict: {v_lmic.verdict}.** " + verdict_none(lmic.fit, high.fit,
                                                                    lmic.sensitivity),
        verdict_high=v_high.verdict, verdict_lmic=v_lmic.verdict, verdict_diff=v_diff.verdict,
        explanations_table=explanations_markdown(tested),
        explanations_sentence=explanations_sentence(tested),
        diff=d.difference if d else nan, diff_low=d.low if d else nan,
        diff_high=d.high if d else nan, diff_p=d.p_value if d else nan,
        difference=f"**Verdict: {v_diff.verdict}.** " + difference_sentence(d),
        waves_year_first=surveyed[0], waves_year_last=surveyed[1],
        unclassified=_unclassified_numbers(a.data), title_sentence=title_sentence(a.data),
        scope=(
            "The region editions of this book then place the members of one region on the "
            "chart." if a.region.is_world else
            "The fits use every surveyed country with data, so they are the same in every "
            f"edition of this book; the last section places {its_members(a.region)} on the "
            "chart."),
        region=_region_numbers(a))


def _group_numbers(g: GroupFit) -> GroupNumbers:
    fit, nan = g.fit, float("nan")
    return GroupNumbers(
        n=len(g.data), slope=fit.slope if fit else nan, low=fit.slope_low if fit else nan,
        high=fit.slope_high if fit else nan, p=fit.p_value if fit else nan,
        r2=fit.r_squared if fit else nan,
        sensitivity=sensitivity_markdown(g.sensitivity, "Slope (pp per point of trust)",
                                         digits=2))


def claim_verdicts(a: TrustAnalysis) -> tuple[verdicts.Verdict, verdicts.Verdict,
                                               verdicts.Verdict]:
    """The verdicts on the report's two trust claims and on the contrast between the groups,
    by the shared rules."""
    high, lmic = a.groups["High income"], a.groups["Low & middle income"]
    _, against = _variants_against(high.sensitivity, models.describe_slope(high.fit)
                                   if high.fit is not None else "")
    return (verdicts.rises_with_trust(high.fit, against),
            verdicts.no_relationship(lmic.fit, high.fit),
            verdicts.slopes_differ(a.difference))


def with_explanations(data: pd.DataFrame) -> pd.DataFrame:
    """The chapter's data with what the report's explanations need: R&D intensity and R&D
    spending (the shared panels, latest value), output size and the World Bank region."""
    intensity = panels.panel("gerd_pct_gdp").values[["iso3", "value"]].rename(
        columns={"value": "gerd_pct_gdp"})
    spending = panels.panel("gerd_usd").values[["iso3", "value"]].rename(
        columns={"value": "gerd_usd_bn"})
    regions_of = panels.economies()[["iso3", "region"]]
    frame = data.merge(intensity, on="iso3", how="left").merge(spending, on="iso3", how="left")
    frame = frame.merge(regions_of, on="iso3", how="left")
    return frame.assign(log10_gerd_pct_gdp=np.log10(frame["gerd_pct_gdp"]),
                        log10_gerd_usd=np.log10(frame["gerd_usd_bn"]),
                        log10_whole=np.log10(frame["whole"]))


def _try(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except models.InsufficientData:
        return None


def explanations(a: TrustAnalysis) -> pd.DataFrame:
    """The report's explanations of the two trust patterns, each tested where the data allow:
    group, explanation, tested, fits (True/False/None), result."""
    data = with_explanations(a.data)
    high = data[data["group"] == "High income"]
    lmic = data[data["group"] == "Low & middle income"]
    rows = [{"group": "High income", "explanation": "Strong trade and diplomatic relationships",
             "tested": False, "fits": None,
             "result": "cannot be tested: the book's data hold no trade or diplomatic measure"}]
    base = a.groups["High income"].fit
    for x, label in (("log10_gerd_usd", "as spending (GERD, US$)"),
                     ("log10_gerd_pct_gdp", "as intensity (GERD, % of GDP)")):
        fit = _try(models.fit_multiple, high, "share", ["trust_pct", x])
        if fit is None or base is None:
            rows.append({"group": "High income", "explanation": f"More investment in R&D, {label}",
                         "tested": False, "fits": None, "result": "too few countries to test"})
            continue
        t = fit.term("trust_pct")
        stays = bool(t["p_value"] < models.ALPHA and t["estimate"] > 0)
        rows.append({
            "group": "High income", "explanation": f"More investment in R&D, {label}",
            "tested": True, "fits": not stays,
            "result": (f"with it held fixed, the trust slope is {t['estimate']:z.2f} "
                       f"({CONFIDENCE}% CI {t['low']:z.2f} to {t['high']:z.2f}, "
                       f"{p_text(t['p_value'])}; n = {fit.n}) against {base.slope:z.2f} without "
                       "it: " + ("the slope survives, so investment does not account for it"
                                 if stays else "the slope no longer stands out, so investment "
                                               "could account for it"))})
    regional = _try(models.fit_multiple, lmic, "share", ["trust_pct"], groups="region")
    if regional is None:
        rows.append({"group": "Low & middle income", "explanation": "Regional disparities and "
                     "geography (World Bank region)", "tested": False, "fits": None,
                     "result": "too few countries to test"})
    else:
        fits = bool(regional.groups_p < models.ALPHA)
        rows.append({
            "group": "Low & middle income",
            "explanation": "Regional disparities and geography (World Bank region)",
            "tested": True, "fits": fits,
            "result": (f"the regions {'differ' if fits else 'do not differ'} clearly in their "
                       "share "
                       f"(joint test {p_text(regional.groups_p)}; region alone explains "
                       f"{100 * regional.groups_r_squared:z.0f}% of the variation, n = "
                       f"{regional.n})")})
    invest = _try(models.fit_line, lmic["log10_gerd_pct_gdp"], lmic["share"])
    if invest is None:
        rows.append({"group": "Low & middle income",
                     "explanation": "More modest investment in research capacity (R&D "
                                    "intensity)", "tested": False, "fits": None,
                     "result": "too few countries to test"})
    else:
        fits = invest.p_value < models.ALPHA
        rows.append({
            "group": "Low & middle income",
            "explanation": "More modest investment in research capacity (R&D intensity)",
            "tested": True, "fits": bool(fits),
            "result": (f"the share {'falls' if invest.slope < 0 else 'rises'} with R&D "
                       f"intensity: {invest.slope:+z.1f} points per tenfold intensity "
                       f"({CONFIDENCE}% CI {invest.slope_low:+z.1f} to "
                       f"{invest.slope_high:+z.1f}, "
                       f"{p_text(invest.p_value)}; R² = {invest.r_squared:z.2f}, n = {invest.n})"
                       + ("" if fits else ": no clear relationship"))})
    return pd.DataFrame(rows)


def explanations_markdown(frame: pd.DataFrame) -> str:
    """The tested explanations as a table."""
    from ..report import markdown_table

    shown = frame.assign(
        tested=frame["tested"].map({True: "yes", False: "no"}),
        fits=frame["fits"].map(lambda f: "–" if f is None else ("yes" if f else "no")))
    return markdown_table(shown, {"group": "Countries", "explanation": "Explanation offered",
                                  "tested": "Tested", "fits": "Fits the data",
                                  "result": "What the data say"})


def explanations_sentence(frame: pd.DataFrame) -> str:
    """Which explanations fit, which do not, and which cannot be tested, in one paragraph."""
    tested = frame[frame["tested"]]
    fit = tested[tested["fits"].astype(bool)]
    failed = tested[~tested["fits"].astype(bool)]
    untested = frame[~frame["tested"]]

    def named(part: pd.DataFrame) -> str:
        return name_list([f"“{e[:1].lower()}{e[1:]}” ({g.lower()} countries)"
                          for e, g in zip(part["explanation"], part["group"], strict=True)])

    text = f"Of the {len(frame)} explanations the report offers or implies, {len(tested)} can "
    text += "be tested here."
    if len(fit):
        text += f" The data fit {named(fit)}."
    if len(failed):
        text += f" They do not fit {named(failed)}."
    if len(untested):
        text += f" Not testable with these data: {named(untested)}."
    return text


def _surveyed_years() -> tuple[int, int]:
    """The first and last survey year of waves 5 to 7, all countries."""
    trust = datasets.load("trust")
    trust = trust[(trust["item"] == ITEM) & trust["wave"].between(5, 7)]
    return int(trust["year"].min()), int(trust["year"].max())


def _unclassified_numbers(data: pd.DataFrame) -> UnclassifiedNumbers:
    """Which plotted countries are in neither income-group fit."""
    unclassified = data[data["group"] == ""].sort_values("name")
    if unclassified.empty:
        neither = "Every country in the figure is in one of the two income-group fits."
    else:
        names = name_list(unclassified["name"])
        verb = "has" if len(unclassified) == 1 else "have"
        it = "it is" if len(unclassified) == 1 else "they are"
        neither = (f"{names} {verb} no income group in the World Bank's classification, so "
                   f"{it} in the figure but in neither income-group fit.")
    return UnclassifiedNumbers(n=len(unclassified), sentence=neither)


def title_sentence(data: pd.DataFrame) -> str:
    """Which surveys are later than the title of the compilation we cite."""
    late = data[data["year"] > IVS_TITLE_YEARS[1]].sort_values("name")
    first, last = IVS_TITLE_YEARS
    if late.empty:
        return f"All the surveys used fall within the {first}–{last} of the compilation's title."
    surveys = name_list(f"{name} ({year})" for name, year
                        in zip(late["name"], late["year"], strict=True))
    return (f"The compilation is titled {first}–{last}, but its latest wave includes "
            f"surveys fielded later: {surveys}.")


def _user_file_numbers(data: pd.DataFrame) -> UserFileNumbers:
    """How many plotted countries take their trust from a user's WVS respondent file."""
    from_file = int((data["studies"] == wvs.STUDIES).sum())
    if from_file:
        sentence = (f"For {from_file} of the countries shown, trust was computed at build time "
                    "from a WVS respondent file supplied by the user (weighted by its survey "
                    "weight), replacing the published aggregate for that country and wave.")
    else:
        sentence = "All trust values shown come from the published aggregates."
    return UserFileNumbers(n=from_file, sentence=sentence)


def _side_of_fit(a: TrustAnalysis, members: pd.DataFrame) -> tuple[int, int]:
    """Members above and below their own income group's fitted line."""
    above = below = 0
    for group, g in a.groups.items():
        part = members[members["group"] == group]
        if g.fit is None or part.empty:
            continue
        fitted = g.fit.at(part["trust_pct"])
        above += int((part["share"] > fitted).sum())
        below += int((part["share"] < fitted).sum())
    return above, below


SIZE_NOTE = ("The position is not a measure of openness alone: large research systems sit "
             "below the line mechanically, because more of their co-authors are domestic.")


def _sides(above: int, below: int) -> str:
    """'2 sit above and 3 below', 'all 3 sit below', 'it sits above': a count of members on each
    side of their group's line."""
    total = above + below
    if total == 1:
        return f"it sits {'above' if above else 'below'}"
    if above and below:
        return f"{above} sit above and {below} below"
    return f"{'both' if total == 2 else f'all {total}'} sit {'above' if above else 'below'}"


def _region_numbers(a: TrustAnalysis) -> RegionNumbers:
    region = a.region
    trust = latest_trust()
    names = datasets.countries().set_index("iso3")["name"]
    surveyed = trust[trust["iso3"].isin(region.members)].assign(
        name=lambda f: f["iso3"].map(names).fillna(f["iso3"])).sort_values("name")
    members = a.data[a.data["in_region"]]
    above, below = _side_of_fit(a, members)
    world = float(trust["trust_pct"].median())
    where = region.in_prose
    total = len(region.members)
    waves = f"waves {int(trust['wave'].min())} to {int(trust['wave'].max())}"
    median = (float(surveyed["trust_pct"].median()) if len(surveyed) else float("nan"))
    if region.is_economy:
        sentence = economy_text(a, surveyed, members)
    elif len(surveyed) == 0:
        sentence = (f"{members_phrase(0, total, where)} was surveyed on this question in "
                    f"{waves}, so the region cannot be placed on this chart.")
        if total == 1:
            sentence = sentence.replace(" was surveyed", " was not surveyed")
    elif region.is_world:
        sentence = (f"Across all {len(surveyed)} surveyed countries, the median share trusting "
                    f"people of another nationality is {median:z.1f}%. The region editions of "
                    "this book show where the members of one region sit on the chart.")
    else:
        many = len(surveyed) > 1
        phrase = (f"{members_phrase(len(surveyed), total, where)} "
                  f"{'were' if many else 'was'} surveyed")
        side = "above" if median > world else "below" if median < world else "equal to"
        if len(surveyed) >= MIN_FOR_MEDIAN:
            sentence = (f"{phrase}; their median share trusting people of another nationality "
                        f"is {median:z.1f}% (n = {len(surveyed)}), {side} the median of all "
                        f"surveyed countries ({world:z.1f}%).")
        else:
            values = name_list(f"{name} {value:z.1f}%" for name, value
                               in zip(surveyed["name"], surveyed["trust_pct"], strict=True))
            sentence = (f"{phrase}; the share trusting people of another nationality is "
                        f"{values}, against a median of {world:z.1f}% across all surveyed "
                        "countries.")
        if members.empty:
            sentence += (" None of them has the co-authorship share, so none appears in the "
                         "figure.")
        else:
            one = len(members) == 1
            full = len(members) == len(surveyed)
            lead = (" In the figure," if full else
                    f" {len(members)} of them {'has' if one else 'have'} the co-authorship share "
                    f"and {'appears' if one else 'appear'} in the figure")
            if not above + below:
                shown = f" {'It appears' if one else 'They appear'} in the figure" if full else lead
                sentence += f"{shown}, but in neither income-group fit."
            else:
                their = "its" if above + below == 1 else "their"
                where_ = "" if lead.endswith(",") else ", where"
                rest = len(members) - above - below
                outside = (f"; {rest} {'is' if rest == 1 else 'are'} in neither income-group "
                           "fit" if rest else "")
                sentence += (f"{lead}{where_} {_sides(above, below)} the line fitted to {their} "
                             f"income group{outside}. "
                             "Above the line means a larger foreign share of credit than "
                             "countries of the same income group with the same level of trust, "
                             f"below it a smaller one. {SIZE_NOTE}")
                lmic = a.groups["Low & middle income"].fit
                in_lmic = (members["group"] == "Low & middle income").any()
                if in_lmic and lmic is not None and models.describe_slope(lmic) == "no clear":
                    sentence += (" For low and middle income countries the fitted line is flat "
                                 "and not distinguishable from zero, so above or below it "
                                 "simply means above or below that group's typical share.")
    return RegionNumbers(surveyed=len(surveyed), in_figure=len(members), median=median,
                         above=above, below=below, sentence=sentence)


def economy_text(a: TrustAnalysis, surveyed: pd.DataFrame, members: pd.DataFrame) -> str:
    """One economy: its survey, its trust and rank, and its side of its group's line."""
    iso3 = a.region.members[0]
    name = a.region.in_prose
    if surveyed.empty:
        return (f"{capitalised(name)} was not surveyed on this question in waves "
                f"{int(latest_trust()['wave'].min())} to {int(latest_trust()['wave'].max())}, so "
                "it cannot be placed on this chart.")
    row = surveyed.iloc[0]
    text = (f"{capitalised(name)} was last surveyed in {int(row['year'])} (wave "
            f"{int(row['wave'])}): {row['trust_pct']:z.1f}% of respondents trust people of "
            "another nationality. " + economy_sentence(iso3, ["trust"]))
    if members.empty:
        return text + (f" {capitalised(name)} has no foreign share of credit for "
                       f"{a.share_year}, so it is not in the figure.")
    point = members.iloc[0]
    fit = a.groups[point["group"]].fit if point["group"] in a.groups else None
    if fit is None:
        return text + " It is in the figure, but in neither income-group fit."
    group, label = point["group"], point["group"].lower()
    gap = point["share"] - fit.at(point["trust_pct"])
    text += " In the figure it sits " + against_line(
        gap, fit.residual_sd, f"the line fitted to {label} countries",
        compared=f"foreign share of credit than {label} countries with the same level of trust",
        typical=f"the foreign share of credit of {label} countries with the same level of "
                "trust") + f". {ECONOMY_NOTE}"
    lmic = a.groups["Low & middle income"].fit
    if group == "Low & middle income" and lmic is not None and \
            models.describe_slope(lmic) == "no clear":
        text += (" For low and middle income countries that line is flat, so above or below it "
                 "simply means above or below the group's typical share.")
    return text


ECONOMY_NOTE = ("Large research systems sit below such lines mechanically, because more of "
                "their co-authors are domestic.")


def figure_spec(a: TrustAnalysis) -> FigureSpec:
    """Caption, source and years of the trust scatter."""
    shown = shows_members(a.region, a.data)
    where = marked_and_named(a.region, shown, "outlined")
    years = f"{int(a.data['year'].min())}–{int(a.data['year'].max())}"
    from_file = int((a.data["studies"] == wvs.STUDIES).sum())
    user = (f"; {from_file} countries computed from a user-supplied WVS respondent file"
            if from_file else "")
    return FigureSpec(
        id=f"trust-{a.region.slug}",
        title="International co-authorship and trust in people of another nationality",
        caption=(f"Each point is an economy: foreign share of whole-count credit against the "
                 f"share of survey respondents who trust {TRUST_ITEMS[ITEM]} (item {ITEM}; "
                 f"each country's latest wave, waves {int(a.data['wave'].min())}–"
                 f"{int(a.data['wave'].max())}; trust is 100 minus the published distrust "
                 f"share{user}), coloured and shaped by income group (high income in gold as "
                 f"in the report's Figure 3, which draws low and middle income economies in one "
                 f"colour; here each income group has its own colour and marker), with separate "
                 f"OLS fits and {CONFIDENCE}% confidence bands for high-income (gold) and for low "
                 f"and middle income economies (blue).{where}"),
        source=datasets.source_line("trust", "publication_counts"),
        data_years=f"articles {a.share_year}; surveys {years}",
    )


def figure(a: TrustAnalysis):
    """The Figure 3 scatter: (matplotlib figure, spec, plotted data)."""
    import matplotlib.pyplot as plt

    from ..figures import (
        add_band,
        outliers,
        percent_axis,
        pick_labels,
        scatter_by_income,
    )
    from ..labels import label_points

    spec = figure_spec(a)
    fig, ax = plt.subplots()
    for group, g in a.groups.items():
        if g.fit is not None:
            grid = np.linspace(g.data["trust_pct"].min(), g.data["trust_pct"].max(), 100)
            add_band(ax, g.fit.band(grid), GROUP_COLOURS[group], f"{group}: OLS fit")
    shown = shows_members(a.region, a.data)
    ax.set_xlabel("Trusting people of another nationality (% of respondents)")
    ax.set_ylabel("Foreign share of whole-count credit (%)")
    scatter_by_income(ax, a.data, "trust_pct", "share", highlight=shown)
    named = pick_labels(a.data, size="whole", top=6, highlight=shown,
                        extra=outliers(a.data, "trust_pct", "share", k=4))
    label_points(ax, named, "trust_pct", "share")
    percent_axis(ax, "x")
    percent_axis(ax, "y")
    ax.set_title(spec.title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3)
    columns = ["iso3", "name", "income_group", "group", "in_region", "trust_pct", "wave", "year",
               "studies", "share", "whole"]
    return fig, spec, a.data[columns].assign(share_year=a.share_year,
                                             labelled=a.data["iso3"].isin(named["iso3"]))


def explore(a: TrustAnalysis, data: pd.DataFrame):
    """The interactive version of :func:`figure`, from the data frame it plotted."""
    from .. import interactive

    fits = []
    for group, g in a.groups.items():
        if g.fit is not None:
            grid = np.linspace(g.data["trust_pct"].min(), g.data["trust_pct"].max(), 60)
            fits.append({"band": g.fit.band(grid), "colour": GROUP_COLOURS[group],
                         "label": f"{group}: OLS fit"})
    hover = [("share", "Foreign share of credit (%)", ":.1f"),
             ("trust_pct", "Trusting (%)", ":.1f"), ("year", "Survey year", ""),
             ("share_year", "Articles year", ""), ("income_group", "Income group", "")]
    return interactive.scatter(
        data, "trust_pct", "share", x_title="Trusting people of another nationality (%)",
        y_title="Foreign share of whole-count credit (%)", hover=hover,
        highlight=shows_members(a.region, data), percent_x=True, percent_y=True, fits=fits)
