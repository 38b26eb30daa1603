"""HTML from executed chapters: the main book and every region edition are built the same way.

A build copies the book's pages into a staging folder, puts each executed chapter there as a
notebook (papermill's injected-parameters cell hidden), writes a ``_config.yml`` with execution
off, and runs Jupyter Book in this process (Sphinx, the theme and the extensions stay imported
between builds of one worker). Every build starts from an empty folder, so the same inputs
always give the same bytes; Sphinx adds no ``?v=`` checksum to the pages' links to scripts and
style sheets (see :func:`_no_asset_checksums`).
"""

from __future__ import annotations

import contextlib
import filecmp
import gc
import hashlib
import html
import io
import json
import os
import re
import shutil
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import __version__, book_config, datasets, fingerprints, fsops, gallery, paths, regions
from .chapters import catalogue
from .errors import ScicollabError
from .executor import ChapterResult
from .markdown_parsers import kept_parsers

GALLERY_PAGE = "book/regions"
KEY_CHAPTER = "gerd"
KEY_FIGURE = "gerd-proxy"
MISSING_REFERENCE = re.compile(r"undefined label|unknown document|toctree contains reference")
FAILURE = re.compile(r"WARNING|ERROR|^[\w.]*(Error|Exception|error):")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
MARKER = ".scicollab-html"  # in every HTML folder the tool builds


class BuildFailed(ScicollabError):
    """Jupyter Book could not build the HTML; names the build and its first problems."""


@dataclass(frozen=True)
class Layout:
    """What HTML to build: the main book (with the regions gallery) or a region's edition."""

    region: regions.Region
    book: bool = False
    strict: bool = True
    parameters: dict = field(default_factory=dict)
    sources: bool = False  # ship the executed notebooks (_sources/) in the site
    gallery: str = ""  # the editions index the gallery page shows (a JSON file), book only


def scan_log(text: str) -> list[str]:
    """Lines of a build log that mean the build is not clean (warnings, errors, tracebacks)."""
    return [line.strip() for line in ANSI.sub("", text).splitlines() if FAILURE.search(line)]


def jupyter_book(arguments: list[str]) -> tuple[int, str]:
    """Run the ``jupyter-book`` command in this process; its exit code and its output."""
    from jupyter_book.cli.main import main

    from . import offline

    offline.install_if_requested()
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output), \
            _ignored_as_notes(output), _no_asset_checksums(), _no_full_collections(), \
            kept_parsers():
        _collect_garbage()
        try:
            main.main(args=arguments, prog_name="jupyter-book", standalone_mode=False)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except Exception:  # the build's own error: reported in the log like the command's
            traceback.print_exc()
            code = 1
    return code, output.getvalue()


# modules a first build imports in its extensions' set-up and its first page, not on import
IMPORTED_BY_SETUP = ("jupyter_book.sphinx", "myst_nb.sphinx_ext")


def import_builder(root: Path) -> None:
    """Import what an HTML build of the project at ``root`` runs (Jupyter Book, Sphinx, its
    HTML builder and built-in extensions, every extension of the book's configuration and what
    their set-up imports) and register pybtex's plugins, as a process's first build would. A
    process that builds HTML after chapters does it in a thread of its own while they run in
    kernels (see :mod:`scicollab.scheduler`)."""
    import importlib

    from jupyter_book.cli import main  # noqa: F401 (imported for its modules)
    from jupyter_book.config import get_default_sphinx_config
    from sphinx.application import builtin_extensions
    from sphinx.builders import html  # noqa: F401

    from .sphinx_pybtex import register_pybtex_plugins

    config = book_config.read(root)
    for name in [*builtin_extensions, *get_default_sphinx_config()["extensions"],
                 *(config.get("sphinx") or {}).get("extra_extensions", []), *IMPORTED_BY_SETUP]:
        importlib.import_module(name)
    register_pybtex_plugins()


_builds = 0  # HTML builds run in this process


