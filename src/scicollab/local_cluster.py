"""A local Dask cluster as the scheduler starts one: its settings, and its worker processes
forked from a server that has imported what they run.

Dask spawns each worker of a local cluster as a fresh Python, which then imports Dask, the
executor and (for a worker that builds editions) Jupyter Book, Sphinx and the book's extensions:
about 2.4 s of CPU per worker, paid again by every worker on a machine whose CPUs the kernels
need. With Python's ``forkserver`` start method, one server process imports Dask, the kernel
client and the HTML build once and each worker is forked from it (scicollab's own modules each
worker imports itself, see :data:`MODULES`); the server is Python's own
(:mod:`multiprocessing.forkserver`), one per command, started with its first cluster of worker
processes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

# Tasks queued, one at a time per worker thread (see :mod:`scicollab.scheduler`); no
# statistical profiler sampling each worker's threads every 10 ms, and the scheduler's and
# workers' system and memory monitors every few seconds instead of several times a second.
# Those serve Dask's dashboard, which a local cluster here does not start, and they take CPU
# from the kernels on a machine with as many workers as cores.
SETTINGS = {
    "distributed.scheduler.worker-saturation": 1.0,
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "2s",
    "distributed.worker.multiprocessing-method": "forkserver",
}
LOG_LEVEL = 50  # logging.CRITICAL: the level a local cluster quiets Dask's log to
# what the fork server imports: Dask's worker, the kernel client and the HTML build's modules
# that do not depend on a project's configuration. Not scicollab's own (0.1 s a worker): the
# server lives as long as the process that started it, and a process that lives on (a test
# session, a notebook) gives each new cluster's workers the code as it is then
MODULES = ("distributed", "distributed.nanny", "nbclient", "jupyter_client", "jupyter_book.cli",
           "jupyter_book.config", "jupyter_book.sphinx", "myst_nb.sphinx_ext",
           "sphinx.application", "sphinx.builders.html")


@contextlib.contextmanager
def started(workers: int, threads: bool, environment: Mapping[str, str]) -> Iterator[object]:
    """A local cluster of ``workers`` single-threaded workers: threads of this process with
    ``threads``, else processes forked from the fork server, started with ``environment``
    (Dask's ``pre-spawn-environ``; the workers are spawned without the allocator setting
    Dask gives them, see :data:`kernel.ALLOCATOR_SETTINGS`). Dask's log stays quiet."""
    import logging

    import dask
    from distributed import LocalCluster
    from distributed.utils import get_mp_context

    logging.getLogger("distributed").setLevel(LOG_LEVEL)
    with dask.config.set({**SETTINGS, "distributed.nanny.pre-spawn-environ": dict(environment)}):
        if not threads:  # Dask's own list of modules to preload is replaced by ours
            get_mp_context().set_forkserver_preload(list(MODULES))
        # no dashboard; the scheduler's own HTTP server (health checks) on a free loopback
        # port, not on 8787, which another cluster may hold (Dask then warns on standard error)
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=not threads,
                          dashboard_address=None, silence_logs=LOG_LEVEL,
                          scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as cluster:
            yield cluster
