"""Runs, region editions and the book, built by the one pipeline on a made-up project."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from scicollab import builds, gallery, paths, regions
from scicollab.errors import DataFileError, ScicollabError, UsageError
from scicollab.executor import ChapterFailed

from projects import chapter, make

pytestmark = pytest.mark.slow


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_run_gets_its_own_folder_and_never_touches_an_edition(project):
    usmca = regions.resolve("USMCA")
    [edition] = builds.editions([usmca], ["alpha"], workers=1, progress=False)
    assert edition.status == "built"
    before = _files(edition.folder)
    out, results = builds.run(usmca, ["alpha"], workers=1, progress=False)
    assert out == paths.build_dir() / "runs" / "usmca"
    assert (out / "alpha" / "alpha.ipynb").is_file() and results[0].cached
    assert _files(edition.folder) == before
    assert gallery.is_current(gallery.built()[0])


def test_an_unchanged_edition_is_kept_and_a_changed_chapter_alone_re_executes(project):
    usmca = regions.resolve("USMCA")
    first = builds.editions([usmca], workers=1, progress=False)[0]
    assert first.status == "built" and not any(r.cached for r in first.results)
    again = builds.editions([usmca], workers=1, progress=False)[0]
    assert again.status == "up to date"
    beta = project / "notebooks" / "beta.md"
    beta.write_text(beta.read_text() + "\nOne more sentence.\n")
    third = builds.editions([usmca], workers=1, progress=False)[0]
    assert third.status == "built"
    assert {r.chapter: r.cached for r in third.results} == {"alpha": True, "beta": False}


def test_a_change_to_code_no_chapter_runs_re_assembles_the_edition_from_cached_chapters(
        project, monkeypatch):
    from scicollab import fingerprints

    usmca = regions.resolve("USMCA")
    first = builds.editions([usmca], workers=1, progress=False)[0]
    assert first.status == "built"
    monkeypatch.setattr(fingerprints, "code", lambda: "the command line changed")
    again = builds.editions([usmca], workers=1, progress=False)[0]
    assert again.status == "built" and all(r.cached for r in again.results)
    record = json.loads((again.folder / "edition.json").read_text())
    assert record["code"] == "the command line changed"
    assert builds.editions([usmca], workers=1, progress=False)[0].status == "up to date"


def test_the_code_fingerprint_covers_the_scripts_the_pages_load():
    # a change to the interactive figures' script left every edition "up to date" with the
    # old script
    from scicollab import fingerprints

    package = paths.find_root() / "src" / "scicollab"
    names = {p.relative_to(package).as_posix() for p in fingerprints.source_files(package)}
    assert {"static/scicollab-interactive.js", "static/scicollab-interactive.css",
            "regions.yml", "sphinx_interactive.py"} <= names


def test_an_edition_holds_html_figures_numbers_and_its_record(project):
    region = regions.custom("USA,CAN", "North Partners")
    [outcome] = builds.editions([region], workers=1, progress=False)
    folder = outcome.folder
    assert folder == paths.build_dir() / "regions" / "north-partners"
    record = json.loads((folder / "edition.json").read_text())
    assert record["members"] == ["CAN", "USA"] and set(record["keys"]) == {"alpha", "beta"}
    assert json.loads((folder / "numbers" / "alpha.json").read_text())["alpha_size"] == 2
    page = (folder / "html" / "notebooks" / "alpha.html").read_text()
    assert "North Partners" in page and "Region edition: North Partners (2 economies)" in page
    assert (folder / "html" / "figures" / "alpha-line-north-partners.png").is_file()
    assert not (folder / "html" / "_sources").exists()
    assert not (folder / "html" / "book" / "regions.html").exists()


def test_an_edition_s_title_and_banner_curl_a_name_s_quotes_as_its_pages_do(project):
    region = regions.custom("USA,CAN", "Lake 'Partners' & O'Hara")
    [outcome] = builds.editions([region], ["alpha"], workers=1, progress=False)
    page = (outcome.folder / "html" / "notebooks" / "alpha.html").read_text()
    curled = "Lake ‘Partners’ &amp; O’Hara"
    assert f"{curled} edition</title>" in page
    assert f"Region edition: {curled} (2 economies)" in page
    assert "'Partners'" not in page and "&#39;Partners&#39;" not in page


def test_an_edition_s_sidebar_title_shows_an_ampersand_in_its_name_as_typed(project):
    # "&lt" in a name (letters and "&" are allowed) was written into the sidebar unescaped,
    # where a browser reads it as "<"
    region = regions.custom("USA,CAN", "R&D &lt Partners")
    [outcome] = builds.editions([region], ["alpha"], workers=1, progress=False)
    page = (outcome.folder / "html" / "notebooks" / "alpha.html").read_text()
    sidebar = page.split('class="title logo__title">', 1)[1].split("</p>", 1)[0]
    assert sidebar == "Test book — R&amp;D &amp;lt Partners edition"
    assert "R&amp;D &amp;lt Partners edition</title>" in page


def test_a_failing_chapter_keeps_the_previous_edition_and_other_regions_go_on(project):
    usmca, g7 = regions.resolve("USMCA"), regions.resolve("G7")
    builds.editions([usmca], workers=1, progress=False)
    before = _files(gallery.edition_dir(usmca))
    alpha = project / "notebooks" / "alpha.md"
    alpha.write_text(chapter("alpha", """
        if REGION.name == "USMCA":
            raise ValueError("no data for " + REGION.name)
    """))
    outcomes = builds.editions([usmca, g7], workers=1, progress=False)
    assert [o.status for o in outcomes] == ["failed", "built"]
    assert "chapter 'alpha' failed for region 'USMCA'" in outcomes[0].error
    assert "ValueError: no data for USMCA" in outcomes[0].error
    assert _files(gallery.edition_dir(usmca)) == before
    with pytest.raises(Exception, match=r"1 edition\(s\) failed.*USMCA"):
        builds.fail_on(outcomes)


def test_a_run_whose_every_chapter_fails_leaves_no_folder_behind(project):
    alpha = project / "notebooks" / "alpha.md"
    alpha.write_text(chapter("alpha", """
        raise ValueError("no data")
    """))
    out = paths.build_dir() / "runs" / "fresh"
    _, results = builds.run(regions.resolve("USMCA"), ["alpha"], out=out, workers=1,
                            progress=False)
    assert [r.ok for r in results] == [False]
    assert "ValueError: no data" in results[0].error
    assert not out.exists()


def test_a_run_that_fails_to_write_leaves_no_folders_made_for_it(project, tmp_path,
                                                                  monkeypatch):
    out = tmp_path / "new" / "runs" / "usmca"

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(builds, "_copy_tree", full_disk)
    with pytest.raises(ScicollabError, match="No space left"):
        builds.run(regions.resolve("USMCA"), ["alpha"], out=out, workers=1, progress=False)
    assert not (tmp_path / "new").exists()


def test_two_names_with_one_folder_are_refused_naming_the_edition_that_owns_it(project):
    builds.editions([regions.custom("USA,CAN", "Nordic A")], ["alpha"], workers=1,
                    progress=False)
    with pytest.raises(UsageError, match="holds the edition of 'Nordic A'"):
        builds.editions([regions.custom("NOR,SWE", "nordic-a.")], ["alpha"], workers=1,
                        progress=False)
    with pytest.raises(UsageError, match="would share the folder"):
        builds.check_edition_names([regions.custom("USA", "Nordic B"),
                                    regions.custom("CAN", "nordic b")])


HEAVY = ("pandas", "numpy", "matplotlib", "nbformat", "sphinx")


def _no_change_rebuild(root) -> list[str]:
    """`scicollab book` run in a fresh interpreter: what it says, and which of the heavy
    libraries it imported (a no-change rebuild resolves the World region and the cache keys,
    and should start none of the machinery that builds)."""
    code = ("import sys\n"
            "from scicollab.cli import main\n"
            f"status = main(['--root', {str(root)!r}, 'book', '-q'])\n"
            f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
            "print('imported:', ', '.join(heavy) or 'none of them')\n"
            "sys.exit(status)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return [line.split(":")[0] if line.startswith("book") else line
            for line in done.stdout.splitlines()]


def test_the_book_is_the_world_edition_with_the_gallery_and_skips_when_nothing_changed(project):
    first = builds.book(workers=1, progress=False)
    assert first.status == "built"
    index = (first.html / "book" / "regions.html").read_text()
    assert "Edition not built yet." in index and "the main book" in index
    assert (first.html / "figures" / "alpha-line-world.png").is_file()
    assert builds.book(workers=1, progress=False).status == "up to date"
    assert _no_change_rebuild(project) == ["book up to date", "imported: none of them"]
    builds.editions([regions.resolve("USMCA")], workers=1, progress=False)
    third = builds.book(workers=1, progress=False)
    assert third.status == "built" and third.published == ["usmca"]
    published = third.html / "regions" / "usmca"
    assert (published / "index.html").is_file()
    assert 'href="../regions/usmca/index.html"' in (third.html / "book" / "regions.html"
                                                     ).read_text()
    # the edition's theme files are the site's: stored once, linked from the edition's pages
    assert not list(published.rglob("*.css"))
    assert not [d for d in published.rglob("*") if d.is_dir() and not any(d.iterdir())]
    assert "../../../_static/" in (published / "notebooks" / "alpha.html").read_text()
    own = gallery.edition_dir(regions.resolve("USMCA")) / "html" / "notebooks" / "alpha.html"
    assert "../../../_static/" not in own.read_text(), "the edition itself is left as it was"


def test_a_corrupted_table_stops_a_warm_book_and_a_cached_region_build(tmp_path, monkeypatch):
    root = make(tmp_path / "repo", {"alpha": chapter("alpha")})
    (root / "data").unlink()
    shutil.copytree(paths.find_root() / "data", root / "data")
    monkeypatch.setattr(paths, "_root", root)
    assert builds.book(workers=1, progress=False).status == "built"
    table = root / "data" / "countries.csv"
    table.write_text(table.read_text().replace("Kenya", "Kenia"))
    for build in (lambda: builds.book(workers=1, progress=False),
                  lambda: builds.editions([regions.resolve("G7")], workers=1, progress=False)):
        with pytest.raises(DataFileError, match=r"countries\.csv: checksum differs .* `make "
                           r"data`"):
            build()


def test_a_failing_chapter_fails_the_book_with_its_cell_error(tmp_path, monkeypatch):
    root = make(tmp_path / "repo", {"alpha": chapter("alpha", "1 / 0\n")})
    monkeypatch.setattr(paths, "_root", root)
    with pytest.raises(ChapterFailed, match=r"chapter 'alpha' failed for region 'World': cell 3 "
                       r".*ZeroDivisionError: division by zero"):
        builds.book(workers=1, progress=False)
    assert not (root / "_build" / "html").exists()


def test_two_economies_on_a_two_worker_dask_cluster_give_the_editions_of_a_local_run(project):
    chosen = [regions.resolve("Kenya"), regions.resolve("Chile")]
    on_dask = builds.editions(chosen, ["alpha"], workers=2, here=False, progress=False)
    assert [o.status for o in on_dask] == ["built", "built"]

    def edition_files(outcome):
        return {name: data for name, data in _files(outcome.folder).items()
                if name != "edition.json"}  # its record says when it was built

    dask_files = {o.region: edition_files(o) for o in on_dask}
    assert all(any(n.startswith("html/") for n in f) for f in dask_files.values())
    shutil.rmtree(paths.build_dir())
    here = builds.editions(chosen, ["alpha"], workers=1, here=True, progress=False)
    assert {o.region: edition_files(o) for o in here} == dask_files


def test_a_running_dask_cluster_given_by_its_address_builds_the_edition(project, tmp_path):
    import re
    import subprocess
    import sys
    import time
    from pathlib import Path

    dask = str(Path(sys.executable).with_name("dask"))
    log = tmp_path / "scheduler.log"
    with log.open("w") as out:
        scheduler = subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0",
                                      "--no-dashboard"], stdout=out, stderr=out)
    worker = None
    try:
        deadline = time.monotonic() + 60
        while not (found := re.search(r"Scheduler at:\s+(tcp://\S+)", log.read_text())):
            assert time.monotonic() < deadline and scheduler.poll() is None, log.read_text()
            time.sleep(0.2)
        address = found.group(1)
        worker = subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--no-dashboard"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        [outcome] = builds.editions([regions.resolve("Kenya")], ["alpha"], address=address,
                                    progress=False)
        assert outcome.status == "built", outcome.error
        assert (outcome.folder / "html" / "notebooks" / "alpha.html").is_file()
    finally:
        for process in (worker, scheduler):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)


def test_an_unreachable_scheduler_is_one_clear_refusal(project):
    with pytest.raises(UsageError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        builds.editions([regions.resolve("Kenya")], ["alpha"], address="tcp://127.0.0.1:9",
                        progress=False)
    with pytest.raises(UsageError, match=r"cannot reach the Dask scheduler at http://x.*scheme"):
        builds.editions([regions.resolve("Kenya")], ["alpha"], address="http://x:1",
                        progress=False)


def test_a_local_cluster_queues_tasks_so_a_freed_worker_takes_the_next_by_priority():
    from scicollab import scheduler

    with scheduler.client(1) as dask:
        saturation = dask.run_on_scheduler(lambda dask_scheduler:
                                           dask_scheduler.WORKER_SATURATION)
    assert saturation == 1.0  # one task per worker thread at a time; the rest wait queued


def test_a_local_clusters_workers_keep_dasks_thread_limits_but_not_its_allocator_setting():
    import os

    from scicollab import scheduler

    def environment(names=("MALLOC_TRIM_THRESHOLD_", "OMP_NUM_THREADS")):
        return {name: os.environ.get(name) for name in names}

    with scheduler.client(1) as dask:
        spawned = dask.submit(environment, pure=False).result()
    assert spawned == {"MALLOC_TRIM_THRESHOLD_": None, "OMP_NUM_THREADS": "1"}


def _builder_imported() -> dict:
    """On a worker: whether its import thread ran, and which of the build's modules it holds
    once the thread is done."""
    from scicollab import scheduler
    from scicollab.sphinx_pybtex import register_pybtex_plugins

    started = scheduler._importing is not None
    scheduler.builder_imported()
    # what extensions import in their set-up (myst_nb.sphinx_ext: about 0.5 s with what it
    # imports) and Sphinx's own built-in extensions, as well as the extensions themselves
    names = ("jupyter_book.cli.main", "jupyter_book.sphinx", "sphinx.builders.html",
             "sphinx.builders.epub3", "myst_nb", "myst_nb.sphinx_ext", "sphinx_book_theme",
             "sphinxcontrib.bibtex", "scicollab.sphinx_downloads")
    missing = [n for n in names if n not in sys.modules]
    if not register_pybtex_plugins.cache_info().currsize:
        missing.append("pybtex's plugins")
    return {"started": started, "missing": missing}


def _builder_started() -> bool:
    """On a worker: whether it imports the HTML build ahead (waits for the thread to end)."""
    return _builder_imported()["started"]


def _last_step_imports(results) -> dict:
    """A job's last step: whether its worker imported the HTML build ahead, and which of the
    build's modules the worker holds."""
    return _builder_imported()


