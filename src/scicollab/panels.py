"""The book's measures, one panel each: one value per economy, shared by every chapter.

A statistic such as "the world median of researchers per million" is computed from one panel
only, over one definition of the world's economies, so every chapter that prints it prints the
same number with the same count of economies. The same panels give an economy's rank among all
economies and within its income group.

This module is long because every measure's panel is defined here, in one place, with the rule
for the world's economies and the wording of an economy's ranks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import datasets
from .regions import INCOME_GROUPS, Region, the_country
from .report import capitalised, dollars, name_list, ordinal

WINDOW = (2015, 2023)  # "latest value": each economy's latest value in these years
GROWTH_YEARS = 10  # the growth of internationally co-authored works: over the last ten years
MIN_ARTICLES = 50  # the broad share: an economy needs this many whole-count articles in the year
NOT_CLASSIFIED = "Not classified"


# --- the world's economies: one rule, here ---------------------------------------------------


def economies() -> pd.DataFrame:
    """The world's economies as the book counts them: the World Bank's list (FY2024), with
    name, region and income group ('Not classified' where the list gives none).

    Territories outside that list (Antarctica, Pitcairn, the Holy See...) appear in some
    sources but are never counted among the world's economies, in any chapter."""
    return _economies(datasets.data_dir()).copy()


@lru_cache(maxsize=4)
def _economies(directory: Path) -> pd.DataFrame:
    countries = datasets.countries()
    listed = countries[countries["in_world_bank_list"]][["iso3", "name", "region",
                                                          "income_group"]]
    listed = listed.assign(income_group=listed["income_group"].fillna("").replace(
        "", NOT_CLASSIFIED))
    return listed.sort_values("iso3").reset_index(drop=True)


def counted(region: Region) -> tuple[str, ...]:
    """The region's members that count as economies (those on the World Bank's list)."""
    listed = set(_economies(datasets.data_dir())["iso3"])
    return tuple(m for m in region.members if m in listed)


def territories(region: Region) -> tuple[str, ...]:
    """The region's members outside the World Bank's list, left out of every count."""
    listed = set(_economies(datasets.data_dir())["iso3"])
    return tuple(m for m in region.members if m not in listed)


# --- panels ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    """One measure: each economy's value (and the year it is for), with how to word it."""

    key: str
    label: str  # a table header: "Researchers per million people"
    short: str  # in a sentence: "researchers per million people"
    years: str  # which years: "latest value 2015–2023"
    values: pd.DataFrame  # iso3, name, income_group, value, year; economies with a value only
    digits: int = 1  # decimals when the value is printed
    unit: str = ""  # appended to a printed value: "%", "-fold"
    sources: tuple[str, ...] = ()  # the processed tables it comes from
    words: Callable[[float], str] | None = None  # prints a value instead of digits and unit

    def of(self, members: Iterable[str] | None = None) -> pd.DataFrame:
        """The rows of the given economies (all when None)."""
        if members is None:
            return self.values
        return self.values[self.values["iso3"].isin(set(members))]

    def median(self, members: Iterable[str] | None = None) -> tuple[float, int]:
        """The median value over the given economies (all when None) and how many have one."""
        part = self.of(members)
        return (float(part["value"].median()) if len(part) else float("nan")), len(part)

    def text(self, value: float) -> str:
        """A value as the prose prints it: '853', '1.2%', '4.7-fold'."""
        if pd.isna(value):
            return "–"
        if self.words is not None:
            return self.words(value)
        return f"{value:z,.{self.digits}f}{self.unit}"


def _panel_frame(frame: pd.DataFrame, value: str) -> pd.DataFrame:
    """Restrict a table to the world's economies and name its columns as a panel's."""
    listed = _economies(datasets.data_dir())
    frame = frame.rename(columns={value: "value"})[["iso3", "value", "year"]]
    frame = frame.dropna(subset=["value"]).merge(listed[["iso3", "name", "income_group"]],
                                                 on="iso3")
    frame = frame.assign(year=frame["year"].astype(int))
    return frame[["iso3", "name", "income_group", "value", "year"]].sort_values(
        "iso3").reset_index(drop=True)


def _window_text() -> str:
    return f"latest value {WINDOW[0]}–{WINDOW[1]}"


def _latest(table: str, column: str) -> pd.DataFrame:
    return datasets.latest_in_window(datasets.load(table), column, *WINDOW)


