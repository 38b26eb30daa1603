"""Region editions: every chapter executed for a region (cached, in parallel) and built as HTML.

Layout under ``_build/regions/``:

- ``.cache/<chapter>-<key>/``: one executed chapter (``<chapter>.ipynb``, ``figures/``,
  ``numbers/``, ``run.json``), keyed on the notebook source, the region and its members, the
  parameters and :func:`scicollab.book.fingerprint` (data version, package version and code).
  An unchanged chapter is never executed twice; a changed one re-executes alone.
- ``<slug>/``: the published edition (``html/``, ``notebooks/``, ``figures/``, ``numbers/``,
  ``edition.json``, ``thumb.png``). It is assembled in a unique folder under ``.staging/`` and
  swapped into place atomically under a per-region lock, so concurrent builds never mix their
  files and a failed or interrupted build leaves the previous edition untouched.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import ctypes.util
import fcntl
import hashlib
import html as html_lib
import json
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from . import __version__, datasets, envvars, paths, regions, runner
from .chapters import catalogue
from .errors import ScicollabError

CACHE_VERSION = "1"
PRINT_DPI = 300
KEY_CHAPTER = "gerd"
KEY_FIGURE = "gerd-proxy"
GALLERY_PAGE = "book/regions"
# Top-level folders the edition's book root does not link to the repository's (it has its own
# book/ and notebooks/; the others hold no page content).
_OWN = {"book", "notebooks", "src", "tests", "benchmarks"}
_MISSING_REFERENCE = re.compile(r"undefined label|unknown document|toctree contains reference")

# Runs in every kernel before the notebook (IPython profile startup file): figures are saved
# at print resolution, and a custom region given on the command line resolves by its name.
_STARTUP = f'''\
import json as _json
import os as _os

import scicollab.figures as _figures
import scicollab.regions as _regions

_figures.STYLE["savefig.dpi"] = {PRINT_DPI}
_extra = _json.loads(_os.environ.get("SCICOLLAB_EXTRA_REGIONS") or "[]")
if _extra:
    _original_resolve = _regions.resolve
    _known = {{e["name"].casefold(): _regions.Region(e["name"], "custom", tuple(e["members"]),
                                                   e.get("description", "")) for e in _extra}}

    def _resolve(name):
        found = _known.get(str(name).strip().casefold())
        return found if found is not None else _original_resolve(name)

    _regions.resolve = _resolve
'''


class EditionFailed(runner.ChapterFailed):
    """A region edition could not be built; names the region, the chapter and the error."""


@dataclass
class ChapterResult:
    """One chapter of an edition: where its executed files are and how it got them."""

    chapter: str
    key: str
    folder: Path
    cached: bool
    seconds: float = 0.0
    error: str = ""


@dataclass
class EditionResult:
    """The outcome of building one region's edition."""

    region: str
    slug: str
    chapters: list[ChapterResult] = field(default_factory=list)
    seconds: float = 0.0  # from the start of the run until this edition was done
    status: str = "ok"
    folder: Path | None = None

    @property
    def executed(self) -> int:
        """Chapters executed in this run (cache misses)."""
        return sum(1 for c in self.chapters if not c.cached and not c.error)

    @property
    def compute_seconds(self) -> float:
        """The chapters' own execution time (from the cache record, cached or not)."""
        return sum(c.seconds for c in self.chapters)


# --------------------------------------------------------------------------- regions


def region_from_args(name: str | None, countries: str | None) -> regions.Region:
    """A named region, or a custom one from ISO3 codes (validated; unknown codes listed)."""
    if countries:
        if not name:
            raise ScicollabError("a custom region needs a name: --countries USA,CAN --name 'X'")
        region = regions.custom(countries, name)
        taken = {regions.slugify(n) for n in regions.names()}
        if region.slug in taken:
            raise ScicollabError(f"custom region name {name!r} gives the slug {region.slug!r}, "
                                 "which a named region already uses; choose another name")
        return region
    if not name:
        raise ScicollabError("give a region name, --countries with --name, or --all")
    return regions.resolve(name)


