"""The findings table: generated from the chapters' own results by the shared rules, one row
per claim, each linked to the section that tests it, the world beside a region."""

import json
import re

import jupytext
import pandas as pd
import pytest

from scicollab import findings, panels, paths, prose, regions, verdicts
from scicollab.chapters import gerd, landscape, trust
from scicollab.errors import ScicollabError


@pytest.fixture(scope="module")
def world() -> pd.DataFrame:
    return findings.table("World")


def test_one_row_per_claim_each_with_a_verdict_a_number_and_a_source(world):
    assert list(world["key"]) == [c.key for c in findings.CLAIMS]
    assert set(world["verdict"]) <= set(verdicts.VERDICTS)
    assert world["why"].str.len().gt(0).all()
    assert set(world["source"]) <= {"doc_policy_report", "doc_partnerships", "doc_haar2025"}
    bib = (paths.root() / "book" / "references.bib").read_text()
    assert all(f"{{{key}," in bib for key in set(world["source"]))


def test_each_row_links_to_a_section_that_exists(world):
    targets = set()
    for page in paths.notebooks_dir().glob("*.md"):
        targets |= set(re.findall(r"^\(([\w-]+)\)=$", page.read_text(), flags=re.MULTILINE))
    assert set(world["label"]) <= targets
    table = findings.markdown(world, "World")
    for label in world["label"]:
        assert f"<{label}>`" in table


def test_the_table_states_what_the_chapters_state(world):
    row = world.set_index("key")
    g = gerd.analyse("World")
    assert row.loc["figure2", "verdict"] == g.verdict.verdict
    assert f"{g.proxy.fit.slope:+.1f} points per tenfold GERD" in row.loc["figure2", "number"]
    assert f"n = {g.proxy.fit.n}" in row.loc["figure2", "number"]
    assert g.numbers.verdict == row.loc["figure2", "verdict"]
    t = trust.analyse("World")
    high, lmic, diff = trust.claim_verdicts(t)
    assert [row.loc[k, "verdict"] for k in ("trust_high", "trust_lmic", "trust_diff")] == [
        high.verdict, lmic.verdict, diff.verdict]
    assert t.numbers.verdict_high == high.verdict
    quoted = landscape.quoted_verdict(landscape.quoted_comparison())
    assert row.loc["quoted", "verdict"] == quoted.verdict
    assert landscape.analyse("World").numbers.quoted.verdict == quoted.verdict


def test_a_changed_input_changes_the_verdict_in_the_table(monkeypatch, world, tmp_path):
    """Reverse the Figure 2 relationship in the GERD chapter's data: the row's verdict flips.
    (The code is changed in memory, which the kept copy's name cannot see: it is kept aside.)"""
    monkeypatch.setattr(findings, "world_findings_file", lambda: tmp_path / "world.json")
    findings._world.cache_clear()
    gerd._fitted.cache_clear()
    real = gerd.proxy_shares

    def reversed_shares(year=None):
        year, frame = real(year)
        flipped = frame["share"].max() + frame["share"].min() - frame["share"]
        return year, frame.assign(share=flipped)

    monkeypatch.setattr(gerd, "proxy_shares", reversed_shares)
    try:
        flipped = findings.table("World").set_index("key")
    finally:
        findings._world.cache_clear()
        gerd._fitted.cache_clear()
    assert world.set_index("key").loc["figure2", "verdict"] in (verdicts.HOLDS, verdicts.IN_PART)
    assert flipped.loc["figure2", "verdict"] == verdicts.NOT_SUPPORTED


def test_the_quoted_claim_is_worded_from_the_committed_table(world):
    quoted = landscape.quoted_comparison()
    claim = world.set_index("key").loc["quoted", "claim"]
    for r in quoted[quoted["year_in_report"].notna()].itertuples():
        assert f"{int(r.quoted):,}" in claim


def test_a_region_edition_speaks_for_the_region_with_the_world_beside_it():
    table = findings.table("Sub-Saharan Africa")
    assert {"region_verdict", "region_number"} <= set(table.columns)
    region = regions.resolve("Sub-Saharan Africa")
    g = gerd.analyse(region)
    members = g.proxy.data[g.proxy.data["in_region"]]
    from scicollab import models

    fit = models.fit_line(members["log10_gerd_usd"], members["share"])
    row = table.set_index("key").loc["figure2"]
    assert row["region_verdict"] == verdicts.falls_among_members(fit).verdict
    assert f"n = {fit.n}" in row["region_number"]
    world_only = table.set_index("key").loc[["quoted", "link", "capacity"], "region_verdict"]
    assert world_only.isna().all()
    text = findings.markdown(table, "Sub-Saharan Africa")
    header = text.splitlines()[0]
    assert "Sub-Saharan Africa: verdict" in header and "World: verdict" in header
    assert findings.WORLD_ONLY in text
    assert findings.PATTERN_ONLY not in text  # a group can test a pattern across economies


def test_an_economy_edition_shows_its_own_standing_instead_of_a_pattern():
    table = findings.table("Kenya").set_index("key")
    row = table.loc["figure2"]
    assert row["region_verdict"] == verdicts.UNTESTABLE and row["region_pattern"]
    assert "one" in row["region_why"] and "broad share" in row["region_number"]
    gaps = table.loc["gaps"]
    assert gaps["region_verdict"] in verdicts.VERDICTS and "1 economy" in gaps["region_number"]
    assert not gaps["region_pattern"]