def test_as_many_workers_import_the_html_build_as_there_are_last_steps():
    from scicollab import scheduler

    for steps, expected in ((0, 0), (1, 1), (2, 2), (5, 2)):
        with scheduler.client(2) as dask:
            chosen = scheduler.builder_workers(dask, dask.scheduler_info()["workers"], steps)
            started = dask.run(_builder_started)
        assert len(chosen) == expected
        assert sorted(started.values()) == [False] * (2 - expected) + [True] * expected
        assert all(started[address] for address in chosen)


def test_with_fewer_last_steps_than_workers_each_runs_on_a_worker_that_imported_the_build():
    from scicollab import scheduler
    from scicollab.executor import Cache

    jobs = [scheduler.Job(name, [], _last_step_imports) for name in ("one", "two")]
    for _ in range(3):  # on three workers, a step would land on the third now and then
        outcomes = scheduler.run(jobs, Cache(), workers=3, here=False, progress=False)
        assert [(o.ok, o.value) for o in outcomes] == [(True, {"started": True, "missing": []})] * 2


def _process(results) -> int:
    """A job's last step: the process it runs in."""
    import os

    return os.getpid()


def test_a_run_with_one_last_step_has_its_workers_in_this_process_and_more_in_their_own():
    import os

    from scicollab import scheduler
    from scicollab.executor import Cache

    one = scheduler.run([scheduler.Job("one", [], _process)], Cache(), workers=2, here=False,
                        progress=False)
    assert [o.value for o in one] == [os.getpid()]
    two = scheduler.run([scheduler.Job(name, [], _process) for name in ("a", "b")], Cache(),
                        workers=2, here=False, progress=False)
    assert all(o.ok and o.value != os.getpid() for o in two)


