"""The co-authorship shares of each economy (the broad share of whole-count credit, the exact
share of internationally co-authored articles), joined with its R&D spending (GERD)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import datasets, panels
from ..regions import Region

MIN_ARTICLES = panels.MIN_ARTICLES  # whole-count articles in the year, for a stable share
WINDOW = 4  # GERD: each country's latest value in the publication year or the 4 before it


def countries() -> pd.DataFrame:
    """Every economy's name and income group ('Not classified' when it has none)."""
    frame = datasets.countries()[["iso3", "name", "income_group"]]
    frame["income_group"] = frame["income_group"].replace("", panels.NOT_CLASSIFIED)
    return frame


def with_gerd(shares: pd.DataFrame, year: int, region: Region) -> pd.DataFrame:
    """A share table joined with each economy's latest GERD (US$) in the window, its GERD as %
    of GDP in the same year, names, income group and region membership."""
    gerd = datasets.latest_in_window(datasets.load("rd_expenditure"), "gerd_usd",
                                     year - WINDOW, year)
    frame = shares.merge(gerd.rename(columns={"year": "gerd_year"}), on="iso3")
    intensity = datasets.load("rd_expenditure")[["iso3", "year", "gerd_pct_gdp"]].rename(
        columns={"year": "gerd_year"})
    frame = frame.merge(intensity, on=["iso3", "gerd_year"], how="left")
    frame = frame.merge(countries(), on="iso3", how="left")
    frame["log10_gerd_usd"] = np.log10(frame["gerd_usd"])
    frame["log10_gerd_pct_gdp"] = np.log10(frame["gerd_pct_gdp"])
    frame["log10_whole"] = np.log10(frame["whole"])
    frame["in_region"] = frame["iso3"].isin(region.members)
    return frame.sort_values("iso3").reset_index(drop=True)


def proxy_shares(year: int | None = None) -> tuple[int, pd.DataFrame]:
    """Foreign share of whole-count credit (NCSES 1819), in percent, for the latest year, for
    the economies on the World Bank's list with at least MIN_ARTICLES articles."""
    counts = datasets.load("publication_counts")
    year = int(year or counts["year"].max())
    frame = counts[(counts["year"] == year) & (counts["whole"] >= MIN_ARTICLES)]
    frame = frame[frame["iso3"].isin(panels.economies()["iso3"])]
    frame = frame.assign(share=100 * frame["foreign_credit_share"])
    return year, frame[["iso3", "share", "whole"]].reset_index(drop=True)


def exact_shares(year: int | None = None) -> tuple[int, pd.DataFrame]:
    """Internationally co-authored share of articles (NCSES 10001), in percent."""
    pubs = datasets.load("publications")
    year = int(year or pubs["year"].max())
    frame = pubs[(pubs["year"] == year) & pubs["iso3"].isin(panels.economies()["iso3"])]
    frame = frame.assign(share=100 * frame["international_share"], whole=frame["total"])
    return year, frame[["iso3", "share", "whole"]].reset_index(drop=True)


def missing_measures(iso3: str, year: int) -> str:
    """Why an economy is not among the broad share's economies of ``year`` with GERD: 'NCSES
    reports no articles for it in 2018', 'it had 12 articles in 2018, fewer than the 50 the
    share needs', 'it has no GERD figure for 2014–2018 (the World Bank has no GERD figure for
    it)', joined by semicolons."""
    from ..report import name_list

    counts = datasets.load("publication_counts")
    mine = counts[(counts["iso3"] == iso3) & (counts["year"] == year)]
    rd = datasets.load("rd_expenditure")
    years = sorted(int(y) for y in rd.loc[(rd["iso3"] == iso3) & rd["gerd_usd"].notna(),
                                          "year"])
    missing = []
    if mine.empty:
        missing.append(f"NCSES reports no articles for it in {year}")
    elif int(mine["whole"].iloc[0]) < MIN_ARTICLES:
        missing.append(f"it had {int(mine['whole'].iloc[0])} articles in {year}, fewer than the "
                       f"{MIN_ARTICLES} the share needs")
    if not [y for y in years if year - WINDOW <= y <= year]:
        known = (f"its GERD figures are for {name_list([str(y) for y in years])}" if years
                 else "the World Bank has no GERD figure for it")
        missing.append(f"it has no GERD figure for {year - WINDOW}–{year} ({known})")
    return "; ".join(missing) or "it lacks one of the two measures"
