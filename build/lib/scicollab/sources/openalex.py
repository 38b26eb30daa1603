"""OpenAlex country co-authorship counts (Pajek files by year, 1990–2023)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd

from ..countries import iso2_to_iso3
from ..errors import DataFileError
from .common import decode_text, require_file

ARCHIVE = "WrldCo_years.zip"


def _lines(data: bytes, where: str) -> list[str]:
    return decode_text(Path(where), data).replace("\r\n", "\n").split("\n")


def _member(archive: zipfile.ZipFile, name: str, label: str) -> bytes:
    """One file of the archive, or an error naming the archive and the member."""
    try:
        return archive.read(name)
    except KeyError:
        raise DataFileError(label, f"member {name} missing from the archive (truncated "
                            "download?); fetch the archive again") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataFileError(label, f"member {name} cannot be read ({exc}); fetch the archive "
                            "again") from None


def _vertices(lines: list[str], where: str) -> tuple[int, int]:
    for number, line in enumerate(lines):
        match = re.match(r"\*vertices\s+(\d+)", line.strip(), flags=re.IGNORECASE)
        if match:
            return int(match.group(1)), number
    raise DataFileError(where, "no '*vertices N' line", row=1)


def _vector(data: bytes, where: str, expected: int) -> list[float]:
    lines = _lines(data, where)
    count, start = _vertices(lines, where)
    values = [line.strip() for line in lines[start + 1:] if line.strip()]
    if count != expected or len(values) != expected:
        raise DataFileError(where, f"expected {expected} values, found {len(values)} "
                            "(truncated file?)", row=start + 2 + len(values))
    out = []
    for offset, text in enumerate(values):
        try:
            out.append(float(text))
        except ValueError:
            raise DataFileError(where, f"expected a number, found {text!r}",
                                row=start + 2 + offset, column="value") from None
    return out


def _codes(lines: list[str], where: str) -> list[str]:
    count, start = _vertices(lines, where)
    codes = []
    for offset in range(count):
        line = lines[start + 1 + offset] if start + 1 + offset < len(lines) else ""
        match = re.match(r'\s*(\d+)\s+"([A-Z]{2})"', line)
        if not match or int(match.group(1)) != offset + 1:
            raise DataFileError(where, f"expected vertex {offset + 1} as 'N \"CC\"', found "
                                f"{line.strip()!r}", row=start + 2 + offset, column="vertex")
        codes.append(match.group(2))
    return codes


def read_year(archive: zipfile.ZipFile, year: int, label: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One year: per-country (international works, partners) and per-pair works.

    Each pair is listed in both directions; a few differ by one work (queries made moments
    apart), and the larger is kept. A larger disagreement is an error.

    A country's partners are the other countries it shares at least one work with, counted
    from the pairs. The archive's ``WrldCoYEARG.clu`` is not used for this: it holds the number
    of groups the OpenAlex query returned, which counts the country itself and stops at the
    API's limit of 200 groups (the United States had 233 partners in 2023, not 200).
    """
    net_name = f"WrldCo{year}.net"
    where = f"{label}:{net_name}"
    lines = _lines(_member(archive, net_name, label), where)
    codes = _codes(lines, where)
    iso3 = []
    for position, code in enumerate(codes):
        converted = iso2_to_iso3(code)
        if converted is None:
            raise DataFileError(where, f"ISO2 code {code!r} has no ISO3 equivalent; add it to "
                                "ISO2_EXTRA in src/scicollab/countries.py", row=position + 3)
        iso3.append(converted)
    international = _vector(_member(archive, f"WrldCo{year}T.vec", label),
                            f"{label}:WrldCo{year}T.vec", len(codes))
    arcs_at = next((i for i, line in enumerate(lines) if line.strip().lower() in
                    {"*arcs", "*edges"}), None)
    if arcs_at is None:
        raise DataFileError(where, "no '*arcs' section (truncated file?)", row=len(lines))
    pairs = {}
    for offset, line in enumerate(lines[arcs_at + 1:]):
        fields = line.split()
        if not fields:
            continue
        row = arcs_at + 2 + offset
        if len(fields) != 3:
            raise DataFileError(where, f"expected 'i j count', found {line.strip()!r}", row=row)
        try:
            i, j, count = int(fields[0]), int(fields[1]), float(fields[2])
        except ValueError:
            raise DataFileError(where, f"non-numeric arc {line.strip()!r}", row=row) from None
        if not (1 <= i <= len(codes) and 1 <= j <= len(codes)):
            raise DataFileError(where, f"vertex out of range in {line.strip()!r}", row=row)
        if i == j:
            continue
        a, b = sorted((iso3[i - 1], iso3[j - 1]))
        if (a, b) in pairs:
            other = pairs[(a, b)]
            if abs(other - count) > max(1.0, 0.01 * max(other, count)):
                raise DataFileError(where, f"pair {a}-{b} listed both ways with counts "
                                    f"{other:g} and {count:g}", row=row)
            count = max(other, count)
        pairs[(a, b)] = count
    partners = dict.fromkeys(iso3, 0)
    for (a, b), count in pairs.items():
        if count > 0:
            partners[a] += 1
            partners[b] += 1
    countries = pd.DataFrame({"iso3": iso3, "year": year, "international_works": international,
                              "partner_countries": [partners[code] for code in iso3]})
    pair_frame = pd.DataFrame([(a, b, year, n) for (a, b), n in pairs.items()],
                              columns=["a", "b", "year", "works"])
    return countries, pair_frame


def read_archive(directory: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All years in ``WrldCo_years.zip``: (countries by year, pairs by year)."""
    path = require_file(directory / ARCHIVE)
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise DataFileError(path, "not a readable zip archive (truncated download?)") from None
    with archive:
        years = sorted(int(m.group(1)) for name in archive.namelist()
                       if (m := re.fullmatch(r"WrldCo(\d{4})\.net", name)))
        if not years:
            raise DataFileError(path, "no WrldCoYEAR.net files in the archive")
        parts = [read_year(archive, year, str(path)) for year in years]
    countries = pd.concat([p[0] for p in parts], ignore_index=True)
    pairs = pd.concat([p[1] for p in parts], ignore_index=True)
    countries = countries[(countries["international_works"] > 0)]
    pairs = pairs[pairs["works"] > 0]
    return (countries.sort_values(["iso3", "year"]).reset_index(drop=True),
            pairs.sort_values(["year", "a", "b"]).reset_index(drop=True))