def _extra_regions(region: regions.Region) -> str:
    if region.kind == "custom" and region.name not in regions.names():
        return json.dumps([{"name": region.name, "members": list(region.members),
                            "description": region.description}])
    return "[]"


# --------------------------------------------------------------------------- folders


def root() -> Path:
    """Where editions, the chapter cache and staging folders live."""
    return runner.regions_dir()


def cache_dir() -> Path:
    """The executed-chapter cache."""
    return root() / ".cache"


def edition_dir(slug: str) -> Path:
    """The published edition of a region."""
    regions.check_name(slug)
    return root() / slug


def _staging(prefix: str) -> Path:
    folder = root() / ".staging"
    folder.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}-", dir=folder))


@contextlib.contextmanager
def _lock(name: str) -> Iterator[None]:
    folder = root() / ".locks"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False when unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def replace_dir(new: Path, target: Path) -> None:
    """Put folder ``new`` at ``target`` atomically; the previous ``target`` is removed after."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)
        return
    old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------- cache keys


def chapter_key(chapter: str, region: regions.Region, parameters: dict[str, object],
                code: str) -> str:
    """sha256 of everything an executed chapter depends on."""
    digest = hashlib.sha256()
    payload = {"cache": CACHE_VERSION, "chapter": chapter, "region": region.name,
               "members": list(region.members), "parameters": parameters, "code": code,
               "dpi": PRINT_DPI}
    digest.update(json.dumps(payload, sort_keys=True, default=str).encode())
    digest.update(catalogue.source(chapter).read_bytes())
    return digest.hexdigest()


def code_fingerprint() -> str:
    """Data version, package version and package code (see :func:`scicollab.book.fingerprint`)."""
    from . import book

    return book.fingerprint()


def cache_folder_name(chapter: str, key: str) -> str:
    """The name of an executed chapter's cache folder."""
    return f"{chapter}-{key[:20]}"


def cached_chapter(chapter: str, key: str) -> Path | None:
    """The cache folder of an executed chapter, or None on a miss."""
    folder = cache_dir() / cache_folder_name(chapter, key)
    return folder if (folder / "run.json").is_file() else None


# --------------------------------------------------------------------------- worker jobs


def _startup_dir() -> Path:
    """An IPython directory whose profile startup file the kernels run."""
    folder = root() / ".ipython"
    startup = folder / "profile_default" / "startup"
    target = startup / "00-scicollab-editions.py"
    if not target.is_file() or target.read_text() != _STARTUP:
        startup.mkdir(parents=True, exist_ok=True)
        tmp = startup / f".{uuid.uuid4().hex}.tmp"
        tmp.write_text(_STARTUP)
        os.replace(tmp, target)
    return folder


_WORKER_KERNEL: runner.WarmKernel | None = None
_RC_SNAPSHOT: dict | None = None
_ORIGINAL_RESOLVE = regions.resolve


def kernel_prepare(figures: str, numbers: str, extra: str, dpi: int = PRINT_DPI) -> None:
    """Run in a warm kernel before each chapter: empty namespace, fresh figure state, outputs
    to this chapter's folders, print resolution, and the custom region (if any) resolvable."""
    import matplotlib
    import matplotlib.pyplot as plt
    from IPython import get_ipython

    from . import figures as figure_module

    global _RC_SNAPSHOT
    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=False)
    plt.close("all")
    if _RC_SNAPSHOT is None:
        _RC_SNAPSHOT = dict(matplotlib.rcParams)
    else:
        matplotlib.rcParams.update(_RC_SNAPSHOT)
    os.environ["SCICOLLAB_FIGURES"] = figures
    os.environ["SCICOLLAB_NUMBERS"] = numbers
    figure_module.STYLE["savefig.dpi"] = dpi
    known = {e["name"].casefold(): regions.Region(e["name"], "custom", tuple(e["members"]),
                                                  e.get("description", ""))
             for e in json.loads(extra or "[]")}

    def resolve(name: str) -> regions.Region:
        found = known.get(str(name).strip().casefold())
        return found if found is not None else _ORIGINAL_RESOLVE(name)

    regions.resolve = resolve if known else _ORIGINAL_RESOLVE


