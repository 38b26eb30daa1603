"""The trust analysis: international co-authorship share against trust in foreigners."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import datasets, models, regions
from ..figures import OKABE_ITO, FigureSpec
from ..models import CONFIDENCE
from ..regions import Region
from ..sources import wvs
from ..sources.ivs import TRUST_ITEMS
from ..sources.worldbank import INCOME_GROUPS
from . import gerd

ITEM = "G007_36_B"  # trust in people of another nationality
GROUPS = {
    "High income": (INCOME_GROUPS[3],),
    "Low & middle income": INCOME_GROUPS[:3],
}
GROUP_COLOURS = {"High income": OKABE_ITO["blue"], "Low & middle income": OKABE_ITO["orange"]}


@dataclass
class GroupFit:
    """One income group's fit of the share on trust."""

    group: str
    data: pd.DataFrame
    fit: models.LinearFit | None
    sensitivity: pd.DataFrame


@dataclass
class TrustAnalysis:
    """Everything the trust chapter shows for one region."""

    region: Region
    share_year: int
    data: pd.DataFrame
    groups: dict[str, GroupFit]
    numbers: dict = field(default_factory=dict)


def latest_trust(item: str = ITEM) -> pd.DataFrame:
    """Each country's latest survey wave for a trust item: iso3, wave, year, trust_pct, n."""
    trust = datasets.load("trust")
    trust = trust[trust["item"] == item].sort_values(["iso3", "wave"])
    latest = trust.groupby("iso3", as_index=False).last()
    return latest[["iso3", "wave", "year", "studies", "trust_pct", "distrust_pct", "n"]]


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
    """Assemble data, per-group fits, sensitivity checks and the chapter's numbers."""
    region = regions.resolve(region_name)
    share_year, proxy = gerd.proxy_shares()
    exact_year, exact = gerd.exact_shares()
    data = assemble(proxy, region)
    exact_data = assemble(exact, region)
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
    analysis = TrustAnalysis(region, share_year, data, groups)
    analysis.numbers = _numbers(analysis, exact_year)
    return analysis


def verdict_rises(fit: models.LinearFit | None) -> str:
    """Plain words on claim (a): the share rises with trust among high-income countries."""
    if fit is None:
        return "Cannot be tested: too few high-income countries have both measures."
    direction = models.describe_slope(fit)
    if direction == "positive":
        return "The claim holds: among high-income countries the share rises clearly with trust."
    if direction == "negative":
        return "The claim fails: among high-income countries the share falls as trust rises."
    return ("The claim is not supported: among high-income countries the slope cannot be told "
            "apart from zero.")


def verdict_none(fit: models.LinearFit | None) -> str:
    """Plain words on claim (b): no relationship among low and middle income countries."""
    if fit is None:
        return "Cannot be tested: too few low and middle income countries have both measures."
    direction = models.describe_slope(fit)
    if direction == "no clear":
        return ("The claim holds: among low and middle income countries the slope cannot be "
                "told apart from zero.")
    return (f"The claim fails: among low and middle income countries there is a clear "
            f"{direction} relationship.")


def _numbers(a: TrustAnalysis, exact_year: int) -> dict:
    waves, years = a.data["wave"], a.data["year"]
    n = {"trust_share_year": a.share_year, "trust_exact_year": exact_year,
         "trust_n": len(a.data), "trust_countries_surveyed": len(latest_trust()),
         "trust_wave_first": int(waves.min()), "trust_wave_last": int(waves.max()),
         "trust_year_first": int(years.min()), "trust_year_last": int(years.max())}
    for key, group in (("high", "High income"), ("lmic", "Low & middle income")):
        g = a.groups[group]
        fit = g.fit
        n[f"trust_{key}_n"] = len(g.data)
        n[f"trust_{key}_slope"] = fit.slope if fit else float("nan")
        n[f"trust_{key}_low"] = fit.slope_low if fit else float("nan")
        n[f"trust_{key}_high"] = fit.slope_high if fit else float("nan")
        n[f"trust_{key}_p"] = fit.p_value if fit else float("nan")
        n[f"trust_{key}_r2"] = fit.r_squared if fit else float("nan")
        n[f"trust_{key}_sensitivity"] = gerd.sensitivity_markdown(
            g.sensitivity, "Slope (pp per point of trust)", digits=2)
    n["trust_exact_n"] = int(sum(
        g.sensitivity.loc[g.sensitivity["variant"].str.startswith("Exact"), "n"].sum()
        for g in a.groups.values()))
    n.update(_user_file_numbers(a.data))
    n["trust_claim_high"] = verdict_rises(a.groups["High income"].fit)
    n["trust_claim_lmic"] = verdict_none(a.groups["Low & middle income"].fit)
    n.update(_region_numbers(a))
    return n