def _gerd_pct_gdp() -> Panel:
    return Panel("gerd_pct_gdp", "GERD, % of GDP", "R&D spending as a share of GDP",
                 _window_text(), _panel_frame(_latest("rd_expenditure", "gerd_pct_gdp"),
                                              "gerd_pct_gdp"),
                 digits=2, unit="%", sources=("rd_expenditure",))


def _gerd_usd() -> Panel:
    frame = _latest("rd_expenditure", "gerd_usd")
    frame = frame.assign(gerd_usd=frame["gerd_usd"] / 1e9)
    return Panel("gerd_usd", "GERD, current US$ bn", "R&D spending in current US dollars",
                 _window_text(), _panel_frame(frame, "gerd_usd"), sources=("rd_expenditure",),
                 words=lambda billions: dollars(billions * 1e9))


def _researchers() -> Panel:
    return Panel("researchers", "Researchers per million people",
                 "researchers per million people", _window_text(),
                 _panel_frame(_latest("researchers", "researchers_per_million"),
                              "researchers_per_million"),
                 digits=0, sources=("researchers",))


def broad_year() -> int:
    """The year of the broad co-authorship share (the latest year of NCSES table S5a-2)."""
    return int(datasets.load("publication_counts")["year"].max())


def _broad_share() -> Panel:
    counts = datasets.load("publication_counts")
    year = broad_year()
    frame = counts[(counts["year"] == year) & (counts["whole"] >= MIN_ARTICLES)]
    frame = frame.assign(share=100 * frame["foreign_credit_share"])
    return Panel("broad_share", f"Foreign share of whole-count credit, {year} (%)",
                 "the foreign share of whole-count credit", str(year),
                 _panel_frame(frame, "share"), digits=1, unit="%",
                 sources=("publication_counts",))


def exact_year() -> int:
    """The latest year of the exact co-authorship share (NCSES SPBS-33)."""
    return int(datasets.load("publications")["year"].max())


def _exact_share() -> Panel:
    pubs = datasets.load("publications")
    year = exact_year()
    frame = pubs[pubs["year"] == year]
    frame = frame.assign(share=100 * frame["international_share"])
    return Panel("exact_share", f"Internationally co-authored share of articles, {year} (%)",
                 "the internationally co-authored share of articles", str(year),
                 _panel_frame(frame, "share"), digits=1, unit="%", sources=("publications",))


def exact_series() -> pd.DataFrame:
    """The exact co-authorship attributes (NCSES SPBS-33) of the world's economies, from one
    edition only: the newest, the one that gives the latest year. The processed table joins an
    older edition for earlier years, and the two editions count differently (see
    :func:`vintage_break`), so a series over years never mixes them."""
    pubs = datasets.load("publications")
    newest = pubs.loc[pubs["year"] == pubs["year"].max(), "table_id"].iloc[0]
    pubs = pubs[(pubs["table_id"] == newest) & pubs["iso3"].isin(_economies(
        datasets.data_dir())["iso3"])]
    return pubs.reset_index(drop=True)


def vintage_break() -> dict:
    """The join of the two NCSES editions in the processed exact-share table: the first year of
    the newest edition, the jump of the median share (percentage points) from the last year of
    the older edition to it, and the median absolute change from one year to the next within
    the newest edition (for scale); nan when there is one edition only."""
    pubs = datasets.load("publications")
    pubs = pubs[pubs["iso3"].isin(_economies(datasets.data_dir())["iso3"])]
    newest = pubs.loc[pubs["year"] == pubs["year"].max(), "table_id"].iloc[0]

    def yearly(part: pd.DataFrame) -> pd.DataFrame:
        frame = part.groupby("year").agg(median=("international_share", "median"),
                                         table_id=("table_id", "first")).reset_index()
        return frame.assign(median=100 * frame["median"])

    current = yearly(pubs[pubs["table_id"] == newest])
    older = yearly(pubs[pubs["table_id"] != newest])
    first = int(current["year"].iloc[0])
    within = float(current["median"].diff().abs().median())
    if older.empty:
        return {"year": first, "jump": float("nan"), "typical": within, "older_first": None,
                "older_last": None, "older_table": None, "newest_table": str(int(newest))}
    last_old = older[older["year"] < first].iloc[-1]
    return {"year": first, "jump": float(current["median"].iloc[0] - last_old["median"]),
            "typical": within, "older_first": int(older["year"].min()),
            "older_last": int(last_old["year"]), "older_table": str(int(last_old["table_id"])),
            "newest_table": str(int(newest))}


