"""Who collaborates: internationally co-authored output, partners, pairs, the US–China link.

This module is long because the chapter answers several questions from three sources (OpenAlex,
NCSES articles and pairs) and the report's quoted counts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from .. import datasets, models, panels, regions, verdicts
from ..figures import OKABE_ITO, FigureSpec
from ..measures import openalex
from ..measures.names import names
from ..models import CONFIDENCE
from ..panels import economy_sentence
from ..regions import Region, the_country
from ..report import (
    MIN_FOR_MEDIAN,
    Numbers,
    book_table,
    capitalised,
    collapsible,
    count,
    markdown_table,
    name_list,
)

TOP = 8  # producers drawn in the time-series figure
QUOTED = "report_quoted_counts.csv"
MAX_WINDOW = 8  # the longest window (years) tried as an explanation of the quoted counts
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
    top = openalex.top_partner_by_year()
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
        "broad": frame["broad_share"].map(lambda v: "" if pd.isna(v) else f"{v:z.1f}"),
        "broad_rank": frame["broad_rank"].map(lambda v: "" if pd.isna(v) else f"{int(v)}"),
        "exact": frame["exact_share"].map(lambda v: "" if pd.isna(v) else f"{v:z.1f}"),
        "works": frame["works"].map(lambda v: "" if pd.isna(v) else f"{int(v):,}"),
        "partner": frame["top_partner"].map(lambda c: "" if pd.isna(c) else label.get(c, c)),
        "changes": [openalex.changes_text(openalex.partner_changes(i), label)
                    for i in frame["iso3"]],
    })
    return markdown_table(shown, {
        "economy": "Economy", "group": "Income group",
        "broad": f"Foreign share of credit, {panels.broad_year()} (%)",
        "broad_rank": "Rank", "exact": f"Co-authored share, {panels.exact_year()} (%)",
        "works": f"International works, {year}", "partner": f"Top partner, {year}",
        "changes": f"Top partner since {openalex.BASE_YEAR}"}, escaped=True)


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
    detail = "; ".join(f"{the_country(label[i])} {r:z.2f} times" for i, r
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
        detail = "; ".join(f"{the_country(label[i])} {r:z.2f} times" for i, r
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
            f"and GDP (both on log scales, same year) correlate at r = {gdp.r:z.2f} "
            f"({CONFIDENCE}% CI {gdp.low:z.2f} to {gdp.high:z.2f})")
    if people is not None:
        text += (f", works and population at r = {people.r:z.2f} ({people.low:z.2f} to "
                 f"{people.high:z.2f})")
        closer = "the economy" if gdp.r > people.r else "the population"
        separate = gdp.low > people.high or people.low > gdp.high
        text += (f"; the tie is closer to the size of {closer}"
                 + ("" if separate else ", though the two intervals overlap"))
    return text + "."










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
class UsChinaNumbers:
    """The United States–China link in OpenAlex: its first, peak and latest year (works written
    out for reading), the change from the peak (percent) and the sentence that reads it."""

    first_year: int
    first: str
    peak_year: int
    peak: str
    last_year: int
    last: str
    change: float
    sentence: str


@dataclass
class QuotedNumbers:
    """The report's quoted counts beside OpenAlex and NCSES: the table, the ratios, how to read
    them and the verdict."""

    intro: str
    year: int
    table: str
    ratio_min: float
    ratio_max: float
    above_total: str
    reading: str
    verdict: str
    verdict_sentence: str
    ordering: str
    sources: str


@dataclass
class RankingNumbers:
    """The economies ranked by their co-authored share: how many have it, its year, the table
    (and the block that folds it) and who leads."""

    n: int
    year: int
    table: str
    block: str
    sentence: str


@dataclass
class LandscapeNumbers(Numbers):
    """The numbers and sentences the chapter's prose shows, glued as ``land_<field>``."""

    PREFIX: ClassVar[str] = "land"
    year: int
    base_year: int
    countries: int
    economies: int
    top_name: str
    top_works: str
    top5: str
    growth_countries: int
    world_growth: float
    benchmark_sentence: str
    median_partners: float
    pairs_table: str
    top_pair_sentence: str
    intro_region: str
    territories: int
    links_block: str
    uscn: UsChinaNumbers
    size_sentence: str
    size_verdict: str
    size_verdict_sentence: str
    link_verdict: str
    link_verdict_sentence: str
    quoted: QuotedNumbers
    explanations_table: str
    explanations_sentence: str
    region_n: int
    region_sentence: str
    links_sentence: str
    ranking: RankingNumbers
    exact_year: int
    min_articles: int