def _user_file_numbers(data: pd.DataFrame) -> dict:
    """How many plotted countries take their trust from a user's WVS respondent file."""
    from_file = int((data["studies"] == wvs.STUDIES).sum())
    if from_file:
        sentence = (f"For {from_file} of the countries shown, trust was computed at build time "
                    "from a WVS respondent file supplied by the user (weighted by its survey "
                    "weight), replacing the published aggregate for that country and wave.")
    else:
        sentence = "All trust values shown come from the published aggregates."
    return {"trust_user_file_n": from_file, "trust_user_file_sentence": sentence}


def _side_of_fit(a: TrustAnalysis, members: pd.DataFrame) -> tuple[int, int]:
    """Members above and below their own income group's fitted line."""
    above = below = 0
    for group, g in a.groups.items():
        part = members[members["group"] == group]
        if g.fit is None or part.empty:
            continue
        fitted = g.fit.intercept + g.fit.slope * part["trust_pct"]
        above += int((part["share"] > fitted).sum())
        below += int((part["share"] < fitted).sum())
    return above, below


def _region_numbers(a: TrustAnalysis) -> dict:
    region = a.region
    trust = latest_trust()
    surveyed = trust[trust["iso3"].isin(region.members)]
    members = a.data[a.data["in_region"]]
    above, below = _side_of_fit(a, members)
    world = float(trust["trust_pct"].median())
    if len(surveyed) == 0:
        sentence = (f"None of the {len(region.members)} economies in {region.name} was surveyed "
                    "on this question in waves five to seven, so the region cannot be placed on "
                    "this chart.")
        median = float("nan")
    elif region.is_world:
        median = float(surveyed["trust_pct"].median())
        sentence = (f"Across the {len(surveyed)} surveyed countries, the median share trusting "
                    f"people of another nationality is {median:.1f}%. Choose a region to see "
                    "where its members sit on the chart.")
    else:
        median = float(surveyed["trust_pct"].median())
        side = "above" if median > world else "below" if median < world else "equal to"
        sentence = (f"{len(surveyed)} of the {len(region.members)} economies in {region.name} "
                    f"were surveyed; their median share trusting people of another nationality "
                    f"is {median:.1f}%, {side} the median of all surveyed countries "
                    f"({world:.1f}%). {len(members)} of them also have the co-authorship share "
                    f"and appear in the figure")
        if above + below:
            sentence += (f": {above} sit above and {below} below the line fitted to their "
                         "income group, that is they co-author abroad more (above) or less "
                         "(below) than countries of that group with the same level of trust.")
        else:
            sentence += "."
    return {"trust_region_surveyed": len(surveyed), "trust_region_in_figure": len(members),
            "trust_region_median": median, "trust_region_above": above,
            "trust_region_below": below, "trust_region_sentence": sentence}


def figure_spec(a: TrustAnalysis) -> FigureSpec:
    """Caption, source and years of the trust scatter."""
    where = "" if a.region.is_world else (
        f" Economies in {a.region.name} are outlined and labelled.")
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
                 f"share{user}), coloured by "
                 f"income group, with separate OLS fits and {CONFIDENCE}% confidence bands for "
                 f"high-income and for low and middle income economies.{where}"),
        source=datasets.source_line("trust", "publication_counts"),
        data_years=f"articles {a.share_year}; surveys {years}",
    )


def figure(a: TrustAnalysis):
    """The Figure 3 scatter: (matplotlib figure, spec, plotted data)."""
    import matplotlib.pyplot as plt

    from ..figures import add_band, scatter_by_income

    spec = figure_spec(a)
    fig, ax = plt.subplots()
    for group, g in a.groups.items():
        if g.fit is not None:
            grid = np.linspace(g.data["trust_pct"].min(), g.data["trust_pct"].max(), 100)
            add_band(ax, g.fit.band(grid), GROUP_COLOURS[group], f"{group}: OLS fit")
    scatter_by_income(ax, a.data, "trust_pct", "share", highlight=not a.region.is_world)
    ax.set_xlabel("Trust people of another nationality (% of respondents)")
    ax.set_ylabel("Foreign share of whole-count credit (%)")
    ax.set_title(spec.title)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3)
    columns = ["iso3", "name", "income_group", "group", "in_region", "trust_pct", "wave", "year",
               "studies", "share", "whole"]
    return fig, spec, a.data[columns].assign(share_year=a.share_year)
