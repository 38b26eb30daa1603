"""Data gaps: which economies of a region lack each measure the book uses, and in which years.

This module is long because it checks every table the book uses, each with its own rule for
what counts as a value, and its two figures need the same tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd

from .. import datasets, panels, regions, verdicts
from ..figures import FigureSpec
from ..regions import Region
from ..report import (
    Numbers,
    capitalised,
    count,
    framed,
    name_list,
    possessive,
)

SMALL_REGION = 60  # regions with at most this many economies get a per-country heat map
TRUST_ITEM = panels.TRUST_ITEM  # trust in people of another nationality
TRUST_WAVES = (5, 6, 7)

YEARS_PER_ROW = 12  # the coverage heat map wraps its years into rows of this many


@dataclass(frozen=True)
class GapMeasure:
    """One measure: its table, the column that must be present, and the periods it should cover."""

    key: str
    label: str
    table: str
    column: str
    periods: tuple[int, ...]
    short: str = ""  # a name for panel titles and running text
    period: str = "year"  # the column naming a period: year, or wave for the surveys
    select: Callable[[pd.DataFrame], pd.DataFrame] | None = None

    def records(self) -> pd.DataFrame:
        """The (iso3, period) pairs with a value, inside the measure's periods (found once per
        process and data folder; each caller gets its own copy)."""
        return _records(datasets.data_dir(), self).copy()


@lru_cache(maxsize=16)
def _records(directory: Path, measure: GapMeasure) -> pd.DataFrame:
    frame = datasets.load(measure.table)
    if measure.select is not None:
        frame = measure.select(frame)
    frame = frame.dropna(subset=[measure.column])
    frame = frame[frame[measure.period].isin(measure.periods)]
    return frame[["iso3", measure.period]].drop_duplicates().rename(
        columns={measure.period: "period"}).reset_index(drop=True)


MEASURES = (
    GapMeasure("gerd", "GERD (R&D expenditure)", "rd_expenditure", "gerd_usd",
               tuple(range(2000, 2024)), short="GERD"),
    GapMeasure("exact", "Exact co-authorship share", "publications", "international_share",
               tuple(range(2000, 2023)), short="exact share"),
    GapMeasure("broad", "Broad co-authorship share", "publication_counts",
               "foreign_credit_share", tuple(range(2000, 2019)), short="broad share"),
    GapMeasure("trust", "Trust in people of another nationality", "trust", "trust_pct",
               TRUST_WAVES, short="trust", period="wave",
               select=lambda frame: frame[frame["item"] == TRUST_ITEM]),
)


@dataclass
class MeasureGaps:
    """One measure's coverage (``gaps_<measure>_*``): cells, records, the share missing, the
    members without and with a value, its first and last period; for GERD and trust also the
    share missing among low-income and among high-income economies."""

    cells: int
    records: int
    missing_pct: float
    without: int
    with_: int
    first: int
    last: int
    missing_low_pct: float | None
    missing_high_pct: float | None


@dataclass
class GapsNumbers(Numbers):
    """The numbers and sentences the chapter's prose shows, glued as ``gaps_<field>``."""

    PREFIX: ClassVar[str] = "gaps"
    members: int
    economies: str
    where: str
    with_sentence: str
    not_in_wb_list: int
    territories_n: int
    territories_sentence: str
    small_region: int
    cells: int
    records: int
    missing_pct: float
    outnumber: str
    overall: str
    measures_outnumbered: int
    verdict: str
    claim_verdict: str
    claim_sentence: str
    summary_table: str
    missing_table: str
    trust_item: str
    countries_sentence: str
    region_sentence: str
    gerd: MeasureGaps
    exact: MeasureGaps
    broad: MeasureGaps
    trust: MeasureGaps
    deepest: str
    # the years of each trust wave in TRUST_WAVES (None: the wave is not in the data)
    trust_wave5_years: str | None
    trust_wave6_years: str | None
    trust_wave7_years: str | None


