"""World Bank: country classification (CLASS.xlsx), WDI indicator CSVs, GDP via datahub."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from ..errors import DataFileError
from ..regions import INCOME_GROUPS
from .common import ZIP_KIND, binary_kind, check_unique, number, read_rows, require_file

CLASS_COLUMNS = ["Economy", "Code", "Region", "Income group"]


def _sheet(path: Path, name: str, columns: list[str]) -> pd.DataFrame:
    """One sheet of an Excel workbook as text, with the columns it must have."""
    require_file(path)
    with open(path, "rb") as handle:
        kind = binary_kind(handle.read(1 << 16))
    if kind != ZIP_KIND:
        raise DataFileError(path, f"not an Excel .xlsx workbook (it looks like "
                            f"{kind or 'text'}); download CLASS.xlsx again")
    try:
        sheet = pd.read_excel(path, sheet_name=name, dtype=str, keep_default_na=False)
    except (ValueError, KeyError, OSError, zipfile.BadZipFile) as exc:
        raise DataFileError(path, f"cannot read sheet {name!r} ({exc}); download CLASS.xlsx "
                            "again") from None
    for column in columns:
        if column not in sheet.columns:
            raise DataFileError(path, f"required column missing in sheet {name!r}", row=1,
                                column=column)
    return sheet


def read_class(path: Path) -> pd.DataFrame:
    """The World Bank's list of economies: iso3, name, region, income group."""
    sheet = _sheet(path, "List of economies", CLASS_COLUMNS)
    economies = sheet[sheet["Region"].str.strip() != ""].copy()
    for position, value in economies["Income group"].items():
        if value not in INCOME_GROUPS and value != "":
            raise DataFileError(path, f"unknown income group {value!r}", row=int(position) + 2,
                                column="Income group")
    frame = pd.DataFrame({
        "iso3": economies["Code"].str.strip(),
        "name": economies["Economy"].str.strip(),
        "region": economies["Region"].str.strip(),
        "income_group": economies["Income group"].str.strip(),
    })
    check_unique(frame, ["iso3"], path=path)
    return frame.sort_values("iso3").reset_index(drop=True)


def read_class_groups(path: Path) -> set[str]:
    """Codes of the World Bank's aggregates (regions, income and lending groups)."""
    sheet = _sheet(path, "Groups", ["GroupCode"])
    return set(sheet["GroupCode"].str.strip()) - {""}


def read_wdi(path: Path, economies: set[str], aggregates: set[str]) -> pd.DataFrame:
    """A WDI indicator CSV (four preamble lines) as iso3, year, value for economies only.

    Every code must be an economy or a known aggregate; anything else is an error, so that
    no country is dropped silently.
    """
    header, rows = read_rows(path, ["Country Name", "Country Code"], skip_lines=4)
    years = [c for c in header if c.isdigit()]
    if not years:
        raise DataFileError(path, "no year columns after the four preamble lines", row=5)
    records = []
    for line, row in rows:
        code = row["Country Code"].strip()
        if code in aggregates or (code not in economies and _is_wdi_aggregate(code)):
            continue
        if code not in economies:
            raise DataFileError(path, f"code {code!r} ({row['Country Name']}) is neither an "
                                "economy in CLASS.xlsx nor a known aggregate", row=line,
                                column="Country Code")
        for year in years:
            value = number(row[year], path=path, row=line, column=year)
            if value == value:
                records.append({"iso3": code, "year": int(year), "value": value})
    frame = pd.DataFrame(records, columns=["iso3", "year", "value"])
    return check_unique(frame, ["iso3", "year"], path=path)


WDI_AGGREGATES_NOT_IN_CLASS = {"INX"}


def _is_wdi_aggregate(code: str) -> bool:
    return code in WDI_AGGREGATES_NOT_IN_CLASS


def read_datahub_gdp(path: Path, economies: set[str], aggregates: set[str]) -> pd.DataFrame:
    """GDP in current US$ from datahub's long CSV, economies only."""
    _, rows = read_rows(path, ["Country Name", "Country Code", "Year", "Value"])
    records = []
    for line, row in rows:
        code = row["Country Code"].strip()
        if code in aggregates or _is_wdi_aggregate(code):
            continue
        if code not in economies:
            raise DataFileError(path, f"code {code!r} ({row['Country Name']}) is neither an "
                                "economy in CLASS.xlsx nor a known aggregate", row=line,
                                column="Country Code")
        year = number(row["Year"], path=path, row=line, column="Year")
        value = number(row["Value"], path=path, row=line, column="Value")
        records.append({"iso3": code, "year": int(year), "value": value, "_line": line})
    frame = pd.DataFrame(records)
    check_unique(frame, ["iso3", "year"], path=path, lines=frame["_line"])
    return frame.drop(columns="_line").dropna(subset=["value"]).reset_index(drop=True)