# what a worker tells of itself: run as an expression (a function of this module would import
# it, and scicollab with it, on the worker)
STARTED_FROM = ("{'parent': ' '.join(__import__('psutil').Process().parent().cmdline()), "
                "'imported': sorted(m for m in ('jupyter_book.cli', 'sphinx.application', "
                "'scicollab.assembly') if m in __import__('sys').modules)}")


def test_worker_processes_start_from_a_fork_server_that_imported_the_html_build():
    """Jupyter Book's and Sphinx's modules come with the fork, scicollab's own are imported
    afresh by each cluster's workers (the server outlives a cluster)."""
    from scicollab import scheduler

    with scheduler.client(2) as dask:
        started = dask.run(eval, STARTED_FROM)
    assert len(started) == 2
    assert all("multiprocessing.forkserver" in s["parent"] for s in started.values()), started
    assert all(s["imported"] == ["jupyter_book.cli", "sphinx.application"]
               for s in started.values()), started


def test_a_local_cluster_s_kernels_are_forked_by_its_kernel_server(tmp_path, monkeypatch):
    record = tmp_path / "parents.txt"
    body = (f"import psutil\nwith open({str(record)!r}, 'a') as out:\n"
            "    out.write(' '.join(psutil.Process().parent().cmdline()) + '\\n')\n")
    root = make(tmp_path / "repo", {"alpha": chapter("alpha", body),
                                    "beta": chapter("beta", body)})
    monkeypatch.setattr(paths, "_root", root)
    for workers in ("threads", "processes"):  # one edition: worker threads; two: processes
        chosen = [regions.resolve("Kenya")] + ([regions.resolve("Chile")]
                                               if workers == "processes" else [])
        shutil.rmtree(paths.build_dir(), ignore_errors=True)
        outcomes = builds.editions(chosen, workers=2, here=False, progress=False)
        assert all(o.status == "built" for o in outcomes), [o.error for o in outcomes]
    parents = record.read_text().splitlines()
    assert len(parents) == 2 + 4
    assert all("-m scicollab.kernel_server" in parent for parent in parents), parents