def _collect_garbage() -> None:
    """Collect earlier work's garbage (a chapter run's event loops) before a build; at the
    first two builds of a process, then move every object still alive (the modules imported
    before and by the first build: Sphinx, the theme, the extensions) to the collector's
    permanent generation. Scanned again at every full collection, they made a worker building
    editions spend about 0.7 s of each collecting; later work's garbage is collected as
    before."""
    global _builds
    gc.collect()
    if _builds < 2:
        gc.freeze()
    _builds += 1


NEVER = 2**31 - 1  # collections of the middle generation before a full one: never, in effect


@contextlib.contextmanager
def _no_full_collections():
    """Within the block, the garbage collector collects young objects only. A build holds
    every page's document tree while it reads them, and each full collection scanned them all:
    five per edition, a tenth to a seventh of its time. Their garbage (a document tree is
    cycles: each node holds its parent) waits for the next full collection, the one before the
    next build (:func:`_collect_garbage`): about 20 MB more at the peak of an edition's build."""
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], NEVER)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextlib.contextmanager
def _no_asset_checksums():
    """Within the block, Sphinx links scripts and style sheets without its ``?v=`` checksum.

    Sphinx 7 reads and hashes every script and style sheet a page links, for each page it
    writes (plotly.js alone is 4.6 MB, on every page with an interactive figure), and the query
    it adds depends on whether the file was already copied when the page was written, so the
    same inputs would not give the same bytes. Sphinx has no setting for it: its private
    ``_file_checksum`` is replaced (a test checks that no page's link carries a query)."""
    from sphinx.builders import html as sphinx_html

    original = sphinx_html._file_checksum
    sphinx_html._file_checksum = lambda outdir, filename: ""
    try:
        yield
    finally:
        sphinx_html._file_checksum = original


@contextlib.contextmanager
def _ignored_as_notes(output: io.StringIO):
    """Within the block, an exception Python ignores while finalizing an object (such as an
    event loop of an earlier chapter run, collected during the build, failing to close a pipe
    already closed) is written to the build's log as one note, not as a traceback that would
    read as the build's own error."""
    def note(unraisable) -> None:
        output.write(f"note: ignored while finalizing {unraisable.object!r}: "
                     f"{type(unraisable.exc_value).__name__} ({unraisable.exc_value})\n")

    previous, sys.unraisablehook = sys.unraisablehook, note
    try:
        yield
    finally:
        sys.unraisablehook = previous


def _without_page(node, page: str):
    if isinstance(node, dict):
        return {k: _without_page(v, page) for k, v in node.items()}
    if isinstance(node, list):
        return [_without_page(v, page) for v in node
                if not (isinstance(v, dict) and v.get("file") == page)]
    return node


def _only_chapters(toc, wanted: set[str], every: set[str]):
    """Drop executed pages not in ``wanted`` (and parts left empty) from a _toc.yml tree."""
    def keep(entry) -> bool:
        file = entry.get("file", "") if isinstance(entry, dict) else ""
        return not (Path(file).name in every and Path(file).name not in wanted)

    if isinstance(toc, dict):
        out = {k: _only_chapters(v, wanted, every) for k, v in toc.items()}
        if "parts" in out:
            out["parts"] = [p for p in out["parts"] if p.get("chapters")]
        return out
    if isinstance(toc, list):
        return [_only_chapters(v, wanted, every) for v in toc if keep(v)]
    return toc


def _hide_injected(source: Path, target: Path) -> None:
    """Copy an executed notebook, tagging papermill's injected-parameters cell remove-cell (a
    hard link when it is tagged already, as :func:`params.inject` tags it)."""
    import nbformat

    text = source.read_text(encoding="utf-8")
    if not _injected_shown(json.loads(text).get("cells", [])):
        fsops.link_or_copy(source, target)
        return
    notebook = nbformat.reads(text, as_version=4)
    for cell in _injected_shown(notebook.cells):
        cell.metadata["tags"] = [*cell.metadata["tags"], "remove-cell"]
    nbformat.write(notebook, target)