@dataclass
class Landscape:
    """Everything the chapter shows for one region."""

    region: Region
    year: int
    producers: pd.DataFrame
    growth: pd.DataFrame
    top_pairs: pd.DataFrame
    links: pd.DataFrame
    numbers: LandscapeNumbers | None = None
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
    grown = openalex.growth(oa, openalex.BASE_YEAR, year, "international_works")
    pair_frame = openalex.pairs()
    top = pair_frame[pair_frame["year"] == year]
    if not region.is_world:
        top = top[top["a"].isin(region.members) | top["b"].isin(region.members)]
    top = top.sort_values("works", ascending=False).head(10)
    top = top.assign(pair=top["a"].map(label) + " – " + top["b"].map(label))
    shared = len(region.members) > 1 and not region.is_world
    links = openalex.inside_outside(pair_frame, region.members, year) if shared else (
        pd.DataFrame(columns=["iso3", "inside", "outside", "links", "inside_share"]))
    result = Landscape(region, year, latest.reset_index(drop=True), grown,
                       top.reset_index(drop=True), links)
    result.show_links = bool(shared and len(links) > 1)
    result.ranking = share_ranking(None if region.is_world else region.members)
    result.numbers = _numbers(result)
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
    return f"{value:z,.0f}"


def _numbers(r: Landscape) -> LandscapeNumbers:
    """The chapter's numbers, built here in one place."""
    first = r.producers.iloc[0]
    tests = size_tests()
    size = size_verdict(tests)
    link = openalex.link_verdict(openalex.link_test())
    quoted = quoted_comparison()
    tested = explanations(quoted)
    return LandscapeNumbers(
        year=r.year, base_year=openalex.BASE_YEAR,
        countries=int((r.producers["international_works"] > 0).sum()),
        economies=len(panels.economies()),
        top_name=the_country(first["name"]), top_works=_fmt(first["international_works"]),
        top5=name_list([the_country(name) for name in r.producers["name"].head(5)]),
        growth_countries=len(r.growth),
        world_growth=float(r.growth["end"].sum() / r.growth["start"].sum()),
        benchmark_sentence=openalex.benchmark_sentence(openalex.coverage_benchmark()),
        median_partners=float(r.producers["partner_countries"].median()),
        pairs_table=_pairs_markdown(r.top_pairs), top_pair_sentence=_top_pair_sentence(r),
        intro_region=intro_region(r.region),
        territories=len(panels.territories(regions.resolve("World"))),
        links_block=links_block(r), uscn=_us_china_numbers(),
        size_sentence=size_sentence(tests), size_verdict=size.verdict,
        size_verdict_sentence=size.sentence,
        link_verdict=link.verdict, link_verdict_sentence=link.sentence,
        quoted=_quoted_numbers(quoted),
        explanations_table=explanations_markdown(tested),
        explanations_sentence=explanations_sentence(tested),
        region_n=len(r.producers[r.producers["iso3"].isin(r.region.members)]),
        region_sentence=region_sentence(r), links_sentence=links_sentence(r),
        ranking=_ranking_numbers(r), exact_year=panels.exact_year(),
        min_articles=panels.MIN_ARTICLES)


def intro_region(region: Region) -> str:
    """What the chapter's last section does for the selected region."""
    if region.is_world:
        return ("In a region's edition it then asks whether the region's members find their "
                "partners inside or outside it; in an economy's edition it names that "
                "economy's partners.")
    if region.is_economy:
        return (f"It then looks at {region.in_prose}: its rank on each measure and its largest "
                "partners.")
    return (f"It then looks at {region.in_prose}: are its members' partners inside or outside "
            "the region?")


def _ranking_numbers(r: Landscape) -> RankingNumbers:
    """The economies ranked by co-authored share: the table, and who leads."""
    ranking = r.ranking
    table = ranking_markdown(ranking) if len(ranking) else ""
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
    return RankingNumbers(
        n=len(ranking.dropna(subset=["broad_share"])), year=panels.broad_year(), table=table,
        block=collapsible("Economies ranked by their co-authored share", table), sentence=text)


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
            f"share is {rho:z.2f}: {how}, which is why this chapter ranks by both.")


def _valued(rows: pd.DataFrame) -> str:
    return name_list([f"{the_country(row['name'])} ({row['broad_share']:z.1f}%)"
                      for _, row in rows.iterrows()])


def _rank_of(row: pd.Series) -> str:
    from ..report import ordinal

    return f"{the_country(row['name'])} {ordinal(int(row['broad_rank']))}"


