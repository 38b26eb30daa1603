"""Checks of the built HTML site: links and anchors resolve, images have alt text from captions."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.images: list[dict[str, str | None]] = []
        self.figures: list[tuple[list[str], str]] = []  # (alt of each image, caption text)
        self._figure: tuple[list[str], list[str]] | None = None
        self._in_caption = False
        self._skip_depth = 0  # inside the caption's number ("Fig. 3") or its "#" link

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "figure":
            self._figure = ([], [])
        elif tag == "figcaption":
            self._in_caption = True
        elif tag in ("span", "a") and self._in_caption and (
                self._skip_depth or {"caption-number", "headerlink"} & set(
                    (values.get("class") or "").split())):
            self._skip_depth += 1
        if tag == "img" and self._figure is not None:
            self._figure[0].append(values.get("alt") or "")
        for key in ("id", "name"):
            if values.get(key) and (key == "id" or tag == "a"):
                self.ids.add(values[key])
        for key in ("href", "src"):
            if values.get(key) and not (tag == "link" and values.get("rel") == "preconnect"):
                self.links.append((tag, values[key]))
        if tag == "img":
            self.images.append(values)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("span", "a") and self._skip_depth:
            self._skip_depth -= 1
        elif tag == "figcaption":
            self._in_caption = False
        elif tag == "figure" and self._figure is not None:
            alts, text = self._figure
            self.figures.append((alts, " ".join("".join(text).split())))
            self._figure = None

    def handle_data(self, data: str) -> None:
        if self._in_caption and not self._skip_depth and self._figure is not None:
            self._figure[1].append(data)


@lru_cache(maxsize=512)
def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


@dataclass
class LinkReport:
    """Internal links that do not resolve, and every external link (not fetched)."""

    broken: list[str] = field(default_factory=list)
    external: set[str] = field(default_factory=set)


def check_links(html_dir: Path) -> LinkReport:
    """Resolve every href/src of every page: files must exist and #anchors must be ids there."""
    html_dir = Path(html_dir).resolve()
    _parse.cache_clear()
    report = LinkReport()
    for page_path in sorted(html_dir.rglob("*.html")):
        if "_static" in page_path.relative_to(html_dir).parts:
            continue  # theme templates (Jinja macros), not pages
        for tag, link in _parse(page_path).links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https") or link.startswith("//"):
                report.external.add(link)
                continue
            if parts.scheme in ("mailto", "javascript", "data", "tel"):
                continue
            target = page_path if not parts.path else (page_path.parent /
                                                       unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            where = f"{page_path.relative_to(html_dir)}: <{tag}> {link}"
            if not target.is_file():
                report.broken.append(f"{where} (no such file)")
                continue
            if parts.fragment and target.suffix == ".html":
                fragment = unquote(parts.fragment)
                if fragment not in _parse(target).ids:
                    report.broken.append(f"{where} (no id {fragment!r} on the page)")
    return report


class _Text(HTMLParser):
    _SKIP = frozenset({"script", "style", "pre", "code", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self._SKIP:
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._depth:
            self.parts.append(data)


def visible_text(page: Path) -> str:
    """The text a reader sees on a page: no scripts, styles or code."""
    parser = _Text()
    parser.feed(Path(page).read_text(encoding="utf-8", errors="replace"))
    return " ".join(parser.parts)


def images_without_alt(html_dir: Path, pages: str = "notebooks/*.html") -> list[str]:
    """Images in the given pages whose alt text is missing or empty."""
    missing = []
    for page_path in sorted(Path(html_dir).glob(pages)):
        for image in _parse(page_path).images:
            if not (image.get("alt") or "").strip():
                missing.append(f"{page_path.name}: {image.get('src')}")
    return missing


def write_external_report(report: LinkReport, path: Path) -> Path:
    """List the external links, one per line, sorted (they are not fetched)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{link}\n" for link in sorted(report.external)))
    return path
