"""Brief packs: print-resolution figures with their data, citations, numbers and a manifest."""

from __future__ import annotations

import hashlib
import json
import subprocess

import pytest

from scicollab import brief, datasets, editions, regions, runner
from scicollab.cli import main
from scicollab.errors import ScicollabError
from test_editions import executed, project, save_figure, write_chapter  # noqa: F401 - fixture


def test_brief_pack_holds_figures_citations_numbers_and_manifest(project, tmp_path):  # noqa: F811
    out = tmp_path / "brief-usmca"
    brief.build(regions.resolve("USMCA"), out)
    for chapter in ("alpha", "beta"):
        for kind in ("png", "svg", "csv", "json"):
            assert (out / "figures" / f"{chapter}-fig-usmca.{kind}").stat().st_size > 0
    figures_md = (out / "figures.md").read_text()
    assert figures_md.count("\n## ") == 2
    assert "## alpha-fig-usmca" in figures_md
    assert "**Caption:** A line. Source: Made up. Data: 2020." in figures_md
    assert "**Source:** Made up (data 2020)" in figures_md
    assert ("**Cite as:** tests, *Test book*, version" in figures_md
            and "figure alpha-fig-usmca (usmca edition)" in figures_md
            and "https://example.org/t/regions/usmca/" in figures_md)
    numbers = json.loads((out / "numbers.json").read_text())
    assert numbers["alpha"]["alpha_n"] == 3 and numbers["alpha"]["region_name"] == "USMCA"
    assert numbers["beta"]["beta_median"] is None, "NaN must become null in strict JSON"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["region"]["name"] == "USMCA"
    assert [c["iso3"] for c in manifest["countries"]] == ["CAN", "MEX", "USA"]
    assert manifest["data"]["data_version"] == datasets.data_version()
    data_manifest = datasets.data_dir() / "manifest.json"
    assert manifest["data"]["manifest_sha256"] == hashlib.sha256(
        data_manifest.read_bytes()).hexdigest()
    assert manifest["git"] == brief.git_commit()
    assert {"python", "scicollab", "pandas", "matplotlib"} <= set(manifest["packages"])
    assert manifest["figures"] == ["alpha-fig-usmca", "beta-fig-usmca"]


def test_brief_manifest_records_the_commit_and_whether_the_tree_is_dirty(
        project, tmp_path):  # noqa: F811
    root, _log = project

    def git(*args: str) -> str:
        settings = ["-c", "user.name=t", "-c", "user.email=t@example.org",
                    "-c", "commit.gpgsign=false"]
        return subprocess.run(["git", "-C", str(root), *settings, *args],
                              capture_output=True, text=True, check=True).stdout.strip()

    (root / ".gitignore").write_text("_build/\n")
    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "test book")
    head = git("rev-parse", "HEAD")
    out = brief.build(regions.resolve("USMCA"), tmp_path / "pack")
    recorded = json.loads((out / "manifest.json").read_text())["git"]
    assert recorded == {"commit": head, "dirty": False}
    assert isinstance(recorded["dirty"], bool)
    assert recorded == brief.git_commit()
    (root / "book" / "intro.md").write_text("# Intro\n\nEdited by hand.\n")
    assert brief.git_commit() == {"commit": head, "dirty": True}


def test_brief_for_a_custom_region_lists_its_countries(project, tmp_path):  # noqa: F811
    region = regions.custom("USA,CAN", "North American partners")
    out = brief.build(region, tmp_path / "pack")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["region"]["slug"] == "north-american-partners"
    assert [c["name"] for c in manifest["countries"]] == ["Canada", "United States"]


def test_brief_refuses_a_folder_that_is_not_an_earlier_pack(project, tmp_path):  # noqa: F811
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("keep me")
    with pytest.raises(ScicollabError, match="not empty"):
        brief.build(regions.resolve("USMCA"), out)
    assert (out / "thesis.tex").read_text() == "keep me"


def test_brief_replaces_an_earlier_pack(project, tmp_path):  # noqa: F811
    out = tmp_path / "pack"
    brief.build(regions.resolve("USMCA"), out)
    (out / "stale.txt").write_text("old")
    brief.build(regions.resolve("USMCA"), out)
    assert not (out / "stale.txt").exists() and (out / "manifest.json").is_file()


def test_brief_refuses_figures_below_print_resolution(project, tmp_path, monkeypatch):  # noqa: F811
    original = runner.run_chapter

    def low_dpi(chapter, region, out, parameters=None, **kwargs):
        original(chapter, region, out, parameters)
        save_figure(out / "figures", f"{chapter}-fig-{region.slug}", dpi=100)

    monkeypatch.setattr(runner, "run_chapter", low_dpi)
    with pytest.raises(ScicollabError, match="below print resolution"):
        brief.build(regions.resolve("USMCA"), tmp_path / "pack")
    assert not (tmp_path / "pack").exists()


def test_brief_of_a_failing_chapter_names_it_and_writes_nothing(project, tmp_path, capsys):  # noqa: F811
    write_chapter(project[0], "beta", body="FAIL")
    code = main(["brief", "USMCA", "--out", str(tmp_path / "pack"), "-q"])
    assert code == 2
    assert "chapter 'beta'" in capsys.readouterr().err
    assert not (tmp_path / "pack").exists()


def test_brief_after_an_edition_reuses_its_executed_chapters(project, tmp_path):  # noqa: F811
    _root, log = project
    usmca = regions.resolve("USMCA")
    editions.build_editions([usmca], html=False, progress=False)
    assert sorted(executed(log)) == ["alpha", "beta"]
    out = brief.build(usmca, tmp_path / "brief-usmca")
    assert executed(log) == [], "a brief after an edition starts no kernel"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["figures"] == ["alpha-fig-usmca", "beta-fig-usmca"]
    assert all(entry["cached"] for entry in manifest["chapters"].values())
