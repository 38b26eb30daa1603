"""Who collaborates: internationally co-authored output, partners, pairs, the US–China link."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from .. import datasets, regions
from ..figures import OKABE_ITO, FigureSpec
from ..regions import Region
from ..report import MIN_FOR_MEDIAN, book_table, count, name_list, the_country

BASE_YEAR = 2000
TOP = 8  # producers drawn in the time-series figure
QUOTED = "report_quoted_counts.csv"
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


def coverage_benchmark(members: tuple[str, ...] | None = None) -> dict:
    """Growth of internationally co-authored output in NCSES and in OpenAlex, same economies
    and years (BASE_YEAR to NCSES's last year), over all economies both report or ``members``."""
    pubs = datasets.load("publications")
    end = int(pubs["year"].max())
    ncses = growth(pubs, BASE_YEAR, end, "international")
    openalex = growth(datasets.load("openalex_international"), BASE_YEAR, end,
                      "international_works")
    common = set(ncses["iso3"]) & set(openalex["iso3"])
    if members is not None:
        common &= set(members)
    ncses, openalex = ncses[ncses["iso3"].isin(common)], openalex[openalex["iso3"].isin(common)]

    def ratio(frame: pd.DataFrame) -> float:
        return float(frame["end"].sum() / frame["start"].sum()) if len(frame) else float("nan")

    return {"economies": len(common), "start": BASE_YEAR, "end": end,
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


def analyse(region_name: str) -> Landscape:
    """Assemble the chapter's tables and numbers for a region."""
    region = regions.resolve(region_name)
    oa = datasets.load("openalex_international")
    year = int(oa["year"].max())
    label = names()
    latest = oa[oa["year"] == year].sort_values("international_works", ascending=False)
    latest = latest.assign(name=latest["iso3"].map(label))
    grown = growth(oa, BASE_YEAR, year, "international_works")
    pair_frame = _pairs()
    top = pair_frame[pair_frame["year"] == year]
    if not region.is_world:
        top = top[top["a"].isin(region.members) | top["b"].isin(region.members)]
    top = top.sort_values("works", ascending=False).head(10)
    top = top.assign(pair=top["a"].map(label) + " – " + top["b"].map(label))
    links = inside_outside(pair_frame, region.members, year) if not region.is_world else (
        pd.DataFrame(columns=["iso3", "inside", "outside", "links", "inside_share"]))
    result = Landscape(region, year, latest.reset_index(drop=True), grown,
                       top.reset_index(drop=True), links)
    result.numbers = _numbers(result, oa)
    return result


def _fmt(value: float) -> str:
    return f"{value:,.0f}"


def _numbers(r: Landscape, oa: pd.DataFrame) -> dict:
    first = r.producers.iloc[0]
    world_growth = r.growth["end"].sum() / r.growth["start"].sum()
    n = {
        "land_year": r.year, "land_base_year": BASE_YEAR,
        "land_countries": int((r.producers["international_works"] > 0).sum()),
        "land_top_name": the_country(first["name"]),
        "land_top_works": _fmt(first["international_works"]),
        "land_top5": name_list([the_country(name) for name in r.producers["name"].head(5)]),
        "land_growth_countries": len(r.growth), "land_world_growth": float(world_growth),
        "land_benchmark_sentence": benchmark_sentence(coverage_benchmark()),
        "land_median_partners": float(r.producers["partner_countries"].median()),
        "land_pairs_table": _pairs_markdown(r.top_pairs),
        "land_top_pair_sentence": _top_pair_sentence(r),
        "land_intro_region": (
            "In a region's edition it then asks whether the region's members find their "
            "partners inside or outside it." if r.region.is_world else
            f"It then looks at {r.region.in_prose}: are its members' partners inside or outside "
            "the region?"),
    }
    n.update(_us_china_numbers())
    n.update(_quoted_numbers(quoted_comparison()))
    n.update(_region_numbers(r))
    return n


def _top_pair_sentence(r: Landscape) -> str:
    where = ("" if r.region.is_world else
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
            "used here. The likeliest explanations are a broader set of document types in "
            "SciVal, a count of all publications rather than internationally co-authored ones, "
            "or a window longer than one year; the report does not say.")
    if len(unstated):
        names_unstated = name_list([the_country(label[i]) for i in unstated["iso3"]], empty="")
        reading.append(
            f"For {names_unstated} the report says only \u201cpapers\u201d and gives no year, so "
            "these need not be internationally co-authored, nor from one year.")
    n["land_quoted_reading"] = " ".join(reading)
    missing = table[table["ncses_total"].isna()]
    n["land_quoted_sources"] = (
        "every source that covers the country" + (
            " (NCSES has no figures for "
            f"{name_list([the_country(label[i]) for i in missing['iso3']])})"
            if len(missing) else ""))
    return n


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
