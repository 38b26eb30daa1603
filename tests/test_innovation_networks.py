"""Innovation networks: North American links from the pairs tables; region links."""

import pandas as pd

from scicollab import datasets
from scicollab.chapters import innovation_networks as net


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
    table = pd.read_csv(net.TABLE, keep_default_na=False)
    assert table["source"].str.len().gt(0).all()
    assert "USMCA's members" in net.analyse("USMCA").numbers["net_region_sentence"]
    assert "every link is internal" in net.analyse("World").numbers["net_region_sentence"]
