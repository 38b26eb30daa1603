"""What the commands build: chapter runs, region editions, the book and the site.

Each flow checks everything it was given before any kernel starts (regions, chapters,
parameters, output folders), hands its chapters to :mod:`scicollab.scheduler`, and assembles
what they produce (:mod:`scicollab.assembly`). Leftovers of killed commands are removed first,
and reported.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import assembly, fingerprints, fsops, gallery, kernel_files, paths, regions, site_sharing
from .chapters import catalogue
from .errors import ScicollabError, UsageError
from .executor import SCREEN_DPI, Cache, ChapterFailed, ChapterResult, ChapterSpec, plan

BOOK_REGION = "World"
BOOK_RECORD = "book.json"


def runs_root() -> Path:
    """Where ``scicollab run`` writes by default: ``_build/runs/``."""
    return paths.build_dir() / "runs"


def clean_leftovers() -> list[str]:
    """Remove the staging folders of killed commands under ``_build/``; what was removed. Their
    kernels' connection folders in the temporary folder go too, unreported (the tool's own,
    outside the project: :func:`kernel_files.remove_stale`)."""
    kernel_files.remove_stale()
    build = paths.build_dir()
    removed = []
    for folder in (build, build / "cache", gallery.editions_root(), runs_root()):
        removed += [f"{folder.name}/{fsops.STAGING}/{name}" for name in fsops.clean_stale(folder)]
    return removed


def chapters_or_all(chapters: Sequence[str] | None, *, home: bool = True) -> list[str]:
    """The chapters asked for (checked), with the home page when it is a notebook and ``home``
    (a book needs its root page), or every chapter in reading order."""
    if not chapters:
        return catalogue.chapters()
    for chapter in chapters:
        catalogue.source(chapter)
    root = catalogue.toc_files()[0]
    home = [c for c, page in catalogue.pages().items() if page == root] if home else []
    return list(dict.fromkeys([*home, *chapters]))


def specs_for(region: regions.Region, chapters: Sequence[str],
              parameters: dict | None = None, dpi: int = SCREEN_DPI) -> list[ChapterSpec]:
    """Validated specs for a region's chapters (longest first, for the workers)."""
    return [plan(chapter, region, parameters, dpi)
            for chapter in catalogue.longest_first(list(chapters))]


def _copy_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, copy_function=fsops.link_or_copy)


# --------------------------------------------------------------------------- run


def run(region: regions.Region, chapters: Sequence[str] | None = None,
        parameters: dict | None = None, out: Path | None = None, *, workers: int | None = None,
        address: str | None = None, progress: bool = True) -> tuple[Path, list[ChapterResult]]:
    """Execute chapters for a region; each lands in ``out/<chapter>/`` (default
    ``_build/runs/<slug>/``), replaced whole. Returns the folder and the results there."""
    from . import scheduler

    wanted = chapters_or_all(chapters, home=False)
    specs = specs_for(region, wanted, parameters)
    out = fsops.check_writable(Path(out) if out else runs_root() / region.slug, "--out folder")
    for chapter in wanted:
        fsops.owned_or_absent(out / chapter, "run.json", f"output of chapter {chapter}")
    cache = Cache()
    outcome = scheduler.run([scheduler.Job(region.name, specs)], cache, workers=workers,
                            address=address, progress=progress)[0]
    by_chapter = {r.chapter: r for r in outcome.results}
    placed = []
    if not any(result.ok for result in by_chapter.values()):
        return out, [by_chapter[chapter] for chapter in wanted]  # no folder made for nothing
    with fsops.disk_errors(out), fsops.made_folder(out):
        for chapter in wanted:
            result = by_chapter[chapter]
            if not result.ok:
                placed.append(result)
                continue
            with fsops.staged(out, chapter) as staging:
                _copy_tree(result.folder, staging / chapter)
                target = out / chapter
                if target.exists():
                    fsops.replace_dir(staging / chapter, target)
                else:
                    os.rename(staging / chapter, target)
            placed.append(ChapterResult(chapter, region.name, result.key, target,
                                        result.seconds, result.cached))
    return out, placed


# --------------------------------------------------------------------------- editions


@dataclass
class EditionOutcome:
    """What became of one region's edition."""

    region: str
    folder: Path | None
    status: str  # built | up to date | failed
    results: list[ChapterResult]
    error: str = ""


