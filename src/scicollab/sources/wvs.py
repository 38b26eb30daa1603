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
So does, for a valid answer, a weight that is missing, negative or not finite (``1e999``), a
survey year outside the layout's fieldwork years or a wave outside 1–7; and a country-wave
whose weights sum to zero or overflow. CSV (comma or semicolon separated, UTF-8), Stata
``.dta`` and SPSS ``.sav`` files are read, each checked to be what its extension says; SPSS
needs the optional package ``pyreadstat`` (``pip install -e ".[spss]"``).
"""

from __future__ import annotations

import csv
import importlib.util
import math
import struct
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

from ..errors import DataFileError
from .common import binary_kind, check_text, number
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
# Fieldwork years of each layout: wave 7 ran 2017-2023; the time series (waves 1-7) 1981-2023.
YEARS: dict[str, tuple[int, int]] = {"wave 7": (2017, 2023), "time series": (1981, 2023)}
WAVES = range(1, 8)
# What the first bytes of a Stata or SPSS file look like (see common.binary_kind).
FORMATS = {".dta": ("Stata", "a Stata .dta file"), ".sav": ("SPSS", "an SPSS .sav file"),
           ".zsav": ("SPSS", "an SPSS .zsav file")}
ARTICLE = {"Stata": "a", "SPSS": "an"}
NOT_FOUND = ("WVS respondent file not found; give the path of your WVS wave-7 or time-series "
             "file (CSV, .dta or .sav)")
NOT_A_FILE = ("not a regular file (a folder, device, pipe or socket); give the path of your "
              "WVS wave-7 or time-series file (CSV, .dta or .sav)")


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
    """Header and (line, row) pairs of a CSV, reading only the columns a layout needs.

    The file must start as UTF-8 text; a stray undecodable byte further on is replaced, so that
    a label column in another encoding does not stop the build (the columns read are codes and
    numbers, which a replaced byte would make fail their own checks).
    """
    with open(path, "rb") as handle:
        kind = binary_kind(handle.read(1 << 16))
    for suffix, (_, looks_like) in FORMATS.items():
        if kind == looks_like:
            raise DataFileError(path, f"not a CSV file: it looks like {kind}; give it the "
                                f"{suffix} extension")
    check_text(path)
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


def _check_format(path: Path) -> None:
    """Refuse a file whose bytes are not the format its extension (.dta, .sav) promises."""
    program, expected = FORMATS[path.suffix.lower()]
    with open(path, "rb") as handle:
        kind = binary_kind(handle.read(1 << 16))
    if kind == expected:
        return
    if kind is None:
        raise DataFileError(path, f"not {ARTICLE[program]} {program} file: it looks like text "
                            "(a CSV?); give it the .csv extension, or export it again from "
                            f"{program}")
    raise DataFileError(path, f"not {ARTICLE[program]} {program} file: it looks like {kind}; "
                        f"export it again from {program} or give the CSV version")


def _read(path: Path):
    """Layout, column names and rows of a respondent file of any supported format."""
    suffix = path.suffix.lower()
    if suffix in FORMATS:
        _check_format(path)
    if suffix == ".dta":
        try:
            with pd.read_stata(path, iterator=True) as reader:
                names = list(reader.variable_labels())
            return _table_rows(path, names, lambda cols: pd.read_stata(
                path, columns=cols, convert_categoricals=False))
        except (ValueError, EOFError, OSError, UnicodeDecodeError, struct.error) as exc:
            raise DataFileError(path, f"cannot be read as a Stata file ({exc}); export it "
                                "again from Stata or give the CSV version") from None
    if suffix in (".sav", ".zsav"):
        if importlib.util.find_spec("pyreadstat") is None:
            raise DataFileError(path, "reading SPSS files needs the optional package "
                                'pyreadstat: run `.venv/bin/pip install -e ".[spss]"`, or give '
                                "the CSV or Stata (.dta) version of the file")
        import pyreadstat

        try:
            _, meta = pyreadstat.read_sav(str(path), metadataonly=True)
            return _table_rows(path, list(meta.column_names), lambda cols: pd.read_spss(
                path, usecols=cols, convert_categoricals=False))
        except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, ValueError) as exc:
            raise DataFileError(path, f"cannot be read as an SPSS file ({exc}); export it "
                                "again from SPSS or give the CSV version") from None
    return _csv_rows(path)


def check_path(path: Path | str) -> None:
    """Refuse a WVS path that is missing, or not a regular file (a folder cannot be read, a
    device or pipe would be read for ever or as empty), saying what to give instead."""
    path = Path(path)
    if not path.is_file():
        raise DataFileError(path, NOT_A_FILE if path.exists() else NOT_FOUND)


def read_microdata(path: str | Path, countries: set[str]) -> pd.DataFrame:
    """Weighted share distrusting / trusting people of another nationality, by country-wave."""
    path = Path(path)
    check_path(path)
    layout, columns, rows = _read(path)
    if not rows:
        raise DataFileError(path, "file has a header but no data rows (truncated?)")
    weights: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    years: dict[tuple[str, int], Counter] = defaultdict(Counter)
    first_row: dict[tuple[str, int], int] = {}
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
        weight = _weight(path, line, row["weight"], columns["weight"])
        wave = _wave(path, line, row, columns)
        year = _year(path, line, row["year"], columns["year"], layout)
        key = (iso3, wave)
        first_row.setdefault(key, line)
        cell = weights[key]
        cell[0] += weight * (answer >= 3)
        cell[1] += weight
        cell[2] += 1
        if not math.isfinite(cell[1]):
            raise DataFileError(path, f"the weights of {iso3}, wave {wave} add up to more than "
                                "the largest number a computer holds (overflow): survey weights "
                                "should be of order 1", row=line, column=columns["weight"])
        years[key][year] += 1
    records = []
    for (iso3, wave), (distrusting, total, n) in sorted(weights.items()):
        if total <= 0:
            raise DataFileError(path, f"the weights of {iso3}, wave {wave} sum to zero (from "
                                "this row on): give the survey weights, or 1 for unweighted",
                                row=first_row[(iso3, wave)], column=columns["weight"])
        distrust = round(100 * distrusting / total, 2)
        year = max(years[(iso3, wave)].items(), key=lambda item: (item[1], item[0]))[0]
        records.append({"iso3": iso3, "wave": wave, "year": year, "studies": STUDIES,
                        "item": ITEM, "distrust_pct": distrust,
                        "trust_pct": round(100 - distrust, 2), "n": n})
    if not records:
        raise DataFileError(path, "no valid answer (1–4) to the trust question in the file",
                            column=columns["answer"])
    return pd.DataFrame(records, columns=OUTPUT_COLUMNS)


def _weight(path: Path, line: int, text: str, column: str) -> float:
    """A respondent's weight: a finite number, zero or more."""
    weight = number(text, path=path, row=line, column=column)
    if math.isnan(weight) or weight < 0:
        raise DataFileError(path, "weight missing or negative for a valid answer", row=line,
                            column=column)
    if not math.isfinite(weight):
        raise DataFileError(path, f"weight {text.strip()!r} is not a finite number", row=line,
                            column=column)
    return weight


