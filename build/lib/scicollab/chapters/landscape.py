"""Who collaborates: internationally co-authored output, partners, pairs, the US–China link.

This module is long because the chapter answers several questions from three sources (OpenAlex,
NCSES articles and pairs) and the report's quoted counts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from .. import datasets, models, panels, regions, verdicts
from ..figures import OKABE_ITO, FigureSpec
from ..models import CONFIDENCE
from ..panels import economy_sentence
from ..regions import Region
from ..report import (
    MIN_FOR_MEDIAN,
    book_table,
    capitalised,
    collapsible,
    count,
    markdown_table,
    name_list,
    the_country,
    where,
)

BASE_YEAR = 2000
TOP = 8  # producers drawn in the time-series figure
QUOTED = "report_quoted_counts.csv"
MAX_WINDOW = 8  # the longest window (years) tried as an explanation of the quoted counts
SHOWN_PARTNERS = 5  # an economy's top partners named in its edition
_MONTHS = {m: name for m, name in zip(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    ("January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"), strict=True)}


def openalex_snapshot() -> str:
    """The month of the OpenAlex snapshot behind the tables ('August 2024'), from the manifest."""
    upstream = datasets.table_info("openalex_pairs")["sources"][0].get("upstream", "")
    found = re.search(r"(\d{1,2})([a-z]{3})(\d{2})/?\s*$", upstream)
    if not found or found.group(2) not in _MONTHS:
        return "the date of the snapshot used here"
    return f"{_MONTHS[found.group(2)]} 20{found.group(3)}"


@lru_cache(maxsize=1)
def _pairs() -> pd.DataFrame:
    return datasets.load("openalex_pairs")


def pairs() -> pd.DataFrame:
    """OpenAlex works per country pair and year (a < b), loaded once per process."""
    return _pairs().copy()


def names() -> dict[str, str]:
    """ISO3 → country name."""
    countries = datasets.countries()
    return dict(zip(countries["iso3"], countries["name"], strict=True))


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
    """Per member: works with partners inside and outside the region, and the inside share."""
    year_pairs = pair_frame[pair_frame["year"] == year]
    rows = []
    for iso3 in members:
        mine = year_pairs[(year_pairs["a"] == iso3) | (year_pairs["b"] == iso3)]
        if mine.empty:
            continue
        partner = mine["b"].where(mine["a"] == iso3, mine["a"])
        inside = mine.loc[partner.isin(members).to_numpy(), "works"].sum()
        total = mine["works"].sum()
        rows.append({"iso3": iso3, "inside": int(inside), "outside": int(total - inside),
                     "links": int(total)})
    frame = pd.DataFrame(rows, columns=["iso3", "inside", "outside", "links"])
    frame["inside_share"] = frame["inside"] / frame["links"]
    return frame.sort_values("links", ascending=False).reset_index(drop=True)


def us_china() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The US–China link: OpenAlex works by year, and NCSES articles in its two years."""
    oa = _pairs()
    oa = oa[(oa["a"] == "CHN") & (oa["b"] == "USA")][["year", "works"]].reset_index(drop=True)
    ncses = datasets.load("ncses_pairs")
    ncses = ncses[(ncses["a"] == "CHN") & (ncses["b"] == "USA")][["year", "articles"]]
    return oa, ncses.reset_index(drop=True)


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
    """'the United States in every year since 2000', 'France until 2009, then the United
    States (from 2010)', 'changed 4 times: ... last China (from 2019)'."""
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
    return (f"changed {len(changes) - 1} times since {first_year}; "
            f"{the_country(label.get(last, last))} from {last_year}")