@dataclass
class GapsAnalysis:
    """Coverage of every measure for one region."""

    region: Region
    economies: tuple[str, ...]  # the members counted: for the world, the World Bank's list
    territories: tuple[str, ...]  # members outside the World Bank's list, counted apart
    coverage: pd.DataFrame  # iso3, name, measure, period, covered: one row per cell
    summary: pd.DataFrame  # one row per measure: cells, records, missing share, members without
    shares: pd.DataFrame  # measure, period, share of members covered (percent)
    missing: pd.DataFrame  # measure, members lacking it entirely
    trust_years: pd.DataFrame  # wave, first and last survey year in the data
    numbers: GapsNumbers | None = None


def counted_members(region: Region) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The economies whose cells are counted, and the members left out of the counts.

    For the world these are the economies on the World Bank's list, and the territories
    outside it (Antarctica, Pitcairn, the Holy See...) are left out; every other region counts
    all its members (the named regions are made of World Bank economies, and a custom list
    counts what its author chose)."""
    if not region.is_world:
        return tuple(region.members), ()
    return panels.counted(region), panels.territories(region)


def coverage(region: Region, measures=MEASURES,
             members: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Every counted member × measure × period cell of the region, with whether the data has a
    value (``members`` overrides which members are laid out)."""
    names = datasets.countries().set_index("iso3")["name"]
    members = list(counted_members(region)[0] if members is None else members)
    frames = []
    for m in measures:
        grid = pd.MultiIndex.from_product([members, m.periods], names=["iso3", "period"])
        cells = pd.DataFrame(index=grid).reset_index()
        have = m.records().assign(covered=True)
        cells = cells.merge(have, on=["iso3", "period"], how="left")
        cells["covered"] = cells["covered"].astype("boolean").fillna(False).astype(bool)
        frames.append(cells.assign(measure=m.key))
    if not frames or not members:
        return pd.DataFrame(columns=["iso3", "name", "measure", "period", "covered"])
    frame = pd.concat(frames, ignore_index=True)
    frame["name"] = frame["iso3"].map(names).fillna(frame["iso3"])
    return frame[["iso3", "name", "measure", "period", "covered"]]


def summarise(cells: pd.DataFrame, measures=MEASURES) -> pd.DataFrame:
    """Per measure: cells, records, the share of cells missing, and members with no record."""
    rows = []
    for m in measures:
        part = cells[cells["measure"] == m.key]
        per_member = part.groupby("iso3")["covered"].any()
        records = int(part["covered"].sum())
        rows.append({"measure": m.key, "label": m.label, "short": m.short, "cells": len(part),
                     "records": records,
                     "missing": len(part) - records,
                     "missing_pct": 100 * (len(part) - records) / len(part) if len(part)
                     else np.nan,
                     "members_without": int((~per_member).sum()),
                     "members_with": int(per_member.sum()),
                     "first": m.periods[0], "last": m.periods[-1], "period": m.period})
    return pd.DataFrame(rows)


def shares(cells: pd.DataFrame) -> pd.DataFrame:
    """Share of the region's members (percent) with a value, per measure and period."""
    if cells.empty:
        return pd.DataFrame(columns=["measure", "period", "share"])
    table = cells.groupby(["measure", "period"], sort=False)["covered"].mean() * 100
    return table.rename("share").reset_index()


def missing_members(cells: pd.DataFrame, measures=MEASURES) -> pd.DataFrame:
    """For each measure, the members with no value in any period (names, sorted)."""
    rows = []
    for m in measures:
        part = cells[cells["measure"] == m.key]
        covered = part.groupby(["iso3", "name"])["covered"].any().reset_index()
        lacking = covered.loc[~covered["covered"]].sort_values("name")
        having = covered.loc[covered["covered"]].sort_values("name")
        rows.append({"measure": m.key, "label": m.label, "n_missing": len(lacking),
                     "n_present": len(having), "missing": list(lacking["name"]),
                     "present": list(having["name"])})
    return pd.DataFrame(rows)


