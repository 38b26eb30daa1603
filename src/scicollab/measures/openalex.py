"""OpenAlex's internationally co-authored works and country pairs: growth, links, top partners,
the United States–China link, and how OpenAlex's growth compares with NCSES's."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .. import datasets, panels, verdicts
from ..regions import the_country
from ..report import capitalised, count, name_list, possessive
from .names import names

BASE_YEAR = 2000  # growth and top-partner changes are counted from this year
SHOWN_PARTNERS = 5  # an economy's top partners named in its edition


@lru_cache(maxsize=1)
def _pairs() -> pd.DataFrame:
    return datasets.load("openalex_pairs")


def pairs() -> pd.DataFrame:
    """OpenAlex works per country pair and year (a < b), loaded once per process."""
    return _pairs().copy()


def growth(frame: pd.DataFrame, start: int, end: int, column: str) -> pd.DataFrame:
    """Each country's value in ``end`` divided by its value in ``start`` (both must exist)."""
    wide = frame[frame["year"].isin([start, end])].pivot(index="iso3", columns="year",
                                                        values=column)
    wide = wide.dropna()
    wide = wide[wide[start] > 0]
    out = pd.DataFrame({"iso3": wide.index, "start": wide[start].to_numpy(),
                        "end": wide[end].to_numpy()})
    out["ratio"] = out["end"] / out["start"]
    return out.reset_index(drop=True)


def inside_outside(pair_frame: pd.DataFrame, members: tuple[str, ...], year: int) -> pd.DataFrame:
    """Per member with a link in ``year``: works with partners inside and outside the region,
    and the inside share; members in their order, then by links, most first."""
    year_pairs = pair_frame.loc[pair_frame["year"] == year, ["a", "b", "works"]]
    ends = pd.concat([  # each link from both of its ends (a pair is two countries, a < b)
        year_pairs.rename(columns={"a": "iso3", "b": "partner"}),
        year_pairs.rename(columns={"b": "iso3", "a": "partner"})], ignore_index=True)
    ends = ends[ends["iso3"].isin(members)]
    ends["inside"] = ends["works"].where(ends["partner"].isin(members), 0)
    sums = ends.groupby("iso3", sort=False)[["inside", "works"]].sum()
    sums = sums.reindex([iso3 for iso3 in members if iso3 in sums.index])
    rows = [{"iso3": iso3, "inside": int(inside), "outside": int(works - inside),
             "links": int(works)}
            for iso3, inside, works in zip(sums.index, sums["inside"], sums["works"],
                                           strict=True)]
    frame = pd.DataFrame(rows, columns=["iso3", "inside", "outside", "links"])
    frame["inside_share"] = frame["inside"] / frame["links"]
    return frame.sort_values("links", ascending=False).reset_index(drop=True)


def us_china() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The US–China link: OpenAlex works by year, and NCSES articles in its two years."""
    oa, ncses = _us_china()
    return oa.copy(), ncses.copy()


@lru_cache(maxsize=1)
def _us_china() -> tuple[pd.DataFrame, pd.DataFrame]:
    oa = link("CHN", "USA")
    ncses = datasets.load("ncses_pairs")
    ncses = ncses[(ncses["a"] == "CHN") & (ncses["b"] == "USA")][["year", "articles"]]
    return oa, ncses.reset_index(drop=True)


def link(a: str, b: str) -> pd.DataFrame:
    """The works of one country pair (``a`` < ``b``) by year: year, works (none: no rows)."""
    table = _pairs_by_link()
    if (a, b) not in table.index:
        return _pairs()[["year", "works"]].iloc[:0]
    return table.loc[[(a, b)], ["year", "works"]].reset_index(drop=True)


@lru_cache(maxsize=1)
def _pairs_by_link() -> pd.DataFrame:
    # indexed and sorted by pair, so that a pair's rows are found without comparing every row
    return _pairs().set_index(["a", "b"]).sort_index(kind="stable")


def links_of(iso3: str, year: int) -> pd.DataFrame:
    """An economy's links in ``year``: iso3, partner, year, works (one row per partner)."""
    table = _directed_by_economy()
    if iso3 not in table.index:
        return _directed().iloc[:0]
    mine = table.loc[[iso3]]
    return mine[mine["year"] == year].reset_index()


@lru_cache(maxsize=1)
def _directed_by_economy() -> pd.DataFrame:
    return _directed().set_index("iso3").sort_index(kind="stable")


def directed_pairs() -> pd.DataFrame:
    """Every pair twice, once from each side: iso3, partner, year, works (loaded once)."""
    return _directed().copy()


@lru_cache(maxsize=1)
def _directed() -> pd.DataFrame:
    pairs = _pairs()
    return pd.concat([pairs.rename(columns={"a": "iso3", "b": "partner"}),
                      pairs.rename(columns={"b": "iso3", "a": "partner"})],
                     ignore_index=True)[["iso3", "partner", "year", "works"]]


@lru_cache(maxsize=1)
def _top_by_year() -> pd.DataFrame:
    both = _directed().sort_values(["iso3", "year", "works", "partner"],
                                   ascending=[True, True, False, True])
    return both.groupby(["iso3", "year"], as_index=False).first()


def top_partner_by_year() -> pd.DataFrame:
    """Each economy's largest partner in every year it has one (ties: first by ISO3 code):
    iso3, year, partner, works."""
    return _top_by_year().copy()


def partner_changes(iso3: str, start: int = BASE_YEAR) -> list[tuple[int, str]]:
    """The years from ``start`` in which an economy's top partner changed, with the new
    partner: [(year, partner ISO3)], the first entry being its top partner in ``start`` (or
    its first year with one)."""
    return list(_all_changes(start).get(iso3, []))


