"""Build the HTML book with Jupyter Book, re-executing chapters when data or code change.

jupyter-cache keys on a notebook's code cells only, and Sphinx re-reads only changed sources.
A fingerprint of the processed data and the package's code is kept beside the build: when it
changes, the execution cache and Sphinx's saved doctrees are cleared so every chapter runs
again against the new data or code.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

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


def _config_for(root: Path, build_dir: Path) -> Path:
    """A copy of _config.yml whose cache and bibliography paths point at this build."""
    config = yaml.safe_load((root / "_config.yml").read_text())
    config["execute"]["cache"] = str(build_dir / ".jupyter_cache")
    config["bibtex_bibfiles"] = [str(root / f) for f in config.get("bibtex_bibfiles", [])]
    target = build_dir / "_config.yml"
    target.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return target


def build(root: Path | None = None, *, strict: bool = True,
          out: Path | None = None) -> tuple[int, Path, list[str]]:
    """Run ``jupyter-book build`` (-W -n) with output under ``out`` (default: the repository).

    Returns (exit code, log path, problem lines). The HTML lands in ``out/_build/html``.
    """
    root = Path(root or paths.ROOT)
    out = Path(out or root).resolve()
    build_dir = out / "_build"
    build_dir.mkdir(parents=True, exist_ok=True)
    cleared = invalidate_if_stale(build_dir)
    launcher = ([sys.executable, "-m", "scicollab.offline", "jupyter-book"]
                if os.environ.get("SCICOLLAB_OFFLINE") == "1"
                else [str(Path(sys.executable).with_name("jupyter-book"))])
    command = [*launcher, "build", str(root),
               "--keep-going", "--path-output", str(out),
               "--config", str(_config_for(root, build_dir))]
    if strict:
        command += ["-W", "-n"]
    env = {**os.environ, "SCICOLLAB_FIGURES": str(build_dir / "figures"),
           "SCICOLLAB_LINK_EDITIONS": "1"}
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    log = build_dir / "build.log"
    log.write_text(("(cache cleared: data or code changed)\n" if cleared else "")
                   + result.stdout + result.stderr)
    problems = scan_log(result.stdout + result.stderr)
    code = result.returncode or (1 if problems else 0)
    if code == 0:
        from . import editions

        editions.publish_into(build_dir / "html")
        (build_dir / ".scicollab-fingerprint").write_text(fingerprint() + "\n")
    return code, log, problems