def trust_years() -> pd.DataFrame:
    """First and last survey year of each trust wave in the data."""
    trust = datasets.load("trust")
    trust = trust[(trust["item"] == TRUST_ITEM) & trust["wave"].isin(TRUST_WAVES)]
    return trust.groupby("wave")["year"].agg(["min", "max"]).reset_index()


def analyse(region_name: str) -> GapsAnalysis:
    """Coverage, shares, missing members and the chapter's numbers for a region."""
    region = regions.resolve(region_name)
    economies, territories = counted_members(region)
    cells = coverage(region, members=economies)
    analysis = GapsAnalysis(region, economies, territories, cells, summarise(cells),
                            shares(cells), missing_members(cells), trust_years())
    analysis.numbers = _numbers(analysis)
    return analysis


def per_country(region: Region) -> bool:
    """True when the region is small enough for a readable per-country heat map."""
    return len(counted_members(region)[0]) <= SMALL_REGION


def _names(names: list[str]) -> str:
    return "; ".join(names)


def missing_markdown(missing: pd.DataFrame) -> str:
    """A Markdown table of the members lacking each measure (or those having it, if fewer)."""
    rows = ["| Measure | Members without any value | Which |", "|---|---:|---|"]
    for r in missing.itertuples():
        if r.n_missing == 0:
            which = "none: every member has at least one value"
        elif r.n_present == 0:
            which = ("all of them: no member has a value" if r.n_missing > 1
                     else "the only member has no value")
        elif r.n_missing <= r.n_present or r.n_missing <= SMALL_REGION // 2:
            which = _names(r.missing)
        else:
            which = f"all except these {r.n_present}: {_names(r.present)}"
        rows.append(f"| {r.label} | {r.n_missing} | {which} |")
    return "\n".join(rows)


def summary_markdown(summary: pd.DataFrame) -> str:
    """A Markdown table of cells, records and the share missing per measure."""
    rows = ["| Measure | Periods | Country-period cells | With a value | Missing (%) |",
            "|---|---|---:|---:|---:|"]
    for r in summary.itertuples():
        periods = (f"{r.first}–{r.last}" if r.period == "year"
                   else f"waves {r.first}–{r.last}")
        missing = "–" if pd.isna(r.missing_pct) else f"{r.missing_pct:z.1f}"
        rows.append(f"| {r.label} | {periods} | {r.cells} | {r.records} | {missing} |")
    return "\n".join(rows)


def verdict(a: GapsAnalysis) -> verdicts.Verdict:
    """The report's claim of more gaps than records, for the region, by the shared rule
    (verdicts.gaps_outnumber)."""
    s = a.summary
    return verdicts.gaps_outnumber(int(s["cells"].sum()), int(s["missing"].sum()),
                                   int((s["missing"] > s["records"]).sum()), len(s))


def verdict_sentence(summary: pd.DataFrame) -> str:
    """Plain words: for how many measures do gaps outnumber records?"""
    if summary["records"].sum() == 0:
        return ("There is no record at all for this region: every cell of every measure is "
                "a gap.")
    more = summary[summary["missing"] > summary["records"]]
    if len(more) == len(summary):
        return ("Gaps outnumber records for every measure: for each of them, most "
                "country-period cells are empty.")
    if len(more) == 0:
        return ("Records outnumber gaps for every measure: for each of them, most "
                "country-period cells have a value.")
    labels = ", ".join(more["short"])
    rest = summary[summary["missing"] <= summary["records"]]
    other = ("for the other one, the " + rest["short"].iloc[0] if len(rest) == 1
             else "for the others")
    return (f"Gaps outnumber records for {len(more)} of the {len(summary)} measures "
            f"({labels}); {other}, most cells have a value.")


