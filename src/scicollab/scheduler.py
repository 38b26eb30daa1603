"""Fan-out on Dask: chapter runs, then each job's last step (an edition's HTML), as tasks.

A job is a list of chapters to execute for one region and, optionally, a function that turns
their results into something (assembling the region's edition). Chapters found in the cache are
not submitted; the rest run on a Dask ``LocalCluster`` (one single-threaded worker per core, at
most :data:`MAX_WORKERS`) or on a running cluster given by its address, each worker keeping one
warm kernel. Chapters go by job, a job's longest first (the short ones fill the gaps at the
end); a local cluster queues them and a free worker takes the next by priority (Dask's
``worker-saturation`` of 1), so the workers share every job's chapters to the end. A job's last
step is submitted once its own chapters and the next job's are done
(:func:`job_order.step_due`) and the next free worker takes it ahead of the chapters after:
editions appear one after another, and the last two steps start together. The HTML build's
modules are imported ahead, in a thread, while chapters run: on as many workers as there are
last steps (with fewer steps than workers, each step goes to a worker that imported them) and,
for a command that assembles HTML itself afterwards (the book), in this process. A failed
chapter or step is reported with its job, chapter and cell error; other jobs go on. With a
single task, or one worker asked for (and no cluster address), the tasks run here one after
another.

A local cluster for a run with at most one last step (one edition; the book) has its workers as
threads of this process: the chapters' work is in the kernels, processes either way, and a
worker thread starts at once with what this process imported. Two last steps never share a
process: Sphinx and docutils keep process-wide state, and a local cluster's worker processes
are forked from a server that has imported Dask and the HTML build once
(:mod:`scicollab.local_cluster`). A local cluster's kernels are forked, likewise, by one kernel
server that has imported what chapters use (:mod:`scicollab.kernel_server`); a running
cluster's workers start their kernels the usual way. Workers die with the process that started
them (Dask's child processes watch their parent), the kernel server with the command and
kernels with their parent (ipykernel watches it), so a killed command leaves no process behind.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from distributed import WorkerPlugin

from . import kernel_server, local_cluster, paths
from .errors import ScicollabError, UsageError
from .executor import Cache, ChapterResult, ChapterSpec
from .job_order import chapter_priority, finish_priority, step_due
from .kernel import Kernel, kernel_environment, without_allocator_settings

MAX_WORKERS = 8  # each worker runs a kernel of a few hundred MB


@dataclass
class Job:
    """Chapters to execute for one region, then an optional last step ``finish(*args, results)``
    (a module-level function, run in a worker)."""

    name: str
    specs: list[ChapterSpec]
    finish: Callable | None = None
    args: tuple = ()


@dataclass
class Outcome:
    """What became of a job: its chapters' results, the last step's value, or the error."""

    name: str
    results: list[ChapterResult] = field(default_factory=list)
    value: object = None
    error: str = ""

    @property
    def ok(self) -> bool:
        """True when every chapter and the last step succeeded."""
        return not self.error


def default_workers() -> int:
    """One worker per CPU this process may use, at most :data:`MAX_WORKERS`."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, usable))


HERE = "here"  # the kernel of tasks run in this process without Dask
_kernels: dict[str, Kernel] = {}  # by worker address: a process holds several in threads


def _worker_kernel(server: str | None = None) -> Kernel:
    """The warm kernel of the Dask worker running this task (of this process without Dask),
    started on first use, forked by the kernel server at ``server`` if one is given. A
    worker's kernel starts with the thread limits Dask gives a worker process (one thread
    each for OpenMP and BLAS), also when the worker is a thread of this process: two kernels
    on two cores do not each start a pool of threads."""
    from distributed import get_worker

    try:
        worker = get_worker().address
    except ValueError:  # not in a Dask task
        worker = HERE
    kernel = _kernels.get(worker)
    if kernel is None:
        limits = {} if worker == HERE else _worker_environment()
        kernel = _kernels[worker] = Kernel(paths.notebooks_dir(), environment=limits,
                                           server=server)
    return kernel


def _worker_environment() -> dict[str, str]:
    """The environment Dask spawns its worker processes with, but for the allocator setting
    (see :data:`kernel.ALLOCATOR_SETTINGS`): its thread limits."""
    import dask

    given = dask.config.get("distributed.nanny.pre-spawn-environ", {}) or {}
    return {name: str(value) for name, value in without_allocator_settings(given).items()}


_importing: threading.Thread | None = None


def import_builder(root: str) -> None:
    """Import the HTML build's modules (:func:`assembly.import_builder`) in a thread of their
    own. A process mostly waits on kernels while chapters run, and its first HTML build then
    no longer starts with about 2 s of imports. Quiet: a module that fails to import here
    fails again, with its message, in the build that needs it. Once per process."""
    global _importing

    if _importing is not None:
        return

    def run() -> None:
        from . import assembly

        with contextlib.suppress(Exception):
            assembly.import_builder(Path(root))

    _importing = threading.Thread(target=run, name="scicollab-import-builder", daemon=True)
    _importing.start()


