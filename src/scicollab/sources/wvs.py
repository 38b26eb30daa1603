"""World Values Survey respondent files supplied by a user: weighted trust in foreigners.

Two official layouts are recognised from their column names:

- the wave-7 cross-national file: ``B_COUNTRY_ALPHA`` (ISO3), ``A_YEAR``, ``Q63`` (trust in
  people of another nationality, 1 "completely" … 4 "not at all"), ``W_WEIGHT``;
- the WVS time-series (trend) file: ``COUNTRY_ALPHA``, ``S002VS`` (wave), ``S020`` (year),
  ``G007_36_B`` (the same question) and ``S017`` (weight).

For each country and wave the output holds the WEIGHTED share answering 3 or 4 (distrust), its
complement (trust), the unweighted number of valid answers and the survey year (the most common
interview year of the country-wave; a tie goes to the later year), in the schema of the IVS
aggregates (:func:`scicollab.sources.ivs.read_trust_aggregates`). Answers outside 1–4 that are
negative (WVS missing codes: don't know, no answer, not asked…) or blank are left out; any other
value, a missing column, or a cell that is not a number stops with the file, row and column.
CSV (comma or semicolon separated), Stata ``.dta`` and SPSS ``.sav`` files are read; SPSS needs
the optional package ``pyreadstat``.
"""

from __future__ import annotations

import csv
import importlib.util
import math
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

from ..errors import DataFileError
from .common import number, require_file
from .ivs import EXCLUDED_UNITS

ITEM = "G007_36_B"
STUDIES = "WVS microdata (user file)"
# Logical field -> column name, per layout; the wave-7 file has no wave column (it is wave 7).
LAYOUTS: dict[str, dict[str, str]] = {
    "wave 7": {"iso3": "B_COUNTRY_ALPHA", "year": "A_YEAR", "answer": "Q63",
               "weight": "W_WEIGHT"},
    "time series": {"iso3": "COUNTRY_ALPHA", "wave": "S002VS", "year": "S020",
                    "answer": "G007_36_B", "weight": "S017"},
}
OUTPUT_COLUMNS = ["iso3", "wave", "year", "studies", "item", "distrust_pct", "trust_pct", "n"]


def detect_layout(path: Path, header: list[str]) -> tuple[str, dict[str, str]]:
    """Which official layout a header belongs to, with the actual column names to read."""
    upper = {name.strip().upper(): name for name in header}
    for layout, fields in LAYOUTS.items():
        key = fields["iso3"]
        if key in upper:
            for column in fields.values():
                if column not in upper:
                    raise DataFileError(path, f"required column of the WVS {layout} file "
                                        "missing", row=1, column=column)
            return layout, {field: upper[column] for field, column in fields.items()}
    raise DataFileError(
        path, "not a WVS respondent file: expected B_COUNTRY_ALPHA, A_YEAR, Q63, W_WEIGHT "
        "(wave 7) or COUNTRY_ALPHA, S002VS, S020, G007_36_B, S017 (time series)", row=1,
        column="B_COUNTRY_ALPHA")


def _csv_rows(path: Path):
    """Header and (line, row) pairs of a CSV, reading only the columns a layout needs."""
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as handle:
        first = handle.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        header = [h.strip() for h in next(csv.reader([first], delimiter=delimiter), [])]
        if not header:
            raise DataFileError(path, "file is empty; expected a header line")
        layout, columns = detect_layout(path, header)
        index = {field: header.index(name) for field, name in columns.items()}
        rows = []
        for offset, fields in enumerate(csv.reader(handle, delimiter=delimiter)):
            line = offset + 2
            if not fields or all(f.strip() == "" for f in fields):
                continue
            if len(fields) < len(header):
                raise DataFileError(path, f"expected {len(header)} fields, found {len(fields)} "
                                    "(the file may be truncated)", row=line)
            rows.append((line, {field: fields[i] for field, i in index.items()}))
    return layout, columns, rows


def _table_rows(path: Path, frame_header: list[str], read) -> tuple:
    """Rows of a Stata or SPSS file as (observation number, row) pairs."""
    layout, columns = detect_layout(path, frame_header)
    frame = read(list(columns.values()))
    rows = []
    for position, record in enumerate(frame.itertuples(index=False, name=None), start=1):
        values = dict(zip(columns, record, strict=True))
        rows.append((position, {k: "" if v is None or (isinstance(v, float) and math.isnan(v))
                                else str(v) for k, v in values.items()}))
    return layout, columns, rows


