"""The full book rebuilds byte for byte: a cold build, a rebuild from the cache, and a second
cold build give identical HTML, figures and data files."""

from __future__ import annotations

import datetime
import filecmp
import shutil
from pathlib import Path

import pytest

from scicollab import builds, paths

pytestmark = pytest.mark.slow


def _copy_of_the_project(target: Path) -> Path:
    root = paths.find_root()
    target.mkdir(parents=True)
    for name in ("_config.yml", "_toc.yml", "CITATION.cff"):
        shutil.copy2(root / name, target / name)
    for folder in ("book", "notebooks"):
        shutil.copytree(root / folder, target / folder,
                        ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
    (target / "data").symlink_to(root / "data", target_is_directory=True)
    return target


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _differences(a: Path, b: Path) -> list[str]:
    assert _files(a) == _files(b), set(_files(a)) ^ set(_files(b))
    return [name for name in _files(a) if not filecmp.cmp(a / name, b / name, shallow=False)]


def test_the_full_book_rebuilds_byte_identically(tmp_path, monkeypatch):
    first_root = _copy_of_the_project(tmp_path / "first")
    monkeypatch.setattr(paths, "_root", first_root)
    cold = builds.book(progress=False)
    assert cold.status == "built"
    kept = tmp_path / "cold-html"
    shutil.copytree(cold.html, kept)
    shutil.rmtree(cold.html)
    (first_root / "_build" / builds.BOOK_RECORD).unlink()
    from_cache = builds.book(progress=False)
    assert from_cache.status == "built" and all(r.cached for r in from_cache.results)
    assert not _differences(kept, from_cache.html)

    second_root = _copy_of_the_project(tmp_path / "second")
    monkeypatch.setattr(paths, "_root", second_root)
    second = builds.book(progress=False)
    assert not any(r.cached for r in second.results)
    assert not _differences(kept, second.html)

    today = datetime.date.today()
    stamps = {today.strftime("%b %d, %Y"), today.isoformat(), f"{today:%d %B %Y}"}
    for page in kept.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not any(stamp in text for stamp in stamps), f"{page.name} carries today's date"
        assert "?v=" not in text, f"{page.name}: a static link carries a build-dependent query"
