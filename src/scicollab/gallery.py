"""The region editions on disk, whether each is current, and the Regions page that offers them.

An edition lives in ``_build/regions/<slug>/`` with its ``edition.json``: the region, its
members, the cache key of every chapter and the digest of the book's pages. It is *current*
when a build now would reuse every chapter and page. The book build writes an index of the
editions it publishes (:func:`write_index`); the Sphinx directive ``regions-gallery`` (this
module is a Sphinx extension) turns it into sphinx-design cards for the named regions and a
searchable table of economies. Every name reaches the page as a text node, escaped by Sphinx;
a card or row links to an edition only when that edition is published with the site and
current.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

from docutils import nodes

from . import fingerprints, paths, regions
from .errors import UsageError

RECORD = "edition.json"
KEY_NUMBERS = "gerd.json"
STALE_NOTE = "Out of date: this book's data, code or chapters changed since it was built."


def editions_root() -> Path:
    """Where region editions are built: ``_build/regions/``."""
    return paths.build_dir() / "regions"


def edition_dir(region: regions.Region) -> Path:
    """The folder of a region's edition."""
    return editions_root() / region.slug


def built() -> list[dict]:
    """The record of every built edition (with its ``folder``), named regions first in the
    catalogue's order, then the others by slug."""
    base = editions_root()
    if not base.is_dir():
        return []
    order = {regions.slugify(n): i for i, n in enumerate(regions.names())}
    found = []
    for path in sorted(base.glob(f"*/{RECORD}")):
        try:
            record = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        record["folder"] = str(path.parent)
        found.append(record)
    return sorted(found, key=lambda r: (order.get(r.get("slug"), len(order)), r.get("slug", "")))


def check_slug(folder: Path, region: regions.Region) -> None:
    """Refuse to put ``region``'s edition where another region's edition lives (two names
    with the same slug, e.g. 'Nordic A' and 'nordic-a')."""
    try:
        owner = json.loads((folder / RECORD).read_text()).get("region")
    except (OSError, ValueError):
        return
    if owner and owner != region.name:
        raise UsageError(f"the name {region.name!r} gives the folder {folder.name!r}, which "
                         f"holds the edition of {owner!r}; choose another name (or remove "
                         f"{folder} to replace that edition)")


def is_current(record: dict, cache=None) -> bool:
    """True when a build now would reuse every chapter of this edition and its pages: same
    data, package code, chapter sources, region members and parameters."""
    from .errors import ScicollabError
    from .executor import Cache, ChapterSpec

    try:
        cache = cache or Cache()
        region = regions.Region(record["region"], record.get("kind", "custom"),
                                tuple(record["members"]))
        parameters = record.get("parameters", {})
        keys = {c: cache.key(ChapterSpec(c, region, parameters)) for c in record["chapters"]}
    except (ScicollabError, KeyError, TypeError):
        return False
    html_ok = (Path(record.get("folder", "")) / "html" / "index.html").is_file()
    return keys == record.get("keys") and record.get("pages") == fingerprints.pages() and html_ok


def headline(numbers: dict) -> list[str]:
    """A card's lines from the GERD chapter's numbers of a region."""
    lines = []
    if numbers.get("gerd_region_n") is not None:
        lines.append(f"{numbers['gerd_region_n']} with R&D and publication data")
    median = numbers.get("gerd_region_median")
    if isinstance(median, int | float):
        lines.append(f"median foreign share of credit {median:z.1f}%")
        rank = numbers.get("gerd_region_rank")
        if isinstance(rank, int):
            lines.append(f"ranks {rank} of {numbers.get('gerd_regions_ranked')} named regions")
    return lines


def _numbers(folder: Path) -> dict:
    try:
        return json.loads((folder / "numbers" / KEY_NUMBERS).read_text())
    except (OSError, ValueError):
        return {}


def _thumb(folder: Path) -> str:
    path = folder / "thumb.png"
    if not path.is_file():
        return ""
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()


def index(published: dict[str, str], book_numbers: dict | None = None) -> dict:
    """The gallery's content: a card per named region and a row per economy. ``published``
    maps the slug of each edition published with the site to its link from the Regions page."""
    records = {r["slug"]: r for r in built()}
    cards = []
    for name in regions.names():
        region = regions.resolve(name)
        record = records.get(region.slug)
        card = {"name": region.name, "size": describe_size(region), "link": None,
                "lines": [], "thumb": "", "stamp": "", "stale": False}
        if region.is_world and book_numbers is not None:
            card.update(link="../index.html", lines=headline(book_numbers),
                        stamp="the main book")
        elif record is not None:
            folder = Path(record["folder"])
            card.update(link=published.get(region.slug), lines=headline(_numbers(folder)),
                        thumb=_thumb(folder), stale=region.slug not in published,
                        stamp=f"data {record.get('data_version', '')}, built "
                              f"{record.get('built', '')}")
        cards.append(card)
    named = {regions.slugify(n) for n in regions.names()}
    custom = [{"name": r["region"], "size": describe_size(regions.Region(
                  r["region"], "custom", tuple(r["members"]))),
               "link": published.get(r["slug"]), "lines": headline(_numbers(Path(r["folder"]))),
               "thumb": _thumb(Path(r["folder"])), "stale": r["slug"] not in published,
               "stamp": f"data {r.get('data_version', '')}, built {r.get('built', '')}"}
              for r in records.values() if r["slug"] not in named and r.get("kind") == "custom"]
    economies = [{"name": name, "iso3": economy.members[0], "about": economy.description,
                  "link": published.get(economy.slug)}
                  for name in regions.economy_names()
                  for economy in [regions.resolve(name)]]
    return {"cards": cards + custom, "economies": economies}