TRUST_ITEM = "G007_36_B"  # trust in people of another nationality


def _trust() -> Panel:
    trust = datasets.load("trust")
    trust = trust[trust["item"] == TRUST_ITEM].sort_values(["iso3", "wave"])
    latest = trust.groupby("iso3", as_index=False).last()
    frame = _panel_frame(latest, "trust_pct")
    years = f"latest survey {int(frame['year'].min())}–{int(frame['year'].max())}"
    return Panel("trust", "Trusting people of another nationality (%)",
                 "the share trusting people of another nationality", years, frame,
                 digits=1, unit="%", sources=("trust",))


def growth_years() -> tuple[int, int]:
    """The first and last year of the growth of internationally co-authored works."""
    last = int(datasets.load("openalex_international")["year"].max())
    return last - GROWTH_YEARS, last


def ratio(frame: pd.DataFrame, column: str, first: int, last: int) -> pd.DataFrame:
    """Each economy's ``column`` in ``last`` over its value in ``first`` (both present, the
    first positive): iso3, start, end, ratio."""
    wide = frame[frame["year"].isin([first, last])].pivot(index="iso3", columns="year",
                                                         values=column)
    wide = wide.reindex(columns=[first, last]).dropna()
    wide = wide[wide[first] > 0]
    return pd.DataFrame({"iso3": wide.index, "start": wide[first].to_numpy(),
                         "end": wide[last].to_numpy(),
                         "ratio": (wide[last] / wide[first]).to_numpy()}).reset_index(drop=True)


def _works_growth() -> Panel:
    first, last = growth_years()
    grown = ratio(datasets.load("openalex_international"), "international_works", first, last)
    return Panel("works_growth",
                 f"Growth of internationally co-authored works, {first} to {last} (ratio)",
                 "the growth of internationally co-authored works", f"{first} to {last}",
                 _panel_frame(grown.assign(year=last), "ratio"), digits=1, unit="-fold",
                 sources=("openalex_international",))


def output_years() -> tuple[int, int]:
    """The first and last year of NCSES's whole-count articles (table S5a-2)."""
    years = datasets.load("publication_counts")["year"]
    return int(years.min()), int(years.max())


def _output_growth() -> Panel:
    first, last = output_years()
    grown = ratio(datasets.load("publication_counts"), "whole", first, last)
    return Panel("output_growth", f"Growth of article output, {first} to {last} (ratio)",
                 "the growth of article output", f"{first} to {last}",
                 _panel_frame(grown.assign(year=last), "ratio"), digits=1, unit="-fold",
                 sources=("publication_counts",))


def openalex_year() -> int:
    """The latest year of OpenAlex's country counts."""
    return int(datasets.load("openalex_international")["year"].max())


def _works() -> Panel:
    oa = datasets.load("openalex_international")
    year = openalex_year()
    return Panel("works", f"Internationally co-authored works, {year}",
                 "internationally co-authored works", str(year),
                 _panel_frame(oa[oa["year"] == year], "international_works"), digits=0,
                 sources=("openalex_international",))


def _partners() -> Panel:
    oa = datasets.load("openalex_international")
    year = openalex_year()
    return Panel("partners", f"Partner countries, {year}", "partner countries", str(year),
                 _panel_frame(oa[oa["year"] == year], "partner_countries"), digits=0,
                 sources=("openalex_international",))


BUILDERS: dict[str, Callable[[], Panel]] = {
    "gerd_pct_gdp": _gerd_pct_gdp, "gerd_usd": _gerd_usd, "researchers": _researchers,
    "broad_share": _broad_share, "exact_share": _exact_share, "trust": _trust,
    "works_growth": _works_growth, "output_growth": _output_growth, "works": _works,
    "partners": _partners,
}


def panel(key: str) -> Panel:
    """The panel of one measure (built once per data folder)."""
    if key not in BUILDERS:
        from .errors import UnknownNameError

        raise UnknownNameError("panel", key, [k for k in BUILDERS if k.startswith(key[:3])])
    return _panel(datasets.data_dir(), key)


@lru_cache(maxsize=64)
def _panel(directory: Path, key: str) -> Panel:
    return BUILDERS[key]()


