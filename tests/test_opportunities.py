"""Opportunities: the exposed group is below-median investment and above-median reliance."""

import pandas as pd

from scicollab import paths
from scicollab.chapters import gerd
from scicollab.chapters import opportunities as opp
from scicollab.measures.shares import MIN_ARTICLES, WINDOW
from scicollab.report import book_table


def test_exposure_flags_low_investment_and_high_reliance():
    frame = pd.DataFrame({"gerd_usd": [1, 2, 3, 4], "share": [50, 10, 60, 40]})
    flagged = opp.exposure(frame)
    assert list(flagged["exposed"]) == [True, False, False, False]


def test_flagged_economies_are_those_below_median_gerd_and_above_median_share():
    # Recomputed from the processed tables: the latest year's foreign share of whole-count
    # credit (economies with at least MIN_ARTICLES articles), matched with each economy's
    # latest GERD in US$ of that year or the WINDOW years before.
    counts = pd.read_csv(paths.data_dir() / "publication_counts.csv")
    year = counts["year"].max()
    shares = counts[(counts["year"] == year) & (counts["whole"] >= MIN_ARTICLES)]
    rd = pd.read_csv(paths.data_dir() / "rd_expenditure.csv").dropna(subset=["gerd_usd"])
    rd = rd[(rd["year"] >= year - WINDOW) & (rd["year"] <= year)]
    latest = rd.sort_values("year").drop_duplicates("iso3", keep="last")
    both = shares.merge(latest[["iso3", "gerd_usd"]], on="iso3")
    share = 100 * both["foreign_credit_share"]
    expected = set(both.loc[(both["gerd_usd"] < both["gerd_usd"].median())
                            & (share > share.median()), "iso3"])
    result = opp.analyse("World")
    assert result.numbers.year == year
    assert result.numbers.economies == len(both)
    assert set(result.data.loc[result.data["exposed"], "iso3"]) == expected
    assert result.numbers.exposed == len(expected) > 0


def test_counts_match_the_flagged_rows():
    result = opp.analyse("Sub-Saharan Africa")
    assert result.numbers.exposed == int(result.data["exposed"].sum())
    assert "Sub-Saharan Africa" in result.numbers.region_sentence


def test_table_has_a_source_column():
    table = book_table(opp.TABLE)
    assert len(table) == 3 and table["source"].str.len().gt(0).all()


def test_region_without_data_gets_a_sentence(region_without_data):
    assert "cannot be assessed" in opp.analyse(region_without_data).numbers.region_sentence


def test_name_list_sorts_by_name_and_separates_names_holding_commas_with_semicolons():
    assert opp.sorted_names(["Chad", "Angola"]) == "Angola and Chad"
    assert opp.sorted_names(["Malta", "Bahrain", "Oman"]) == "Bahrain, Malta and Oman"
    assert opp.sorted_names(["Costa Rica", "Congo, Dem. Rep.", "Côte d’Ivoire"]) == (
        "Congo, Dem. Rep.; Costa Rica and Côte d’Ivoire")


def test_world_lists_every_exposed_economy_in_a_table_in_alphabetical_order():
    result = opp.analyse("World")
    sentence = result.numbers.region_sentence
    names = result.data.loc[result.data["exposed"], "name"]
    rows = result.numbers.exposed_table.splitlines()[2:]
    listed = [row.split(" | ")[0].lstrip("| ").replace("\\", "") for row in rows]
    assert listed == opp.by_name(names) and len(listed) == result.numbers.exposed
    assert "Congo, Dem. Rep." in listed
    assert "Congo" not in sentence, "the names are in the table, not in the prose"
    assert f"the {result.numbers.exposed} exposed economies" in sentence


def test_region_without_exposed_members_says_none_is_without_an_empty_list():
    sentence = opp.analyse("USMCA").numbers.region_sentence
    assert sentence == ("Of the 3 economies of USMCA with both measures, none is in the exposed "
                        "group.")


def test_exposed_economies_are_checked_against_gerd_as_a_share_of_gdp():
    result = opp.analyse("World")
    data = result.data
    rd = pd.read_csv(paths.data_dir() / "rd_expenditure.csv")
    share = data[["iso3", "gerd_year"]].merge(
        rd.rename(columns={"year": "gerd_year"}), on=["iso3", "gerd_year"])["gerd_pct_gdp"]
    below = set(data["iso3"][(share < share.median()).to_numpy()])
    exposed = set(data.loc[data["exposed"], "iso3"])
    n = result.numbers
    assert n.exposed_low_intensity == len(exposed & below)
    assert n.exposed_typical_intensity == len(exposed - below) > 0
    assert f"Of the {len(exposed)}, {len(exposed & below)} also spend less" in \
        n.intensity_sentence


def test_the_exposed_table_gives_rd_spending_in_millions_never_as_a_rounded_zero():
    frame = pd.DataFrame({"name": ["Burundi", "Kenya"], "income_group": ["Low income"] * 2,
                          "gerd_usd": [7.3e6, 3.2e8], "gerd_pct_gdp": [0.21, 0.8],
                          "share": [72.6, 60.1]})
    lines = opp.exposed_markdown(frame).splitlines()
    assert "GERD (US$ million)" in lines[0]
    assert lines[2].startswith("| Burundi | Low income | 7.3 |")
    assert lines[3].startswith("| Kenya | Low income | 320.0 |")


def test_an_economy_not_assessed_is_told_why():
    # it read "Bhutan lacks a GERD figure or the co-authorship share (the GERD chapter says
    # which)"; Bhutan has the share but no GERD figure, Tuvalu too few articles and no GERD
    bhutan = opp.analyse("Bhutan").numbers.region_sentence
    assert bhutan == ("Bhutan's exposure cannot be assessed: it has no GERD figure for "
                      "2014–2018 (the World Bank has no GERD figure for it).")
    tuvalu = opp.analyse("Tuvalu").numbers.region_sentence
    assert "fewer than the 50 the share needs" in tuvalu and "no GERD figure" in tuvalu
    assert gerd.analyse("Bhutan").numbers.region.sentence.startswith(
        "Bhutan cannot be placed on this chart: it has no GERD figure for 2014–2018")
