"""Publishing a data build: all files or none, no debris, one clear line for every failure.

A full disk, a failure or an interrupt while files are swapped in, and a build killed part-way
each leave the previous data byte-identical; bad requests are refused before anything is read.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
from pathlib import Path

import pytest

from scicollab import paths, pipeline, publish
from scicollab.errors import DataFileError, ScicollabError, UnknownNameError

ONE_TABLE = ["open_access"]  # the quickest table: a partial build that still swaps every file


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def out(tmp_path) -> Path:
    """A copy of the committed data/ to build into."""
    target = tmp_path / "data"
    shutil.copytree(paths.data_dir(), target)
    return target


def test_unknown_table_is_refused_before_anything_is_read(tmp_path):
    out = tmp_path / "new"
    with pytest.raises(UnknownNameError) as error:
        pipeline.build(tmp_path / "no-raw-folder", out, only=["open_acess"])
    assert error.value.suggestions[0] == "open_access"
    assert "? Tables: countries, rd_expenditure" in str(error.value)
    assert not out.exists()


def test_check_request_accepts_every_table_name():
    pipeline.check_request(pipeline.table_names())


def test_missing_wvs_file_is_refused_before_anything_is_read(tmp_path):
    with pytest.raises(DataFileError, match="WVS respondent file not found") as error:
        pipeline.build(tmp_path / "no-raw-folder", tmp_path / "out",
                       wvs_file=tmp_path / "WVS.csv")
    assert error.value.path == str(tmp_path / "WVS.csv")


def test_wvs_file_with_tables_that_ignore_it_is_refused(tmp_path):
    wvs = Path(__file__).parent / "fixtures" / "wvs" / "wave7.csv"
    with pytest.raises(ScicollabError, match="changes only the trust table"):
        pipeline.check_request(["researchers"], wvs)
    pipeline.check_request(["researchers", "trust"], wvs)


def test_missing_raw_folder_says_how_to_point_at_one(tmp_path):
    with pytest.raises(ScicollabError, match=r"raw data folder .* not found: pass .*--raw DIR"):
        pipeline.build(tmp_path / "nowhere", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_full_disk_while_writing_leaves_the_data_as_they_were(raw_dir, out, monkeypatch):
    before = _snapshot(out)
    real = pipeline.write_csv

    def half_then_full(frame, path):
        real(frame, path)
        with open(path, "r+b") as handle:
            handle.truncate(path.stat().st_size // 2)
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(pipeline, "write_csv", half_then_full)
    with pytest.raises(ScicollabError) as error:
        pipeline.build(raw_dir, out, only=ONE_TABLE)
    assert str(error.value) == (f"no space left on the disk holding {out}: free some space and "
                                f"run the build again; {out} was left as it was")
    assert _snapshot(out) == before


@pytest.mark.parametrize("failure", [OSError(errno.EIO, "Input/output error"),
                                     KeyboardInterrupt()], ids=["io-error", "interrupt"])
def test_failure_while_swapping_puts_every_previous_file_back(raw_dir, out, monkeypatch,
                                                              failure):
    (out / "open_access.csv").write_bytes(b"an older version\n")  # so the swap changes it
    (out / "datapackage.json").unlink()                              # and adds a new file
    before = _snapshot(out)
    real, calls = os.replace, []

    def fails_third(source, target):
        calls.append(Path(target).name)
        if len(calls) == 3:
            raise failure
        real(source, target)

    monkeypatch.setattr(publish.os, "replace", fails_third)
    expected = ScicollabError if isinstance(failure, OSError) else KeyboardInterrupt
    with pytest.raises(expected):
        pipeline.build(raw_dir, out, only=ONE_TABLE)
    assert calls[:3] == ["open_access.csv", "datapackage.json", "manifest.json"]
    assert _snapshot(out) == before


def test_build_publishes_tables_datapackage_and_manifest_and_leaves_no_staging(raw_dir, out):
    (out / "open_access.csv").write_bytes(b"an older version\n")
    pipeline.build(raw_dir, out, only=ONE_TABLE)
    assert _snapshot(out) == _snapshot(paths.data_dir())


def test_stale_staging_folder_of_a_killed_build_is_removed_with_a_note(raw_dir, out, caplog):
    stale = out / ".staging-killed"
    stale.mkdir()
    (stale / "open_access.csv").write_text("half a table")
    with caplog.at_level(logging.WARNING, logger="scicollab.publish"):
        pipeline.build(raw_dir, out, only=ONE_TABLE)
    assert not stale.exists()
    assert "removed .staging-killed" in caplog.text and "stopped before it finished" in caplog.text
    assert _snapshot(out) == _snapshot(paths.data_dir())


def test_build_killed_while_swapping_is_rolled_back_by_the_next_one(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("a.csv", "b.csv", "manifest.json"):
        (out / name).write_text(f"old {name}\n")
    before = _snapshot(out)
    # What a build killed after moving a.csv and the new c.csv (b.csv and the manifest not yet)
    # leaves behind: its staging folder with the kept files and the list being swapped.
    stale = out / ".staging-killed"
    (stale / ".previous").mkdir(parents=True)
    os.link(out / "a.csv", stale / ".previous" / "a.csv")
    os.link(out / "b.csv", stale / ".previous" / "b.csv")
    os.link(out / "manifest.json", stale / ".previous" / "manifest.json")
    (out / "a.csv").unlink()
    (out / "a.csv").write_text("new a.csv\n")
    (out / "c.csv").write_text("new c.csv\n")
    (stale / "b.csv").write_text("new b.csv\n")
    (stale / "manifest.json").write_text("new manifest\n")
    (stale / ".swapping").write_text("a.csv\nc.csv\nb.csv\nmanifest.json\n")
    assert publish.remove_stale(out) == [".staging-killed"]
    assert _snapshot(out) == before


def test_staging_folder_of_a_running_build_stops_the_second_build(tmp_path):
    out = tmp_path / "out"
    with publish.staging(out) as running:
        with pytest.raises(ScicollabError, match=r"another data build is writing to .*"
                                                 rf"{running.name}.*wait for it to finish"):
            publish.remove_stale(out)
        assert running.is_dir()
    assert not running.exists()


def test_failed_build_into_a_new_folder_leaves_no_folder(tmp_path):
    out = tmp_path / "new" / "data"
    with pytest.raises(RuntimeError), publish.staging(out):
        raise RuntimeError("a table failed")
    assert sorted(tmp_path.iterdir()) == []  # neither the folder nor the parent made for it


@pytest.mark.parametrize(("code", "text"), [
    (errno.ENOSPC, "no space left on the disk holding {out}: free some space"),
    (errno.EDQUOT, "no space left on the disk holding {out}"),
    (errno.EACCES, "cannot write to {out} (Permission denied): make the folder writable, or "
                   "build elsewhere with --out DIR"),
    (errno.EROFS, "cannot write to {out} (Read-only file system)"),
    (errno.EIO, "cannot write to {out}: Input/output error (x.csv)"),
])
def test_write_errors_name_the_folder_and_the_fix(tmp_path, code, text):
    error = publish.write_error(OSError(code, os.strerror(code), "x.csv"), tmp_path)
    assert str(error).startswith(text.format(out=tmp_path))
    assert str(error).endswith(f"{tmp_path} was left as it was")


def test_partial_build_with_an_unreadable_manifest_says_to_build_everything(raw_dir, out):
    (out / "manifest.json").write_text("{ not json")
    with pytest.raises(DataFileError, match="build every table"):
        pipeline.build(raw_dir, out, only=ONE_TABLE)
    assert (out / "manifest.json").read_text() == "{ not json"