def test_an_economy_edition_says_once_why_a_pattern_is_not_judged():
    # Kenya's column repeated "cannot be tested with these data: a pattern across economies
    # cannot be tested on one; its trust is shown instead" in six rows; the page's scope
    # sentence says it once and each such row reads as the world-only rows do
    table = findings.table("Kenya")
    text = findings.markdown(table, "Kenya")
    kenya = [line.split(" | ")[1] for line in text.splitlines()[2:]]
    patterns = table["region_pattern"].tolist()
    assert sum(patterns) == 6
    for cell, pattern in zip(kenya, patterns, strict=True):
        assert (cell == findings.PATTERN_ONLY) == pattern
    assert "cannot be tested on one" not in text
    scope = findings.numbers("Kenya")["home_scope"]
    assert "a pattern across economies cannot be" in scope and "Kenya stands" in scope


def test_an_economy_without_a_value_is_told_so_where_its_value_would_be():
    # Bhutan was never surveyed on trust: its row read "its trust is shown instead" beside
    # the number "trust no value"; the row's number now says what is missing
    assert panels.rank(panels.panel("trust"), "BTN") is None
    row = findings.table("Bhutan").set_index("key").loc["trust_high"]
    missing = "no value for the share trusting people of another nationality (latest survey " \
              "2006–2023)"
    assert row["region_verdict"] == verdicts.UNTESTABLE and row["region_number"] == missing
    assert row["region_why"].endswith(f"it has {missing}")


def test_cells_are_escaped_so_a_name_cannot_become_markup():
    # A Region refuses such a name (regions.check_name); cells are escaped all the same.
    hostile = "A*b* [x](y) `z` | w"
    with pytest.raises(ScicollabError):
        regions.Region(hostile, "custom", ("KEN",))
    assert findings.escape(hostile) == r"A\*b\* \[x\]\(y\) \`z\` \| w"
    named = regions.custom("KEN,UGA", "Trade & 'Partners' (East)")
    frame = findings.table("World").assign(region_verdict=None, region_why=None,
                                           region_number=None)
    text = findings.markdown(frame, named)
    assert "Trade & 'Partners' \\(East\\): verdict" in text.splitlines()[0]
    for line in text.splitlines()[2:]:
        assert line.count(" | ") == 5, "six cells: no cell breaks out of its column"


def test_home_page_is_a_notebook_with_the_parameters_and_the_glued_table():
    page = paths.root() / "book" / "intro.md"
    notebook = jupytext.read(page)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert 'region = "World"' in code[0].source and 'members = ""' in code[0].source
    assert "chapter_setup(region, members)" in code[1].source
    text = page.read_text()
    keys = set(re.findall(r"\{glue:md\}`([\w-]+)`|```\{glue:md\} ([\w-]+)", text))
    glued = {k for pair in keys for k in pair if k}
    assert glued - {"fig-home-gerd-caption", "fig-home-trust-caption"} <= set(
        findings.numbers("World"))
    assert "home_findings_table" in glued
    found = [n for cell in prose.markdown_cells(page) for n in prose.typed_numbers(cell)]
    assert not found


def test_the_count_sentence_adds_up(world):
    sentence = findings.counts_sentence(world)
    numbers = [int(n) for n in re.findall(r"(\d+) (?:hold|holds|is|are|cannot)", sentence)]
    assert sum(numbers) == len(world)


def test_a_regions_findings_are_computed_once_and_handed_out_as_copies(monkeypatch):
    first = findings.region_findings("Sub-Saharan Africa")
    first.pop("figure2")

    def refuse(region):
        raise AssertionError("analysed again")

    monkeypatch.setattr(gerd, "analyse", refuse)
    again = findings.region_findings("Sub-Saharan Africa")
    assert "figure2" in again and again["figure2"] is not None


def test_the_worlds_findings_are_kept_and_a_new_process_reads_them_without_analysing(
        monkeypatch, tmp_path):
    kept = tmp_path / "cache" / "world.json"
    monkeypatch.setattr(findings, "world_findings_file", lambda: kept)
    findings._world.cache_clear()
    try:
        first = findings.world_findings()
        assert kept.is_file()
        findings._world.cache_clear()  # as in a new kernel

        def refuse(region):
            raise AssertionError("analysed again")

        monkeypatch.setattr(gerd, "analyse", refuse)
        assert findings.world_findings() == first
        kept.write_text("{not json")  # unreadable: computed again, and kept again
        findings._world.cache_clear()
        monkeypatch.undo()
        monkeypatch.setattr(findings, "world_findings_file", lambda: kept)
        assert findings.world_findings() == first
        assert json.loads(kept.read_text())["figure2"]["number"] == first["figure2"].number
    finally:
        findings._world.cache_clear()


def test_the_kept_findings_are_named_for_the_data_and_the_chapters_code(monkeypatch):
    from scicollab import fingerprints

    name = findings.world_findings_file()
    assert name.parent == paths.build_dir() / "cache"
    monkeypatch.setattr(fingerprints, "kernel_code", lambda: "other code")
    assert findings.world_findings_file() != name
    monkeypatch.undo()
    monkeypatch.setattr(fingerprints, "data", lambda: "other data")
    assert findings.world_findings_file() != name


def test_the_home_page_s_table_reads_as_cards_on_a_phone():
    glued = findings.numbers("World")["home_findings_table"]
    opening, *table, closing = glued.splitlines()
    assert opening == ":::{container} scicollab-stacked" and closing == ":::"
    assert "\n".join(table) == findings.markdown(findings.table("World"), "World")
