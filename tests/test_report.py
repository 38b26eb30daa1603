"""The wording helpers the chapters share: counts with their nouns, ordinals, tables."""

import pandas as pd
import pytest

from scicollab import regions, report


@pytest.mark.parametrize(("n", "noun", "plural", "expected"), [
    (0, "economy", None, "no economies"),
    (1, "economy", None, "1 economy"),
    (3, "economy", None, "3 economies"),
    (2, "survey", None, "2 surveys"),
    (1200, "member", None, "1,200 members"),
    (4, "analysis", "analyses", "4 analyses"),
])
def test_count_puts_the_noun_in_the_right_number(n, noun, plural, expected):
    assert report.count(n, noun, plural) == expected


@pytest.mark.parametrize(("n", "expected"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"),
                                             (11, "11th"), (12, "12th"), (13, "13th"),
                                             (21, "21st"), (102, "102nd"), (111, "111th")])
def test_ordinal_suffixes(n, expected):
    assert report.ordinal(n) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (1.21e9, "US$1.21 billion"), (46.3e6, "US$46.3 million"), (4.6e6, "US$4.6 million"),
    (850e3, "US$850,000"), (761_555, "US$762,000"), (999.4e6, "US$999 million"),
    (999.6e6, "US$1 billion"), (1.5e12, "US$1.5 trillion")])
def test_dollars_read_in_the_word_that_fits_never_as_zero_billions(value, expected):
    assert report.dollars(value) == expected


def test_a_small_economys_rd_spending_reads_in_millions():
    from scicollab import panels

    gerd = panels.panel("gerd_usd")
    assert gerd.text(0.0046) == "US$4.6 million"
    assert gerd.text(2.5) == "US$2.5 billion"
    assert panels.panel("gerd_pct_gdp").text(-0.001) == "0.00%", "no negative zero"


def test_markdown_table_shows_empty_cells_as_a_dash():
    frame = pd.DataFrame({"a": ["x", ""], "b": [1.5, float("nan")]})
    assert report.markdown_table(frame, {"a": "A", "b": "B"}).splitlines() == [
        "| A | B |", "|---|---|", "| x | 1.5 |", "| – | – |"]


def test_economies_are_listed_by_name_with_semicolons_when_a_name_has_a_comma():
    assert report.name_list(["Syria", "Chile", "Peru"]) == "Syria, Chile and Peru"
    assert report.name_list(["Korea, Rep.", "Japan"]) == "Korea, Rep. and Japan"
    assert report.name_list(["Korea, Rep.", "Japan", "Chile"]) == "Korea, Rep.; Japan and Chile"
    assert report.name_list(["Chile"]) == "Chile"
    assert report.name_list([]) == "none"
    assert report.name_list([], empty="") == ""


def test_a_name_ending_in_s_takes_the_apostrophe_alone():
    # the economy editions read "The United States's largest partners"
    assert report.possessive("Kenya") == "Kenya's"
    assert report.possessive("the United States") == "the United States'"
    assert report.possessive("Seychelles") == "Seychelles'"
    from scicollab.measures import openalex

    assert openalex.top_partners_sentence("USA", 2023).startswith(
        "The United States' largest partners in 2023 were China")


def test_p_values_and_the_significance_level_read_as_the_prose_gives_them():
    assert report.p_text(0.0424) == "p = 0.042"
    assert report.p_text(0.0004) == "p < 0.001"
    assert report.LEVEL == "at the 5% level"
    assert report.capitalised("most economies") == "Most economies"
    assert report.capitalised("") == ""


def test_escape_keeps_data_from_becoming_markup():
    assert report.escape("A|b *c* <x> [y](z) {glue} `q` $m$") == (
        r"A\|b \*c\* \<x\> \[y\]\(z\) \{glue\} \`q\` \$m\$")
    assert report.escape("two\nlines") == "two lines"
    frame = pd.DataFrame({"a": ["x|y"]})
    assert report.markdown_table(frame, {"a": "A"}, escaped=True).splitlines()[2] == r"| x\|y |"


def test_a_regions_members_are_named_as_one_economy_or_as_a_group():
    from scicollab import regions

    assert report.its_members(regions.resolve("Kenya")) == "Kenya"
    assert report.its_members(regions.resolve("South Asia")) == "the members of South Asia"


def test_economy_sentence_gives_values_and_ranks_and_names_what_is_missing():
    from scicollab import panels

    sentence = panels.economy_sentence("KEN", ["researchers", "exact_share"])
    r = panels.rank(panels.panel("researchers"), "KEN")
    assert panels.rank_text(r) in sentence
    assert sentence.endswith("Kenya has no value for the internationally co-authored share of "
                             f"articles ({panels.exact_year()}).")


def test_a_long_table_is_folded_a_short_one_open_and_an_empty_one_absent():
    short = "| A |\n|---|\n| 1 |"
    assert report.collapsible("T", short).startswith("::::{dropdown} T (1 row)\n:open:")
    long = "| A |\n|---|\n" + "\n".join("| x |" for _ in range(report.LONG_TABLE + 1))
    block = report.collapsible("T", long)
    assert ":open:" not in block and block.endswith("::::") and long in block
    assert report.collapsible("T", "") == ""


def test_a_caption_says_how_an_economy_or_a_group_is_marked():
    assert report.members_are(regions.resolve("Kenya")) == "Kenya is"
    assert report.members_are(regions.resolve("United States")) == "The United States is"
    assert report.members_are(regions.resolve("South Asia")) == "Economies in South Asia are"


@pytest.mark.parametrize(("gap", "expected"), [
    (0.1, "0.1 points above the line, within the usual scatter about it (a standard deviation "
          "of 9.5 points): about typical"),
    (-12.34, "12.3 points below the line, beyond the usual scatter about it (a standard "
             "deviation of 9.5 points): a smaller share"),
    (10.0, "10.0 points above the line, beyond the usual scatter about it (a standard "
           "deviation of 9.5 points): a larger share")])
def test_a_point_against_a_line_is_judged_by_the_scatter_about_the_line(gap, expected):
    assert report.against_line(gap, 9.5, "the line", "share", "typical") == expected
