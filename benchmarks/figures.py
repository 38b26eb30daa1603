"""Print how long each chapter's figures take to draw and save (PNG, SVG, CSV, JSON).

Run from the repository root; figures go to a temporary folder, nothing in _build/ changes:

    .venv/bin/python benchmarks/figures.py                        # the World edition
    .venv/bin/python benchmarks/figures.py --region "Sub-Saharan Africa"

Each chapter's code cells run as in the book, with ``publish_figure`` timed: the time of a
figure is from the start of its drawing function to the end of its files being written (and,
where the chapter has one, its interactive version, built and saved). Analysis time is not
counted.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from scicollab import figures, interactive, paths, report
from scicollab.chapters import catalogue

CELL = re.compile(r"```\{code-cell\}[^\n]*\n(.*?)```", re.S)


def _timed(chapter: str, times: list[tuple[str, str, float]]):
    """Wrap every function named *figure* in the chapter's module with a timer."""
    import importlib

    module = importlib.import_module(f"scicollab.chapters.{chapter}")
    for name in dir(module):
        function = getattr(module, name)
        if (callable(function) and name.endswith(("figure", "_map"))
                and not name.startswith(("_", "explore"))):
            def wrapper(*args, _f=function, _n=name, **kwargs):
                start = time.perf_counter()
                result = _f(*args, **kwargs)
                times.append((chapter, _n, -start))
                return result
            setattr(module, name, wrapper)


def main() -> int:
    """Run every chapter's cells and print the time per figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default="World")
    parser.add_argument("--chapter", action="append", help="only these chapters (repeatable)")
    parser.add_argument("--out", type=Path, help="keep the figures in this folder")
    args = parser.parse_args()
    times: list[tuple[str, str, float]] = []
    out = args.out or Path(tempfile.mkdtemp(prefix="scicollab-figures-"))
    figures.output_dir = lambda: out
    report.glue_all = lambda numbers: None
    report.glue_value = lambda key, value: None
    saver = figures.save

    published = [0.0]

    def publish(key, fig, spec, data):
        saver(fig, spec, data, out)
        matplotlib.pyplot.close(fig)
        chapter, name, started = times[-1]
        published[0] = time.perf_counter()
        times[-1] = (chapter, f"{name} ({spec.id})", published[0] + started)

    report.publish_figure = publish

    def publish_interactive(key, fig, spec):
        interactive.block(spec, interactive.to_json(fig))
        interactive.save(fig, spec, out)
        chapter, name, seconds = times[-1]
        times[-1] = (chapter, f"{name} + interactive", seconds + time.perf_counter()
                     - published[0])

    interactive.publish = publish_interactive
    total_start = time.perf_counter()
    for chapter in catalogue.chapters():
        source = (paths.notebooks_dir() / f"{chapter}.md").read_text(encoding="utf-8")
        if "publish_figure(" not in source or (args.chapter and chapter not in args.chapter):
            continue
        _timed(chapter, times)
        namespace = {"region": args.region, "members": ""}
        for cell in CELL.findall(source):
            if re.match(r"\s*:tags: \[parameters", cell):
                continue
            code = "\n".join(line for line in cell.splitlines() if not line.startswith(":tags:"))
            exec(compile(code, f"{chapter}.md", "exec"), namespace)
    total = time.perf_counter() - total_start
    for chapter, name, seconds in times:
        print(f"{seconds:7.3f} s  {chapter}: {name}")
    values = [s for _, _, s in times]
    median = statistics.median(values)
    print(f"{len(values)} figures: total {sum(values):.2f} s, median {median:.3f} s, "
          f"max {max(values):.3f} s (all chapters' cells: {total:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