def _kernel() -> runner.WarmKernel:
    """This worker process's warm kernel (started on first use, stopped at exit)."""
    global _WORKER_KERNEL
    if _WORKER_KERNEL is None:  # it restarts by itself if its kernel died
        import multiprocessing.util

        _WORKER_KERNEL = runner.WarmKernel()
        multiprocessing.util.Finalize(None, _WORKER_KERNEL.shutdown, exitpriority=10)
        import atexit

        atexit.register(_WORKER_KERNEL.shutdown)
    return _WORKER_KERNEL


def _setup_code(region: regions.Region) -> str:
    return ("from scicollab.editions import kernel_prepare as _prepare\n"
            f"_prepare(@FIGURES@, @NUMBERS@, {_extra_regions(region)!r}, {PRINT_DPI})\n")


def execute_chapter(chapter: str, region: regions.Region, parameters: dict[str, object],
                    key: str, warm: bool = True) -> ChapterResult:
    """Execute one chapter into the cache (staged, then renamed); reports a failure, no raise."""
    final = cache_dir() / cache_folder_name(chapter, key)
    if (final / "run.json").is_file():
        return ChapterResult(chapter, key, final, True,
                             json.loads((final / "run.json").read_text())["seconds"])
    cache_dir().mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{chapter}-", dir=cache_dir()))
    # a fresh papermill kernel reads these at start-up; a warm one gets them in its setup code
    startup = {} if warm else {"IPYTHONDIR": str(_startup_dir()),
                               "SCICOLLAB_EXTRA_REGIONS": _extra_regions(region)}
    start = time.perf_counter()
    try:
        with envvars.temporarily(startup):
            if warm:
                runner.run_chapter(chapter, region, work, parameters, kernel=_kernel(),
                                   setup=_setup_code(region))
            else:
                runner.run_chapter(chapter, region, work, parameters)
        seconds = time.perf_counter() - start
        (work / "run.json").write_text(json.dumps(
            {"chapter": chapter, "region": region.name, "key": key, "seconds": seconds,
             "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}, indent=2) + "\n")
        try:
            os.rename(work, final)
        except OSError:  # another build cached the same chapter first: keep theirs
            shutil.rmtree(work, ignore_errors=True)
        return ChapterResult(chapter, key, final, False, seconds)
    except runner.ChapterFailed as exc:
        shutil.rmtree(work, ignore_errors=True)
        return ChapterResult(chapter, key, final, False, time.perf_counter() - start, str(exc))
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _book_config(region: regions.Region, staging_book: Path, figures: Path) -> Path:
    config = yaml.safe_load((paths.root() / "_config.yml").read_text())
    title = config.get("title", "scicollab")
    config["title"] = f"{title} — {region.name} edition"
    config.setdefault("execute", {})["execute_notebooks"] = "off"
    config["execute"].pop("cache", None)
    config["exclude_patterns"] = [p for p in config.get("exclude_patterns", [])
                                  if not p.startswith("notebooks/")]
    config["bibtex_bibfiles"] = [str(paths.root() / f) for f in config.get("bibtex_bibfiles", [])]
    html = config.setdefault("html", {})
    if html.get("baseurl"):
        html["baseurl"] = html["baseurl"].rstrip("/") + f"/regions/{region.slug}/"
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx["scicollab_figures"] = str(figures)
    options = sphinx.setdefault("html_theme_options", {})
    size = len(region.members)
    options["announcement"] = html_lib.escape(
        f"Region edition: {region.name} ({size} economies). Every chapter was re-run for "
        "this region; the main book is the World edition.")
    target = staging_book / "_config.yml"
    target.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return target


def _without_gallery(node):
    if isinstance(node, dict):
        return {k: _without_gallery(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_without_gallery(v) for v in node
                if not (isinstance(v, dict) and v.get("file") == GALLERY_PAGE)]
    return node


def _thumbnail(png: Path, target: Path, width: int = 360) -> None:
    from PIL import Image

    with Image.open(png) as image:
        ratio = width / image.width
        image.convert("RGB").resize((width, max(1, round(image.height * ratio)))).save(
            target, optimize=True)


def assemble_edition(region: regions.Region, chapters: list[tuple[str, str]],
                     strict: bool = True, parameters: dict[str, object] | None = None) -> Path:
    """Build the HTML edition from cached chapters and publish it atomically; returns its folder.

    ``chapters`` pairs each chapter id with its cache folder, in reading order; ``parameters``
    are the chapters' extra parameters, recorded so that staleness can be judged later.
    """
    staging = _staging(region.slug)
    try:
        book_root = staging / "book"
        edition = staging / "edition"
        (book_root / "notebooks").mkdir(parents=True)
        for folder in ("notebooks", "figures", "numbers"):
            (edition / folder).mkdir(parents=True)
        shutil.copytree(paths.root() / "book", book_root / "book",
                        ignore=shutil.ignore_patterns("regions.md", "*.bib"))
        for item in sorted(paths.root().iterdir()):
            if item.is_dir() and not item.name.startswith((".", "_")) and item.name not in _OWN:
                (book_root / item.name).symlink_to(item, target_is_directory=True)
        toc = _without_gallery(yaml.safe_load((paths.root() / "_toc.yml").read_text()))
        wanted = {c for c, _ in chapters}
        toc = _only_chapters(toc, wanted)
        (book_root / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
        config = _book_config(region, book_root, edition / "figures")
        for chapter, folder in chapters:
            source = Path(folder)
            _hide_injected(source / f"{chapter}.ipynb",
                           book_root / "notebooks" / f"{chapter}.ipynb")
            shutil.copy2(source / f"{chapter}.ipynb", edition / "notebooks" / f"{chapter}.ipynb")
            for item in sorted((source / "figures").glob("*")):
                shutil.copy2(item, edition / "figures" / item.name)
            for item in sorted((source / "numbers").glob("*")):
                shutil.copy2(item, edition / "numbers" / item.name)
        arguments = ["build", str(book_root), "--keep-going", "--path-output", str(staging),
                     "--config", str(config)]
        # A subset of chapters leaves cross-references to the other chapters unresolved:
        # those warnings are expected then, every other warning still fails the build.
        subset = {c for c, _ in chapters} != set(catalogue.chapters())
        if strict and not subset:
            arguments += ["-W", "-n"]
        code, log = jupyter_book(arguments)
        from . import book

        (edition / "build.log").write_text(log)
        problems = book.scan_log(log)
        if subset:
            problems = [p for p in problems if not _MISSING_REFERENCE.search(p)]
        if code or (strict and problems):
            raise EditionFailed(f"HTML build of the {region.name!r} edition failed: "
                                + ("; ".join(problems[:5]) or f"exit code {code}"))
        os.rename(staging / "_build" / "html", edition / "html")
        key_png = edition / "figures" / f"{KEY_FIGURE}-{region.slug}.png"
        if key_png.is_file():
            _thumbnail(key_png, edition / "thumb.png")
        (edition / "edition.json").write_text(json.dumps({
            "region": region.name, "slug": region.slug, "kind": region.kind,
            "members": list(region.members), "chapters": [c for c, _ in chapters],
            "keys": {c: Path(f).name for c, f in chapters}, "parameters": parameters or {},
            "data_version": datasets.data_version(), "version": __version__,
            "pages": pages_fingerprint(), "strict": strict,
            "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
            indent=2, ensure_ascii=False) + "\n")
        target = edition_dir(region.slug)
        with _lock(region.slug):
            replace_dir(edition, target)
        _touch_gallery()
        return target
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def jupyter_book(arguments: list[str]) -> tuple[int, str]:
    """Run the ``jupyter-book`` command in this process; its exit code and its output.

    A worker process assembles edition after edition: run in-process, Sphinx, the theme and
    the extensions are imported once per worker rather than once per edition.
    """
    import io
    import traceback

    from jupyter_book.cli.main import main

    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        try:
            main.main(args=arguments, prog_name="jupyter-book", standalone_mode=False)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except Exception:  # the build's own error: reported in the log like the command's
            traceback.print_exc()
            code = 1
    return code, output.getvalue()


def pages_fingerprint() -> str:
    """sha256 of what the HTML of an edition depends on besides the executed chapters."""
    digest = hashlib.sha256(CACHE_VERSION.encode())
    from . import book

    files = [paths.root() / "_config.yml", paths.root() / "_toc.yml",
             *sorted((paths.root() / "book").rglob("*"))]
    book.hash_files(digest, files, paths.root())
    digest.update(code_fingerprint().encode())
    return digest.hexdigest()


def _up_to_date(region: regions.Region, chapters: list[ChapterResult], strict: bool) -> bool:
    """True when the published edition was built from exactly these chapters and pages."""
    info_path = edition_dir(region.slug) / "edition.json"
    try:
        info = json.loads(info_path.read_text())
    except (OSError, ValueError):
        return False
    return (info.get("keys") == {c.chapter: c.folder.name for c in chapters}
            and info.get("pages") == pages_fingerprint() and info.get("strict") == strict
            and info.get("members") == list(region.members)
            and (info_path.parent / "html" / "index.html").is_file())


def _hide_injected(source: Path, target: Path) -> None:
    """Copy an executed notebook, tagging papermill's injected-parameters cell remove-cell."""
    import nbformat

    notebook = nbformat.read(source, as_version=4)
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            cell.metadata["tags"] = [*tags, "remove-cell"]
    nbformat.write(notebook, target)


def _only_chapters(toc, wanted: set[str]):
    """Drop notebook chapters not in ``wanted`` (and parts left empty) from a _toc.yml tree."""
    def keep(entry) -> bool:
        file = entry.get("file", "") if isinstance(entry, dict) else ""
        return not (file.startswith("notebooks/") and Path(file).stem not in wanted)

    if isinstance(toc, dict):
        out = {}
        for k, v in toc.items():
            out[k] = _only_chapters(v, wanted)
        if "parts" in out:
            out["parts"] = [p for p in out["parts"] if p.get("chapters")]
        return out
    if isinstance(toc, list):
        return [_only_chapters(v, wanted) for v in toc if keep(v)]
    return toc


def _touch_gallery() -> None:
    """Mark the gallery page changed so the next main build re-reads (and re-executes) it."""
    page = paths.root() / f"{GALLERY_PAGE}.md"
    if page.is_file():
        with contextlib.suppress(OSError):
            os.utime(page)


# --------------------------------------------------------------------------- scheduler


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=max(1, workers),
                               mp_context=multiprocessing.get_context("fork"))


def build_editions(region_list: Sequence[regions.Region], chapters: Sequence[str] | None = None,
                   parameters: dict[str, object] | None = None, *, workers: int = 2,
                   html: bool = True, strict: bool = True, progress: bool = True,
                   on_event: Callable[[str, str], None] | None = None) -> list[EditionResult]:
    """Build editions for several regions at once: cached chapters re-used, the rest executed
    in ``workers`` processes, then each region's HTML built and published atomically."""
    parameters = dict(parameters or {})
    wanted = list(chapters) if chapters else catalogue.chapters()
    for chapter in wanted:
        catalogue.source(chapter)
    for region in region_list:
        for chapter in wanted:
            catalogue.check_parameters(chapter, {"region": region.name, **parameters})
    code = code_fingerprint()
    results = {r.slug: EditionResult(r.name, r.slug) for r in region_list}
    by_slug = {r.slug: r for r in region_list}
    starts = {r.slug: time.perf_counter() for r in region_list}
    bars = _bars(region_list, len(wanted), progress)
    pending: dict[Future, tuple[str, str]] = {}
    chapter_state: dict[str, dict[str, ChapterResult]] = {r.slug: {} for r in region_list}

    def finished_chapter(slug: str, done: ChapterResult) -> None:
        chapter_state[slug][done.chapter] = done
        if bars:
            bars[slug].update(1)
        if on_event:
            on_event(slug, done.chapter)

    def maybe_assemble(pool: ProcessPoolExecutor, slug: str) -> None:
        state = chapter_state[slug]
        if len(state) < len(wanted):
            return
        result = results[slug]
        result.chapters = [state[c] for c in wanted]
        failed = sorted((c for c in result.chapters if c.error),
                        key=lambda c: c.error.startswith("not run"))
        if failed:
            result.status = f"failed: {failed[0].error}"
            result.seconds = time.perf_counter() - starts[slug]
            if bars:
                bars[slug].set_postfix_str("failed")
            return
        if not html:
            result.seconds = time.perf_counter() - starts[slug]
            return
        if _up_to_date(by_slug[slug], result.chapters, strict):
            result.folder = edition_dir(slug)
            result.seconds = time.perf_counter() - starts[slug]
            result.status = "ok"
            if bars:
                bars[slug].set_postfix_str("up to date")
            return
        if bars:
            bars[slug].set_postfix_str("html")
        future = pool.submit(assemble_edition, by_slug[slug],
                             [(c.chapter, str(c.folder)) for c in result.chapters], strict,
                             parameters)
        pending[future] = (slug, "")

    pool = _pool(workers)
    # Chapters wait in a queue and at most workers + 1 run or wait in the pool, so an HTML
    # build (submitted as soon as its region's chapters are done) does not queue behind every
    # other region's chapters: editions appear one after another, not all at the end.
    queue: list[tuple[str, str, regions.Region, str]] = []

    def fill() -> None:
        running = sum(1 for _, chapter in pending.values() if chapter)
        while queue and running < workers + 1:
            slug, chapter, region, key = queue.pop(0)
            future = pool.submit(execute_chapter, chapter, region, parameters, key)
            pending[future] = (slug, chapter)
            running += 1

    run_order = [page.stem for page in
                 catalogue.longest_first([catalogue.source(c) for c in wanted])]
    try:
        for region in region_list:
            for chapter in run_order:
                key = chapter_key(chapter, region, parameters, code)
                folder = cached_chapter(chapter, key)
                if folder is not None:
                    seconds = json.loads((folder / "run.json").read_text())["seconds"]
                    finished_chapter(region.slug, ChapterResult(chapter, key, folder, True,
                                                                seconds))
                else:
                    queue.append((region.slug, chapter, region, key))
            maybe_assemble(pool, region.slug)
        fill()
        while pending:
            done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for future in done:
                slug, chapter = pending.pop(future)
                if chapter:
                    outcome = future.result()
                    finished_chapter(slug, outcome)
                    if outcome.error:  # stop this region: skip its chapters not started yet
                        for item in [q for q in queue if q[0] == slug]:
                            queue.remove(item)
                            finished_chapter(slug, ChapterResult(
                                item[1], "", cache_dir(), False, 0.0,
                                "not run: an earlier chapter failed"))
                    maybe_assemble(pool, slug)
                    continue
                result = results[slug]
                result.seconds = time.perf_counter() - starts[slug]
                try:
                    result.folder = future.result()
                    if bars:
                        bars[slug].set_postfix_str("done")
                except ScicollabError as exc:
                    result.status = f"failed: {exc}"
                    if bars:
                        bars[slug].set_postfix_str("failed")
            fill()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        for bar in (bars or {}).values():
            bar.close()
    return [results[r.slug] for r in region_list]


def _bars(region_list: Sequence[regions.Region], total: int, progress: bool):
    if not progress:
        return None
    from tqdm import tqdm

    width = max(len(r.name) for r in region_list)
    return {r.slug: tqdm(total=total, desc=r.name.ljust(width), unit="ch", position=i,
                         leave=True, file=sys.stderr, dynamic_ncols=True)
            for i, r in enumerate(region_list)}


def build_edition(region: regions.Region, chapters: Sequence[str] | None = None,
                  parameters: dict[str, object] | None = None, **kwargs) -> EditionResult:
    """Build one region's edition; raises :class:`EditionFailed` naming the failed chapter."""
    result = build_editions([region], chapters, parameters, **kwargs)[0]
    if result.status != "ok":
        raise EditionFailed(f"edition {region.name!r} not built (previous edition kept): "
                            f"{result.status.removeprefix('failed: ')}")
    return result


def summary_table(results: Sequence[EditionResult]) -> str:
    """A plain-text table: region, chapters (run/cached), compute and finish times, status.

    Regions share the workers, so a region has no wall-clock time of its own: the table gives
    its chapters' own compute time and when, after the start of the run, its edition was done.
    """
    rows = [("region", "chapters", "compute s", "done after s", "status")]
    for r in results:
        cached = sum(1 for c in r.chapters if c.cached)
        rows.append((r.region, f"{len(r.chapters)} ({r.executed} run, {cached} cached)",
                     f"{r.compute_seconds:.1f}", f"{r.seconds:.1f}", r.status))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join(f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:>{widths[2]}}  {d:>{widths[3]}}  {e}"
                     for a, b, c, d, e in rows)


# --------------------------------------------------------------------------- gallery


def built_editions() -> list[dict]:
    """The edition.json of every published edition, in the order of regions.names()."""
    found = []
    order = {regions.slugify(n): i for i, n in enumerate(regions.names())}
    base = root()
    if not base.is_dir():
        return found
    for info in sorted(base.glob("*/edition.json")):
        data = json.loads(info.read_text())
        data["folder"] = str(info.parent)
        found.append(data)
    return sorted(found, key=lambda d: (order.get(d["slug"], len(order)), d["slug"]))


def is_current(edition: dict, code: str | None = None) -> bool:
    """True when a build now would reuse every chapter of this edition: same data, package
    code, chapter sources, region members and parameters (see :func:`chapter_key`)."""
    code = code or code_fingerprint()
    region = regions.Region(edition["region"], edition.get("kind", "custom"),
                            tuple(edition["members"]))
    parameters = edition.get("parameters", {})
    try:
        expected = {c: cache_folder_name(c, chapter_key(c, region, parameters, code))
                    for c in edition["chapters"]}
    except ScicollabError:  # a chapter of the edition no longer exists
        return False
    return expected == edition.get("keys")


def headline(edition: Path, region_name: str) -> dict[str, object]:
    """Headline numbers of an edition from its GERD chapter (empty when the chapter is absent)."""
    path = edition / "numbers" / f"{KEY_CHAPTER}.json"
    if not path.is_file():
        return {}
    numbers = json.loads(path.read_text())
    return {k: numbers.get(k) for k in ("gerd_region_n", "gerd_region_members",
                                        "gerd_region_median", "gerd_region_rank",
                                        "gerd_regions_ranked")}


def links_enabled() -> bool:
    """Cards link to editions only when the book build copies them in ($SCICOLLAB_LINK_EDITIONS=1),
    so the gallery never holds a link the published site cannot resolve."""
    return os.environ.get("SCICOLLAB_LINK_EDITIONS") == "1"


STALE_NOTE = "Out of date: this book's data, code or chapters changed since it was built."


def _card(name: str, edition: dict | None, link: bool, current: bool = True) -> str:
    title = html_lib.escape(name)
    style = ("border:1px solid #ddd;border-radius:6px;padding:0.6em;display:flex;"
             "flex-direction:column;gap:0.3em")
    if edition is None:
        return (f'<div style="{style}"><strong>{title}</strong>'
                '<span style="color:#666">Edition not built yet.</span></div>')
    folder = Path(edition["folder"])
    slug = html_lib.escape(edition["slug"])
    heading = (f'<a href="../regions/{slug}/index.html"><strong>{title}</strong></a>' if link
               else f"<strong>{title}</strong>")
    thumb = folder / "thumb.png"
    image = ""
    if thumb.is_file():
        data = base64.b64encode(thumb.read_bytes()).decode()
        image = (f'<img src="data:image/png;base64,{data}" style="width:100%" '
                 f'alt="Key figure of the {title} edition: R&amp;D spending and the foreign '
                 'share of credit">')
    numbers = headline(folder, name)
    lines = [f"{len(edition['members'])} economies"]
    if numbers.get("gerd_region_n") is not None:
        lines.append(f"{numbers['gerd_region_n']} with GERD and publication data")
    median = numbers.get("gerd_region_median")
    if isinstance(median, int | float) and median == median:
        lines.append(f"median foreign share of credit {median:.1f}%")
        rank = numbers.get("gerd_region_rank")
        if rank and rank != "not ranked":
            lines.append(f"ranks {rank} of {numbers.get('gerd_regions_ranked')} named regions")
    else:
        lines.append("no GERD chapter data")
    body = "<br>".join(html_lib.escape(line) for line in lines)
    stamp = html_lib.escape(f"data {edition.get('data_version', '')}, "
                            f"built {edition.get('built', '')}")
    stale = ("" if current else
             f'<span style="font-size:0.9em;font-weight:bold">{html_lib.escape(STALE_NOTE)}</span>')
    return (f'<div style="{style}">{heading}{image}'
            f'<span style="font-size:0.9em">{body}</span>{stale}'
            f'<span style="font-size:0.8em;color:#666">{stamp}</span></div>')


def gallery_html(include_unbuilt: bool = True, link: bool | None = None) -> str:
    """HTML cards for every named region (and any built custom edition)."""
    link = links_enabled() if link is None else link
    built = {e["slug"]: e for e in built_editions()}
    code = code_fingerprint() if built else ""
    cards = []
    for name in regions.names():
        slug = regions.slugify(name)
        edition = built.pop(slug, None)
        if edition is not None or include_unbuilt:
            current = edition is None or is_current(edition, code)
            cards.append(_card(name, edition, link, current))
    cards.extend(_card(e["region"], e, link, is_current(e, code)) for e in built.values())
    grid = ("display:grid;grid-template-columns:repeat(auto-fill,minmax(15em,1fr));"
            "gap:0.8em;margin:1em 0;align-items:start")
    return f'<div class="scicollab-gallery" style="{grid}">' + "".join(cards) + "</div>"


def gallery_summary() -> str:
    """One sentence on how many editions are built (plain words, for the page's prose)."""
    found = built_editions()
    count = len(found)
    if not count:
        return ("No region edition has been built yet; build them with "
                "`scicollab region build --all`.")
    built = "One region edition is built" if count == 1 else f"{count} region editions are built"
    code = code_fingerprint()
    stale = sum(1 for e in found if not is_current(e, code))
    if stale:
        built += (f" ({'all' if stale == count else stale} out of date: the book's data, code "
                  "or chapters changed since; rebuild with `scicollab region build --all`)")
    if links_enabled():
        return f"{built}; click a card's title to open it."
    return (f"{built} on this machine; open it from "
            "`_build/regions/<region>/html/index.html`.")


PUBLISHED_STAMP = ".edition.json"  # in a published copy: the edition.json it was copied from


def publish_into(html_dir: Path) -> list[str]:
    """Copy every built edition's HTML into ``html_dir/regions/<slug>/`` (the gallery's links).

    A copy already made from the same build of an edition (same ``edition.json``) is kept as it
    is; the slugs of all published editions are returned."""
    published = []
    for edition in built_editions():
        folder = Path(edition["folder"])
        source = folder / "html"
        if not source.is_dir():
            continue
        stamp = (folder / "edition.json").read_text()
        target = Path(html_dir) / "regions" / edition["slug"]
        published.append(edition["slug"])
        with contextlib.suppress(OSError):
            if (target / PUBLISHED_STAMP).read_text() == stamp:
                continue
        staging = Path(tempfile.mkdtemp(prefix=f".{edition['slug']}-",
                                        dir=_ensure(Path(html_dir) / "regions")))
        shutil.copytree(source, staging / "html")
        (staging / "html" / PUBLISHED_STAMP).write_text(stamp)
        replace_dir(staging / "html", target)
        shutil.rmtree(staging, ignore_errors=True)
    return published


def _ensure(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def describe(result: EditionResult) -> dict:
    """A JSON-friendly record of a build result (for benchmarks and logs)."""
    record = asdict(result)
    record["folder"] = str(result.folder) if result.folder else None
    for chapter in record["chapters"]:
        chapter["folder"] = str(chapter["folder"])
    return record
