"""Notebook pages run in parallel worker processes into the cache that myst-nb reads."""

from pathlib import Path

import pytest

from scicollab import execution

HEADER = """---
file_format: mystnb
kernelspec:
  display_name: Python 3
  language: python
  name: python3
{extra}---

# {title}

```{{code-cell}} ipython3
{code}
```
"""


def _page(root: Path, name: str, code: str, extra: str = "") -> None:
    (root / f"{name}.md").write_text(HEADER.format(title=name, code=code, extra=extra))


@pytest.fixture
def mini_book(tmp_path) -> Path:
    root = tmp_path / "book"
    root.mkdir()
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n"
        "  - file: good\n  - file: broken\n  - file: forced\n")
    (root / "intro.md").write_text("# Intro\n\nPlain Markdown, not a notebook.\n")
    _page(root, "good", 'import os\nprint(os.environ.get("SCICOLLAB_TEST_VALUE"))')
    _page(root, "broken", 'raise ValueError("made-up failure")')
    _page(root, "forced", "print(1)", extra="mystnb:\n  execution_mode: force\n")
    return root


def test_only_cache_mode_notebook_pages_are_run_ahead(mini_book):
    assert [p.name for p in execution.notebook_pages(mini_book)] == ["good.md", "broken.md"]


@pytest.mark.slow
def test_pages_run_in_workers_are_cached_and_failures_left_uncached(mini_book, tmp_path):
    from jupyter_cache import get_cache

    cache_path = tmp_path / "cache"
    done = []
    runs = execution.execute_pages(mini_book, cache_path, timeout=60, workers=2,
                                   env={"SCICOLLAB_TEST_VALUE": "from-the-parent"},
                                   on_done=done.append)
    assert [run.page.name for run in runs] == ["good.md", "broken.md"]
    assert sorted(run.page.name for run in done) == ["broken.md", "good.md"]
    good, broken = runs
    assert good.error is None
    assert "ValueError" in broken.error and "made-up failure" in broken.error
    assert execution.uncached_pages(mini_book, cache_path) == [mini_book / "broken.md"]
    record = get_cache(str(cache_path)).match_cache_notebook(
        execution.read_page(mini_book / "good.md"))
    cached = get_cache(str(cache_path)).get_cache_bundle(record.pk).nb
    assert cached.cells[0].outputs[0]["text"].strip() == "from-the-parent"
    assert execution.execute_pages(mini_book, cache_path, timeout=60, workers=2)[0].error


@pytest.mark.slow
def test_a_page_failing_in_a_worker_fails_the_book_build_with_its_cell_error(mini_book, tmp_path):
    from scicollab import book

    (mini_book / "references.bib").write_text("")
    (mini_book / "_config.yml").write_text(
        "title: Mini\nbibtex_bibfiles: [references.bib]\n"
        "execute:\n  execute_notebooks: cache\n  timeout: 60\n")
    code, log, problems = book.build(root=mini_book, out=tmp_path / "out", workers=2)
    text = log.read_text()
    assert code != 0
    assert "--- good.md: " in text and "--- broken.md: " in text and "FAILED" in text
    assert "made-up failure" in text
    assert any("broken" in line for line in problems)
    assert "good.md: Using cached notebook" in text


def test_default_workers_follow_the_usable_cpus_within_bounds(monkeypatch):
    monkeypatch.setattr(execution.os, "sched_getaffinity", lambda pid: set(range(64)),
                        raising=False)
    assert execution.default_workers() == execution.MAX_WORKERS
    monkeypatch.setattr(execution.os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert execution.default_workers() == 1


def test_pages_are_submitted_longest_first_with_ties_in_reading_order(tmp_path):
    from scicollab.chapters import catalogue

    figures = {"intro": 0, "heavy": 3, "one": 1, "other": 1}
    pages = []
    for name, count in figures.items():
        page = tmp_path / f"{name}.md"
        page.write_text("".join(f'publish_figure("fig-{name}-{i}", *make())\n'
                                for i in range(count)))
        pages.append(page)
    assert [p.stem for p in catalogue.longest_first(pages)] == ["heavy", "one", "other", "intro"]
    assert catalogue.figure_count(catalogue.source("gerd")) >= 4