def _numbers(a: GapsAnalysis) -> GapsNumbers:
    """The chapter's numbers, built here in one place."""
    s = a.summary.set_index("measure")
    total_cells = int(s["cells"].sum())
    total_missing = int(s["missing"].sum())
    claim = verdict(a)
    income = income_gaps()
    by_measure = {m.key: _measure_gaps(s.loc[m.key], income.get(m.key)) for m in MEASURES}
    deeper = all(income[m][0] > income[m][1] for m in ("gerd", "trust"))
    waves = {int(wave): f"{first}–{last}"
             for wave, first, last in a.trust_years.itertuples(index=False)}
    return GapsNumbers(
        members=len(a.economies), economies=economies_phrase(a), where=a.region.in_prose,
        with_sentence=with_sentence(a), not_in_wb_list=not_in_world_bank_list(a.region),
        territories_n=len(a.territories), territories_sentence=territories_sentence(a),
        small_region=SMALL_REGION, cells=total_cells, records=int(s["records"].sum()),
        missing_pct=100 * total_missing / total_cells if total_cells else float("nan"),
        outnumber="yes" if total_missing > total_cells - total_missing else "no",
        overall=("so gaps outnumber records overall" if total_missing > total_cells -
                 total_missing else "so records outnumber gaps overall"),
        measures_outnumbered=int((s["missing"] > s["records"]).sum()),
        verdict=verdict_sentence(a.summary), claim_verdict=claim.verdict,
        claim_sentence=claim.sentence, summary_table=summary_markdown(a.summary),
        missing_table=missing_markdown(a.missing), trust_item=TRUST_ITEM,
        countries_sentence=countries_sentence(a), region_sentence=region_sentence(a),
        gerd=by_measure["gerd"], exact=by_measure["exact"], broad=by_measure["broad"],
        trust=by_measure["trust"],
        deepest=("The holes are deepest where the report's argument matters most, among the "
                 "poorest economies." if deeper else
                 "The holes are not deeper among the poorest economies on both measures."),
        trust_wave5_years=waves.get(5), trust_wave6_years=waves.get(6),
        trust_wave7_years=waves.get(7))


def _measure_gaps(row: pd.Series, income: tuple[float, float] | None) -> MeasureGaps:
    return MeasureGaps(
        cells=int(row["cells"]), records=int(row["records"]),
        missing_pct=float(row["missing_pct"]), without=int(row["members_without"]),
        with_=int(row["members_with"]), first=int(row["first"]), last=int(row["last"]),
        missing_low_pct=None if income is None else income[0],
        missing_high_pct=None if income is None else income[1])


def income_gaps() -> dict[str, tuple[float, float]]:
    """Share of GERD and of trust cells missing (percent) among low-income and among
    high-income economies: measure → (low, high); the same for every region, so worked out
    once per process and data folder."""
    return dict(_income_gaps(datasets.data_dir()))


@lru_cache(maxsize=4)
def _income_gaps(directory: Path) -> dict[str, tuple[float, float]]:
    found: dict[str, list[float]] = {"gerd": [], "trust": []}
    for group in ("Low income", "High income"):
        summary = summarise(coverage(regions.resolve(group)))
        for measure, shares in found.items():
            row = summary[summary["measure"] == measure].iloc[0]
            shares.append(float(row["missing_pct"]))
    return {measure: (low, high) for measure, (low, high) in found.items()}


def not_in_world_bank_list(region: Region) -> int:
    """How many members are territories outside the World Bank's list of economies."""
    countries = datasets.countries()
    listed = set(countries.loc[countries["in_world_bank_list"], "iso3"])
    return len(set(region.members) - listed)


def economies_phrase(a: GapsAnalysis) -> str:
    """Which economies are counted, as the chapter names them: 'the 218 economies on the World
    Bank's list of economies', 'the 26 economies of the Low income group'."""
    if a.region.is_world:
        return f"the {count(len(a.economies), 'economy')} on the World Bank's list of economies"
    if a.region.is_economy:
        return a.region.in_prose
    if len(a.economies) == 1:
        return f"the one economy of {a.region.in_prose}"
    return f"the {count(len(a.economies), 'economy')} of {a.region.in_prose}"