def stop_kernel(worker: str) -> None:
    """Stop the warm kernel of ``worker`` (a worker's address, or :data:`HERE`), if it has one."""
    kernel = _kernels.pop(worker, None)
    if kernel is not None:
        kernel.shutdown()


def chapter_task(spec: ChapterSpec, cache: tuple[str, str, str], root: str,
                 kernels: str | None = None) -> ChapterResult:
    """A worker's task: the chapter from the cache, else executed into it (never raises for a
    failing chapter: the result carries the error). ``cache`` is the command's cache folder and
    digests, so a worker keys chapters as the command does, whatever code it imported;
    ``kernels`` the address of a kernel server (:mod:`scicollab.kernel_server`) on this
    machine, if there is one."""
    from . import offline

    offline.install_if_requested()
    paths.set_root(root)
    try:
        folder, code, data = cache
        # in a context of its own: Dask runs a task in a copy of the context of the thread that
        # submitted it, and in a worker thread of this process that copy can hold the event
        # loop this thread's own kernel client ran on (jupyter_core keeps it in a context
        # variable), which two worker threads would then share
        return contextvars.Context().run(Cache(Path(folder), code=code, data=data).run, spec,
                                         _worker_kernel(kernels))
    except ScicollabError as exc:
        return ChapterResult(spec.chapter, spec.region.name, error=str(exc))


def builder_imported() -> None:
    """Wait for this process's imports of the HTML build, if :func:`import_builder` started
    them: two threads never import one module at once."""
    if _importing is not None:
        _importing.join()


def finish_task(finish: Callable, args: tuple, root: str, *results: ChapterResult) -> Outcome:
    """A worker's task: a job's last step, once its chapters are done (and the worker's
    imports for it)."""
    from . import offline

    builder_imported()
    offline.install_if_requested()
    paths.set_root(root)
    name = args[0].region.name if args and hasattr(args[0], "region") else finish.__name__
    failed = [r for r in results if not r.ok]
    if failed:
        return Outcome(name, list(results), error=failed[0].error)
    try:
        return Outcome(name, list(results), finish(*args, list(results)))
    except ScicollabError as exc:
        return Outcome(name, list(results), error=str(exc))


class _WorkerSetup(WorkerPlugin):
    """A Dask worker plugin that stops the worker's kernel when the worker closes (the kernel
    starts with the worker's first chapter)."""

    name = "scicollab-worker"

    def teardown(self, worker) -> None:
        """Stop the kernel."""
        stop_kernel(worker.address)


def builder_workers(dask, workers: dict, steps: int) -> list[str]:
    """The workers that import the HTML build ahead (:func:`import_builder`, started on each
    now), of ``workers`` (the scheduler's by address): one per last step, at most every
    worker, in the order of the workers' names. A worker that imports them and gets no step
    would only take CPU from the kernels."""
    chosen = sorted(workers, key=lambda address: str(workers[address].get("name")))[:steps]
    if chosen:  # a worker gone meanwhile imports nothing and is no worse off
        dask.run(import_builder, str(paths.root()), workers=chosen, on_error="ignore")
    return chosen


@contextlib.contextmanager
def client(workers: int | None = None, address: str | None = None, *,
           threads: bool = False) -> Iterator[object]:
    """A Dask client: to the cluster at ``address``, else to a new local cluster whose
    workers are processes, or threads of this process with ``threads`` (see :func:`run`).
    A local cluster's Dask log stays quiet also once it is closed (the cluster quiets it
    while it runs; a connection closing just after was logged with a traceback); a running
    cluster's client keeps Dask's log as it is."""
    from distributed import Client

    if address:
        try:
            connected = Client(address, timeout="10s")
        except (OSError, ValueError) as exc:  # ValueError: an address Dask cannot read
            raise UsageError(f"cannot reach the Dask scheduler at {address} ({exc}); start one "
                             "with `dask scheduler` or leave --scheduler out") from None
        with connected:
            connected.register_plugin(_WorkerSetup())
            yield connected
        return
    count = max(1, min(MAX_WORKERS, workers or default_workers()))
    with local_cluster.started(count, threads, _worker_environment()) as cluster, \
            Client(cluster) as local:
        local.register_plugin(_WorkerSetup())
        yield local


def run(jobs: Sequence[Job], cache: Cache, *, workers: int | None = None,
        address: str | None = None, progress: bool = True,
        here: bool | None = None, assemble_here: bool = False) -> list[Outcome]:
    """Run every job: chapters not in the cache are executed, then each job's last step.

    ``here`` forces the tasks to run in this process (True) or on Dask (False); by default a
    single task, or one worker without a cluster address, runs here. ``assemble_here``: the
    caller builds HTML once this returns, so this process imports the build's modules while
    the chapters run (the caller waits for them with :func:`builder_imported`)."""
    plan: list[list[ChapterResult | ChapterSpec]] = []
    for job in jobs:
        plan.append([cache.lookup(spec) or spec for spec in job.specs])
    pending = sum(isinstance(item, ChapterSpec) for items in plan for item in items)
    steps = sum(job.finish is not None for job in jobs)
    if here is None:
        here = not address and (pending + steps <= 1 or workers == 1)
    if here:
        if assemble_here or steps:
            import_builder(str(paths.root()))
        return _run_here(jobs, plan, cache, progress)
    return _run_on_dask(jobs, plan, cache, workers, address, progress, assemble_here)