def _read(path: Path):
    """Layout, column names and rows of a respondent file of any supported format."""
    suffix = path.suffix.lower()
    if suffix == ".dta":
        with pd.read_stata(path, iterator=True) as reader:
            names = list(reader.variable_labels())
        return _table_rows(path, names, lambda cols: pd.read_stata(
            path, columns=cols, convert_categoricals=False))
    if suffix in (".sav", ".zsav"):
        if importlib.util.find_spec("pyreadstat") is None:
            raise DataFileError(path, "reading SPSS files needs the optional package "
                                "pyreadstat: run `.venv/bin/pip install pyreadstat`, or give "
                                "the CSV or Stata (.dta) version of the file")
        import pyreadstat

        _, meta = pyreadstat.read_sav(str(path), metadataonly=True)
        return _table_rows(path, list(meta.column_names), lambda cols: pd.read_spss(
            path, usecols=cols, convert_categoricals=False))
    return _csv_rows(path)


def read_microdata(path: str | Path, countries: set[str]) -> pd.DataFrame:
    """Weighted share distrusting / trusting people of another nationality, by country-wave."""
    path = require_file(Path(path))
    _layout, columns, rows = _read(path)
    if not rows:
        raise DataFileError(path, "file has a header but no data rows (truncated?)")
    weights: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    years: dict[tuple[str, int], Counter] = defaultdict(Counter)
    for line, row in rows:
        answer = number(row["answer"], path=path, row=line, column=columns["answer"])
        if math.isnan(answer) or answer < 0:
            continue
        if answer not in (1, 2, 3, 4):
            raise DataFileError(path, f"answer {answer:g} outside the scale 1–4 (negative "
                                "codes mean missing)", row=line, column=columns["answer"])
        iso3 = row["iso3"].strip().upper()
        if iso3 in EXCLUDED_UNITS:
            continue
        if iso3 not in countries:
            raise DataFileError(path, f"unknown ISO3 code {iso3!r}", row=line,
                                column=columns["iso3"])
        weight = number(row["weight"], path=path, row=line, column=columns["weight"])
        if math.isnan(weight) or weight < 0:
            raise DataFileError(path, "weight missing or negative for a valid answer",
                                row=line, column=columns["weight"])
        if "wave" in columns:
            wave = number(row["wave"], path=path, row=line, column=columns["wave"])
            if math.isnan(wave):
                raise DataFileError(path, "wave missing", row=line, column=columns["wave"])
        else:
            wave = 7
        year = number(row["year"], path=path, row=line, column=columns["year"])
        if math.isnan(year):
            raise DataFileError(path, "survey year missing", row=line, column=columns["year"])
        key = (iso3, int(wave))
        cell = weights[key]
        cell[0] += weight * (answer >= 3)
        cell[1] += weight
        cell[2] += 1
        years[key][int(year)] += 1
    records = []
    for (iso3, wave), (distrusting, total, n) in sorted(weights.items()):
        if total <= 0:
            raise DataFileError(path, f"weights of {iso3}, wave {wave} sum to zero",
                                column=columns["weight"])
        distrust = round(100 * distrusting / total, 2)
        year = max(years[(iso3, wave)].items(), key=lambda item: (item[1], item[0]))[0]
        records.append({"iso3": iso3, "wave": wave, "year": year, "studies": STUDIES,
                        "item": ITEM, "distrust_pct": distrust,
                        "trust_pct": round(100 - distrust, 2), "n": n})
    if not records:
        raise DataFileError(path, "no valid answer (1–4) to the trust question in the file",
                            column=columns["answer"])
    return pd.DataFrame(records, columns=OUTPUT_COLUMNS)


def replace_covered(aggregates: pd.DataFrame, micro: pd.DataFrame) -> pd.DataFrame:
    """The aggregates with every (country, wave, item) the microdata covers taken from it."""
    keys = ["iso3", "wave", "item"]
    covered = pd.MultiIndex.from_frame(micro[keys])
    keep = ~pd.MultiIndex.from_frame(aggregates[keys]).isin(covered)
    frame = pd.concat([aggregates[keep], micro[aggregates.columns]], ignore_index=True)
    return frame.sort_values(keys).reset_index(drop=True)
