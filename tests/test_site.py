"""The published site as readers use it: links, alt text, and a real headless Chromium."""

import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import unquote

import pytest

from scicollab import builds, gallery, paths, regions, site

from conftest import NEGATIVE_ZERO, QuietHandler

ARTIFACTS = paths.build_dir() / "test-artifacts"
pytestmark = pytest.mark.slow


def test_every_internal_link_and_anchor_resolves(html):
    report = site.check_links(html)
    site.write_external_report(report, ARTIFACTS / "external-links.txt")
    assert not report.broken, "\n".join(report.broken[:20])
    assert (ARTIFACTS / "external-links.txt").read_text().count("\n") == len(report.external)


def test_every_chapter_image_has_alt_text_that_does_not_repeat_its_caption(html):
    assert not site.images_without_alt(html)
    for page in sorted((html / "notebooks").glob("*.html")):
        for alts, caption in site._parse(page.resolve()).figures:
            assert all(alt and caption not in " ".join(alt.split()) for alt in alts), page.name
    gerd = site._parse((html / "notebooks" / "gerd.html").resolve()).figures
    assert len(gerd) >= 3 and all("Source:" in caption for _, caption in gerd)


def test_no_page_shows_unparsed_myst_roles_or_backticks(html):
    # Inline {glue:md} text is CommonMark: a role inside it ({doc}`x`) would reach the page raw,
    # and so would `code` in text a Sphinx extension puts on a page as plain text
    raw = re.compile(r"\{(doc|ref|numref|cite|glue:[a-z]+|download)\}|`")
    shown = [f"{page.relative_to(html)}: {match.group(0)}"
             for page in sorted(html.rglob("*.html")) if "_static" not in page.parts
             for match in raw.finditer(site.visible_text(page))]
    assert not shown, shown[:10]


def test_no_number_shows_as_negative_zero(html):
    # format specs carry "z" (PEP 682)
    shown = [f"{page.relative_to(html)}: {text[max(0, m.start() - 40):m.end() + 20]}"
             for page in sorted(html.rglob("*.html")) if "_static" not in page.parts
             for text in [site.visible_text(page)] for m in NEGATIVE_ZERO.finditer(text)]
    assert not shown, shown[:10]


def _figure_ids(text: str) -> list[str]:
    return re.findall(r'<p class="figure-files">Figure id <code[^>]*><span class="pre">'
                      r'([a-z0-9-]+)</span>', text)