def _top_pair_sentence(r: Landscape) -> str:
    where = ("" if r.region.is_world else
             f" among pairs involving {r.region.in_prose}" if r.region.is_economy else
             f" among pairs involving a member of {r.region.in_prose}")
    if r.top_pairs.empty:
        whose = r.region.in_prose if r.region.is_economy else f"a member of {r.region.in_prose}"
        return f"No pair involving {whose} has co-authored works in {r.year}."
    top = r.top_pairs.iloc[0]
    return (f"The strongest link in {r.year}{where} was {top['pair']}, with "
            f"{_fmt(top['works'])} works.")


def _us_china_numbers() -> UsChinaNumbers:
    oa, ncses = openalex.us_china()
    peak = oa.loc[oa["works"].idxmax()]
    last = oa.iloc[-1]
    after = oa[oa["year"] > peak["year"]]
    first_year, first = int(oa["year"].iloc[0]), _fmt(oa["works"].iloc[0])
    change = float(100 * (last["works"] / peak["works"] - 1))
    ncses_years = [int(y) for y in ncses["year"]]
    ncses_text = name_list([f"{_fmt(a)} articles in {int(y)}"
                       for y, a in ncses.itertuples(index=False)], empty="")
    rise = (f"Works co-authored by the two countries rose from {first} in {first_year} to a "
            f"peak of {_fmt(peak['works'])} in {int(peak['year'])}.")
    if after.empty:
        sentence = (
            f"{rise} That peak is the latest year of the data (OpenAlex snapshot of "
            f"{openalex_snapshot()}; the latest year may still be incomplete). NCSES, counting "
            f"Scopus articles, shows the rise too: {ncses_text}.")
    else:
        later = name_list([f"{_fmt(w)} in {int(y)}" for y, w in after.itertuples(index=False)],
                          empty="")
        fall = (f" Every later year was lower: {later}, so the latest year is "
                f"{abs(change):z.1f}% below the peak.")
        complete = oa[(oa["year"] > peak["year"]) & (oa["year"] < last["year"])]
        check = ""
        if len(complete):
            year_before = complete.iloc[-1]
            check = (f", but {int(year_before['year'])}, which has had longer to fill in, was "
                     f"already {100 * (1 - year_before['works'] / peak['works']):z.1f}% below it")
        turn_seen = int(peak["year"]) in ncses_years and max(ncses_years) > peak["year"]
        ncses_reach = ("which also shows the turn" if turn_seen else
                       "so it shows the rise but cannot confirm or date the turn")
        sentence = (
            f"{rise}{fall} The latest year may be incomplete (the OpenAlex snapshot is of "
            f"{openalex_snapshot()} and late records keep arriving){check}. NCSES, counting "
            f"Scopus articles, has only {name_list([str(y) for y in ncses_years], empty='')} "
            f"({ncses_text}), {ncses_reach}.")
    return UsChinaNumbers(
        first_year=first_year, first=first, peak_year=int(peak["year"]),
        peak=_fmt(peak["works"]), last_year=int(last["year"]), last=_fmt(last["works"]),
        change=change, sentence=sentence)


def _quoted_numbers(table: pd.DataFrame) -> QuotedNumbers:
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
    found = table.dropna(subset=["openalex_international"])
    ratios = found["quoted"] / found["openalex_international"]
    above = table.dropna(subset=["ncses_total"])
    above = above[above["quoted"] > above["ncses_total"]]
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
    v = quoted_verdict(table)
    missing = table[table["ncses_total"].isna()]
    return QuotedNumbers(
        intro=(f"The report gives {name_list(parts)}, all downloaded from SciVal; "
               f"we compare every one of them with {year}."),
        year=year, table=_quoted_markdown(table, label),
        ratio_min=float(ratios.min()), ratio_max=float(ratios.max()),
        above_total=name_list([the_country(label[i]) for i in above["iso3"]]),
        reading=" ".join(reading), verdict=v.verdict, verdict_sentence=v.sentence,
        ordering=ordering_sentence(table, label),
        sources=("every source that covers the country" + (
            " (NCSES has no figures for "
            f"{name_list([the_country(label[i]) for i in missing['iso3']])})"
            if len(missing) else "")))


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
    text = (f"The quoted counts span {span:z.1f} orders of magnitude, from "
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


def region_sentence(r: Landscape) -> str:
    """The region's internationally co-authored output, its growth and NCSES's benchmark; for
    an economy, its own (see :func:`economy_text`)."""
    region = r.region
    members = r.producers[r.producers["iso3"].isin(region.members)]
    if region.is_economy:
        return economy_text(r)
    if region.is_world:
        return ("This is the world edition, so the figures above are the world's; a region's "
                "edition sets its members beside them here.")
    if members.empty:
        return (f"OpenAlex has no internationally co-authored works in {r.year} for any economy "
                f"of {region.in_prose}.")
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
                f"{m['partner_countries']:z.0f} countries)" for _, m in members.iterrows()]
        text += f" By member: {name_list(each, empty='')}."
    else:
        text += (f" The largest is {the_country(lead['name'])} with "
                 f"{_fmt(lead['international_works'])}; the median member has partners in "
                 f"{members['partner_countries'].median():z.0f} countries.")
    if len(grown):
        which = ("the members' combined credits" if len(grown) == len(members) else
                 f"the combined credits of the {count(len(grown), 'member')} with works in "
                 "both years")
        text += (f" Since {openalex.BASE_YEAR} {which} have grown {ratio:z.1f}-fold, "
                 f"against {world:z.1f}-fold for all countries; both figures also reflect "
                 "OpenAlex's growing coverage.")
        bench = openalex.coverage_benchmark(region.members)
        if bench["economies"]:
            text += " " + openalex.benchmark_sentence(bench, "members")
    return text


