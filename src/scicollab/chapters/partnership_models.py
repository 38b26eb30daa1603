"""Partnership models: is a country's co-authorship concentrated on one partner or spread?"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from .. import datasets, models, regions
from ..figures import CONTEXT_GREY, OKABE_ITO, FigureSpec
from ..measures import openalex
from ..measures.names import names
from ..models import CONFIDENCE
from ..regions import Region, the_country
from ..report import (
    MIN_FOR_MEDIAN,
    Numbers,
    capitalised,
    count,
    csv_table,
    framed,
    its_members,
    marked_and_named,
    name_list,
    ordinal,
    possessive,
    shows_members,
)

TABLE = "partnership_models-models.csv"
BASE = 2000
MIN_LINKS = 100  # links (works counted per partner) a country needs in both years


def top_partner_share(year: int) -> pd.DataFrame:
    """Per country and year: its top partner and that partner's share of all its links."""
    both = openalex.directed_pairs()
    both = both[both["year"] == year]
    totals = both.groupby("iso3")["works"].sum().rename("links")
    top = both.sort_values(["iso3", "works", "partner"], ascending=[True, False, True])
    top = top.groupby("iso3").first().join(totals)
    top["top_share"] = 100 * top["works"] / top["links"]
    return top.reset_index()[["iso3", "partner", "works", "links", "top_share"]]


def concentration() -> pd.DataFrame:
    """Top-partner share in BASE and in the latest year for countries with enough links."""
    last = int(openalex.pairs()["year"].max())
    early = top_partner_share(BASE)
    late = top_partner_share(last)
    frame = early.merge(late, on="iso3", suffixes=("_base", "_last"))
    frame = frame[(frame["links_base"] >= MIN_LINKS) & (frame["links_last"] >= MIN_LINKS)]
    label = names()
    frame = frame.assign(name=frame["iso3"].map(label),
                         top_partner=frame["partner_last"].map(label), last_year=last)
    return frame.reset_index(drop=True)


@dataclass
class ModelsNumbers(Numbers):
    """The numbers and sentences the chapter's prose shows, glued as ``mod_<field>``."""

    PREFIX: ClassVar[str] = "mod"
    base: int
    last: int
    min_links: int
    countries: int
    diversified: int
    median_base: float
    median_last: float
    table: str
    world_sentence: str
    intro_scope: str
    region_sentence: str
    coverage_sentence: str


@dataclass
class Models:
    """What the chapter shows for one region."""

    region: Region
    data: pd.DataFrame
    numbers: ModelsNumbers | None = None


def analyse(region_name: str) -> Models:
    """Concentration on the top partner then and now, world and region."""
    region = regions.resolve(region_name)
    data = concentration().assign(in_region=lambda f: f["iso3"].isin(region.members))
    last = int(data["last_year"].iloc[0])
    diversified = data["top_share_last"] < data["top_share_base"]
    result = Models(region, data)
    result.numbers = ModelsNumbers(
        base=BASE, last=last, min_links=MIN_LINKS, countries=len(data),
        diversified=int(diversified.sum()),
        median_base=float(data["top_share_base"].median()),
        median_last=float(data["top_share_last"].median()), table=_table_markdown(),
        world_sentence=("collaboration has moved from single main partners towards "
                        "many-partner networks" if diversified.mean() > 0.5 else
                        "most countries have not spread their collaboration more widely"),
        intro_scope=("for every country" if region.is_world else
                     f"for every country and for {its_members(region)}"),
        region_sentence=_region_sentence(region, data, last),
        coverage_sentence=coverage_sentence(data))
    return result


def coverage_sentence(data: pd.DataFrame) -> str:
    """Tests the explanation that OpenAlex's growing coverage, by adding small partners, lowers
    the top partner's share: if it did, the countries whose links grew most would have spread
    their links most (a negative correlation of link growth with the change in share)."""
    import numpy as np

    growth = np.log10(data["links_last"] / data["links_base"])
    change = data["top_share_last"] - data["top_share_base"]
    try:
        test = models.correlation_test(growth, change)
    except models.InsufficientData:
        return ("Too few countries to test whether OpenAlex's growing coverage explains the "
                "change.")
    text = (f"If OpenAlex's growing coverage alone spread links more widely (more indexed works "
            "bring in more, smaller partners), the countries whose links grew most would have "
            "lost most of their top-partner share. Across the "
            f"{test.n} countries, the correlation of link growth (log) with the change in "
            f"top-partner share is r = {test.r:z.2f} ({CONFIDENCE}% CI {test.low:z.2f} to "
            f"{test.high:z.2f})")
    if test.p_value < models.ALPHA and test.r < 0:
        return text + ": consistent with coverage doing part of the work."
    return text + (": no clear relationship, so growing coverage does not account for the "
                   "spread, though it cannot be ruled out for single countries.")


