"""The Jupyter kernel that executes chapters: the one place where a kernel is started.

A :class:`Kernel` runs chapter after chapter (imports stay loaded, which makes a warm chapter
cost its own work only); the executor resets the kernel's state before each chapter (see
:mod:`scicollab.run_context`). The kernel exits by itself when the process that started it
dies: jupyter_client gives it its parent's pid and ipykernel polls for it. Its output on
standard error (start-up notices) goes to a log file, read back when the kernel dies. Its
connection file is written in a private temporary folder named for the process that started it
(:mod:`scicollab.kernel_files`), removed when the kernel stops, or by the next command when
that process was killed.
"""

from __future__ import annotations

import contextlib
import copy
import os
import shutil
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

import nbformat

from . import kernel_files
from .errors import ScicollabError

TIMEOUT = 300  # seconds a cell may run (on average over a chapter: its run is one request)
STARTS = 3  # attempts to start a kernel that dies before it answers
# Settings of glibc's allocator a kernel does not inherit. Dask's nanny gives its workers
# MALLOC_TRIM_THRESHOLD_=65536, so that they hand freed memory back to the system at once; set
# at all, it also stops glibc from raising its mmap threshold (mallopt(3)), and every large
# temporary (a column of a data frame, a figure's canvas of a few MB) is then mapped from the
# system and unmapped again, page by page: in the chapters of three regions, six times the
# page faults and more system time (no wall-time difference above this machine's noise).
ALLOCATOR_SETTINGS = ("MALLOC_TRIM_THRESHOLD_",)


def without_allocator_settings(variables: Mapping[str, object]) -> dict[str, object]:
    """Environment variables without :data:`ALLOCATOR_SETTINGS`: what a kernel starts with
    (this process's environment) and a local Dask cluster spawns its workers with."""
    return {name: value for name, value in variables.items()
            if name not in ALLOCATOR_SETTINGS}


def kernel_environment(extra: Mapping[str, str]) -> dict[str, str]:
    """The environment a kernel starts with: this process's, without
    :data:`ALLOCATOR_SETTINGS`, plus ``extra`` (also a kernel server's, whose kernels get it)."""
    return without_allocator_settings({**os.environ, **extra})


# a chapter's run, one request: the sources are values (repr), never spliced into code
DRIVER = "import scicollab.run_context as _run\n_run.run_cells({before!r}, {cells!r}, {after!r})\n"


def _runs(cell) -> bool:
    """Whether nbclient would run ``cell``: a code cell with source, not tagged to be skipped."""
    return (cell.cell_type == "code" and bool(cell.source.strip())
            and "skip-execution" not in cell.metadata.get("tags", []))


def _may_raise(cell) -> bool:
    """Whether ``cell`` may fail without stopping the run (nbclient's tag for it)."""
    return "raises-exception" in cell.metadata.get("tags", [])


def _hand_out(outputs: list, cells: list, before: str, after: str) -> None:
    """Give each cell the outputs that follow its marker (:data:`run_context.CELL`) and its
    execution count (its place among the cells run, as nbclient counts); the outputs of
    ``before`` and ``after`` are dropped. Raises nbclient's ``CellExecutionError`` for the first
    error of a cell that may not raise, of ``before`` or of ``after``."""
    from nbclient.exceptions import CellExecutionError

    from .run_context import CELL

    place = -1  # before the first marker: the set-up's outputs
    for output in outputs:
        if output.output_type == "display_data" and CELL in output.get("data", {}):
            place = output.data[CELL]["cell"]
            if place < len(cells):
                cells[place].outputs = []
                cells[place].execution_count = place + 1
            continue
        cell = cells[place] if 0 <= place < len(cells) else None
        if cell is not None:
            cell.outputs.append(output)
        if output.output_type == "error" and (cell is None or not _may_raise(cell)):
            cell = cell or nbformat.v4.new_code_cell(before if place < 0 else after)
            raise CellExecutionError.from_cell_and_msg(cell, output)


class KernelDied(ScicollabError):
    """The kernel process stopped while running a chapter."""


def _client_class():
    """nbclient's NotebookClient without its own Ctrl-C handling.

    nbclient catches SIGINT and SIGTERM while a cell runs and shuts the kernel down, so the
    chapter seems to fail with a cell error. Here a Ctrl-C stays a KeyboardInterrupt in the
    command, which stops the kernel itself and exits with 130."""
    from nbclient import NotebookClient

    class Client(NotebookClient):
        @contextlib.asynccontextmanager
        async def async_setup_kernel(self, **kwargs):
            kwargs.pop("cleanup_kc", None)
            if self.km is None:
                self.km = self.create_kernel_manager()
            if not self.km.has_kernel:
                await self.async_start_new_kernel(**kwargs)
            if self.kc is None:
                await self.async_start_new_kernel_client()
            yield

    return Client