def test_worker_threads_run_chapters_on_loops_of_their_own_whatever_this_thread_ran(project):
    import asyncio
    import contextvars

    from jupyter_core import utils

    def build():
        # what a chapter run in this thread before leaves in its context: jupyter_core's loop
        utils._loop.set(asyncio.new_event_loop())
        return builds.editions([regions.resolve("Kenya")], workers=2, here=False,
                               progress=False)

    [outcome] = contextvars.copy_context().run(build)
    assert outcome.status == "built", outcome.error


def test_a_local_cluster_leaves_port_8787_to_whoever_holds_it():
    import socket
    import warnings

    from scicollab import scheduler

    holder = socket.socket()
    try:
        holder.bind(("127.0.0.1", 8787))
        holder.listen()
    except OSError:
        pass  # taken already: what the test needs
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for threads in (True, False):
                with scheduler.client(1, threads=threads):
                    pass
    finally:
        holder.close()
    assert not [w for w in caught if "already in use" in str(w.message)]


def _started_kernel() -> tuple[int, str | None, bool]:
    """In a worker's task: its kernel, started: the kernel's process id, its OpenMP thread
    limit and whether it has Dask's allocator setting."""
    from scicollab import scheduler

    kernel = scheduler._worker_kernel()
    client = kernel._client or kernel._start()
    environment = kernel.env()
    return (client.km.provisioner.process.pid, environment.get("OMP_NUM_THREADS"),
            "MALLOC_TRIM_THRESHOLD_" in environment)