def describe_size(region: regions.Region) -> str:
    """'1 economy', '27 economies'."""
    size = len(region.members)
    return "1 economy" if size == 1 else f"{size:,} economies"


def write_index(path: Path, published: dict[str, str], book_numbers: dict | None) -> Path:
    """Write the gallery's index (JSON) for the Regions page."""
    path.write_text(json.dumps(index(published, book_numbers), indent=1, ensure_ascii=False))
    return path


# --------------------------------------------------------------------------- Sphinx directive


def _text(text: str, classes: list[str] | None = None) -> nodes.inline:
    """Text shown exactly as given (no typographic quotes: names keep their apostrophes)."""
    return nodes.inline(text=text, classes=classes or [], support_smartquotes=False)


def _link_or_text(label: str, link: str | None) -> nodes.Node:
    name = nodes.strong(support_smartquotes=False)
    name += nodes.Text(label)
    if not link:
        return name
    reference = nodes.reference("", "", refuri=link, internal=False)
    reference += name
    return reference


def _card(card: dict) -> nodes.container:
    body = nodes.container(is_div=True, classes=["sd-card-body"])
    title = nodes.paragraph(classes=["sd-card-title", "sd-font-weight-bold"])
    title += _link_or_text(card["name"], card["link"])
    body += title
    if card.get("thumb"):
        body += nodes.image(uri=card["thumb"], alt=f"Key figure of the {card['name']} edition: "
                            "R&D spending and the foreign share of credit",
                            classes=["scicollab-thumb"])
    lines = nodes.paragraph(classes=["sd-card-text"])
    for i, line in enumerate([card["size"], *card["lines"]]):
        if i:
            lines += nodes.raw("", "<br>", format="html")
        lines += _text(line)
    body += lines
    if card.get("stale"):
        body += nodes.paragraph(text=STALE_NOTE if card["stamp"] else "", classes=["sd-card-text"])
    if not card.get("link") and not card.get("stamp"):
        body += nodes.paragraph(text="Edition not built yet.", classes=["sd-card-text"])
    if card.get("stamp"):
        body += nodes.paragraph(text=card["stamp"], classes=["sd-card-text", "scicollab-stamp"])
    outer = nodes.container(is_div=True, classes=["sd-card", "sd-sphinx-override", "sd-mb-3",
                                                  "sd-shadow-sm", "sd-w-100"])
    outer += body
    column = nodes.container(is_div=True, classes=["sd-col", "sd-d-flex-row"])
    column += outer
    return column


def _economies_table(rows: list[dict]) -> list[nodes.Node]:
    search = nodes.raw("", '<p><label>Find an economy: <input type="search" '
                       'class="scicollab-filter" data-target="scicollab-economies" '
                       'placeholder="e.g. Kenya or KEN"></label></p>', format="html")
    table = nodes.table(classes=["scicollab-economies"])
    group = nodes.tgroup(cols=3)
    table += group
    for width in (4, 1, 5):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    header = nodes.row()
    for label in ("Economy", "ISO3", "Income group; World Bank region"):
        entry = nodes.entry()
        entry += nodes.paragraph(text=label)
        header += entry
    head += header
    group += head
    body = nodes.tbody()
    for row in rows:
        line = nodes.row()
        for index, value in enumerate((row["name"], row["iso3"], row["about"])):
            entry = nodes.entry()
            paragraph = nodes.paragraph()
            paragraph += _link_or_text(value, row["link"]) if index == 0 else _text(value)
            entry += paragraph
            line += entry
        body += line
    group += body
    scroll = nodes.container(is_div=True, classes=["scicollab-scroll"])
    scroll += table
    return [search, scroll]


def _gallery_nodes(data: dict) -> list[nodes.Node]:
    grid = nodes.container(is_div=True, classes=["sd-container-fluid", "sd-sphinx-override",
                                                 "sd-mb-4", "scicollab-gallery"])
    row = nodes.container(is_div=True, classes=["sd-row", "sd-row-cols-1", "sd-row-cols-xs-1",
                                   "sd-row-cols-sm-2", "sd-row-cols-md-3", "sd-row-cols-lg-3",
                                   "sd-g-2"])
    grid += row
    for card in data.get("cards", []):
        row += _card(card)
    linked = sum(1 for row in data.get("economies", []) if row["link"])
    intro = nodes.paragraph()
    intro += nodes.Text(f"Every economy can be a region of its own. {linked:,} of "
                        f"{len(data.get('economies', [])):,} economies have an edition "
                        "published with this site; the others can be built with ")
    intro += nodes.literal(text="scicollab region build NAME")
    intro += nodes.Text(".")
    return [grid, intro, *_economies_table(data.get("economies", []))]


def _directive():
    from sphinx.util.docutils import SphinxDirective

    class RegionsGallery(SphinxDirective):
        """``regions-gallery``: cards of the named regions and the table of economies."""

        def run(self) -> list[nodes.Node]:
            source = self.env.config.scicollab_editions
            if not source or not Path(source).is_file():
                return [nodes.paragraph(text="No region edition is published with this build "
                                             "of the book.")]
            self.env.note_dependency(source)
            return _gallery_nodes(json.loads(Path(source).read_text()))

    return RegionsGallery


def setup(app) -> dict[str, object]:
    """Register the ``regions-gallery`` directive with Sphinx."""
    app.add_config_value("scicollab_editions", "", "env", str)
    app.add_directive("regions-gallery", _directive())
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
