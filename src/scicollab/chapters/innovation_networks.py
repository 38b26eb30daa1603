"""Innovation networks and alliances: North American links, and any region's internal links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from .. import datasets, regions
from ..figures import OKABE_ITO, FigureSpec
from ..measures import openalex
from ..regions import Region
from ..report import Numbers, book_table, capitalised, csv_table, name_list

TABLE = "innovation_networks-initiatives.csv"
LINKS = {("CAN", "USA"): "United States – Canada", ("MEX", "USA"): "United States – Mexico",
         ("CAN", "MEX"): "Canada – Mexico"}


def north_american_links() -> pd.DataFrame:
    """Works co-authored within each USMCA pair, by year (OpenAlex)."""
    rows = [openalex.link(a, b).assign(a=a, b=b, link=label) for (a, b), label in LINKS.items()]
    return pd.concat(rows, ignore_index=True)


def ncses_links() -> pd.DataFrame:
    """Articles co-authored within each USMCA pair in NCSES's two years."""
    pairs = datasets.load("ncses_pairs")
    keys = pd.Series([LINKS.get((a, b)) for a, b in zip(pairs["a"], pairs["b"], strict=True)])
    found = pairs.assign(link=keys.to_numpy()).dropna(subset=["link"])
    return found.pivot(index="link", columns="year", values="articles").reset_index()


@dataclass
class NetworksNumbers(Numbers):
    """The numbers and sentences the chapter's prose shows, glued as ``net_<field>``."""

    PREFIX: ClassVar[str] = "net"
    first: int
    last: int
    us_can_growth: float
    us_mex_growth: float
    can_mex_growth: float
    us_can_last: str
    us_mex_last: str
    openalex_sentence: str
    ncses: str
    ranking_sentence: str
    timing_caveat: str
    table: str
    intro_region: str
    region_sentence: str


@dataclass
class Networks:
    """What the chapter shows for one region."""

    region: Region
    links: pd.DataFrame
    numbers: NetworksNumbers | None = None


def _growth(links: pd.DataFrame, first: int, last: int) -> dict[str, float]:
    growth = {}
    for label, part in links.groupby("link", sort=False):
        series = part.set_index("year")["works"]
        growth[label] = float(series.get(last, float("nan")) / series.get(first, float("nan")))
    return growth


def _ranked(values: dict[str, float]) -> str:
    order = sorted(values, key=values.get, reverse=True)
    return name_list([f"{label} {values[label]:z.1f}-fold" for label in order])


def ranking_sentence(links: pd.DataFrame, ncses: pd.DataFrame, first: int, last: int) -> str:
    """How the three links rank by size and by growth in OpenAlex and NCSES, from the data."""
    ncses = ncses.set_index("link")
    n_first, n_last = int(min(c for c in ncses.columns)), int(max(c for c in ncses.columns))
    size_oa = {label: float(part.loc[part["year"] == n_last, "works"].sum())
               for label, part in links.groupby("link", sort=False)}
    size_ncses = {label: float(ncses.loc[label, n_last]) for label in size_oa}
    grow_oa = _growth(links, n_first, n_last)
    grow_ncses = {label: float(ncses.loc[label, n_last] / ncses.loc[label, n_first])
                  for label in size_oa}

    def order(values: dict[str, float]) -> list[str]:
        return sorted(values, key=values.get, reverse=True)

    same_size = order(size_oa) == order(size_ncses)
    grow_oa_order, grow_ncses_order = order(grow_oa), order(grow_ncses)
    if grow_oa_order == grow_ncses_order:
        agree = "The growth ranking is the same in both."
    elif grow_oa_order[0] == grow_ncses_order[0]:
        agree = (f"Both put {grow_oa_order[0]} first, but they order the other links "
                 "differently.")
    else:
        agree = "They disagree on which link grew fastest."
    ratios = [size_ncses[k] / size_oa[k] for k in size_oa]
    return (f"By size in {n_last} the two sources rank the links "
            + (f"the same way: {name_list(order(size_oa))}." if same_size else
               f"differently: OpenAlex {name_list(order(size_oa))}; NCSES "
               f"{name_list(order(size_ncses))}.")
            + f" By growth over NCSES's years, {n_first} to {n_last}, OpenAlex has "
            f"{_ranked(grow_oa)}; NCSES has {_ranked(grow_ncses)}. {agree} NCSES's counts for "
            f"{n_last} are {100 * min(ratios):z.0f}–{100 * max(ratios):z.0f}% of OpenAlex's "
            "(Scopus articles rather than all works) and grow more slowly.")


