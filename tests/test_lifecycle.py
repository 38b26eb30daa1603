"""A killed command leaves no process and no folder behind that a later command keeps."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from projects import chapter, make

pytestmark = pytest.mark.slow


def _slow_project(root):
    return make(root, {"alpha": chapter("alpha", "import time\ntime.sleep(60)\n"),
                       "beta": chapter("beta", "import time\ntime.sleep(60)\n")})


def _default_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(root, *args):
    """The command as started from a terminal: with Ctrl-C's default handling, even when the
    tests run where SIGINT is ignored (a job started in the background inherits that)."""
    return subprocess.Popen([sys.executable, "-m", "scicollab", *args], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=_default_ctrl_c)


def _command_line(process: psutil.Process) -> str:
    """The process's command line; empty for one gone meanwhile (a short-lived helper)."""
    try:
        return " ".join(process.cmdline())
    except psutil.NoSuchProcess:
        return ""


def _is_kernel(process: psutil.Process) -> bool:
    """A kernel started the usual way (``python -m ipykernel_launcher``) or forked by a local
    cluster's kernel server (a child of the server, with the server's command line)."""
    if "ipykernel" in _command_line(process):
        return True
    try:
        parent = process.parent()
    except psutil.NoSuchProcess:
        return False
    return parent is not None and "scicollab.kernel_server" in _command_line(parent)


def _wait_for_kernels(parent: psutil.Process, count: int, timeout: float = 90) -> list:
    """Every process under ``parent`` once ``count`` kernels run among them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = parent.children(recursive=True)
        kernels = [p for p in children if _is_kernel(p)]
        if len(kernels) >= count:
            return children
        time.sleep(0.3)
    raise AssertionError(f"{count} kernels did not start in {timeout} s")


def _wait_until(condition, seconds: float, what: str) -> None:
    """Poll ``condition()`` until it holds; fail naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


@pytest.fixture
def short_temporary(monkeypatch):
    """A temporary folder of the command's own, with a short path (a Unix socket's path is
    limited to about a hundred bytes), removed afterwards."""
    import shutil
    import tempfile
    from pathlib import Path

    temporary = Path(tempfile.mkdtemp(prefix="kill-", dir="/tmp"))
    monkeypatch.setenv("TMPDIR", str(temporary))
    yield temporary
    shutil.rmtree(temporary, ignore_errors=True)


def test_sigkill_of_the_command_leaves_no_worker_or_kernel_alive(tmp_path, short_temporary):
    root = _slow_project(tmp_path / "repo")
    temporary = short_temporary
    command = _start(root, "region", "build", "--countries", "USA,CAN", "--name", "Kill Test",
                     "--workers", "2", "-q")
    parent = psutil.Process(command.pid)
    children = _wait_for_kernels(parent, 2)
    assert list(temporary.glob("scicollab-kernels-*/socket"))  # the kernel server's
    os.kill(command.pid, signal.SIGKILL)
    command.wait()
    _gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, [" ".join(p.cmdline())[:80] for p in alive]
    assert not list(temporary.glob("scicollab-kernels-*")), "the kernel server's socket stayed"


def test_leftovers_of_a_killed_command_are_removed_by_the_next_one_and_reported(
        tmp_path, short_temporary):
    root = _slow_project(tmp_path / "repo")
    command = _start(root, "run", "--region", "Kenya", "--chapter", "alpha")
    _wait_for_kernels(psutil.Process(command.pid), 1)
    staging = root / "_build" / "cache" / ".staging"
    _wait_until(lambda: staging.is_dir() and any(staging.iterdir()), 30, "the run staged nothing")
    os.kill(command.pid, signal.SIGKILL)
    command.wait()
    time.sleep(1)
    listing = subprocess.run([sys.executable, "-m", "scicollab", "run", "--region", "Kenya",
                              "--chapter", "nope"], cwd=root, capture_output=True, text=True)
    assert listing.returncode == 2  # an unknown chapter: refused before anything is cleaned
    done = subprocess.run([sys.executable, "-m", "scicollab", "region", "index"], cwd=root,
                          capture_output=True, text=True)
    assert done.returncode == 0
    (root / "notebooks" / "alpha.md").write_text(chapter("alpha"))
    rerun = subprocess.run([sys.executable, "-m", "scicollab", "run", "--region", "Kenya",
                            "--chapter", "alpha", "-q"], cwd=root, capture_output=True,
                           text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert "removed 1 leftover staging folder(s) of an interrupted run: cache/.staging/" \
           in rerun.stderr
    assert not any(staging.iterdir())
    # nor the killed command's kernel connection file, in the temporary folder
    assert list(short_temporary.iterdir()) == []


@pytest.mark.parametrize(("stop", "code", "said"), [(signal.SIGINT, 130, "interrupted"),
                                                    (signal.SIGTERM, 143, "terminated")])
def test_ctrl_c_or_kill_on_a_run_keeps_nothing_it_said_it_discarded(tmp_path, stop, code, said):
    root = _slow_project(tmp_path / "repo")
    command = _start(root, "run", "--region", "Kenya", "--chapter", "alpha")
    _wait_for_kernels(psutil.Process(command.pid), 1)
    # interrupt while the chapter's cells run: the kernel has begun the run when the run's
    # figures folder appears in its staging folder
    _wait_until(lambda: any((root / "_build").rglob(".staging/*/figures")), 60,
                "the chapter never began")
    time.sleep(1)
    command.send_signal(stop)
    _, err = command.communicate(timeout=60)
    assert command.returncode == code
    assert f"{said}; nothing half-written was kept" in err.decode()
    leftovers = [p for p in (root / "_build").rglob("*") if ".staging" in p.parts and p.is_file()]
    assert not leftovers
    assert not (root / "_build" / "runs" / "kenya" / "alpha").exists()


@pytest.mark.parametrize("build", [("Kenya",), ("--named",)], ids=["worker threads",
                                                                  "worker processes"])
def test_ctrl_c_on_a_dask_build_says_one_line_and_stops_every_kernel(tmp_path, build):
    root = _slow_project(tmp_path / "repo")
    command = _start(root, "region", "build", *build, "--workers", "2", "-q")
    children = _wait_for_kernels(psutil.Process(command.pid), 2)
    time.sleep(1)  # both kernels running their cells
    command.send_signal(signal.SIGINT)
    _, err = command.communicate(timeout=60)
    assert command.returncode == 130
    assert err.decode().strip() == ("interrupted; nothing half-written was kept (outputs are "
                                    "replaced only when complete)")
    _gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, [" ".join(p.cmdline())[:80] for p in alive]
