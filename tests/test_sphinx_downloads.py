"""The line under each figure: its id and links to its files, matched by the PNG's bytes."""

from types import SimpleNamespace

from docutils import nodes
from docutils.utils import new_document

from scicollab import sphinx_downloads


def _saved_figure(folder, figure_id: str, png: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{figure_id}.png").write_bytes(png)
    (folder / f"{figure_id}.svg").write_text("<svg/>")
    (folder / f"{figure_id}.csv").write_text("x,y\n1,2\n")


def _page_with_image(uri: str) -> nodes.document:
    document = new_document("test")
    section = nodes.section()
    figure = nodes.figure()
    figure += nodes.image(uri=uri)
    figure += nodes.caption(text="A caption. Source: test. Data: 2020.")
    section += figure
    document += section
    return document


def test_figures_are_known_by_the_sha256_of_their_png_and_need_all_three_files(tmp_path):
    _saved_figure(tmp_path, "alpha-world", b"\x89PNG one")
    _saved_figure(tmp_path, "beta-world", b"\x89PNG two")
    (tmp_path / "beta-world.csv").unlink()
    ids = sphinx_downloads.figure_ids(tmp_path)
    assert list(ids.values()) == ["alpha-world"]
    assert sphinx_downloads.figure_ids(tmp_path / "missing") == {}


def test_links_are_relative_to_the_page():
    line = sphinx_downloads.files_line("gerd-proxy-world", "notebooks/gerd")
    hrefs = [ref["refuri"] for ref in line.findall(nodes.reference)]
    assert hrefs == ["../figures/gerd-proxy-world.csv", "../figures/gerd-proxy-world.svg",
                     "../figures/gerd-proxy-world.png"]
    assert next(iter(line.findall(nodes.literal))).astext() == "gerd-proxy-world"
    top = sphinx_downloads.files_line("x", "index")
    assert next(r["refuri"] for r in top.findall(nodes.reference)) == "figures/x.csv"


def test_only_an_image_with_the_bytes_of_a_saved_figure_gets_the_line(tmp_path):
    figures, source = tmp_path / "figures", tmp_path / "src"
    _saved_figure(figures, "alpha-world", b"\x89PNG one")
    (source / "_build").mkdir(parents=True)
    (source / "_build" / "shown.png").write_bytes(b"\x89PNG one")
    (source / "_build" / "other.png").write_bytes(b"\x89PNG other")
    app = SimpleNamespace(srcdir=str(source),
                          config=SimpleNamespace(scicollab_figures=str(figures)))
    matched = _page_with_image("_build/shown.png")
    assert sphinx_downloads.add_file_links(app, matched, "notebooks/alpha") == 1
    line = matched.next_node(nodes.paragraph)
    assert line is not None and "alpha-world" in line.astext()
    unmatched = _page_with_image("_build/other.png")
    assert sphinx_downloads.add_file_links(app, unmatched, "notebooks/alpha") == 0
    assert unmatched.next_node(nodes.paragraph) is None


def test_each_figure_is_stored_once_the_page_shows_it_from_figures(tmp_path):
    figures, out = tmp_path / "figures", tmp_path / "html"
    _saved_figure(figures, "alpha-world", b"\x89PNG one")
    (out / "_images").mkdir(parents=True)
    (out / "_images" / "abc123.png").write_bytes(b"\x89PNG one")
    (out / "_images" / "logo.png").write_bytes(b"\x89PNG logo")
    (out / "notebooks").mkdir()
    (out / "notebooks" / "alpha.html").write_text(
        '<img src="../_images/abc123.png"><img src="../_images/logo.png">')
    app = SimpleNamespace(outdir=str(out), builder=SimpleNamespace(format="html"),
                          config=SimpleNamespace(scicollab_figures=str(figures)))
    sphinx_downloads._on_build_finished(app, None)
    assert sorted(p.name for p in (out / "figures").iterdir()) == [
        "alpha-world.csv", "alpha-world.png", "alpha-world.svg"], "no JSON saved: none copied"
    assert [p.name for p in (out / "_images").iterdir()] == ["logo.png"]
    assert (out / "notebooks" / "alpha.html").read_text() == (
        '<img src="../figures/alpha-world.png"><img src="../_images/logo.png">')
