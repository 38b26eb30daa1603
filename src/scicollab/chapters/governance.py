"""Governance: who performs R&D, and how open the world's research output is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from .. import datasets, regions
from ..figures import OKABE_ITO, FigureSpec
from ..measures.names import names
from ..regions import Region
from ..report import MIN_FOR_MEDIAN, Numbers, count, csv_table, ordinal

TABLE = "governance-considerations.csv"
SECTORS = ["business", "government", "higher_education", "private_nonprofit"]
SECTOR_LABELS = {"business": "Business", "government": "Government",
                 "higher_education": "Higher education", "private_nonprofit": "Private non-profit"}
SECTOR_COLOURS = {"business": OKABE_ITO["blue"], "government": OKABE_ITO["orange"],
                  "higher_education": OKABE_ITO["green"],
                  "private_nonprofit": OKABE_ITO["purple"]}


def performing_sectors() -> pd.DataFrame:
    """Share of GERD performed by each sector, one row per economy (NCSES, 2021 or latest)."""
    funding = datasets.load("rd_funding")
    perf = funding[funding["category"] == "performing_sector"]
    wide = perf.pivot(index=["iso3", "year"], columns="sector", values="value").reset_index()
    wide.columns.name = None
    wide = wide.dropna(subset=["business", "government", "higher_education"], how="all")
    wide["name"] = wide["iso3"].map(names())
    return wide.sort_values("business", ascending=False).reset_index(drop=True)


@dataclass
class AccessNumbers:
    """The world's open-access trend (``gov_oa_*``)."""

    year_first: int
    year_last: int
    share_first: float
    share_last: float
    peak_year: int
    peak_share: float
    open_growth: float
    closed_growth: float
    region_sentence: str


@dataclass
class GovernanceNumbers(Numbers):
    """The numbers and sentences the chapter's prose shows, glued as ``gov_<field>``."""

    PREFIX: ClassVar[str] = "gov"
    economies: int
    year_first: int
    year_last: int
    on_last: int
    business_median: float
    government_median: float
    higher_median: float
    scope: str
    table: str
    oa: AccessNumbers
    region_sentence: str


@dataclass
class Governance:
    """What the chapter shows for one region."""

    region: Region
    sectors: pd.DataFrame
    access: pd.DataFrame
    numbers: GovernanceNumbers | None = None


def open_access() -> pd.DataFrame:
    """World articles in closed and open access by year, with the open share (NCSES 10002)."""
    return datasets.load("open_access")


def _access_numbers(access: pd.DataFrame, region: Region) -> AccessNumbers:
    first, last = access.iloc[0], access.iloc[-1]
    peak = access.loc[access["open_share"].idxmax()]
    return AccessNumbers(
        year_first=int(first["year"]), year_last=int(last["year"]),
        share_first=float(first["open_share"]), share_last=float(last["open_share"]),
        peak_year=int(peak["year"]), peak_share=float(peak["open_share"]),
        open_growth=float(last["open_access"] / first["open_access"]),
        closed_growth=float(last["closed_access"] / first["closed_access"]),
        region_sentence=(
            "These are world totals, the only level at which NCSES publishes the breakdown by "
            "access type." if region.is_world else
            f"NCSES publishes the breakdown by access type for the world as a whole only, so "
            f"the open share of {region.in_prose} on its own cannot be shown from this source; "
            "it is one more of the gaps in the data that the policy report regrets."))


def analyse(region_name: str) -> Governance:
    """Performing-sector shares, world and region; the world's open-access trend."""
    region = regions.resolve(region_name)
    sectors = performing_sectors().assign(
        in_region=lambda f: f["iso3"].isin(region.members))
    members = sectors[sectors["in_region"]]
    last = int(sectors["year"].max())
    access = open_access()
    result = Governance(region, sectors, access)
    result.numbers = GovernanceNumbers(
        economies=len(sectors), year_first=int(sectors["year"].min()), year_last=last,
        on_last=int((sectors["year"] == last).sum()),
        business_median=float(sectors["business"].median()),
        government_median=float(sectors["government"].median()),
        higher_median=float(sectors["higher_education"].median()),
        scope=("across the economies NCSES covers" if region.is_world
               else f"in {region.in_prose}"),
        table=_table_markdown(), oa=_access_numbers(access, region),
        region_sentence=region_sentence(region, sectors, members))
    return result


def _shares(row: pd.Series) -> str:
    return f"{row['business']:z.1f}% and {row['government']:z.1f}% ({int(row['year'])})"


