"""The Methods page states each constant's value, glued from the code, not its name in it."""

import re

import jupytext

from scicollab import methods, models, panels, paths, prose
from scicollab.chapters import barriers, gerd
from scicollab.measures import shares

PAGE = paths.root() / "book" / "methods.md"


def test_methods_page_names_no_constant_of_the_code():
    text = PAGE.read_text()
    for name in ("models.CONFIDENCE", "LOWESS_FRAC", "MIN_ARTICLES", "TOP_PRODUCERS",
                 "MIN_POINTS", "cooks_threshold", "ACCESS_ANCHORS", "models.robust"):
        assert name not in text, name


def test_every_constant_the_page_glues_comes_from_the_code():
    text = PAGE.read_text()
    used = set(re.findall(r"\{glue:text\}`(met_\w+)", text))
    values = methods.numbers()
    assert used and used <= set(values.as_dict())
    assert values.confidence == models.CONFIDENCE
    assert values.lowess_pct == round(100 * gerd.LOWESS_FRAC)
    assert values.min_points == models.MIN_POINTS
    assert values.break_pct == round(100 * barriers.BREAK_JUMP)
    assert (values.window_start, values.window_end) == panels.WINDOW
    assert values.gerd_years == shares.WINDOW + 1
    assert values.min_articles == shares.MIN_ARTICLES == panels.MIN_ARTICLES


def test_methods_page_is_a_notebook_with_the_regions_parameters():
    notebook = jupytext.read(PAGE)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert "glue_results(methods.numbers())" in code[1].source
    found = [n for cell in prose.markdown_cells(PAGE) for n in prose.typed_numbers(cell)]
    assert not found