def territories_sentence(a: GapsAnalysis) -> str:
    """What happens to members outside the World Bank's list of economies."""
    outside = not_in_world_bank_list(a.region)
    place = a.region.in_prose
    if a.region.is_world:
        if not a.territories:
            return "Every economy in the country table is on the World Bank's list."
        cells = coverage(a.region, members=a.territories)
        found = cells[cells["covered"]]
        having = sorted(found["name"].unique())
        names = datasets.countries().set_index("iso3")["name"]
        plain = [n for n in sorted(names[list(a.territories)]) if "," not in n and " and " not in n]
        examples = name_list(plain[:4], empty="")
        shorts = [m.short for m in MEASURES if m.key in set(found["measure"])]
        verb = "has" if len(having) == 1 else "have"
        with_data = (f"{len(having)} of them ({name_list(having, empty='')}) {verb} values, "
                     f"{len(found)} country-period cells in all, only for the "
                     f"{' and '.join(shorts)}" if having
                     else "none of them has a value for any measure")
        return (f"The country table also holds {count(len(a.territories), 'territory')} "
                f"outside the World Bank's list, such as {examples}. They are not counted "
                f"as economies on this page; {with_data}.")
    if a.region.is_economy:
        return (f"{capitalised(a.region.in_prose)} is on the World Bank's list of "
                "economies.")
    if outside == 0:
        return f"Every member of {place} is on the World Bank's list of economies."
    total = len(a.region.members)
    if outside == total:
        who = (f"The only member of {place} is" if total == 1 else
               f"All {total} members of {place} are")
        pronoun = "it is" if total == 1 else "they are"
        return (f"{who} outside the World Bank's list of economies; {pronoun} counted all the "
                "same, as the region's author chose them.")
    verb, pronoun = ("is", "it is") if outside == 1 else ("are", "they are")
    return (f"{count(outside, 'member')} of {place} {verb} outside the World Bank's list of "
            f"economies; {pronoun} counted like the other members.")


def with_sentence(a: GapsAnalysis) -> str:
    """How many of the counted economies have at least one value of each measure."""
    s = a.summary.set_index("measure")
    total = len(a.economies)
    if total == 0 or s["records"].sum() == 0:
        return ("No economy counted here has a value for any measure in any period, so "
                f"nothing in the analysis chapters describes {a.region.in_prose} from data.")

    def have(key: str) -> str:
        n = int(s.loc[key, "members_with"])
        if total > 1 and n == total:
            return f"all {n} have"
        return "none has" if n == 0 else f"{n} {'has' if n == 1 else 'have'}"

    what = {"gerd": "at least one GERD figure", "exact": "the exact share",
            "broad": "the broad share", "trust": "a trust survey"}
    if a.region.is_economy:
        missing = {"gerd": "no GERD figure", "exact": "no exact share",
                   "broad": "no broad share", "trust": "no trust survey"}
        has = [label for key, label in what.items() if s.loc[key, "members_with"]]
        lacks = [missing[key] for key in what if not s.loc[key, "members_with"]]
        name = capitalised(a.region.in_prose)
        text = f"{name} has {name_list(has)}" + (f", but {name_list(lacks)}." if lacks else ".")
        return text + (f" Any statement in this book about {a.region.in_prose} rests on the "
                       "measures it has; in the charts of a measure it lacks, it is missing."
                       if lacks else "")
    parts = [f"{have(key)} {label}" for key, label in what.items()]
    return (f"Of {economies_phrase(a)}, {', '.join(parts[:-1])} and {parts[-1]}. Any statement "
            f"in this book about {a.region.in_prose} rests on the economies with data; the others "
            "are not in the charts, and nothing says they resemble the ones that are.")