def _top_partner_sentence(members: pd.DataFrame, region: Region, who: str) -> str:
    """The most common top partner among ``members``, with ties and 'other members' handled."""
    common = members["partner_last"].value_counts()
    leaders = sorted(common[common == common.iloc[0]].index)
    label = names()
    inside = [iso3 for iso3 in leaders if iso3 in region.members]
    pool = len(members) - (1 if inside and len(leaders) == 1 else 0)
    other = "other " if inside and len(leaders) == 1 else ""
    of = (f"all {pool} {other}{who}" if common.iloc[0] == pool else
          f"{common.iloc[0]} of the {pool} {other}{who}")
    leading = name_list([the_country(label[i]) for i in leaders])
    year = int(members["last_year"].iloc[0])
    if len(leaders) == 1:
        return f"The most common top partner in {year} was {leading}, for {of}."
    return (f"No single partner leads: {leading} are each the top partner of {common.iloc[0]} "
            f"of the {len(members)} {who}.")


def _region_sentence(region: Region, data: pd.DataFrame, last: int) -> str:
    if region.is_world:
        return ("This is the world edition, so the figures above are the world's. "
                + _top_partner_sentence(data, region, "countries"))
    members = data[data["in_region"]]
    if region.is_economy:
        return economy_text(region, data, last)
    if members.empty:
        return (f"None of the economies of {region.in_prose} has at least {MIN_LINKS} "
                f"co-authorship links in both {BASE} and {last}.")
    label = names()
    if len(members) < MIN_FOR_MEDIAN:
        each = []
        for _, row in members.sort_values("links_last", ascending=False).iterrows():
            base = the_country(label[row["partner_base"]])
            now = the_country(label[row["partner_last"]])
            partner = (f"top partner {now} in both years" if base == now else
                       f"top partner {base} in {BASE}, {now} in {last}")
            each.append(f"{the_country(row['name'])} from {row['top_share_base']:z.1f}% to "
                        f"{row['top_share_last']:z.1f}% ({partner})")
        lead = (f"For the {count(len(members), 'economy')} of {region.in_prose} with enough "
                if len(members) > 1 else
                f"For the one economy of {region.in_prose} with enough ")
        return (lead + "links, the share of each one's links that went to its top partner "
                f"moved as follows between {BASE} and {last}: {name_list(each)}.")
    spread = int((members["top_share_last"] < members["top_share_base"]).sum())
    return (f"Across the {count(len(members), 'economy')} of {region.in_prose} with enough "
            f"links, the median top-partner share went from "
            f"{members['top_share_base'].median():z.1f}% in {BASE} to "
            f"{members['top_share_last'].median():z.1f}% in {last}, and "
            f"{'all' if spread == len(members) else spread} of them spread their links more "
            "widely. " + _top_partner_sentence(members, region, "members"))


def economy_text(region: Region, data: pd.DataFrame, last: int) -> str:
    """One economy's concentration on its top partner then and now, its rank, and its largest
    partners."""
    iso3 = region.members[0]
    name = region.in_prose
    partners = openalex.top_partners_sentence(iso3, last)
    mine = data[data["iso3"] == iso3]
    if mine.empty:
        links = {year: int(openalex.links_of(iso3, year)["works"].sum()) for year in (BASE, last)}
        few = name_list([f"{count(n, 'link')} in {year}" for year, n in links.items()
                         if n < MIN_LINKS])
        return (f"{capitalised(name)} had {few}, fewer than the {MIN_LINKS} a stable "
                f"top-partner share needs in both years. {partners}")
    row = mine.iloc[0]
    label = names()
    ranked = int((data["top_share_last"] > row["top_share_last"]).sum()) + 1
    return (f"In {BASE}, {row['top_share_base']:z.1f}% of {possessive(name)} co-authorship "
            "links were with "
            f"its top partner, {the_country(label[row['partner_base']])}; in {last}, "
            f"{row['top_share_last']:z.1f}% were with {the_country(label[row['partner_last']])}"
            f". Its collaboration is the {ordinal(ranked)} most concentrated of the {len(data)} "
            f"countries compared (most concentrated first). {partners}")


def _table_markdown() -> str:
    return csv_table(TABLE, {
        "model": "Model",
        "structure": "Structure",
        "typical_scope": "Typical scope",
    })