def share_ranking(members: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Economies ranked by their internationally co-authored share (the report's own metric):
    the broad share for every economy with enough articles, the exact share where NCSES
    gives it, with volume, partners and top partner beside them (highest share first)."""
    broad = panels.rank_table(panels.panel("broad_share"))[["iso3", "name", "income_group",
                                                            "value", "rank"]]
    broad = broad.rename(columns={"value": "broad_share", "rank": "broad_rank"})
    exact = panels.rank_table(panels.panel("exact_share"))[["iso3", "value", "rank"]].rename(
        columns={"value": "exact_share", "rank": "exact_rank"})
    works = panels.panel("works").values[["iso3", "value"]].rename(columns={"value": "works"})
    partners = panels.panel("partners").values[["iso3", "value"]].rename(
        columns={"value": "partners"})
    year = panels.openalex_year()
    top = _top_by_year()
    top = top[top["year"] == year][["iso3", "partner"]].rename(columns={"partner": "top_partner"})
    frame = broad.merge(exact, on="iso3", how="outer").merge(works, on="iso3", how="left")
    frame = frame.merge(partners, on="iso3", how="left").merge(top, on="iso3", how="left")
    listed = panels.economies().set_index("iso3")
    frame["name"] = frame["iso3"].map(listed["name"])
    frame["income_group"] = frame["iso3"].map(listed["income_group"])
    if members is not None:
        frame = frame[frame["iso3"].isin(set(members))]
    return frame.sort_values(["broad_rank", "exact_rank", "name"]).reset_index(drop=True)


def ranking_markdown(frame: pd.DataFrame) -> str:
    """The share ranking as a Markdown table (cells escaped; the page makes it sortable)."""
    label = names()
    year = panels.openalex_year()
    shown = pd.DataFrame({
        "economy": frame["name"], "group": frame["income_group"],
        "broad": frame["broad_share"].map(lambda v: "" if pd.isna(v) else f"{v:.1f}"),
        "broad_rank": frame["broad_rank"].map(lambda v: "" if pd.isna(v) else f"{int(v)}"),
        "exact": frame["exact_share"].map(lambda v: "" if pd.isna(v) else f"{v:.1f}"),
        "works": frame["works"].map(lambda v: "" if pd.isna(v) else f"{int(v):,}"),
        "partner": frame["top_partner"].map(lambda c: "" if pd.isna(c) else label.get(c, c)),
        "changes": [changes_text(partner_changes(i), label) for i in frame["iso3"]],
    })
    return markdown_table(shown, {
        "economy": "Economy", "group": "Income group",
        "broad": f"Foreign share of credit, {panels.broad_year()} (%)",
        "broad_rank": "Rank", "exact": f"Co-authored share, {panels.exact_year()} (%)",
        "works": f"International works, {year}", "partner": f"Top partner, {year}",
        "changes": f"Top partner since {BASE_YEAR}"}, escaped=True)


def quoted_windows(table: pd.DataFrame, longest: int = MAX_WINDOW) -> pd.DataFrame:
    """Each quoted count against OpenAlex's internationally co-authored works summed over
    windows of 1 to ``longest`` years ending in the compared year: iso3, years, openalex,
    ratio (quoted ÷ summed)."""
    oa = datasets.load("openalex_international").set_index(["iso3", "year"])[
        "international_works"]
    rows = []
    for q in table.itertuples():
        for years in range(1, longest + 1):
            span = range(q.year - years + 1, q.year + 1)
            values = [oa.get((q.iso3, y)) for y in span]
            if any(v is None for v in values):
                break
            total = float(sum(values))
            rows.append({"iso3": q.iso3, "years": years, "openalex": total,
                         "ratio": q.quoted / total, "over": q.qualifier == "over"})
    return pd.DataFrame(rows, columns=["iso3", "years", "openalex", "ratio", "over"])


def best_window(windows: pd.DataFrame) -> int | None:
    """The window length that fits the quoted counts best: every 'over' count at or above its
    lower bound (within the shared tolerance), and the exact counts closest to one on average
    (largest log-ratio, smallest); None when no window keeps every lower bound."""
    import numpy as np

    best, score = None, float("inf")
    for years, part in windows.groupby("years"):
        lower = part[part["over"]]
        if len(lower) and not (lower["ratio"] <= 1 + verdicts.QUOTED_TOLERANCE).all():
            continue
        exact = part[~part["over"]]
        if exact.empty:
            continue
        worst = float(np.abs(np.log(exact["ratio"])).max())
        if worst < score:
            best, score = int(years), worst
    return best


def explanations(table: pd.DataFrame) -> pd.DataFrame:
    """The explanations the chapter offers for the quoted counts, each tested where the data
    allow: explanation, tested (bool), fits (which countries), detail (the numbers)."""
    label = names()
    rows = []
    with_total = table.dropna(subset=["ncses_total"])
    ratios = with_total["quoted"] / with_total["ncses_total"]
    fits = [label[i] for i, r, over in zip(with_total["iso3"], ratios,
                                           with_total["qualifier"] == "over", strict=True)
            if verdicts._matches(r, over)]
    detail = "; ".join(f"{the_country(label[i])} {r:.2f} times" for i, r
                       in zip(with_total["iso3"], ratios, strict=True))
    rows.append({"explanation": "All articles, not only internationally co-authored ones",
                 "tested": True, "fits": fits, "n": len(with_total),
                 "detail": f"quoted count ÷ NCSES's count of all articles in the year: {detail}"})
    windows = quoted_windows(table)
    best = best_window(windows)
    if best is None:
        rows.append({"explanation": "A window of several years", "tested": True, "fits": [],
                     "n": table["iso3"].nunique(),
                     "detail": "no window of up to "
                               f"{MAX_WINDOW} years matches every quoted count"})
    else:
        part = windows[windows["years"] == best]
        first = int(table["year"].iloc[0]) - best + 1
        fits = [label[i] for i, r, over in zip(part["iso3"], part["ratio"], part["over"],
                                               strict=True) if verdicts._matches(r, over)]
        detail = "; ".join(f"{the_country(label[i])} {r:.2f} times" for i, r
                           in zip(part["iso3"], part["ratio"], strict=True))
        rows.append({"explanation": f"A window of {best} years ({first}–{first + best - 1}), "
                                    "the best-fitting length",
                     "tested": True, "fits": fits, "n": len(part),
                     "detail": "quoted count ÷ OpenAlex's internationally co-authored works "
                               f"summed over the window: {detail}"})
    rows.append({"explanation": "More document types than journal articles (SciVal counts "
                                "conference papers, reviews, chapters)",
                 "tested": False, "fits": [], "n": 0,
                 "detail": "cannot be tested: neither OpenAlex's counts nor NCSES's here are "
                           "broken down by document type"})
    return pd.DataFrame(rows)


def explanations_markdown(frame: pd.DataFrame) -> str:
    """The explanations as a table: tested or not, which countries each fits."""
    shown = pd.DataFrame({
        "explanation": frame["explanation"],
        "tested": frame["tested"].map({True: "yes", False: "no"}),
        "fits": [("–" if not t else f"{len(f)} of {n}" + (f": {name_list(f)}" if f else ""))
                 for t, f, n in zip(frame["tested"], frame["fits"], frame["n"], strict=True)],
        "detail": frame["detail"]})
    return markdown_table(shown, {"explanation": "Explanation", "tested": "Tested",
                                  "fits": "Fits", "detail": "What the data say"})


def quoted_verdict(table: pd.DataFrame) -> verdicts.Verdict:
    """The report's quoted counts as one year's internationally co-authored output, by the
    shared rule (verdicts.quoted_counts_match) on OpenAlex's one-year counts."""
    found = table.dropna(subset=["openalex_international"])
    stated = found[found["year_in_report"].notna()]
    return verdicts.quoted_counts_match(
        {i: q / o for i, q, o in zip(stated["iso3"], stated["quoted"],
                                     stated["openalex_international"], strict=True)},
        {i: qual == "over" for i, qual in zip(stated["iso3"], stated["qualifier"],
                                              strict=True)})


def size_data(members: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Each economy's latest GDP (current US$, within the shared window; the World Bank gives
    it here where it gives R&D spending), its population (GDP over GDP per capita, same year)
    and its internationally co-authored works in that year."""
    rd = datasets.load("rd_expenditure").dropna(subset=["gdp_usd"])
    gdp = datasets.latest_in_window(rd, "gdp_usd", *panels.WINDOW)
    works = datasets.load("openalex_international")[["iso3", "year", "international_works"]]
    per_head = datasets.load("gdp_per_capita")
    frame = gdp.merge(works, on=["iso3", "year"]).merge(per_head, on=["iso3", "year"],
                                                         how="left")
    frame = frame[frame["iso3"].isin(panels.economies()["iso3"])]
    if members is not None:
        frame = frame[frame["iso3"].isin(set(members))]
    return frame.assign(population=frame["gdp_usd"] / frame["gdp_per_capita_usd"]).reset_index(
        drop=True)


def size_tests(members: tuple[str, ...] | None = None) -> dict[str, models.Correlation | None]:
    """Does collaborative output track the size of the economy? Correlations of log10
    internationally co-authored works with log10 GDP and with log10 population."""
    import numpy as np

    frame = size_data(members)
    out: dict[str, models.Correlation | None] = {}
    for key, column in (("gdp", "gdp_usd"), ("population", "population")):
        part = frame.dropna(subset=[column])
        try:
            out[key] = models.correlation_test(np.log10(part[column]),
                                               np.log10(part["international_works"]))
        except models.InsufficientData:
            out[key] = None
    return out


def size_verdict(tests: dict[str, models.Correlation | None]) -> verdicts.Verdict:
    """The report's claim that collaborative output tracks economic size, by the shared rule
    (verdicts.tracks_size) on the correlation with GDP."""
    gdp = tests["gdp"]
    return verdicts.tracks_size(float("nan") if gdp is None else gdp.r,
                                float("nan") if gdp is None else gdp.p_value)


def size_sentence(tests: dict[str, models.Correlation | None]) -> str:
    """The two correlations in words, with intervals."""
    gdp, people = tests["gdp"], tests["population"]
    if gdp is None:
        return "Too few economies have GDP figures to test whether output tracks size."
    text = (f"Across the {gdp.n} economies with GDP figures, internationally co-authored works "
            f"and GDP (both on log scales, same year) correlate at r = {gdp.r:.2f} "
            f"({CONFIDENCE}% CI {gdp.low:.2f} to {gdp.high:.2f})")
    if people is not None:
        text += (f", works and population at r = {people.r:.2f} ({people.low:.2f} to "
                 f"{people.high:.2f})")
        closer = "the economy" if gdp.r > people.r else "the population"
        separate = gdp.low > people.high or people.low > gdp.high
        text += (f"; the tie is closer to the size of {closer}"
                 + ("" if separate else ", though the two intervals overlap"))
    return text + "."


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
            f"articles (Scopus, whole counts) grew {bench['ncses']:.1f}-fold between "
            f"{bench['start']} and {bench['end']}, against {bench['openalex']:.1f}-fold in "
            f"OpenAlex for {same}.")


def quoted_comparison() -> pd.DataFrame:
    """The report's quoted counts beside OpenAlex and NCSES for the same countries, in the year
    each is compared with (the report states 2020 for some; see the CSV)."""
    quoted = book_table(QUOTED)
    oa = datasets.load("openalex_international")
    pubs = datasets.load("publications")
    rows = []
    for q in quoted.itertuples():
        year = int(q.year_compared)
        o = oa[(oa["iso3"] == q.iso3) & (oa["year"] == year)]["international_works"]
        p = pubs[(pubs["iso3"] == q.iso3) & (pubs["year"] == year)]
        rows.append({"iso3": q.iso3, "year": year,
                     "year_in_report": int(q.year_in_report) if q.year_in_report else None,
                     "counts": q.what_the_report_says_it_counts,
                     "quoted": q.quoted_count, "qualifier": q.qualifier,
                     "openalex_international": int(o.iloc[0]) if len(o) else None,
                     "ncses_international": int(p["international"].iloc[0]) if len(p) else None,
                     "ncses_total": int(p["total"].iloc[0]) if len(p) else None})
    return pd.DataFrame(rows)


@dataclass
class Landscape:
    """Everything the chapter shows for one region."""

    region: Region
    year: int
    producers: pd.DataFrame
    growth: pd.DataFrame
    top_pairs: pd.DataFrame
    links: pd.DataFrame
    numbers: dict = field(default_factory=dict)
    show_links: bool = False  # whether the inside/outside figure has something to show
    ranking: pd.DataFrame | None = None  # economies (of the region) ranked by co-authored share


def analyse(region_name: str) -> Landscape:
    """Assemble the chapter's tables and numbers for a region."""
    region = regions.resolve(region_name)
    oa = datasets.load("openalex_international")
    year = int(oa["year"].max())
    label = names()
    oa = oa[oa["iso3"].isin(panels.economies()["iso3"])]  # the world's economies only
    latest = oa[oa["year"] == year].sort_values("international_works", ascending=False)
    latest = latest.assign(name=latest["iso3"].map(label))
    grown = growth(oa, BASE_YEAR, year, "international_works")
    pair_frame = _pairs()
    top = pair_frame[pair_frame["year"] == year]
    if not region.is_world:
        top = top[top["a"].isin(region.members) | top["b"].isin(region.members)]
    top = top.sort_values("works", ascending=False).head(10)
    top = top.assign(pair=top["a"].map(label) + " – " + top["b"].map(label))
    shared = len(region.members) > 1 and not region.is_world
    links = inside_outside(pair_frame, region.members, year) if shared else (
        pd.DataFrame(columns=["iso3", "inside", "outside", "links", "inside_share"]))
    result = Landscape(region, year, latest.reset_index(drop=True), grown,
                       top.reset_index(drop=True), links)
    result.show_links = bool(shared and len(links) > 1)
    result.ranking = share_ranking(None if region.is_world else region.members)
    result.numbers = _numbers(result, oa)
    return result


LINKS_FIGURE = """```{glue:figure} fig-landscape-links
:name: fig-landscape-links
:alt: Horizontal bars, one per member of the region, splitting its co-authorship links into \
partners inside and outside the region.

Partners inside and outside the region. {glue:md}`fig-landscape-links-caption`
```"""


def links_block(r: Landscape) -> str:
    """The figure of inside and outside links as a MyST block, or nothing when there is
    nothing to show (the world, one economy, or fewer than two members with links)."""
    return LINKS_FIGURE if r.show_links else ""


def _fmt(value: float) -> str:
    return f"{value:,.0f}"


def _numbers(r: Landscape, oa: pd.DataFrame) -> dict:
    first = r.producers.iloc[0]
    world_growth = r.growth["end"].sum() / r.growth["start"].sum()
    n = {
        "land_year": r.year, "land_base_year": BASE_YEAR,
        "land_countries": int((r.producers["international_works"] > 0).sum()),
        "land_economies": len(panels.economies()),
        "land_top_name": the_country(first["name"]),
        "land_top_works": _fmt(first["international_works"]),
        "land_top5": name_list([the_country(name) for name in r.producers["name"].head(5)]),
        "land_growth_countries": len(r.growth), "land_world_growth": float(world_growth),
        "land_benchmark_sentence": benchmark_sentence(coverage_benchmark()),
        "land_median_partners": float(r.producers["partner_countries"].median()),
        "land_pairs_table": _pairs_markdown(r.top_pairs),
        "land_top_pair_sentence": _top_pair_sentence(r),
        "land_intro_region": intro_region(r.region),
        "land_territories": len(panels.territories(regions.resolve("World"))),
        "land_links_block": links_block(r),
    }
    n.update(_us_china_numbers())
    tests = size_tests()
    v = size_verdict(tests)
    n.update({"land_size_sentence": size_sentence(tests), "land_size_verdict": v.verdict,
              "land_size_verdict_sentence": v.sentence})
    link = link_verdict(link_test())
    n.update({"land_link_verdict": link.verdict, "land_link_verdict_sentence": link.sentence})
    n.update(_quoted_numbers(quoted_comparison()))
    n.update(_region_numbers(r))
    n.update(_ranking_numbers(r))
    return n


def intro_region(region: Region) -> str:
    """What the chapter's last section does for the selected region."""
    if region.is_world:
        return ("In a region's edition it then asks whether the region's members find their "
                "partners inside or outside it; in an economy's edition it names that "
                "economy's partners.")
    if region.is_economy:
        return (f"It then looks at {where(region)}: its rank on each measure and its largest "
                "partners.")
    return (f"It then looks at {region.in_prose}: are its members' partners inside or outside "
            "the region?")


def _ranking_numbers(r: Landscape) -> dict:
    """The economies ranked by co-authored share: the table, and who leads."""
    ranking = r.ranking
    broad = ranking.dropna(subset=["broad_share"])
    n = {"land_ranking_n": len(broad), "land_ranking_year": panels.broad_year(),
         "land_exact_year": panels.exact_year(), "land_min_articles": panels.MIN_ARTICLES,
         "land_ranking_table": ranking_markdown(ranking) if len(ranking) else ""}
    n["land_ranking_block"] = collapsible("Economies ranked by their co-authored share",
                                          n["land_ranking_table"])
    everyone = share_ranking().dropna(subset=["broad_share"])
    top = everyone.head(3)
    bottom = everyone.tail(3).iloc[::-1]
    big = everyone.sort_values("works", ascending=False).head(5)
    text = (f"Ranked by their foreign share of whole-count credit in {panels.broad_year()}, the "
            f"most international of the {len(everyone)} economies with at least "
            f"{panels.MIN_ARTICLES} articles are {_valued(top)}, and the least international "
            f"{_valued(bottom)}. The five largest producers of internationally co-authored "
            f"works rank {name_list([_rank_of(row) for _, row in big.iterrows()])} on the "
            "share. " + volume_share_sentence(everyone))
    if r.region.is_economy:
        text = economy_sentence(r.region.members[0], ["broad_share", "exact_share", "works",
                                                      "partners"])
    elif not r.region.is_world:
        text += (f" The table lists the {count(len(ranking), 'member')} of {r.region.in_prose}"
                 " with a value; the ranks are among all economies.")
    n["land_ranking_sentence"] = text
    return n


def volume_share_sentence(ranking: pd.DataFrame) -> str:
    """How closely ranking by volume and ranking by share agree (Spearman's rank correlation
    of internationally co-authored works with the broad share)."""
    both = ranking.dropna(subset=["works", "broad_share"])
    if len(both) < 3:
        return ""
    rho = float(both["works"].rank().corr(both["broad_share"].rank()))
    if abs(rho) < 0.1:
        how = "the two rankings are unrelated"
    elif rho < 0:
        how = ("economies with more internationally co-authored works tend to have a smaller "
               "share of them")
    else:
        how = "economies with more internationally co-authored works tend to have a larger share"
    return (f"Across the {len(both)} economies with both, the rank correlation of volume with "
            f"share is {rho:.2f}: {how}, which is why this chapter ranks by both.")


def _valued(rows: pd.DataFrame) -> str:
    return name_list([f"{the_country(row['name'])} ({row['broad_share']:.1f}%)"
                      for _, row in rows.iterrows()])


def _rank_of(row: pd.Series) -> str:
    from ..report import ordinal

    return f"{the_country(row['name'])} {ordinal(int(row['broad_rank']))}"


def _top_pair_sentence(r: Landscape) -> str:
    where = ("" if r.region.is_world else
             f" among pairs involving {the_country(r.region.name)}" if r.region.is_economy else
             f" among pairs involving a member of {r.region.in_prose}")
    if r.top_pairs.empty:
        return (f"No pair involving a member of {r.region.in_prose} has co-authored works in "
                f"{r.year}.")
    top = r.top_pairs.iloc[0]
    return (f"The strongest link in {r.year}{where} was {top['pair']}, with "
            f"{_fmt(top['works'])} works.")


def _us_china_numbers() -> dict:
    oa, ncses = us_china()
    peak = oa.loc[oa["works"].idxmax()]
    last = oa.iloc[-1]
    after = oa[oa["year"] > peak["year"]]
    n = {"land_uscn_first_year": int(oa["year"].iloc[0]),
         "land_uscn_first": _fmt(oa["works"].iloc[0]),
         "land_uscn_peak_year": int(peak["year"]), "land_uscn_peak": _fmt(peak["works"]),
         "land_uscn_last_year": int(last["year"]), "land_uscn_last": _fmt(last["works"]),
         "land_uscn_change": float(100 * (last["works"] / peak["works"] - 1))}
    ncses_years = [int(y) for y in ncses["year"]]
    ncses_text = name_list([f"{_fmt(a)} articles in {int(y)}"
                       for y, a in ncses.itertuples(index=False)], empty="")
    rise = (f"Works co-authored by the two countries rose from {n['land_uscn_first']} in "
            f"{n['land_uscn_first_year']} to a peak of {n['land_uscn_peak']} in "
            f"{n['land_uscn_peak_year']}.")
    if after.empty:
        n["land_uscn_sentence"] = (
            f"{rise} That peak is the latest year of the data (OpenAlex snapshot of "
            f"{openalex_snapshot()}; the latest year may still be incomplete). NCSES, counting "
            f"Scopus articles, shows the rise too: {ncses_text}.")
        return n
    later = name_list([f"{_fmt(w)} in {int(y)}" for y, w in after.itertuples(index=False)],
                      empty="")
    fall = (f" Every later year was lower: {later}, so the latest year is "
            f"{abs(n['land_uscn_change']):.1f}% below the peak.")
    complete = oa[(oa["year"] > peak["year"]) & (oa["year"] < last["year"])]
    check = ""
    if len(complete):
        year_before = complete.iloc[-1]
        check = (f", but {int(year_before['year'])}, which has had longer to fill in, was "
                 f"already {100 * (1 - year_before['works'] / peak['works']):.1f}% below it")
    turn_seen = int(peak["year"]) in ncses_years and max(ncses_years) > peak["year"]
    ncses_reach = ("which also shows the turn" if turn_seen else
                   "so it shows the rise but cannot confirm or date the turn")
    n["land_uscn_sentence"] = (
        f"{rise}{fall} The latest year may be incomplete (the OpenAlex snapshot is of "
        f"{openalex_snapshot()} and late records keep arriving){check}. NCSES, counting Scopus "
        f"articles, has only {name_list([str(y) for y in ncses_years], empty='')} ({ncses_text}), "
        f"{ncses_reach}.")
    return n


def _quoted_numbers(table: pd.DataFrame) -> dict:
    label = names()
    stated = table[table["year_in_report"].notna()]
    unstated = table[table["year_in_report"].isna()]
    year = int(table["year"].iloc[0])
    parts = []
    for (what, when), group in stated.groupby(["counts", "year_in_report"], sort=False):
        parts.append(f"counts of {what} in {int(when)} for "
                     f"{name_list([the_country(label[i]) for i in group['iso3']])}")
    for what, group in unstated.groupby("counts", sort=False):
        parts.append(f"counts of \u201c{what}\u201d, with no year stated, for "
                     f"{name_list([the_country(label[i]) for i in group['iso3']])}")
    n = {"land_quoted_intro": (f"The report gives {name_list(parts)}, all downloaded from SciVal; "
                               f"we compare every one of them with {year}."),
         "land_quoted_year": year,
         "land_quoted_table": _quoted_markdown(table, label)}
    found = table.dropna(subset=["openalex_international"])
    ratios = found["quoted"] / found["openalex_international"]
    n["land_quoted_ratio_min"] = float(ratios.min())
    n["land_quoted_ratio_max"] = float(ratios.max())
    above = table.dropna(subset=["ncses_total"])
    above = above[above["quoted"] > above["ncses_total"]]
    n["land_quoted_above_total"] = name_list([the_country(label[i]) for i in above["iso3"]])
    reading = []
    international = stated[stated["iso3"].isin(above["iso3"])]
    if len(international):
        reading.append(
            f"For {name_list([the_country(label[i]) for i in international['iso3']])}, "
            "which the report "
            f"labels {international['counts'].iloc[0]} in {year}, the quoted counts therefore "
            "cannot be one year's internationally co-authored journal articles in the sense "
            "used here.")
    if len(unstated):
        names_unstated = name_list([the_country(label[i]) for i in unstated["iso3"]], empty="")
        reading.append(
            f"For {names_unstated} the report says only \u201cpapers\u201d and gives no year, so "
            "these need not be internationally co-authored, nor from one year.")
    n["land_quoted_reading"] = " ".join(reading)
    tested = explanations(table)
    n["land_explanations_table"] = explanations_markdown(tested)
    n["land_explanations_sentence"] = explanations_sentence(tested)
    v = quoted_verdict(table)
    n["land_quoted_verdict"] = v.verdict
    n["land_quoted_verdict_sentence"] = v.sentence
    n["land_quoted_ordering"] = ordering_sentence(table, label)
    missing = table[table["ncses_total"].isna()]
    n["land_quoted_sources"] = (
        "every source that covers the country" + (
            " (NCSES has no figures for "
            f"{name_list([the_country(label[i]) for i in missing['iso3']])})"
            if len(missing) else ""))
    return n


def ordering_sentence(table: pd.DataFrame, label: dict[str, str]) -> str:
    """Whether each source orders the quoted countries as the report does, and the span of the
    quoted counts in orders of magnitude."""
    import numpy as np

    sources = {"openalex_international": "OpenAlex's internationally co-authored works",
               "ncses_international": "NCSES's internationally co-authored articles",
               "ncses_total": "NCSES's count of all articles"}
    reported = list(table.sort_values("quoted", ascending=False)["iso3"])
    same, differ = [], []
    for column, name in sources.items():
        known = table.dropna(subset=[column])
        order = list(known.sort_values(column, ascending=False)["iso3"])
        (same if order == [i for i in reported if i in order] else differ).append(
            (name, order))
    span = float(np.log10(table["quoted"].max() / table["quoted"].min()))
    text = (f"The quoted counts span {span:.1f} orders of magnitude, from "
            f"{the_country(label[reported[0]])} to {the_country(label[reported[-1]])}.")
    if same:
        text += (f" {capitalised(name_list([n for n, _ in same]))} order the countries as the "
                 "report does")
    if differ:
        parts = name_list([f"{n} puts {the_country(label[o[0]])} first" for n, o in differ])
        text += f"; {parts}" if same else f" {capitalised(parts)}"
    return text + "."


def explanations_sentence(tested: pd.DataFrame) -> str:
    """Which of the possible explanations the data can test, which fits, and by how much."""
    done = tested[tested["tested"]]
    untested = tested[~tested["tested"]]
    parts = []
    for row in done.itertuples():
        if len(row.fits) == row.n:
            parts.append(f"“{row.explanation}” fits all {row.n}")
        elif row.fits:
            parts.append(f"“{row.explanation}” fits {len(row.fits)} of {row.n} "
                         f"({name_list(row.fits)})")
        else:
            parts.append(f"“{row.explanation}” fits none")
    text = (f"Of the {count(len(tested), 'possible explanation')}, the data here can test "
            f"{len(done)}: {'; '.join(parts)} (within ±"
            f"{round(100 * verdicts.QUOTED_TOLERANCE)}%, a count quoted as 'over' being a lower "
            "bound).")
    if len(untested):
        text += (" " + name_list([f"“{e}”" for e in untested["explanation"]])
                 + " cannot be tested with these data.")
    return text


def _pairs_markdown(top: pd.DataFrame) -> str:
    rows = ["| Pair | Works |", "|---|---:|"]
    rows += [f"| {p.pair} | {_fmt(p.works)} |" for p in top.itertuples()]
    if top.empty:
        rows.append("| – | – |")
    return "\n".join(rows)


def _quoted_markdown(table: pd.DataFrame, label: dict[str, str]) -> str:
    def cell(value) -> str:
        return "–" if value is None or value != value else _fmt(value)

    rows = ["| Country | Report (SciVal) | What the report counts | OpenAlex, international | "
            "NCSES, international | NCSES, all articles |", "|---|---:|---|---:|---:|---:|"]
    for q in table.itertuples():
        quoted = ("over " if q.qualifier == "over" else "") + _fmt(q.quoted)
        when = (f"{int(q.year_in_report)}" if q.year_in_report == q.year_in_report
                and q.year_in_report is not None else "no year stated")
        rows.append(f"| {label.get(q.iso3, q.iso3)} | {quoted} | {q.counts}, {when} | "
                    f"{cell(q.openalex_international)} | {cell(q.ncses_international)} | "
                    f"{cell(q.ncses_total)} |")
    return "\n".join(rows)


def _region_numbers(r: Landscape) -> dict:
    region = r.region
    members = r.producers[r.producers["iso3"].isin(region.members)]
    n = {"land_region_n": len(members)}
    if region.is_economy:
        n["land_region_sentence"] = economy_text(r)
        n["land_links_sentence"] = top_partners_sentence(region.members[0], r.year)
        return n
    if region.is_world:
        n["land_region_sentence"] = (
            "This is the world edition, so the figures above are the world's; a region's "
            "edition sets its members beside them here.")
        n["land_links_sentence"] = ("For the world as a whole every partner is inside the "
                                    "region; a region's edition shows inside and outside links.")
        return n
    if members.empty:
        n["land_region_sentence"] = (
            f"OpenAlex has no internationally co-authored works in {r.year} for any economy "
            f"of {region.in_prose}.")
        n["land_links_sentence"] = "There are no links to show for this region."
        return n
    lead = members.iloc[0]
    grown = r.growth[r.growth["iso3"].isin(region.members)]
    ratio = grown["end"].sum() / grown["start"].sum() if len(grown) else float("nan")
    world = r.growth["end"].sum() / r.growth["start"].sum()
    text = (f"In {r.year}, {count(len(members), 'economy')} of {region.in_prose} had "
            f"internationally co-authored works, {_fmt(members['international_works'].sum())} "
            "country-level credits in all (whole counts: a work shared by two members counts "
            "twice).")
    if len(members) < MIN_FOR_MEDIAN:
        each = [f"{the_country(m['name'])} {_fmt(m['international_works'])} (partners in "
                f"{m['partner_countries']:.0f} countries)" for _, m in members.iterrows()]
        text += f" By member: {name_list(each, empty='')}."
    else:
        text += (f" The largest is {the_country(lead['name'])} with "
                 f"{_fmt(lead['international_works'])}; the median member has partners in "
                 f"{members['partner_countries'].median():.0f} countries.")
    if len(grown):
        which = ("the members' combined credits" if len(grown) == len(members) else
                 f"the combined credits of the {count(len(grown), 'member')} with works in "
                 "both years")
        text += (f" Since {BASE_YEAR} {which} have grown {ratio:.1f}-fold, "
                 f"against {world:.1f}-fold for all countries; both figures also reflect "
                 "OpenAlex's growing coverage.")
        bench = coverage_benchmark(region.members)
        if bench["economies"]:
            text += " " + benchmark_sentence(bench, "members")
    n["land_region_sentence"] = text
    if r.links.empty:
        n["land_links_sentence"] = "No co-authorship links were recorded for these members."
    else:
        share = r.links["inside"].sum() / r.links["links"].sum()
        n["land_links_sentence"] = (
            f"Of the members' co-authorship links with other countries in {r.year} (works "
            f"counted once per partner), {100 * share:.1f}% are with partners inside "
            f"{region.in_prose} and {100 * (1 - share):.1f}% with the rest of the world.")
    return n


def economy_text(r: Landscape) -> str:
    """One economy's internationally co-authored output, its growth and partners."""
    iso3 = r.region.members[0]
    name = the_country(r.region.name)
    mine = r.producers[r.producers["iso3"] == iso3]
    if mine.empty:
        return f"OpenAlex has no internationally co-authored works for {name} in {r.year}."
    row = mine.iloc[0]
    text = (f"In {r.year} {name} had {_fmt(row['international_works'])} internationally "
            f"co-authored works, with partners in {row['partner_countries']:.0f} countries.")
    grown = r.growth[r.growth["iso3"] == iso3]
    if len(grown):
        world = r.growth["end"].sum() / r.growth["start"].sum()
        text += (f" Since {BASE_YEAR} they have grown {grown['ratio'].iloc[0]:.1f}-fold, "
                 f"against {world:.1f}-fold for all economies together; both figures also "
                 "reflect OpenAlex's growing coverage.")
        bench = coverage_benchmark((iso3,))
        if bench["economies"]:
            text += " " + benchmark_sentence(bench, "members").replace(
                "For the one member NCSES also reports", f"For {name}")
    return text


def top_partners_sentence(iso3: str, year: int, shown: int = SHOWN_PARTNERS) -> str:
    """An economy's largest partners in ``year`` with their shared works and share of its
    links, and how its top partner changed since BASE_YEAR."""
    label = names()
    links = _directed()
    mine = links[(links["iso3"] == iso3) & (links["year"] == year)].sort_values(
        ["works", "partner"], ascending=[False, True])
    name = the_country(label.get(iso3, iso3))
    if mine.empty:
        return f"No co-authorship links are recorded for {name} in {year}."
    total = mine["works"].sum()
    top = mine.head(shown)
    listed = name_list([f"{the_country(label.get(p, p))} ({count(w, 'work')}, "
                        f"{100 * w / total:.1f}% of its links)"
                        for p, w in zip(top["partner"], top["works"], strict=True)])
    return (f"{capitalised(name)}'s largest partners in {year} were {listed}; links are works "
            "shared with each partner country, so a work with three partners counts three "
            f"times. Its top partner: {changes_text(partner_changes(iso3), label)}.")


def producers_figure(r: Landscape):
    """Internationally co-authored works over time for the largest producers (of the region)."""
    import matplotlib.pyplot as plt

    from ..figures import lines, thousands_axis

    oa = datasets.load("openalex_international")
    pool = r.producers if r.region.is_world else r.producers[
        r.producers["iso3"].isin(r.region.members)]
    chosen = list(pool["iso3"].head(TOP))
    data = oa[oa["iso3"].isin(chosen)].assign(name=lambda f: f["iso3"].map(names()))
    where = r.region.in_prose
    spec = FigureSpec(
        id=f"landscape-producers-{r.region.slug}",
        title=("Internationally co-authored works" + (
            ": the largest producers" if r.region.is_world else
            f" of {where}" if r.region.is_economy else
            f": the largest producers in {where}")),
        caption=("Works with authors from the country and from at least one other country, by "
                 "publication year, for the countries with most such works in the latest year."),
        source=datasets.source_line("openalex_international"),
        data_years=f"{int(oa['year'].min())}–{r.year}")
    fig, ax = plt.subplots()
    shown = data.assign(order=data["iso3"].map({c: i for i, c in enumerate(chosen)}))
    lines(ax, shown.sort_values(["order", "year"]), "year", "international_works", "name")
    thousands_axis(ax, "y")
    ax.set_ylabel("Internationally co-authored works")
    ax.set_xlabel("Publication year")
    ax.set_title(spec.title)
    return fig, spec, data[["iso3", "name", "year", "international_works", "partner_countries"]]


def us_china_figure():
    """The United States–China co-authorship link over time (OpenAlex)."""
    import matplotlib.pyplot as plt

    from ..figures import thousands_axis

    oa, _ = us_china()
    spec = FigureSpec(
        id="landscape-us-china",
        title="Works co-authored by the United States and China",
        caption="Works with authors from both countries, by publication year.",
        source=datasets.source_line("openalex_pairs"),
        data_years=f"{int(oa['year'].min())}–{int(oa['year'].max())}")
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    ax.plot(oa["year"], oa["works"], color=OKABE_ITO["vermillion"], linewidth=2)
    thousands_axis(ax, "y")
    ax.set_ylabel("Works")
    ax.set_xlabel("Publication year")
    ax.set_title(spec.title)
    return fig, spec, oa.assign(a="CHN", b="USA")[["a", "b", "year", "works"]]


def links_figure(r: Landscape):
    """Share of each member's co-authorship links that stay inside the region."""
    import matplotlib.pyplot as plt

    data = r.links.head(30).assign(name=lambda f: f["iso3"].map(names()))
    spec = FigureSpec(
        id=f"landscape-links-{r.region.slug}",
        title=f"Partners inside and outside {r.region.in_prose}",
        caption=("For each member (up to the thirty with most links), the share of its "
                 "co-authored works with another country that involve a partner inside the "
                 "region; works are counted once per partner country."),
        source=datasets.source_line("openalex_pairs"), data_years=str(r.year))
    fig, ax = plt.subplots(figsize=(7.5, max(2.5, 0.25 * len(data) + 1)))
    if len(data):
        ax.barh(data["name"], 100 * data["inside_share"], color=OKABE_ITO["blue"],
                label="inside the region")
        ax.barh(data["name"], 100 * (1 - data["inside_share"]),
                left=100 * data["inside_share"], color=OKABE_ITO["grey"],
                label="outside the region")
        ax.invert_yaxis()
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2)
    else:
        ax.text(0.5, 0.5, "No inside/outside split for this region", ha="center",
                transform=ax.transAxes)
    ax.set_xlabel("Share of co-authorship links (%)")
    ax.set_xlim(0, 100)
    ax.set_title(spec.title)
    return fig, spec, data


def explore_producers(data: pd.DataFrame):
    """The interactive version of :func:`producers_figure`."""
    from .. import interactive

    return interactive.lines(data, "year", "international_works", "name",
                             x_title="Publication year",
                             y_title="Internationally co-authored works")


def explore_us_china(data: pd.DataFrame):
    """The interactive version of :func:`us_china_figure`."""
    from .. import interactive

    return interactive.lines(data.assign(link="United States – China"), "year", "works",
                             "link", x_title="Publication year", y_title="Works",
                             colours={"United States – China": OKABE_ITO["vermillion"]})