def links_sentence(r: Landscape) -> str:
    """How much of the members' co-authorship stays inside the region; for an economy, its
    largest partners."""
    region = r.region
    if region.is_economy:
        return openalex.top_partners_sentence(region.members[0], r.year)
    if region.is_world:
        return ("For the world as a whole every partner is inside the region; a region's "
                "edition shows inside and outside links.")
    if not r.producers["iso3"].isin(region.members).any():
        return "There are no links to show for this region."
    if r.links.empty:
        return "No co-authorship links were recorded for these members."
    share = r.links["inside"].sum() / r.links["links"].sum()
    return (f"Of the members' co-authorship links with other countries in {r.year} (works "
            f"counted once per partner), {100 * share:z.1f}% are with partners inside "
            f"{region.in_prose} and {100 * (1 - share):z.1f}% with the rest of the world.")


def economy_text(r: Landscape) -> str:
    """One economy's internationally co-authored output, its growth and partners."""
    iso3 = r.region.members[0]
    name = r.region.in_prose
    mine = r.producers[r.producers["iso3"] == iso3]
    if mine.empty:
        return f"OpenAlex has no internationally co-authored works for {name} in {r.year}."
    row = mine.iloc[0]
    text = (f"In {r.year} {name} had {_fmt(row['international_works'])} internationally "
            f"co-authored works, with partners in {row['partner_countries']:z.0f} countries.")
    grown = r.growth[r.growth["iso3"] == iso3]
    if len(grown):
        world = r.growth["end"].sum() / r.growth["start"].sum()
        text += (f" Since {openalex.BASE_YEAR} they have grown {grown['ratio'].iloc[0]:z.1f}-fold, "
                 f"against {world:z.1f}-fold for all economies together; both figures also "
                 "reflect OpenAlex's growing coverage.")
        bench = openalex.coverage_benchmark((iso3,))
        if bench["economies"]:
            text += " " + openalex.benchmark_sentence(bench, "members").replace(
                "For the one member NCSES also reports", f"For {name}")
    return text




def _producers_caption(r: Landscape, shown: int, pool: int) -> str:
    """What the producers figure draws: the world's or a region's largest producers, every
    member a region has, or the one economy of an economy's edition."""
    where = r.region.in_prose
    if r.region.is_economy:
        return (f"Works with authors from {where} and from at least one other country, by "
                "publication year.")
    lead = ("Works with authors from the country and from at least one other country, by "
            "publication year, for")
    if r.region.is_world:
        return f"{lead} the {shown} countries with most such works in {r.year}."
    if shown == pool:
        return f"{lead} every economy of {where} with such works."
    return f"{lead} the {shown} economies of {where} with most such works in {r.year}."


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
        caption=_producers_caption(r, len(chosen), len(pool)),
        source=datasets.source_line("openalex_international"),
        data_years=f"{int(oa['year'].min())}–{r.year}")
    fig, ax = plt.subplots()
    # largest producer first, in the figure, its CSV and its interactive version alike, so
    # that both versions give each country the same colour
    data = data.assign(order=data["iso3"].map({c: i for i, c in enumerate(chosen)})).sort_values(
        ["order", "year"])[["iso3", "name", "year", "international_works", "partner_countries"]]
    ax.set_ylabel("Internationally co-authored works")
    ax.set_xlabel("Publication year")
    lines(ax, data, "year", "international_works", "name")
    thousands_axis(ax, "y")
    ax.set_title(spec.title)
    return fig, spec, data.reset_index(drop=True)


def us_china_figure():
    """The United States–China co-authorship link over time (OpenAlex)."""
    import matplotlib.pyplot as plt

    from ..figures import thousands_axis

    oa, _ = openalex.us_china()
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
