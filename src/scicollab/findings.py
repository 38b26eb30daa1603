"""The book's key findings: one row per claim of the source documents that the book tests.

Each row is computed from the chapters' own analysis functions and judged by the same rule the
chapter uses (``verdicts``), so the home page and the chapters cannot disagree. In a region's
edition every row is also judged on the region's economies where the claim can be, and the
world's row stands beside it.

This module is long because it holds one row builder per claim (twelve), each with its region
refit, next to the table's escaping and wording.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import datasets, fsops, models, panels, paths, regions, verdicts
from .errors import ScicollabError
from .measures import capacity, impact, openalex
from .measures.names import names
from .models import CONFIDENCE
from .regions import Region, the_country
from .report import count, escape, markdown_table, possessive, stacked
from .verdicts import Verdict

# The Markdown tables of the home page link each row to its section with this role.
LINK = "{{ref}}`{text} <{label}>`"


@dataclass(frozen=True)
class Claim:
    """A claim of a source document that the book tests."""

    key: str
    claim: str  # in a few words
    source: str  # the bibliography key of the document that makes it
    label: str  # the section that tests it (a MyST target in the chapter)
    section: str  # the link's text


CLAIMS = (
    Claim("figure2", "Economies that invest least in R&D collaborate relatively more "
          "(the report's Figure 2)", "doc_policy_report", "gerd-answer",
          "Collaboration and R&D investment"),
    Claim("trust_high", "Among high-income countries, collaboration rises with trust "
          "(Figure 3)", "doc_policy_report", "trust-claims", "Collaboration and trust"),
    Claim("trust_lmic", "Among low and middle income countries, collaboration is unrelated to "
          "trust (Figure 3)", "doc_policy_report", "trust-claims", "Collaboration and trust"),
    Claim("trust_diff", "The two income groups differ in how collaboration relates to trust",
          "doc_policy_report", "trust-claims", "Collaboration and trust"),
    Claim("size", "Collaborative output tracks the size of the economy", "doc_policy_report",
          "landscape-producers", "Which countries collaborate"),
    Claim("quoted", "", "doc_policy_report", "landscape-quoted",
          "Which countries collaborate"),  # worded from the committed table of quoted counts
    Claim("link", "Geopolitical tensions disrupt collaborations (the United States–China "
          "link)", "doc_partnerships", "landscape-us-china", "Which countries collaborate"),
    Claim("gaps", "At national level there are more gaps than records", "doc_policy_report",
          "gaps-outnumber", "Data gaps"),
    Claim("capacity", "Partnerships reduce disparities in research output",
          "doc_partnerships", "capacity-groups", "Capacity building"),
    Claim("future", "Cross-border collaboration keeps expanding", "doc_partnerships",
          "future-trend", "The future"),
    Claim("retrenchment", "Funding retrenchment: R&D budgets are being cut",
          "doc_policy_report", "barriers-retrenchment", "Barriers"),
    Claim("citations", "Internationally co-authored papers are cited more",
          "doc_policy_report", "impact-caveats", "Impact"),
)


@dataclass(frozen=True)
class Finding:
    """One claim's verdict and the key number behind it (with n and its interval).

    ``pattern``: a claim about a pattern across economies, in an economy's edition: one
    economy cannot test it, and its number is where the economy stands instead."""

    verdict: Verdict
    number: str
    pattern: bool = False


def _slope(fit: models.LinearFit | None, unit: str, digits: int = 1) -> str:
    if fit is None:
        return "–"
    return (f"{fit.slope:+.{digits}f} {unit} ({CONFIDENCE}% CI {fit.slope_low:+.{digits}f} to "
            f"{fit.slope_high:+.{digits}f}), n = {fit.n}")


# --- the world's findings, from the chapters' analyses ----------------------------------------


def _analyse_world() -> dict[str, Finding]:
    from .chapters import barriers, capacity_building, data_gaps, future, gerd, landscape, trust

    world = regions.resolve("World")
    out: dict[str, Finding] = {}
    g = gerd.analyse(world)
    out["figure2"] = Finding(g.verdict, _slope(g.proxy.fit, "points per tenfold GERD"))
    t = trust.analyse(world)
    v_high, v_lmic, v_diff = trust.claim_verdicts(t)
    out["trust_high"] = Finding(v_high, _slope(t.groups["High income"].fit,
                                               "points per point of trust", 2))
    out["trust_lmic"] = Finding(v_lmic, _slope(t.groups["Low & middle income"].fit,
                                               "points per point of trust", 2))
    d = t.difference
    out["trust_diff"] = Finding(v_diff, "–" if d is None else (
        f"difference {d.difference:+z.2f} ({CONFIDENCE}% CI {d.low:+z.2f} to {d.high:+z.2f}), "
        f"n = {d.n}"))
    tests = landscape.size_tests()
    out["size"] = Finding(landscape.size_verdict(tests), _correlation(tests["gdp"], "GDP"))
    quoted = landscape.quoted_comparison()
    out["quoted"] = Finding(landscape.quoted_verdict(quoted), _quoted_number(quoted))
    link = openalex.link_test()
    out["link"] = Finding(openalex.link_verdict(link), _link_number(link))
    gaps = data_gaps.analyse(world)
    out["gaps"] = Finding(data_gaps.verdict(gaps), _gaps_number(gaps))
    cap = capacity_building.analyse(world)
    out["capacity"] = Finding(capacity.verdict(cap.groups), _capacity_number(cap))
    fut = future.analyse(world)
    fit = future.trend(fut.world)
    out["future"] = Finding(verdicts.still_rising(fit),
                            _slope(fit, "points a year", 2).replace("n = ", "years = "))
    bar = barriers.analyse(world)
    found = barriers.counts(bar.change)
    out["retrenchment"] = Finding(verdicts.retrenchment(found["fell"], len(bar.change)),
                                  _share_number(found["fell"], len(bar.change), "cut"))
    out["citations"] = Finding(impact.citation_verdict(), "–")
    return out


def world_findings() -> dict[str, Finding]:
    """Every claim's finding for the world: computed once per process and data folder, and
    kept beside the chapter cache, so the next kernel reads them (every region's home page
    compares with the world, and the world's analyses take about a second)."""
    return dict(_world(datasets.data_dir()))


@lru_cache(maxsize=4)
def _world(directory: Path) -> dict[str, Finding]:
    path = world_findings_file()
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return {key: Finding(Verdict(**item["verdict"]), item["number"])
                for key, item in stored.items()}
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not computed yet for this data and code (or unreadable): compute it
    out = _analyse_world()
    with contextlib.suppress(OSError, ScicollabError):  # a read-only build folder: no copy
        fsops.write_atomic(path, json.dumps({key: asdict(f) for key, f in out.items()},
                                            indent=1, sort_keys=True, ensure_ascii=False))
    return out


def world_findings_file() -> Path:
    """Where the world's findings are kept: named for the data and the code chapters run."""
    from . import fingerprints

    key = hashlib.sha256(f"{fingerprints.data()} {fingerprints.kernel_code()}".encode())
    return paths.build_dir() / "cache" / f"world-findings-{key.hexdigest()[:24]}.json"


def _correlation(test: models.Correlation | None, what: str) -> str:
    if test is None:
        return "–"
    return (f"r = {test.r:z.2f} with {what} ({CONFIDENCE}% CI {test.low:z.2f} to "
            f"{test.high:z.2f}), n = {test.n}")


def _quoted_number(table: pd.DataFrame) -> str:
    found = table.dropna(subset=["openalex_international"])
    ratios = found["quoted"] / found["openalex_international"]
    return (f"quoted ÷ OpenAlex one-year count: {ratios.min():z.1f} to {ratios.max():z.1f} "
            f"times, n = {len(found)} countries")


def _link_number(test: dict) -> str:
    if math.isnan(test["link"]):
        return "–"
    usa, chn = test["countries"]["USA"], test["countries"]["CHN"]
    return (f"{100 * test['link']:+z.1f}% from the peak ({test['peak_year']}) to "
            f"{test['last_year']}, against {100 * usa:+z.1f}% and {100 * chn:+z.1f}% for each "
            "country's international works")


def _gaps_number(a) -> str:
    s = a.summary
    cells, missing = int(s["cells"].sum()), int(s["missing"].sum())
    if not cells:
        return "–"
    return (f"{100 * missing / cells:z.0f}% of {cells:,} country-period cells are gaps, "
            f"{count(len(a.economies), 'economy')}")


def _capacity_number(c) -> str:
    g = c.groups.set_index("income_group")
    low, high = g.loc["Low income"], g.loc["High income"]
    return (f"median output growth {low['median_growth']:z.1f}-fold (low income, n = "
            f"{int(low['with_growth'])}) against {high['median_growth']:z.1f}-fold (high income, "
            f"n = {int(high['with_growth'])})")


def _share_number(k: int, n: int, what: str) -> str:
    if n == 0:
        return "–"
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(k, n, alpha=models.ALPHA, method="wilson")
    return (f"{k} of {n} economies {what} ({100 * k / n:z.0f}%, {CONFIDENCE}% CI "
            f"{100 * low:z.0f}% to {100 * high:z.0f}%)")


# --- a region's findings -----------------------------------------------------------------------


WORLD_ONLY = "– (a claim about the world)"
PATTERN_ONLY = "– (a pattern across economies)"


def region_findings(region: Region) -> dict[str, Finding | None]:
    """Every claim judged on the region's economies where it can be (None: a claim about the
    world as a whole, such as the quoted counts)."""
    region = regions.resolve(region)
    if region.is_world:
        return dict(world_findings())
    return dict(_region(region, datasets.data_dir()))


@lru_cache(maxsize=4)
def _region(region: Region, directory: Path) -> dict[str, Finding | None]:
    """A region's findings, computed once per process and data folder: the home page and the
    claims page of one edition both show them."""
    if region.is_economy:
        return _economy_findings(region)
    from .chapters import barriers, data_gaps, future, gerd, trust

    out: dict[str, Finding | None] = {}
    g = gerd.analyse(region)
    members = g.proxy.data[g.proxy.data["in_region"]]
    fit = _try_fit(members["log10_gerd_usd"], members["share"])
    out["figure2"] = Finding(verdicts.falls_among_members(fit),
                             _slope(fit, "points per tenfold GERD"))
    t = trust.analyse(region)
    mine = t.data[t.data["in_region"]]
    high = _try_fit(*_xy(mine[mine["group"] == "High income"]))
    lmic = _try_fit(*_xy(mine[mine["group"] == "Low & middle income"]))
    out["trust_high"] = Finding(verdicts.rises_with_trust(high, []),
                                _slope(high, "points per point of trust", 2))
    out["trust_lmic"] = Finding(verdicts.no_relationship(lmic, high),
                                _slope(lmic, "points per point of trust", 2))
    diff = trust.slope_difference(mine)
    out["trust_diff"] = Finding(verdicts.slopes_differ(diff), "–" if diff is None else (
        f"difference {diff.difference:+z.2f} ({CONFIDENCE}% CI {diff.low:+z.2f} to "
        f"{diff.high:+z.2f}), n = {diff.n}"))
    from .chapters import landscape

    tests = landscape.size_tests(region.members)
    out["size"] = Finding(landscape.size_verdict(tests), _correlation(tests["gdp"], "GDP"))
    out["quoted"] = out["link"] = out["capacity"] = None
    gaps = data_gaps.analyse(region)
    out["gaps"] = Finding(data_gaps.verdict(gaps), _gaps_number(gaps))
    fut = future.analyse(region)
    trend = future.trend(fut.members) if len(fut.members) else None
    out["future"] = Finding(verdicts.still_rising(trend),
                            _slope(trend, "points a year", 2).replace("n = ", "years = "))
    bar = barriers.analyse(region)
    change = bar.change[bar.change["in_region"]]
    found = barriers.counts(change)
    out["retrenchment"] = Finding(verdicts.retrenchment(found["fell"], len(change)),
                                  _share_number(found["fell"], len(change), "cut"))
    out["citations"] = world_findings()["citations"]
    return out


def _xy(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    return frame["trust_pct"], frame["share"]


def _try_fit(x, y) -> models.LinearFit | None:
    try:
        return models.fit_line(x, y)
    except models.InsufficientData:
        return None


def _economy_findings(region: Region) -> dict[str, Finding | None]:
    """In an economy's edition: where the economy stands on each claim's measure; the claims
    about patterns across economies cannot be judged on one economy."""
    from .chapters import barriers, data_gaps, future

    iso3 = region.members[0]
    out: dict[str, Finding | None] = {}

    def standing(key: str, label: str, what: str) -> Finding:
        """The economy's value on a panel in place of a verdict, or that it has none."""
        p = panels.panel(key)
        r = panels.rank(p, iso3)
        if r is None:
            return Finding(verdicts.one_economy(f"it has no value for {p.short} ({p.years})"),
                           f"no value for {p.short} ({p.years})", pattern=True)
        return Finding(verdicts.one_economy(f"its {what} is shown instead"),
                       f"{label} {p.text(r.value)}, {panels.rank_text(r)}", pattern=True)

    out["figure2"] = standing("broad_share", "broad share", "broad share")
    out["trust_high"] = out["trust_lmic"] = out["trust_diff"] = standing("trust", "trust",
                                                                         "trust")
    out["size"] = standing("works", "international works", "volume")
    out["quoted"] = out["link"] = out["capacity"] = None
    gaps = data_gaps.analyse(region)
    out["gaps"] = Finding(data_gaps.verdict(gaps), _gaps_number(gaps))
    series = future.share_by_year((iso3,))
    if series.empty:
        out["future"] = Finding(verdicts.untestable(
            "NCSES does not report this economy's internationally co-authored share"), "–")
    else:
        trend = future.trend(series)
        out["future"] = Finding(verdicts.still_rising(trend),
                                _slope(trend, "points a year", 2).replace("n = ", "years = "))
    change = barriers.change_over_decade()
    mine = change[change["iso3"] == iso3]
    if mine.empty:
        out["retrenchment"] = Finding(verdicts.untestable(
            "the economy lacks R&D spending figures for one of the two periods"), "–")
    else:
        row = mine.iloc[0]
        direction = {"rose": "raised", "fell": "cut", "steady": "held steady"}[row["direction"]]
        out["retrenchment"] = Finding(
            verdicts.one_economy("its own change is shown instead"),
            f"{direction}: {row['change']:+z.2f} points of GDP ({int(row['year_before'])} to "
            f"{int(row['year_now'])})", pattern=True)
    out["citations"] = world_findings()["citations"]
    return out


# --- the table ---------------------------------------------------------------------------------


def quoted_claim() -> str:
    """The report's quoted counts of internationally co-authored publications, as a claim,
    worded from book/tables/report_quoted_counts.csv."""
    from .chapters import landscape

    quoted = landscape.quoted_comparison()
    stated = quoted[quoted["year_in_report"].notna()]
    label = names()
    parts = [f"{the_country(label[r.iso3])} {'over ' if r.qualifier == 'over' else ''}"
             f"{int(r.quoted):,}" for r in stated.itertuples()]
    years = sorted({int(y) for y in stated["year_in_report"]})
    return (f"Quoted counts of {stated['counts'].iloc[0]} in "
            f"{', '.join(str(y) for y in years)}: " + ", ".join(parts))


def claim_text(claim: Claim) -> str:
    """A claim in a few words (the quoted counts from their committed table)."""
    return quoted_claim() if claim.key == "quoted" else claim.claim


def table(region: Region | str) -> pd.DataFrame:
    """One row per claim: claim, source, section label and text, the world's verdict, reason
    and number, and (for a region's edition) the region's."""
    region = regions.resolve(region)
    world = world_findings()
    mine = None if region.is_world else region_findings(region)
    rows = []
    for claim in CLAIMS:
        w = world[claim.key]
        row = {"key": claim.key, "claim": claim_text(claim), "source": claim.source,
               "label": claim.label, "section": claim.section,
               "verdict": w.verdict.verdict, "why": w.verdict.why, "number": w.number}
        if mine is not None:
            f = mine.get(claim.key)
            row.update({"region_verdict": f.verdict.verdict if f else None,
                        "region_why": f.verdict.why if f else None,
                        "region_number": f.number if f else None,
                        "region_pattern": bool(f and f.pattern)})
        rows.append(row)
    return pd.DataFrame(rows)


def markdown(frame: pd.DataFrame, region: Region | str) -> str:
    """The findings as a Markdown table for a ``:format: myst`` glue block: every cell that
    holds text escaped, each row linked to the section that tests its claim."""
    region = regions.resolve(region)
    shown = pd.DataFrame({
        "claim": frame["claim"].map(escape),
        "verdict": [f"**{escape(v)}**: {escape(w)}" for v, w in zip(frame["verdict"],
                                                                    frame["why"], strict=True)],
        "number": frame["number"].map(escape),
        "section": [LINK.format(text=s, label=label)
                    for s, label in zip(frame["section"], frame["label"], strict=True)]})
    columns = {"claim": "Claim", "verdict": "Verdict", "number": "Key number",
               "section": "Tested in"}
    if not region.is_world:
        name = escape(region.name)
        patterns = frame.get("region_pattern", pd.Series(False, index=frame.index))
        shown.insert(1, "region_verdict", [
            WORLD_ONLY if v is None or (isinstance(v, float) and np.isnan(v)) else
            PATTERN_ONLY if pattern is True else f"**{escape(v)}**: {escape(w)}"
            for v, w, pattern in zip(frame["region_verdict"], frame["region_why"], patterns,
                                     strict=True)])
        shown.insert(2, "region_number", [
            "–" if n is None or (isinstance(n, float) and np.isnan(n)) else escape(n)
            for n in frame["region_number"]])
        columns = {"claim": "Claim", "region_verdict": f"{name}: verdict",
                   "region_number": f"{name}: key number", "verdict": "World: verdict",
                   "number": "World: key number", "section": "Tested in"}
    return markdown_table(shown, columns)


def counts_sentence(frame: pd.DataFrame) -> str:
    """How the world's verdicts split, in one sentence."""
    found = frame["verdict"].value_counts()
    plural = {verdicts.HOLDS: "hold", verdicts.IN_PART: "hold in part",
              verdicts.NOT_SUPPORTED: "are not supported",
              verdicts.UNTESTABLE: "cannot be tested with these data"}
    single = {verdicts.HOLDS: "holds", verdicts.IN_PART: "holds in part",
              verdicts.NOT_SUPPORTED: "is not supported",
              verdicts.UNTESTABLE: "cannot be tested with these data"}
    parts = [f"{int(found[v])} {(single if found[v] == 1 else plural)[v]}"
             for v in verdicts.VERDICTS if found.get(v, 0)]
    return (f"Of the {len(frame)} claims, on the world's data "
            + ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] + ".")


def numbers(region: Region | str) -> dict[str, object]:
    """Glue values of the home page: the findings table and its summary, for the region."""
    region = regions.resolve(region)
    frame = table(region)
    where = region.in_prose
    if region.is_world:
        scope = "This is the World edition: each row is judged on every economy with data."
    elif region.is_economy:
        scope = (f"This edition is for {where}: a claim is judged on {possessive(where)} own "
                 "data where one economy can test it; a claim about a pattern across economies "
                 f"cannot be, and its row gives where {where} stands on the claim's measure "
                 "instead (its value and its rank). The world's verdict is beside each.")
    else:
        scope = (f"This edition is for {where}: each row is judged on its economies where the "
                 "claim can be, with the world's verdict beside it.")
    return {"home_findings_table": stacked(markdown(frame, region)),
            "home_findings_counts": counts_sentence(frame),
            "home_findings_n": len(frame), "home_scope": scope}

