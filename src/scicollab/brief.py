"""Brief packs: a region's figures (PNG at print resolution, SVG, CSV), citations and numbers.

A pack is what a briefing writer needs to reuse the book's evidence for one region:
``figures/<id>.png|svg|csv|json`` (and ``<id>.html``, the interactive figure as one file that
works offline, where the figure has one), ``figures.md`` (id, caption, source, citation per figure),
``numbers.json`` (every glued number, by chapter) and ``manifest.json`` (region, countries, data
version and checksum, git commit, package versions, and the list of the pack's own files).

The pack is written inside the folder given, never beside it. A folder that holds files the
tool did not write (not listed in an earlier pack's manifest) is refused before any chapter
runs, naming them; refreshing a pack replaces its own files only. While files are being moved
into place the manifest lists the old and the new ones, so an interrupted refresh leaves a
folder the next run accepts.

A pack is staged in a private folder inside ``--out`` (``.scicollab-brief-<pid>-<random>``) and
moved into place under a lock on that folder (held in the project's ``_build/.locks/``), so two
packs written into one folder at once take turns and the last one is whole. A staging folder is
removed by the command that made it, or by a later one once that process no longer runs.
"""

from __future__ import annotations

import filecmp
import hashlib
import json
import os
import platform
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import yaml

from . import __version__, book_config, canonical, datasets, fsops, paths, regions
from .errors import ScicollabError, UsageError
from .executor import PRINT_DPI, ChapterResult
from .interactive import standalone_html

PACKAGES = ("scicollab", "jupyter-book", "myst-nb", "papermill", "pandas", "numpy",
            "matplotlib", "statsmodels", "seaborn")
MARKER = "scicollab-brief"
MANIFEST = "manifest.json"
INTERACTIVE = ".plotly.json"  # an interactive figure's plotly figure, beside its static files
STAGING = ".scicollab-brief"  # a staging folder: <STAGING>-<pid>-<random>, in --out


def _package_versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def git_commit() -> dict[str, object]:
    """The repository's HEAD commit and whether the tree has uncommitted changes (read-only)."""
    def git(*args: str) -> str:
        try:
            result = subprocess.run(["git", "-C", str(paths.root()), *args],
                                    capture_output=True, text=True, check=False)
        except OSError:
            return ""
        return result.stdout.strip() if result.returncode == 0 else ""

    commit = git("rev-parse", "HEAD")
    return {"commit": commit or "unknown", "dirty": bool(git("status", "--porcelain"))
            if commit else None}


def book_identity() -> dict[str, str]:
    """Title, version, authors and (when the book has one) its canonical URL, for citations."""
    config = book_config.read()
    cff = paths.root() / "CITATION.cff"
    book_version = __version__
    if cff.is_file():
        book_version = str(yaml.safe_load(cff.read_text()).get("version", book_version))
    return {"title": config.get("title", "scicollab"), "version": book_version,
            "author": config.get("author", "scicollab contributors"),
            "baseurl": canonical.canonical_url() or ""}


def citation(figure_id: str, identity: dict[str, str], region: regions.Region,
             date: str) -> str:
    """A ready-to-paste citation of one figure (with the edition's address when the book
    has a canonical URL)."""
    text = (f"{identity['author']}, *{identity['title']}*, version {identity['version']}, "
            f"figure {figure_id} ({region.name} edition), accessed {date}.")
    return (f"{text} {identity['baseurl']}regions/{region.slug}/" if identity["baseurl"]
            else text)


def figures_markdown(region: regions.Region, figures: list[dict], identity: dict[str, str],
                     date: str) -> str:
    """figures.md: one section per figure with id, caption, source, files and citation."""
    lines = [f"# Figures for {region.name}", "",
             f"From *{identity['title']}*, version {identity['version']}, {region.name} "
             f"edition. Each figure has a PNG (print resolution), an SVG, and the CSV of "
             "the data it plots.", ""]
    for meta in figures:
        fid = meta["id"]
        lines += [f"## {fid}", "",
                  f"- **Title:** {meta.get('title', '')}",
                  f"- **Chapter:** {meta.get('chapter', '')}"
                  + (f" (also shown in: {', '.join(meta['also_in'])})"
                     if meta.get("also_in") else ""),
                  f"- **Caption:** {meta.get('full_caption') or meta.get('caption', '')}",
                  f"- **Source:** {meta.get('source', '')} (data {meta.get('data_years', '')})",
                  f"- **Alt text:** {meta.get('alt', '')}",
                  f"- **Files:** `figures/{fid}.png`, `figures/{fid}.svg`, `figures/{fid}.csv`"
                  + (f", `{meta['interactive']}` (interactive, works offline)"
                     if meta.get("interactive") else ""),
                  f"- **Cite as:** {citation(fid, identity, region, date)}", ""]
    return "\n".join(lines)


