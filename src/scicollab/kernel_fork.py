"""Asking a kernel server (:mod:`scicollab.kernel_server`) for a kernel.

A kernel provisioner (:func:`use`): jupyter_client's local one, with the process forked by the
server instead of started by ``subprocess``, and a handle to it (:class:`ForkedKernel`) with
what jupyter_client uses of a ``Popen``. Only a kernel of this very Python is forked; should
the server be unreachable or not answer, the kernel is started the usual way.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from .kernel_server import LAUNCHER, MESSAGE


class ForkedKernel:
    """A kernel forked by the server, with what jupyter_client uses of a ``Popen``: ``pid``,
    :meth:`poll`, :meth:`wait`, :meth:`send_signal`, :meth:`kill`, :meth:`terminate`."""

    stdin = stdout = stderr = None

    def __init__(self, connection: socket.socket, pid: int) -> None:
        self._connection = connection
        self.pid = pid
        self.returncode: int | None = None

    def _read(self, timeout: float | None) -> int | None:
        """The exit code, waiting for it up to ``timeout`` seconds (None: as long as it
        takes); None if the kernel still runs."""
        if self.returncode is None:
            try:
                self._connection.settimeout(timeout)
                message = self._connection.recv(MESSAGE)
            except (BlockingIOError, TimeoutError):
                return None
            except OSError:
                message = b""
            # no message: the server is gone, and its kernels with it (or this side closed the
            # connection, upon which the server kills the kernel)
            self.returncode = json.loads(message)["exit"] if message else -signal.SIGKILL
            self._connection.close()
        return self.returncode

    def poll(self) -> int | None:
        """The exit code, or None while the kernel runs."""
        return self._read(0)

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the kernel to exit; its exit code."""
        code = self._read(timeout)
        if code is None:
            raise subprocess.TimeoutExpired("kernel", timeout or 0)
        return code

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` to the kernel, if it still runs."""
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        """Kill the kernel."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """Ask the kernel to stop."""
        self.send_signal(signal.SIGTERM)


def _descriptor(stream: object, default: int) -> int:
    if stream is None:
        return default
    return stream if isinstance(stream, int) else stream.fileno()


def forkable(cmd: list[str]) -> bool:
    """Whether ``cmd`` starts ipykernel with this Python (a kernel the server can fork: it runs
    this Python too), not with another interpreter a kernel spec names."""
    found = shutil.which(cmd[0]) if cmd else None
    return (found is not None and cmd[1:3] == LAUNCHER
            and os.path.realpath(found) == os.path.realpath(sys.executable))


def fork(address: str, cmd: list[str], env: Mapping[str, str], cwd: str,
         stdout: object = None, stderr: object = None) -> ForkedKernel:
    """Have the server at ``address`` fork a kernel running ``cmd`` (``python -m
    ipykernel_launcher ARGS``) in ``cwd`` with ``env``; raises OSError if it cannot."""
    request = json.dumps({"argv": cmd[len(LAUNCHER) + 1:], "env": dict(env), "cwd": cwd})
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        connection.settimeout(120)  # the server imports for a few seconds before it answers
        connection.connect(address)
        socket.send_fds(connection, [request.encode()],
                        [_descriptor(stdout, 1), _descriptor(stderr, 2)])
        reply = connection.recv(MESSAGE)
        pid = json.loads(reply).get("pid") if reply else None
        if pid is None:
            raise OSError(f"the kernel server did not fork a kernel ({reply[:200]!r})")
    except BaseException:
        connection.close()
        raise
    return ForkedKernel(connection, pid)


def use(manager, address: str) -> None:
    """Have the kernel manager ``manager`` (jupyter_client's, not started yet) get its kernel
    from the server at ``address``."""
    import uuid

    from jupyter_client.provisioning import LocalProvisioner

    class ForkedProvisioner(LocalProvisioner):
        """jupyter_client's local provisioner, the process forked by the server."""

        async def launch_kernel(self, cmd, **kwargs):
            if forkable(cmd):
                cwd = kwargs.get("cwd") or Path.cwd()
                try:
                    self.process = fork(address, cmd, kwargs.get("env") or os.environ,
                                        str(cwd), kwargs.get("stdout"), kwargs.get("stderr"))
                except (OSError, ValueError):
                    pass
                else:
                    self.pid = self.pgid = self.process.pid
                    self.cwd = cwd
                    return self.connection_info
            return await super().launch_kernel(cmd, **kwargs)

    manager.kernel_id = manager.kernel_id or str(uuid.uuid4())
    manager.provisioner = ForkedProvisioner(kernel_id=manager.kernel_id,
                                            kernel_spec=manager.kernel_spec, parent=manager)
