"""Kernels forked by a local cluster's kernel server behave as kernels started the usual way."""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from scicollab import kernel_fork, kernel_server
from scicollab.kernel import Kernel, KernelDied, kernel_environment

pytestmark = pytest.mark.slow

# what a chapter's kernel shows of itself: where it runs, what it was started with, and
# whether ipykernel's inline backend hooked itself in (an open figure shown at the cell's end)
PORTRAIT = """\
import json, os, sys
import matplotlib.pyplot as plt
plt.plot([1, 2])
hooks = [getattr(f, "__name__", "") for f in get_ipython().events.callbacks["post_execute"]]
print(json.dumps({"cwd": os.getcwd(), "path": sys.path, "argv0": os.path.basename(sys.argv[0]),
                  "env": {k: v for k, v in os.environ.items() if k != "JPY_PARENT_PID"},
                  "backend": plt.get_backend(), "hooks": sorted(hooks)}))
"""


def _portrait(kernel: Kernel) -> tuple[dict, list[str]]:
    """What :data:`PORTRAIT` prints in ``kernel``, and the kinds of output its cell gave."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PORTRAIT)])
    kernel.run(notebook)
    outputs = notebook.cells[0].outputs
    printed = json.loads("".join(o.text for o in outputs if o.output_type == "stream"))
    shown = sorted(key for o in outputs if o.output_type == "display_data" for key in o.data)
    return printed, shown


def _pid(kernel: Kernel) -> int:
    return kernel._client.km.provisioner.process.pid


@pytest.fixture
def server():
    environment = kernel_environment({})
    with kernel_server.running(environment) as address:
        assert address is not None
        yield address


def test_a_forked_kernel_is_a_kernel_started_the_usual_way(server, tmp_path):
    extra = {"SCICOLLAB_TEST_VALUE": "a value of the request"}
    with Kernel(tmp_path, environment=extra) as usual, \
            Kernel(tmp_path, environment=extra, server=server) as forked:
        expected, expected_shown = _portrait(usual)
        printed, shown = _portrait(forked)
        parent = psutil.Process(_pid(forked)).parent()
        assert "scicollab.kernel_server" in " ".join(parent.cmdline())
        assert "ipykernel" in " ".join(psutil.Process(_pid(usual)).cmdline())
    assert printed == expected
    assert printed["env"]["SCICOLLAB_TEST_VALUE"] == "a value of the request"
    assert "flush_figures" in printed["hooks"]  # the inline backend hooked itself in
    assert shown == expected_shown == ["image/png", "text/plain"]


def test_a_forked_kernel_starts_with_what_chapters_import_already_imported(server, tmp_path):
    with Kernel(tmp_path, server=server) as forked:
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
            "import sys\nprint(sorted(m for m in ('pandas', 'statsmodels.api', "
            "'scicollab.figures') if m in sys.modules))")])
        forked.run(notebook)
    assert notebook.cells[0].outputs[0].text.strip() == \
        "['pandas', 'scicollab.figures', 'statsmodels.api']"


def test_a_forked_kernel_writes_its_standard_error_to_the_kernel_s_log(server, tmp_path):
    with Kernel(tmp_path, server=server) as forked:
        forked.run(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
            "import os\nos.write(2, b'written on descriptor 2\\n')")]))
        assert "written on descriptor 2" in forked.stderr()


def test_a_forked_kernel_that_dies_is_reported_with_its_exit(server, tmp_path):
    with Kernel(tmp_path, server=server) as forked:
        forked.run(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]))
        process = forked._client.km.provisioner.process
        with pytest.raises(KernelDied, match="the kernel died"):
            forked.run(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
                "import os\nos._exit(3)")]))
    assert process.poll() == 3


def _gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


def test_the_server_kills_a_kernel_whose_requester_is_gone(server, tmp_path):
    forked = Kernel(tmp_path, server=server)
    forked.run(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]))
    pid = _pid(forked)
    forked._client.km.provisioner.process._connection.close()  # as when its worker dies
    assert _gone(pid)
    forked.shutdown()


def test_stopping_the_server_stops_its_kernels_and_removes_its_socket(tmp_path):
    with kernel_server.running(kernel_environment({})) as address:
        forked = Kernel(tmp_path, server=address)
        forked.run(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]))
        pid = _pid(forked)
    assert _gone(pid)
    assert not Path(address).parent.exists()
    forked.shutdown()


def test_a_request_the_server_cannot_read_is_dropped_and_the_server_serves_on(server,
                                                                              tmp_path):
    for junk in (b"not json", b""):
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        connection.settimeout(60)
        connection.connect(server)
        connection.send(junk)
        assert connection.recv(100) == b""  # closed without forking anything
        connection.close()
    with Kernel(tmp_path, server=server) as forked:
        forked.run(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]))
        assert "scicollab.kernel_server" in " ".join(
            psutil.Process(_pid(forked)).parent().cmdline())


def test_without_a_server_the_kernel_starts_the_usual_way(tmp_path):
    with Kernel(tmp_path, server=str(tmp_path / "no-such-socket")) as usual:
        usual.run(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]))
        assert "ipykernel" in " ".join(psutil.Process(_pid(usual)).cmdline())


def test_a_requester_that_sends_nothing_holds_the_server_up_only_briefly(server, tmp_path):
    silent = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    silent.connect(server)
    try:
        with Kernel(tmp_path, server=server) as forked:
            forked.run(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]))
            assert "scicollab.kernel_server" in " ".join(
                psutil.Process(_pid(forked)).parent().cmdline())
    finally:
        silent.close()


def _request_pair(payload: bytes, descriptors: list[int]) -> tuple[socket.socket, socket.socket]:
    """A connected pair of sockets as the server's and the requester's, ``payload`` and
    ``descriptors`` sent from the requester's."""
    served, requester = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    socket.send_fds(requester, [payload], descriptors)
    return served, requester


