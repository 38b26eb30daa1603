"""Build timings as ratios to a yardstick measured in the same run: plain `jupyter-book build`
of the same book (its own sequential execution, cold).

Run from the repository root (`make bench`; it takes a while, and other work on the machine
skews it). Every build happens in its own copy of the project under ``--work`` (default
/tmp/scicollab-bench), so the repository's _build/ is not touched:

    .venv/bin/python benchmarks/bench.py                   # everything
    .venv/bin/python benchmarks/bench.py --skip-economies  # without the every-economy run
    .venv/bin/python benchmarks/bench.py --profile-only    # where a chapter's time goes

The yardstick is measured at the start and again at the end; ratios in the final table are to
the mean of the two, and both are printed (this machine's speed drifts during a run).

Goals (issue 15): cold book <= 0.35x, no-change rebuild <= 1 s, one edition cold <= 0.15x,
the 18 named regions <= 1.0x, every economy <= 10x, two Dask workers >= 1.7x faster than one.
Before the named regions and before the four economies, the speedup this machine's two virtual
CPUs give two processes of pure Python work over one, measured in the same run: the builds run
two processes at once and the yardstick mostly one, so both ratios move with it. Two workers
against one are measured on four economies (one, two, two, one workers), on the 18 named
regions (two, one, one, two: the first is the goal's run) and on every economy (the goal's run
on two workers, then one worker: one pair, a quarter of an hour each); with each, the CPU time
each side took in all its processes and the most two workers could gain with both CPUs busy
throughout.
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil

from scicollab import builds, paths, regions

# each goal: the most a build may take, as a ratio to the yardstick ("x") or in seconds ("s")
GOALS = {"book: cold": (0.35, "x"), "book: no change": (1.0, "s"),
         "edition: one region, cold": (0.15, "x"), "editions: 18 named regions, cold": (1.0, "x"),
         "editions: every economy, cold": (10.0, "x")}
WORKERS_GOAL = 1.7  # two Dask workers at least this many times faster than one


def verdict(label: str, seconds: float, unit: float) -> str:
    """The goal of the build ``label`` and whether ``seconds`` meets it, judged on the exact
    numbers (a ratio printed as 1.00x may be 1.004x): e.g. "<= 1.0x: met", "" without one."""
    if label not in GOALS:
        return ""
    limit, kind = GOALS[label]
    value = seconds / unit if kind == "x" else seconds
    shown = f"{limit:g}x" if kind == "x" else f"{limit:g} s"
    return f"<= {shown}: {'met' if value <= limit else 'not met'}"


def workers_verdict(one: float, two: float) -> str:
    """How many times faster two workers were than one (seconds ``one`` and ``two``), the goal
    and whether it is met, judged on the exact numbers: e.g. "1.623x faster (goal >= 1.7x: not
    met)"."""
    met = one / two >= WORKERS_GOAL
    return (f"{one / two:.3f}x faster (goal >= {WORKERS_GOAL:g}x: "
            f"{'met' if met else 'not met'})")


def copy_project(target: Path) -> Path:
    """A copy of the book's sources (data linked) with its own _build/."""
    source = paths.find_root()
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in ("_config.yml", "_toc.yml", "CITATION.cff"):
        shutil.copy2(source / name, target / name)
    for folder in ("book", "notebooks"):
        shutil.copytree(source / folder, target / folder,
                        ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
    (target / "data").symlink_to(source / "data", target_is_directory=True)
    return target


def timed(action) -> tuple[float, object]:
    """Seconds taken by ``action()`` and its value."""
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def yardstick(work: Path) -> float:
    """Plain `jupyter-book build` of the book, executing its notebooks itself, cold."""
    root = copy_project(work / "yardstick")
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(root),
               "--path-output", str(root)]
    # run inside the copy: _config.yml's jupyter-cache path is relative to the working folder,
    # and a cache left by an earlier build elsewhere would make the yardstick warm
    seconds, done = timed(lambda: subprocess.run(command, capture_output=True, text=True,
                                                 check=False, cwd=root))
    if done.returncode:
        print(done.stdout[-2000:], done.stderr[-2000:])
        raise SystemExit("the yardstick build failed")
    return seconds


