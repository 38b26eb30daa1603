"""Interactive figures and maps in a real headless Chromium, on localhost only: hover, search,
maps, no request to another host, readable text on a phone, and an axe-core audit of every page."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from scicollab import paths

ARTIFACTS = paths.build_dir() / "test-artifacts"
MIN_TEXT_PX = 11
pytestmark = pytest.mark.slow


def _pages(html: Path) -> list[str]:
    pages = sorted(p.relative_to(html).as_posix() for p in (html / "notebooks").glob("*.html"))
    return [*pages, *sorted(p.relative_to(html).as_posix()
                                          for p in (html / "book").glob("*.html"))]


def _interactive_pages(html: Path) -> list[str]:
    return [p for p in _pages(html)
            if 'class="sc-interactive"' in (html / p).read_text(encoding="utf-8")]


def _ready(page) -> None:
    page.wait_for_function(
        "document.querySelectorAll('.sc-interactive').length === "
        "document.querySelectorAll('.sc-interactive.sc-ready').length", timeout=30000)


def _gerd_block(page):
    return page.locator('.sc-interactive[data-figure-id^="gerd-proxy-"]')


def test_hovering_a_point_of_the_gerd_scatter_shows_an_economy(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/notebooks/gerd.html", wait_until="load")
    _ready(page)
    block = _gerd_block(page)
    block.scroll_into_view_if_needed()
    point = block.locator(".scatterlayer .point").nth(5)
    point.hover(force=True)
    page.wait_for_selector(".hoverlayer .hovertext", timeout=10000)
    label = block.locator(".hoverlayer .hovertext").first.text_content()
    names = {row[0] for trace in json.loads(block.locator("script.sc-figure").text_content())
             ["data"] for row in trace.get("customdata") or []}
    assert any(name in label for name in names), label
    assert "GERD" in label


def _search(page, selector: str, name: str) -> list:
    """Type a name into a figure's search box; the selected points of each data trace."""
    block = page.locator(selector)
    block.locator("input[type=search]").fill(name)
    page.wait_for_function(f"document.querySelector('{selector}').dataset.found === '{name}'")
    assert name in block.locator(".sc-status").text_content()
    return page.evaluate(f"""() => document.querySelector('{selector} .sc-plot').data
        .filter(t => t.customdata).map(t => t.selectedpoints)""")


@pytest.mark.parametrize(("chapter", "figure"), [("trust", "trust-"), ("gerd", "map-share-")])
def test_searching_kenya_highlights_it(server, browser, chapter, figure):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/notebooks/{chapter}.html", wait_until="load")
    _ready(page)
    selector = f'.sc-interactive[data-figure-id^="{figure}"]'
    selected = _search(page, selector, "Kenya")
    assert sum(len(s) for s in selected) == 1  # Kenya selected, every other economy dimmed
    block = page.locator(selector)
    if figure == "trust-":
        assert "Kenya" in block.locator(".annotation-text").first.text_content()
    block.screenshot(path=str(ARTIFACTS / f"interactive-{chapter}-kenya.png"))
    block.locator("input[type=search]").fill("")
    page.wait_for_function(f"document.querySelector('{selector}').dataset.found === ''")
    cleared = page.evaluate(f"""() => document.querySelector('{selector} .sc-plot').data
        .filter(t => t.customdata).map(t => t.selectedpoints)""")
    assert all(s is None for s in cleared)


def test_a_scatter_finds_an_economy_by_another_name_and_labels_it(server, browser):
    # "South Korea" is the World Bank's "Korea, Rep."; on the GERD scatter (log axis, its
    # data in plotly's compact array encoding) the label's position came out NaN and the
    # search stopped with an error
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server}/notebooks/gerd.html", wait_until="load")
    _ready(page)
    selector = '.sc-interactive[data-figure-id^="gerd-proxy-"]'
    block = page.locator(selector)
    block.locator("input[type=search]").fill("South Korea")
    page.wait_for_function(
        f"document.querySelector('{selector}').dataset.found === 'Korea, Rep.'")
    assert "Korea, Rep. is highlighted." in block.locator(".sc-status").text_content()
    assert "Korea, Rep." in block.locator(".annotation-text").first.text_content()
    assert not errors, errors


