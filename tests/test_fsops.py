"""File-system safety: whole outputs or none, locks, stale leftovers, and clear refusals."""

from __future__ import annotations

import errno
import os
import threading
import time

import pytest

from scicollab import fsops
from scicollab.errors import ScicollabError, UsageError


def test_replace_dir_swaps_a_folder_whole(tmp_path):
    target, new = tmp_path / "edition", tmp_path / "new"
    target.mkdir()
    (target / "old.txt").write_text("old")
    new.mkdir()
    (new / "new.txt").write_text("new")
    fsops.replace_dir(new, target)
    assert [p.name for p in target.iterdir()] == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edition"]


def test_replace_dir_without_atomic_exchange_leaves_no_old_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(fsops, "_exchange", lambda a, b: False)
    target, new = tmp_path / "edition", tmp_path / "new"
    target.mkdir()
    (target / "old.txt").write_text("old")
    new.mkdir()
    (new / "new.txt").write_text("new")
    fsops.replace_dir(new, target)
    assert [p.name for p in target.iterdir()] == ["new.txt"]
    assert not list((tmp_path / fsops.STAGING).iterdir())


def test_a_staged_folder_is_removed_whatever_happens(tmp_path):
    with pytest.raises(KeyboardInterrupt), fsops.staged(tmp_path, "x") as folder:
        (folder / "half.txt").write_text("half")
        raise KeyboardInterrupt
    assert not list((tmp_path / fsops.STAGING).iterdir())


def test_stale_staging_of_dead_processes_is_removed_and_live_ones_kept(tmp_path, dead_pid):
    dead = dead_pid
    staging = tmp_path / fsops.STAGING
    (staging / f"gerd-{dead}-abc").mkdir(parents=True)
    (staging / f"gerd-{dead}-abc" / "half.ipynb").write_text("{}")
    (staging / f"trust-{os.getpid()}-def").mkdir()
    (staging / "not-ours").mkdir()
    assert fsops.clean_stale(tmp_path) == [f"gerd-{dead}-abc"]
    assert sorted(p.name for p in staging.iterdir()) == ["not-ours", f"trust-{os.getpid()}-def"]


def test_a_lock_makes_a_second_holder_wait(tmp_path):
    order = []

    def hold():
        with fsops.lock(tmp_path / "region"):
            order.append("first in")
            time.sleep(0.5)
            order.append("first out")

    thread = threading.Thread(target=hold)
    thread.start()
    while not order:
        time.sleep(0.01)
    with fsops.lock(tmp_path / "region"):
        order.append("second in")
    thread.join()
    assert order == ["first in", "first out", "second in"]


def test_write_atomic_leaves_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "numbers.json"
    path.write_text("old")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(ScicollabError, match="the disk is full"):
        fsops.write_atomic(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["numbers.json"]


def test_a_folder_with_files_the_tool_did_not_write_is_refused(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    fsops.owned_or_absent(folder, "run.json", "output")  # empty: fine
    (folder / "draft.docx").write_text("mine")
    with pytest.raises(UsageError, match="did not write"):
        fsops.owned_or_absent(folder, "run.json", "output")
    (folder / "run.json").write_text("{}")
    fsops.owned_or_absent(folder, "run.json", "output")


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p.write_text("x") and p, "is a file, not a folder"),
    (lambda p: p / ("a" * 300), "longer than 255 bytes"),
])
def test_unwritable_output_folders_are_refused_before_any_work(tmp_path, make, message):
    with pytest.raises(UsageError, match=message):
        fsops.check_writable(make(tmp_path / "out") or tmp_path / "out", "--out folder")


def test_a_read_only_file_system_is_refused_before_any_work():
    with pytest.raises(UsageError, match="cannot be written"):
        fsops.check_writable(fsops.Path("/proc/scicollab/out"), "--out folder")


def test_a_full_disk_becomes_one_clear_error():
    with pytest.raises(ScicollabError, match=r"cannot write in /x: the disk is full .* free "
                       "space"), fsops.disk_errors(fsops.Path("/x")):
        raise OSError(errno.ENOSPC, "No space left on device")


def test_made_folder_removes_only_the_empty_folders_it_made_when_the_block_fails(tmp_path):
    (tmp_path / "kept").mkdir()
    with pytest.raises(RuntimeError), fsops.made_folder(tmp_path / "kept" / "a" / "b" / "c"):
        assert (tmp_path / "kept" / "a" / "b" / "c").is_dir()
        raise RuntimeError("failed")
    assert [p.name for p in tmp_path.iterdir()] == ["kept"]
    assert list((tmp_path / "kept").iterdir()) == []


def test_made_folder_keeps_a_made_folder_that_holds_something_and_its_parents(tmp_path):
    with pytest.raises(KeyboardInterrupt), fsops.made_folder(tmp_path / "a" / "b" / "c"):
        (tmp_path / "a" / "b" / "note.txt").write_text("someone's")
        raise KeyboardInterrupt
    assert (tmp_path / "a" / "b" / "note.txt").is_file()
    assert not (tmp_path / "a" / "b" / "c").exists()


def test_made_folder_keeps_what_it_made_when_the_block_succeeds(tmp_path):
    with fsops.made_folder(tmp_path / "a" / "b"):
        pass
    assert (tmp_path / "a" / "b").is_dir()