def _whole(path: Path, line: int, text: str, column: str, what: str) -> int:
    """A cell that must hold a whole number (a wave, a year)."""
    value = number(text, path=path, row=line, column=column)
    if math.isnan(value):
        raise DataFileError(path, f"{what} missing", row=line, column=column)
    if not math.isfinite(value) or value != int(value):
        raise DataFileError(path, f"{what} {text.strip()!r} is not a whole number", row=line,
                            column=column)
    return int(value)


def _wave(path: Path, line: int, row: dict[str, str], columns: dict[str, str]) -> int:
    """The survey wave of a row: the wave column of the time series, else 7."""
    if "wave" not in columns:
        return 7
    wave = _whole(path, line, row["wave"], columns["wave"], "wave")
    if wave not in WAVES:
        raise DataFileError(path, f"wave {wave} outside the WVS waves {WAVES[0]}–{WAVES[-1]}",
                            row=line, column=columns["wave"])
    return wave


def _year(path: Path, line: int, text: str, column: str, layout: str) -> int:
    """The survey year of a row, within the fieldwork years of the file's layout."""
    year = _whole(path, line, text, column, "survey year")
    first, last = YEARS[layout]
    if not first <= year <= last:
        raise DataFileError(path, f"survey year {year} outside the fieldwork years of the WVS "
                            f"{layout} file ({first}–{last})", row=line, column=column)
    return year


def replace_covered(aggregates: pd.DataFrame, micro: pd.DataFrame) -> pd.DataFrame:
    """The aggregates with every (country, wave, item) the microdata covers taken from it."""
    keys = ["iso3", "wave", "item"]
    covered = pd.MultiIndex.from_frame(micro[keys])
    keep = ~pd.MultiIndex.from_frame(aggregates[keys]).isin(covered)
    frame = pd.concat([aggregates[keep], micro[aggregates.columns]], ignore_index=True)
    return frame.sort_values(keys).reset_index(drop=True)
