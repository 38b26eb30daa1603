"""Starting a chapter kernel: one that dies before it answers is started again."""

import tempfile
import types

import pytest

from scicollab import kernel
from scicollab.kernel import Kernel, KernelDied

ADDRESS_TAKEN = b"zmq.error.ZMQError: Address already in use (addr='tcp://127.0.0.1:53211')\n"


def _clients(monkeypatch, failures: int, temporary) -> list:
    """Replace nbclient's client by one whose kernel dies at start ``failures`` times (writing
    what a kernel whose port was taken writes), then starts; the clients made, in order. The
    kernels' connection folders go in ``temporary``."""
    made = []
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))

    class Client:
        def __init__(self, *args, **kwargs):
            made.append(self)

        def create_kernel_manager(self):
            return types.SimpleNamespace()

        def start_new_kernel(self, cwd, stderr, env=None):
            self.stderr = stderr
            self.env = env

        def start_new_kernel_client(self):
            if len(made) <= failures:
                self.stderr.write(ADDRESS_TAKEN)
                raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(kernel, "_client_class", lambda: Client)
    return made


def test_a_kernel_that_dies_at_its_start_is_started_again(monkeypatch, tmp_path):
    assert kernel.STARTS > 1
    made = _clients(monkeypatch, failures=kernel.STARTS - 1, temporary=tmp_path)
    started = Kernel(tmp_path)
    assert started._start() is made[-1]
    assert len(made) == kernel.STARTS
    assert started._client is made[-1]
    assert started.stderr() == "", "the log is the started kernel's, not a dead one's"
    # the dead kernels' connection folders are gone; the started one's holds its file
    folders = list(tmp_path.glob("scicollab-kernel-*"))
    assert [str(f / "kernel.json") for f in folders] == [made[-1].km.connection_file]


def test_a_kernel_that_never_starts_is_reported_with_its_last_words(monkeypatch, tmp_path):
    made = _clients(monkeypatch, failures=kernel.STARTS, temporary=tmp_path)
    with pytest.raises(KernelDied, match=r"did not start \(zmq.error.ZMQError: Address already "
                                         rf"in use .*\), {kernel.STARTS} times in a row"):
        Kernel(tmp_path)._start()
    assert len(made) == kernel.STARTS
    assert not list(tmp_path.glob("scicollab-kernel-*"))


def test_a_kernel_starts_without_the_allocator_setting_dask_gives_its_workers(monkeypatch,
                                                                              tmp_path):
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    made = _clients(monkeypatch, failures=0, temporary=tmp_path)
    Kernel(tmp_path)._start()
    assert "MALLOC_TRIM_THRESHOLD_" not in made[-1].env
    assert made[-1].env["OMP_NUM_THREADS"] == "1"



def test_set_up_and_finish_run_around_the_notebook_without_a_notebook_run_of_their_own(
        tmp_path):
    """``before`` and ``after`` run in the kernel, in order around the notebook's cells, as
    cells outside its history: the notebook's cells count from 1, the kernel describes itself
    once for all its runs (nbclient asks at every notebook run), and a failing set-up or
    finish raises."""
    import nbformat
    from nbclient.exceptions import CellExecutionError

    log = tmp_path / "order.txt"
    cells = [nbformat.v4.new_code_cell(f"open({str(log)!r}, 'a').write('cell{n} ')")
             for n in (1, 2)]
    notebook = nbformat.v4.new_notebook(cells=cells)
    with Kernel(tmp_path) as started:
        client = started._client or started._start()
        asked = []
        describe = client.kc.kernel_info
        client.kc.kernel_info = lambda *a, **k: asked.append(1) or describe(*a, **k)
        executed = started.run(notebook, before=f"open({str(log)!r}, 'w').write('before ')",
                               after=f"open({str(log)!r}, 'a').write('after')")
        assert log.read_text() == "before cell1 cell2 after"
        assert [c.execution_count for c in executed.cells] == [1, 2]
        again = started.run(nbformat.v4.new_notebook(cells=cells))
        assert [c.execution_count for c in again.cells] == [1, 2]
        assert len(asked) == 1
        for where in ("before", "after"):
            with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
                started.run(nbformat.v4.new_notebook(cells=[]), **{where: "1 / 0"})


def test_a_chapter_runs_in_one_request_and_its_cells_get_what_nbclient_gives_them(tmp_path):
    """The whole run is one request to the kernel, and each cell gets the outputs (printed,
    displayed, a result, an allowed error, in their order) and the execution count that
    nbclient's own execution of the notebook gives it in a fresh kernel; skipped, empty and
    Markdown cells stay as they were."""
    import copy

    import nbformat
    from nbclient import NotebookClient

    def cell(source, *tags):
        return nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)})

    notebook = nbformat.v4.new_notebook(cells=[
        cell("print('one')\nfrom IPython.display import Markdown, display\n"
             "display(Markdown('*two*'))\nprint('three')"),
        nbformat.v4.new_markdown_cell("text"),
        cell("   "),
        cell("6 * 7"),
        cell("raise ValueError('allowed')", "raises-exception"),
        cell("import sys\nprint('warned', file=sys.stderr)\nprint('four')"),
        cell("1 / 0", "skip-execution"),
        cell("x = 1"),
    ])
    expected = NotebookClient(copy.deepcopy(notebook), kernel_name="python3",
                              resources={"metadata": {"path": str(tmp_path)}}).execute()
    with Kernel(tmp_path) as started:
        client = started._client or started._start()
        requests = []
        execute = client.kc.execute
        client.kc.execute = lambda *a, **k: requests.append(a) or execute(*a, **k)
        ours = started.run(copy.deepcopy(notebook), before="y = 2", after="z = 3")
    assert len(requests) == 1
    assert ours.metadata["language_info"] == expected.metadata["language_info"]
    for mine, theirs in zip(ours.cells, expected.cells, strict=True):
        assert mine.get("execution_count") == theirs.get("execution_count")
        assert mine.get("outputs") == theirs.get("outputs")
    assert [c.execution_count for c in ours.cells if c.cell_type == "code"] == [
        1, None, 2, 3, 4, None, 5]
    assert [o.output_type for o in ours.cells[0].outputs] == ["stream", "display_data", "stream"]


def test_a_failing_cell_stops_the_run_and_raises_with_its_error(tmp_path):
    """The first failing cell (without the tag that allows it) raises nbclient's error with
    its own error output; the cells after it and the finish do not run."""
    import nbformat
    from nbclient.exceptions import CellExecutionError

    log = tmp_path / "ran.txt"
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("raise KeyError('missing')"),
        nbformat.v4.new_code_cell(f"open({str(log)!r}, 'w').write('cell')"),
    ])
    with Kernel(tmp_path) as started, pytest.raises(CellExecutionError, match="KeyError"):
        started.run(notebook, after=f"open({str(log)!r}, 'w').write('after')")
    assert not log.exists()
    assert notebook.cells[0].outputs[-1].ename == "KeyError"
    assert notebook.cells[1].outputs == [] and notebook.cells[1].execution_count is None
