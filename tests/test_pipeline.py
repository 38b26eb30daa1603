"""The data build: deterministic, complete provenance, and the committed data is current."""

import json

import pytest

from scicollab import datasets, paths, pipeline
from scicollab.errors import DataFileError


@pytest.fixture(scope="module")
def built(raw_dir, tmp_path_factory):
    first = tmp_path_factory.mktemp("first")
    second = tmp_path_factory.mktemp("second")
    return pipeline.build(raw_dir, first), first, pipeline.build(raw_dir, second), second


def test_same_raw_files_give_byte_identical_outputs(built):
    _, first, _, second = built
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_committed_data_matches_a_fresh_build(built):
    _, first, _, _ = built
    for path in sorted(first.iterdir()):
        committed = paths.data_dir() / path.name
        assert committed.read_bytes() == path.read_bytes(), (
            f"data/{path.name} is stale: run `make data` and commit the result")


def test_manifest_records_provenance_for_every_table(built):
    manifest, _, _, _ = built
    assert set(manifest["tables"]) == set(pipeline.table_names())
    for name, entry in manifest["tables"].items():
        assert entry["rows"] > 0, name
        for source in entry["sources"]:
            for key in ("publisher", "table_id", "url", "licence", "retrieved"):
                assert source[key], (name, key)
            for raw in source["raw_files"]:
                assert len(raw["sha256"]) == 64, (name, raw)


def test_no_economy_of_the_world_bank_list_is_lost(built):
    _, first, _, _ = built
    import pandas as pd

    countries = pd.read_csv(first / "countries.csv", keep_default_na=False)
    assert len(countries[countries["in_world_bank_list"]]) == 218
    assert countries.loc[countries["iso3"] == "NAM", "iso2"].item() == "NA"


def test_loading_a_table_checks_its_checksum(tmp_path, monkeypatch):
    for path in paths.data_dir().iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    with (tmp_path / "researchers.csv").open("a") as handle:
        handle.write("ZZZ,2020,1.0\n")
    monkeypatch.setattr(paths, "data_dir", lambda: tmp_path)
    with pytest.raises(DataFileError, match="checksum differs"):
        datasets.load("researchers")


def test_manifest_data_version_is_derived_from_tables():
    manifest = json.loads((paths.data_dir() / "manifest.json").read_text())
    assert manifest["data_version"] == pipeline.data_version(manifest["tables"])
