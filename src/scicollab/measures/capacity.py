"""Research capacity by income group: researchers per million and the growth of article output,
per economy and as each income group's medians, and the verdict on narrowing disparities."""

from __future__ import annotations

import pandas as pd

from .. import datasets, panels, verdicts
from ..regions import INCOME_GROUPS

WORLD = "World"  # the row of every economy in the income-group table


def output_growth() -> tuple[int, int, pd.DataFrame]:
    """Whole-count articles (NCSES 1819) in the first and last year, and their ratio."""
    first, last = panels.output_years()
    growth = panels.ratio(datasets.load("publication_counts"), "whole", first, last)
    return first, last, growth


def table() -> pd.DataFrame:
    """Per economy of the world (the World Bank's list): income group, researchers per million
    (latest value, from the shared panel) and output growth (from the shared panel)."""
    researchers = panels.panel("researchers").values[["iso3", "value"]].rename(
        columns={"value": "researchers_per_million"})
    _, _, growth = output_growth()
    frame = panels.economies()[["iso3", "name", "income_group"]]
    frame = frame.merge(researchers, on="iso3", how="left")
    frame = frame.merge(growth[["iso3", "start", "end", "ratio"]], on="iso3", how="left")
    return frame.reset_index(drop=True)


def by_income(frame: pd.DataFrame) -> pd.DataFrame:
    """Median researchers per million and median output growth per income group, then the world
    (every economy of the World Bank's list, the classified and the one not classified)."""
    grouped = frame.groupby("income_group").agg(
        economies=("iso3", "size"),
        with_researchers=("researchers_per_million", "count"),
        median_researchers=("researchers_per_million", "median"),
        with_growth=("ratio", "count"), median_growth=("ratio", "median"))
    grouped = grouped.reindex(list(INCOME_GROUPS)).reset_index()
    world = pd.DataFrame([{
        "income_group": WORLD, "economies": len(frame),
        "with_researchers": int(frame["researchers_per_million"].notna().sum()),
        "median_researchers": frame["researchers_per_million"].median(),
        "with_growth": int(frame["ratio"].notna().sum()),
        "median_growth": frame["ratio"].median()}])
    return pd.concat([grouped, world], ignore_index=True)


def verdict(groups: pd.DataFrame) -> verdicts.Verdict:
    """The article's claim that partnerships reduce disparities in research output, by the
    shared rule (verdicts.disparities_narrow) on the income groups' median output growth."""
    g = groups.set_index("income_group")
    return verdicts.disparities_narrow(float(g.loc["Low income", "median_growth"]),
                                       float(g.loc["High income", "median_growth"]))