@pytest.mark.parametrize("request_", [
    {"argv": "not a list", "env": {}, "cwd": "/"},
    {"argv": ["-f", "x.json"], "env": {"A": 1}, "cwd": "/"},
    {"argv": ["-f", "x.json"], "env": {}},
    ["a list"],
])
def test_a_request_that_is_not_a_kernel_s_is_refused_and_its_descriptors_closed(request_):
    read, write = os.pipe()
    served, requester = _request_pair(json.dumps(request_).encode(), [read, write])
    before = set(os.listdir("/proc/self/fd"))
    try:
        assert kernel_server._fork_one(served, []) == 0
        assert set(os.listdir("/proc/self/fd")) == before, "a descriptor received was kept"
    finally:
        for item in (served, requester):
            item.close()
        os.close(read)
        os.close(write)


def test_a_fork_that_fails_is_no_kernel_and_the_server_goes_on(monkeypatch):
    read, write = os.pipe()
    request_ = {"argv": ["-f", "x.json"], "env": {}, "cwd": "/"}
    served, requester = _request_pair(json.dumps(request_).encode(), [read, write])

    def no_fork():
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(os, "fork", no_fork)
    try:
        assert kernel_server._fork_one(served, []) == 0
        served.close()
        assert requester.recv(100) == b""  # no pid: the requester starts its kernel itself
    finally:
        requester.close()
        os.close(read)
        os.close(write)


def test_only_a_kernel_of_this_python_is_forked(tmp_path):
    import sys

    other = tmp_path / "python3"
    other.write_text("#!/bin/sh\n")
    other.chmod(0o755)
    assert kernel_fork.forkable([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"])
    assert not kernel_fork.forkable([str(other), "-m", "ipykernel_launcher", "-f", "k.json"])
    assert not kernel_fork.forkable([sys.executable, "-m", "other_kernel", "-f", "k.json"])
    assert not kernel_fork.forkable([])


def test_a_temporary_folder_too_deep_for_a_socket_puts_the_socket_in_tmp(tmp_path, monkeypatch):
    import tempfile

    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    with kernel_server.running(kernel_environment({})) as address:
        assert address is not None and address.startswith("/tmp/")
        assert len(os.fsencode(address)) <= kernel_server.MAX_SOCKET_PATH
        with Kernel(tmp_path, server=address) as forked:
            forked.run(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]))
            assert "scicollab.kernel_server" in " ".join(
                psutil.Process(_pid(forked)).parent().cmdline())
    assert not Path(address).parent.exists()
    assert not list(deep.iterdir())
