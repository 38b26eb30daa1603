"""Governance: performing-sector shares come from the funding table and add up."""

import pandas as pd
import pytest

from scicollab import paths, regions
from scicollab.chapters import governance as gov
from scicollab.report import book_table


def test_sector_shares_are_the_tables_values_and_sum_to_100_within_rounding():
    sectors = gov.performing_sectors().set_index("iso3")
    raw = pd.read_csv(paths.data_dir() / "rd_funding.csv")
    performed = raw[raw["category"] == "performing_sector"].set_index(["iso3", "sector"])
    for iso3, sector in (("USA", "business"), ("USA", "government"), ("DEU", "higher_education"),
                         ("JPN", "private_nonprofit"), ("HUN", "business")):
        assert sectors.loc[iso3, sector] == performed.loc[(iso3, sector), "value"]
    assert sectors.loc["USA", "business"] == 77.6  # data/rd_funding.csv, USA 2021
    # Shares are published to one decimal and a few economies leave the small private
    # non-profit share blank (Hungary: 75.5 + 10.2 + 13.8 = 99.5), so every total lies within
    # half a point of 100.
    total = sectors[gov.SECTORS].sum(axis=1, min_count=1)
    assert ((total - 100).abs() <= 0.5 + 1e-9).all()


def test_region_numbers_and_no_data_sentence(region_without_data):
    result = gov.analyse("G7")
    members = result.sectors[result.sectors["in_region"]]
    assert str(len(members)) in result.numbers.region_sentence
    outcome = gov.analyse(region_without_data)
    assert "does not report" in outcome.numbers.region_sentence
    _fig, spec, data = gov.figure(outcome)
    assert len(data) > 0 and spec.id == f"governance-sectors-{regions.slugify(region_without_data)}"


def test_considerations_table_has_a_source_column():
    table = book_table(gov.TABLE)
    assert len(table) == 5 and table["source"].str.len().gt(0).all()
    assert gov.analyse("World").numbers.business_median == pytest.approx(
        gov.performing_sectors()["business"].median())


def test_open_access_numbers_come_from_the_table_and_regions_are_told_it_is_world_only(
        region_without_data):
    access = gov.open_access().set_index("year")
    numbers = gov.analyse("World").numbers
    first, last = numbers.oa.year_first, numbers.oa.year_last
    assert numbers.oa.share_last == pytest.approx(
        100 * access.loc[last, "open_access"] / access.loc[last, "known_status"])
    assert numbers.oa.open_growth == pytest.approx(
        access.loc[last, "open_access"] / access.loc[first, "open_access"])
    assert numbers.oa.share_first < numbers.oa.share_last
    assert "only level" in numbers.oa.region_sentence
    outcome = gov.analyse(region_without_data)
    assert "world as a whole only" in outcome.numbers.oa.region_sentence
    _fig, spec, data = gov.access_figure(outcome)
    assert spec.id == f"governance-open-access-{regions.slugify(region_without_data)}"
    assert len(data) == len(access)
    assert spec.source.endswith("NCSES, Science and Engineering Indicators (10002)")


def test_small_region_names_each_members_shares_instead_of_medians():
    sentence = gov.analyse("USMCA").numbers.region_sentence
    mex = gov.performing_sectors().set_index("iso3").loc["MEX"]
    assert (f"Mexico {mex['business']:.1f}% and {mex['government']:.1f}% "
            f"({int(mex['year'])})") in sentence
    assert "median" not in sentence and "all 3 members of USMCA" in sentence


def test_a_single_covered_member_is_named_not_called_a_median():
    sentence = gov.analyse("Middle East & North Africa").numbers.region_sentence
    assert sentence.startswith("Israel is the only one of the 21 members")
    assert "median" not in sentence and "1 economies" not in sentence


def test_income_groups_are_named_as_groups():
    numbers = gov.analyse("Low income").numbers
    assert "in the Low income group" in numbers.region_sentence
    assert "the open share of the Low income group" in numbers.oa.region_sentence


def test_world_figure_shows_every_covered_economy_so_caption_and_text_years_agree():
    result = gov.analyse("World")
    _fig, spec, data = gov.figure(result)
    n = result.numbers
    assert len(data) == n.economies
    assert spec.data_years.startswith(f"{n.year_first}–{n.year_last} ")
    assert "economies of the world" not in n.region_sentence


def test_a_single_data_year_is_not_written_as_a_range():
    _fig, spec, data = gov.figure(gov.analyse("North America"))
    assert data["year"].nunique() == 1
    year = int(data["year"].iloc[0])
    assert spec.data_years.startswith(f"{year} ") and f"{year}–{year}" not in spec.data_years
