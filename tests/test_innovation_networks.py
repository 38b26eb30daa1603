"""Innovation networks: North American links from the pairs tables; region links."""


from line_colours import assert_same_line_colours
from scicollab import datasets
from scicollab.chapters import innovation_networks as net
from scicollab.report import book_table


def test_links_come_from_the_pairs_table():
    links = net.north_american_links()
    pairs = datasets.load("openalex_pairs")
    us_can = pairs[(pairs["a"] == "CAN") & (pairs["b"] == "USA")]
    mine = links[links["link"] == "United States – Canada"]
    assert list(mine["works"]) == list(us_can["works"])


def test_ncses_links_have_both_years():
    table = net.ncses_links().set_index("link")
    assert table.loc["United States – Canada", 2003] == 9985
    assert set(table.index) == set(net.LINKS.values())


def test_initiatives_table_has_sources_and_region_sentence():
    table = book_table(net.TABLE)
    assert table["source"].str.len().gt(0).all()
    assert "members of USMCA" in net.analyse("USMCA").numbers.region_sentence
    assert "the Low income group" in net.analyse("Low income").numbers.region_sentence
    assert "every link is internal" in net.analyse("World").numbers.region_sentence


def test_ranking_sentence_compares_both_sources_from_the_data():
    links, ncses = net.north_american_links(), net.ncses_links().set_index("link")
    sentence = net.analyse("World").numbers.ranking_sentence
    growth = (ncses[2022] / ncses[2003]).sort_values(ascending=False)
    ncses_part = sentence.split("NCSES has ")[1]
    positions = [ncses_part.index(f"{link} {ratio:.1f}-fold") for link, ratio in growth.items()]
    assert positions == sorted(positions)
    size = links[links["year"] == 2022].set_index("link")["works"].sort_values(ascending=False)
    same = list(size.index) == list(ncses[2022].sort_values(ascending=False).index)
    assert ("rank the links the same way" in sentence) == same
    oa_2003 = links[links["year"] == 2003].set_index("link")["works"]
    oa_growth = (size / oa_2003).sort_values(ascending=False)
    agree = list(oa_growth.index) == list(growth.index)
    assert ("The growth ranking is the same" in sentence) == agree


def test_timing_caveat_puts_the_corridor_after_the_data():
    numbers = net.analyse("World").numbers
    caveat = numbers.timing_caveat
    table = book_table(net.TABLE).set_index("initiative")
    corridor = next(name for name in table.index if "Semiconductor" in name)
    started = int(table.loc[corridor, "started"])
    assert started > numbers.last
    assert f"{corridor} was formalised in {started}, after the last year" in caveat


def test_world_edition_intro_does_not_name_the_world_as_a_region():
    assert "World" not in net.analyse("World").numbers.intro_region
    assert "the Low income group" in net.analyse("Low income").numbers.intro_region


def test_a_pairs_and_an_economys_links_are_the_rows_a_scan_of_the_table_finds():
    from scicollab.measures import openalex

    pairs = datasets.load("openalex_pairs")
    for a, b in (("CAN", "USA"), ("CHN", "USA"), ("KEN", "UGA")):
        scanned = pairs[(pairs["a"] == a) & (pairs["b"] == b)]
        found = openalex.link(a, b)
        assert list(found.columns) == ["year", "works"] and len(found) == len(scanned) > 0
        assert list(found["year"]) == list(scanned["year"])
        assert list(found["works"]) == list(scanned["works"])
    assert openalex.link("USA", "CAN").empty, "a pair is kept once, its codes in order"
    assert openalex.link("ZZZ", "ZZY").empty
    both = openalex.directed_pairs()
    for iso3, year in (("KEN", 2023), ("CHL", 2000), ("ZZZ", 2020)):
        scanned = both[(both["iso3"] == iso3) & (both["year"] == year)]
        found = openalex.links_of(iso3, year)
        assert sorted(zip(found["partner"], found["works"], strict=True)) == sorted(
            zip(scanned["partner"], scanned["works"], strict=True))
        assert set(found["iso3"]) <= {iso3} and set(found["year"]) <= {year}


def test_the_interactive_version_colours_each_link_as_the_figure_does():
    # the interactive version took plotly's next colours: United States – Canada was blue in
    # the figure and orange in the interactive version
    fig, _spec, data = net.figure(net.analyse("World"))
    assert_same_line_colours(fig, net.explore(data))
