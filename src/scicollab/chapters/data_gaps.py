"""Data gaps: which economies of a region lack each measure the book uses, and in which years.

This module is long because it checks every table the book uses, each with its own rule for
what counts as a value, and its two figures need the same tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import datasets, panels, regions, verdicts
from ..figures import FigureSpec
from ..regions import Region
from ..report import count, name_list, the_country

SMALL_REGION = 60  # regions with at most this many economies get a per-country heat map
TRUST_ITEM = "G007_36_B"  # trust in people of another nationality
TRUST_WAVES = (5, 6, 7)


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
        """The (iso3, period) pairs with a value, inside the measure's periods."""
        frame = datasets.load(self.table)
        if self.select is not None:
            frame = self.select(frame)
        frame = frame.dropna(subset=[self.column])
        frame = frame[frame[self.period].isin(self.periods)]
        return frame[["iso3", self.period]].drop_duplicates().rename(
            columns={self.period: "period"}).reset_index(drop=True)


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
    numbers: dict = field(default_factory=dict)


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
        missing = "–" if pd.isna(r.missing_pct) else f"{r.missing_pct:.1f}"
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


def _numbers(a: GapsAnalysis) -> dict:
    s = a.summary.set_index("measure")
    total_cells = int(s["cells"].sum())
    total_missing = int(s["missing"].sum())
    n: dict = {
        "gaps_members": len(a.economies),
        "gaps_economies": economies_phrase(a),
        "gaps_where": a.region.in_prose,
        "gaps_with_sentence": with_sentence(a),
        "gaps_not_in_wb_list": not_in_world_bank_list(a.region),
        "gaps_territories_n": len(a.territories),
        "gaps_territories_sentence": territories_sentence(a),
        "gaps_small_region": SMALL_REGION,
        "gaps_cells": total_cells,
        "gaps_records": int(s["records"].sum()),
        "gaps_missing_pct": 100 * total_missing / total_cells if total_cells else float("nan"),
        "gaps_outnumber": "yes" if total_missing > total_cells - total_missing else "no",
        "gaps_overall": ("so gaps outnumber records overall" if total_missing > total_cells -
                         total_missing else "so records outnumber gaps overall"),
        "gaps_measures_outnumbered": int((s["missing"] > s["records"]).sum()),
        "gaps_verdict": verdict_sentence(a.summary),
        "gaps_claim_verdict": verdict(a).verdict,
        "gaps_claim_sentence": verdict(a).sentence,
        "gaps_summary_table": summary_markdown(a.summary),
        "gaps_missing_table": missing_markdown(a.missing),
        "gaps_trust_item": TRUST_ITEM,
        "gaps_countries_sentence": countries_sentence(a),
        "gaps_region_sentence": region_sentence(a),
    }
    for m in MEASURES:
        row = s.loc[m.key]
        n.update({f"gaps_{m.key}_cells": int(row["cells"]),
                  f"gaps_{m.key}_records": int(row["records"]),
                  f"gaps_{m.key}_missing_pct": float(row["missing_pct"]),
                  f"gaps_{m.key}_without": int(row["members_without"]),
                  f"gaps_{m.key}_with": int(row["members_with"]),
                  f"gaps_{m.key}_first": int(row["first"]),
                  f"gaps_{m.key}_last": int(row["last"])})
    n.update(income_gaps())
    deeper = all(n[f"gaps_{m}_missing_low_pct"] > n[f"gaps_{m}_missing_high_pct"]
                 for m in ("gerd", "trust"))
    n["gaps_deepest"] = ("The holes are deepest where the report's argument matters most, among "
                         "the poorest economies." if deeper else
                         "The holes are not deeper among the poorest economies on both "
                         "measures.")
    for wave, first, last in a.trust_years.itertuples(index=False):
        n[f"gaps_trust_wave{wave}_years"] = f"{first}–{last}"
    return n


def income_gaps() -> dict:
    """Share of GERD and trust cells missing among low-income and high-income economies."""
    n = {}
    for key, group in (("low", "Low income"), ("high", "High income")):
        summary = summarise(coverage(regions.resolve(group)))
        for measure in ("gerd", "trust"):
            row = summary[summary["measure"] == measure].iloc[0]
            n[f"gaps_{measure}_missing_{key}_pct"] = float(row["missing_pct"])
    return n


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
        return the_country(a.region.name)
    if len(a.economies) == 1:
        return f"the one economy of {a.region.in_prose}"
    return f"the {count(len(a.economies), 'economy')} of {a.region.in_prose}"


