"""The Data sources page: the manifest as readable, escaped tables, and the data downloadable.

A one-page Sphinx site with the extension is built from a copy of the data whose manifest holds
hostile text; the book's own page is checked for the directive views it uses.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scicollab import paths, site, sphinx_data

HOSTILE = '<script>alert("x")</script> {doc}`intro` **bold** & more'


def _build(root: Path, data: Path, extra_conf: str = "") -> Path:
    """A one-page site holding the book's Data sources page, built with sphinx-build."""
    source = root / "src"
    (source / "book").mkdir(parents=True)
    (source / "conf.py").write_text(
        "extensions = ['myst_parser', 'scicollab.sphinx_data']\n"
        f"scicollab_data = {str(data)!r}\n"
        "html_theme = 'basic'\n" + extra_conf)
    (source / "index.md").write_text("# Home\n\n```{toctree}\nbook/data_sources\n```\n")
    page = (paths.root() / "book" / "data_sources.md").read_text()
    (source / "book" / "data_sources.md").write_text(page.replace("{doc}`methods`", "methods"))
    out = root / "html"
    # In a separate process, as sphinx-build: an in-process build would leave its parsers
    # registered for the in-process builds of region editions later in the session.
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "-E",
                             str(source), str(out)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, dict]:
    root = tmp_path_factory.mktemp("site")
    data = root / "data"
    shutil.copytree(paths.data_dir(), data)
    manifest = json.loads((data / "manifest.json").read_text())
    trust = manifest["tables"]["trust"]
    trust["description"] = HOSTILE
    trust["sources"][0]["publisher"] = HOSTILE
    trust["sources"][0]["url"] = "javascript:alert(1)"
    (data / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return _build(root, data), data, manifest


def _page(out: Path) -> str:
    return (out / "book" / "data_sources.html").read_text(encoding="utf-8")


def test_every_table_is_a_row_with_its_rows_and_short_checksum(built):
    out, _, manifest = built
    html = _page(out)
    for entry in manifest["tables"].values():
        assert f'href="../data/{entry["file"]}"' in html
        assert f"{entry['rows']:,}" in html
        assert entry["sha256"][:sphinx_data.SHORT_SHA] in html
        assert entry["sha256"] not in html  # shortened


def test_sources_link_their_ids_to_the_official_pages_and_licences(built):
    out, _, manifest = built
    html = _page(out)
    for name, entry in manifest["tables"].items():
        for source in entry["sources"]:
            if name != "trust":
                assert f'href="{source["url"]}"' in html
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in html


def test_each_raw_file_is_listed_once_with_its_short_checksum_and_snapshot_date(built):
    out, _, manifest = built
    html = _page(out)
    raw = {item["path"]: item["sha256"] for entry in manifest["tables"].values()
           for source in entry["sources"] for item in source["raw_files"]}
    for path, digest in raw.items():
        assert html.count(f">{path}<") == 1, path
        assert digest[:sphinx_data.SHORT_SHA] in html and digest not in html
    assert manifest["snapshot_date"] in html


def test_manifest_text_is_escaped_and_never_becomes_markup_or_a_script_link(built):
    out, _, _ = built
    html = _page(out)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(" in html and "&amp; more" in html
    assert "{doc}`intro`" in html and "**bold**" in html
    assert "javascript:" not in html


def test_data_files_are_copied_into_the_site_and_every_link_resolves(built):
    out, data, manifest = built
    for name in [e["file"] for e in manifest["tables"].values()] + ["datapackage.json",
                                                                    "manifest.json"]:
        assert (out / "data" / name).read_bytes() == (data / name).read_bytes(), name
    report = site.check_links(out)
    assert not report.broken, report.broken[:10]
    assert 'href="../data/datapackage.json"' in _page(out)


def test_excluded_names_are_listed_with_their_reasons(built):
    out, _, manifest = built
    text = re.sub(r"\s+", " ", site.visible_text(out / "book" / "data_sources.html"))
    for name, reason in manifest["excluded_names"].items():
        assert name in text and reason in text


def test_the_book_page_uses_every_view_of_the_manifest():
    page = (paths.root() / "book" / "data_sources.md").read_text()
    used = re.findall(r"```\{scicollab-data\} (\w+)", page)
    assert sorted(used) == sorted(sphinx_data.KINDS)
    assert "literalinclude" not in page  # the raw JSON is no longer pasted into the page


def test_a_site_inside_the_book_can_link_to_the_books_data_instead_of_copying_it(tmp_path):
    out = _build(tmp_path, paths.data_dir(), "scicollab_data_href = '../../data'\n")
    html = _page(out)
    assert 'href="../../../data/datapackage.json"' in html
    assert 'href="../../../data/countries.csv"' in html
    assert not (out / "data").exists()
