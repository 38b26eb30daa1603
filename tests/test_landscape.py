"""Who collaborates: growth, pairs, inside/outside links and the report's quoted counts."""

import pandas as pd
import pytest

from line_colours import assert_same_line_colours
from scicollab import datasets, paths, regions
from scicollab.chapters import landscape
from scicollab.measures import openalex
from scicollab.measures.names import names


def test_growth_is_the_ratio_of_the_tables_values():
    oa = datasets.load("openalex_international")
    grown = openalex.growth(oa, 2000, 2023, "international_works")
    kenya = grown[grown["iso3"] == "KEN"].iloc[0]
    value = oa.set_index(["iso3", "year"])["international_works"]
    assert kenya["ratio"] == pytest.approx(value["KEN", 2023] / value["KEN", 2000])


def test_inside_and_outside_links_add_up():
    pairs = pd.DataFrame({"a": ["CAN", "CAN", "MEX"], "b": ["USA", "FRA", "USA"],
                          "year": [2020] * 3, "works": [10, 5, 3]})
    links = openalex.inside_outside(pairs, ("CAN", "MEX", "USA"), 2020).set_index("iso3")
    assert links.loc["CAN", "inside"] == 10 and links.loc["CAN", "outside"] == 5
    assert links.loc["USA", "inside"] == 13 and links.loc["USA", "outside"] == 0
    assert ((links["inside"] + links["outside"]) == links["links"]).all()


def _inside_outside_by_member(pair_frame, members, year):
    """The same table counted one member at a time, plainly: the reference."""
    year_pairs = pair_frame[pair_frame["year"] == year]
    rows = []
    for iso3 in members:
        mine = year_pairs[(year_pairs["a"] == iso3) | (year_pairs["b"] == iso3)]
        if mine.empty:
            continue
        partner = mine["b"].where(mine["a"] == iso3, mine["a"])
        inside = mine.loc[partner.isin(members).to_numpy(), "works"].sum()
        total = mine["works"].sum()
        rows.append({"iso3": iso3, "inside": int(inside), "outside": int(total - inside),
                     "links": int(total)})
    frame = pd.DataFrame(rows, columns=["iso3", "inside", "outside", "links"])
    frame["inside_share"] = frame["inside"] / frame["links"]
    return frame.sort_values("links", ascending=False).reset_index(drop=True)


@pytest.mark.parametrize("year", [2000, 2023])
def test_inside_and_outside_links_are_those_counted_member_by_member(year):
    """Every named region and a few economies, on the real pairs table: the same rows, in the
    same order, with the same values and types as counting one member at a time."""
    pairs = openalex.pairs()
    groups = [regions.resolve(name).members for name in regions.names()]
    groups += [("KEN",), ("URY", "KEN"), ("XXX", "KEN"), ("XXX",)]
    for members in groups:
        got = openalex.inside_outside(pairs, members, year)
        pd.testing.assert_frame_equal(got, _inside_outside_by_member(pairs, members, year))


def test_strongest_pairs_are_ranked_by_works():
    result = landscape.analyse("World")
    works = list(result.top_pairs["works"])
    assert works == sorted(works, reverse=True)


def test_us_china_series_comes_from_the_pairs_table():
    oa, ncses = openalex.us_china()
    pairs = datasets.load("openalex_pairs")
    direct = pairs[(pairs["a"] == "CHN") & (pairs["b"] == "USA")]
    assert list(oa["works"]) == list(direct["works"])
    assert list(ncses["year"]) == [2003, 2022]


def test_quoted_counts_sit_beside_the_data():
    table = landscape.quoted_comparison()
    assert list(table["iso3"]) == ["USA", "CHN", "ZAF", "NAM"]
    namibia = table[table["iso3"] == "NAM"].iloc[0]
    assert namibia["openalex_international"] > 0 and pd.isna(namibia["ncses_total"])


def test_region_without_data_gets_a_sentence(monkeypatch):
    empty = regions.Region("Antarctica", "custom", ("ZZZ",))
    real = regions.resolve
    monkeypatch.setattr(regions, "resolve", lambda n: empty if n == "Antarctica" else real(n))
    result = landscape.analyse("Antarctica")
    assert result.numbers.region_n == 0
    assert result.numbers.region_sentence.startswith("OpenAlex has no internationally")
    _fig, spec, _ = landscape.links_figure(result)
    assert spec.id == "landscape-links-antarctica"