def size(folder: Path) -> int:
    """Bytes of every file under ``folder`` (hard links counted once)."""
    seen, total = set(), 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            stat = path.stat()
            if (stat.st_dev, stat.st_ino) not in seen:
                seen.add((stat.st_dev, stat.st_ino))
                total += stat.st_size
    return total


def built(outcomes: list) -> list:
    """The outcomes, after printing every edition that failed (a benchmark of failing builds
    would time the wrong thing): region, status and the first error of each."""
    failed = [o for o in outcomes if o.status == "failed"]
    for outcome in failed:
        errors = [r.error for r in outcome.results if r.error] or [outcome.error]
        print(f"  FAILED {outcome.region}: {errors[0].strip()[:2000]}", flush=True)
    if failed:
        print(f"  {len(failed)} of {len(outcomes)} editions failed", flush=True)
    return outcomes


def cpu_seconds() -> float:
    """CPU seconds (user and system) of this process, of every process it has started and
    waited for (theirs included: a run's kernel server and the kernels it forked) and of its
    children still running and those they waited for: the fork server that Dask's worker
    processes are forked from lives as long as this process, and reaps the workers."""
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                          resource.RUSAGE_CHILDREN))
    total = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    for child in psutil.Process().children():
        with contextlib.suppress(psutil.NoSuchProcess):
            used = child.cpu_times()
            total += used.user + used.system + used.children_user + used.children_system
    return total


def workers_ceiling(one_seconds: float, two_cpu: float) -> float:
    """The most two workers could gain over one that took ``one_seconds``, given that their
    processes needed ``two_cpu`` seconds of CPU in all: two CPUs busy the whole time."""
    return 2 * one_seconds / two_cpu


def timed_editions(members: list, workers: int) -> tuple[float, float]:
    """Seconds and CPU seconds (in all processes, :func:`cpu_seconds`) to build the editions
    of ``members`` in the current project on ``workers`` Dask workers."""
    before = cpu_seconds()
    seconds = timed(lambda: built(builds.editions(members, workers=workers, here=False,
                                                  progress=False)))[0]
    return seconds, cpu_seconds() - before


def cold_editions(root: Path, members: list, workers: int) -> tuple[float, float]:
    """:func:`timed_editions` cold, in a fresh copy of the project at ``root``."""
    paths.set_root(copy_project(root))
    return timed_editions(members, workers)


def print_workers(what: str, one: float, two: float, one_cpu: float, two_cpu: float) -> None:
    """Print how much faster two workers built ``what`` than one (:func:`workers_verdict`),
    the CPU each side took and the most that leaves two workers (:func:`workers_ceiling`)."""
    print(f"two workers against one, {what}: {workers_verdict(one, two)}")
    print(f"  CPU in all processes: {one_cpu:.1f} s on one worker, {two_cpu:.1f} s on two; "
          f"with both CPUs busy throughout, two workers could be at most "
          f"{workers_ceiling(one, two_cpu):.3f}x faster than one", flush=True)


def run_folder(work: Path, what: str, workers: int, run: int) -> Path:
    """The copy of the project in which run number ``run`` of :func:`workers_ratio` built
    ``what`` on ``workers`` workers."""
    return work / f"{what.replace(' ', '-')}-{workers}-{run}"


def means(runs: dict[int, list[tuple[float, float]]]) -> tuple[float, float, float, float]:
    """Of :func:`workers_ratio`'s runs: the mean seconds on one worker and on two, then the
    mean CPU seconds on one and on two."""
    return tuple(sum(run[part] for run in runs[w]) / len(runs[w])
                 for part in (0, 1) for w in (1, 2))


def workers_ratio(work: Path, record, what: str, members: list,
                  order: tuple[int, ...]) -> dict[int, list[tuple[float, float]]]:
    """The editions of ``members`` (``what``, e.g. "4 economies") on one Dask worker and on
    two, each run cold in a fresh copy (:func:`run_folder`), in ``order`` (e.g. one, two, two,
    one), so that a drift of the machine's speed during the runs weighs on both sides alike.
    Records each side's mean and prints how much faster two workers were, with the CPU each
    side took (:func:`print_workers`). Returns each side's runs, (seconds, CPU seconds) in the
    order made, by number of workers."""
    runs: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
    for run, workers in enumerate(order):
        took, used = cold_editions(run_folder(work, what, workers, run), members, workers)
        runs[workers].append((took, used))
        print(f"  {what} on {workers} worker(s): {took:.1f} s, {used:.1f} s of CPU", flush=True)
    one, two, one_cpu, two_cpu = means(runs)
    for workers, mean in ((1, one), (2, two)):
        record(f"editions: {what}, dask, {workers} worker{'s' * (workers > 1)} "
               f"(mean of {len(runs[workers])})", mean)
    print_workers(what, one, two, one_cpu, two_cpu)
    return runs


