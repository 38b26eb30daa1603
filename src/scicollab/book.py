"""Build the HTML book with Jupyter Book, re-executing chapters when data or code change.

jupyter-cache keys on a notebook's code cells only, and Sphinx re-reads only changed sources.
A fingerprint of the processed data and the package's code is kept beside the build: when it
changes, the execution cache and Sphinx's saved doctrees are cleared so every chapter runs
again against the new data or code. Chapters missing from the cache are executed in parallel
worker processes first (:mod:`scicollab.execution`); Jupyter Book then only renders.
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


def hash_files(digest, files, root: Path) -> None:
    """Add each existing file's path (relative to ``root``) and bytes to a hashlib digest."""
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())


def fingerprint() -> str:
    """sha256 over the data version, the package version and every package source file."""
    digest = hashlib.sha256()
    digest.update(f"data:{datasets.data_version()}\nversion:{__version__}\n".encode())
    package = Path(__file__).parent
    hash_files(digest, (path for path in sorted(package.rglob("*"))
                        if path.suffix in {".py", ".yml"} and "__pycache__" not in path.parts),
               package)
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


KERNEL_MESSAGING_ERROR = re.compile(
    r"^ERROR:tornado\.general:Uncaught exception in ZMQStream callback")
CHAPTER_CODE = re.compile(r"scicollab|ipykernel_\d+/|<ipython-input|notebooks/")
CHAINED = re.compile(r"^(During handling of the above exception|The above exception was the)")


def _traceback_end(lines: list[str], start: int) -> int:
    """Index just past the traceback (and any chained ones) whose header is ``lines[start]``."""
    end = start + 1
    while True:
        while end < len(lines) and lines[end].startswith((" ", "\t")):
            end += 1
        end = min(end + 1, len(lines))  # the exception line
        after = next((i for i in range(end, len(lines)) if lines[i].strip()), None)
        if after is None or not CHAINED.match(lines[after]):
            return end
        header = next((i for i in range(after + 1, len(lines)) if lines[i].strip()), None)
        if header is None or not lines[header].startswith("Traceback"):
            return end
        end = header + 1


def _kernel_messaging_spans(lines: list[str]) -> list[range]:
    spans, i = [], 0
    while i < len(lines):
        if (KERNEL_MESSAGING_ERROR.match(lines[i]) and i + 1 < len(lines)
                and lines[i + 1].startswith("Traceback (most recent call last)")):
            end = _traceback_end(lines, i + 1)
            if not any(CHAPTER_CODE.search(line) for line in lines[i:end]):
                spans.append(range(i, end))
            i = end
        else:
            i += 1
    return spans


def kernel_messaging_errors(text: str) -> list[str]:
    """Tracebacks the kernels' own messaging layer logged, with no chapter code in them.

    ipykernel logs an exception raised inside its ZeroMQ stream callbacks (typically a socket
    closed while the kernel shuts down) as ``ERROR:tornado.general:Uncaught exception in
    ZMQStream callback`` and carries on. It is not a chapter failure: a lost output would show
    up as a missing glue key or figure, which the strict build reports. A traceback that passes
    through chapter or package code is never counted here.
    """
    lines = text.splitlines()
    return ["\n".join(lines[i] for i in span) for span in _kernel_messaging_spans(lines)]


def scan_log(text: str) -> list[str]:
    """Lines of a build log that mean the build is not clean (warnings, tracebacks).

    Kernel start-up notices and the kernels' own messaging errors
    (:func:`kernel_messaging_errors`) are not problems of the book.
    """
    noise = re.compile(r"Kernel is running over TCP without encryption")
    pattern = re.compile("|".join(FAILURE_PATTERNS))
    lines = text.splitlines()
    ignored = {i for span in _kernel_messaging_spans(lines) for i in span}
    return [line for i, line in enumerate(lines)
            if i not in ignored and pattern.search(line) and not noise.search(line)]


def static_digest(root: Path, folders: list[str]) -> str:
    """sha256 over the files of the site's static folders (style sheets, images)."""
    digest = hashlib.sha256()
    for folder in folders:
        hash_files(digest, sorted((root / folder).rglob("*")), root)
    return digest.hexdigest()


def _config_for(root: Path, build_dir: Path) -> Path:
    """A copy of _config.yml whose cache and bibliography paths point at this build.

    Sphinx copies static files only when it writes a page, and rewrites pages only when a
    source or an HTML setting changed: the digest of the static folders, put among the HTML
    settings (``html_context``), makes a changed style sheet rewrite the pages (from the
    execution cache; nothing is executed again).
    """
    config = yaml.safe_load((root / "_config.yml").read_text())
    config["execute"]["cache"] = str(build_dir / ".jupyter_cache")
    config["bibtex_bibfiles"] = [str(root / f) for f in config.get("bibtex_bibfiles", [])]
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx["scicollab_figures"] = str(build_dir / "figures")
    sphinx.setdefault("html_context", {})["scicollab_static"] = static_digest(
        root, sphinx.get("html_static_path", []))
    target = build_dir / "_config.yml"
    target.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return target


def _execute_first(root: Path, build_dir: Path, env: dict[str, str], workers: int) -> str:
    """Run the uncached notebook pages in parallel into the build's cache; a log section."""
    from . import execution

    settings = yaml.safe_load((root / "_config.yml").read_text()).get("execute", {})
    if settings.get("execute_notebooks") != "cache":
        return ""
    runs = execution.execute_pages(root, build_dir / ".jupyter_cache",
                                   timeout=int(settings.get("timeout", 30)), workers=workers,
                                   env=env)
    lines = [f"executed {len(runs)} notebook page(s) in {workers} worker process(es)"]
    for run in runs:
        status = "ok" if run.error is None else "FAILED (the book build runs it again)"
        lines.append(f"--- {run.page.relative_to(root)}: {run.seconds:.1f} s, {status}")
        lines.extend(line for line in run.stderr.splitlines() if line.strip())
        if run.error:
            lines.append(run.error.rstrip())
    return "\n".join(lines) + "\n"


def build(root: Path | None = None, *, strict: bool = True, out: Path | None = None,
          workers: int | None = None) -> tuple[int, Path, list[str]]:
    """Run ``jupyter-book build`` (-W -n) with output under ``out`` (default: the repository).

    Notebook pages not in the execution cache are first executed in ``workers`` processes
    (default: one per usable CPU, at most eight). Returns (exit code, log path, problem
    lines). The HTML lands in ``out/_build/html``.
    """
    root = Path(root or paths.root())
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
    kernel_env = {"SCICOLLAB_FIGURES": str(build_dir / "figures"),
                  "SCICOLLAB_LINK_EDITIONS": "1"}
    from .execution import default_workers

    executed = _execute_first(root, build_dir, kernel_env, workers or default_workers())
    result = subprocess.run(command, capture_output=True, text=True, check=False,
                            env={**os.environ, **kernel_env})
    text = executed + result.stdout + result.stderr
    log = build_dir / "build.log"
    log.write_text(("(cache cleared: data or code changed)\n" if cleared else "") + text)
    problems = scan_log(text)
    code = result.returncode or (1 if problems else 0)
    if code == 0:
        from . import editions

        editions.publish_into(build_dir / "html")
        (build_dir / ".scicollab-fingerprint").write_text(fingerprint() + "\n")
    return code, log, problems
