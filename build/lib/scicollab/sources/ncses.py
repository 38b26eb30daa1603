"""NSF NCSES Science and Engineering Indicators tables, as machine-readable CSVs.

Row labels are hierarchical paths (``World -> Europe -> EU -> Austria``) whose names carry
HTML entities, footnote marks and, sometimes, the data year (``Chile (2020)``).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..countries import CountryIndex, clean_label, label_year
from ..errors import DataFileError
from .common import check_unique, number, read_rows

SEP = " -> "
COAUTHOR_ATTRIBUTES = {
    "Total articles": "total",
    "With multiple institutions": "multiple_institutions",
    "With domestic institutions only": "domestic_only",
    "With international institutions": "international",
}


def _path_column(header: list[str], path: Path) -> str:
    for column in header:
        if column.endswith("_full_path"):
            return column
    raise DataFileError(path, "no hierarchical label column (a name ending in '_full_path')")


def _year_columns(header: list[str], pattern: str, path: Path) -> dict[str, tuple[int, ...]]:
    found = {}
    for column in header:
        match = re.fullmatch(pattern, column)
        if match:
            found[column] = tuple(int(g) if g.isdigit() else g for g in match.groups())
    if not found:
        raise DataFileError(path, f"no year columns matching {pattern!r}")
    return found


def read_coauthorship(path: Path, index: CountryIndex) -> pd.DataFrame:
    """Articles by coauthorship attribute (tables 10001, 5002, 1850): one row per country-year."""
    header, rows = read_rows(path, ["table_id"])
    label = _path_column(header, path)
    years = _year_columns(header, r"field_(\d{4})", path)
    records = []
    for line, row in rows:
        parts = [p.strip() for p in row[label].split(SEP)]
        if "Total articles" not in parts:
            continue  # a country's heading row, with no values
        at = parts.index("Total articles")
        if at == 0 or parts[at - 1] == "World":
            continue
        attribute = parts[-1]
        if attribute not in COAUTHOR_ATTRIBUTES:
            raise DataFileError(path, f"unknown coauthorship attribute {attribute!r}", row=line,
                                column=label)
        iso3 = index.iso3(parts[at - 1], path=path, row=line, column=label)
        if iso3 is None:
            continue
        for column, (year,) in years.items():
            records.append(
                {
                    "iso3": iso3,
                    "year": year,
                    "measure": COAUTHOR_ATTRIBUTES[attribute],
                    "value": number(row[column], path=path, row=line, column=column),
                    "_line": line,
                }
            )
    frame = pd.DataFrame(records)
    check_unique(frame, ["iso3", "year", "measure"], path=path, lines=frame["_line"])
    wide = frame.pivot(index=["iso3", "year"], columns="measure", values="value").reset_index()
    wide.columns.name = None
    wide = wide.dropna(subset=["total"])
    return wide[["iso3", "year", *COAUTHOR_ATTRIBUTES.values()]]


def read_counting_methods(path: Path, index: CountryIndex) -> pd.DataFrame:
    """Whole and fractional article counts by country (table 1819), with NCSES's income group."""
    income = "field_economies_by_income_status"
    header, rows = read_rows(path, ["table_id", income])
    label = _path_column(header, path)
    columns = _year_columns(header, r"field_(\d{4})_(fractional|whole)_count", path)
    records = []
    for line, row in rows:
        if row[income].strip() == "":
            continue  # aggregate rows (World, regions, EU) carry no income group
        name = row[label].split(SEP)[-1]
        iso3 = index.iso3(name, path=path, row=line, column=label)
        if iso3 is None:
            continue
        by_year: dict[int, dict[str, float]] = {}
        for column, (year, kind) in columns.items():
            by_year.setdefault(year, {})[kind] = number(row[column], path=path, row=line,
                                                        column=column)
        for year, values in by_year.items():
            records.append({"iso3": iso3, "year": year, "whole": values.get("whole", np.nan),
                            "fractional": values.get("fractional", np.nan),
                            "ncses_income_group": row[income].strip(), "_line": line})
    frame = pd.DataFrame(records)
    check_unique(frame, ["iso3", "year"], path=path, lines=frame["_line"])
    return frame.drop(columns="_line").dropna(subset=["whole"]).reset_index(drop=True)