def timing_caveat(last: int) -> str:
    """Which initiatives are too recent for these data to show anything, from the table."""
    table = book_table(TABLE)
    dated = table[table["started"].astype(str).str.fullmatch(r"\d{4}")].assign(
        started=lambda f: f["started"].astype(int))
    after = dated[dated["started"] > last]
    recent = dated[(dated["started"] <= last) & (dated["started"] > last - 5)]
    parts = [f"{row.initiative} was formalised in {row.started}, after the last year of these "
             f"data ({last}), so no effect can be seen in them yet"
             for row in after.itertuples()]
    if len(recent):
        named = name_list([f"{row.initiative} ({row.started})"
                                for row in recent.itertuples()])
        parts.append(f"{named} leave only a few years of data after "
                     f"{'it' if len(recent) == 1 else 'them'}")
    return ("Of the alliances listed, " + "; ".join(parts) + ".") if parts else ""


def analyse(region_name: str) -> Networks:
    """North American links over time, and the region's inside vs outside links."""
    region = regions.resolve(region_name)
    links = north_american_links()
    first, last = 2000, int(links["year"].max())
    growth = _growth(links, first, last)
    ncses = ncses_links()
    size = {label: float(part.loc[part["year"] == last, "works"].sum())
            for label, part in links.groupby("link", sort=False)}
    result = Networks(region, links)
    result.numbers = NetworksNumbers(
        first=first, last=last,
        us_can_growth=growth["United States – Canada"],
        us_mex_growth=growth["United States – Mexico"],
        can_mex_growth=growth["Canada – Mexico"],
        us_can_last=_works(links, "United States – Canada", last),
        us_mex_last=_works(links, "United States – Mexico", last),
        openalex_sentence=_openalex_sentence(size, growth, first, last),
        ncses="; ".join(f"{link}: {int(row[2003]):,} articles in 2003 and "
                        f"{int(row[2022]):,} in 2022"
                        for link, row in ncses.set_index("link").iterrows()),
        ranking_sentence=ranking_sentence(links, ncses, first, last),
        timing_caveat=timing_caveat(last), table=_table_markdown(),
        intro_region=intro_region(region), region_sentence=region_sentence(region, last))
    return result


def intro_region(region: Region) -> str:
    """What the chapter adds for the selected region, as its introduction says it."""
    if region.is_world:
        return ("A region's edition also shows how much of its members' co-authorship stays "
                "inside the region.")
    if region.is_economy:
        return f"It also names the largest research partners of {region.in_prose}."
    return ("It also shows how much of the co-authorship of the members of "
            f"{region.in_prose} stays inside the region.")


