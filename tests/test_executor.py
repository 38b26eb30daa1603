"""The one executor: a chapter runs for a region into a folder, whole or not at all; values
reach the kernel as values; the cache keys on everything a result depends on."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from scicollab import executor, fingerprints, paths, regions
from scicollab.errors import UsageError
from scicollab.executor import Cache, ChapterFailed, plan
from scicollab.kernel import Kernel

from projects import chapter, make

pytestmark = pytest.mark.slow


def test_a_chapter_runs_into_its_folder_with_notebook_figures_numbers_and_record(project,
                                                                                 tmp_path):
    out = tmp_path / "out" / "alpha"
    result = executor.execute(plan("alpha", regions.resolve("USMCA")), out)
    assert result.folder == out and result.ok
    numbers = result.numbers()
    assert numbers["alpha_region"] == "USMCA" and numbers["alpha_size"] == 3
    assert sorted(p.name for p in result.figures.iterdir()) == [
        f"alpha-line-usmca.{kind}" for kind in ("csv", "json", "png", "svg")]
    record = json.loads((out / "run.json").read_text())
    assert record["region"] == "USMCA" and record["members"] == ["CAN", "MEX", "USA"]
    executed = nbformat.read(result.notebook, as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and "region = 'USMCA'" in injected[0].source
    assert not list((tmp_path / "out").glob(".staging/*"))


def test_a_custom_region_reaches_the_kernel_as_parameters(project, tmp_path):
    custom = regions.custom("USA,CAN", "North Partners")
    result = executor.execute(plan("alpha", custom), tmp_path / "out")
    assert result.numbers()["alpha_region"] == "North Partners"
    assert result.numbers()["alpha_size"] == 2
    executed = nbformat.read(result.notebook, as_version=4)
    injected = next(c for c in executed.cells if "injected-parameters" in c.metadata["tags"])
    assert "members = 'CAN,USA'" in injected.source


HOSTILE = ["b'\"; import os; os.system(\"touch {marker}\"); x = \"", "'''\nimport os\n",
           "\\\"; open('{marker}', 'w') #", "${{IFS}}$(touch {marker})", "\x00\n\r\t",
           "{{glue:md}}`x` <script>alert(1)</script>"]


@pytest.mark.parametrize("value", HOSTILE)
def test_no_parameter_value_can_leave_its_literal(project, tmp_path, value):
    marker = tmp_path / "pwned"
    text = value.format(marker=marker)
    result = executor.execute(plan("alpha", regions.resolve("World"), {"label": text}),
                              tmp_path / "out")
    assert result.numbers()["alpha_label"] == text  # the kernel got the text as text
    assert not marker.exists()


def test_a_parameter_of_the_wrong_type_or_unknown_name_is_refused_before_any_kernel(project):
    with pytest.raises(UsageError, match="takes a float"):
        plan("alpha", regions.resolve("World"), {"threshold": "high"})
    with pytest.raises(UsageError, match=r"unknown parameter 'treshold'.*threshold"):
        plan("alpha", regions.resolve("World"), {"treshold": 0.2})
    assert plan("alpha", regions.resolve("World"), {"threshold": 1}).parameters["threshold"] == 1


def test_a_failing_chapter_names_chapter_region_cell_and_error_and_leaves_no_output(tmp_path,
                                                                                   monkeypatch):
    root = make(tmp_path / "repo", {"broken": chapter("broken", """
        raise ValueError("no data for " + REGION.name)
    """)})
    monkeypatch.setattr(paths, "_root", root)
    out = tmp_path / "out" / "broken"
    with pytest.raises(ChapterFailed, match=r"chapter 'broken' failed for region 'USMCA': cell 3 "
                       r"\(`import matplotlib.pyplot as plt`\): ValueError: no data for USMCA"):
        executor.execute(plan("broken", regions.resolve("USMCA")), out)
    assert not out.exists()
    assert not list((tmp_path / "out" / ".staging").iterdir())


def test_a_warm_kernel_starts_each_chapter_from_a_clean_state(tmp_path, monkeypatch):
    root = make(tmp_path / "repo", {
        "first": chapter("first", "LEFTOVER = 1\nplt.rcParams['font.size'] = 30\n"),
        "second": chapter("second", """
            assert "LEFTOVER" not in globals(), "a name of the previous chapter survived"
            assert plt.rcParams["font.size"] != 30, "a style of the previous chapter survived"
        """)})
    monkeypatch.setattr(paths, "_root", root)
    with Kernel(paths.notebooks_dir()) as kernel:
        for name in ("first", "second"):
            assert executor.execute(plan(name, regions.resolve("World")), tmp_path / name,
                                    kernel).ok


def test_a_warm_kernel_counts_cells_and_keeps_history_as_a_fresh_one(tmp_path, monkeypatch):
    # kept across chapters, the count made each chapter's reset slower than the last
    root = make(tmp_path / "repo", {name: chapter(name, """
        from IPython import get_ipython
        glue_all({"count": get_ipython().execution_count, "history": len(In)})
    """) for name in ("first", "second")})
    monkeypatch.setattr(paths, "_root", root)
    world = regions.resolve("World")
    fresh = executor.execute(plan("second", world), tmp_path / "fresh").numbers()
    with Kernel(paths.notebooks_dir()) as kernel:
        for run in range(3):
            warm = executor.execute(plan("first" if run < 2 else "second", world),
                                    tmp_path / f"warm-{run}", kernel).numbers()
    assert (warm["count"], warm["history"]) == (fresh["count"], fresh["history"])


def test_figures_are_saved_at_the_resolution_the_run_asks_for(project, tmp_path):
    from PIL import Image

    for dpi in (executor.SCREEN_DPI, executor.PRINT_DPI):
        result = executor.execute(plan("alpha", regions.resolve("G7"), dpi=dpi),
                                  tmp_path / str(dpi))
        with Image.open(result.figures / "alpha-line-g7.png") as image:
            assert round(image.info["dpi"][0]) == dpi


def test_the_cache_reuses_a_chapter_and_misses_on_any_input_change(project, tmp_path):
    cache = Cache(tmp_path / "cache")
    usmca = regions.resolve("USMCA")
    first = cache.run(plan("alpha", usmca))
    assert not first.cached and first.ok
    assert cache.run(plan("alpha", usmca)).cached
    keys = {cache.key(plan("alpha", usmca))}
    for spec in (plan("alpha", regions.custom("USA,CAN", "USMCA two")),
                 plan("alpha", usmca, {"label": "other"}),
                 plan("alpha", usmca, dpi=executor.PRINT_DPI),
                 plan("beta", usmca)):
        keys.add(cache.key(spec))
    assert len(keys) == 5
    source = project / "notebooks" / "alpha.md"
    source.write_text(source.read_text() + "\nA new paragraph.\n")
    assert cache.lookup(plan("alpha", usmca)) is None


def test_chapter_keys_follow_the_code_and_the_data_digests():
    members = ("CAN", "MEX", "USA")
    key = fingerprints.chapter_key(b"x", "USMCA", members, {}, 150, "code", "data")
    assert key == fingerprints.chapter_key(b"x", "USMCA", members[::-1], {}, 150, "code", "data")
    assert key != fingerprints.chapter_key(b"x", "USMCA", members, {}, 150, "code2", "data")
    assert key != fingerprints.chapter_key(b"x", "USMCA", members, {}, 150, "code", "data2")


def test_a_failing_chapter_is_returned_by_the_cache_not_raised_and_not_cached(tmp_path,
                                                                              monkeypatch):
    root = make(tmp_path / "repo", {"broken": chapter("broken", "1 / 0\n")})
    monkeypatch.setattr(paths, "_root", root)
    cache = Cache(tmp_path / "cache")
    result = cache.run(plan("broken", regions.resolve("World")))
    assert not result.ok and "ZeroDivisionError" in result.error
    assert cache.lookup(plan("broken", regions.resolve("World"))) is None
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [".staging"]


def test_an_interrupted_chapter_leaves_nothing_behind(project, tmp_path, monkeypatch):
    def interrupt(self, notebook, before="", after=""):
        (Path(notebook_dir()) / "partial.txt").write_text("half")
        raise KeyboardInterrupt

    staging = []

    def notebook_dir():
        found = list((tmp_path / "out" / ".staging").iterdir())
        staging.extend(found)
        return found[0]

    monkeypatch.setattr(Kernel, "run", interrupt)
    with pytest.raises(KeyboardInterrupt):
        executor.execute(plan("alpha", regions.resolve("World")), tmp_path / "out" / "alpha")
    assert staging and not staging[0].exists()
    assert not (tmp_path / "out" / "alpha").exists()


def test_an_output_folder_the_tool_did_not_write_is_never_replaced(project, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match="did not write"):
        executor.execute(plan("alpha", regions.resolve("World")), out)
    assert (out / "notes.txt").read_text() == "mine"


def test_chapter_keys_cover_the_code_a_chapter_can_run_and_not_the_command_line():
    modules = {p.relative_to(Path(fingerprints.__file__).parent).as_posix()
               for p in fingerprints.kernel_modules(fingerprints.paths.find_root(Path(__file__)))}
    # what a page imports, what that imports (lazily too), and the executor's set-up modules
    assert {"report.py", "run_context.py", "chapters/gerd.py", "labels.py", "maps.py",
            "models.py", "__init__.py", "chapters/__init__.py"} <= modules
    # what only the command runs: changing it re-assembles editions from cached chapters
    assert not {"cli.py", "builds.py", "scheduler.py", "assembly.py", "site.py",
                "sphinx_downloads.py"} & modules


def test_a_page_that_imports_another_module_brings_its_code_into_the_keys(tmp_path, monkeypatch):
    root = make(tmp_path / "repo", {"alpha": chapter("alpha")})
    monkeypatch.setattr(paths, "_root", root)
    before = fingerprints.kernel_code()
    assert not any(p.name == "cli.py" for p in fingerprints.kernel_modules(root))
    page = root / "notebooks" / "alpha.md"
    cell = "\n```{code-cell} ipython3\nfrom scicollab import cli\n```\n"
    page.write_text(page.read_text() + cell)
    assert any(p.name == "cli.py" for p in fingerprints.kernel_modules(root))
    assert fingerprints.kernel_code() != before


def test_glued_values_reach_the_notebook_as_myst_nb_glue_writes_them(tmp_path, monkeypatch):
    """The executor receives a cell's glued values in one message (run_context.glue) and
    writes each as its own output: the outputs a kernel gluing each value with myst_nb.glue
    gives, in order, at the end of the cell (a glued output is not shown where it stands, so
    a print before it stays where it was)."""
    root = make(tmp_path / "repo", {"glued": chapter("glued", """
        from IPython.display import HTML
        from scicollab import run_context
        from scicollab.report import glue_value
        glue_value("glued_text", "Some *Markdown* & <b>text</b>")
        print("between")
        run_context.glue("glued_html", HTML("<div>an interactive figure</div>"))
        glue_value("glued_pi", 3.14159)
    """)})
    monkeypatch.setattr(paths, "_root", root)
    spec = plan("glued", regions.resolve("Kenya"))
    result = executor.execute(spec, tmp_path / "out")
    batched = nbformat.read(result.notebook, as_version=4)
    nbformat.validate(batched)  # the glued outputs are checked with the notebook, not one by one
    settings = json.dumps({"root": str(root), "out": str(tmp_path / "plain"), "dpi": spec.dpi})
    with Kernel(paths.notebooks_dir()) as kernel:  # the same run, each value sent by myst_nb
        one_by_one = kernel.run(executor._notebook(spec), before=(
            f"import scicollab.run_context as _run\n_run.begin({settings!r})\n"
            "import scicollab.run_context\nscicollab.run_context.current().glued = None\n"))
    assert not any(executor.run_context.GLUED in output.get("data", {})
                   for cell in batched.cells for output in cell.get("outputs", []))
    glued = [[o for o in cell.get("outputs", []) if "scrapbook" in o.get("metadata", {})]
             for cell in batched.cells]
    names = [o.metadata.scrapbook.name for outputs in glued for o in outputs]
    assert {"glued_region", "glued_size", "fig-glued", "fig-glued-caption"} <= set(names)
    assert [n for n in names if n in ("glued_text", "glued_html", "glued_pi")] == [
        "glued_text", "glued_html", "glued_pi"]
    for mine, theirs in zip(batched.cells, one_by_one.cells, strict=True):
        for kept in (lambda o: "scrapbook" in o.get("metadata", {}),
                     lambda o: "scrapbook" not in o.get("metadata", {})):
            assert ([o for o in mine.get("outputs", []) if kept(o)]
                    == [o for o in theirs.get("outputs", []) if kept(o)])
    assert any(o.get("text") == "between\n" for cell in batched.cells
               for o in cell.get("outputs", []))


def test_a_stopped_kernel_leaves_neither_its_process_nor_its_connection_file(project):
    import os

    kernel = Kernel(paths.notebooks_dir())
    ran = kernel.run(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import os\nprint(os.getpid())")]))
    pid = int(ran.cells[0].outputs[0].text)
    connection = Path(kernel._client.km.connection_file)
    assert connection.is_file()
    assert connection.parent.name.startswith(f"scicollab-kernel-{os.getpid()}-")
    assert connection.parent.stat().st_mode & 0o777 == 0o700
    os.kill(pid, 0)  # running
    kernel.shutdown()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert not connection.parent.exists()
    kernel.shutdown()  # a second stop is harmless