def test_quoted_counts_keep_the_reports_own_years_and_labels():
    table = landscape.quoted_comparison().set_index("iso3")
    assert table.loc["USA", "year_in_report"] == 2020
    assert pd.isna(table.loc["NAM", "year_in_report"])
    numbers = landscape.analyse("World").numbers
    intro = numbers.quoted.intro
    assert "publications in 2020 for the United States and China" in intro
    assert "no year stated, for South Africa and Namibia" in intro
    reading = numbers.quoted.reading
    cannot = reading.split("cannot be")[0]
    assert "United States" in cannot and "South Africa" not in cannot
    assert "NCSES has no figures for Namibia" in numbers.quoted.sources


def test_coverage_benchmark_compares_the_same_economies_and_years():
    bench = openalex.coverage_benchmark()
    pubs = datasets.load("publications").pivot(index="iso3", columns="year",
                                                 values="international")
    works = datasets.load("openalex_international").pivot(index="iso3", columns="year",
                                                            values="international_works")
    start, end = bench["start"], bench["end"]
    both = pubs[[start, end]].dropna().index.intersection(works[[start, end]].dropna().index)
    assert bench["economies"] == len(both)
    assert bench["ncses"] == pytest.approx(pubs.loc[both, end].sum() / pubs.loc[both, start].sum())
    assert bench["openalex"] == pytest.approx(
        works.loc[both, end].sum() / works.loc[both, start].sum())
    sentence = landscape.analyse("World").numbers.benchmark_sentence
    assert f"grew {bench['ncses']:.1f}-fold" in sentence


def test_world_edition_does_not_compare_the_world_with_itself():
    numbers = landscape.analyse("World").numbers
    assert "against" not in numbers.region_sentence
    assert "involving" not in numbers.top_pair_sentence
    assert "involving a member of South Asia" in landscape.analyse(
        "South Asia").numbers.top_pair_sentence


def test_a_small_region_names_each_members_value_instead_of_a_median():
    sentence = landscape.analyse("USMCA").numbers.region_sentence
    assert "median" not in sentence
    latest = datasets.load("openalex_international")
    latest = latest[(latest["iso3"] == "CAN") & (latest["year"] == latest["year"].max())]
    assert f"Canada {latest['international_works'].iloc[0]:,}" in sentence
    assert "median member" in landscape.analyse("South Asia").numbers.region_sentence


def test_us_china_sentence_says_the_latest_year_may_be_incomplete():
    oa, ncses = openalex.us_china()
    sentence = landscape.analyse("World").numbers.uscn.sentence
    peak = oa.loc[oa["works"].idxmax()]
    change = 100 * (1 - oa["works"].iloc[-1] / peak["works"])
    assert f"{change:.1f}% below the peak" in sentence
    assert "may be incomplete" in sentence and "August 2024" in sentence
    assert int(peak["year"]) not in set(ncses["year"])
    assert "cannot confirm" in sentence


def test_economies_are_ranked_by_their_co_authored_share_not_only_by_volume():
    from scicollab import panels

    ranking = landscape.share_ranking()
    broad = ranking.dropna(subset=["broad_share"])
    assert list(broad["broad_share"]) == sorted(broad["broad_share"], reverse=True)
    assert broad["broad_rank"].iloc[0] == 1
    assert len(broad) == len(panels.panel("broad_share").values)
    numbers = landscape.analyse("World").numbers
    rows = numbers.ranking.table.splitlines()[2:]
    assert len(rows) == len(ranking)
    top = broad.iloc[0]
    from scicollab.report import escape

    assert rows[0].startswith(f"| {escape(top['name'])} |")
    assert f"{top['broad_share']:.1f}%" in numbers.ranking.sentence


def test_top_partner_and_its_changes_come_from_the_pairs():
    pairs = datasets.load("openalex_pairs")
    year = int(pairs["year"].max())
    both = pd.concat([pairs.rename(columns={"a": "iso3", "b": "partner"}),
                      pairs.rename(columns={"b": "iso3", "a": "partner"})])
    kenya = both[(both["iso3"] == "KEN") & (both["year"] == year)]
    top = kenya.sort_values(["works", "partner"], ascending=[False, True]).iloc[0]["partner"]
    ranking = landscape.share_ranking().set_index("iso3")
    assert ranking.loc["KEN", "top_partner"] == top
    changes = openalex.partner_changes("PAK")
    yearly = (both[(both["iso3"] == "PAK") & (both["year"] >= openalex.BASE_YEAR)]
              .sort_values(["year", "works", "partner"], ascending=[True, False, True])
              .groupby("year").first()["partner"])
    switches = [(int(y), p) for y, p in yearly.items()
                if y == yearly.index[0] or p != yearly.shift().loc[y]]
    assert changes == switches