def region_sentence(region: Region, last: int) -> str:
    """How much of the members' co-authorship stays inside the region in ``last``; for an
    economy, its largest partners and its links with the USMCA countries."""
    if region.is_world:
        return ("For the world as a whole every link is internal; a region's edition shows "
                "here how much of its members' co-authorship stays inside the region.")
    if region.is_economy:
        name = region.in_prose
        text = openalex.top_partners_sentence(region.members[0], last)
        usmca = [m for m in LINK_MEMBERS if m != region.members[0]]
        if region.members[0] in LINK_MEMBERS:
            text += (f" {capitalised(name)} is one of the three USMCA countries whose links are "
                     "drawn above.")
        elif usmca:
            text += " " + usmca_share_sentence(region.members[0], last)
        return text
    inside = openalex.inside_outside(openalex.pairs(), region.members, last)
    if inside.empty:
        return (f"No co-authorship links were recorded for the economies of {region.in_prose} "
                f"in {last}.")
    share = 100 * inside["inside"].sum() / inside["links"].sum()
    return (f"In {last}, {share:z.1f}% of the co-authorship links of the members of "
            f"{region.in_prose} (works counted once per partner country) were with other "
            "members; the rest were with partners elsewhere.")


LINK_MEMBERS = ("CAN", "MEX", "USA")


def usmca_share_sentence(iso3: str, year: int) -> str:
    """How much of an economy's co-authorship links go to the three USMCA countries."""
    links = openalex.directed_pairs()
    mine = links[(links["iso3"] == iso3) & (links["year"] == year)]
    if mine.empty:
        return ""
    share = 100 * mine.loc[mine["partner"].isin(LINK_MEMBERS), "works"].sum() / mine[
        "works"].sum()
    return (f"Of its links in {year}, {share:z.1f}% are with the three USMCA countries "
            "together.")


def _openalex_sentence(size: dict[str, float], growth: dict[str, float], first: int,
                       last: int) -> str:
    by_size = sorted(size, key=size.get, reverse=True)
    parts = [f"{by_size[0]} ({size[by_size[0]]:z,.0f} works, {growth[by_size[0]]:z.1f}-fold since "
             f"{first})"] + [f"{label} ({size[label]:z,.0f}, {growth[label]:z.1f}-fold)"
                             for label in by_size[1:]]
    fastest = max(growth, key=growth.get)
    which = ("the smallest link grew fastest" if fastest == by_size[-1] else
             "the largest link grew fastest" if fastest == by_size[0] else
             f"{fastest} grew fastest")
    return f"Ranked by size in {last}: {name_list(parts)}; {which}."


def _works(links: pd.DataFrame, label: str, year: int) -> str:
    found = links[(links["link"] == label) & (links["year"] == year)]["works"]
    return f"{int(found.iloc[0]):,}" if len(found) else "–"


def _table_markdown() -> str:
    return csv_table(TABLE, {
        "initiative": "Initiative",
        "countries": "Countries",
        "focus": "Focus",
        "started": "Since",
    })


def figure(n: Networks):
    """Works co-authored within the three USMCA pairs over time."""
    import matplotlib.pyplot as plt

    from ..figures import lines, thousands_axis

    data = n.links
    spec = FigureSpec(
        id="innovation-networks-usmca",
        title="Research links among the United States, Canada and Mexico",
        caption="Works with authors from both countries of each USMCA pair, by publication year.",
        source=datasets.source_line("openalex_pairs"),
        data_years=f"{int(data['year'].min())}–{int(data['year'].max())}")
    fig, ax = plt.subplots(figsize=(7.5, 4.0))
    ax.set_ylabel("Co-authored works")
    ax.set_xlabel("Publication year")
    lines(ax, data, "year", "works", "link", _colours(data))
    thousands_axis(ax, "y")
    ax.set_title(spec.title)
    return fig, spec, data[["a", "b", "link", "year", "works"]]


def _colours(data: pd.DataFrame) -> dict[str, str]:
    """Each link's colour, in the figure and its interactive version alike."""
    order = list(dict.fromkeys(data["link"]))
    return dict(zip(order, [OKABE_ITO["blue"], OKABE_ITO["green"], OKABE_ITO["orange"]],
                    strict=False))


def explore(data: pd.DataFrame):
    """The interactive version of :func:`figure`."""
    from .. import interactive

    return interactive.lines(data, "year", "works", "link", x_title="Publication year",
                             y_title="Co-authored works", colours=_colours(data))
