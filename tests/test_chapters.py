"""Every chapter: a region parameter, no hand-typed numbers, and it runs for four regions."""

import os

import jupytext
import pytest

from scicollab import paths, prose
from scicollab.chapters import catalogue

CHAPTERS = catalogue.chapters()
REGIONS = ["World", "Low income", "Sub-Saharan Africa", "USMCA"]


def test_the_toc_lists_every_notebook_and_nothing_else():
    on_disk = sorted(p.stem for p in paths.NOTEBOOKS_DIR.glob("*.md"))
    assert sorted(CHAPTERS) == on_disk


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_has_a_region_parameter_cell(chapter):
    assert catalogue.parameters(chapter).get("region") == "World"


@pytest.mark.parametrize("path", sorted(paths.NOTEBOOKS_DIR.glob("*.md"))
                         + sorted((paths.ROOT / "book").glob("*.md")), ids=lambda p: p.stem)
def test_prose_has_no_number_typed_by_hand(path):
    found = [n for cell in prose.markdown_cells(path) for n in prose.typed_numbers(cell)]
    assert not found, f"{path.name}: numbers typed into prose, glue them instead: {found}"


def test_typed_number_check_catches_and_allows_what_it_should():
    assert prose.typed_numbers("The share rose to 41.2% in 121 countries.") == ["41.2%", "121"]
    assert prose.typed_numbers("In 2018, {glue:text}`n` countries (Figure 2; S5a-2).") == []
    assert prose.typed_numbers("Between 2003–2022 and in the 1990s, wave 7, G007_36_B.") == []


def run_in_process(chapter: str, region: str, figures) -> dict:
    """Execute a chapter's code cells in this process with ``region`` set; return its names."""
    notebook = jupytext.read(catalogue.source(chapter))
    namespace: dict = {"__name__": "__chapter__"}
    os.environ["SCICOLLAB_FIGURES"] = str(figures)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        exec(compile(cell.source, f"{chapter}.md", "exec"), namespace)
        if "parameters" in cell.metadata.get("tags", []):
            namespace["region"] = region
    return namespace


@pytest.mark.slow
@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_code_runs_for_region(chapter, region, tmp_path, monkeypatch):
    monkeypatch.setenv("SCICOLLAB_FIGURES", str(tmp_path))
    namespace = run_in_process(chapter, region, tmp_path)
    assert namespace["region"] == region
    for png in tmp_path.glob("*.png"):
        stem = png.with_suffix("")
        for kind in (".svg", ".csv", ".json"):
            assert stem.with_suffix(kind).is_file(), f"{png.name} lacks its {kind} file"
