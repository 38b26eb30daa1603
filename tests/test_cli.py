"""The command line: listings, and what bad input gets: one line, the right exit code, and no
kernel started (most of these tests start none)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from scicollab import __version__, cli, datasets, regions
from scicollab.chapters import catalogue
from scicollab.cli import main


def test_regions_lists_every_named_region_with_kind_size_and_slug(capsys):
    assert main(["regions"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(regions.names())
    usmca = next(line for line in lines if line.startswith("USMCA "))
    assert usmca.split() == ["USMCA", "custom", "3", "usmca"]


def test_regions_can_be_filtered_by_kind_or_list_every_economy(capsys):
    assert main(["regions", "--kind", "income"]) == 0
    names = [line[:30].strip() for line in capsys.readouterr().out.splitlines()]
    assert names == regions.names("income") and "World" not in names
    assert main(["regions", "--economies"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(regions.economy_names())
    assert any(line.split()[:2] == ["KEN", "Kenya"] for line in lines)


def test_chapters_lists_each_chapter_with_its_region_parameter(capsys):
    assert main(["chapters"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == catalogue.chapters()
    assert all("region='World'" in line and "members=''" in line for line in lines)


def test_data_check_verifies_every_table(capsys):
    assert main(["data", "check"]) == 0
    checked = [line.split()[1] for line in capsys.readouterr().out.splitlines()]
    assert checked == list(datasets.manifest()["tables"])


def test_version_and_python_dash_m_work():
    for command in ([sys.executable, "-m", "scicollab", "--version"],
                    [sys.executable, "-m", "scicollab", "--help"]):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    assert __version__ in subprocess.run([sys.executable, "-m", "scicollab", "--version"],
                                         capture_output=True, text=True).stdout
    assert "Examples:" in subprocess.run([sys.executable, "-m", "scicollab", "run", "--help"],
                                         capture_output=True, text=True).stdout


NO_KERNEL = [
    (["run", "--region", "World", "--chapter", "gerd", "-p",
      "region=b'\"; import os; os.system(\"id > /tmp/pwned\"); region = \"World\" #'"],
     "-p region=… is not accepted"),
    (["region", "build", "South Asia", "-p", "region=USMCA"], "-p region=… is not accepted"),
    (["run", "--region", "World", "-p", "region=3"], "-p region=… is not accepted"),
    (["run", "--region", "World", "-p", "x={1, 2}"], "a set ({1, 2}) is not accepted"),
    (["run", "--region", "World", "-p", "noequals"], "must look like name=value"),
    (["run", "--region", "World", "-p", "top=5"], "unknown parameter 'top'"),
    (["region", "build", "--countries", "USA,CAN", "--name",
      "<img src=x onerror=alert(document.domain)> X", "--chapter", "gerd"],
     "contains '<' '=' '>'"),
    (["region", "build", "--countries", "", "--name", "X"], "--countries is empty"),
    (["region", "build", "--countries", "USA", "--name", "A" * 10_000],
     "10,000 characters long; the limit is 80"),
    (["region", "build", "--countries", "USA,XXX", "--name", "Partners"], "unknown ISO3 codes"),
    (["region", "build", "--countries", "USA,CAN", "--name", "G7"], "already a named region"),
    (["region", "build", "--countries", "USA,CAN", "--name", "Kenya"], "names the economy"),
    (["region", "build", "--countries", "USA,CAN"], "needs a name"),
    (["region", "build", "Kenya", "--countries", "USA,CAN", "--name", "Partners"],
     "both a region ('Kenya') and --countries with --name were given"),
    (["run", "--region", "Kenya", "--countries", "USA,CAN", "--name", "Partners"],
     "both a region ('Kenya') and --countries with --name were given"),
    (["brief", "Kenya", "--countries", "USA,CAN", "--name", "Partners", "--out", "/proc/x/y"],
     "both a region ('Kenya') and --countries with --name were given"),
    (["run", "--region", "World", "--chapter", "nothing-like-it"],
     "unknown chapter 'nothing-like-it'. Chapters: intro, "),
    (["region", "build", "--all", "USMCA"], "give no REGION"),
    (["region", "build"], "give a region"),
    (["run", "--region", "Kenyaa"], "did you mean: 'Kenya'"),
    (["run", "--region", "World", "--chapter", "gred"], "did you mean: 'gerd'"),
    (["run", "--region", "World", "--chapter", "gerd", "--out", "/proc/x/y"],
     "cannot be written"),
    (["brief", "World", "--out", "/proc/x/y"], "cannot be written"),
    (["data", "build", "--table", "nope"], "unknown table 'nope'"),
    (["data", "build", "--wvs", "/no/such/file.csv"], "does not exist"),
    (["frob"], "No such command 'frob'"),
    (["run", "--region", "World", "--scheduler", "http://x;rm -rf /"],
     "'http://x;rm -rf /' is not a scheduler address; give one such as tcp://HOST:8786"),
    (["run", "--region", "World", "--scheduler", "x"], "'x' is not a scheduler address"),
    (["run", "--region", "World", "--scheduler", ""], "'' is not a scheduler address"),
    (["region", "build", "Kenya", "--scheduler", "tcp://host:99999"],
     "'tcp://host:99999' is not a scheduler address"),
    (["book", "--scheduler", "tcp://:8786"], "'tcp://:8786' is not a scheduler address"),
    (["site", "--scheduler", "host"], "'host' is not a scheduler address"),
    (["brief", "Kenya", "--out", "/proc/x/y", "--scheduler", "tcp://h"],
     "'tcp://h' is not a scheduler address"),
]


@pytest.mark.parametrize(("argv", "message"), NO_KERNEL)
def test_bad_usage_gets_one_line_and_exit_code_two_before_any_kernel(argv, message, capsys,
                                                                     monkeypatch):
    from scicollab import kernel

    started = []

    def no_kernel(self):
        # an ordinary exception: pytest.fail's is not one, and raised in a Dask worker's
        # thread it left the build waiting for ever instead of failing it
        started.append(self)
        raise RuntimeError("a kernel started")

    monkeypatch.setattr(kernel.Kernel, "_start", no_kernel)
    assert main(argv) == 2
    assert not started
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_an_output_that_is_a_file_is_refused(tmp_path, capsys):
    target = tmp_path / "file.txt"
    target.write_text("mine")
    assert main(["run", "--region", "World", "--chapter", "gerd", "--out", str(target)]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert target.read_text() == "mine"


def test_an_interrupted_command_exits_130_and_says_so(monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(regions, "names", interrupted)
    assert main(["regions"]) == 130
    assert "interrupted; nothing half-written was kept" in capsys.readouterr().err


def test_a_failed_command_exits_one(monkeypatch, capsys):
    from scicollab import builds
    from scicollab.executor import ChapterFailed

    def failing(**kwargs):
        raise ChapterFailed("chapter 'gerd' failed for region 'World': cell 3 (`x`): "
                            "ValueError: bad")

    monkeypatch.setattr(builds, "book", failing)
    monkeypatch.setattr(builds, "clean_leftovers", lambda: [])
    assert main(["book"]) == 1
    assert capsys.readouterr().err.strip() == ("error: chapter 'gerd' failed for region "
                                               "'World': cell 3 (`x`): ValueError: bad")


def test_leftovers_of_a_killed_run_are_removed_and_reported(monkeypatch, capsys):
    from scicollab import builds

    monkeypatch.setattr(builds, "clean_leftovers", lambda: ["cache/.staging/gerd-99999-x"])
    monkeypatch.setattr(builds, "book", lambda **kwargs: pytest.skip("reached the build"))
    cli._say_leftovers()
    assert "removed 1 leftover staging folder(s) of an interrupted run: " \
           "cache/.staging/gerd-99999-x" in capsys.readouterr().err


def test_a_changed_table_of_contents_is_read_again(tmp_path):
    toc = tmp_path / "_toc.yml"
    toc.write_text("format: jb-book\nroot: intro\nchapters:\n  - file: notebooks/alpha\n")
    assert catalogue.toc_files(tmp_path) == ["intro", "notebooks/alpha"]
    toc.write_text("format: jb-book\nroot: intro\nchapters:\n  - file: notebooks/alpha\n"
                   "  - file: notebooks/beta\n")
    assert catalogue.toc_files(tmp_path) == ["intro", "notebooks/alpha", "notebooks/beta"]


@pytest.mark.parametrize("address", ["tcp://10.0.0.5:8786", "10.0.0.5:8786", "tcp://[::1]:8786",
                                     "tls://scheduler.example.org:8786", "ws://host-1:8787"])
def test_a_scheduler_address_dask_reads_is_accepted(address):
    from scicollab.cli import scheduler_address

    assert scheduler_address(None, None, address) == address


def test_a_root_that_is_not_a_project_is_bad_usage_in_one_line(tmp_path, capsys):
    from scicollab import paths
    from scicollab.errors import UsageError

    assert main(["--root", str(tmp_path), "book"]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path} is not a scicollab project" in err and len(err.strip().splitlines()) == 1
    with pytest.raises(UsageError, match="no scicollab project at or above"):
        paths.find_root(tmp_path)


def test_the_edition_index_of_a_project_without_editions_says_how_to_build_one(project, capsys):
    assert main(["region", "index"]) == 0
    assert capsys.readouterr().out.startswith("no region edition built yet: `scicollab region "
                                              "build Kenya` builds one")


def test_data_build_calls_a_wvs_device_not_a_regular_file_before_reading_anything(capsys):
    assert main(["data", "build", "--wvs", "/dev/null"]) == 1
    err = capsys.readouterr().err
    assert "file /dev/null: not a regular file (a folder, device, pipe or socket)" in err
    assert len(err.strip().splitlines()) == 1