@lru_cache(maxsize=4)
def _all_changes(start: int) -> dict[str, tuple[tuple[int, str], ...]]:
    top = _top_by_year()
    top = top[top["year"] >= start].sort_values(["iso3", "year"])
    out: dict[str, list[tuple[int, str]]] = {}
    for iso3, year, partner in zip(top["iso3"], top["year"], top["partner"], strict=True):
        changes = out.setdefault(iso3, [])
        if not changes or changes[-1][1] != partner:
            changes.append((int(year), str(partner)))
    return {k: tuple(v) for k, v in out.items()}


def changes_text(changes: list[tuple[int, str]], label: dict[str, str]) -> str:
    """'the United States in every year since 2000', 'France in 2000, then the United States
    (from 2010)', 'China since 2019, after 4 changes since 2000'."""
    if not changes:
        return "no partner recorded"
    first_year, first = changes[0]
    if len(changes) == 1:
        return f"{the_country(label.get(first, first))} in every year since {first_year}"
    if len(changes) <= 3:
        steps = [f"{the_country(label.get(p, p))} (from {y})" for y, p in changes[1:]]
        return (f"{the_country(label.get(first, first))} in {first_year}, then "
                + name_list(steps))
    last_year, last = changes[-1]
    return (f"{the_country(label.get(last, last))} since {last_year}, after "
            f"{len(changes) - 1} changes since {first_year}")


def top_partners_sentence(iso3: str, year: int, shown: int = SHOWN_PARTNERS) -> str:
    """An economy's largest partners in ``year`` with their shared works and share of its
    links, and how its top partner changed since BASE_YEAR."""
    label = names()
    mine = links_of(iso3, year).sort_values(["works", "partner"], ascending=[False, True])
    name = the_country(label.get(iso3, iso3))
    if mine.empty:
        return f"No co-authorship links are recorded for {name} in {year}."
    total = mine["works"].sum()
    top = mine.head(shown)
    listed = name_list([f"{the_country(label.get(p, p))} ({count(w, 'work')}, "
                        f"{100 * w / total:z.1f}% of its links)"
                        for p, w in zip(top["partner"], top["works"], strict=True)])
    return (f"{possessive(capitalised(name))} largest partners in {year} were {listed}; "
            "links are works shared with each partner country, so a work with three partners "
            "counts three times. Its top partner by year: "
            f"{changes_text(partner_changes(iso3), label)}.")


def link_test() -> dict:
    """The United States–China link from its peak to the latest year, beside each country's
    internationally co-authored output over the same years (changes as fractions), and the
    change to the last complete year before the latest."""
    oa, _ = us_china()
    peak = oa.loc[oa["works"].idxmax()]
    last = oa.iloc[-1]
    totals = datasets.load("openalex_international").set_index(["iso3", "year"])[
        "international_works"]
    py, ly = int(peak["year"]), int(last["year"])
    countries = {iso3: float(totals[(iso3, ly)] / totals[(iso3, py)] - 1)
                 for iso3 in ("USA", "CHN")}
    before = oa[(oa["year"] > py) & (oa["year"] < ly)]
    complete = (float(before["works"].iloc[-1] / peak["works"] - 1) if len(before) else None)
    return {"peak_year": py, "last_year": ly,
            "link": float(last["works"] / peak["works"] - 1), "countries": countries,
            "complete": complete}


def link_verdict(test: dict) -> verdicts.Verdict:
    """The article's claim that geopolitical tensions disrupt collaborations, on the largest
    bilateral link, by the shared rule (verdicts.link_falls)."""
    return verdicts.link_falls(test["link"], test["countries"], test["complete"])


def coverage_benchmark(members: tuple[str, ...] | None = None) -> dict:
    """Growth of internationally co-authored output in NCSES and in OpenAlex, same economies
    and years (from the first year of NCSES's current edition, so that no growth joins two
    editions, to its last year), over all economies both report or ``members``."""
    pubs = panels.exact_series()
    start, end = int(pubs["year"].min()), int(pubs["year"].max())
    ncses = growth(pubs, start, end, "international")
    openalex = growth(datasets.load("openalex_international"), start, end,
                      "international_works")
    common = set(ncses["iso3"]) & set(openalex["iso3"])
    if members is not None:
        common &= set(members)
    ncses, openalex = ncses[ncses["iso3"].isin(common)], openalex[openalex["iso3"].isin(common)]

    def ratio(frame: pd.DataFrame) -> float:
        return float(frame["end"].sum() / frame["start"].sum()) if len(frame) else float("nan")

    return {"economies": len(common), "start": start, "end": end,
            "ncses": ratio(ncses), "openalex": ratio(openalex)}


def benchmark_sentence(bench: dict, who: str = "economies") -> str:
    """NCSES beside OpenAlex for the same economies and years, or '' when none overlap.

    ``who`` is the plural noun ('economies', 'members'); one economy reads 'the one member'."""
    if not bench["economies"]:
        return ""
    one = bench["economies"] == 1
    noun = {"economies": "economy", "members": "member"}.get(who, who) if one else who
    lead = f"the one {noun}" if one else f"the {bench['economies']} {noun}"
    same = "the same economy and years" if one else "the same economies and years"
    return (f"For {lead} NCSES also reports, NCSES's count of internationally co-authored "
            f"articles (Scopus, whole counts) grew {bench['ncses']:z.1f}-fold between "
            f"{bench['start']} and {bench['end']}, against {bench['openalex']:z.1f}-fold in "
            f"OpenAlex for {same}.")

