"""Kernels forked from a server that has imported what chapters use.

A kernel started the usual way is a fresh Python that imports ipykernel, pandas, matplotlib,
seaborn, SciPy and statsmodels before its first chapter: about 3 s of CPU, paid again by every
worker's kernel on a machine whose CPUs the chapters need. A local cluster (see
:mod:`scicollab.scheduler`) therefore starts one server that imports them once and forks each
kernel from itself; the forked kernel then runs ipykernel as ``python -m ipykernel_launcher``
would, with the environment, folder and connection file jupyter_client gives it.

The server's side (``python -m scicollab.kernel_server FD``) listens on a Unix socket the
command made and handed over (so requests queue while it imports). A request carries the
kernel's command line, environment and folder as JSON and its standard output and error as file
descriptors; the reply is the kernel's pid, and later its exit code. A kernel dies with the
server (ipykernel watches its parent), the server kills a kernel whose requester is gone
(its connection closed) and exits when the command that started it is gone.

The requester's side is :mod:`scicollab.kernel_fork`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

LAUNCHER = ["-m", "ipykernel_launcher"]  # what jupyter_client's python3 kernel runs
INLINE = "module://matplotlib_inline.backend_inline"  # the backend ipykernel sets
# what the server imports before it forks: ipykernel, and what chapters import (every module of
# scicollab.chapters is added); a module that fails to import fails again in the chapter
MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel",
           "matplotlib.pyplot", "pandas", "seaborn", "statsmodels.api", "scipy.stats",
           "plotly.graph_objects", "myst_nb.ext.glue", "scicollab.run_context",
           "scicollab.report", "scicollab.interactive", "scicollab.figures")
MESSAGE = 1 << 20  # the largest request (JSON: a kernel's environment is a few kB)
POLL = 1.0  # seconds between the server's checks that the command is still there
READ_TIMEOUT = 5.0  # seconds a requester has to send its request once connected
FOLDER_PREFIX = "scicollab-kernels-"  # of the temporary folder holding the server's socket
MAX_SOCKET_PATH = 107  # bytes of a Unix socket's path on Linux (shorter elsewhere: binding fails)


# the command's side -----------------------------------------------------------------------

@contextlib.contextmanager
def running(environment: Mapping[str, str]) -> Iterator[str | None]:
    """A server for this command's kernels, started with ``environment`` (the kernels'), whose
    address (a socket's path) is yielded; stopped, its kernels with it, at the end. Yields
    None where it cannot start (no Unix sockets): kernels then start the usual way."""
    folder = _socket_folder() if hasattr(socket, "AF_UNIX") and hasattr(os, "fork") else None
    if folder is None:
        yield None
        return
    address = str(Path(folder) / "socket")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        listener.bind(address)
        listener.listen(64)
        server = subprocess.Popen(
            [sys.executable, "-m", "scicollab.kernel_server", str(listener.fileno())],
            pass_fds=[listener.fileno()], env=dict(environment), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        listener.close()
        _remove_socket(address)
        yield None
        return
    listener.close()  # the server holds it now
    try:
        yield address
    finally:
        server.terminate()
        try:
            server.wait(5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        _remove_socket(address)


def _socket_folder() -> str | None:
    """A new private folder (mode 0700) for the server's socket: in the temporary folder, or in
    ``/tmp`` when the temporary folder's path leaves a socket's path too long (a Unix socket's
    path has at most 107 bytes here); None if neither will do."""
    for parent in (None, "/tmp"):
        try:
            folder = tempfile.mkdtemp(prefix=FOLDER_PREFIX, dir=parent)
        except OSError:
            continue
        if len(os.fsencode(str(Path(folder) / "socket"))) <= MAX_SOCKET_PATH:
            return folder
        os.rmdir(folder)
    return None


# the server's side ------------------------------------------------------------------------

def preload() -> None:
    """Import :data:`MODULES` and every chapter's module, quietly, with matplotlib's backend
    set as ipykernel sets it before a kernel runs any code."""
    import importlib
    import pkgutil

    os.environ.setdefault("MPLBACKEND", INLINE)
    names = list(MODULES)
    with contextlib.suppress(Exception):
        from . import chapters

        names += [f"{chapters.__name__}.{module.name}"
                  for module in pkgutil.iter_modules(chapters.__path__)]
    for name in names:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    with contextlib.suppress(Exception):
        _draw_once()


def _draw_once() -> None:
    """Draw and save one chart in the book's style, PNG and SVG, so that what the first
    drawing loads and caches (fonts, glyphs, the writers) is loaded once here. Drawn without
    pyplot, whose backend stays unchosen: ipykernel's inline backend hooks itself into the
    kernel's shell when pyplot first loads it, in the kernel."""
    import io

    import matplotlib
    from matplotlib.figure import Figure

    from .figures import STYLE

    with matplotlib.rc_context(STYLE):
        fig = Figure()
        ax = fig.subplots()
        ax.plot([0, 1], [0, 1], marker="o", label="0.5")
        ax.set_title("Title")
        ax.set_xlabel("x")
        ax.legend(title="Legend")
        for form in ("png", "svg"):
            fig.savefig(io.BytesIO(), format=form)


def _run_kernel(request: dict, descriptors: list[int]) -> None:
    """In the forked child: become the kernel ``request`` describes; never returns."""
    code = 1
    try:
        os.setsid()
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, signal.SIG_DFL)
        signal.set_wakeup_fd(-1)
        nothing = os.open(os.devnull, os.O_RDONLY)
        for target, source in zip((0, 1, 2), (nothing, *descriptors), strict=True):
            os.dup2(source, target)
        for source in (nothing, *descriptors):
            os.close(source)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["JPY_PARENT_PID"] = str(os.getppid())
        del sys.path[0]  # the folder ``-m`` put first, which ipykernel_launcher takes out
        import ipykernel_launcher
        from ipykernel.kernelapp import IPKernelApp

        sys.argv = [ipykernel_launcher.__file__, *request["argv"]]

        IPKernelApp.launch_instance(argv=request["argv"])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # told on the kernel's standard error
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def serve(listener: socket.socket, parent: int) -> None:
    """Fork a kernel for each request on ``listener`` until the process ``parent`` is gone or
    this one is told to stop; then kill the kernels still running."""
    import selectors

    kernels: dict[int, socket.socket] = {}  # pid: the requester's connection
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    selector.register(wake_read, selectors.EVENT_READ)
    try:
        while os.getppid() == parent:
            for key, _ in selector.select(POLL):
                if key.fileobj is listener:
                    connection, _ = listener.accept()
                    pid = _fork_one(connection, [listener.fileno(), wake_read, wake_write,
                                                 *(c.fileno() for c in kernels.values())])
                    if pid:
                        kernels[pid] = connection
                        selector.register(connection, selectors.EVENT_READ, pid)
                    else:
                        connection.close()
                elif key.fileobj == wake_read:
                    with contextlib.suppress(BlockingIOError):
                        os.read(wake_read, 4096)
                elif not key.fileobj.recv(MESSAGE):  # the requester is gone: so is its kernel
                    _kill(key.data)
                    selector.unregister(key.fileobj)
            for pid, code in _reaped():
                connection = kernels.pop(pid, None)
                if connection is not None:
                    with contextlib.suppress(KeyError, ValueError):
                        selector.unregister(connection)
                    with contextlib.suppress(OSError):
                        connection.send(json.dumps({"exit": code}).encode())
                    connection.close()
    finally:
        for pid in kernels:
            _kill(pid)


