"""Print build timings on this machine: the main book and region editions, cold and warm.

Run from the repository root (it takes several minutes; other work on the machine skews it):

    .venv/bin/python benchmarks/editions.py                 # everything
    .venv/bin/python benchmarks/editions.py --skip-book     # region editions only
    .venv/bin/python benchmarks/editions.py --skip-all      # without the all-regions run

Everything is written under a temporary folder (``--work``, default /tmp/scicollab-bench); the
repository's notebooks and _build/ are not touched. The book timings build a copy of the book
whose notebooks can be changed; "one chapter changed" adds a code cell to the GERD chapter.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from scicollab import book, editions, paths, regions, runner

GOALS = {
    "book: cold full build": 60, "book: no-change rebuild": 3,
    "edition: one region, cold": 20, "editions: all regions, cold": 180,
}


def timed(label: str, results: dict[str, float], action) -> object:
    """Run ``action``, record and print its wall time."""
    start = time.perf_counter()
    value = action()
    results[label] = time.perf_counter() - start
    goal = GOALS.get(label)
    note = f"  (goal ≤ {goal} s)" if goal else ""
    print(f"{label:45s} {results[label]:8.1f} s{note}", flush=True)
    return value


def copy_book(target: Path) -> Path:
    """A copy of the book's sources whose notebooks the benchmark may change."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy2(paths.root() / name, target / name)
    for folder in ("book", "notebooks"):
        shutil.copytree(paths.root() / folder, target / folder)
    for item in paths.root().iterdir():
        if item.is_dir() and not item.name.startswith((".", "_")) and not (target / item.name
                                                                             ).exists():
            (target / item.name).symlink_to(item, target_is_directory=True)
    return target


def bench_book(work: Path, results: dict[str, float]) -> None:
    """Main book: cold, no change, one chapter's code changed (jupyter-cache re-executes it)."""
    root = copy_book(work / "book-src")
    out = work / "book-out"
    shutil.rmtree(out, ignore_errors=True)

    def build() -> None:
        code, log, problems = book.build(root, out=out)
        if code:
            print(f"  build failed ({log}): {problems[:3]}", flush=True)

    timed("book: cold full build", results, build)
    timed("book: no-change rebuild", results, build)
    gerd = root / "notebooks" / "gerd.md"
    gerd.write_text(gerd.read_text() + "\n```{code-cell} ipython3\n:tags: [remove-cell]\n\n"
                    f"_benchmark = {time.time_ns()}\n```\n")
    timed("book: one chapter changed", results, build)


def bench_editions(work: Path, results: dict[str, float], do_all: bool, workers: int) -> None:
    """Region editions: one region cold and warm, one chapter changed, all regions cold."""
    region = regions.resolve("Sub-Saharan Africa")
    one = work / "regions-one"
    shutil.rmtree(one, ignore_errors=True)
    runner.regions_dir = lambda: one  # keep the benchmark's cache apart from _build/regions
    cold = timed("edition: one region, cold", results,
                 lambda: editions.build_edition(region, workers=workers, progress=False))
    results["chapters' own compute, one region"] = cold.compute_seconds
    print(f"{'  sum of its chapters own compute time':45s} {cold.compute_seconds:8.1f} s "
          f"({len(cold.chapters)} chapters)", flush=True)
    timed("edition: one region, warm (no change)", results,
          lambda: editions.build_edition(region, workers=workers, progress=False))
    if do_all:
        every = work / "regions-all"
        shutil.rmtree(every, ignore_errors=True)
        runner.regions_dir = lambda: every
        chosen = [regions.resolve(n) for n in regions.names()]
        done = timed("editions: all regions, cold", results,
                     lambda: editions.build_editions(chosen, workers=workers, progress=False))
        total = sum(r.compute_seconds for r in done)
        results["chapters' own compute, all regions"] = total
        print(f"{'  sum of chapters own compute time':45s} {total:8.1f} s "
              f"({sum(len(r.chapters) for r in done)} chapter runs, "
              f"{sum(r.status != 'ok' for r in done)} regions failed)", flush=True)
        print(editions.summary_table(done))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/scicollab-bench"))
    parser.add_argument("--skip-book", action="store_true")
    parser.add_argument("--skip-all", action="store_true", help="skip the all-regions run")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} cores, load average {load:.2f} at start "
          f"({'busy: timings are pessimistic' if load > 0.5 else 'idle'})", flush=True)
    results: dict[str, float] = {}
    if not args.skip_book:
        bench_book(args.work, results)
    bench_editions(args.work, results, not args.skip_all, args.workers)
    print(f"load average at end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