def region_sentence(region: Region, sectors: pd.DataFrame, members: pd.DataFrame) -> str:
    """Where business and government perform R&D in the region: medians from five members,
    each member's shares named below that; for the world, the extremes."""
    if region.is_world:
        top, bottom = sectors.iloc[0], sectors.iloc[-1]
        return (f"Business performs the largest share in {top['name']} "
                f"({top['business']:z.1f}%, {int(top['year'])}) and the smallest in "
                f"{bottom['name']} ({bottom['business']:z.1f}%, {int(bottom['year'])}).")
    if region.is_economy:
        name = region.in_prose
        if members.empty:
            return (f"NCSES does not report R&D by performing sector for {name}; it covers "
                    f"{len(sectors)} economies, mainly OECD members.")
        row = members.iloc[0]
        rank = int((sectors["business"] > row["business"]).sum()) + 1
        return (f"In {name}, business performs {row['business']:z.1f}% of R&D and government "
                f"{row['government']:z.1f}% ({int(row['year'])}); its business share is the "
                f"{ordinal(rank)} largest of the {len(sectors)} economies NCSES covers (median "
                f"{sectors['business'].median():z.1f}%).")
    if members.empty:
        return (f"NCSES does not report R&D by performing sector for any economy in "
                f"{region.in_prose}.")
    total = len(region.members)
    if len(members) == 1:
        row = members.iloc[0]
        return (f"{row['name']} is the only one of the {count(total, 'member')} of "
                f"{region.in_prose} that NCSES covers: business performs "
                f"{row['business']:z.1f}% of its R&D and government {row['government']:z.1f}% "
                f"({int(row['year'])}).")
    covered = (f"NCSES covers all {total} members of {region.in_prose}"
               if len(members) == total else
               f"NCSES covers {len(members)} of the {total} members of {region.in_prose}")
    if len(members) < MIN_FOR_MEDIAN:
        listed = "; ".join(f"{r['name']} {_shares(r)}"
                           for _, r in members.sort_values("name").iterrows())
        return (f"{covered}. Share of R&D performed by business and by government, each "
                f"member's latest year: {listed}.")
    lead = members.iloc[0]
    return (f"{covered}. In the median of these economies business performs "
            f"{members['business'].median():z.1f}% of R&D and government "
            f"{members['government'].median():z.1f}%; {lead['name']} has the largest business "
            f"share ({lead['business']:z.1f}%).")


def _table_markdown() -> str:
    return csv_table(TABLE, {"consideration": "Consideration", "why_it_matters": "Why it matters"})


def figure(g: Governance):
    """Stacked bars: share of GERD performed by each sector, for the region's members or all."""
    import matplotlib.pyplot as plt

    from ..figures import percent_axis

    data = g.sectors if g.region.is_world or not g.sectors["in_region"].any() else \
        g.sectors[g.sectors["in_region"]]
    first, last = int(data["year"].min()), int(data["year"].max())
    spec = FigureSpec(
        id=f"governance-sectors-{g.region.slug}",
        title="Who performs R&D?",
        caption=("Share of gross domestic expenditure on R&D performed by each sector, for "
                 + ("the economies NCSES covers" if g.region.is_world else
                    g.region.in_prose if g.region.is_economy and g.sectors["in_region"].any()
                    else f"the members of {g.region.in_prose} that NCSES covers"
                    if g.sectors["in_region"].any() else
                    f"every economy NCSES covers (it does not cover {g.region.in_prose})"
                    if g.region.is_economy else
                    f"every economy NCSES covers (it covers no member of {g.region.in_prose})")
                 + ", ordered by the business share."),
        source=datasets.source_line("rd_funding"),
        data_years=(f"{first if first == last else f'{first}–{last}'} "
                    "(each economy's latest year)"))
    fig, ax = plt.subplots(figsize=(7.5, max(2.5, 0.22 * len(data) + 1.2)))
    left = pd.Series(0.0, index=data.index)
    for sector in SECTORS:
        values = data[sector].fillna(0)
        ax.barh(data["name"], values, left=left, color=SECTOR_COLOURS[sector],
                label=SECTOR_LABELS[sector])
        left = left + values
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=8)
    ax.set_xlim(0, 100)
    percent_axis(ax, "x")
    ax.set_xlabel("Share of GERD performed")
    ax.set_title(spec.title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.5 / ax.figure.get_figheight()),
              ncol=2)
    return fig, spec, data[["iso3", "name", "year", *SECTORS, "in_region"]]


def access_figure(g: Governance):
    """World articles by access status (stacked, millions) beside the open share (%)."""
    import matplotlib.pyplot as plt

    from ..figures import percent_axis

    data = g.access
    first, last = int(data["year"].min()), int(data["year"].max())
    spec = FigureSpec(
        id=f"governance-open-access-{g.region.slug}",
        title="How much of the world's research output is open?",
        caption=("Science and engineering articles worldwide whose access status is known, "
                 "in closed access and in any form of open access (Gold, Green, hybrid or "
                 "bronze), and the open share. World totals: NCSES gives no breakdown by "
                 "country."),
        source=datasets.source_line("open_access"), data_years=f"{first}–{last}")
    fig, (counts, share) = plt.subplots(1, 2, figsize=(7.5, 3.4))
    closed, opened = data["closed_access"] / 1e6, data["open_access"] / 1e6
    counts.stackplot(data["year"], closed, opened, labels=["Closed access", "Open access"],
                     colors=[OKABE_ITO["grey"], OKABE_ITO["green"]], linewidth=0)
    counts.set_ylabel("Articles (millions)")
    counts.set_title("Articles by access status")
    counts.legend(loc="upper left")
    share.plot(data["year"], data["open_share"], color=OKABE_ITO["green"], linewidth=2)
    share.set_ylim(0, 100)
    percent_axis(share, "y")
    share.set_ylabel("Open access (share of articles)")
    share.set_title("Open-access share")
    for ax in (counts, share):
        ax.set_xlim(first, last)
    fig.suptitle(spec.title, fontsize=11, fontweight="bold")
    fig.tight_layout()
    return fig, spec, data[["year", "closed_access", "open_access", "known_status",
                            "open_share"]]


def explore_access(data: pd.DataFrame):
    """The interactive version of :func:`access_figure`: articles by access status and the open
    share, one line each (hover gives the year and the value)."""
    from .. import interactive

    long = pd.concat([
        data.assign(series="Closed access (articles)", value=data["closed_access"]),
        data.assign(series="Open access (articles)", value=data["open_access"]),
    ])[["year", "series", "value"]]
    return interactive.lines(long, "year", "value", "series", x_title="Publication year",
                             y_title="Articles", colours={
                                 "Closed access (articles)": OKABE_ITO["grey"],
                                 "Open access (articles)": OKABE_ITO["green"]})
