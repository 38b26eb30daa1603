"""Who collaborates: internationally co-authored output, partners, pairs, the US–China link."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from .. import datasets, paths, regions
from ..figures import OKABE_ITO, FigureSpec
from ..regions import Region

BASE_YEAR = 2000
TOP = 8  # producers drawn in the time-series figure
QUOTED = paths.ROOT / "book" / "tables" / "report_quoted_counts.csv"


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


def quoted_comparison() -> pd.DataFrame:
    """The report's quoted 2020 counts beside OpenAlex and NCSES for the same countries."""
    quoted = pd.read_csv(QUOTED, keep_default_na=False)
    oa = datasets.load("openalex_international")
    pubs = datasets.load("publications")
    rows = []
    for q in quoted.itertuples():
        o = oa[(oa["iso3"] == q.iso3) & (oa["year"] == q.year)]["international_works"]
        p = pubs[(pubs["iso3"] == q.iso3) & (pubs["year"] == q.year)]
        rows.append({"iso3": q.iso3, "year": q.year, "quoted": q.quoted_count,
                     "qualifier": q.qualifier,
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
    label = names()
    first = r.producers.iloc[0]
    world_growth = r.growth["end"].sum() / r.growth["start"].sum()
    oa_us_china, ncses_us_china = us_china()
    peak = oa_us_china.loc[oa_us_china["works"].idxmax()]
    last = oa_us_china.iloc[-1]
    n = {
        "land_year": r.year, "land_base_year": BASE_YEAR,
        "land_countries": int((r.producers["international_works"] > 0).sum()),
        "land_top_name": first["name"], "land_top_works": _fmt(first["international_works"]),
        "land_top5": ", ".join(r.producers["name"].head(5)),
        "land_growth_countries": len(r.growth), "land_world_growth": float(world_growth),
        "land_median_partners": float(r.producers["partner_countries"].median()),
        "land_top_pair": r.top_pairs["pair"].iloc[0] if len(r.top_pairs) else "none",
        "land_top_pair_works": _fmt(r.top_pairs["works"].iloc[0]) if len(r.top_pairs) else "–",
        "land_pairs_table": _pairs_markdown(r.top_pairs),
        "land_uscn_first_year": int(oa_us_china["year"].iloc[0]),
        "land_uscn_first": _fmt(oa_us_china["works"].iloc[0]),
        "land_uscn_peak_year": int(peak["year"]), "land_uscn_peak": _fmt(peak["works"]),
        "land_uscn_last": _fmt(last["works"]),
        "land_uscn_change": float(100 * (last["works"] / peak["works"] - 1)),
        "land_uscn_ncses": "; ".join(f"{int(y)}: {_fmt(a)} articles"
                                     for y, a in ncses_us_china.itertuples(index=False)),
        "land_quoted_table": _quoted_markdown(quoted_comparison(), label),
    }
    quoted = quoted_comparison().dropna(subset=["openalex_international"])
    ratios = quoted["quoted"] / quoted["openalex_international"]
    n["land_quoted_ratio_min"] = float(ratios.min())
    n["land_quoted_ratio_max"] = float(ratios.max())
    above_total = quoted.dropna(subset=["ncses_total"])
    n["land_quoted_above_total"] = ", ".join(
        label[i] for i in above_total.loc[above_total["quoted"] > above_total["ncses_total"],
                                          "iso3"]) or "none"
    n.update(_region_numbers(r, label))
    return n


def _pairs_markdown(top: pd.DataFrame) -> str:
    rows = ["| Pair | Works |", "|---|---:|"]
    rows += [f"| {p.pair} | {_fmt(p.works)} |" for p in top.itertuples()]
    return "\n".join(rows)


def _quoted_markdown(table: pd.DataFrame, label: dict[str, str]) -> str:
    def cell(value) -> str:
        return "–" if value is None or value != value else _fmt(value)

    rows = ["| Country | Report (SciVal) | OpenAlex, international | NCSES, international | "
            "NCSES, all articles |", "|---|---:|---:|---:|---:|"]
    for q in table.itertuples():
        quoted = ("over " if q.qualifier == "over" else "") + _fmt(q.quoted)
        rows.append(f"| {label.get(q.iso3, q.iso3)} | {quoted} | {cell(q.openalex_international)}"
                    f" | {cell(q.ncses_international)} | {cell(q.ncses_total)} |")
    return "\n".join(rows)


def _region_numbers(r: Landscape, label: dict[str, str]) -> dict:
    region = r.region
    members = r.producers[r.producers["iso3"].isin(region.members)]
    n = {"land_region_n": len(members)}
    if members.empty:
        n["land_region_sentence"] = (
            f"None of the {len(region.members)} economies in {region.name} has internationally "
            f"co-authored works in OpenAlex for {r.year}.")
        n["land_links_sentence"] = "There are no links to show for this region."
        return n
    lead = members.iloc[0]
    grown = r.growth[r.growth["iso3"].isin(region.members)]
    ratio = grown["end"].sum() / grown["start"].sum() if len(grown) else float("nan")
    n["land_region_sentence"] = (
        f"{len(members)} economies of {region.in_prose} have internationally co-authored works in "
        f"{r.year}, {_fmt(members['international_works'].sum())} in all (counted once per "
        f"country, so a work shared by two members counts twice). The largest is "
        f"{lead['name']} with {_fmt(lead['international_works'])}. Since {BASE_YEAR} the "
        f"members' combined count has grown {ratio:.1f}-fold, against "
        f"{r.growth['end'].sum() / r.growth['start'].sum():.1f}-fold for all countries; their "
        f"median number of partner countries is {members['partner_countries'].median():.0f}.")
    if region.is_world:
        n["land_links_sentence"] = ("For the world as a whole every partner is inside the "
                                    "region; choose a region to see inside and outside links.")
    elif r.links.empty:
        n["land_links_sentence"] = "No co-authorship links were recorded for these members."
    else:
        share = r.links["inside"].sum() / r.links["links"].sum()
        n["land_links_sentence"] = (
            f"Of the members' co-authorship links with other countries in {r.year} (works "
            f"counted once per partner), {100 * share:.1f}% are with partners inside "
            f"{region.name} and {100 * (1 - share):.1f}% with the rest of the world.")
    return n


def producers_figure(r: Landscape):
    """Internationally co-authored works over time for the largest producers (of the region)."""
    import matplotlib.pyplot as plt

    oa = datasets.load("openalex_international")
    pool = r.producers if r.region.is_world else r.producers[
        r.producers["iso3"].isin(r.region.members)]
    chosen = list(pool["iso3"].head(TOP))
    data = oa[oa["iso3"].isin(chosen)].assign(name=lambda f: f["iso3"].map(names()))
    where = "the world" if r.region.is_world else r.region.name
    spec = FigureSpec(
        id=f"landscape-producers-{r.region.slug}",
        title=f"Internationally co-authored works, largest producers of {where}",
        caption=("Works with authors from the country and from at least one other country, by "
                 "publication year, for the countries with most such works in the latest year."),
        source=datasets.source_line("openalex_international"),
        data_years=f"{int(oa['year'].min())}–{r.year}")
    fig, ax = plt.subplots()
    palette = list(OKABE_ITO.values())
    for i, iso3 in enumerate(chosen):
        series = data[data["iso3"] == iso3]
        ax.plot(series["year"], series["international_works"], color=palette[i % len(palette)],
                linewidth=1.6, label=series["name"].iloc[0])
    ax.set_ylabel("Internationally co-authored works")
    ax.set_xlabel("Publication year")
    ax.set_title(spec.title)
    if chosen:
        ax.legend(fontsize=7, loc="upper left")
    return fig, spec, data[["iso3", "name", "year", "international_works", "partner_countries"]]


def us_china_figure():
    """The United States–China co-authorship link over time (OpenAlex)."""
    import matplotlib.pyplot as plt

    oa, _ = us_china()
    spec = FigureSpec(
        id="landscape-us-china",
        title="Works co-authored by the United States and China",
        caption="Works with authors from both countries, by publication year.",
        source=datasets.source_line("openalex_pairs"),
        data_years=f"{int(oa['year'].min())}–{int(oa['year'].max())}")
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    ax.plot(oa["year"], oa["works"], color=OKABE_ITO["vermillion"], linewidth=2)
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
        title=f"Partners inside and outside {r.region.name}",
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
        ax.legend(fontsize=7, loc="lower right")
    else:
        ax.text(0.5, 0.5, "No inside/outside split for this region", ha="center",
                transform=ax.transAxes)
    ax.set_xlabel("Share of co-authorship links (%)")
    ax.set_xlim(0, 100)
    ax.set_title(spec.title)
    return fig, spec, data
