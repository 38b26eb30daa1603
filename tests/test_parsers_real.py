"""The parsers on the real raw files: every country kept, values equal to the raw cells."""

import csv

import pytest

from scicollab import pipeline
from scicollab.countries import EXCLUDED, CountryIndex, normalise
from scicollab.sources import ncses, openalex, worldbank


@pytest.fixture(scope="module")
def context(raw_dir):
    return pipeline.Context.load(raw_dir)


def test_world_bank_list_has_all_economies(context):
    economies = context.economies
    assert len(economies) == 218
    assert {"USA", "NAM", "XKX", "TWN"} <= set(economies["iso3"])
    assert set(economies["income_group"]) <= {*worldbank.INCOME_GROUPS, ""}


def test_every_ncses_1819_country_row_is_matched_or_excluded(raw_dir, context):
    path = raw_dir / "ncses/1819/data.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    countries = [r for r in rows if r["field_economies_by_income_status"].strip()]
    frame = ncses.read_counting_methods(path, context.index)
    names = {r["region_country_or_economy_full_path"].split(" -> ")[-1] for r in countries}
    expected = {context.index.lookup(n) for n in names} - {None}
    excluded = {n for n in names if normalise(n) in EXCLUDED}
    assert set(frame["iso3"]) == expected
    assert len(expected) + len(excluded) == len(names)


def test_coauthorship_values_equal_raw_cells(raw_dir, context):
    path = raw_dir / "ncses/10001/data.csv"
    frame = ncses.read_coauthorship(path, context.index)
    raw = {r["region_country_or_economy_full_path"]: r
           for r in csv.DictReader(path.open(encoding="utf-8-sig"))}
    usa = frame[(frame["iso3"] == "USA") & (frame["year"] == 2022)].iloc[0]
    cell = raw["World -> United States -> Total articles -> With international institutions"]
    assert usa["international"] == float(cell["field_2022"])
    assert frame["iso3"].nunique() == 46


def test_pairs_infer_partner_order_and_match_country_totals(raw_dir, context):
    pairs = ncses.read_pairs(raw_dir / "ncses/10003/data.csv", context.index)
    link = pairs[(pairs["a"] == "CAN") & (pairs["b"] == "USA") & (pairs["year"] == 2003)]
    assert link["articles"].tolist() == [9985]
    assert len(pairs) == 46 * 45 // 2 * 2


def test_gerd_latest_reads_year_from_label(raw_dir, context):
    latest = ncses.read_gerd_latest(raw_dir / "ncses/6304/data.csv", context.index)
    cuba = latest[latest["iso3"] == "CUB"].iloc[0]
    assert cuba["year"] == 2011
    assert latest["iso3"].is_unique


def test_wdi_keeps_economies_and_skips_only_known_aggregates(raw_dir, context):
    frame = context.wdi("GB.XPD.RSDV.GD.ZS")
    assert set(frame["iso3"]) <= set(context.economies["iso3"])
    assert "WLD" not in set(frame["iso3"]) and "USA" in set(frame["iso3"])


def test_openalex_all_vertices_convert(raw_dir):
    countries, pairs = openalex.read_archive(raw_dir / "openalex_country_coauthorship")
    assert countries["year"].min() == 1990 and countries["year"].max() == 2023
    assert (pairs["a"] < pairs["b"]).all()
    usa = countries[(countries["iso3"] == "USA") & (countries["year"] == 2020)].iloc[0]
    assert usa["international_works"] > 100_000


def test_index_from_world_bank_names_resolves_its_own_spellings(context):
    index: CountryIndex = context.index
    assert index.lookup("Korea, Rep.") == "KOR"
    assert index.lookup("Venezuela, RB") == "VEN"


def test_trust_is_one_hundred_minus_the_sources_distrust(raw_dir):
    from scicollab.sources import ivs

    frame = ivs.read_trust_aggregates(raw_dir / "ivs_trust/ivs_discrim_largo.csv",
                                      {"ALB", "AND", "ARG", *_all_iso3()})
    row = frame[(frame["iso3"] == "ALB") & (frame["wave"] == 7)
                & (frame["item"] == "G007_36_B")].iloc[0]
    assert row["distrust_pct"] == 59.84 and row["trust_pct"] == pytest.approx(40.16)
    assert "NIR" not in set(frame["iso3"])
    wave7 = frame[(frame["wave"] == 7) & (frame["item"] == "G007_36_B")]
    assert wave7["iso3"].nunique() == 92 - 1  # the source's 92 units less Northern Ireland


def test_gerd_structure_has_funds_from_abroad(raw_dir, context):
    frame = ncses.read_gerd_structure(raw_dir / "ncses/10946/data.csv", context.index)
    abroad = frame[(frame["category"] == "source_of_funds")
                   & (frame["sector"] == "rest_of_the_world")]
    assert abroad["iso3"].nunique() > 30
    australia = frame[frame["iso3"] == "AUS"]
    assert set(australia["year"]) == {2019}


def _all_iso3():
    import pycountry

    return {c.alpha_3 for c in pycountry.countries}


def test_covid_articles_match_names_like_uk_with_trailing_space(raw_dir, context):
    path = raw_dir / "ncses/4960/data.csv"
    frame = ncses.read_covid_articles(path, context.index)
    raw = [r for r in csv.DictReader(path.open(encoding="utf-8-sig")) if r["country"] == "UK "]
    assert len(raw) == 1, "the source labels the United Kingdom 'UK ' with a trailing space"
    cell = raw[0]
    gbr = frame[frame["iso3"] == "GBR"].iloc[0]
    assert gbr["whole"] == float(cell["number_of_papers_whole_"])
    assert gbr["fractional"] == float(cell["number_of_papers_fractional_"])
    assert gbr["international"] == float(
        cell["papers_involving_international_institutions_whole_"])
    assert frame["iso3"].is_unique and len(frame) > 180


def test_access_types_read_closed_first_and_match_nsbs_sevenfold_growth(raw_dir):
    frame = ncses.read_access_types(raw_dir / "ncses/10002/data.csv").set_index("year")
    assert list(frame.index) == list(range(2003, 2023))
    with open(raw_dir / "ncses/10002/data.csv", newline="") as handle:
        first_rows = {int(r["time_period"]): float(r["value"]) for r in csv.DictReader(handle)
                      if int(r["row_id"][1:]) % 5 == 1}
    assert frame["closed_access"].to_dict() == first_rows
    # NSB also says open-access articles grew "more than seven-fold" from 2003 to 2022: a check
    # of the reading that the parser's own anchors (the 2003 and 2022 shares) do not make.
    growth = frame.loc[2022, "open_access"] / frame.loc[2003, "open_access"]
    assert 7 < growth < 8
