"""Region runs: validated before any kernel starts; executed chapters carry region numbers."""

import json

import nbformat
import pytest

from scicollab import runner
from scicollab.chapters import catalogue, gerd
from scicollab.cli import main
from scicollab.errors import UnknownNameError


@pytest.fixture
def no_kernel(monkeypatch):
    import papermill

    def refuse(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)


def test_every_chapter_declares_a_region_parameter():
    for chapter in catalogue.chapters():
        assert catalogue.parameters(chapter).get("region") == "World", chapter


@pytest.mark.parametrize(("args", "message"), [
    (["--region", "Sub Saharan Afrca"], "Sub-Saharan Africa"),
    (["--region", "World", "--chapter", "gred"], "did you mean: 'gerd'"),
    (["--region", "World", "-p", "regoin=x"], "did you mean: 'region'"),
])
def test_bad_input_is_refused_before_a_kernel_starts(no_kernel, capsys, args, message):
    assert main(["run", *args]) == 2
    assert message in capsys.readouterr().err


def test_plan_rejects_unknown_parameter(no_kernel):
    with pytest.raises(UnknownNameError):
        runner.plan("World", ["gerd"], {"colour": "red"})


@pytest.mark.slow
@pytest.mark.parametrize("region", ["High income", "USMCA"])
def test_gerd_runs_for_a_region_with_its_numbers_and_figures(tmp_path, region):
    done = runner.run(region, ["gerd"], out=tmp_path)
    expected = gerd.analyse(region)
    numbers = json.loads(done[0].numbers.read_text())
    assert numbers["region_name"] == region
    assert numbers["gerd_region_n"] == expected.numbers["gerd_region_n"]
    assert numbers["gerd_region_median"] == pytest.approx(expected.numbers["gerd_region_median"])
    slug = expected.region.slug
    for kind in ("png", "svg", "csv", "json"):
        assert (tmp_path / "figures" / f"gerd-proxy-{slug}.{kind}").stat().st_size > 0
    notebook = nbformat.read(done[0].notebook, as_version=4)
    injected = [c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert f'region = "{region}"' in injected[0].source
    assert not list(tmp_path.glob(".gerd-*")), "staging folder left behind"


@pytest.mark.slow
def test_failing_chapter_reports_the_cell_error_and_writes_nothing(tmp_path, monkeypatch):
    from scicollab import paths

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n"
                                       "  - file: notebooks/broken\n")
    (notebooks / "broken.md").write_text(
        "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
        "kernelspec:\n  name: python3\n  display_name: Python 3\n  language: python\n---\n\n"
        "```{code-cell} ipython3\n:tags: [parameters]\nregion = \"World\"\n```\n\n"
        "```{code-cell} ipython3\nraise ValueError('no data for ' + region)\n```\n")
    (tmp_path / "data").symlink_to(paths.root() / "data")
    monkeypatch.setattr(paths, "_root", tmp_path)
    out = tmp_path / "out"
    with pytest.raises(runner.ChapterFailed, match="ValueError: no data for USMCA"):
        runner.run("USMCA", ["broken"], out=out)
    assert not (out / "broken.ipynb").exists()
    assert not list(out.glob(".broken-*"))