def figure(m: Models):
    """Top-partner share now against then; below the diagonal means more diversified."""
    import matplotlib.pyplot as plt
    import numpy as np
    import seaborn as sns

    from ..figures import outliers, percent_axis, pick_labels
    from ..labels import label_points

    data = m.data
    last = int(data["last_year"].iloc[0])
    highlight = shows_members(m.region, data)
    spec = FigureSpec(
        id=f"partnership-models-{m.region.slug}",
        title="One main partner or many?",
        caption=(f"Each point is a country with at least {MIN_LINKS} co-authorship links in both "
                 f"years: the share of its links (works counted once per partner country) that "
                 f"are with its single largest partner, {BASE} against {last}; points below the "
                 "diagonal spread their collaboration more widely."
                 + marked_and_named(m.region, highlight, "in colour",
                                    "the countries with most links")),
        source=datasets.source_line("openalex_pairs"), data_years=f"{BASE} and {last}")
    fig, ax = plt.subplots(figsize=(6.4, 5.6))
    ax.plot([0, 100], [0, 100], color=OKABE_ITO["grey"], linestyle="--", linewidth=1,
            label="Same share in both years")
    plotted = data.assign(where=np.where(data["in_region"] | (not highlight),
                                         m.region.name if highlight else "Economies",
                                         "Other economies"))
    order = [m.region.name, "Other economies"] if highlight else ["Economies"]
    ax.set_xlabel(f"Share of links with the top partner, {BASE}")
    ax.set_ylabel(f"Share of links with the top partner, {last}")
    sns.scatterplot(data=plotted, x="top_share_base", y="top_share_last", hue="where",
                    hue_order=[o for o in order if o in set(plotted["where"])],
                    palette={m.region.name: OKABE_ITO["blue"], "Economies": OKABE_ITO["blue"],
                             "Other economies": CONTEXT_GREY},
                    s=30, linewidth=0.4, edgecolor="white", ax=ax, zorder=3)
    named = pick_labels(data, size="links_last", top=6, highlight=highlight,
                        extra=outliers(data, "top_share_base", "top_share_last", k=4))
    label_points(ax, named, "top_share_base", "top_share_last")
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    percent_axis(ax, "x")
    percent_axis(ax, "y")
    ax.set_title(spec.title)
    ax.legend(loc="upper left", title=None)
    data = data.assign(labelled=data["iso3"].isin(named["iso3"]))
    return fig, spec, data


TOP_PARTNERS_SHOWN = 6  # the map names this many top partners; the rest are "another economy"


def partner_map(m: Models):
    """World map of each economy's top co-authorship partner in the latest year: figure, spec,
    data."""
    from .. import maps

    last = int(m.data["last_year"].iloc[0])
    label = names()
    top = top_partner_share(last)
    top = top[top["links"] >= MIN_LINKS]
    top = top.assign(name=top["iso3"].map(label), partner_name=top["partner"].map(label),
                     year=last, in_region=top["iso3"].isin(m.region.members))
    common = list(top["partner_name"].value_counts().head(TOP_PARTNERS_SHOWN).index)
    other = "Another economy"
    top["shown"] = top["partner_name"].where(top["partner_name"].isin(common), other)
    order = [*common, other]
    data = top[["iso3", "name", "in_region", "year", "partner", "partner_name", "top_share",
                "links", "shown"]]
    members = () if m.region.is_world else m.region.members
    spec = FigureSpec(
        id=f"map-top-partner-{m.region.slug}",
        title="Each economy's main research partner",
        caption=(f"The partner country with which each economy (at least {MIN_LINKS} "
                 f"co-authorship links) shares most works in {last}; the "
                 f"{TOP_PARTNERS_SHOWN} most common partners have their own colour, the others "
                 "are grouped; grey land has too few links."
                 + framed(m.region)),
        source=datasets.source_line("openalex_pairs"), data_years=str(last))
    fig = maps.static_category_map(data, "shown", order, spec.title, members=members,
                                   colours=partner_colours(order))
    return fig, spec, data


def explore_partner_map(data: pd.DataFrame, region: Region):
    """The interactive version of :func:`partner_map`."""
    from .. import maps

    shown = set(data["shown"])
    order = [*[c for c in data["partner_name"].value_counts().index if c in shown],
             "Another economy"]
    return maps.interactive_category_map(
        data, "shown", order,
        [("partner_name", "Top partner", ""), ("top_share", "Share of links (%)", ":.1f"),
         ("links", "Links", ":,.0f"), ("year", "Year", "")],
        members=() if region.is_world else region.members,
        colours=partner_colours(order))


def partner_colours(order: list[str]) -> dict[str, str]:
    """The palette for the named partners, grey for 'Another economy' (always last)."""
    from .. import maps

    return {**maps.category_colours(order[:-1]), order[-1]: OKABE_ITO["grey"]}


def explore(data: pd.DataFrame, region: Region):
    """The interactive version of :func:`figure`."""
    from .. import interactive

    shown = data.assign(where="Economies")
    return interactive.scatter(
        shown, "top_share_base", "top_share_last", group=None,
        x_title=f"Share of links with the top partner, {BASE} (%)",
        y_title=f"Share of links with the top partner, {int(data['last_year'].iloc[0])} (%)",
        hover=[("top_partner", "Top partner now", ""),
               ("top_share_base", f"Share {BASE} (%)", ":.1f"),
               ("top_share_last", "Share now (%)", ":.1f")],
        highlight=shows_members(region, data), percent_x=True, percent_y=True)