def _period_year(text: str, latest: int | None) -> int:
    match = re.fullmatch(r"(\d{4})(a?)", text.strip())
    if not match:
        raise ValueError(text)
    if match.group(2) and latest is not None:
        return latest
    return int(match.group(1))


def read_gerd_series(path: Path, index: CountryIndex) -> pd.DataFrame:
    """GERD in current PPP dollars and GERD/GDP by country and year (tables 10978, 10937)."""
    header, rows = read_rows(path, ["time_period", "value"])
    levels = [c for c in header if re.search(r"_level_\d+$", c)]
    records = []
    for line, row in rows:
        label = row["time_period"]
        name = label.split(SEP)[-1]
        if clean_label(name) in {"EU-27", "Total OECD", "OECD", "G20 countries"}:
            continue
        parts = [row[c].strip() for c in levels if row[c].strip()]
        measure, period = " / ".join(parts[:-1]), parts[-1]
        if measure == "GERD / Current PPP dollars" or measure == "GERD":
            key = "gerd_ppp_bn"
        elif measure.startswith("GERD-to-GDP ratio"):
            key = "gerd_pct_gdp"
        else:
            continue
        try:
            year = _period_year(period, label_year(label))
        except ValueError:
            raise DataFileError(path, f"unreadable year {period!r}", row=line,
                                column=levels[-1]) from None
        iso3 = index.iso3(name, path=path, row=line, column="time_period")
        if iso3 is None:
            continue
        records.append({"iso3": iso3, "year": year, "measure": key,
                        "value": number(row["value"], path=path, row=line, column="value"),
                        "_line": line})
    frame = pd.DataFrame(records)
    check_unique(frame, ["iso3", "year", "measure"], path=path, lines=frame["_line"])
    wide = frame.pivot(index=["iso3", "year"], columns="measure", values="value").reset_index()
    wide.columns.name = None
    return wide.dropna(subset=["gerd_ppp_bn"])[["iso3", "year", "gerd_ppp_bn", "gerd_pct_gdp"]]


def read_gerd_latest(path: Path, index: CountryIndex) -> pd.DataFrame:
    """GERD (PPP) and GERD/GDP for the latest year per country (table 6304: value, then share)."""
    _, rows = read_rows(path, ["time_period", "value"])
    groups: dict[str, list[tuple[int, str]]] = {}
    for line, row in rows:
        groups.setdefault(row["time_period"], []).append((line, row["value"]))
    records = []
    for label, values in groups.items():
        if label.startswith("Selected country groups"):
            continue
        if len(values) != 2:
            raise DataFileError(path, f"expected a value row then a share row for {label!r}",
                                row=values[0][0], column="time_period")
        (line, level), (line2, share) = values
        year = label_year(label)
        if year is None:
            raise DataFileError(path, "label has no data year in parentheses", row=line,
                                column="time_period")
        iso3 = index.iso3(label.split(SEP)[-1], path=path, row=line, column="time_period")
        if iso3 is None:
            continue
        records.append({
            "iso3": iso3, "year": year,
            "gerd_ppp_bn": number(level, path=path, row=line, column="value") / 1000.0,
            "gerd_pct_gdp": number(share, path=path, row=line2, column="value"),
            "_line": line,
        })
    frame = pd.DataFrame(records)
    check_unique(frame, ["iso3"], path=path, lines=frame["_line"])
    return frame.drop(columns="_line")


