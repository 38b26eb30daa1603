"""Build the HTML book with Jupyter Book, re-executing chapters when data or code change.

jupyter-cache keys on a notebook's code cells only, and Sphinx re-reads only changed sources.
A fingerprint of the processed data and the package's code is kept beside the build: when it
changes, the execution cache and Sphinx's saved doctrees are cleared so every chapter runs
again against the new data or code.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

from . import __version__, datasets, paths

FAILURE_PATTERNS = (
    r"WARNING",
    r"ERROR",
    r"Traceback \(most recent call last\)",
    r"Executing notebook failed",
    r"CellExecutionError",
)


def fingerprint() -> str:
    """sha256 over the data version, the package version and every package source file."""
    digest = hashlib.sha256()
    digest.update(f"data:{datasets.data_version()}\nversion:{__version__}\n".encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in {".py", ".yml"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def invalidate_if_stale(build_dir: Path) -> bool:
    """Clear the execution cache and doctrees when the fingerprint changed; True if cleared."""
    stamp = build_dir / ".scicollab-fingerprint"
    current = fingerprint()
    if stamp.exists() and stamp.read_text().strip() == current:
        return False
    for name in (".jupyter_cache", ".doctrees"):
        shutil.rmtree(build_dir / name, ignore_errors=True)
    return True


def scan_log(text: str) -> list[str]:
    """Lines of a build log that mean the build is not clean (warnings, tracebacks)."""
    noise = re.compile(r"Kernel is running over TCP without encryption")
    pattern = re.compile("|".join(FAILURE_PATTERNS))
    return [line for line in text.splitlines() if pattern.search(line) and not noise.search(line)]


def build(root: Path | None = None, *, strict: bool = True) -> tuple[int, Path, list[str]]:
    """Run ``jupyter-book build`` (-W -n); return (exit code, log path, problem lines)."""
    root = Path(root or paths.ROOT)
    build_dir = root / "_build"
    build_dir.mkdir(exist_ok=True)
    cleared = invalidate_if_stale(build_dir)
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(root),
               "--keep-going"]
    if strict:
        command += ["-W", "-n"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    log = build_dir / "build.log"
    log.write_text(("(cache cleared: data or code changed)\n" if cleared else "")
                   + result.stdout + result.stderr)
    problems = scan_log(result.stdout + result.stderr)
    code = result.returncode or (1 if problems else 0)
    if code == 0:
        (build_dir / ".scicollab-fingerprint").write_text(fingerprint() + "\n")
    return code, log, problems
