"""The Regions page: cards and a table of economies, names as text, links only to published
editions that are current."""

from __future__ import annotations

import json

import pytest
from docutils.core import publish_from_doctree
from docutils.utils import new_document

from scicollab import gallery, regions


def _html(data: dict) -> str:
    document = new_document("<gallery>")
    for node in gallery._gallery_nodes(data):
        document += node
    return publish_from_doctree(document, writer_name="html5").decode()


def _card(**changes) -> dict:
    return {"name": "Trade & 'Partners' (東アジア)", "size": "2 economies", "link": None,
            "lines": ["median foreign share of credit 41.2%"], "thumb": "", "stamp": "",
            "stale": False} | changes


def test_names_reach_the_page_as_text_never_as_markup():
    hostile = "<img src=x onerror=alert(1)> {doc}`x`"
    page = _html({"cards": [_card(name=hostile)],
                  "economies": [{"name": hostile, "iso3": "KEN", "about": "<b>x</b>",
                                 "link": None}]})
    assert "<img src=x" not in page and "<b>x</b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; {doc}`x`" in page


def test_a_card_links_only_when_its_edition_is_published_and_says_when_it_is_not_built():
    page = _html({"cards": [_card(link="../regions/usmca/index.html", stamp="data 1, built x"),
                            _card(name="G7")], "economies": []})
    assert page.count('href="../regions/usmca/index.html"') == 1
    assert "Edition not built yet." in page


def test_a_stale_edition_is_marked_and_not_linked():
    page = _html({"cards": [_card(stale=True, stamp="data 1, built x")], "economies": []})
    assert gallery.STALE_NOTE in page and "href=" not in page


def test_the_economies_table_links_built_economies_and_offers_a_search_box():
    rows = [{"name": "Kenya", "iso3": "KEN", "about": "Lower middle income; Sub-Saharan Africa",
             "link": "../regions/kenya/index.html"},
            {"name": "Chad", "iso3": "TCD", "about": "Low income; Sub-Saharan Africa",
             "link": None}]
    page = _html({"cards": [], "economies": rows})
    assert 'class="scicollab-filter"' in page and "scicollab-economies" in page
    assert page.count("href=") == 1 and "1 of 2 economies have an edition" in page


def test_the_command_to_build_an_edition_shows_as_code_not_as_backticks():
    page = _html({"cards": [], "economies": []})
    assert "`" not in page[page.index("<body"):]  # (docutils' own style sheet holds some)
    assert '<span class="docutils literal">scicollab region build NAME</span>.' in page


@pytest.mark.parametrize(("numbers", "shown"), [
    ({"gerd_region_n": 40, "gerd_region_median": 41.23, "gerd_region_rank": 3,
      "gerd_regions_ranked": 16}, ["40 with R&D and publication data",
                                   "median foreign share of credit 41.2%",
                                   "ranks 3 of 16 named regions"]),
    ({"gerd_region_n": 2, "gerd_region_median": None, "gerd_region_rank": "not ranked"},
     ["2 with R&D and publication data"]),
    ({}, []),
])
def test_headline_lines_follow_the_chapter_numbers(numbers, shown):
    assert gallery.headline(numbers) == shown


def test_the_index_has_a_card_per_named_region_and_a_row_per_economy(tmp_path, monkeypatch):
    monkeypatch.setattr(gallery, "editions_root", lambda: tmp_path / "regions")
    data = gallery.index({}, {"gerd_region_n": 150})
    assert [c["name"] for c in data["cards"]] == regions.names()
    world = data["cards"][0]
    assert world["link"] == "../index.html" and world["lines"] == [
        "150 with R&D and publication data"]
    assert len(data["economies"]) == len(regions.economy_names())
    assert all(row["link"] is None for row in data["economies"])


def test_an_edition_of_another_region_in_the_folder_is_refused(tmp_path):
    folder = tmp_path / "nordic-a"
    folder.mkdir()
    (folder / gallery.RECORD).write_text(json.dumps({"region": "Nordic A"}))
    with pytest.raises(Exception, match="holds the edition of 'Nordic A'"):
        gallery.check_slug(folder, regions.custom("NOR", "nordic a"))
    gallery.check_slug(folder, regions.custom("NOR", "Nordic A"))

