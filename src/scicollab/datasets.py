"""The processed tables the book reads, checked against the manifest's sha256 on load."""

from __future__ import annotations

import copy
import csv
import gzip
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import paths
from .errors import DataFileError, UnknownNameError
from .sources.common import sha256_file

if TYPE_CHECKING:
    import pandas as pd


def data_dir() -> Path:
    """The folder holding the processed tables and manifest.json."""
    return paths.data_dir()


@lru_cache(maxsize=4)
def _manifest(directory: Path) -> dict:
    path = directory / "manifest.json"
    if not path.is_file():
        raise DataFileError(path, "no data manifest; run `make data` to build the processed tables")
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise DataFileError(path, "not UTF-8 text; run `make data` to rebuild it") from None
    except json.JSONDecodeError as exc:
        raise DataFileError(path, f"not valid JSON ({exc.msg})", row=exc.lineno) from None
    tables = found.get("tables") if isinstance(found, dict) else None
    if not isinstance(tables, dict) or not all(
            isinstance(entry, dict) and {"file", "sha256", "columns"} <= set(entry)
            for entry in tables.values()) or "data_version" not in found:
        raise DataFileError(path, "not a data manifest (it needs data_version and, for each "
                            "table, file, sha256 and columns); run `make data` to rebuild it")
    return found


def manifest() -> dict:
    """The provenance manifest of the processed data (a copy: changing it changes no cache)."""
    return copy.deepcopy(_manifest(data_dir()))


def data_version() -> str:
    """A short fingerprint of the processed data, for captions and caches."""
    return manifest()["data_version"]


def table_info(name: str) -> dict:
    """The manifest entry of one table (file, sources, rows, sha256)."""
    tables = _manifest(data_dir())["tables"]
    if name not in tables:
        import difflib

        raise UnknownNameError("table", name, difflib.get_close_matches(name, tables, n=3))
    return copy.deepcopy(tables[name])


def _checked_file(directory: Path, name: str) -> Path:
    """The table's file, present and matching the manifest's checksum."""
    info = _manifest(directory)["tables"][name]
    path = directory / info["file"]
    if not path.is_file():
        raise DataFileError(path, "processed table missing; run `make data`")
    if sha256_file(path) != info["sha256"]:
        raise DataFileError(path, "checksum differs from data/manifest.json; the file was edited "
                            "by hand or is stale: run `make data` to rebuild it")
    return path


def _check_columns(directory: Path, name: str, path: Path, header: Sequence[str]) -> None:
    missing = [c for c in _manifest(directory)["tables"][name]["columns"] if c not in header]
    if missing:
        raise DataFileError(path, "column missing", row=1, column=missing[0])


@lru_cache(maxsize=32)
def _load(directory: Path, name: str) -> pd.DataFrame:
    import pandas as pd

    path = _checked_file(directory, name)
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    _check_columns(directory, name, path, list(frame.columns))
    return frame


@lru_cache(maxsize=8)
def _rows(directory: Path, name: str) -> tuple[dict[str, str], ...]:
    path = _checked_file(directory, name)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = tuple(reader)
    _check_columns(directory, name, path, reader.fieldnames or [])
    return rows


def load(name: str) -> pd.DataFrame:
    """One processed table as a DataFrame (a copy, safe to modify)."""
    table_info(name)
    return _load(data_dir(), name).copy()


def rows(name: str) -> list[dict[str, str]]:
    """One processed table as rows of text, a missing value as empty text, read without
    pandas: for the paths that must start fast (a no-change rebuild resolves regions)."""
    table_info(name)
    return [dict(row) for row in _rows(data_dir(), name)]


def countries() -> pd.DataFrame:
    """Every economy with ISO codes, region and income group."""
    return load("countries")


def source_line(*names: str) -> str:
    """A short source text for the tables named, for captions: each publisher once, with its
    table or indicator ids, e.g. 'NSF NCSES, Science and Engineering Indicators (10001, 1819)'."""
    ids: dict[str, list[str]] = {}
    for name in names:
        for source in table_info(name)["sources"]:
            listed = ids.setdefault(source["publisher"], [])
            if source["table_id"] not in listed:
                listed.append(source["table_id"])
    return "; ".join(f"{publisher} ({', '.join(table_ids)})"
                     for publisher, table_ids in ids.items())


def latest_in_window(
    frame: pd.DataFrame, column: str, start: int, end: int, *, key: str = "iso3"
) -> pd.DataFrame:
    """Each country's latest non-missing ``column`` between ``start`` and ``end``, with its year."""
    window = frame[(frame["year"] >= start) & (frame["year"] <= end)].dropna(subset=[column])
    latest = window.sort_values("year").groupby(key, as_index=False).last()
    return latest[[key, "year", column]].reset_index(drop=True)
