"""Brief packs: a region's figures (PNG at print resolution, SVG, CSV), citations and numbers.

A pack is what a briefing writer needs to reuse the book's evidence for one region:
``figures/<id>.png|svg|csv|json``, ``figures.md`` (id, caption, source, citation per figure),
``numbers.json`` (every glued number, by chapter) and ``manifest.json`` (region, countries, data
version and checksum, git commit, package versions). Chapters come from the edition cache, so
a pack for a region whose edition is built costs no kernel.
"""

from __future__ import annotations

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

from . import __version__, datasets, editions, paths, regions
from .errors import ScicollabError

PACKAGES = ("scicollab", "jupyter-book", "myst-nb", "papermill", "pandas", "numpy",
            "matplotlib", "statsmodels", "seaborn")
MARKER = "scicollab-brief"


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
        result = subprocess.run(["git", "-C", str(paths.root()), *args], capture_output=True,
                                text=True, check=False)
        return result.stdout.strip() if result.returncode == 0 else ""

    commit = git("rev-parse", "HEAD")
    return {"commit": commit or "unknown", "dirty": bool(git("status", "--porcelain"))
            if commit else None}


def book_identity() -> dict[str, str]:
    """Title, version and base URL of the book, for citations."""
    config = yaml.safe_load((paths.root() / "_config.yml").read_text())
    cff = paths.root() / "CITATION.cff"
    book_version = __version__
    authors = config.get("author", "scicollab contributors")
    if cff.is_file():
        meta = yaml.safe_load(cff.read_text())
        book_version = str(meta.get("version", book_version))
    return {"title": config.get("title", "scicollab"), "version": book_version,
            "author": authors,
            "baseurl": (config.get("html", {}).get("baseurl") or "https://example.org/").rstrip("/")
            + "/"}


def citation(figure_id: str, identity: dict[str, str], slug: str, date: str) -> str:
    """A ready-to-paste citation of one figure."""
    url = f"{identity['baseurl']}regions/{slug}/"
    return (f"{identity['author']}, *{identity['title']}*, version {identity['version']}, "
            f"figure {figure_id} ({slug} edition), accessed {date}. {url}")


def figures_markdown(region: regions.Region, figures: list[dict], identity: dict[str, str],
                     date: str) -> str:
    """figures.md: one section per figure with id, caption, source, files and citation."""
    lines = [f"# Figures for {region.name}", "",
             f"From *{identity['title']}*, version {identity['version']}, region edition "
             f"{region.slug}. Each figure has a PNG (print resolution), an SVG, and the CSV of "
             "the data it plots.", ""]
    for meta in figures:
        fid = meta["id"]
        lines += [f"## {fid}", "",
                  f"- **Title:** {meta.get('title', '')}",
                  f"- **Chapter:** {meta.get('chapter', '')}",
                  f"- **Caption:** {meta.get('full_caption') or meta.get('caption', '')}",
                  f"- **Source:** {meta.get('source', '')} (data {meta.get('data_years', '')})",
                  f"- **Alt text:** {meta.get('alt', '')}",
                  f"- **Files:** `figures/{fid}.png`, `figures/{fid}.svg`, `figures/{fid}.csv`",
                  f"- **Cite as:** {citation(fid, identity, region.slug, date)}", ""]
    return "\n".join(lines)


def _finite(value: object) -> object:
    """NaN and infinities become null, so numbers.json is strict JSON."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    return value


def _png_dpi(path: Path) -> float:
    from PIL import Image

    with Image.open(path) as image:
        dpi = image.info.get("dpi", (0, 0))
    return float(dpi[0])


def _safe_target(out: Path) -> None:
    """Refuse to replace a folder that is neither empty nor an earlier brief pack."""
    if not out.exists():
        return
    if not out.is_dir():
        raise ScicollabError(f"{out} exists and is not a folder")
    marker = out / "manifest.json"
    if any(out.iterdir()):
        try:
            ok = json.loads(marker.read_text()).get("kind") == MARKER
        except (OSError, ValueError):
            ok = False
        if not ok:
            raise ScicollabError(f"{out} is not empty and holds no earlier brief pack; "
                                 "choose a new or empty folder")


def build(region: regions.Region, out: Path, chapters: Sequence[str] | None = None,
          workers: int = 2, progress: bool = False) -> Path:
    """Write the brief pack of a region into ``out`` (atomically); returns ``out``."""
    out = Path(out).resolve()
    _safe_target(out)
    result = editions.build_editions([region], chapters, workers=workers, html=False,
                                     progress=progress)[0]
    if result.status != "ok":
        raise editions.EditionFailed(f"brief for {region.name!r} not written: "
                                     f"{result.status.removeprefix('failed: ')}")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        _write_pack(region, result, staging / "pack")
        if out.exists():
            editions.replace_dir(staging / "pack", out)
        else:
            os.rename(staging / "pack", out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out


def _write_pack(region: regions.Region, result: editions.EditionResult, pack: Path) -> None:
    figures_dir = pack / "figures"
    figures_dir.mkdir(parents=True)
    identity = book_identity()
    date = time.strftime("%Y-%m-%d", time.gmtime())
    figures: list[dict] = []
    numbers: dict[str, dict] = {}
    for chapter in result.chapters:
        folder = Path(chapter.folder)
        for meta_path in sorted((folder / "figures").glob("*.json")):
            meta = json.loads(meta_path.read_text())
            meta["chapter"] = chapter.chapter
            for kind in ("png", "svg", "csv", "json"):
                source = meta_path.with_suffix(f".{kind}")
                if not source.is_file():
                    raise ScicollabError(f"figure {meta['id']} of chapter {chapter.chapter} "
                                         f"has no .{kind} file")
                shutil.copy2(source, figures_dir / source.name)
            dpi = _png_dpi(figures_dir / f"{meta['id']}.png")
            if dpi < editions.PRINT_DPI - 1:
                raise ScicollabError(f"figure {meta['id']} is {dpi:.0f} dpi, below print "
                                     f"resolution ({editions.PRINT_DPI})")
            meta["png_dpi"] = round(dpi)
            figures.append(meta)
        path = folder / "numbers" / f"{chapter.chapter}.json"
        raw = json.loads(path.read_text()) if path.is_file() else {}
        numbers[chapter.chapter] = {k: _finite(v) for k, v in raw.items()}
    (pack / "figures.md").write_text(figures_markdown(region, figures, identity, date))
    (pack / "numbers.json").write_text(json.dumps(numbers, indent=2, sort_keys=True,
                                                  ensure_ascii=False, allow_nan=False) + "\n")
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
        "chapters": {c.chapter: {"cache_key": c.key, "cached": c.cached}
                     for c in result.chapters},
        "figures": [m["id"] for m in figures],
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (pack / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False)
                                        + "\n")