def _injected_shown(cells: list) -> list:
    """The injected-parameters cells not tagged remove-cell (cells as dicts)."""
    return [c for c in cells if "injected-parameters" in c.get("metadata", {}).get("tags", [])
            and "remove-cell" not in c["metadata"]["tags"]]


def static_digest(root: Path, folders: Sequence[str]) -> str:
    """sha256 over the files of the site's static folders (style sheets, scripts, images)."""
    digest = hashlib.sha256()
    for folder in folders:
        fingerprints.hash_files(digest, sorted((root / folder).rglob("*")), root)
    return digest.hexdigest()


def _config(layout: Layout, source: Path, figures: Path) -> Path:
    root = paths.root()
    config = book_config.read(root)
    shown = regions.typographic(layout.region.name)
    if not layout.book:
        config["title"] = f"{config.get('title', 'scicollab')} — {shown} edition"
    config.setdefault("execute", {})["execute_notebooks"] = "off"
    config["execute"].pop("cache", None)
    config["exclude_patterns"] = [p for p in config.get("exclude_patterns", [])
                                  if not p.startswith("notebooks/")]
    config["bibtex_bibfiles"] = [str(root / f) for f in config.get("bibtex_bibfiles", [])]
    html_options = config.setdefault("html", {})
    if html_options.get("baseurl") and not layout.book:
        html_options["baseurl"] = (html_options["baseurl"].rstrip("/")
                                   + f"/regions/{layout.region.slug}/")
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx["scicollab_figures"] = str(figures)
    sphinx["scicollab_editions"] = layout.gallery
    sphinx["html_copy_source"] = layout.sources
    sphinx["html_static_path"] = [str(root / p) for p in sphinx.get("html_static_path", [])]
    options = sphinx.setdefault("html_theme_options", {})
    options["use_download_button"] = layout.sources
    # the theme writes the title into the sidebar as HTML (Sphinx escapes it only in <title>);
    # as the logo's text, escaped, a name's "&" shows as typed there too
    options.setdefault("logo", {})["text"] = html.escape(config.get("title", "scicollab"))
    if not layout.book:
        size = gallery.describe_size(layout.region)
        options["announcement"] = html.escape(
            f"Region edition: {shown} ({size}). Every chapter was re-run for "
            "this region; the main book is the World edition.")
    target = source / "_config.yml"
    target.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return target


