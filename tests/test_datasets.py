"""Processed data files: each way they can be broken stops with the file, row and column."""

from __future__ import annotations

import hashlib
import json
import shutil

import pandas as pd
import pytest

from scicollab import datasets, paths
from scicollab.errors import DataFileError, UnknownNameError


@pytest.fixture
def data(tmp_path, monkeypatch):
    """A copy of data/ that the module reads instead of the real one; caches cleared."""
    copy = tmp_path / "data"
    shutil.copytree(paths.data_dir(), copy)
    for cache in (datasets._manifest, datasets._load, datasets._rows):
        cache.cache_clear()
    monkeypatch.setattr(paths, "data_dir", lambda: copy)
    yield copy
    for cache in (datasets._manifest, datasets._load, datasets._rows):
        cache.cache_clear()


# The two readers of a table: as a DataFrame, and as rows of text without pandas
READERS = pytest.mark.parametrize("read", [datasets.load, datasets.rows], ids=["load", "rows"])


def test_the_copy_loads_like_the_real_data(data):
    assert datasets.data_dir() == data
    frame = datasets.load("researchers")
    assert len(frame) == len(pd.read_csv(data / "researchers.csv"))


def test_rows_are_the_tables_text_with_missing_values_empty(data):
    rows = datasets.rows("countries")
    frame = datasets.load("countries")
    assert [row["iso3"] for row in rows] == list(frame["iso3"])
    assert list(rows[0]) == list(frame.columns)
    missing = frame["income_group"].isna()
    assert missing.any()
    assert [row["income_group"] == "" for row in rows] == list(missing)
    rows[0]["iso3"] = "changed"
    assert datasets.rows("countries")[0]["iso3"] == frame["iso3"][0]


def test_missing_manifest_says_how_to_build_it(data):
    (data / "manifest.json").unlink()
    with pytest.raises(DataFileError, match="no data manifest; run `make data`") as error:
        datasets.load("researchers")
    assert error.value.path == str(data / "manifest.json")


def test_manifest_that_is_not_json_names_the_row(data):
    (data / "manifest.json").write_text('{\n  "title": "x",\n  "tables": oops\n}\n')
    with pytest.raises(DataFileError, match="not valid JSON") as error:
        datasets.manifest()
    assert error.value.row == 3
    assert str(error.value).startswith(f"file {data / 'manifest.json'}, row 3: ")


@READERS
def test_missing_table_file_says_to_rebuild(data, read):
    (data / "researchers.csv").unlink()
    with pytest.raises(DataFileError, match="processed table missing; run `make data`") as error:
        read("researchers")
    assert error.value.path == str(data / "researchers.csv")


@READERS
def test_table_edited_by_hand_fails_its_checksum(data, read):
    table = data / "researchers.csv"
    table.write_text(table.read_text() + "ZZZ,2020,1.0\n")
    with pytest.raises(DataFileError, match=r"checksum differs from data/manifest\.json") as error:
        read("researchers")
    assert error.value.path == str(table)


@READERS
def test_table_without_a_listed_column_names_row_1_and_the_column(data, read):
    table = data / "researchers.csv"
    frame = pd.read_csv(table).drop(columns="researchers_per_million")
    frame.to_csv(table, index=False)
    manifest = json.loads((data / "manifest.json").read_text())
    manifest["tables"]["researchers"]["sha256"] = hashlib.sha256(table.read_bytes()).hexdigest()
    (data / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(DataFileError, match="column missing") as error:
        read("researchers")
    assert (error.value.row, error.value.column) == (1, "researchers_per_million")
    assert str(error.value) == (f"file {table}, row 1, column 'researchers_per_million': "
                                "column missing")


def test_unknown_table_name_suggests_the_closest_ones(data):
    with pytest.raises(UnknownNameError) as error:
        datasets.load("researcher")
    assert error.value.kind == "table" and error.value.name == "researcher"
    assert "researchers" in error.value.suggestions
    assert str(error.value).startswith("unknown table 'researcher'; did you mean: 'researchers'")
    with pytest.raises(UnknownNameError) as error:
        datasets.table_info("qqqq")
    assert error.value.suggestions == [] and str(error.value) == "unknown table 'qqqq'"


def test_source_line_names_each_publisher_once_with_all_its_table_ids():
    publications = [s["table_id"] for s in datasets.table_info("publications")["sources"]]
    counts = [s["table_id"] for s in datasets.table_info("publication_counts")["sources"]]
    line = datasets.source_line("publications", "publication_counts", "publications")
    publisher = datasets.table_info("publications")["sources"][0]["publisher"]
    assert line == f"{publisher} ({', '.join(publications + counts)})"
    assert line.count(publisher) == 1


@pytest.mark.parametrize("text", ['["a list"]', '{"tables": {}}',
                                  '{"data_version": "x", "tables": {"t": {"file": "t.csv"}}}'])
def test_manifest_of_the_wrong_shape_says_to_rebuild(data, text):
    (data / "manifest.json").write_text(text)
    with pytest.raises(DataFileError, match=r"not a data manifest .*run `make data`") as error:
        datasets.manifest()
    assert error.value.path == str(data / "manifest.json")


def test_manifest_that_is_not_text_says_to_rebuild(data):
    (data / "manifest.json").write_bytes(b"\xff\xfe{\x00}\x00")
    with pytest.raises(DataFileError, match="not UTF-8 text"):
        datasets.manifest()


def test_changing_the_manifest_a_caller_got_changes_no_later_load():
    first = datasets.manifest()
    first["tables"]["countries"]["sha256"] = "0" * 64
    datasets.table_info("countries")["sha256"] = "0" * 64
    assert datasets.manifest()["tables"]["countries"]["sha256"] != "0" * 64
    assert datasets.table_info("countries")["sha256"] != "0" * 64
    assert len(datasets.load("countries")) > 0
