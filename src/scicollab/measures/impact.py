"""What the book can measure of research impact: how international the pandemic's research was
against each economy's research overall; and the citation claim, which it cannot test."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import datasets, verdicts
from .names import names

YEAR = 2020


def covid_vs_all() -> pd.DataFrame:
    """Per economy: internationally co-authored share of its coronavirus articles and of all."""
    covid = datasets.load("covid_articles")
    pubs = datasets.load("publications")
    pubs = pubs[pubs["year"] == YEAR][["iso3", "international_share"]]
    frame = covid.merge(pubs, on="iso3", how="left", suffixes=("_covid", "_all"))
    frame["name"] = frame["iso3"].map(names())
    return frame.sort_values("whole", ascending=False).reset_index(drop=True)


def citation_verdict() -> verdicts.Verdict:
    """The documents' claim that internationally co-authored papers are cited more: no table
    of the book holds citation counts."""
    return verdicts.untestable("none of the book's tables holds citation counts")



@dataclass(frozen=True)
class CovidComparison:
    """The economies NCSES reports in both tables, and how many were more international in
    their coronavirus research than in their research overall."""

    year: int
    compared: int
    more_international: int
    median_covid: float  # percent
    median_all: float  # percent


def covid_comparison(data: pd.DataFrame) -> CovidComparison:
    """Compare the two shares over the economies that have both (``data`` from
    :func:`covid_vs_all`)."""
    both = data.dropna(subset=["international_share_all"])
    above = both[both["international_share_covid"] > both["international_share_all"]]
    return CovidComparison(YEAR, len(both), len(above),
                           100 * float(both["international_share_covid"].median()),
                           100 * float(both["international_share_all"].median()))