def region_sentence(a: GapsAnalysis) -> str:
    """One sentence on the region's coverage, including the case of no data at all."""
    s = a.summary
    members = len(a.economies)
    place = a.region.in_prose
    if s["records"].sum() == 0:
        if a.region.is_economy:
            return (f"{capitalised(place)} has no value for any of the four measures in any "
                    "period: its data are all gaps.")
        who = (f"The only economy in {place} has no value" if members == 1 else
               f"None of the {members} economies in {place} has a value")
        return (f"{who} for any of the four measures in any period: for this region the data "
                "are all gaps.")
    best = s.sort_values("missing_pct", kind="mergesort").iloc[0]
    worst = s.sort_values("missing_pct", kind="mergesort").iloc[-1]
    lead = f"For {economies_phrase(a)}" if a.region.is_economy else f"Of {economies_phrase(a)}"
    if best["missing_pct"] == worst["missing_pct"]:
        return (f"{lead}, every measure has the same coverage: "
                f"{100 - best['missing_pct']:z.0f}% of country-period cells have a value.")
    return (f"{lead}, the best covered measure is "
            f"{_named(best['short'])} ({100 - best['missing_pct']:z.0f}% of country-period "
            f"cells have a value) and the worst is {_named(worst['short'])} "
            f"({100 - worst['missing_pct']:z.0f}%).")


def _named(short: str) -> str:
    """A measure's short name as a sentence reads it: 'the broad share', 'GERD', 'trust'."""
    return f"the {short}" if short.endswith("share") else short


def countries_sentence(a: GapsAnalysis) -> str:
    """What the per-country heat map shows for this region."""
    members = len(a.economies)
    if per_country(a.region):
        if a.region.is_economy:
            return f"The heat map shows {possessive(economies_phrase(a))} row."
        if members == 1:
            return "The heat map shows the region's one economy."
        return f"The region is small enough to show every one of its {members} economies."
    whole = "the world" if a.region.is_world else "the region"
    return (f"With {members} economies {whole} is too large for one row per "
            f"economy, so the heat map shows the {SMALL_REGION} economies with the most gaps "
            "among those that have at least one value; the economies with no value at all are "
            "in the table below.")


def countries_shown(a: GapsAnalysis) -> list[str]:
    """The members drawn in the per-country heat map, in alphabetical order of name."""
    if per_country(a.region):
        chosen = a.coverage[["iso3", "name"]].drop_duplicates()
    else:
        by_member = a.coverage.groupby(["iso3", "name"])["covered"].sum().reset_index()
        some = by_member[by_member["covered"] > 0]
        chosen = some.sort_values(["covered", "name"], kind="mergesort").head(SMALL_REGION)
    return list(chosen.sort_values("name")["iso3"])


def _source() -> str:
    return datasets.source_line(*(m.table for m in MEASURES))


def _years_line(a: GapsAnalysis) -> str:
    waves = ", ".join(f"wave {w} {first}–{last}" for w, first, last
                      in a.trust_years.itertuples(index=False))
    parts = [f"{m.label.split(' (')[0]} {m.periods[0]}–{m.periods[-1]}"
             for m in MEASURES if m.period == "year"]
    return "; ".join(parts) + f"; trust survey {waves}"


