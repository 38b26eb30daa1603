"""The checks of the built HTML on a small made-up site: they find what they are meant to."""

from scicollab import site

PAGE = """<html><body>
<h1 id="top">Title</h1>
<a href="other.html#present">fine</a>
<a href="other.html#absent">missing anchor</a>
<a href="gone.html">missing page</a>
<a href="https://example.org/x">external</a>
<a href="mailto:a@b.c">mail</a>
<img src="pic.png" alt="">
<figure><img src="pic.png" alt="A chart. Its caption here."><figcaption>
<span class="caption-number">Fig. 1 </span>Its caption here.
<a class="headerlink" href="#top">#</a></figcaption></figure>
<figure><img src="pic.png" alt="A chart."><figcaption>Another caption.</figcaption></figure>
</body></html>"""


def _site(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "page.html").write_text(PAGE)
    (tmp_path / "notebooks" / "other.html").write_text('<p id="present">x</p>')
    (tmp_path / "notebooks" / "pic.png").write_bytes(b"png")
    return tmp_path


def test_broken_links_and_missing_anchors_are_found_and_external_ones_listed(tmp_path):
    report = site.check_links(_site(tmp_path))
    assert len(report.broken) == 2
    assert any("gone.html (no such file)" in b for b in report.broken)
    assert any("other.html#absent (no id 'absent' on the page)" in b for b in report.broken)
    assert report.external == {"https://example.org/x"}
    listing = site.write_external_report(report, tmp_path / "out" / "external.txt")
    assert listing.read_text() == "https://example.org/x\n"


def test_images_without_alt_are_found(tmp_path):
    html = _site(tmp_path)
    assert site.images_without_alt(html) == ["page.html: pic.png"]


def test_visible_text_leaves_out_scripts_styles_and_code(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html><head><title>T</title><style>a{}</style></head><body><p>Shown "
                    "{doc}`x`</p><script>hidden()</script><pre>{cite}`y`</pre>"
                    "<p>and <code>{glue:text}`z`</code> too</p></body></html>")
    text = " ".join(site.visible_text(page).split())
    assert text == "Shown {doc}`x` and too"
