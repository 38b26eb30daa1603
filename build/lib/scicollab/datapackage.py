"""The processed data as a Frictionless data package: ``data/datapackage.json``.

Each processed table is a resource with a Table Schema (every column's type, unit and
description, the table's primary key, ``iso3`` foreign keys to ``countries``), its sources and
licences and its sha256. The descriptor is made from the data manifest and the column
registry below, so the same data always give the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

from .errors import ScicollabError

FILE = "datapackage.json"
COUNTRIES = "countries"


@dataclass(frozen=True)
class Field:
    """One column of a processed table: its Table Schema type, meaning, unit and bounds."""

    type: str
    description: str
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None


def _count(what: str, unit: str = "articles (whole count)") -> Field:
    return Field("integer", what, unit, minimum=0)


def _percent(what: str, unit: str = "percent") -> Field:
    return Field("number", what, unit, minimum=0, maximum=100)


def _share(what: str) -> Field:
    return Field("number", what, "fraction (0 to 1)", minimum=0, maximum=1)


ISO3 = Field("string", "ISO 3166-1 alpha-3 code of the economy (the World Bank's XKX for "
                       "Kosovo)")
PARTNER_A = Field("string", "ISO3 code of the first economy of the pair (alphabetically first)")
PARTNER_B = Field("string", "ISO3 code of the second economy of the pair")
YEAR = Field("year", "Calendar year the value refers to")
TABLE_ID = Field("string", "NCSES table the row comes from (its newest edition holding the "
                           "country-year)")
GERD_PCT = _percent("Gross domestic expenditure on R&D (GERD) as a share of GDP",
                    "percent of GDP")

FIELDS: dict[str, dict[str, Field]] = {
    "countries": {
        "iso3": ISO3,
        "iso2": Field("string", "ISO 3166-1 alpha-2 code (NA is Namibia, not a missing value)"),
        "name": Field("string", "Name used by the World Bank, or the ISO 3166 name for "
                                "territories outside its list"),
        "region": Field("string", "World Bank region (empty outside the World Bank list)"),
        "income_group": Field("string", "World Bank income group, FY2024 (empty when not "
                                        "classified)"),
        "in_world_bank_list": Field("boolean", "Whether the economy is in the World Bank's "
                                               "list of economies"),
    },
    "rd_expenditure": {
        "iso3": ISO3, "year": YEAR, "gerd_pct_gdp": GERD_PCT,
        "gdp_usd": Field("number", "Gross domestic product", "current US dollars", minimum=0),
        "gerd_usd": Field("number", "GERD: its share of GDP times GDP", "current US dollars",
                          minimum=0),
    },
    "gerd_ppp": {
        "iso3": ISO3, "year": YEAR,
        "gerd_ppp_bn": Field("number", "Gross domestic expenditure on R&D",
                             "billions of current PPP dollars", minimum=0),
        "gerd_pct_gdp": GERD_PCT, "table_id": TABLE_ID,
    },
    "researchers": {
        "iso3": ISO3, "year": YEAR,
        "researchers_per_million": Field("number", "Researchers in R&D",
                                         "per million people", minimum=0),
    },
    "gdp_per_capita": {
        "iso3": ISO3, "year": YEAR,
        "gdp_per_capita_usd": Field("number", "GDP per capita", "current US dollars per person",
                                    minimum=0),
    },
    "publications": {
        "iso3": ISO3, "year": YEAR,
        "total": _count("Science and engineering articles"),
        "multiple_institutions": _count("Articles with authors from more than one institution"),
        "domestic_only": _count("Articles with authors from several institutions of this "
                                "economy only"),
        "international": _count("Articles with at least one author from another economy"),
        "table_id": TABLE_ID,
        "international_share": _share("International articles divided by all articles"),
    },
    "publication_counts": {
        "iso3": ISO3, "year": YEAR,
        "whole": _count("Articles with at least one author from the economy"),
        "fractional": Field("number", "Articles credited in proportion to the economy's share "
                                      "of the authors' addresses",
                            "articles (fractional count)", minimum=0),
        "ncses_income_group": Field("string", "Income group NCSES assigned (World Bank, 2019); "
                                              "na where NCSES gave none"),
        "foreign_credit_share": _share("One minus fractional over whole count: the share of "
                                       "whole-count credit that belongs to other economies"),
    },
    "openalex_international": {
        "iso3": ISO3, "year": YEAR,
        "international_works": _count("Works with authors from this and at least one other "
                                      "economy", "works (OpenAlex)"),
        "partner_countries": _count("Other economies with at least one co-authored work",
                                    "economies"),
    },
    "openalex_pairs": {
        "a": PARTNER_A, "b": PARTNER_B, "year": YEAR,
        "works": _count("Works with authors from both economies", "works (OpenAlex)"),
    },
    "ncses_pairs": {
        "a": PARTNER_A, "b": PARTNER_B, "year": YEAR,
        "articles": _count("Internationally coauthored articles with authors from both "
                           "economies"),
    },
    "rd_funding": {
        "iso3": ISO3, "year": YEAR,
        "category": Field("string", "performing_sector, source_of_funds, or total"),
        "sector": Field("string", "The sector (business, government, higher_education, "
                                  "private_nonprofit, other_domestic, rest_of_the_world; all "
                                  "for the total)"),
        "value": Field("number", "Share of GERD performed or funded by the sector; for the "
                                 "total, GERD itself",
                       "percent of GERD (total: billions of PPP dollars)", minimum=0),
    },
    "covid_articles": {
        "iso3": ISO3, "year": YEAR,
        "whole": _count("Coronavirus-related articles with at least one author from the "
                        "economy"),
        "fractional": Field("number", "Coronavirus-related articles, fractional count",
                            "articles (fractional count)", minimum=0),
        "multiple_institutions": _count("Articles with authors from more than one institution"),
        "domestic_only": _count("Articles with authors from several institutions of this "
                                "economy only"),
        "international": _count("Articles with at least one author from another economy"),
        "international_share": _share("International articles divided by whole count"),
    },
    "open_access": {
        "year": YEAR,
        "closed_access": _count("World articles published closed access"),
        "open_access": _count("World articles published open access (any route)"),
        "known_status": _count("World articles whose access status is known"),
        "open_share": _percent("Open access articles as a share of those with a known status"),
    },
    "trust": {
        "iso3": ISO3,
        "wave": Field("integer", "Survey wave of the EVS/WVS", "wave", minimum=1, maximum=7),
        "year": Field("year", "Year of the survey's fieldwork"),
        "studies": Field("string", "Which survey fed the row: EVS, WVS, both, or a user's WVS "
                                   "respondent file"),
        "item": Field("string", "Survey item: G007_18_B neighbourhood, G007_34_B people met for "
                                "the first time, G007_35_B another religion, G007_36_B another "
                                "nationality"),
        "distrust_pct": _percent("Weighted share answering 3 (not very much) or 4 (not at all)",
                                 "percent of valid answers"),
        "trust_pct": _percent("100 minus distrust_pct", "percent of valid answers"),
        "n": _count("Valid answers", "respondents"),
    },
}

LICENCES: dict[str, dict[str, str]] = {
    "CC BY 4.0": {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                  "path": "https://creativecommons.org/licenses/by/4.0/"},
    "CC0": {"name": "CC0-1.0", "title": "Creative Commons Zero 1.0 (public domain)",
            "path": "https://creativecommons.org/publicdomain/zero/1.0/"},
    "ODC-PDDL-1.0": {"name": "ODC-PDDL-1.0",
                     "title": "Open Data Commons Public Domain Dedication and License 1.0",
                     "path": "https://opendatacommons.org/licenses/pddl/1-0/"},
    "Public domain (U.S. federal statistics); cite NCSES SEI": {
        "name": "other-pd", "title": "Public domain (U.S. federal statistics); cite NCSES SEI",
        "path": "https://ncses.nsf.gov/indicators"},
    "Free for non-commercial use with citation (EVS/WVS 2022)": {
        "name": "other-nc", "title": "Free for non-commercial use with citation (EVS/WVS 2022)",
        "path": "https://www.worldvaluessurvey.org/WVSEVStrend.jsp"},
    "WVS conditions of use (free for non-commercial use with citation)": {
        "name": "other-nc", "title": "WVS conditions of use (free for non-commercial use with "
                                     "citation)",
        "path": "https://www.worldvaluessurvey.org/WVSContents.jsp"},
}
_KINDS = {"integer": "integer", "year": "integer", "number": "number", "boolean": "boolean",
          "string": "string"}


def _kind(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_numeric_dtype(series):
        return "number"
    return "string"


def check_columns(name: str, frame: pd.DataFrame) -> None:
    """Refuse a built table whose columns or types differ from its schema in :data:`FIELDS`."""
    fields = FIELDS.get(name)
    if fields is None:
        raise ScicollabError(f"table {name} has no schema: add its columns to FIELDS in "
                             "src/scicollab/datapackage.py")
    if list(frame.columns) != list(fields):
        raise ScicollabError(f"table {name}: columns {list(frame.columns)} differ from its "
                             f"schema {list(fields)} in src/scicollab/datapackage.py")
    for column, field in fields.items():
        found = _kind(frame[column])
        expected = _KINDS[field.type]
        if found != expected and not (expected == "number" and found == "integer"):
            raise ScicollabError(f"table {name}, column {column!r}: the data are {found}, the "
                                 f"schema in src/scicollab/datapackage.py says {field.type}")


def _field(name: str, field: Field) -> dict:
    out: dict = {"name": name, "type": field.type, "description": field.description}
    if field.unit:
        out["unit"] = field.unit
    bounds = {k: v for k, v in (("minimum", field.minimum), ("maximum", field.maximum))
              if v is not None}
    if bounds:
        out["constraints"] = bounds
    return out


def _licences(sources: list[dict]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    for source in sources:
        text = source["licence"]
        if text not in LICENCES:
            raise ScicollabError(f"licence {text!r} has no entry in LICENCES in "
                                 "src/scicollab/datapackage.py: add its name and URL")
        if LICENCES[text] not in found:
            found.append(LICENCES[text])
    return found


def resource(name: str, entry: dict, size: int) -> dict:
    """The data-package resource of one table from its manifest entry and file size."""
    fields = FIELDS[name]
    schema: dict = {"fields": [_field(column, fields[column]) for column in entry["columns"]],
                    "missingValues": [""], "primaryKey": list(entry["keys"])}
    references = [c for c in entry["columns"] if c in ("iso3", "a", "b")]
    if name != COUNTRIES and references:
        schema["foreignKeys"] = [{"fields": [column],
                                  "reference": {"resource": COUNTRIES, "fields": ["iso3"]}}
                                 for column in references]
    described: dict = {
        "name": name, "path": entry["file"], "profile": "tabular-data-resource",
        "description": entry["description"], "format": "csv", "mediatype": "text/csv",
        "encoding": "utf-8",
    }
    if entry["file"].endswith(".gz"):
        described["compression"] = "gz"
    described.update({
        "bytes": size,
        "hash": f"sha256:{entry['sha256']}",
        "schema": schema,
        "sources": [{"title": f"{s['publisher']}: {s['dataset']} ({s['table_id']})",
                     "path": s["url"]} for s in entry["sources"]],
        "licenses": _licences(entry["sources"]),
    })
    return described


def descriptor(manifest: dict, sizes: dict[str, int]) -> dict:
    """The data package of every table in ``manifest``; ``sizes`` gives each file's bytes."""
    return {
        "profile": "tabular-data-package",
        "name": "scicollab-data",
        "title": "International scientific collaboration: processed data",
        "description": ("Tidy tables behind the scicollab report, built from public sources by "
                        "`scicollab data build`; provenance and raw-file checksums are in "
                        "manifest.json beside this file."),
        "data_version": manifest["data_version"],
        "resources": [resource(name, entry, sizes[entry["file"]])
                      for name, entry in sorted(manifest["tables"].items())],
    }


def dumps(package: dict) -> str:
    """The descriptor as the bytes written to ``datapackage.json`` (stable key order)."""
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"