def shares_figure(a: GapsAnalysis):
    """Heat map: share of the region's economies with a value, per measure and year (or wave)."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import LinearSegmentedColormap

    from ..figures import GRID_GREY, OKABE_ITO, heatmap

    spec = FigureSpec(
        id=f"gaps-coverage-{a.region.slug}",
        title=f"Share of economies with data: {a.region.name}",
        caption=(("For each measure and year, whether "
                  f"{economies_phrase(a)} has a value (100%) or not (0%)"
                  if a.region.is_economy else
                  f"For each measure and year, the percentage of {economies_phrase(a)} "
                  "with a value")
                 + "; trust in people of another "
                 f"nationality (item {TRUST_ITEM}) is surveyed once per wave, so its cells "
                 "are waves. Pale cells are gaps."),
        source=_source(),
        data_years=_years_line(a),
    )
    cmap = LinearSegmentedColormap.from_list("coverage", [GRID_GREY, OKABE_ITO["blue"]])
    yearly = [m for m in MEASURES if m.period == "year"]
    years = sorted({p for m in yearly for p in m.periods})
    matrix = pd.DataFrame(np.nan, index=[m.label for m in yearly], columns=years)
    for m in yearly:
        part = a.shares[a.shares["measure"] == m.key].set_index("period")["share"]
        matrix.loc[m.label, [y for y in years if y in part.index]] = \
            part[[y for y in years if y in part.index]].to_numpy(float)
    trust = a.shares[a.shares["measure"] == "trust"].set_index("period")["share"]
    trust_row = pd.DataFrame([[trust.get(w, np.nan) for w in TRUST_WAVES]],
                             index=["Trust (another nationality)"], columns=TRUST_WAVES)
    # The years wrap into rows of equal width, so each cell is wide enough for its number on
    # paper and on a phone; the trust waves form the last row, cells as wide as a year's.
    per_row = -(-len(years) // -(-len(years) // YEARS_PER_ROW))
    spans = [years[i:i + per_row] for i in range(0, len(years), per_row)]
    heights = [len(yearly)] * len(spans) + [1]
    fig, axes = plt.subplots(len(heights), 1, figsize=(7.5, 0.32 * sum(heights) + 2.4),
                             squeeze=False, layout="constrained",
                             gridspec_kw={"height_ratios": heights})
    settings = {"cmap": cmap, "vmin": 0, "vmax": 100, "annotate": "{:z.0f}", "gap": 0.5}
    for ax, span in zip(axes[:-1, 0], spans, strict=True):
        block = matrix[span].reindex(columns=[*span, *range(-(per_row - len(span)), 0)])
        heatmap(ax, block, **settings)
        ax.set_xticks(np.arange(len(span)) + 0.5, [str(y) for y in span], rotation=0)
    trust_ax = axes[-1, 0]
    padded = trust_row.reindex(columns=[*TRUST_WAVES, *range(-(per_row - len(TRUST_WAVES)), 0)])
    heatmap(trust_ax, padded, **settings)
    trust_ax.set_xticks(np.arange(len(TRUST_WAVES)) + 0.5, [str(w) for w in TRUST_WAVES],
                        rotation=0)
    trust_ax.set_xlabel("survey wave", loc="left")
    fig.suptitle(spec.title, fontsize=11, fontweight="bold")
    data = a.shares.assign(region=a.region.name)
    return fig, spec, data


def countries_figure(a: GapsAnalysis):
    """Heat map per economy: which years (or waves) each measure has a value."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    from ..figures import GRID_GREY, OKABE_ITO, heatmap

    shown = countries_shown(a)
    scope = (economies_phrase(a) if a.region.is_economy else
             f"every one of {economies_phrase(a)}" if per_country(a.region) else
             f"the {SMALL_REGION} of {economies_phrase(a)} with the most gaps among those that "
             "have at least one value")
    spec = FigureSpec(
        id=f"gaps-countries-{a.region.slug}",
        title=f"Which economies have which data: {a.region.name}",
        caption=(f"{'One row' if a.region.is_economy else 'One row per economy'} ({scope}); "
                 "a dark cell means the measure has a value "
                 "for that economy in that year (for trust, in that survey wave), a pale cell "
                 "is a gap."),
        source=_source(),
        data_years=_years_line(a),
    )
    cmap = ListedColormap([GRID_GREY, OKABE_ITO["blue"]])
    widths = [len(m.periods) + (2 if m.period == "wave" else 0) for m in MEASURES]
    height = max(2.4, 0.19 * len(shown) + 1.9)
    fig, axes = plt.subplots(1, len(MEASURES), figsize=(10, height), sharey=True,
                             gridspec_kw={"width_ratios": widths})
    cells = a.coverage[a.coverage["iso3"].isin(shown)]
    names = cells.drop_duplicates("iso3").set_index("iso3")["name"]
    for ax, m in zip(axes, MEASURES, strict=True):
        part = cells[cells["measure"] == m.key].pivot(index="iso3", columns="period",
                                                      values="covered")
        part = part.reindex(index=shown, columns=list(m.periods)).fillna(False).astype(float)
        # cells as one image inside the SVG: hundreds of rectangles as paths made it 0.6 MB
        heatmap(ax, part, cmap, 0, 1, labels=False, rasterized=True)
        ax.set_title(m.short[0].upper() + m.short[1:], fontsize=9)
        ax.set_xlabel("wave" if m.period == "wave" else "")
        ax.set_ylabel("")
        if m.period == "wave":
            ax.set_xticks(np.arange(len(m.periods)) + 0.5, [str(w) for w in m.periods],
                          rotation=0)
        else:
            ticks = [j for j, y in enumerate(m.periods) if y % 10 == 0]
            ax.set_xticks(np.array(ticks) + 0.5, [str(m.periods[j]) for j in ticks],
                          rotation=90)
    if shown:
        axes[0].set_yticks(np.arange(len(shown)) + 0.5, [names[i] for i in shown], fontsize=8)
    from matplotlib.patches import Patch

    fig.legend(handles=[Patch(color=OKABE_ITO["blue"], label="value"),
                        Patch(facecolor=GRID_GREY, edgecolor=OKABE_ITO["grey"], label="gap")],
               loc="upper right", ncols=2)
    fig.suptitle(spec.title, fontsize=11, fontweight="bold", x=0.4)
    fig.subplots_adjust(top=1 - 1.0 / height, bottom=0.9 / height, wspace=0.15)
    data = cells.sort_values(["measure", "name", "period"]).reset_index(drop=True)
    return fig, spec, data


