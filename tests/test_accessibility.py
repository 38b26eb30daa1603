"""Figures' alt text comes from their captions, in the Sphinx doctree and in the built HTML."""

from docutils import nodes

from scicollab import site, sphinx_alt


def _figure(alt: str | None, caption: str) -> nodes.figure:
    image = nodes.image(uri="fig.png", **({"alt": alt} if alt is not None else {}))
    return nodes.figure("", image, nodes.caption("", caption))


def test_caption_is_appended_to_a_description_or_becomes_the_alt():
    described = _figure("Scatter of share against GERD.", "Share falls. Source: NCSES. Data: 2018.")
    bare = _figure(None, "Coverage by year.  Source: WDI.")
    uncaptioned = nodes.figure("", nodes.image(uri="x.png", alt="kept"))
    tree = nodes.section("", described, bare, uncaptioned)
    assert sphinx_alt.add_caption_alt(tree) == 2
    images = list(tree.findall(nodes.image))
    assert images[0]["alt"] == ("Scatter of share against GERD. "
                                "Share falls. Source: NCSES. Data: 2018.")
    assert images[1]["alt"] == "Coverage by year. Source: WDI."
    assert images[2]["alt"] == "kept"
    assert sphinx_alt.add_caption_alt(tree) == 0  # applying twice changes nothing


def test_html_check_finds_figures_whose_alt_lacks_the_caption(tmp_path):
    (tmp_path / "notebooks").mkdir()
    page = """<html><body>
    <figure><img src="a.png" alt="Bars. Share by year. Source: X.">
    <figcaption><p><span class="caption-number">Fig. 1 </span>
    <span class="caption-text">Share by <em>year</em>. Source: X.</span>
    <a class="headerlink" href="#a" title="Link">#</a></p></figcaption></figure>
    <figure><img src="b.png" alt="Only a description">
    <figcaption><p><span class="caption-number">Fig. 2 </span>
    <span class="caption-text">Another caption.</span></p></figcaption></figure>
    </body></html>"""
    (tmp_path / "notebooks" / "page.html").write_text(page)
    site._parse.cache_clear()
    wrong = site.figures_without_caption_alt(tmp_path)
    assert len(wrong) == 1 and "Another caption." in wrong[0]
