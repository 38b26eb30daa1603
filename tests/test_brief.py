"""Brief packs: print-resolution figures with their data, citations, numbers and a manifest,
written inside the folder given without ever deleting or overwriting a file of the user's."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
import threading

import pytest

from scicollab import brief, datasets, fsops, regions
from scicollab.errors import ScicollabError, UsageError

pytestmark = pytest.mark.slow


def test_a_pack_holds_figures_citations_numbers_and_manifest(project, tmp_path):
    out = tmp_path / "brief-usmca"
    brief.build(regions.resolve("USMCA"), out, workers=1)
    for chapter in ("alpha", "beta"):
        for kind in ("png", "svg", "csv", "json"):
            assert (out / "figures" / f"{chapter}-line-usmca.{kind}").stat().st_size > 0
    figures_md = (out / "figures.md").read_text()
    assert figures_md.count("\n## ") == 2 and "## alpha-line-usmca" in figures_md
    assert "**Caption:** A made-up line. Source: Made up. Data: 2020." in figures_md
    assert "**Cite as:** tests, *Test book*, version" in figures_md
    assert "example.org" not in figures_md  # no canonical URL set: no made-up address
    numbers = json.loads((out / "numbers.json").read_text())
    assert numbers["alpha"]["alpha_size"] == 3 and numbers["alpha"]["region_name"] == "USMCA"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["region"]["name"] == "USMCA"
    assert [c["iso3"] for c in manifest["countries"]] == ["CAN", "MEX", "USA"]
    assert manifest["data"]["manifest_sha256"] == hashlib.sha256(
        (datasets.data_dir() / "manifest.json").read_bytes()).hexdigest()
    assert manifest["figures"] == ["alpha-line-usmca", "beta-line-usmca"]
    assert set(manifest["files"]) == {p.relative_to(out).as_posix() for p in out.rglob("*")
                                      if p.is_file()} - {"manifest.json"}
    from PIL import Image

    for figure_id in manifest["figures"]:
        with Image.open(out / "figures" / f"{figure_id}.png") as image:
            assert round(image.info["dpi"][0]) == 300


def test_the_citation_carries_the_address_only_when_the_book_has_one(project, tmp_path):
    config = project / "_config.yml"
    config.write_text(config.read_text() + "html:\n  baseurl: https://books.test/scicollab/\n")
    out = tmp_path / "pack"
    brief.build(regions.resolve("USMCA"), out, ["alpha"], workers=1)
    assert "https://books.test/scicollab/regions/usmca/" in (out / "figures.md").read_text()
    # the edition by its name, its address by its slug (it read "(usmca edition)")
    assert "figure alpha-line-usmca (USMCA edition), accessed" in (out / "figures.md").read_text()


def test_a_file_of_the_users_is_never_deleted_the_pack_is_refused_naming_it(project, tmp_path):
    out = tmp_path / "pack"
    out.mkdir()
    (out / "MY_DRAFT.docx").write_text("draft")
    with pytest.raises(UsageError, match=r"holds files this tool did not write \(MY_DRAFT.docx\)"):
        brief.build(regions.resolve("USMCA"), out, ["alpha"], workers=1)
    assert [p.name for p in out.iterdir()] == ["MY_DRAFT.docx"]
    brief.build(regions.resolve("USMCA"), tmp_path / "other", ["alpha"], workers=1)
    (tmp_path / "other" / "figures" / "mine.txt").write_text("mine")
    with pytest.raises(UsageError, match=r"figures/mine.txt"):
        brief.build(regions.resolve("USMCA"), tmp_path / "other", ["alpha"], workers=1)
    assert (tmp_path / "other" / "figures" / "mine.txt").read_text() == "mine"


def test_a_manifest_of_the_packs_kind_does_not_make_a_folder_the_tools(project, tmp_path):
    out = tmp_path / "pack"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"kind": brief.MARKER, "files": []}))
    (out / "thesis.tex").write_text("mine")
    with pytest.raises(UsageError, match=r"thesis\.tex"):
        brief.build(regions.resolve("USMCA"), out, ["alpha"], workers=1)
    assert (out / "thesis.tex").read_text() == "mine"


def test_refreshing_a_pack_replaces_its_own_files_and_writes_nothing_beside_it(project,
                                                                              tmp_path):
    out = tmp_path / "pack"
    brief.build(regions.resolve("USMCA"), out, workers=1)
    assert (out / "figures" / "beta-line-usmca.png").is_file()
    brief.build(regions.resolve("USMCA"), out, ["alpha"], workers=1)
    assert not (out / "figures" / "beta-line-usmca.png").exists()
    assert (out / "figures" / "alpha-line-usmca.png").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack", "repo"]
    assert not [p for p in out.iterdir() if p.name.startswith(brief.STAGING)]


def test_an_interrupted_refresh_leaves_a_folder_the_next_run_accepts(project, tmp_path,
                                                                     monkeypatch):
    out = tmp_path / "pack"
    brief.build(regions.resolve("USMCA"), out, ["alpha"], workers=1)
    real_replace = os.replace
    calls = []

    def dies_midway(source, target):
        calls.append(target)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", dies_midway)
    with pytest.raises(KeyboardInterrupt):
        brief.build(regions.resolve("USMCA"), out, ["alpha", "beta"], workers=1)
    monkeypatch.setattr(os, "replace", real_replace)
    brief.build(regions.resolve("USMCA"), out, ["alpha", "beta"], workers=1)
    assert (out / "figures" / "beta-line-usmca.png").is_file()


def test_a_pack_being_staged_by_a_running_command_is_left_alone(project, tmp_path):
    # two `brief` commands into one folder: neither removes the other's staging folder; a
    # killed command's is removed by the next one
    out = tmp_path / "pack"
    out.mkdir()
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    try:
        live = out / f"{brief.STAGING}-{running.pid}-abc123"
        dead = out / f"{brief.STAGING}-{ended.pid}-def456"
        for folder in (live, dead):
            (folder / "figures").mkdir(parents=True)
            (folder / "figures" / "half.png").write_bytes(b"half")
        brief.build(regions.resolve("USMCA"), out, ["alpha"], workers=1)
        assert (live / "figures" / "half.png").read_bytes() == b"half"
        assert not dead.exists()
        assert (out / "figures" / "alpha-line-usmca.png").is_file()
    finally:
        running.kill()
        running.wait()


def test_two_packs_written_into_one_folder_at_once_take_turns(project, tmp_path, monkeypatch):
    region = regions.resolve("USMCA")
    made = {}
    real_write = brief.write

    def kept(region, results, out):
        made[len(results)] = results
        return real_write(region, results, out)

    monkeypatch.setattr(brief, "write", kept)
    brief.build(region, tmp_path / "first", ["alpha", "beta"], workers=1)
    brief.build(region, tmp_path / "second", ["alpha"], workers=1)
    monkeypatch.setattr(brief, "write", real_write)

    first_moving, go_on, second_asks = threading.Event(), threading.Event(), threading.Event()
    real_swap, real_lock = brief._swap_in, fsops.lock

    def swap(out, staging, files):
        if threading.current_thread().name == "first":
            first_moving.set()
            assert go_on.wait(60)
        return real_swap(out, staging, files)

    @contextlib.contextmanager
    def lock(path, timeout=-1):
        if threading.current_thread().name == "second":
            second_asks.set()
        with real_lock(path, timeout):
            yield

    monkeypatch.setattr(brief, "_swap_in", swap)
    monkeypatch.setattr(fsops, "lock", lock)
    out, failures = tmp_path / "pack", []

    def write(results):
        try:
            real_write(region, results, out)
        except BaseException as exc:  # reported below, in the test's own thread
            failures.append(exc)

    first = threading.Thread(target=write, args=(made[2],), name="first")
    second = threading.Thread(target=write, args=(made[1],), name="second")
    first.start()
    assert first_moving.wait(60)  # the first pack's files are being moved into place
    second.start()
    assert second_asks.wait(60)
    second.join(0.5)
    assert second.is_alive()  # the second waits for the first to finish
    assert not (out / "manifest.json").exists()
    go_on.set()
    first.join(60)
    second.join(60)
    assert not failures
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["figures"] == ["alpha-line-usmca"]  # the last one in, whole
    assert set(manifest["files"]) == {p.relative_to(out).as_posix() for p in out.rglob("*")
                                      if p.is_file()} - {"manifest.json"}


def test_a_pack_that_fails_to_write_leaves_no_folder_made_for_it(project, tmp_path,
                                                                 monkeypatch):
    out = tmp_path / "new" / "pack"

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(brief, "_write_pack", full_disk)
    with pytest.raises(ScicollabError, match="No space left"):
        brief.build(regions.resolve("USMCA"), out, ["alpha"], workers=1)
    assert not (tmp_path / "new").exists()  # nor the parent made for it


def test_the_manifest_records_the_commit_and_whether_the_tree_is_dirty(project, tmp_path):
    def git(*args: str) -> str:
        settings = ["-c", "user.name=t", "-c", "user.email=t@example.org",
                    "-c", "commit.gpgsign=false"]
        return subprocess.run(["git", "-C", str(project), *settings, *args],
                              capture_output=True, text=True, check=True).stdout.strip()

    (project / ".gitignore").write_text("_build/\n")
    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "test book")
    assert brief.git_commit() == {"commit": git("rev-parse", "HEAD"), "dirty": False}
    (project / "notebooks" / "alpha.md").write_text("changed")
    assert brief.git_commit()["dirty"] is True


def test_a_real_chapters_pack_has_each_interactive_figure_as_an_offline_page(tmp_path):
    import re

    out = tmp_path / "brief-ken"
    brief.build(regions.resolve("KEN"), out, ["gerd"], workers=1)
    pages = sorted((out / "figures").glob("*.html"))
    assert pages, "the GERD chapter has interactive figures"
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "Plotly" in text and (out / "figures" / f"{page.stem}.png").is_file()
        # everything inlined: no script or style sheet loaded from anywhere
        assert not re.search(r"<script[^>]*\ssrc=|<link[^>]*\shref=", text), page.name
    assert f"`figures/{pages[0].stem}.html` (interactive" in (out / "figures.md").read_text()


def test_a_figure_the_home_page_shows_too_is_listed_once_under_its_chapter(tmp_path):
    # the home page shows the GERD and trust chapters' figures under their ids: figures.md
    # listed gerd-proxy-kenya and trust-kenya twice, first under "intro"
    out = tmp_path / "brief-ken"
    brief.build(regions.resolve("KEN"), out, ["intro", "gerd", "trust"], workers=1)
    figures_md = (out / "figures.md").read_text()
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["figures"]) == len(set(manifest["figures"]))
    assert figures_md.count("\n## gerd-proxy-kenya\n") == 1
    section = figures_md.split("\n## gerd-proxy-kenya\n")[1].split("\n## ")[0]
    assert "- **Chapter:** gerd (also shown in: intro)" in section
    assert "- **Chapter:** trust (also shown in: intro)" in (
        figures_md.split("\n## trust-kenya\n")[1].split("\n## ")[0])