def _bar(total: int, progress: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="task", file=sys.stderr, disable=None if progress else True,
                dynamic_ncols=True, leave=False)


def _run_here(jobs, plan, cache: Cache, progress: bool) -> list[Outcome]:
    outcomes = []
    root = str(paths.root())
    try:
        for job, items in zip(jobs, plan, strict=True):
            results = [item if isinstance(item, ChapterResult)
                       else chapter_task(item, cache.digests, root) for item in items]
            if job.finish is None:
                failed = [r for r in results if not r.ok]
                outcomes.append(Outcome(job.name, results,
                                        error=failed[0].error if failed else ""))
            else:
                outcomes.append(finish_task(job.finish, job.args, root, *results))
    finally:
        stop_kernel(HERE)
    return outcomes


def _run_on_dask(jobs, plan, cache: Cache, workers, address, progress,
                 assemble_here: bool = False) -> list[Outcome]:
    from distributed import as_completed

    root = str(paths.root())
    steps = sum(job.finish is not None for job in jobs)
    # a local cluster's kernels are forked by one server, which imports what they need once
    server = (contextlib.nullcontext() if address else
              kernel_server.running(kernel_environment(_worker_environment())))
    with server as kernels, client(workers, address, threads=steps <= 1) as dask:
        workers_now = dask.scheduler_info()["workers"]
        importers = builder_workers(dask, workers_now, steps)
        # with fewer last steps than workers, the n-th step goes to the n-th worker that
        # imported the build (loosely: another takes it if that one is gone)
        pinned = steps < len(workers_now)
        chapters_of: dict[int, list] = {}  # each job's chapters: results or futures
        submitted: dict[int, object] = {}  # each job's last step, once submitted
        pending: dict[int, list] = {}
        for index, items in enumerate(plan):
            chapters = []
            for position, item in enumerate(items):
                if isinstance(item, ChapterSpec):
                    item = dask.submit(chapter_task, item, cache.digests, root, kernels,
                                       pure=False,
                                       key=f"chapter-{index}-{item.chapter}-{os.urandom(4).hex()}",
                                       priority=chapter_priority(index, position))
                    pending.setdefault(index, []).append(item)
                chapters.append(item)
            chapters_of[index] = chapters
        waiting = {index for index, job in enumerate(jobs) if job.finish is not None}
        job_of = {future.key: index for index, chapters in pending.items() for future in chapters}

        def submit_due(candidates) -> list:
            """Submit the last steps among ``candidates`` (job indices) now due."""
            due = [i for i in sorted(waiting.intersection(candidates)) if step_due(i, pending)]
            for index in due:
                where = ({"workers": [importers[steps - len(waiting)]],
                          "allow_other_workers": True} if pinned else {})
                waiting.discard(index)
                job = jobs[index]
                submitted[index] = dask.submit(
                    finish_task, job.finish, job.args, root, *chapters_of[index], pure=False,
                    key=f"finish-{index}-{os.urandom(4).hex()}", priority=finish_priority(index),
                    **where)
            return [submitted[index] for index in due]

        bar = _bar(len(job_of) + len(waiting), progress)
        if assemble_here:  # after this thread's own imports for the run
            import_builder(root)
        running = as_completed([f for chapters in pending.values() for f in chapters]
                               + submit_due(range(len(jobs))))
        try:
            for done in running:
                bar.update(1)
                job = job_of.get(done.key)
                if job is not None:  # a chapter: its job's step, or the one before, may be due
                    for step in submit_due((job - 1, job)):
                        running.add(step)
                with contextlib.suppress(Exception):
                    value = done.result()
                    label = getattr(value, "chapter", None) or getattr(value, "name", "")
                    bar.set_postfix_str(str(label)[:30])
        finally:
            bar.close()
        # every step is due once every chapter is done; a step still waiting is reported, never
        # taken for a job without one
        return [Outcome(job.name, error="its last step was never submitted") if index in waiting
                else _outcome(job, submitted.get(index, chapters_of[index]))
                for index, job in enumerate(jobs)]


def _outcome(job: Job, handle) -> Outcome:
    if isinstance(handle, list):
        results = []
        for item in handle:
            if isinstance(item, ChapterResult):
                results.append(item)
                continue
            try:
                results.append(item.result())
            except Exception as exc:  # a task that raised: report it, the others go on
                results.append(ChapterResult("?", job.name, error=f"{type(exc).__name__}: {exc}"))
        failed = [r for r in results if not r.ok]
        return Outcome(job.name, results, error=failed[0].error if failed else "")
    try:
        return handle.result()
    except Exception as exc:
        return Outcome(job.name, error=f"{type(exc).__name__}: {exc}")
