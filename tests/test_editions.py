"""Region editions: cached chapters, atomic publishing, safe failure, validated custom regions.

Most tests run on a made-up two-chapter project in a temporary folder, with the chapter
execution replaced by a fake that writes the files papermill would (no kernel), so they are fast.
One slow test runs the real GERD chapter and the real HTML build for a custom region.
"""

from __future__ import annotations

import html
import json
import re
import threading
import time
from pathlib import Path

import matplotlib
import nbformat
import pytest

from scicollab import editions, paths, regions, runner
from scicollab.cli import main
from scicollab.errors import ScicollabError

matplotlib.use("Agg")

CHAPTER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
  language: python
---

# Chapter {name}

```{{code-cell}} ipython3
:tags: [parameters]
region = "World"
```

```{{code-cell}} ipython3
print("{body}")
```
"""


def write_chapter(root: Path, name: str, body: str = "ok") -> None:
    """A minimal parameterised chapter; ``body`` FAIL (FAIL-<slug>: for that region only) or
    INTERRUPT makes the fake runner fail."""
    (root / "notebooks" / f"{name}.md").write_text(CHAPTER.format(name=name, body=body))


def fake_run_chapter(log: Path):
    """Stands in for runner.run_chapter: writes notebook, figure files and numbers; logs a line."""
    def run_chapter(chapter, region, out, parameters=None, **kwargs):
        source = (paths.notebooks_dir() / f"{chapter}.md").read_text()
        with log.open("a") as handle:
            handle.write(f"{chapter} {region.slug}\n")
        failing = re.search(r"FAIL(?:-([a-z0-9-]+))?", source)
        if failing and failing.group(1) in (None, region.slug):
            raise runner.ChapterFailed(f"chapter {chapter!r} failed for region "
                                       f"{region.name!r}: ValueError: no data for {region.name}")
        if "INTERRUPT" in source:
            raise KeyboardInterrupt
        out = Path(out)
        (out / "figures").mkdir(parents=True, exist_ok=True)
        (out / "numbers").mkdir(parents=True, exist_ok=True)
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
            f"{chapter} for {region.name}: {source.splitlines()[-2]}")])
        nbformat.write(notebook, out / f"{chapter}.ipynb")
        save_figure(out / "figures", f"{chapter}-fig-{region.slug}", dpi=300)
        numbers = {"region_name": region.name, f"{chapter}_n": len(region.members),
                   f"{chapter}_median": float("nan")}
        (out / "numbers" / f"{chapter}.json").write_text(json.dumps(numbers))
        return None
    return run_chapter


def save_figure(folder: Path, figure_id: str, dpi: int) -> None:
    """A tiny figure with its four files, like scicollab.figures.save writes them."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(1, 1))
    ax.plot([0, 1], [0, 1])
    fig.savefig(folder / f"{figure_id}.png", dpi=dpi)
    fig.savefig(folder / f"{figure_id}.svg")
    plt.close(fig)
    (folder / f"{figure_id}.csv").write_text("x,y\n0,0\n1,1\n")
    (folder / f"{figure_id}.json").write_text(json.dumps({
        "id": figure_id, "title": "A line", "caption": "A line.", "source": "Made up",
        "data_years": "2020", "full_caption": "A line. Source: Made up. Data: 2020.",
        "alt": "A line."}))


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A two-chapter book in a temporary folder; chapters run by the fake runner."""
    root = tmp_path / "repo"
    (root / "notebooks").mkdir(parents=True)
    (root / "book").mkdir()
    (root / "book" / "intro.md").write_text("# Intro\n\nA test book.\n")
    (root / "_config.yml").write_text(
        'title: "Test book"\nauthor: tests\nonly_build_toc_files: true\n'
        "execute:\n  execute_notebooks: cache\nhtml:\n  baseurl: https://example.org/t/\n")
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nparts:\n  - caption: All\n    chapters:\n"
        "      - file: notebooks/alpha\n      - file: notebooks/beta\n"
        "      - file: book/regions\n")
    write_chapter(root, "alpha")
    write_chapter(root, "beta")
    (root / "data").symlink_to(paths.root() / "data")
    monkeypatch.setattr(paths, "_root", root)
    monkeypatch.setattr(runner, "regions_dir", lambda: root / "_build" / "regions")
    log = tmp_path / "executions.log"
    log.touch()
    monkeypatch.setattr(runner, "run_chapter", fake_run_chapter(log))
    return root, log


def executed(log: Path) -> list[str]:
    """Lines the fake runner logged, then clear the log."""
    lines = log.read_text().split()
    log.write_text("")
    return lines[::2]


def fake_jupyter_book(monkeypatch, delay: float = 0.0) -> None:
    """Replace the HTML build with one that writes index.html from the staged notebooks."""

    def fake_jupyter_book(arguments):
        book_root = Path(arguments[1])
        out = Path(arguments[arguments.index("--path-output") + 1]) / "_build" / "html"
        out.mkdir(parents=True)
        texts = [nbformat.read(p, as_version=4).cells[0].source
                 for p in sorted((book_root / "notebooks").glob("*.ipynb"))]
        time.sleep(delay)
        (out / "index.html").write_text("\n".join(texts))
        return 0, "build succeeded.\n"

    monkeypatch.setattr(editions, "jupyter_book", fake_jupyter_book)


def test_unchanged_chapters_are_reused_and_a_changed_one_alone_re_executes(project):
    root, log = project
    usmca = regions.resolve("USMCA")
    first = editions.build_editions([usmca], html=False, progress=False)[0]
    assert first.status == "ok" and sorted(executed(log)) == ["alpha", "beta"]
    again = editions.build_editions([usmca], html=False, progress=False)[0]
    assert executed(log) == [] and all(c.cached for c in again.chapters)
    write_chapter(root, "beta", body="changed")
    third = editions.build_editions([usmca], html=False, progress=False)[0]
    assert executed(log) == ["beta"]
    assert {c.chapter: c.cached for c in third.chapters} == {"alpha": True, "beta": False}


def test_a_different_region_members_parameter_or_code_is_a_cache_miss(project):
    code = editions.code_fingerprint()
    usmca = regions.resolve("USMCA")
    keys = {editions.chapter_key("alpha", regions.resolve(name), {}, code)
            for name in ("USMCA", "G7")}
    keys.add(editions.chapter_key("alpha", usmca, {}, code + "x"))
    keys.add(editions.chapter_key("alpha", usmca, {"top": 5}, code))
    keys.add(editions.chapter_key("alpha", regions.Region("USMCA", "custom", ("CAN", "USA")),
                                  {}, code))
    assert len(keys) == 5
    assert editions.chapter_key("alpha", usmca, {}, code) in keys, "same inputs, same key"


def test_edition_is_published_with_html_notebooks_and_numbers(project, monkeypatch):
    fake_jupyter_book(monkeypatch)
    result = editions.build_edition(regions.resolve("USMCA"), progress=False)
    folder = result.folder
    assert folder == editions.root() / "usmca"
    assert "alpha for USMCA" in (folder / "html" / "index.html").read_text()
    info = json.loads((folder / "edition.json").read_text())
    assert info["region"] == "USMCA" and info["chapters"] == ["alpha", "beta"]
    assert json.loads((folder / "numbers" / "alpha.json").read_text())["alpha_n"] == 3
    assert not list((editions.root() / ".staging").iterdir())


def test_unchanged_edition_is_not_rebuilt_but_a_changed_page_is(project, monkeypatch):
    root, log = project
    fake_jupyter_book(monkeypatch)
    usmca = regions.resolve("USMCA")
    editions.build_edition(usmca, progress=False)
    stamp = (editions.root() / "usmca" / "edition.json").read_text()
    editions.build_edition(usmca, progress=False)
    assert (editions.root() / "usmca" / "edition.json").read_text() == stamp
    (root / "book" / "intro.md").write_text("# Intro\n\nA changed page.\n")
    editions.build_edition(usmca, progress=False)
    assert (editions.root() / "usmca" / "edition.json").read_text() != stamp
    assert sorted(executed(log)) == ["alpha", "beta"], "chapters ran once in three builds"


def test_edition_config_is_titled_for_the_region_without_the_gallery(project, tmp_path):
    import yaml

    region = regions.resolve("USMCA")
    figures = tmp_path / "edition" / "figures"
    config = yaml.safe_load(editions._book_config(region, tmp_path, figures).read_text())
    assert config["title"] == "Test book — USMCA edition"
    assert config["sphinx"]["config"]["scicollab_figures"] == str(figures)
    assert config["execute"]["execute_notebooks"] == "off"
    assert config["html"]["baseurl"].endswith("/regions/usmca/")
    toc = editions._without_gallery(yaml.safe_load((project[0] / "_toc.yml").read_text()))
    files = [c["file"] for c in toc["parts"][0]["chapters"]]
    assert files == ["notebooks/alpha", "notebooks/beta"]


def test_concurrent_builds_of_the_same_region_do_not_clobber(project, monkeypatch):
    root, _ = project
    fake_jupyter_book(monkeypatch, delay=0.3)
    usmca = regions.resolve("USMCA")
    first = editions.build_editions([usmca], html=False, progress=False)[0]
    write_chapter(root, "alpha", body="second version")
    write_chapter(root, "beta", body="second version")
    second = editions.build_editions([usmca], html=False, progress=False)[0]
    errors: list[BaseException] = []

    def assemble(result):
        try:
            editions.assemble_edition(usmca, [(c.chapter, str(c.folder))
                                              for c in result.chapters])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=assemble, args=(r,)) for r in (first, second, first)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    folder = editions.root() / "usmca"
    page = (folder / "html" / "index.html").read_text()
    notebooks = "\n".join(nbformat.read(p, as_version=4).cells[0].source
                          for p in sorted((folder / "notebooks").glob("*.ipynb")))
    assert page == notebooks, "HTML and notebooks come from different builds"
    assert not list((editions.root() / ".staging").iterdir())
    assert not list(editions.root().glob(".usmca*"))


def test_failing_chapter_keeps_the_previous_edition_and_names_chapter_and_error(
        project, monkeypatch):
    root, _ = project
    fake_jupyter_book(monkeypatch)
    usmca = regions.resolve("USMCA")
    editions.build_edition(usmca, progress=False)
    before = (editions.root() / "usmca" / "html" / "index.html").read_text()
    write_chapter(root, "beta", body="FAIL")
    with pytest.raises(editions.EditionFailed) as caught:
        editions.build_edition(usmca, progress=False)
    assert "chapter 'beta'" in str(caught.value)
    assert "ValueError: no data for USMCA" in str(caught.value)
    assert (editions.root() / "usmca" / "html" / "index.html").read_text() == before
    assert not list((editions.root() / ".staging").iterdir())
    assert not list((editions.root() / ".cache").glob(".beta-*"))


def test_interrupted_build_keeps_the_previous_edition(project, monkeypatch):
    root, _ = project
    fake_jupyter_book(monkeypatch)
    usmca = regions.resolve("USMCA")
    editions.build_edition(usmca, progress=False)
    before = (editions.root() / "usmca" / "edition.json").read_text()
    write_chapter(root, "alpha", body="INTERRUPT")
    with pytest.raises(KeyboardInterrupt):
        editions.build_edition(usmca, progress=False)
    assert (editions.root() / "usmca" / "edition.json").read_text() == before
    assert not list((editions.root() / ".cache").glob(".alpha-*"))


def test_failed_region_is_reported_in_the_summary_and_others_still_build(project, monkeypatch):
    root, _ = project
    fake_jupyter_book(monkeypatch)
    write_chapter(root, "beta", body="FAIL-g7")
    results = editions.build_editions([regions.resolve("USMCA"), regions.resolve("G7")],
                                      progress=False)
    assert results[0].status == "ok"
    assert results[1].status.startswith("failed: chapter 'beta'")
    assert (editions.root() / "usmca" / "html" / "index.html").is_file()
    assert not (editions.root() / "g7").exists()
    table = editions.summary_table(results)
    header, usmca_row, g7_row = table.splitlines()
    assert header.split() == ["region", "chapters", "compute", "s", "done", "after", "s",
                              "status"]
    assert usmca_row.startswith("USMCA") and usmca_row.endswith("ok")
    assert g7_row.startswith("G7") and "failed: chapter 'beta'" in g7_row
    first = results[0]
    assert f"{first.compute_seconds:.1f}" in usmca_row and f"{first.seconds:.1f}" in usmca_row


def test_publishing_waits_for_another_build_holding_the_region_lock(project):
    held, acquired = threading.Event(), threading.Event()
    release = threading.Event()

    def holder():
        with editions._lock("usmca"):
            held.set()
            release.wait(10)

    def waiter():
        with editions._lock("usmca"):
            acquired.set()

    first = threading.Thread(target=holder)
    first.start()
    assert held.wait(10)
    second = threading.Thread(target=waiter)
    second.start()
    assert not acquired.wait(0.3), "a second build got the lock while the first held it"
    with editions._lock("g7"):
        pass  # another region's lock is free meanwhile
    release.set()
    assert acquired.wait(10)
    first.join()
    second.join()


def test_replacing_an_edition_without_atomic_exchange_leaves_no_old_folder(tmp_path,
                                                                           monkeypatch):
    monkeypatch.setattr(editions, "_exchange", lambda a, b: False)
    target, new = tmp_path / "usmca", tmp_path / ".staging-new"
    target.mkdir()
    (target / "old.txt").write_text("old")
    new.mkdir()
    (new / "new.txt").write_text("new")
    editions.replace_dir(new, target)
    assert [p.name for p in target.iterdir()] == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["usmca"]


@pytest.mark.parametrize(("countries", "name", "message"), [
    ("USA,XXX,ZZZ", "Partners", "XXX, ZZZ"),
    ("USA,CAN", "../escape", "path characters"),
    ("USA,CAN", "Usmca.", "slug 'usmca'"),
    ("USA,CAN", "G7", "already a named region"),
    ("USA,CAN", None, "needs a name"),
])
def test_bad_custom_regions_are_rejected(countries, name, message):
    with pytest.raises(ScicollabError, match=message.replace(".", r"\.")):
        editions.region_from_args(name, countries)


def test_custom_region_gets_a_path_safe_slug():
    region = editions.region_from_args("North American partners", "usa, can,MEX")
    assert region.slug == "north-american-partners"
    assert region.members == ("CAN", "MEX", "USA")


def test_cli_refuses_unknown_codes_before_a_kernel_starts(project, capsys):
    code = main(["region", "build", "--countries", "USA,XYZ", "--name", "Partners", "-q"])
    assert code == 2
    assert "XYZ" in capsys.readouterr().err
    assert not (editions.root() / ".cache").exists()


def test_gallery_says_not_built_yet_and_links_only_when_published(project, monkeypatch):
    html = editions.gallery_html()
    assert html.count("Edition not built yet") == len(regions.names())
    assert "href" not in html
    fake_jupyter_book(monkeypatch)
    editions.build_edition(regions.resolve("USMCA"), progress=False)
    monkeypatch.setenv("SCICOLLAB_LINK_EDITIONS", "1")
    html = editions.gallery_html()
    assert 'href="../regions/usmca/index.html"' in html
    assert html.count("Edition not built yet") == len(regions.names()) - 1
    site = project[0] / "site"
    assert editions.publish_into(site) == ["usmca"]
    assert (site / "regions" / "usmca" / "index.html").is_file()


def test_publishing_copies_an_edition_again_only_when_it_was_rebuilt(project, monkeypatch):
    root, _ = project
    fake_jupyter_book(monkeypatch)
    usmca = regions.resolve("USMCA")
    editions.build_edition(usmca, progress=False)
    site = root / "site"
    assert editions.publish_into(site) == ["usmca"]
    marker = site / "regions" / "usmca" / "marker"
    marker.write_text("left by the first copy")
    assert editions.publish_into(site) == ["usmca"]
    assert marker.is_file(), "an unchanged edition is not copied again"
    write_chapter(root, "alpha", body="a newer version")
    editions.build_edition(usmca, progress=False)
    assert editions.publish_into(site) == ["usmca"]
    assert not marker.exists(), "a rebuilt edition replaces the published copy"
    assert "a newer version" in (site / "regions" / "usmca" / "index.html").read_text()


def test_an_edition_built_before_a_change_is_marked_out_of_date(project, monkeypatch, capsys):
    root, _ = project
    fake_jupyter_book(monkeypatch)
    editions.build_edition(regions.resolve("USMCA"), progress=False)
    [edition] = editions.built_editions()
    assert editions.is_current(edition)
    note = html.escape(editions.STALE_NOTE)
    assert note not in editions.gallery_html()
    assert "out of date" not in editions.gallery_summary()
    write_chapter(root, "beta", body="a newer version")
    assert not editions.is_current(edition)
    assert note in editions.gallery_html()
    assert "(all out of date" in editions.gallery_summary()
    assert not editions.is_current(edition, editions.code_fingerprint() + "new data")
    assert not editions.is_current({**edition, "parameters": {"top": 3}})
    assert main(["region", "index"]) == 0
    assert "out of date" in capsys.readouterr().out


@pytest.mark.slow
def test_real_edition_for_a_custom_region_has_its_numbers_in_the_html(tmp_path, monkeypatch):
    from scicollab.chapters import gerd

    monkeypatch.setattr(runner, "regions_dir", lambda: tmp_path / "regions")
    region = editions.region_from_args("North American partners", "USA,CAN,MEX")
    result = editions.build_edition(region, ["gerd"], progress=False)
    page = (result.folder / "html" / "notebooks" / "gerd.html").read_text()
    assert "North American partners edition" in page
    assert "North American partners" in page
    numbers = json.loads((result.folder / "numbers" / "gerd.json").read_text())
    assert numbers["region_name"] == "North American partners"
    assert numbers["gerd_region_members"] == 3
    assert numbers["gerd_regions_ranked"] == gerd.analyse("World").numbers["gerd_regions_ranked"]
    from PIL import Image

    with Image.open(result.folder / "figures" / "gerd-proxy-north-american-partners.png") as im:
        assert im.info["dpi"][0] >= 299
    offered = result.folder / "html" / "figures" / "gerd-proxy-north-american-partners.csv"
    assert 'href="../figures/gerd-proxy-north-american-partners.csv"' in page
    assert offered.read_bytes() == (
        result.folder / "figures" / "gerd-proxy-north-american-partners.csv").read_bytes()


@pytest.mark.slow
def test_in_process_jupyter_book_builds_twice_and_reports_a_broken_page(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    (book / "_config.yml").write_text("title: Tiny\nonly_build_toc_files: true\n"
                                      "execute:\n  execute_notebooks: 'off'\n")
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\n")
    (book / "intro.md").write_text("# Intro\n\nSee {ref}`a-label-nobody-defined`.\n")

    def build(out: str, *strict: str) -> tuple[int, str]:
        return editions.jupyter_book(["build", str(book), "--path-output", str(tmp_path / out),
                                      "--keep-going", *strict])

    code, log = build("loose")
    assert code == 0 and (tmp_path / "loose/_build/html/intro.html").is_file()
    code, log = build("strict", "-W", "-n")
    assert code != 0 and "a-label-nobody-defined" in log
    (book / "intro.md").write_text("# Intro\n\nFixed.\n")
    code, log = build("again", "-W", "-n")
    assert code == 0, log[-2000:]


@pytest.mark.parametrize(("rank", "shown"), [("3rd", "ranks 3rd of 17 named regions"),
                                             ("not ranked", None)])
def test_gallery_card_shows_a_rank_only_for_a_ranked_region(tmp_path, rank, shown):
    (tmp_path / "numbers").mkdir()
    (tmp_path / "numbers" / f"{editions.KEY_CHAPTER}.json").write_text(json.dumps({
        "gerd_region_n": 5, "gerd_region_members": 8, "gerd_region_median": 41.25,
        "gerd_region_rank": rank, "gerd_regions_ranked": 17}))
    edition = {"folder": str(tmp_path), "slug": "somewhere", "members": ["A"] * 8,
               "data_version": "v", "built": "then"}
    card = editions._card("Somewhere", edition, link=False)
    assert "median foreign share of credit 41.2%" in card
    if shown:
        assert shown in card
    else:
        assert "ranks" not in card