def _source_tree(layout: Layout, results: Sequence[ChapterResult], source: Path) -> None:
    """The book's pages with the executed chapters in place of their MyST sources."""
    root = paths.root()
    shutil.copytree(root / "book", source / "book",
                    ignore=shutil.ignore_patterns("*.bib", "_static"))
    (source / "data").symlink_to(paths.data_dir(), target_is_directory=True)
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    if not layout.book:
        toc = _without_page(toc, GALLERY_PAGE)
        (source / f"{GALLERY_PAGE}.md").unlink(missing_ok=True)
    every = set(catalogue.pages())
    toc = _only_chapters(toc, {r.chapter for r in results}, every)
    (source / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
    for result in results:
        page = source / catalogue.page(result.chapter)
        page.parent.mkdir(parents=True, exist_ok=True)
        page.with_suffix(".md").unlink(missing_ok=True)
        _hide_injected(result.notebook, page.with_suffix(".ipynb"))


def _collect(results: Sequence[ChapterResult], target: Path) -> tuple[Path, Path]:
    """Every chapter's figure files and numbers under ``target`` (hard links where possible).

    A figure two chapters save alike (the home page shows the GERD and trust chapters'
    figures) is stored once; two different files under one name stop the build."""
    figures, numbers = target / "figures", target / "numbers"
    figures.mkdir(parents=True)
    numbers.mkdir(parents=True)
    owners: dict[str, str] = {}
    for result in results:
        for item in sorted(result.figures.iterdir()):
            stored = figures / item.name
            if item.name in owners:
                if not filecmp.cmp(item, stored, shallow=False):
                    raise BuildFailed(f"chapters {owners[item.name]} and {result.chapter} "
                                      f"saved different files named {item.name}: give one of "
                                      "the figures another id")
                continue
            owners[item.name] = result.chapter
            fsops.link_or_copy(item, stored)
        fsops.link_or_copy(result.folder / "numbers.json", numbers / f"{result.chapter}.json")
    return figures, numbers


def build_html(layout: Layout, results: Sequence[ChapterResult], work: Path) -> tuple[Path, Path]:
    """Build the HTML of ``layout`` from executed chapters in the empty folder ``work``; the
    HTML folder and the folder of figure files (both inside ``work``)."""
    failed = [r for r in results if not r.ok]
    if failed:
        raise BuildFailed(failed[0].error)
    source = work / "src"
    source.mkdir(parents=True)
    figures, _ = _collect(results, work)
    _source_tree(layout, results, source)
    config = _config(layout, source, figures)
    arguments = ["build", str(source), "--keep-going", "--path-output", str(work),
                 "--config", str(config)]
    subset = {r.chapter for r in results} != set(catalogue.chapters())
    if layout.strict and not subset:
        arguments += ["-W", "-n"]
    code, log = jupyter_book(arguments)
    log_file = paths.build_dir() / "logs" / f"{'book' if layout.book else layout.region.slug}.log"
    fsops.write_atomic(log_file, log)
    problems = scan_log(log)
    if subset:
        problems = [p for p in problems if not MISSING_REFERENCE.search(p)]
    if code or (layout.strict and problems):
        what = "the book" if layout.book else f"the {layout.region.name!r} edition"
        raise BuildFailed(f"HTML build of {what} failed: "
                          + ("; ".join(problems[:3]) or f"exit code {code}")
                          + f" (log: {log_file})")
    html_dir = work / "_build" / "html"
    # Sphinx's record of the settings, for incremental builds (these are always full ones);
    # it hashes paths of this build's folder, so the same inputs would not give the same bytes
    (html_dir / ".buildinfo").unlink(missing_ok=True)
    (html_dir / MARKER).write_text("built by scicollab\n")
    return html_dir, figures


def thumbnail(png: Path, target: Path, width: int = 360) -> None:
    """A small RGB copy of a figure for the gallery's cards."""
    from PIL import Image

    with Image.open(png) as image:
        ratio = width / image.width
        image.convert("RGB").resize((width, max(1, round(image.height * ratio)))).save(
            target, optimize=True)


def edition_record(layout: Layout, results: Sequence[ChapterResult]) -> dict:
    """What ``edition.json`` says: the region, the chapters' cache keys, the digests of the
    pages and of the package's code."""
    region = layout.region
    return {"region": region.name, "slug": region.slug, "kind": region.kind,
            "members": list(region.members), "chapters": [r.chapter for r in results],
            "keys": {r.chapter: r.key for r in results}, "parameters": layout.parameters,
            "data_version": datasets.data_version(), "version": __version__,
            "pages": fingerprints.pages(), "code": fingerprints.code(), "strict": layout.strict,
            "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def assemble_edition(layout: Layout, folder: Path, results: Sequence[ChapterResult]) -> Path:
    """Build a region's edition and publish it at ``folder`` in one step: ``html/``,
    ``figures/``, ``numbers/``, ``thumb.png`` and ``edition.json``. A failure leaves the
    previous edition as it was."""
    with fsops.staged(folder.parent, folder.name) as work:
        html_dir, figures = build_html(layout, results, work / "build")
        edition = work / "edition"
        edition.mkdir()
        os.rename(html_dir, edition / "html")
        os.rename(figures, edition / "figures")
        os.rename(work / "build" / "numbers", edition / "numbers")
        key_png = edition / "figures" / f"{KEY_FIGURE}-{layout.region.slug}.png"
        if key_png.is_file():
            thumbnail(key_png, edition / "thumb.png")
        (edition / gallery.RECORD).write_text(json.dumps(
            edition_record(layout, results), indent=2, ensure_ascii=False) + "\n")
        with fsops.lock(folder.parent / fsops.LOCKS / layout.region.slug):
            gallery.check_slug(folder, layout.region)
            fsops.replace_dir(edition, folder)
    return folder
