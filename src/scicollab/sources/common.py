"""Strict readers shared by the publisher modules: every problem names file, row and column."""

from __future__ import annotations

import codecs
import csv
import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataFileError

if TYPE_CHECKING:
    import pandas as pd

# Marks the publishers use for "no value": NCSES writes na, ne (one cell of table 1819) and
# D (suppressed); WDI leaves the cell empty.
MISSING = {"", "na", "n/a", "NA", "ne", "..", "-", "D"}
_NUMBER = re.compile(r"^-?\d[\d,]*(\.\d+)?([eE][-+]?\d+)?$|^-?\.\d+$")


def sha256_file(path: str | Path) -> str:
    """The sha256 hex digest of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def require_file(path: Path) -> Path:
    """Return the path if it is a readable file, else a clear error saying what is missing."""
    if not path.is_file():
        raise DataFileError(
            path,
            "raw file not found; pass the raw data folder with --raw DIR "
            "or set SCICOLLAB_RAW (default: ../shared/data beside the clone)",
        )
    return path


ZIP_KIND = "a zip archive (an Excel .xlsx workbook is one)"
# The first bytes of binary formats a raw file is most often confused with.
_MAGIC = (
    (b"PK\x03\x04", ZIP_KIND),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls or other Office file"),
    (b"<stata_dta>", "a Stata .dta file"),
    (b"$FL2", "an SPSS .sav file"),
    (b"$FL3", "an SPSS .zsav file"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip-compressed file"),
)
_SNIFF_BYTES = 1 << 16


def binary_kind(head: bytes) -> str | None:
    """What the first bytes of a file say it is, when it is not UTF-8 text; None if it may be.

    UTF-16 and UTF-32 (with or without a byte-order mark), the binary formats raw files are
    most often confused with (zip/xlsx, xls, Stata, SPSS, PDF, gzip), and any other file with
    NUL bytes ("binary").
    """
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if len(head) >= 2 and head[0] in range(104, 120) and head[1] in (1, 2):
        return "a Stata .dta file"
    if b"\x00" not in head:
        return None
    half = max(len(head) // 2, 1)
    if max(head[0::2].count(0), head[1::2].count(0)) > half * 0.6:
        return "UTF-16 without a byte-order mark"
    return "binary"


def not_text_error(path: Path, kind: str, row: int | None = None) -> DataFileError:
    """The error for a raw file that is not UTF-8 text: what it looks like, what to do."""
    return DataFileError(path, f"not UTF-8 text (it looks like {kind}): save it as UTF-8 CSV",
                         row=row)


def check_text(path: Path) -> Path:
    """Return the path if its first bytes may be UTF-8 text, else say what the file looks like."""
    with open(path, "rb") as handle:
        kind = binary_kind(handle.read(_SNIFF_BYTES))
    if kind:
        raise not_text_error(path, kind)
    return path


def decode_text(path: Path, data: bytes) -> str:
    """A raw file's bytes as text (UTF-8, with or without a BOM), or an error naming the row."""
    kind = binary_kind(data[:_SNIFF_BYTES])
    if kind:
        raise not_text_error(path, kind)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[:exc.start].count(b"\n") + 1
        raise not_text_error(path, f"Latin-1 or Windows-1252: byte 0x{data[exc.start]:02x} is "
                             "not UTF-8", row=row) from None


def read_rows(
    path: Path,
    required: Sequence[str] = (),
    *,
    skip_lines: int = 0,
    delimiter: str = ",",
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Read a delimited UTF-8 file strictly: header, then (line number, row dict) pairs.

    Every row must have as many fields as the header (a short last row means the file is
    truncated); every required column must be present. A file in another encoding or a binary
    file is refused with what it looks like.
    """
    require_file(path)
    lines = decode_text(path, path.read_bytes()).splitlines(keepends=True)
    if len(lines) <= skip_lines:
        raise DataFileError(path, "file is empty; expected a header line")
    reader = csv.reader(lines[skip_lines:], delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise DataFileError(path, "file is empty; expected a header line") from None
    while header and header[-1] == "":
        header.pop()
    for column in required:
        if column not in header:
            raise DataFileError(
                path,
                f"required column missing (found: {', '.join(header[:12])}"
                f"{', …' if len(header) > 12 else ''})",
                row=skip_lines + 1,
                column=column,
            )
    rows: list[tuple[int, dict[str, str]]] = []
    for offset, fields in enumerate(reader):
        line = skip_lines + 2 + offset
        if not fields or all(f.strip() == "" for f in fields):
            continue
        while len(fields) > len(header) and fields[-1] == "":
            fields.pop()
        if len(fields) != len(header):
            raise DataFileError(
                path,
                f"expected {len(header)} fields, found {len(fields)} "
                "(the file may be truncated or a value may hold an unquoted delimiter)",
                row=line,
                column=header[min(len(fields), len(header)) - 1] if fields else None,
            )
        rows.append((line, dict(zip(header, fields, strict=True))))
    if not rows:
        raise DataFileError(path, "file has a header but no data rows (truncated?)")
    return header, rows


def number(value: str, *, path: Path, row: int, column: str) -> float:
    """Parse a numeric cell; blanks and the sources' missing marks are NaN, text is an error."""
    text = str(value).strip()
    if text in MISSING:
        return math.nan
    cleaned = re.sub(r"[ir]$", "", text)
    if _NUMBER.match(cleaned):
        return float(cleaned.replace(",", ""))
    raise DataFileError(path, f"expected a number, found {text!r}", row=row, column=column)


def check_unique(
    frame: pd.DataFrame, keys: Iterable[str], *, path: Path, lines: pd.Series | None = None
) -> pd.DataFrame:
    """Raise if a key (e.g. country-year) occurs twice, naming both rows."""
    keys = list(keys)
    dup = frame.duplicated(keys, keep=False)
    if dup.any():
        first = frame[dup].iloc[0]
        where = frame[dup & (frame[keys] == first[keys]).all(axis=1)]
        rows = list(lines[where.index]) if lines is not None else list(where.index)
        described = ", ".join(f"{k}={first[k]}" for k in keys)
        raise DataFileError(
            path,
            f"duplicated {'/'.join(keys)} ({described}) in rows {rows[:5]}",
            row=rows[0],
            column=keys[0],
        )
    return frame