def check_edition_names(region_list: Sequence[regions.Region]) -> None:
    """Refuse two regions with one slug, and a region whose folder holds another's edition."""
    seen: dict[str, str] = {}
    for region in region_list:
        if region.slug in seen and seen[region.slug] != region.name:
            raise UsageError(f"{region.name!r} and {seen[region.slug]!r} would share the "
                             f"folder {region.slug!r}; rename one")
        seen[region.slug] = region.name
        gallery.check_slug(gallery.edition_dir(region), region)


def _up_to_date(region: regions.Region, layout: assembly.Layout, keys: dict[str, str]) -> bool:
    try:
        record = json.loads((gallery.edition_dir(region) / gallery.RECORD).read_text())
    except (OSError, ValueError):
        return False
    return (record.get("keys") == keys and record.get("pages") == fingerprints.pages()
            and record.get("code") == fingerprints.code() and record.get("strict") == layout.strict
            and record.get("members") == list(region.members)
            and (gallery.edition_dir(region) / "html" / "index.html").is_file())


def editions(region_list: Sequence[regions.Region], chapters: Sequence[str] | None = None,
             parameters: dict | None = None, *, strict: bool = True, workers: int | None = None,
             address: str | None = None, progress: bool = True,
             here: bool | None = None) -> list[EditionOutcome]:
    """Build (or keep, when current) the edition of every region; a failed region keeps its
    previous edition and the others go on. ``here``: see :func:`scheduler.run`."""
    from . import scheduler

    wanted = chapters_or_all(chapters)
    check_edition_names(region_list)
    fsops.check_writable(gallery.editions_root(), "editions folder")
    cache = Cache()
    outcomes: dict[str, EditionOutcome] = {}
    jobs = []
    for region in region_list:
        specs = specs_for(region, wanted, parameters)
        layout = assembly.Layout(region, strict=strict, parameters=dict(parameters or {}))
        found = [cache.lookup(spec) for spec in specs]
        keys = {spec.chapter: cache.key(spec) for spec in specs}
        if all(found) and _up_to_date(region, layout, keys):
            outcomes[region.slug] = EditionOutcome(region.name, gallery.edition_dir(region),
                                                   "up to date", _in_order(found, wanted))
            continue
        jobs.append(scheduler.Job(region.name, specs, assembly.assemble_edition,
                                  (layout, gallery.edition_dir(region))))
    done = scheduler.run(jobs, cache, workers=workers, address=address, progress=progress,
                         here=here)
    for job, outcome in zip(jobs, done, strict=True):
        region = job.args[0].region
        results = _in_order(outcome.results, wanted)
        outcomes[region.slug] = (
            EditionOutcome(region.name, outcome.value, "built", results) if outcome.ok
            else EditionOutcome(region.name, None, "failed", results, outcome.error))
    return [outcomes[region.slug] for region in region_list]


def _in_order(results, wanted: Sequence[str]) -> list[ChapterResult]:
    by_chapter = {r.chapter: r for r in results if r is not None}
    return [by_chapter[c] for c in wanted if c in by_chapter]


def summary_table(outcomes: Sequence[EditionOutcome]) -> str:
    """A plain-text table: region, chapters (run/cached), the chapters' compute seconds, status."""
    rows = [("region", "chapters", "compute s", "status")]
    for o in outcomes:
        cached = sum(1 for r in o.results if r.cached)
        run = sum(1 for r in o.results if r.ok and not r.cached)
        seconds = sum(r.seconds for r in o.results)
        status = o.status if not o.error else f"{o.status}: {o.error}"
        rows.append((o.region, f"{len(o.results)} ({run} run, {cached} cached)",
                     f"{seconds:.1f}", status))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:>{widths[2]}}  {d}"
                     for a, b, c, d in rows)


# --------------------------------------------------------------------------- book


@dataclass
class BookOutcome:
    """The book's HTML folder and whether it was built now or already up to date."""

    html: Path
    status: str  # built | up to date
    results: list[ChapterResult]
    published: list[str]