def _png_dpi(path: Path) -> float:
    from PIL import Image

    with Image.open(path) as image:
        dpi = image.info.get("dpi", (0, 0))
    return float(dpi[0])


def own_files(out: Path) -> set[str]:
    """The files an earlier pack in ``out`` says are its own (empty for a new folder); refuses
    a folder holding anything else, naming what."""
    out = Path(out)
    if not out.exists():
        return set()
    if not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder; give a folder for the pack")
    listed: set[str] = set()
    manifest = out / MANIFEST
    if manifest.is_file():
        try:
            record = json.loads(manifest.read_text())
        except ValueError:
            record = {}
        if record.get("kind") == MARKER:
            listed = set(record.get("files", [])) | {MANIFEST}
    present = {p.relative_to(out).as_posix() for p in out.rglob("*")
               if p.is_file() and not p.relative_to(out).parts[0].startswith(f"{STAGING}-")}
    unknown = sorted(present - listed)
    if unknown:
        shown = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5
                                          else "")
        raise UsageError(f"{out} holds files this tool did not write ({shown}); it never "
                         "deletes or overwrites them: move them away, or choose a new folder")
    return listed


def build(region: regions.Region, out: Path, chapters: Sequence[str] | None = None, *,
          workers: int | None = None, address: str | None = None,
          progress: bool = False) -> Path:
    """Write the brief pack of a region into ``out``; returns ``out``."""

    from . import builds, scheduler
    from .executor import Cache

    out = fsops.check_writable(Path(out), "--out folder")
    own_files(out)
    wanted = builds.chapters_or_all(chapters, home=False)
    specs = builds.specs_for(region, wanted, dpi=PRINT_DPI)
    outcome = scheduler.run([scheduler.Job(region.name, specs)], Cache(), workers=workers,
                            address=address, progress=progress)[0]
    if not outcome.ok:
        raise ScicollabError(f"brief for {region.name!r} not written: {outcome.error}")
    return write(region, builds._in_order(outcome.results, wanted), out)


def swap_lock(out: Path) -> Path:
    """The lock that packs written into ``out`` take turns on: in the project's
    ``_build/.locks/``, named for ``out``'s real path, so that nothing is left beside or inside
    the pack."""
    digest = hashlib.sha256(os.fsencode(Path(out).resolve())).hexdigest()[:16]
    return paths.build_dir() / fsops.LOCKS / f"brief-{digest}"


def write(region: regions.Region, results: Sequence[ChapterResult], out: Path) -> Path:
    """Write the pack of a region's chapter ``results`` into ``out``: staged in a folder of
    this process's own, then moved into place under :func:`swap_lock`, where the staging folders
    of packs whose process no longer runs are removed (a live one's never). Returns ``out``."""
    # a pack that fails leaves no folder made for it (nor the parents made with it)
    with fsops.disk_errors(out), fsops.made_folder(out):
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING}-{os.getpid()}-", dir=out))
        try:
            files = _write_pack(region, results, staging)
            with fsops.lock(swap_lock(out)):
                for leftover in out.glob(f"{STAGING}-*"):
                    if fsops.writer_gone(leftover.name, STAGING):
                        shutil.rmtree(leftover, ignore_errors=True)
                _swap_in(out, staging, files)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return out


