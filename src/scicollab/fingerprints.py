"""What a result depends on, as digests: the package's code, the processed data (verified file
by file), one chapter run, and the pages of the book around the chapters.

A chapter's cache key covers only the code a chapter can run: the package modules its page
imports, followed import by import (:func:`kernel_code`). A change to the command line, the
scheduler or the HTML assembly re-assembles editions from cached chapters instead of executing
every chapter again; the editions and the book record the whole package's digest
(:func:`code`) for that.
"""

from __future__ import annotations

import hashlib
import json
import re
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
    """sha256 over the package version and every source file of the package, the scripts and
    style sheets it puts on the pages included (what the book and the editions record: any
    code change re-assembles their HTML)."""
    digest = hashlib.sha256(f"version:{__version__}\n".encode())
    package = Path(__file__).parent
    hash_files(digest, source_files(package), package)
    return digest.hexdigest()


def source_files(package: Path) -> list[Path]:
    """The package's source files: modules, data files and the scripts and style sheets it
    puts on the pages."""
    return [path for path in sorted(package.rglob("*"))
            if path.suffix in {".py", ".yml", ".js", ".css"} and "__pycache__" not in path.parts]


# what the executor runs in the kernel around every chapter, besides the page's own imports
KERNEL_ENTRY = ("scicollab", "scicollab.run_context", "scicollab.report")
IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w., \t]+)", re.MULTILINE)
IMPORT_FROM = re.compile(r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)",
                         re.MULTILINE)


def kernel_code() -> str:
    """sha256 over the package version, its data files (``.yml``) and every module a chapter
    can import: the executor's set-up modules and each page's ``scicollab`` imports, followed
    through the package's own imports (lazy ones inside functions too)."""
    root = paths.root()
    return _kernel_code(root, tuple((p.name, p.stat().st_mtime_ns) for p in _pages(root)))


@lru_cache(maxsize=4)
def _kernel_code(root: Path, pages: tuple) -> str:
    package = Path(__file__).parent
    digest = hashlib.sha256(f"version:{__version__}\nkernel\n".encode())
    files = sorted({*kernel_modules(root), *package.rglob("*.yml")})
    hash_files(digest, files, package)
    return digest.hexdigest()


def _pages(root: Path) -> list[Path]:
    return [*sorted((root / "notebooks").glob("*.md")), *sorted((root / "book").rglob("*.md"))]


def kernel_modules(root: Path | None = None) -> set[Path]:
    """The package's source files a chapter can run (see :func:`kernel_code`)."""
    root = Path(root or paths.root())
    wanted = set(KERNEL_ENTRY)
    for page in _pages(root):  # a page's imports are absolute: no package to resolve against
        wanted |= _imports(page.read_text(encoding="utf-8"), [])
    seen: dict[str, Path] = {}
    while wanted:
        name = wanted.pop()
        path = _module_file(name)
        if path is None or name in seen:
            continue
        seen[name] = path
        parents = name.split(".")
        wanted |= {".".join(parents[:i]) for i in range(1, len(parents))}
        package = parents if path.name == "__init__.py" else parents[:-1]
        wanted |= _imports(path.read_text(encoding="utf-8"), package) - set(seen)
    return set(seen.values())


def _module_file(name: str) -> Path | None:
    """The source file of a ``scicollab`` module or package, if the name is one."""
    parts = name.split(".")
    if parts[0] != "scicollab":
        return None
    base = Path(__file__).parent.joinpath(*parts[1:])
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def _imports(text: str, package: list[str]) -> set[str]:
    """Every ``scicollab`` module name an import line of a module or a page may refer to,
    relative imports resolved against ``package`` (the importing module's package).

    A scan of the lines (no parsing: the no-change book build pays for this on every call); an
    import-like line inside a string only adds a module to the digest, never drops one."""
    names = {module.strip() for line in IMPORT.findall(text) for module in line.split(",")}
    names = {n.split()[0] for n in names if n}
    for dots, module, imported in IMPORT_FROM.findall(text):
        base = package[:len(package) - len(dots) + 1] if dots else []
        absolute = ".".join([*base, *([module] if module else [])])
        names.add(absolute)
        names |= {f"{absolute}.{item.split()[0]}" for item in imported.strip("()").split(",")
                  if item.split()}
    return {n for n in names if n.startswith("scicollab")}


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