class Kernel:
    """A Python kernel started on first use in ``cwd``, stopped by :meth:`shutdown`; its
    environment is this process's (without :data:`ALLOCATOR_SETTINGS`) plus ``environment``."""

    def __init__(self, cwd: Path, timeout: int = TIMEOUT,
                 environment: Mapping[str, str] | None = None, server: str | None = None) -> None:
        self.cwd = Path(cwd)
        self.server = server  # a kernel server's address (:mod:`scicollab.kernel_server`)
        self.timeout = timeout
        self.environment = dict(environment or {})
        self._client = None
        self._log = None
        self._running: int | None = None  # the thread running cells, if one is
        self._folder: str | None = None  # the private folder of the connection file
        self._language_info: dict | None = None  # what the kernel says of its language

    def _start(self):
        """Start the kernel; a kernel that dies before it answers is started again, up to
        :data:`STARTS` times in all. jupyter_client picks the kernel's ports by binding free
        ones and letting them go, and the kernel binds them a moment later: a kernel started
        at the same time elsewhere (the other Dask worker's) can take one in between, and the
        kernel exits with 'Address already in use'."""
        attempt = 0
        while True:
            attempt += 1
            self._log = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115 (closed in shutdown)
            self._folder = kernel_files.new_folder()
            client = self._new_client()
            try:
                client.km = client.create_kernel_manager()
                client.km.connection_file = kernel_files.connection_file(self._folder)
                if self.server:
                    from . import kernel_fork

                    kernel_fork.use(client.km, self.server)
                client.start_new_kernel(cwd=str(self.cwd), stderr=self._log, env=self.env())
                client.start_new_kernel_client()
            except RuntimeError as exc:  # nbclient: 'Kernel died before replying to kernel_info'
                detail = self.stderr().strip().splitlines()[-1:] or [str(exc)]
                self._log.close()
                self._log = None
                self._remove_folder()
                if attempt == STARTS:
                    raise KernelDied(f"the kernel did not start ({detail[0]}), {STARTS} times "
                                     "in a row") from exc
                continue
            self._client = client
            return client

    def env(self) -> dict[str, str]:
        """The environment the kernel starts with."""
        return kernel_environment(self.environment)

    def _new_client(self):
        # stopped at once: a chapter's files are written when its cells end, and the kernel has
        # nothing left to do at exit (stopped gracefully, a local cluster with two warm kernels
        # took 3.7 s to close instead of 0.3 s)
        return _client_class()(nbformat.v4.new_notebook(), timeout=self.timeout,
                               kernel_name="python3", allow_errors=False, record_timing=False,
                               shutdown_kernel="immediate",
                               resources={"metadata": {"path": str(self.cwd)}})

    def stderr(self) -> str:
        """What the kernel wrote on standard error so far."""
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode(errors="replace")

    def run(self, notebook, before: str = "", after: str = ""):
        """Run ``before`` (source), the notebook's cells, then ``after``; returns the notebook,
        executed as nbclient executes one. A failing cell raises nbclient's
        ``CellExecutionError``.

        The whole run is one request to the kernel (:func:`scicollab.run_context.run_cells`),
        not one per cell and a notebook run: each request and its replies cost the two processes
        about 4 ms, and nbclient asks the kernel to describe itself at every notebook run. Each
        cell gets the outputs that follow its marker and its execution count, as nbclient gives
        them; ``before`` and ``after`` run outside the kernel's history and their outputs are
        not kept. A cell may run :attr:`timeout` seconds on average."""
        from nbclient.exceptions import DeadKernelError

        client = self._client or self._start()
        self._running = threading.get_ident()
        try:
            if self._language_info is None:
                reply = client.wait_for_reply(client.kc.kernel_info())
                self._language_info = reply["content"]["language_info"]
            cells = [cell for cell in notebook.cells if _runs(cell)]
            request = nbformat.v4.new_code_cell(DRIVER.format(
                before=before, cells=[(cell.source, _may_raise(cell)) for cell in cells],
                after=after))
            client.nb = nbformat.v4.new_notebook(cells=[request])
            client.timeout = self.timeout * (len(cells) + 2)
            client.execute_cell(request, 0, store_history=False)
            notebook.metadata["language_info"] = copy.deepcopy(self._language_info)
            _hand_out(request.outputs, cells, before, after)
            return notebook
        except DeadKernelError as exc:
            detail = self.stderr().strip().splitlines()[-1:] or ["no message"]
            self.shutdown()
            raise KernelDied(f"the kernel died ({detail[0]})") from exc
        except KeyboardInterrupt:
            self.shutdown()
            raise
        finally:
            self._running = None

    def shutdown(self) -> None:
        """Stop the kernel (safe to call twice). From another thread while cells run (a Dask
        worker's kernel when its cluster closes on Ctrl-C), only the kernel's process is
        killed: the thread running the cells finds the kernel dead and stops it there. Taking
        the client away under it made nbclient's liveness check fail on an assertion, printed as
        a traceback, and left the thread waiting for a reply."""
        running = self._running
        if running is not None and running != threading.get_ident():
            with contextlib.suppress(AttributeError, OSError):  # no process: nothing to kill
                self._client.km.provisioner.process.kill()
            return
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):  # best effort at exit
                client._cleanup_kernel()
        if self._log is not None:
            self._log.close()
            self._log = None
        self._remove_folder()

    def _remove_folder(self) -> None:
        folder, self._folder = self._folder, None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    def __enter__(self) -> Kernel:
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
