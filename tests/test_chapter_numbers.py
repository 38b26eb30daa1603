"""Every chapter's numbers are one typed object, glued as ``<prefix>_<field>``: the keys stay
those the pages were written against, and every key a page's prose refers to is glued."""

import dataclasses
import importlib
import json
import re
from typing import ClassVar

import pytest

from scicollab import methods, paths, regions, report, run_context
from scicollab.chapters import catalogue
from scicollab.report import Numbers

# The keys each chapter glued for the World edition before its numbers were typed, computed
# once from main's own run (numbers.json of every chapter, less the three chapter_setup glues).
BEFORE = paths.root() / "tests" / "fixtures" / "glued_keys_world.json"
SETUP_KEYS = {"region_name", "data_version", "ci_level"}  # glued by chapter_setup
# The chapters whose page glues a chapter's numbers: every notebook of notebooks/, and the
# Methods page (the home page glues scicollab.findings, tested in test_findings.py).
CHAPTERS = [c for c, page in catalogue.pages().items() if page.startswith("notebooks/")]
PAGES = {**{c: catalogue.source(c) for c in CHAPTERS}, "methods": catalogue.source("methods")}
# A glue role or directive in MyST: {glue:text}`key:.1f`, {glue:md}`key`, ```{glue:figure} key
GLUE = re.compile(r"\{glue(?::\w*)?\}`([^`:]+)[^`]*`|```\{glue(?::\w+)?\}\s+(\S+)")


def numbers_of(chapter: str, region: regions.Region) -> Numbers:
    """A chapter's numbers, from its analysis (or its ``numbers`` for the pages without one)."""
    if chapter == "methods":
        return methods.numbers()
    module = importlib.import_module(f"scicollab.chapters.{chapter}")
    if hasattr(module, "analyse"):
        return module.analyse(region).numbers
    return module.numbers(region)


@pytest.fixture(scope="module")
def world() -> dict[str, Numbers]:
    region = regions.resolve("World")
    return {chapter: numbers_of(chapter, region) for chapter in PAGES}


def test_every_chapters_numbers_are_a_dataclass_glued_under_its_own_prefix(world):
    prefixes = set()
    for chapter, numbers in world.items():
        assert isinstance(numbers, Numbers) and dataclasses.is_dataclass(numbers), chapter
        assert numbers.PREFIX and numbers.PREFIX not in prefixes, chapter
        prefixes.add(numbers.PREFIX)
        glued = report.glued(numbers)
        assert glued, chapter
        assert all(key.startswith(f"{numbers.PREFIX}_") for key in glued), chapter
        assert glued == numbers.as_dict()


def test_the_world_editions_glued_keys_are_those_of_the_untyped_chapters(world):
    before = json.loads(BEFORE.read_text())
    assert set(before) == set(world)
    for chapter, numbers in world.items():
        assert set(report.glued(numbers)) == set(before[chapter]), chapter


@pytest.mark.parametrize("chapter", sorted(PAGES))
def test_every_key_a_pages_prose_refers_to_is_glued(chapter, world):
    referred = {a or b for a, b in GLUE.findall(PAGES[chapter].read_text(encoding="utf-8"))}
    numbers = referred - {key for key in referred if key.startswith("fig-")}  # publish_figure's
    assert numbers, f"{chapter}: the page refers to no glued number"
    missing = numbers - set(report.glued(world[chapter])) - SETUP_KEYS
    assert not missing, f"{chapter}: the prose refers to keys nothing glues: {sorted(missing)}"


# --- the glue helper on made-up numbers ---------------------------------------------------------


@dataclasses.dataclass
class Fit:
    slope: float
    p: float | None


@dataclasses.dataclass
class MadeUp(Numbers):
    PREFIX: ClassVar[str] = "mu"
    year: int
    proxy: Fit
    exact: Fit | None
    with_: int
    note: str


def test_glued_names_nested_fields_drops_nones_and_a_keywords_underscore():
    numbers = MadeUp(year=2020, proxy=Fit(-2.5, None), exact=None, with_=3, note="**x**")
    assert report.glued(numbers) == {"mu_year": 2020, "mu_proxy_slope": -2.5, "mu_with": 3,
                                     "mu_note": "**x**"}


def test_glued_refuses_numbers_without_a_prefix_and_two_fields_with_one_key():
    @dataclasses.dataclass
    class Unnamed(Numbers):
        year: int

    with pytest.raises(ValueError, match="PREFIX"):
        report.glued(Unnamed(2020))

    @dataclasses.dataclass
    class Clash(Numbers):
        PREFIX: ClassVar[str] = "c"
        proxy: Fit
        proxy_slope: float

    with pytest.raises(ValueError, match="c_proxy_slope"):
        report.glued(Clash(Fit(1.0, 0.5), 2.0))


def test_glue_results_glues_each_key_and_records_them_as_glue_all_does(monkeypatch):
    import numpy as np

    shown, kept = {}, {}
    monkeypatch.setattr(report, "glue_value", lambda key, value: shown.update({key: value}))
    monkeypatch.setattr(run_context, "record_numbers", kept.update)
    report.glue_results(MadeUp(year=np.int64(2020), proxy=Fit(np.float64(0.5), 0.01), exact=None,
                               with_=1, note="a"))
    assert set(shown) == set(kept) == {"mu_year", "mu_proxy_slope", "mu_proxy_p", "mu_with",
                                       "mu_note"}
    assert type(kept["mu_year"]) is int and type(kept["mu_proxy_slope"]) is float
