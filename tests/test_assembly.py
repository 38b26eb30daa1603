"""Publishing an edition into a site: what the site already holds byte for byte at the same
place (theme, tables, figures the same for every region) is stored once and linked."""

from __future__ import annotations

import io

import pytest
from PIL import Image, PngImagePlugin

from scicollab import assembly, site_sharing


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_an_edition_links_the_sites_copy_of_a_file_it_holds_byte_for_byte(tmp_path):
    site, edition = tmp_path / "site", tmp_path / "edition"
    for root in (site, edition):
        _write(root / "_static" / "theme.css", "body {}")
        _write(root / "figures" / "calibration.png", "the same for every region")
    _write(site / "figures" / "links-world.png", "the world's")
    _write(edition / "figures" / "links-kenya.png", "Kenya's")
    _write(site / "figures" / "share.png", "the world's share")
    _write(edition / "figures" / "share.png", "Kenya's share: same name, other bytes")
    _write(edition / "notebooks" / "gerd.html", (
        '<link href="../_static/theme.css"><img src="../figures/calibration.png">'
        '<img src="../figures/links-kenya.png"><a href="../figures/share.png">'))
    _write(edition / "index.html", '<img src="figures/calibration.png">')
    target = site / "regions" / "kenya"
    site_sharing.publish_edition(edition, target, site)

    assert sorted(p.name for p in (target / "figures").iterdir()) == ["links-kenya.png",
                                                                       "share.png"]
    assert (target / "figures" / "share.png").read_text().startswith("Kenya's share")
    assert not (target / "_static").exists()
    page = (target / "notebooks" / "gerd.html").read_text()
    assert page == ('<link href="../../../_static/theme.css">'
                    '<img src="../../../figures/calibration.png">'
                    '<img src="../figures/links-kenya.png"><a href="../figures/share.png">')
    assert (target / "index.html").read_text() == '<img src="../../figures/calibration.png">'
    for link in ("../../../_static/theme.css", "../../../figures/calibration.png"):
        assert (target / "notebooks" / link).resolve().is_file()
    assert (edition / "figures" / "calibration.png").is_file(), "the edition keeps its own"


def _png(path, title, colour):
    """A PNG titled as figures.write_png titles a figure's file."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Title", title)
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), colour).save(buffer, format="png", pnginfo=info)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def _svg(path, title, body):
    _write(path, f'<svg>\n <title>{title}</title>\n {body}\n</svg>\n')


@pytest.fixture
def drawn_as_the_worlds(tmp_path):
    """A site whose book holds the world's chart, and Kenya's edition holding the same drawing
    under Kenya's id (Kenya absent from the chart), the same CSV, and a chart of its own."""
    site, edition = tmp_path / "site", tmp_path / "edition"
    _png(site / "figures" / "share-world.png", "share-world", "red")
    _svg(site / "figures" / "share-world.svg", "share-world", "<path d='M0 0'/>")
    _write(site / "figures" / "share-world.csv", "iso3,share\nKEN,\n")
    _png(edition / "figures" / "share-kenya.png", "share-kenya", "red")
    _svg(edition / "figures" / "share-kenya.svg", "share-kenya", "<path d='M0 0'/>")
    _write(edition / "figures" / "share-kenya.csv", "iso3,share\nKEN,\n")
    _write(edition / "figures" / "share-kenya.json", '{"id": "share-kenya"}')
    _png(edition / "figures" / "links-kenya.png", "links-kenya", "blue")
    _svg(edition / "figures" / "links-kenya.svg", "links-kenya", "<path d='M0 1'/>")
    _write(edition / "notebooks" / "landscape.html", "".join(
        f'<a href="../figures/{name}">' for name in (
            "share-kenya.png", "share-kenya.svg", "share-kenya.csv", "links-kenya.png",
            "links-kenya.svg")))
    return site, edition


def test_a_figure_drawn_as_the_sites_under_another_id_links_the_sites_copy(
        drawn_as_the_worlds):
    site, edition = drawn_as_the_worlds
    target = site / "regions" / "kenya"
    site_sharing.publish_edition(edition, target, site)

    assert sorted(p.name for p in (target / "figures").iterdir()) == [
        "links-kenya.png", "links-kenya.svg", "share-kenya.json"]
    page = (target / "notebooks" / "landscape.html").read_text()
    assert page == ('<a href="../../../figures/share-world.png">'
                    '<a href="../../../figures/share-world.svg">'
                    '<a href="../../../figures/share-world.csv">'
                    '<a href="../figures/links-kenya.png"><a href="../figures/links-kenya.svg">')
    for name in ("share-world.png", "share-world.svg", "share-world.csv"):
        assert (target / "notebooks" / "../../../figures" / name).resolve().is_file()


def test_a_figure_differing_from_the_sites_in_more_than_its_id_is_kept(drawn_as_the_worlds):
    site, edition = drawn_as_the_worlds
    _png(edition / "figures" / "share-kenya.png", "share-kenya", "green")
    _svg(edition / "figures" / "share-kenya.svg", "share-kenya", "<path d='M0 2'/>")
    _write(edition / "figures" / "share-kenya.csv", "iso3,share\nKEN,1\n")
    target = site / "regions" / "kenya"
    site_sharing.publish_edition(edition, target, site, site_sharing.site_figures(site))

    assert {"share-kenya.png", "share-kenya.svg", "share-kenya.csv"} <= {
        p.name for p in (target / "figures").iterdir()}
    assert "../figures/share-kenya.png" in (target / "notebooks" / "landscape.html").read_text()


def _chapter(root, chapter, files):
    from scicollab.executor import ChapterResult

    folder = root / chapter
    for name, text in files.items():
        _write(folder / "figures" / name, text)
    _write(folder / "numbers.json", "{}")
    return ChapterResult(chapter, "Kenya", folder=folder)


def test_a_figure_two_chapters_save_alike_is_collected_once(tmp_path):
    results = [_chapter(tmp_path, "intro", {"gerd-proxy-kenya.png": "drawn"}),
               _chapter(tmp_path, "gerd", {"gerd-proxy-kenya.png": "drawn",
                                           "gerd-exact-kenya.png": "exact"})]
    figures, _ = assembly._collect(results, tmp_path / "work")
    assert sorted(p.name for p in figures.iterdir()) == ["gerd-exact-kenya.png",
                                                         "gerd-proxy-kenya.png"]
    assert (figures / "gerd-proxy-kenya.png").read_text() == "drawn"


def test_two_chapters_saving_different_files_under_one_name_stop_the_build(tmp_path):
    import pytest

    results = [_chapter(tmp_path, "intro", {"gerd-proxy-kenya.png": "drawn"}),
               _chapter(tmp_path, "gerd", {"gerd-proxy-kenya.png": "drawn otherwise"})]
    with pytest.raises(assembly.BuildFailed, match=r"intro and gerd .* gerd-proxy-kenya\.png"):
        assembly._collect(results, tmp_path / "work")
    for chapter, text in (("intro", "drawn"), ("gerd", "drawn otherwise")):
        saved = tmp_path / chapter / "figures" / "gerd-proxy-kenya.png"
        assert saved.read_text() == text, "a chapter's own file is never written over"