# a piece of pure Python work (about 2 s here), the kind a chapter's figure code and Sphinx do
SPIN = "x = 0\nfor i in range(25_000_000):\n    x += i\n"


def economies_ratio(work: Path, record, site_root: Path,
                    ready: list) -> tuple[float, float, float, float]:
    """Every economy's editions (``ready``): the goal's run on two workers in the site's copy
    at ``site_root`` (:func:`timed_editions`), then on one worker in a fresh copy
    (:func:`cold_editions`); records both, prints how much faster two workers were
    (:func:`print_workers`) and leaves the project root at the site. Returns seconds on one
    worker and on two, then CPU seconds on one and on two."""
    paths.set_root(site_root)
    two, two_cpu = timed_editions(ready, 2)
    record("editions: every economy, cold", two)
    one, one_cpu = cold_editions(run_folder(work, "every economy", 1, 0), ready, 1)
    record("editions: every economy, dask, 1 worker", one)
    print_workers("every economy", one, two, one_cpu, two_cpu)
    paths.set_root(site_root)
    return one, two, one_cpu, two_cpu


def _concurrent(processes: int) -> float:
    """Seconds for ``processes`` Python processes, started together, to each do :data:`SPIN`."""
    start = time.perf_counter()
    running = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(processes)]
    for process in running:
        process.wait()
    return time.perf_counter() - start


def machine_speedup(run=_concurrent, rounds: int = 2, report: bool = False) -> float:
    """How many times faster two processes do two pieces of the same work than one process
    does one piece each time, in the order one, two, two, one (``rounds`` times): the most two
    workers can gain over one on this machine at the time, measured in the same run. Its two
    virtual CPUs do not always give two CPUs' worth: the second process's CPU time grows with
    the host's load. With ``report``, the speedup is also printed."""
    one, two = [], []
    for _ in range(rounds):
        for processes in (1, 2, 2, 1):
            (one if processes == 1 else two).append(run(processes))
    speedup = 2 * (sum(one) / len(one)) / (sum(two) / len(two))
    if report:
        print(f"this machine's two processes against one, pure Python work: {speedup:.3f}x "
              "faster", flush=True)
    return speedup


def report(rows: list[tuple[str, float]], first: float, last: float) -> None:
    """Print the table: measure, seconds, ratio to the yardstick (the mean of its runs at the
    start and at the end, so that the machine's drift during the run weighs on every ratio
    alike), goal and whether it is met (:func:`verdict`)."""
    unit = (first + last) / 2
    print(f"\n{'measure':56s} {'seconds':>9s} {'ratio':>8s}  goal")
    for label, seconds in rows:
        print(f"{label:56s} {seconds:9.1f} {seconds / unit:7.3f}x  "
              f"{verdict(label, seconds, unit)}")
    print(f"(yardstick: plain jupyter-book build, cold, {unit:.1f} s: the mean of {first:.1f} s "
          f"at the start and {last:.1f} s at the end)")


def profile(region: str = "Sub-Saharan Africa") -> None:
    """Where one region's chapters spend their time, from each chapter's run.json: in the
    kernel, saving figures (PNG and SVG), the rest (analysis and drawing), and the executor's
    own overhead (parameters, notebook I/O, kernel messages)."""
    import json

    root = copy_project(Path("/tmp/scicollab-bench") / "profile")
    paths.set_root(root)
    _, results = builds.run(regions.resolve(region), workers=1, progress=False)
    print(f"\n{'chapter':22s} {'wall s':>7s} {'kernel s':>9s} {'saving s':>9s} {'rest s':>7s}")
    totals = [0.0, 0.0, 0.0]
    for result in results:
        record = json.loads((result.folder / "run.json").read_text())
        parts = record.get("parts", {})
        kernel = parts.get("chapter in the kernel", 0.0)
        saving = parts.get("saving figures", 0.0)
        totals = [totals[0] + record["seconds"], totals[1] + kernel, totals[2] + saving]
        print(f"{result.chapter:22s} {record['seconds']:7.2f} {kernel:9.2f} {saving:9.2f} "
              f"{kernel - saving:7.2f}")
    print(f"{'all chapters':22s} {totals[0]:7.2f} {totals[1]:9.2f} {totals[2]:9.2f} "
          f"{totals[1] - totals[2]:7.2f}")


