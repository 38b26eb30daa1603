"""Building twice from the same commit and data gives byte-identical HTML and figures."""

import datetime
import filecmp
import shutil
from pathlib import Path

import pytest

from scicollab import book, editions, paths

pytestmark = pytest.mark.slow
CHAPTERS = ["gerd", "trust"]


def _reduced_root(tmp: Path) -> Path:
    root = tmp / "root"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(paths.root() / "_config.yml", root)
    (root / "data").symlink_to(paths.data_dir())
    shutil.copytree(paths.root() / "book", root / "book")
    for chapter in CHAPTERS:
        shutil.copy(paths.notebooks_dir() / f"{chapter}.md", root / "notebooks")
    pages = [f"notebooks/{c}" for c in CHAPTERS] + ["book/methods", "book/bibliography"]
    files = "\n".join(f"  - file: {page}" for page in pages)
    (root / "_toc.yml").write_text(f"format: jb-book\nroot: book/intro\nchapters:\n{files}\n")
    return root


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_two_builds_are_byte_identical(tmp_path):
    root = _reduced_root(tmp_path)
    outputs = []
    for name in ("first", "second"):
        _, log, problems = book.build(root=root, strict=False, out=tmp_path / name)
        # Two chapters alone leave links to the other chapters unresolved; nothing else may fail.
        others = [p for p in problems if not editions._MISSING_REFERENCE.search(p)]
        assert not others, log.read_text()[-2000:]
        assert (tmp_path / name / "_build" / "html" / "index.html").is_file()
        outputs.append(tmp_path / name / "_build")
    for sub in ("html", "figures"):
        first, second = outputs[0] / sub, outputs[1] / sub
        names = _files(first)
        assert names == _files(second)
        assert any(n.endswith(".png") for n in names)
        _, mismatch, errors = filecmp.cmpfiles(first, second, names, shallow=False)
        assert not mismatch and not errors, f"{sub} differs: {mismatch[:10]} {errors[:5]}"
    assert (outputs[0] / "html" / "notebooks" / "trust.html").is_file()
    _assert_no_build_date(outputs[0] / "html")


def _assert_no_build_date(html: Path) -> None:
    """Two builds on one day are alike anyway: also check that no page carries the build date."""
    today = datetime.date.today()
    stamps = {today.isoformat(), today.strftime("%b %d, %Y"), today.strftime("%B %d, %Y"),
              today.strftime("%d %b %Y")}
    dated = [f"{page.relative_to(html)}: {stamp}" for page in sorted(html.rglob("*.html"))
             for stamp in stamps if stamp in page.read_text(encoding="utf-8")]
    assert not dated, f"pages carry the build date: {dated[:5]}"
