"""Integrated Values Surveys (EVS + WVS) country aggregates: trust in other people.

The source's ``pct`` for the trust battery is the weighted share answering 3 ("not very much")
or 4 ("not at all") on the 1–4 scale, that is DISTRUST. Trust is 100 − pct.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import DataFileError
from .common import check_unique, number, read_rows

TRUST_ITEMS = {
    "G007_18_B": "neighbourhood",
    "G007_34_B": "people met for the first time",
    "G007_35_B": "people of another religion",
    "G007_36_B": "people of another nationality",
}
# Survey units that are not ISO 3166 countries, with the reason they are left out.
EXCLUDED_UNITS = {"NIR": "Northern Ireland, surveyed separately by EVS; GBR covers Great Britain"}
COLUMNS = ["iso3", "wave", "year", "studies", "var", "pct", "n"]


def read_trust_aggregates(path: Path, countries: set[str]) -> pd.DataFrame:
    """Trust items by country and wave: distrust and trust in percent, with sample size."""
    _, rows = read_rows(path, COLUMNS)
    records = []
    for line, row in rows:
        item = row["var"].strip()
        if item not in TRUST_ITEMS:
            continue
        iso3 = row["iso3"].strip()
        if iso3 in EXCLUDED_UNITS:
            continue
        if iso3 not in countries:
            raise DataFileError(path, f"unknown ISO3 code {iso3!r}; add it to EXCLUDED_UNITS in "
                                "src/scicollab/sources/ivs.py with the reason", row=line,
                                column="iso3")
        distrust = number(row["pct"], path=path, row=line, column="pct")
        if not 0 <= distrust <= 100:
            raise DataFileError(path, f"percentage {distrust} outside 0–100", row=line,
                                column="pct")
        records.append({
            "iso3": iso3, "wave": int(number(row["wave"], path=path, row=line, column="wave")),
            "year": int(number(row["year"], path=path, row=line, column="year")),
            "studies": row["studies"].strip(), "item": item,
            "distrust_pct": distrust, "trust_pct": round(100 - distrust, 2),
            "n": int(number(row["n"], path=path, row=line, column="n")), "_line": line,
        })
    frame = pd.DataFrame(records)
    check_unique(frame, ["iso3", "wave", "item"], path=path, lines=frame["_line"])
    return frame.drop(columns="_line")