def test_a_world_map_renders_with_country_shapes(server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/notebooks/gerd.html", wait_until="load")
    _ready(page)
    block = page.locator('.sc-interactive[data-figure-id^="map-share-"]')
    block.scroll_into_view_if_needed()
    assert block.locator("path.choroplethlocation").count() > 150
    block.screenshot(path=str(ARTIFACTS / "interactive-map-share.png"))


def test_no_page_requests_another_host(html, server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    for path in _pages(html):
        page.goto(f"{server}/{path}", wait_until="networkidle")
    hosts = {urlsplit(url).hostname for url in requested if not url.startswith("data:")}
    assert hosts == {"127.0.0.1"}, sorted(u for u in requested if "127.0.0.1" not in u)[:10]
    assert any(url.endswith("world_50m.json") for url in requested)  # shapes from the site


def test_plotly_is_loaded_once_per_site_and_only_where_needed(html):
    with_figures = set(_interactive_pages(html))
    assert len(with_figures) >= 8
    for path in _pages(html):
        text = (html / path).read_text(encoding="utf-8")
        loads = text.count("vendor/plotly.min.js")
        assert loads == (1 if path in with_figures else 0), path
    assert (html / "_static" / "vendor" / "plotly.min.js").is_file()
    assert not list(html.rglob("plotly*.js"))[1:], "one copy of plotly.js in the site"


def test_the_world_edition_shows_no_empty_inside_outside_figure(html):
    text = (html / "notebooks" / "landscape.html").read_text(encoding="utf-8")
    assert 'id="fig-landscape-links"' not in text


def _smallest_static_text(page, html: Path) -> list[tuple[str, float]]:
    """(figure id, smallest text in CSS px as shown) for every static figure on the page."""
    shown = page.evaluate("""() => [...document.querySelectorAll('figure')].map(f => {
        const img = f.querySelector('img');
        const line = f.nextElementSibling;
        const id = line && line.classList.contains('figure-files')
            ? line.querySelector('code').textContent.trim() : null;
        const drawn = parseFloat(img.style.width) || img.naturalWidth;
        return [id, img.getBoundingClientRect().width / drawn];
    })""")
    figures = html / "figures"
    result = []
    for figure_id, scale in shown:
        if figure_id is None:
            continue
        meta = json.loads((figures / f"{figure_id}.json").read_text())
        result.append((figure_id, meta["smallest_font_pt"] * 100 / 72 * scale))
    return result


def test_no_figure_text_is_smaller_than_11px_on_a_phone(html, server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 360, "height": 780}, is_mobile=True,
                            device_scale_factor=2)
    checked = 0
    for path in _pages(html):
        page.goto(f"{server}/{path}", wait_until="load")
        if page.locator(".sc-interactive").count():
            _ready(page)
        tiny = page.evaluate(f"""() => [...document.querySelectorAll('.sc-interactive svg text')]
            .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
            .map(t => [t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize)])
            .filter(([, size]) => size < {MIN_TEXT_PX})""")
        assert not tiny, f"{path}: interactive text under {MIN_TEXT_PX}px: {tiny[:5]}"
        small = [(i, round(px, 1)) for i, px in _smallest_static_text(page, html)
                 if px < MIN_TEXT_PX]
        assert not small, f"{path}: static figure text under {MIN_TEXT_PX}px: {small}"
        # a figure, an interactive card, and the plot drawn inside the card (plotly sizes it
        # after the card, so it could reach past the card's edge while the card fits)
        wide = page.evaluate("""() => [...document.querySelectorAll(
                'figure, .sc-interactive, .sc-interactive .main-svg')]
            .filter(f => f.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .map(f => f.id || (f.closest('.sc-interactive') || f).dataset.figureId)""")
        assert not wide, f"{path}: figures wider than the phone screen: {wide}"
        checked += page.locator("figure").count()
    assert checked >= 20
    page.goto(f"{server}/notebooks/data_gaps.html", wait_until="load")
    _ready(page)
    page.locator("#fig-gaps-coverage").screenshot(path=str(ARTIFACTS / "phone-gaps.png"))
    page.locator(".sc-interactive").first.screenshot(path=str(ARTIFACTS / "phone-map.png"))


def test_axe_finds_no_serious_or_critical_violation_on_any_page(html, server, browser):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    found = []
    for path in _pages(html):
        page.goto(f"{server}/{path}", wait_until="load")
        if page.locator(".sc-interactive").count():
            _ready(page)
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in violation["nodes"]][:3]
                found.append(f"{path}: {violation['id']} ({violation['impact']}) {targets}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "axe.txt").write_text("\n".join(found) + "\n")
    assert not found, "\n".join(found[:20])
