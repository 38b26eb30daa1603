"""Every chapter reads sensibly for one economy: its own values and ranks, no median of one,
no 'members of Kenya', and what is missing said plainly for an economy with little data."""

import importlib
import re

import pytest

from scicollab import panels, regions
from scicollab.chapters import catalogue
from scicollab.report import Numbers

from conftest import NEGATIVE_ZERO

ECONOMIES = ["Kenya", "Tuvalu", "United States"]
# Phrases that only make sense for a group of economies.
GROUP_WORDS = re.compile(r"(members? of|economies of|economy of|economies in|economy in|"
                         r"median (?:member|of 1\b)|of its 1 member|the only one of its)\s+"
                         r"(?:the )?(Kenya|Tuvalu|United States)")


def chapter_numbers(chapter: str, name: str) -> Numbers:
    module = importlib.import_module(f"scicollab.chapters.{chapter}")
    if hasattr(module, "analyse"):
        return module.analyse(regions.resolve(name)).numbers
    return module.numbers(name)


# The analysis chapters (the home page's table is scicollab.findings, tested on its own; the
# Methods page says the same for every region).
ANALYSED = [c for c, page in catalogue.pages().items() if page.startswith("notebooks/")]


@pytest.mark.parametrize("name", ECONOMIES)
@pytest.mark.parametrize("chapter", ANALYSED)
def test_no_chapter_speaks_of_one_economy_as_a_group(chapter, name):
    text = " ".join(str(v) for v in chapter_numbers(chapter, name).as_dict().values()
                    if isinstance(v, str))
    found = GROUP_WORDS.findall(text)
    assert not found, f"{chapter} for {name}: {found}"


@pytest.mark.parametrize("name", ["Mauritania", "Brazil"])
@pytest.mark.parametrize("chapter", ANALYSED)
def test_no_chapter_prints_a_negative_zero_or_zero_dollars(chapter, name):
    # Mauritania's GERD is under a million dollars; Brazil's R&D intensity barely moved
    text = " ".join(str(v) for v in chapter_numbers(chapter, name).as_dict().values()
                    if isinstance(v, str))
    assert not NEGATIVE_ZERO.findall(text), f"{chapter} for {name}"
    assert not re.search(r"US\$0\.0+\b", text), f"{chapter} for {name}"


def test_an_economy_is_ranked_among_all_economies_and_its_income_group():
    numbers = chapter_numbers("capacity_building", "Kenya")
    r = panels.rank(panels.panel("researchers"), "KEN")
    sentence = numbers.region_sentence
    assert panels.rank_text(r) in sentence
    assert "Lower middle income group" in sentence and "median" not in sentence


def test_an_economy_with_little_data_is_told_what_is_missing():
    gerd = chapter_numbers("gerd", "Tuvalu").region.sentence
    assert "cannot be placed on this chart" in gerd
    assert f"fewer than the {panels.MIN_ARTICLES} the share needs" in gerd
    assert "no GERD figure" in gerd
    trust = chapter_numbers("trust", "Tuvalu").region.sentence
    assert trust.startswith("Tuvalu was not surveyed")
    capacity = chapter_numbers("capacity_building", "Tuvalu").region_sentence
    assert capacity.startswith("Tuvalu has no value for researchers per million")


def test_an_economy_gets_its_top_partners_and_their_history():
    sentence = chapter_numbers("landscape", "Kenya").links_sentence
    assert sentence.startswith("Kenya's largest partners in")
    assert "the United States" in sentence and "Its top partner by year: " in sentence
    ranking = chapter_numbers("landscape", "Kenya").ranking.sentence
    assert panels.rank_text(panels.rank(panels.panel("broad_share"), "KEN")) in ranking


def test_the_inside_outside_figure_is_shown_only_when_there_is_something_to_show():
    from scicollab.chapters import landscape

    assert landscape.analyse("World").numbers.links_block == ""
    assert landscape.analyse("Kenya").numbers.links_block == ""
    usmca = landscape.analyse("USMCA")
    assert usmca.show_links and "fig-landscape-links" in usmca.numbers.links_block