def test_worker_threads_have_a_kernel_each_with_dasks_thread_limits_stopped_with_the_cluster():
    import psutil

    from scicollab import scheduler

    with scheduler.client(2, threads=True) as dask:
        started = [dask.submit(_started_kernel, workers=[address], pure=False).result()
                   for address in dask.scheduler_info()["workers"]]
    pids = {pid for pid, _, _ in started}
    assert len(pids) == 2
    assert [(limit, allocator) for _, limit, allocator in started] == [("1", False)] * 2
    kernels = [psutil.Process(pid) for pid in pids if psutil.pid_exists(pid)]
    _gone, alive = psutil.wait_procs(kernels, timeout=10)
    assert not alive
    assert not scheduler._kernels


def test_a_command_that_assembles_the_html_itself_imports_it_while_chapters_run(monkeypatch):
    from scicollab import scheduler
    from scicollab.executor import Cache

    for here in (True, False):
        monkeypatch.setattr(scheduler, "_importing", None)
        scheduler.run([scheduler.Job("book", [])], Cache(), workers=2, here=here,
                      progress=False, assemble_here=True)
        assert _builder_imported() == {"started": True, "missing": []}
        monkeypatch.setattr(scheduler, "_importing", None)
        scheduler.run([scheduler.Job("book", [])], Cache(), workers=2, here=here,
                      progress=False)
        assert scheduler._importing is None