def _kill(pid: int) -> None:
    """Kill the kernel ``pid`` and what it started (its process group, once it has its own)."""
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(OSError):
            kill(pid, signal.SIGKILL)
            return


def _reaped() -> Iterator[tuple[int, int]]:
    """The children that have exited since last asked, with their exit codes."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        yield pid, os.waitstatus_to_exitcode(status)


def _request(connection: socket.socket) -> tuple[dict, list[int]]:
    """The request on ``connection`` and the descriptors that came with it; ValueError (its
    descriptors closed) for one that is not a kernel's command line, environment and folder
    with two descriptors, OSError for none within :data:`READ_TIMEOUT` seconds."""
    connection.settimeout(READ_TIMEOUT)
    message, descriptors, _, _ = socket.recv_fds(connection, MESSAGE, 2)
    try:
        request = json.loads(message)
        if not (len(descriptors) == 2 and isinstance(request, dict)
                and isinstance(request.get("argv"), list)
                and all(isinstance(item, str) for item in request["argv"])
                and isinstance(request.get("env"), dict)
                and all(isinstance(k, str) and isinstance(v, str)
                        for k, v in request["env"].items())
                and isinstance(request.get("cwd"), str)):
            raise ValueError("not a kernel's command line, environment, folder and descriptors")
    except ValueError:
        for descriptor in descriptors:
            os.close(descriptor)
        raise
    return request, descriptors


def _fork_one(connection: socket.socket, others: list[int]) -> int:
    """Fork the kernel a request on ``connection`` asks for and reply with its pid; 0 for a
    request that cannot be read or a fork that fails (the requester then starts its kernel
    the usual way). The child closes the server's descriptors ``others``."""
    try:
        request, descriptors = _request(connection)
    except (OSError, ValueError):
        return 0
    try:
        pid = os.fork()
    except OSError:
        pid = -1
    if pid == 0:
        for other in (*others, connection.fileno()):
            with contextlib.suppress(OSError):
                os.close(other)
        _run_kernel(request, descriptors)
    for descriptor in descriptors:
        os.close(descriptor)
    if pid < 0:
        return 0
    try:
        connection.send(json.dumps({"pid": pid}).encode())
    except OSError:
        _kill(pid)
    return pid


def main(argv: list[str]) -> None:
    """The server: ``python -m scicollab.kernel_server FD`` (a listening socket's descriptor)."""
    import gc

    parent = os.getppid()
    listener = socket.socket(fileno=int(argv[0]))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    os.environ["JPY_PARENT_PID"] = str(os.getpid())  # ipykernel reads it at import
    try:
        preload()
        gc.freeze()  # what the kernels inherit is never scanned by their collector
        serve(listener, parent)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        _remove_socket(listener.getsockname())


def _remove_socket(address: str) -> None:
    """Remove the socket at ``address`` and its folder, which :func:`running` made: only the
    socket, and the folder only if empty. Done by the command when the run ends and by the
    server as it exits (the one left when the command was killed)."""
    folder = Path(address).parent
    if folder.name.startswith(FOLDER_PREFIX):
        with contextlib.suppress(OSError):
            os.unlink(address)
        with contextlib.suppress(OSError):
            folder.rmdir()


if __name__ == "__main__":
    main(sys.argv[1:])