def territories_sentence(a: GapsAnalysis) -> str:
    """What happens to members outside the World Bank's list of economies."""
    outside = not_in_world_bank_list(a.region)
    where = a.region.in_prose
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
        return f"{the_country(a.region.name)[:1].upper()}{the_country(a.region.name)[1:]} is on " \
            "the World Bank's list of economies."
    if outside == 0:
        return f"Every member of {where} is on the World Bank's list of economies."
    total = len(a.region.members)
    if outside == total:
        who = (f"The only member of {where} is" if total == 1 else
               f"All {total} members of {where} are")
        pronoun = "it is" if total == 1 else "they are"
        return (f"{who} outside the World Bank's list of economies; {pronoun} counted all the "
                "same, as the region's author chose them.")
    verb, pronoun = ("is", "it is") if outside == 1 else ("are", "they are")
    return (f"{count(outside, 'member')} of {where} {verb} outside the World Bank's list of "
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
        has = [label for key, label in what.items() if s.loc[key, "members_with"]]
        lacks = [label for key, label in what.items() if not s.loc[key, "members_with"]]
        name = the_country(a.region.name)
        text = f"{name[:1].upper()}{name[1:]} has {name_list(has, empty='no measure')}"
        return text + (f", but not {name_list(lacks).replace(' and ', ' or ')}." if lacks
                       else ".")
    parts = [f"{have(key)} {label}" for key, label in what.items()]
    return f"Of {economies_phrase(a)}, {', '.join(parts[:-1])} and {parts[-1]}."


def region_sentence(a: GapsAnalysis) -> str:
    """One sentence on the region's coverage, including the case of no data at all."""
    s = a.summary
    members = len(a.economies)
    where = a.region.in_prose
    if s["records"].sum() == 0:
        who = (f"The only economy in {where} has no value" if members == 1 else
               f"None of the {members} economies in {where} has a value")
        return (f"{who} for any of the four measures in any period: for this region the data "
                "is all gaps.")
    best = s.sort_values("missing_pct", kind="mergesort").iloc[0]
    worst = s.sort_values("missing_pct", kind="mergesort").iloc[-1]
    lead = f"For {economies_phrase(a)}" if a.region.is_economy else f"Of {economies_phrase(a)}"
    if best["missing_pct"] == worst["missing_pct"]:
        return (f"{lead}, every measure has the same coverage: "
                f"{100 - best['missing_pct']:.0f}% of country-period cells have a value.")
    return (f"{lead}, the best covered measure is "
            f"{_named(best['short'])} ({100 - best['missing_pct']:.0f}% of country-period "
            f"cells have a value) and the worst is {_named(worst['short'])} "
            f"({100 - worst['missing_pct']:.0f}%).")


def _named(short: str) -> str:
    """A measure's short name as a sentence reads it: 'the broad share', 'GERD', 'trust'."""
    return f"the {short}" if short.endswith("share") else short


def countries_sentence(a: GapsAnalysis) -> str:
    """What the per-country heat map shows for this region."""
    members = len(a.economies)
    if per_country(a.region):
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

    from ..figures import OKABE_ITO

    spec = FigureSpec(
        id=f"gaps-coverage-{a.region.slug}",
        title=f"Share of economies with data: {a.region.name}",
        caption=(f"For each measure and year, the percentage of {economies_phrase(a)} "
                 "with a value; trust in people of another "
                 f"nationality (item {TRUST_ITEM}) is surveyed once per wave, so its cells "
                 "are waves. Pale cells are gaps."),
        source=_source(),
        data_years=_years_line(a),
    )
    cmap = LinearSegmentedColormap.from_list("coverage", ["#F2F2F2", OKABE_ITO["blue"]])
    yearly = [m for m in MEASURES if m.period == "year"]
    years = sorted({p for m in yearly for p in m.periods})
    matrix = np.full((len(yearly), len(years)), np.nan)
    for i, m in enumerate(yearly):
        part = a.shares[a.shares["measure"] == m.key].set_index("period")["share"]
        for j, year in enumerate(years):
            if year in part.index:
                matrix[i, j] = part[year]
    trust = a.shares[a.shares["measure"] == "trust"].set_index("period")["share"]
    trust_row = np.array([[trust.get(w, np.nan) for w in TRUST_WAVES]])
    fig, (ax, ax_trust) = plt.subplots(
        1, 2, figsize=(9.5, 2.9), gridspec_kw={"width_ratios": [len(years), 4.5]})
    image = ax.imshow(matrix, cmap=cmap, vmin=0, vmax=100, aspect="auto")
    ax.set_yticks(range(len(yearly)), [m.label for m in yearly], fontsize=8)
    ticks = [j for j, y in enumerate(years) if y % 5 == 0]
    ax.set_xticks(ticks, [str(years[j]) for j in ticks], fontsize=8)
    ax.grid(False)
    ax_trust.imshow(trust_row, cmap=cmap, vmin=0, vmax=100, aspect="auto")
    ax_trust.set_yticks([0], ["Trust (another nationality)"], fontsize=8)
    ax_trust.yaxis.tick_right()
    ax_trust.set_xticks(range(len(TRUST_WAVES)), [str(w) for w in TRUST_WAVES], fontsize=8)
    ax_trust.set_xlabel("survey wave", fontsize=8)
    ax_trust.grid(False)
    for axis, values in ((ax, matrix), (ax_trust, trust_row)):
        for (i, j), value in np.ndenumerate(values):
            if np.isfinite(value) and (axis is ax_trust or values.shape[1] <= 30):
                axis.text(j, i, f"{value:.0f}", ha="center", va="center", fontsize=6,
                          color="white" if value > 60 else "black")
    fig.colorbar(image, ax=[ax, ax_trust], label="% of economies with a value", shrink=0.9,
                 location="bottom", aspect=40, pad=0.22)
    fig.suptitle(spec.title, fontsize=11, fontweight="bold")
    data = a.shares.assign(region=a.region.name)
    return fig, spec, data


def countries_figure(a: GapsAnalysis):
    """Heat map per economy: which years (or waves) each measure has a value."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    from ..figures import OKABE_ITO

    shown = countries_shown(a)
    scope = (f"every one of {economies_phrase(a)}" if per_country(a.region) else
             f"the {SMALL_REGION} of {economies_phrase(a)} with the most gaps among those that "
             "have at least one value")
    spec = FigureSpec(
        id=f"gaps-countries-{a.region.slug}",
        title=f"Which economies have which data: {a.region.name}",
        caption=(f"One row per economy ({scope}); a dark cell means the measure has a value "
                 "for that economy in that year (for trust, in that survey wave), a pale cell "
                 "is a gap."),
        source=_source(),
        data_years=_years_line(a),
    )
    cmap = ListedColormap(["#F2F2F2", OKABE_ITO["blue"]])
    widths = [len(m.periods) + (2 if m.period == "wave" else 0) for m in MEASURES]
    height = max(2.2, 0.17 * len(shown) + 1.4)
    fig, axes = plt.subplots(1, len(MEASURES), figsize=(10, height), sharey=True,
                             gridspec_kw={"width_ratios": widths})
    cells = a.coverage[a.coverage["iso3"].isin(shown)]
    names = cells.drop_duplicates("iso3").set_index("iso3")["name"]
    for ax, m in zip(axes, MEASURES, strict=True):
        part = cells[cells["measure"] == m.key].pivot(index="iso3", columns="period",
                                                      values="covered")
        part = part.reindex(index=shown, columns=list(m.periods)).fillna(False)
        ax.imshow(part.to_numpy(float), cmap=cmap, vmin=0, vmax=1, aspect="auto",
                  interpolation="nearest")
        ax.set_title(m.short[0].upper() + m.short[1:], fontsize=9)
        if m.period == "wave":
            ax.set_xticks(range(len(m.periods)), [str(w) for w in m.periods], fontsize=7)
            ax.set_xlabel("wave", fontsize=7)
        else:
            ticks = [j for j, y in enumerate(m.periods) if y % 5 == 0]
            ax.set_xticks(ticks, [str(m.periods[j]) for j in ticks], fontsize=7, rotation=90)
        ax.grid(False)
    if shown:
        axes[0].set_yticks(range(len(shown)), [names[i] for i in shown],
                           fontsize=7 if len(shown) <= 30 else 6)
    else:
        axes[0].set_yticks([])
    from matplotlib.patches import Patch

    fig.legend(handles=[Patch(color=OKABE_ITO["blue"], label="value"),
                        Patch(facecolor="#F2F2F2", edgecolor="#999999", label="gap")],
               loc="upper right", fontsize=8, ncols=2)
    fig.suptitle(spec.title, fontsize=11, fontweight="bold", x=0.4)
    fig.subplots_adjust(top=1 - 1.0 / height, bottom=0.6 / height)
    data = cells.sort_values(["measure", "name", "period"]).reset_index(drop=True)
    return fig, spec, data
