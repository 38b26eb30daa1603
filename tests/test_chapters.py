"""Every chapter: a region parameter, no hand-typed numbers, and it runs for four regions."""

import json
import os

import jupytext
import pytest

from scicollab import paths, prose
from scicollab.chapters import catalogue

CHAPTERS = catalogue.chapters()
REGIONS = ["World", "Low income", "Sub-Saharan Africa", "USMCA"]


def test_the_toc_lists_every_notebook_and_nothing_else():
    on_disk = sorted(p.stem for p in paths.notebooks_dir().glob("*.md"))
    assert sorted(CHAPTERS) == on_disk


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_has_a_region_parameter_cell(chapter):
    assert catalogue.parameters(chapter).get("region") == "World"


@pytest.mark.parametrize("path", sorted(paths.notebooks_dir().glob("*.md"))
                         + sorted((paths.root() / "book").glob("*.md")), ids=lambda p: p.stem)
def test_prose_has_no_number_typed_by_hand(path):
    found = [n for cell in prose.markdown_cells(path) for n in prose.typed_numbers(cell)]
    assert not found, f"{path.name}: numbers typed into prose, glue them instead: {found}"


def test_typed_number_check_catches_and_allows_what_it_should():
    assert prose.typed_numbers("The share rose to 41.2% in 121 countries.") == ["41.2%", "121"]
    assert prose.typed_numbers("In 2018, {glue:text}`n` countries (Figure 2; S5a-2).") == []
    assert prose.typed_numbers("Between 2003–2022 and in the 1990s, wave 7, G007_36_B.") == []


def run_in_process(chapter: str, region: str, figures) -> dict:
    """Execute a chapter's code cells in this process with ``region`` set; return its names,
    with ``published`` the number of figures it published (a figure with nothing to show, as
    the world's inside/outside split, is not published)."""
    from scicollab import report

    notebook = jupytext.read(catalogue.source(chapter))
    namespace: dict = {"__name__": "__chapter__", "published": 0}
    os.environ["SCICOLLAB_FIGURES"] = str(figures)
    publish = report.publish_figure

    def counted(*args, **kwargs):
        namespace["published"] += 1
        return publish(*args, **kwargs)

    report.publish_figure = counted
    try:
        _run_cells(notebook, namespace, chapter, region)
    finally:
        report.publish_figure = publish
    return namespace


def _run_cells(notebook, namespace: dict, chapter: str, region: str) -> None:
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        exec(compile(cell.source, f"{chapter}.md", "exec"), namespace)
        if "parameters" in cell.metadata.get("tags", []):
            namespace["region"] = region


def published_figures(chapter: str) -> int:
    """How many publish_figure calls the chapter's code cells make (each saves one PNG)."""
    notebook = jupytext.read(catalogue.source(chapter))
    return sum(cell.source.count("publish_figure(") for cell in notebook.cells
               if cell.cell_type == "code")


@pytest.mark.slow
@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_code_runs_for_region(chapter, region, tmp_path, monkeypatch):
    numbers = tmp_path / "numbers.json"
    monkeypatch.setenv("SCICOLLAB_FIGURES", str(tmp_path))
    monkeypatch.setenv("SCICOLLAB_NUMBERS", str(numbers))
    namespace = run_in_process(chapter, region, tmp_path)
    assert namespace["region"] == region
    assert json.loads(numbers.read_text())["region_name"] == region
    pngs = sorted(tmp_path.glob("*.png"))
    assert len(pngs) == namespace["published"], f"{chapter}: one PNG per published figure"
    assert 0 < namespace["published"] <= published_figures(chapter) or not pngs
    for png in pngs:
        assert png.stat().st_size > 0
        stem = png.with_suffix("")
        for kind in (".svg", ".csv", ".json"):
            assert stem.with_suffix(kind).is_file(), f"{png.name} lacks its {kind} file"


def test_figure_count_reads_the_chapters_publish_calls():
    assert published_figures("gerd") == 5
    assert published_figures("faq") == 0
    assert sum(published_figures(c) > 0 for c in CHAPTERS) >= len(CHAPTERS) // 2


# --- a region no table has data for: every page says so instead of crashing -----------------


def test_innovation_networks_says_a_region_without_data_has_no_links(region_without_data):
    from scicollab.chapters import innovation_networks

    numbers = innovation_networks.analyse(region_without_data).numbers
    last = numbers["net_last"]
    assert numbers["net_region_sentence"] == (
        f"No co-authorship links were recorded for the economies of {region_without_data} "
        f"in {last}.")
    world = innovation_networks.analyse("World").numbers
    regional = {"net_region_sentence", "net_intro_region"}
    assert {k: v for k, v in numbers.items() if k not in regional} == {
        k: v for k, v in world.items() if k not in regional}


def test_pillars_shows_no_members_and_no_region_medians_for_a_region_without_data(
        region_without_data):
    from scicollab.chapters import pillars, recommendations

    numbers = pillars.numbers(region_without_data)
    assert numbers["pil_members"] == 0
    assert "nothing to compare" in numbers["pil_standing_intro"]
    assert "For the 0" not in numbers["pil_standing_intro"]
    lines = numbers["pil_standing_table"].splitlines()
    assert lines[0] == "| Measure | World median |", "no empty region columns"
    rows = lines[2:]
    assert len(rows) == len(recommendations.MEASURES)
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 2 and cells[1] != "–", "the world median is still shown"


@pytest.mark.slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_code_runs_for_a_region_without_data(chapter, region_without_data, tmp_path,
                                                      monkeypatch):
    numbers = tmp_path / "numbers.json"
    monkeypatch.setenv("SCICOLLAB_FIGURES", str(tmp_path))
    monkeypatch.setenv("SCICOLLAB_NUMBERS", str(numbers))
    namespace = run_in_process(chapter, region_without_data, tmp_path)
    glued = json.loads(numbers.read_text())
    assert glued["region_name"] == region_without_data
    assert len(list(tmp_path.glob("*.png"))) == namespace["published"]
    said = {"innovation_networks": ("net_region_sentence", "No co-authorship links"),
            "faq": ("faq_block", f"OpenAlex has no works in {region_without_data}")}
    if chapter in said:
        key, words = said[chapter]
        assert words in glued[key]
    if chapter == "pillars":
        assert glued["pil_members"] == 0