def coverage_map(a: GapsAnalysis):
    """World map: how many of the measures each counted economy has at least one value for."""
    from .. import maps

    have = (a.coverage.groupby(["iso3", "name", "measure"])["covered"].any()
            .groupby(level=["iso3", "name"]).sum().rename("measures").reset_index())
    total = len(MEASURES)
    labels = {k: f"{k} of {total}" for k in range(total + 1)}
    data = have.assign(measures=have["measures"].astype(int),
                       coverage=lambda f: f["measures"].map(labels))
    order = [labels[k] for k in range(total, -1, -1)]
    colours = dict(zip(order, ["#08306B", maps.SEQUENTIAL[1], "#6BAED6", "#C6DBEF",
                               maps.CATEGORY_COLOURS[3]], strict=True))
    members = () if a.region.is_world else tuple(a.coverage["iso3"].unique())
    spec = FigureSpec(
        id=f"map-coverage-{a.region.slug}",
        title=f"How many of the {total} measures each economy has",
        caption=(f"For {'' if a.region.is_economy else 'each of '}{economies_phrase(a)}, how "
                 f"many of the book's {total} measures "
                 "(GERD, the exact and the broad co-authorship share, trust) have at least one "
                 "value in the years (or survey waves) the book covers"
                 + ("; economies outside the World Bank's list are grey." if a.region.is_world
                    else "." + framed(a.region))),
        source=_source(), data_years=_years_line(a))
    fig = maps.static_category_map(data, "coverage", order, spec.title, members=members,
                                   colours=colours)
    return fig, spec, data[["iso3", "name", "measures", "coverage"]].assign(
        year=f"{MEASURES[0].periods[0]}–{MEASURES[0].periods[-1]}")


def explore_coverage_map(data: pd.DataFrame, region: Region):
    """The interactive version of :func:`coverage_map`."""
    from .. import maps

    total = len(MEASURES)
    order = [f"{k} of {total}" for k in range(total, -1, -1)]
    colours = dict(zip(order, ["#08306B", maps.SEQUENTIAL[1], "#6BAED6", "#C6DBEF",
                               maps.CATEGORY_COLOURS[3]], strict=True))
    return maps.interactive_category_map(
        data, "coverage", order, [("measures", "Measures with a value", ""),
                                  ("year", "Years covered", "")],
        members=() if region.is_world else region.members, colours=colours)
