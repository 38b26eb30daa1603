"""Figures' alt text describes the chart without repeating the caption; the page fixes the
axe-core audit asks for (its run over every page is in test_site_interactive.py)."""

from docutils import nodes

from scicollab import site, sphinx_a11y, sphinx_alt


def _figure(alt: str | None, caption: str) -> nodes.figure:
    image = nodes.image(uri="fig.png", **({"alt": alt} if alt is not None else {}))
    return nodes.figure("", image, nodes.caption("", caption))


def test_alt_text_describes_the_chart_and_does_not_repeat_the_caption():
    caption = "Share falls. Source: NCSES. Data: 2018."
    described = _figure("Scatter of share against GERD.", caption)
    repeating = _figure(f"Scatter of share against GERD. {caption}", caption)
    bare = _figure(None, "Coverage by year. Source: WDI.")
    uncaptioned = nodes.figure("", nodes.image(uri="x.png", alt="kept"))
    tree = nodes.section("", described, repeating, bare, uncaptioned)
    assert sphinx_alt.ensure_alt(tree) == 2
    alts = [image["alt"] for image in tree.findall(nodes.image)]
    assert alts == ["Scatter of share against GERD.", "Scatter of share against GERD.",
                    "Coverage by year.", "kept"]
    assert sphinx_alt.ensure_alt(tree) == 0  # applying twice changes nothing


def test_html_check_finds_figures_without_alt(tmp_path):
    (tmp_path / "notebooks").mkdir()
    page = """<html><body>
    <figure><img src="a.png" alt="Bars by year."><figcaption><p>Share by year.</p></figcaption>
    </figure><figure><img src="b.png" alt=""><figcaption><p>Another.</p></figcaption></figure>
    </body></html>"""
    (tmp_path / "notebooks" / "page.html").write_text(page)
    site._parse.cache_clear()
    assert site.images_without_alt(tmp_path) == ["page.html: b.png"]


def test_scrollable_code_is_focusable_and_the_citation_list_has_no_list_role():
    body = ('<pre>long line</pre><pre class="x">a</pre><pre tabindex="-1">b</pre>'
            '<div role="list" class="citation-list"><div class="citation" '
            'role="doc-biblioentry">A</div></div><preview>')
    fixed = sphinx_a11y.fix_body(body)
    assert fixed.count('tabindex="0"') == 2 and 'tabindex="-1"' in fixed
    assert 'role="list"' not in fixed and "<preview>" in fixed