def read_pairs(path: Path, index: CountryIndex) -> pd.DataFrame:
    """Internationally coauthored articles between country pairs (table 10003).

    The published CSV has no partner labels: each ``World -> Country -> YEAR`` block lists the
    country's total, then one value per partner in the order the country blocks appear. That
    order is checked: the diagonal must be blank and the matrix symmetric.
    """
    _, rows = read_rows(path, ["time_period", "value"])
    blocks: dict[tuple[str, int], list[tuple[int, str]]] = {}
    order: list[str] = []
    for line, row in rows:
        parts = [p.strip() for p in row["time_period"].split(SEP)]
        if len(parts) == 2:
            continue
        if len(parts) != 3 or not parts[2].isdigit():
            raise DataFileError(path, f"unexpected label {row['time_period']!r}", row=line,
                                column="time_period")
        name, year = parts[1], int(parts[2])
        if name not in order:
            order.append(name)
        blocks.setdefault((name, year), []).append((line, row["value"]))
    codes = {name: index.iso3(name, path=path, row=blocks[(name, y)][0][0], column="time_period")
             for (name, y) in blocks}
    records = []
    for (name, year), values in blocks.items():
        if len(values) != len(order) + 1:
            raise DataFileError(path, f"block {name} {year} has {len(values)} values, expected "
                                f"{len(order) + 1}", row=values[0][0], column="value")
        for position, (line, value) in enumerate(values[1:]):
            partner = order[position]
            parsed = number(value, path=path, row=line, column="value")
            if partner == name:
                if not np.isnan(parsed):
                    raise DataFileError(path, "expected a blank diagonal; partner column order "
                                        "cannot be inferred", row=line, column="value")
                continue
            records.append({"a": codes[name], "b": codes[partner], "year": year,
                            "articles": parsed, "_line": line})
    frame = pd.DataFrame(records)
    mirror = frame.merge(frame, left_on=["a", "b", "year"], right_on=["b", "a", "year"])
    bad = mirror[mirror["articles_x"] != mirror["articles_y"]]
    if len(bad):
        raise DataFileError(path, "pair counts are not symmetric; partner column order cannot be "
                            "inferred", row=int(bad["_line_x"].iloc[0]), column="value")
    frame = frame[frame["a"] < frame["b"]].drop(columns="_line")
    return frame.sort_values(["year", "a", "b"]).reset_index(drop=True)


FUNDING_CATEGORIES = {
    "GERD (PPP US$billions)": "total",
    "R&D performing sector: Share of total (percent)": "performing_sector",
    "R&D source of funds: Share of total (percent)": "source_of_funds",
}


def read_gerd_structure(path: Path, index: CountryIndex) -> pd.DataFrame:
    """GERD by performing sector and source of funds, % of total (tables 10946, 10936)."""
    header, rows = read_rows(path, ["time_period", "value"])
    level1, level2 = (c for c in header if re.search(r"_level_[12]$", c))
    records = []
    for line, row in rows:
        label = row["time_period"]
        name = label.split(SEP)[-1]
        if clean_label(name) in {"EU-27", "Total OECD"}:
            continue
        category = FUNDING_CATEGORIES.get(re.sub(r"\s+", " ", row[level1]).strip())
        if category is None:
            raise DataFileError(path, f"unknown measure {row[level1]!r}", row=line, column=level1)
        sector = re.sub(r"a$", "", row[level2].strip()) if category != "total" else "all"
        iso3 = index.iso3(name, path=path, row=line, column="time_period")
        if iso3 is None:
            continue
        records.append({"iso3": iso3, "year": label_year(label), "category": category,
                        "sector": sector.lower().replace(" ", "_"),
                        "value": number(row["value"], path=path, row=line, column="value"),
                        "_line": line})
    frame = pd.DataFrame(records)
    check_unique(frame, ["iso3", "category", "sector"], path=path, lines=frame["_line"])
    return frame.drop(columns="_line")