def main() -> None:
    """Measure and print every ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/scicollab-bench"))
    parser.add_argument("--skip-economies", action="store_true")
    parser.add_argument("--profile-only", action="store_true")
    args = parser.parse_args()
    if args.profile_only:
        profile()
        return
    args.work.mkdir(parents=True, exist_ok=True)
    first = yardstick(args.work)
    print(f"yardstick: {first:.1f} s", flush=True)
    rows: list[tuple[str, float]] = []

    def record(label: str, seconds: float) -> None:
        rows.append((label, seconds))
        print(f"{label:56s} {seconds:8.1f} s  {seconds / first:.2f}x (to the first yardstick)",
              flush=True)

    book_root = copy_project(args.work / "book")
    paths.set_root(book_root)
    record("book: cold", timed(lambda: builds.book(progress=False))[0])
    record("book: no change", timed(lambda: subprocess.run(
        [sys.executable, "-m", "scicollab", "book", "-q"], cwd=book_root,
        capture_output=True, check=True))[0])
    record("edition: one region, cold", timed(lambda: built(builds.editions(
        [regions.resolve("Sub-Saharan Africa")], progress=False)))[0])
    edition = book_root / "_build" / "regions" / "sub-saharan-africa" / "html"

    named = [regions.resolve(n) for n in regions.names()]
    ceilings = [machine_speedup(report=True)]
    # two workers, one, one, two: the first is the goal's run (two workers, one per CPU of this
    # machine), and its copy becomes the site below
    order = (2, 1, 1, 2)
    named_runs = workers_ratio(args.work, record, "18 named regions", named, order)
    record("editions: 18 named regions, cold", named_runs[2][0][0])

    ceilings.append(machine_speedup(report=True))
    few = [regions.resolve(n) for n in ("Kenya", "Chile", "Viet Nam", "Poland")]
    few_runs = workers_ratio(args.work, record, "4 economies", few, (1, 2, 2, 1))

    # the site is the named regions' first copy, with every economy's edition added unless
    # skipped
    site_root = run_folder(args.work, "18 named regions", order[0], 0)
    paths.set_root(site_root)
    ratios = [("four economies", *means(few_runs)[:2]),
              ("the 18 named regions", *means(named_runs)[:2])]
    if not args.skip_economies:
        ready, skipped = builds.economies_with_data()
        print(f"every economy: {len(ready)} to build, {len(skipped)} skipped for lack of data",
              flush=True)
        ratios.append(("every economy", *economies_ratio(args.work, record, site_root,
                                                         ready)[:2]))
    published_label = ("book with the named regions' editions published" if args.skip_economies
                       else "book with every edition published")
    record(published_label, timed(lambda: builds.book(progress=False))[0])
    last = yardstick(args.work)
    print(f"yardstick again: {last:.1f} s ({last / first - 1:+.0%} against the first)",
          flush=True)
    report(rows, first, last)
    site = site_root / "_build" / "html"
    published = site / "regions" / "sub-saharan-africa"
    print(f"\none edition: {size(edition) / 1e6:.1f} MB on its own, "
          f"{size(published) / 1e6:.2f} MB inside the site (shared files left out)")
    print(f"the whole site: {size(site) / 1e6:.0f} MB "
          f"({len(list((site / 'regions').iterdir()))} editions)")
    for what, one, two in ratios:
        print(f"two Dask workers against one on {what}: {workers_verdict(one, two)}")
    print(f"this machine's two processes against one on pure Python work: {ceilings[0]:.3f}x "
          f"before the named regions, {ceilings[1]:.3f}x before the four economies (the "
          "builds run two processes at once, the yardstick mostly one)")


if __name__ == "__main__":
    main()