def _book_key(keys: dict[str, str], editions_state: list, strict: bool, sources: bool) -> str:
    payload = {"keys": keys, "pages": fingerprints.pages(), "code": fingerprints.code(),
               "editions": editions_state, "strict": strict, "sources": sources}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def book(*, strict: bool = True, workers: int | None = None, address: str | None = None,
         progress: bool = True, sources: bool = False) -> BookOutcome:
    """Build the book (the World edition, with the Regions page and every current edition)
    into ``_build/html``, replaced in one step; nothing is done when nothing changed."""
    build = paths.build_dir()
    html = build / "html"
    # .buildinfo: the HTML of an earlier version of this tool, or of plain jupyter-book
    fsops.owned_or_absent(html, (assembly.MARKER, ".buildinfo"), "book's HTML")
    region = regions.resolve(BOOK_REGION)
    specs = specs_for(region, catalogue.chapters())
    cache = Cache()
    keys = {spec.chapter: cache.key(spec) for spec in specs}
    records = [r for r in gallery.built() if r["slug"] != region.slug]
    current = [r for r in records if gallery.is_current(r, cache)]
    state = [[r["slug"], r.get("built"), r.get("keys")] for r in current]
    key = _book_key(keys, state, strict, sources)
    try:
        if (json.loads((build / BOOK_RECORD).read_text()).get("key") == key
                and (html / "index.html").is_file()):
            return BookOutcome(html, "up to date", [], [r["slug"] for r in current])
    except (OSError, ValueError):
        pass
    from . import scheduler

    outcome = scheduler.run([scheduler.Job(region.name, specs)], cache, workers=workers,
                            address=address, progress=progress, assemble_here=True)[0]
    results = _in_order(outcome.results, catalogue.chapters())
    failed = [r for r in results if not r.ok]
    if failed:
        raise ChapterFailed(failed[0].error)
    with fsops.staged(build, "html") as work:
        index = gallery.write_index(work / "editions.json",
                                    {r["slug"]: f"../regions/{r['slug']}/index.html"
                                     for r in current},
                                    _numbers(results, gallery.KEY_NUMBERS))
        layout = assembly.Layout(region, book=True, strict=strict, sources=sources,
                                 gallery=str(index))
        scheduler.builder_imported()
        built_html, _ = assembly.build_html(layout, results, work / "build")
        drawn = site_sharing.site_figures(built_html)
        for record in current:
            site_sharing.publish_edition(Path(record["folder"]) / "html",
                                     built_html / "regions" / record["slug"], built_html, drawn)
        with fsops.lock(build / fsops.LOCKS / "html"):
            fsops.replace_dir(built_html, html)
    fsops.write_atomic(build / BOOK_RECORD, json.dumps({"key": key}) + "\n")
    return BookOutcome(html, "built", results, [r["slug"] for r in current])


def _numbers(results: Sequence[ChapterResult], name: str) -> dict:
    for result in results:
        if f"{result.chapter}.json" == name:
            return result.numbers()
    return {}


def fail_on(outcomes: Sequence[EditionOutcome]) -> None:
    """Raise for the first failed edition (after all were attempted)."""
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        raise ScicollabError(f"{len(failed)} edition(s) failed, their previous editions kept; "
                             f"first: {failed[0].region}: {failed[0].error}")


# --------------------------------------------------------------------------- economies

MIN_ARTICLES = 50  # an economy with fewer articles in NCSES S5a-2's latest year gets no edition


def economies_with_data() -> tuple[list[regions.Region], list[tuple[regions.Region, str]]]:
    """Every economy that gets an edition of its own, and the others with the reason: enough
    data means at least :data:`MIN_ARTICLES` articles in the latest year of NCSES table S5a-2
    (whole counts), the table the book's cross-country chapters rest on."""
    from . import datasets

    counts = datasets.load("publication_counts")
    year = int(counts["year"].max())
    latest = counts[counts["year"] == year].set_index("iso3")["whole"]
    ready, skipped = [], []
    for name in regions.economy_names():
        economy = regions.resolve(name)
        code = economy.members[0]
        if code not in latest.index or latest[code] != latest[code]:
            skipped.append((economy, f"no article count in NCSES S5a-2 for {year}"))
        elif latest[code] < MIN_ARTICLES:
            skipped.append((economy, f"{latest[code]:.0f} articles in {year} (NCSES S5a-2), "
                                     f"fewer than {MIN_ARTICLES}"))
        else:
            ready.append(economy)
    return ready, skipped
