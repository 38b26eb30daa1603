"""A kernel's connection folder: named for its process, removed once that process is gone."""

from __future__ import annotations

import os
import tempfile

from scicollab import kernel_files


def test_only_the_folders_of_processes_that_no_longer_run_are_removed(tmp_path, monkeypatch,
                                                                      dead_pid):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = tmp_path / f"scicollab-kernel-{dead_pid}-abc"
    alive = tmp_path / f"scicollab-kernel-{os.getpid()}-abc"
    other = tmp_path / "scicollab-kernel-notapid-abc"
    longer = tmp_path / f"scicollab-kernel-x-{dead_pid}-abc"  # not a name the tool gives
    mine = tmp_path / "tmp1234.json"
    for folder in (dead, alive, other, longer):
        folder.mkdir()
        (folder / "kernel.json").write_text("{}")
    mine.write_text("{}")
    assert kernel_files.remove_stale() == [dead.name]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [alive.name, other.name, longer.name, mine.name])


def test_a_link_named_like_a_stale_folder_is_left_alone(tmp_path, monkeypatch, dead_pid):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep.txt").write_text("someone's")
    (tmp_path / f"scicollab-kernel-{dead_pid}-abc").symlink_to(target)
    assert kernel_files.remove_stale() == []
    assert (target / "keep.txt").is_file()


def test_a_new_folder_is_private_and_named_for_this_process(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = kernel_files.new_folder()
    assert os.path.basename(folder).startswith(f"scicollab-kernel-{os.getpid()}-")
    assert os.stat(folder).st_mode & 0o777 == 0o700
    assert kernel_files.connection_file(folder) == os.path.join(folder, "kernel.json")
