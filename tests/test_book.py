"""The book builds with warnings as errors, shows its figures, and re-executes on new data."""

import re

import pytest

from scicollab import book, paths


def test_log_scan_catches_warnings_and_tracebacks_but_not_kernel_noise():
    log = ("[IPKernelApp] WARNING | Kernel is running over TCP without encryption.\n"
           "notebooks/gerd.md:12: WARNING: undefined label\n"
           "Traceback (most recent call last):\nbuild succeeded.\n")
    problems = book.scan_log(log)
    assert len(problems) == 2 and "undefined label" in problems[0]


def test_changed_data_clears_the_execution_cache(tmp_path, monkeypatch):
    (tmp_path / ".jupyter_cache").mkdir()
    (tmp_path / ".doctrees").mkdir()
    monkeypatch.setattr(book, "fingerprint", lambda: "data-v1")
    assert book.invalidate_if_stale(tmp_path) is True  # no stamp yet
    (tmp_path / ".scicollab-fingerprint").write_text("data-v1\n")
    (tmp_path / ".jupyter_cache").mkdir()
    assert book.invalidate_if_stale(tmp_path) is False
    assert (tmp_path / ".jupyter_cache").exists()
    monkeypatch.setattr(book, "fingerprint", lambda: "data-v2")
    assert book.invalidate_if_stale(tmp_path) is True
    assert not (tmp_path / ".jupyter_cache").exists()
    assert not (tmp_path / ".doctrees").exists()


def test_fingerprint_follows_the_data_version(monkeypatch):
    from scicollab import datasets

    before = book.fingerprint()
    monkeypatch.setattr(datasets, "data_version", lambda: "something-else")
    assert book.fingerprint() != before


@pytest.mark.slow
def test_book_builds_clean_with_figures_and_glued_numbers():
    code, log, problems = book.build()
    assert code == 0, f"build failed ({log}): {problems[:10]}"
    html = paths.BUILD_DIR / "html"
    assert (html / "index.html").is_file()
    page = (html / "notebooks" / "gerd.html").read_text()
    images = re.findall(r'<img[^>]+src="([^"]+)"', page)
    assert len(images) >= 3
    for src in images:
        assert (html / "notebooks" / src).resolve().is_file(), src
    assert "Figure size" not in page, "a figure was rendered as text"
    assert "Yes:" in page or "No:" in page or "Not clearly" in page
    assert not re.search(r"\?\?\?|ERROR|Traceback", page)
