"""Opportunities: the exposed group is below-median investment and above-median reliance."""

import pandas as pd

from scicollab import paths
from scicollab.chapters import gerd
from scicollab.chapters import opportunities as opp


def test_exposure_flags_low_investment_and_high_reliance():
    frame = pd.DataFrame({"gerd_usd": [1, 2, 3, 4], "share": [50, 10, 60, 40]})
    flagged = opp.exposure(frame)
    assert list(flagged["exposed"]) == [True, False, False, False]


def test_flagged_economies_are_those_below_median_gerd_and_above_median_share():
    # Recomputed from the processed tables: the latest year's foreign share of whole-count
    # credit (economies with at least MIN_ARTICLES articles), matched with each economy's
    # latest GERD in US$ of that year or the WINDOW years before.
    counts = pd.read_csv(paths.DATA_DIR / "publication_counts.csv")
    year = counts["year"].max()
    shares = counts[(counts["year"] == year) & (counts["whole"] >= gerd.MIN_ARTICLES)]
    rd = pd.read_csv(paths.DATA_DIR / "rd_expenditure.csv").dropna(subset=["gerd_usd"])
    rd = rd[(rd["year"] >= year - gerd.WINDOW) & (rd["year"] <= year)]
    latest = rd.sort_values("year").drop_duplicates("iso3", keep="last")
    both = shares.merge(latest[["iso3", "gerd_usd"]], on="iso3")
    share = 100 * both["foreign_credit_share"]
    expected = set(both.loc[(both["gerd_usd"] < both["gerd_usd"].median())
                            & (share > share.median()), "iso3"])
    result = opp.analyse("World")
    assert result.numbers["opp_year"] == year
    assert result.numbers["opp_economies"] == len(both)
    assert set(result.data.loc[result.data["exposed"], "iso3"]) == expected
    assert result.numbers["opp_exposed"] == len(expected) > 0


def test_counts_match_the_flagged_rows():
    result = opp.analyse("Sub-Saharan Africa")
    assert result.numbers["opp_exposed"] == int(result.data["exposed"].sum())
    assert "Sub-Saharan Africa" in result.numbers["opp_region_sentence"]


def test_table_has_a_source_column():
    table = pd.read_csv(opp.TABLE, keep_default_na=False)
    assert len(table) == 3 and table["source"].str.len().gt(0).all()


def test_region_without_data_gets_a_sentence(region_without_data):
    assert "cannot be assessed" in opp.analyse(region_without_data).numbers["opp_region_sentence"]
