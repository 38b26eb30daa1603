"""An edition inside the site: its pages point at the files the site already holds (the
theme, the tables, figures the same for every region or drawn as the book's), which are stored
once."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

from . import file_titles, fsops

# folders a site's editions share with the book: the theme, the tables, and the figures that
# are the same for every region (the GERD calibration, the US-China links, ...)
SHARED = ("_static", "data", "figures")
SHARED_LINK = re.compile(r"""((?:href|src)=")((?:\.\./)*)(""" + "|".join(SHARED)
                         + r""")/([^"?#]+)""")


def _same(a: Path, b: Path) -> bool:
    return b.is_file() and a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


def _drawn(path: Path) -> bytes | None:
    """What a figure file shows, as a hash: a PNG or SVG without the id it is titled with, a
    CSV as it is; None for other files."""
    kind = path.suffix[1:]
    if kind not in ("png", "svg", "csv"):
        return None
    data = path.read_bytes()
    body = data if kind == "csv" else file_titles.retitled(data, kind, path.stem, None)
    return None if body is None else kind.encode() + hashlib.sha256(body).digest()


def site_figures(site: Path) -> dict[bytes, str]:
    """The site's figure files by what they show (:func:`_drawn`), the first name of each in
    sorted order: what an edition's figure drawn as the book's (an economy absent from a
    chart sees the world's) is shared with."""
    found: dict[bytes, str] = {}
    folder = site / "figures"
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        key = _drawn(path) if path.is_file() else None
        if key is not None:
            found.setdefault(key, path.name)
    return found


def publish_edition(source: Path, target: Path, site: Path,
                    drawn: dict[bytes, str] | None = None) -> None:
    """Copy an edition's HTML into a site at ``target``, sharing the site's files: a file of
    the edition's ``_static/`` (theme, fonts, scripts), ``data/`` (the processed tables) or
    ``figures/`` (a figure the same for every region) that the site holds byte for byte at the
    same place is left out, and so is a figure file that shows what one of the site's shows
    under another id (``drawn``, from :func:`site_figures`, found when not given); the
    edition's pages point at the site's copy."""
    drawn = site_figures(site) if drawn is None else drawn
    entries = [(folder, p) for folder in SHARED if (source / folder).is_dir()
               for p in [source / folder, *(source / folder).rglob("*")]]
    shared: dict[tuple[str, str], str] = {}
    for folder, path in entries:
        if not path.is_file():
            continue
        name = path.relative_to(source / folder).as_posix()
        if _same(path, site / folder / name):
            shared[folder, name] = name
        elif folder == "figures" and drawn and (key := _drawn(path)) in drawn:
            shared[folder, name] = drawn[key]
    skipped = {source / folder / name for folder, name in shared}
    # a folder of the shared trees is left out too when no file of the edition's own remains
    # in it: it would be copied empty (the theme's 40 locale folders, for one)
    kept = {parent for _, p in entries if p.is_file() and p not in skipped
            for parent in p.parents}
    skipped |= {p for _, p in entries if p.is_dir() and p not in kept}

    def skip(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if Path(folder) / n in skipped}

    # hard links: the site's copy costs no disk and no time; a page that changes is written
    # as a new file, never through the link into the edition
    shutil.copytree(source, target, ignore=skip, copy_function=fsops.link_or_copy)
    for page in target.rglob("*.html"):
        up = Path(os.path.relpath(site, page.parent)).as_posix()
        text = page.read_text(encoding="utf-8")
        linked = SHARED_LINK.sub(
            lambda m, up=up: f"{m.group(1)}{up}/{m.group(3)}/{shared[m.group(3), m.group(4)]}"
            if (m.group(3), m.group(4)) in shared else m.group(0), text)
        if linked != text:
            page.unlink()
            page.write_text(linked, encoding="utf-8")