@pytest.mark.parametrize(("changes", "expected"), [
    ([(2000, "USA")], "the United States in every year since 2000"),
    ([(2000, "FRA"), (2010, "USA")], "France in 2000, then the United States (from 2010)"),
    ([(2000, "IND"), (2001, "AUS"), (2002, "IND"), (2005, "THA"), (2022, "IND")],
     "India since 2022, after 4 changes since 2000"),
])
def test_a_top_partners_history_reads_as_a_phrase(changes, expected):
    # the last form read "changed 4 times since 2000; India from 2022" after a colon
    label = {"USA": "United States", "FRA": "France", "IND": "India", "AUS": "Australia",
             "THA": "Thailand"}
    assert openalex.changes_text(changes, label) == expected


def test_the_quoted_counts_explanations_are_tested_and_the_untestable_one_named():
    table = landscape.quoted_comparison()
    tested = landscape.explanations(table)
    assert tested["tested"].sum() == 2 and (~tested["tested"]).sum() == 1
    windows = landscape.quoted_windows(table)
    best = landscape.best_window(windows)
    assert best is not None and best > 1
    part = windows[windows["years"] == best].set_index("iso3")
    oa = datasets.load("openalex_international").set_index(["iso3", "year"])[
        "international_works"]
    year = int(table["year"].iloc[0])
    total = sum(oa[("NAM", y)] for y in range(year - best + 1, year + 1))
    assert part.loc["NAM", "ratio"] == pytest.approx(2029 / total)
    sentence = landscape.analyse("World").numbers.explanations_sentence
    assert "cannot be tested with these data" in sentence
    assert f"A window of {best} years" in sentence
    source = (paths.notebooks_dir() / "landscape.md").read_text()
    assert "likeliest" not in source.lower()


def test_collaborative_output_tracks_size_by_a_computed_correlation():
    import numpy as np

    frame = landscape.size_data()
    r = np.corrcoef(np.log10(frame["gdp_usd"]), np.log10(frame["international_works"]))[0, 1]
    tests = landscape.size_tests()
    assert tests["gdp"].r == pytest.approx(r) and tests["gdp"].n == len(frame)
    assert f"r = {r:.2f}" in landscape.analyse("World").numbers.size_sentence


def test_the_ordering_of_the_quoted_countries_is_checked_source_by_source():
    table = landscape.quoted_comparison()
    sentence = landscape.ordering_sentence(table, names())
    both = table.dropna(subset=["ncses_total"])
    top = both.sort_values("ncses_total", ascending=False)["iso3"].iloc[0]
    reported_top = table.sort_values("quoted", ascending=False)["iso3"].iloc[0]
    if top != reported_top:
        assert "NCSES's count of all articles puts" in sentence
    assert "orders of magnitude" in sentence


def test_an_economy_without_pairs_is_named_as_itself():
    # the Channel Islands' edition read "No pair involving a member of the Channel Islands"
    sentence = landscape.analyse("Channel Islands").numbers.top_pair_sentence
    assert sentence.startswith("No pair involving the Channel Islands has co-authored works")



@pytest.mark.parametrize(("region", "says", "not_said"), [
    ("Kenya", "Works with authors from Kenya and from at least one other country, by "
              "publication year.", "most such works"),
    ("World", f"for the {landscape.TOP} countries with most such works in", "every economy"),
    ("USMCA", "for every economy of USMCA with such works.", "most such works"),
])
def test_the_producers_caption_says_whose_lines_are_drawn(region, says, not_said):
    # an economy's edition drew the economy's one line under a caption about "the countries
    # with most such works in the latest year"
    import matplotlib.pyplot as plt

    fig, spec, data = landscape.producers_figure(landscape.analyse(region))
    plt.close(fig)
    assert says in spec.caption and not_said not in spec.caption
    expected = {"Kenya": 1, "World": landscape.TOP, "USMCA": 3}[region]
    assert data["iso3"].nunique() == expected


def test_the_producers_interactive_version_colours_each_country_as_the_figure_does():
    # the static figure coloured the countries largest first, the interactive one in the order
    # of the table's rows: the United States was orange in one and grey in the other
    fig, _spec, data = landscape.producers_figure(landscape.analyse("World"))
    assert_same_line_colours(fig, landscape.explore_producers(data))
