"""What a result depends on, as digests: the package's code, the processed data (verified file
by file), one chapter run, and the pages of the book around the chapters."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from . import __version__, datasets, paths
from .errors import DataFileError
from .sources.common import sha256_file

CACHE_VERSION = "3"  # bump when the layout of a cached chapter changes


def hash_files(digest, files: Iterable[Path], root: Path) -> None:
    """Add each existing file's path (relative to ``root``) and bytes to a hashlib digest."""
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())


@lru_cache(maxsize=1)
def code() -> str:
    """sha256 over the package version and every source file of the package."""
    digest = hashlib.sha256(f"version:{__version__}\n".encode())
    package = Path(__file__).parent
    hash_files(digest, (path for path in sorted(package.rglob("*"))
                        if path.suffix in {".py", ".yml"} and "__pycache__" not in path.parts),
               package)
    return digest.hexdigest()


def data() -> str:
    """sha256 of the data manifest, after checking every processed table against the sha256 the
    manifest records (a corrupted or edited table stops here, naming the file and the fix)."""
    manifest = datasets.manifest()
    folder = datasets.data_dir()
    for entry in manifest["tables"].values():
        path = folder / entry["file"]
        if not path.is_file():
            raise DataFileError(path, "processed table missing; run `make data` to rebuild it")
        if sha256_file(path) != entry["sha256"]:
            raise DataFileError(path, "checksum differs from data/manifest.json (the file was "
                                "edited or corrupted); run `make data` to rebuild it")
    return sha256_file(folder / "manifest.json")


def chapter_key(source: bytes, region_name: str, members: Iterable[str],
                parameters: Mapping[str, object], dpi: int, code_digest: str,
                data_digest: str) -> str:
    """sha256 of everything one executed chapter depends on."""
    digest = hashlib.sha256()
    payload = {"cache": CACHE_VERSION, "region": region_name, "members": sorted(members),
               "parameters": dict(sorted(parameters.items())), "dpi": dpi,
               "code": code_digest, "data": data_digest}
    digest.update(json.dumps(payload, sort_keys=True).encode())
    digest.update(source)
    return digest.hexdigest()


def pages(root: Path | None = None) -> str:
    """sha256 of what the HTML depends on besides the executed chapters: the book's settings,
    its table of contents and every file under ``book/``."""
    root = Path(root or paths.root())
    digest = hashlib.sha256(CACHE_VERSION.encode())
    files = [root / "_config.yml", root / "_toc.yml", root / "CITATION.cff",
             *sorted((root / "book").rglob("*"))]
    hash_files(digest, files, root)
    return digest.hexdigest()