COVID_COLUMNS = {
    "number_of_papers_whole_": "whole",
    "number_of_papers_fractional_": "fractional",
    "papers_involving_multiple_institutions_whole_": "multiple_institutions",
    "papers_involving_only_domestic_institutions_whole_": "domestic_only",
    "papers_involving_international_institutions_whole_": "international",
}


def read_covid_articles(path: Path, index: CountryIndex) -> pd.DataFrame:
    """Coronavirus-related articles in 2020 by country and coauthorship attribute (table 4960)."""
    _, rows = read_rows(path, ["country", "region", *COVID_COLUMNS])
    records = []
    for line, row in rows:
        if row["country"].strip() in {"World", "Unknown"}:
            continue
        iso3 = index.iso3(row["country"], path=path, row=line, column="country")
        if iso3 is None:
            continue
        record = {"iso3": iso3, "year": 2020, "_line": line}
        for column, key in COVID_COLUMNS.items():
            record[key] = number(row[column], path=path, row=line, column=column)
        records.append(record)
    frame = pd.DataFrame(records)
    check_unique(frame, ["iso3"], path=path, lines=frame["_line"])
    return frame.drop(columns="_line")


ACCESS_ROWS_PER_YEAR = 5
# Open-access share of articles whose access status is known, as NSB published it for the
# first and last year of table SPBS-34 (NSB news release, 14 December 2023, "The Importance of
# Providing Open Science"). The machine-readable table lost its row labels; these two figures
# identify the first row of each year as closed access.
ACCESS_ANCHORS = {2003: 23.0, 2022: 51.0}
ACCESS_ANCHOR_TOLERANCE = 1.0  # percentage points (NSB rounds to whole percent)


def read_access_types(path: Path) -> pd.DataFrame:
    """World S&E articles by access type (table 10002): closed and open access, by year.

    Each year holds five unlabelled rows: closed access first, then the four open-access types
    (Gold, Other journal-based, Green and so on), which are summed. The reading is checked
    against the open-access shares NSB published for 2003 and 2022; a different row layout
    stops the build instead of mislabelling the counts.
    """
    _, rows = read_rows(path, ["row_id", "time_period", "value"])
    by_year: dict[int, list[tuple[int, float]]] = {}
    for line, row in rows:
        period = row["time_period"].strip()
        if not re.fullmatch(r"\d{4}", period):
            raise DataFileError(path, f"expected a year, found {period!r}", row=line,
                                column="time_period")
        value = number(row["value"], path=path, row=line, column="value")
        if np.isnan(value):
            raise DataFileError(path, "missing article count", row=line, column="value")
        by_year.setdefault(int(period), []).append((line, value))
    records = []
    for year, values in by_year.items():
        if len(values) != ACCESS_ROWS_PER_YEAR:
            raise DataFileError(path, f"year {year} has {len(values)} rows, expected "
                                f"{ACCESS_ROWS_PER_YEAR} (closed access, then four open-access "
                                "types)", row=values[-1][0], column="time_period")
        closed = values[0][1]
        opened = sum(v for _, v in values[1:])
        records.append({"year": year, "closed_access": closed, "open_access": opened,
                        "known_status": closed + opened,
                        "open_share": 100.0 * opened / (closed + opened), "_line": values[0][0]})
    frame = pd.DataFrame(records).sort_values("year").reset_index(drop=True)
    for year, published in ACCESS_ANCHORS.items():
        found = frame[frame["year"] == year]
        if found.empty:
            raise DataFileError(path, f"no rows for {year}, needed to check the row layout "
                                "against NSB's published open-access share")
        share = float(found["open_share"].iloc[0])
        if abs(share - published) > ACCESS_ANCHOR_TOLERANCE:
            raise DataFileError(
                path, f"reading the first row of each year as closed access gives an open "
                f"share of {share:.1f}% in {year}, but NSB published {published:.0f}%: the "
                "table's row layout has changed; check the order of its access types",
                row=int(found["_line"].iloc[0]), column="value")
    return frame.drop(columns="_line")