def test_a_last_step_waits_for_the_workers_imports(monkeypatch):
    import threading
    import time

    from scicollab import scheduler

    done = threading.Event()

    def importing():
        time.sleep(0.3)
        done.set()

    thread = threading.Thread(target=importing)
    monkeypatch.setattr(scheduler, "_importing", thread)
    thread.start()
    outcome = scheduler.finish_task(lambda results: done.is_set(), (), str(paths.root()))
    assert outcome.ok and outcome.value is True


def test_pages_hide_the_injected_parameters_of_old_and_new_runs_alike(tmp_path):
    import nbformat

    from scicollab import assembly

    def notebook(tags):
        return nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_code_cell('region = "Kenya"', metadata={"tags": tags}),
            nbformat.v4.new_markdown_cell("Text")])

    new, old = tmp_path / "new.ipynb", tmp_path / "old.ipynb"
    nbformat.write(notebook(["injected-parameters", "remove-cell"]), new)
    nbformat.write(notebook(["injected-parameters"]), old)  # executed before runs tagged it
    for source in (new, old):
        target = tmp_path / f"page-{source.name}"
        assembly._hide_injected(source, target)
        cell = nbformat.read(target, as_version=4).cells[0]
        assert "remove-cell" in cell.metadata["tags"]
    assert (tmp_path / "page-new.ipynb").stat().st_ino == new.stat().st_ino  # linked as it is
    assert "remove-cell" not in nbformat.read(old, as_version=4).cells[0].metadata["tags"]


def test_an_exception_ignored_while_finalizing_an_object_is_a_note_not_a_build_error():
    import gc
    import io

    from scicollab import assembly

    class Broken:
        def __del__(self):
            raise ValueError("Invalid file descriptor: -1")

    output = io.StringIO()
    with assembly._ignored_as_notes(output):
        Broken()
        gc.collect()
    assert "note: ignored while finalizing" in output.getvalue()
    assert "Invalid file descriptor" in output.getvalue()
    assert assembly.scan_log(output.getvalue()) == []
    assert assembly.scan_log("ValueError: Invalid file descriptor: -1\n")  # as Python prints it


def test_a_last_step_never_submitted_is_a_failed_job_not_a_built_one(monkeypatch):
    from scicollab import scheduler
    from scicollab.executor import Cache

    monkeypatch.setattr(scheduler, "step_due", lambda index, pending: False)
    jobs = [scheduler.Job(name, [], _process) for name in ("a", "b")]
    outcomes = scheduler.run(jobs, Cache(), workers=2, here=False, progress=False)
    assert [(o.ok, o.error) for o in outcomes] == [(False, "its last step was never submitted")] * 2


def test_dask_logs_nothing_once_its_local_cluster_is_closed():
    """A connection of a closed cluster's event loop closing a moment late was logged by Dask,
    with a traceback, on the command's standard error (seen once in a one-edition build)."""
    import subprocess
    import sys

    code = """
import logging
from distributed.comm.core import CommClosedError
from scicollab import scheduler
with scheduler.client(1, threads=True):
    pass
try:
    raise CommClosedError()
except CommClosedError:
    logging.getLogger("distributed.batched").info("Batched Comm Closed", exc_info=True)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stderr == ""


def test_a_running_cluster_s_client_leaves_dask_s_log_as_it_is():
    """Only a local cluster, which the command starts and closes, has Dask's log quieted: a
    client of a running cluster (``--scheduler``) keeps the warnings Dask logs."""
    import logging

    from distributed import LocalCluster

    from scicollab import scheduler

    dask_log = logging.getLogger("distributed")
    before = dask_log.level
    try:
        with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
            dask_log.setLevel(logging.WARNING)
            with scheduler.client(address=cluster.scheduler_address):
                assert dask_log.level == logging.WARNING
            assert dask_log.level == logging.WARNING
    finally:
        dask_log.setLevel(before)