# --- ranks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rank:
    """Where one economy stands on a panel: first is the highest value."""

    iso3: str
    name: str
    value: float
    year: int
    rank: int
    n: int
    group: str
    group_rank: int | None  # None when the economy has no income group
    group_n: int


def rank(p: Panel, iso3: str) -> Rank | None:
    """The economy's rank among all economies with a value and within its income group (ties
    share the higher rank); None when it has no value."""
    values = p.values
    row = values[values["iso3"] == iso3]
    if row.empty:
        return None
    row = row.iloc[0]
    position = int((values["value"] > row["value"]).sum()) + 1
    group = str(row["income_group"])
    if group in INCOME_GROUPS:
        peers = values[values["income_group"] == group]
        group_rank: int | None = int((peers["value"] > row["value"]).sum()) + 1
        group_n = len(peers)
    else:
        group_rank, group_n = None, 0
    return Rank(iso3, str(row["name"]), float(row["value"]), int(row["year"]), position,
                len(values), group, group_rank, group_n)


def rank_table(p: Panel, members: Iterable[str] | None = None) -> pd.DataFrame:
    """Every economy's value with its rank overall and within its income group (highest
    first), for the given economies (all when None)."""
    values = p.values.copy()
    values["rank"] = values["value"].rank(ascending=False, method="min").astype(int)
    classified = values["income_group"].isin(INCOME_GROUPS)
    values["group_rank"] = np.nan
    values.loc[classified, "group_rank"] = values[classified].groupby("income_group")[
        "value"].rank(ascending=False, method="min")
    values["group_n"] = values.groupby("income_group")["iso3"].transform("size")
    values.loc[~classified, "group_n"] = 0
    frame = values if members is None else values[values["iso3"].isin(set(members))]
    return frame.sort_values(["rank", "name"]).reset_index(drop=True)


def rank_text(r: Rank, of: str = "economies") -> str:
    """'68th of 122 economies and 5th of 40 in the Lower middle income group'."""
    text = f"{ordinal(r.rank)} of {r.n:,} {of}"
    if r.group_rank is not None:
        text += f" and {ordinal(r.group_rank)} of {r.group_n:,} in the {r.group} group"
    return text


def standing_sentence(p: Panel, iso3: str, name: str | None = None) -> str:
    """One economy on one panel in words: its value and year, and its two ranks; or that it
    has no value."""
    r = rank(p, iso3)
    if r is None:
        who = name or _name(iso3)
        return f"{who} has no value for {p.short} ({p.years})."
    year = "" if p.years == str(r.year) else f" ({r.year})"
    return (f"{r.name}: {p.text(r.value)}{year}, {rank_text(r)} (highest first).")


def _name(iso3: str) -> str:
    names = datasets.countries().set_index("iso3")["name"]
    return str(names.get(iso3, iso3))


def group_medians(p: Panel) -> pd.DataFrame:
    """Per income group: economies in the group, economies with a value and their median;
    then the world (every economy on the World Bank's list)."""
    listed = _economies(datasets.data_dir())
    rows = []
    for group in (*INCOME_GROUPS, None):
        members = listed if group is None else listed[listed["income_group"] == group]
        median, n = p.median(members["iso3"])
        rows.append({"income_group": group or "World", "economies": len(members),
                     "with_value": n, "median": median})
    return pd.DataFrame(rows)


def economy_sentence(iso3: str, keys: list[str], lead: str | None = None) -> str:
    """One economy on several of the shared panels: each value with its year and its ranks
    among all economies and within its income group; then the panels it has no value on."""
    name = str(datasets.countries().set_index("iso3")["name"].get(iso3, iso3))
    parts, missing = [], []
    for key in keys:
        p = panel(key)
        r = rank(p, iso3)
        if r is None:
            missing.append(f"{p.short} ({p.years})")
            continue
        year = "" if p.years == str(r.year) or p.years.endswith(f"to {r.year}") else (
            f" in {r.year}")
        parts.append(f"{p.short} {p.text(r.value)}{year} ({rank_text(r)})")
    text = ""
    if parts:
        text = f"{lead or 'For ' + the_country(name)}: " + "; ".join(parts) + "."
        text += " Ranks count from the highest value."
    if missing:
        text += (" " if text else "") + (
            f"{capitalised(the_country(name))} has no value for {name_list(missing)}.")
    return text