def test_every_figure_offers_its_id_and_its_png_svg_and_csv(html):
    offered = 0
    for page in sorted((html / "notebooks").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        ids = _figure_ids(text)
        assert len(ids) == text.count("<figure"), f"{page.name}: a figure lacks its files line"
        for figure_id in ids:
            for kind in ("png", "svg", "csv"):
                assert f'href="../figures/{figure_id}.{kind}"' in text
                assert (html / "figures" / f"{figure_id}.{kind}").stat().st_size > 0
            assert f'src="../figures/{figure_id}.png"' in text, "the page shows the PNG offered"
        offered += len(ids)
    assert offered >= 18


def test_the_home_page_shows_the_chapters_figures_stored_once(html):
    text = (html / "book" / "intro.html").read_text(encoding="utf-8")
    assert _figure_ids(text) == ["gerd-proxy-world", "trust-world"]
    for figure_id in ("gerd-proxy-world", "trust-world"):
        assert f'src="../figures/{figure_id}.png"' in text
    stems = [p.stem for p in (html / "figures").glob("*.png")]
    assert "gerd-proxy-world" in stems and not [s for s in stems if s.startswith("home-")]
    assert not (html / "_images").exists(), "every page image is a figure stored once"


def _pages(html: Path) -> list[str]:
    chapters = sorted(p.relative_to(html).as_posix() for p in (html / "notebooks").glob("*.html"))
    return ["book/intro.html", *chapters, "book/methods.html", "book/data_sources.html",
            "book/bibliography.html", "book/regions.html"]


def test_pages_load_without_errors_and_images_render(html, server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(
        f"console {m.type} on {page.url}: {m.text} {m.location.get('url', '')}")
            if m.type == "error" else None)
    # a request aborted because the test moved on to the next page is not a missing file
    page.on("requestfailed", lambda r: problems.append(f"failed request {r.url} ({r.failure})")
            if r.failure != "net::ERR_ABORTED" else None)
    page.on("response", lambda r: problems.append(f"HTTP {r.status} {r.url}")
            if r.status >= 400 else None)
    # an uncaught error in a page's script (sphinx-thebe's settings, put on every page twice,
    # stopped with "Identifier 'THEBE_JS_URL' has already been declared")
    page.on("pageerror", lambda error: problems.append(f"page error on {page.url}: {error}"))
    for path in _pages(html):
        page.goto(f"{server}/{path}", wait_until="load")
        broken = page.eval_on_selector_all(
            "main img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0))"
                        ".map(i => i.src)")
        assert not broken, f"{path}: images did not load: {broken}"
    assert not problems, "\n".join(problems[:20])


def _screenshot(browser, url: str, target: Path) -> None:
    """A screenshot in a fresh page; headless Chromium occasionally refuses one, so retry."""
    for attempt in range(3):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            page.goto(url, wait_until="networkidle")
            page.screenshot(path=str(target))
            return
        except Exception:
            if attempt == 2:
                raise
        finally:
            page.close()


def test_screenshots_of_home_and_a_chapter_are_saved(server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, path in (("home", "index.html"), ("chapter-gerd", "notebooks/gerd.html")):
        _screenshot(browser, f"{server}/{path}", ARTIFACTS / f"{name}.png")
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000


def test_table_of_contents_navigates(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/book/intro.html")
    page.click("nav.bd-docs-nav a[href*='gerd']")
    page.wait_for_load_state("load")
    assert page.url.endswith("notebooks/gerd.html")
    assert "Collaboration and R&D investment" in page.inner_text("h1")


def test_search_finds_a_chapter_by_a_word_in_it(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/search.html?q=calibration")
    page.wait_for_selector("#search-results li", timeout=20000)
    results = page.inner_text("#search-results")
    assert "Collaboration and R&D investment" in results


def test_a_page_offers_one_search_field_and_a_phone_its_search_button(server, browser):
    desktop = browser.new_page(viewport={"width": 1280, "height": 800})
    desktop.goto(f"{server}/notebooks/gerd.html", wait_until="load")
    assert desktop.locator(".search-button-field:visible").count() == 1
    header = desktop.evaluate("document.querySelector('.bd-header').offsetHeight")
    assert header == 0, f"a header bar {header}px high above the page"
    phone = browser.new_page(viewport={"width": 375, "height": 800}, is_mobile=True)
    phone.goto(f"{server}/notebooks/gerd.html", wait_until="load")
    phone.click(".article-header-buttons .search-button")
    phone.keyboard.type("calibration")
    phone.keyboard.press("Enter")
    phone.wait_for_selector("#search-results li", timeout=20000)
    assert "Collaboration and R&D investment" in phone.inner_text("#search-results")


def test_regions_gallery_links_resolve(html, server, browser):
    page = browser.new_page()
    page.goto(f"{server}/book/regions.html")
    hrefs = page.eval_on_selector_all("main a[href]", "as => as.map(a => a.href)")
    for href in hrefs:
        if href.startswith(server) and "#" not in href:
            response = page.request.get(href)
            assert response.ok, href
    published = [e["slug"] for e in gallery.built() if (html / "regions" / e["slug"]
                                                         / "index.html").is_file()]
    linked = {unquote(h.split("/regions/")[1].split("/")[0]) for h in hrefs if "/regions/" in h}
    assert linked == set(published), "every published edition, and only those, is linked"
    # each named region's card: a published edition is linked; one never built says so, and
    # one on disk but out of date says that (a custom group's edition may have a card too)
    cards = {text.splitlines()[0].strip(): text for text in page.eval_on_selector_all(
        "main .sd-card", "cards => cards.map(card => card.innerText)")}
    for name in regions.names():
        if name == "World":
            continue
        unavailable = "Edition not built yet" in cards[name] or "Out of date:" in cards[name]
        assert unavailable == (regions.slugify(name) not in published), name
    assert f"{server}/index.html" in hrefs, "the World card leads to the book itself"


def test_the_regions_search_finds_an_economy_by_the_name_a_reader_types(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/book/regions.html", wait_until="load")
    rows = "[...document.querySelector('table.scicollab-economies').tBodies[0].rows]"
    shown = f"{rows}.filter(r => !r.hidden).map(r => r.cells[0].textContent.trim())"
    for typed, economy in (("Turkey", "Türkiye"), ("South Korea", "Korea, Rep."),
                           ("usa", "United States"), ("KEN", "Kenya"),
                           ("The Gambia", "Gambia, The"), ("DR Congo", "Congo, Dem. Rep."),
                           ("UAE", "United Arab Emirates")):
        page.locator("input.scicollab-filter").fill(typed)
        assert page.evaluate(shown) == [economy], typed
    page.locator("input.scicollab-filter").fill("")
    assert len(page.evaluate(shown)) == len(regions.economy_names())


@pytest.fixture
def scratch_project(tmp_path, monkeypatch) -> Path:
    """The book's sources linked into a folder of its own, so that an edition built by a test
    lands in that folder's _build/, never among the checkout's editions (which `make book`
    publishes)."""
    real = paths.find_root()
    for name in ("_config.yml", "_toc.yml", "CITATION.cff"):
        (tmp_path / name).write_bytes((real / name).read_bytes())
    for folder in ("book", "notebooks", "data"):
        (tmp_path / folder).symlink_to(real / folder, target_is_directory=True)
    monkeypatch.setattr(paths, "_root", tmp_path)
    return tmp_path


def test_a_region_name_with_markup_characters_shows_as_text_and_runs_no_script(
        browser, scratch_project):
    name = "Trade & 'Partners' (東アジア), Inc."
    [outcome] = builds.editions([regions.custom("USA,CAN", name)], ["gerd"], progress=False)
    assert outcome.folder.is_relative_to(scratch_project)
    assert outcome.status in ("built", "up to date"), outcome.error
    # the theme's search page wrote the title into <title> unescaped (book/_templates)
    search = (outcome.folder / "html" / "search.html").read_text()
    assert "Trade &amp; \u2018Partners\u2019 (東アジア), Inc. edition</title>" in search
    handler = functools.partial(QuietHandler, directory=str(outcome.folder / "html"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    dialogs: list[str] = []
    page = browser.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for path in ("book/intro.html", "notebooks/gerd.html"):
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/{path}", wait_until="load")
            curled = "Trade & \u2018Partners\u2019 (東アジア), Inc."  # as the pages curl it
            assert curled in page.title()
            assert f"Region edition: {curled}" in page.inner_text("body")
        prose = page.inner_text("main").replace("\u2018", "'").replace("\u2019", "'")
        assert name in prose, "the name shows as text in the chapter (quotes may be curled)"
    finally:
        httpd.shutdown()
    assert not dialogs


def test_phone_viewport_has_no_horizontal_overflow(html, server, browser):
    page = browser.new_page(viewport={"width": 375, "height": 800}, is_mobile=True)
    for path in _pages(html):
        page.goto(f"{server}/{path}", wait_until="load")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} overflows a phone screen by {overflow}px"
        page.wait_for_function("[...document.images].every(i => i.complete)")
        squashed = page.evaluate("""[...document.querySelectorAll('figure img')]
            .filter(i => i.naturalWidth > 0)
            .filter(i => {const shown = i.clientHeight / i.clientWidth;
                          const real = i.naturalHeight / i.naturalWidth;
                          return Math.abs(shown - real) > 0.02 * real;})
            .map(i => i.src)""")
        assert not squashed, f"{path}: figures drawn out of proportion on a phone: {squashed}"
    page.goto(f"{server}/notebooks/gerd.html", wait_until="load")
    page.screenshot(path=str(ARTIFACTS / "phone-gerd.png"))


def test_the_key_findings_read_as_cards_on_a_phone_and_as_a_table_on_a_desktop(server,
                                                                              browser):
    page = browser.new_page(viewport={"width": 360, "height": 740}, is_mobile=True)
    page.goto(f"{server}/book/intro.html", wait_until="load")
    table = ".scicollab-stacked table"
    # no sideways scrolling inside the table's box: each row is a card as wide as the text
    width, box = page.evaluate(f"""[document.querySelector('{table}').scrollWidth,
        document.querySelector('{table}').parentElement.clientWidth]""")
    assert width <= box + 1, f"the findings table is {width}px wide in a {box}px box"
    labels = page.evaluate(f"""(() => {{
        const t = document.querySelector('{table}');
        const names = [...t.tHead.rows[0].cells].map(c => c.textContent.trim());
        return [...t.tBodies[0].rows].map(r => [...r.cells].map(
            (c, i) => [c.getAttribute('data-label'), names[i],
                       getComputedStyle(c, '::before').content]));
    }})()""")
    assert len(labels) >= 8
    for row in labels:
        assert [label for label, _, _ in row] == [name for _, name, _ in row]
        assert all(shown == f'"{name}"' for _, name, shown in row), row
    assert [n for _, n, _ in labels[0]] == ["Claim", "Verdict", "Key number", "Tested in"]
    page.screenshot(path=str(ARTIFACTS / "phone-findings.png"))
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.evaluate(f"getComputedStyle(document.querySelector('{table} thead')).display"
                         ) == "table-header-group"
    assert page.evaluate(f"""getComputedStyle(
        document.querySelector('{table} tbody td'), '::before').content""") == "none"


def test_a_figure_wider_than_a_phone_says_so_and_the_line_goes_when_it_fits(html, server,
                                                                            browser):
    page = browser.new_page(viewport={"width": 360, "height": 740}, is_mobile=True)
    page.goto(f"{server}/notebooks/gerd.html", wait_until="load")
    page.wait_for_function("[...document.images].every(i => i.complete)")
    hinted = """[...document.querySelectorAll('.bd-article figure')].map(f => [
        f.scrollWidth > f.clientWidth + 1,
        !!(f.previousElementSibling
           && f.previousElementSibling.classList.contains('scicollab-scroll-hint'))])"""
    state = page.evaluate(hinted)
    assert any(wide for wide, _ in state), "the GERD scatter is wider than a phone"
    assert all(wide == hint for wide, hint in state), state
    assert "swipe sideways" in page.inner_text(".scicollab-scroll-hint >> nth=0")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_function("document.querySelectorAll('.scicollab-scroll-hint').length === 0")
    assert not any(wide for wide, _ in page.evaluate(hinted))


def test_figure_helpers_use_only_the_colour_blind_safe_palette():
    from scicollab import figures

    allowed = {c.lower() for c in figures.OKABE_ITO.values()} | {
        figures.CONTEXT_GREY.lower(), figures.HIGHLIGHT_EDGE.lower(), figures.GRID_GREY.lower()}
    used = set(re.findall(r'"(#[0-9A-Fa-f]{6})"',
                          (paths.root() / "src/scicollab/figures.py").read_text()))
    assert {c.lower() for c in used} <= allowed
    assert {c.lower() for c in figures.INCOME_COLOURS.values()} <= allowed