def _swap_in(out: Path, staging: Path, files: list[str]) -> None:
    """Move the new pack's files into ``out``: the manifest first lists old and new files, the
    files move one by one, the old pack's other files go, the final manifest comes last."""
    old = own_files(out) - {MANIFEST}
    final = json.loads((staging / MANIFEST).read_text())
    interim = {**final, "files": sorted(old | set(files))}
    fsops.write_atomic(out / MANIFEST, json.dumps(interim, indent=2, ensure_ascii=False) + "\n")
    for name in files:
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, target)
    for name in sorted(old - set(files)):
        (out / name).unlink(missing_ok=True)
    for folder in sorted({(out / n).parent for n in old - set(files)}, reverse=True):
        if folder != out and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    os.replace(staging / MANIFEST, out / MANIFEST)


def _shown_again(meta: dict, meta_path: Path, figures_dir: Path, chapter: str) -> None:
    """A figure a later chapter saved too (the home page shows the GERD and trust chapters'
    figures): listed once, under the later chapter, which is the figure's own, with the
    earlier page noted; its files must be the same."""
    for kind in ("png", "svg", "csv"):
        if not filecmp.cmp(meta_path.with_suffix(f".{kind}"),
                           figures_dir / f"{meta['id']}.{kind}", shallow=False):
            raise ScicollabError(f"chapters {meta['chapter']} and {chapter} saved different "
                                 f"files for figure {meta['id']}")
    meta["also_in"] = [*meta.get("also_in", []), meta["chapter"]]
    meta["chapter"] = chapter


def _write_pack(region: regions.Region, results: Sequence[ChapterResult], pack: Path) -> list[str]:
    figures_dir = pack / "figures"
    figures_dir.mkdir(parents=True)
    identity = book_identity()
    date = time.strftime("%Y-%m-%d", time.gmtime())
    figures: dict[str, dict] = {}
    numbers: dict[str, dict] = {}
    for result in results:
        for meta_path in sorted(result.figures.glob("*.json")):
            if meta_path.name.endswith(INTERACTIVE):
                continue
            meta = json.loads(meta_path.read_text())
            if meta["id"] in figures:
                _shown_again(figures[meta["id"]], meta_path, figures_dir, result.chapter)
                continue
            meta["chapter"] = result.chapter
            for kind in ("png", "svg", "csv", "json"):
                source = meta_path.with_suffix(f".{kind}")
                if not source.is_file():
                    raise ScicollabError(f"figure {meta['id']} of chapter {result.chapter} "
                                         f"has no .{kind} file")
                shutil.copy2(source, figures_dir / source.name)
            dpi = _png_dpi(figures_dir / f"{meta['id']}.png")
            if dpi < PRINT_DPI - 1:
                raise ScicollabError(f"figure {meta['id']} is {dpi:.0f} dpi, below print "
                                     f"resolution ({PRINT_DPI})")
            meta["png_dpi"] = round(dpi)
            interactive = meta_path.with_name(f"{meta['id']}{INTERACTIVE}")
            if interactive.is_file():
                (figures_dir / f"{meta['id']}.html").write_text(
                    standalone_html(interactive), encoding="utf-8")
                meta["interactive"] = f"figures/{meta['id']}.html"
            figures[meta["id"]] = meta
        numbers[result.chapter] = result.numbers()
    (pack / "figures.md").write_text(figures_markdown(region, list(figures.values()), identity,
                                                      date))
    (pack / "numbers.json").write_text(json.dumps(numbers, indent=2, sort_keys=True,
                                                  ensure_ascii=False, allow_nan=False) + "\n")
    files = sorted(p.relative_to(pack).as_posix() for p in pack.rglob("*") if p.is_file())
    manifest_file = datasets.data_dir() / "manifest.json"
    members = regions.members_table(region)
    manifest = {
        "kind": MARKER,
        "region": {"name": region.name, "slug": region.slug, "kind": region.kind,
                   "description": region.description},
        "countries": [{"iso3": row["iso3"], "name": row.get("name", "")}
                      for row in members.to_dict("records")],
        "book": identity,
        "data": {"data_version": datasets.data_version(),
                 "manifest_sha256": hashlib.sha256(manifest_file.read_bytes()).hexdigest()},
        "git": git_commit(),
        "packages": _package_versions(),
        "chapters": {r.chapter: {"cache_key": r.key, "cached": r.cached} for r in results},
        "figures": list(figures),
        "files": files,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (pack / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return files
