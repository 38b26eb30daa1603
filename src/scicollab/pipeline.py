"""The data build: raw publisher files in, tidy tables plus a provenance manifest out.

This module is long because it holds the registry of every table with its sources, licences
and builder, next to the build that writes them.

All tables are built in memory, then written with ``datapackage.json`` and the manifest to a
staging folder, read back, and published together, the manifest last (:mod:`scicollab.publish`).
A failure or an interrupt at any point leaves the previous data byte-identical. The same raw
files always give byte-identical outputs.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path

import pandas as pd
import pycountry

from . import datapackage, publish
from .countries import CountryIndex, iso3_to_iso2
from .errors import DataFileError, ScicollabError, UnknownNameError, UsageError
from .sources import ivs, ncses, openalex, worldbank, wvs
from .sources.common import sha256_file

SNAPSHOT_DATE = "2026-11-22"  # when this project took its snapshot of the raw files


@dataclass(frozen=True)
class Source:
    """Where a table's numbers come from."""

    publisher: str
    dataset: str
    table_id: str
    url: str
    licence: str
    files: tuple[str, ...]
    upstream: str = ""
    retrieved: str = SNAPSHOT_DATE


NCSES_UPSTREAM = ("machine-readable CSV from bq-org/ncses_stats_explorer_placeholder@"
                  "1f879ab65ed260668840db406611ddc10e8455bc output/tables/<id>/ (CC BY-SA 4.0 "
                  "conversion)")
NCSES_LICENCE = "Public domain (U.S. federal statistics); cite NCSES SEI"


def ncses_source(table_id: str, sei: str, title: str) -> Source:
    """A Source for one NCSES SEI table."""
    return Source("NSF NCSES, Science and Engineering Indicators", f"{sei}: {title}", table_id,
                  "https://ncses.nsf.gov/indicators", NCSES_LICENCE,
                  (f"ncses/{table_id}/data.csv",), NCSES_UPSTREAM)


CLASS_SOURCE = Source(
    "World Bank", "Country and lending groups, FY2024", "CLASS.xlsx",
    "https://datahelpdesk.worldbank.org/knowledgebase/articles/906519", "CC BY 4.0",
    ("wb_class/CLASS.xlsx",),
    "RaymondKEYA/Education-Expenditure-Analysis@ad91a8e99a22a3a37e8f98faed8b21215a17bad7")
WDI_UPSTREAM = "Zavvnr/Zavier-ISS-Presentation-Data@9a5363315fc6a11d498114dd639bc3ddbe6fd0d5"
WDI_FILES = {
    "GB.XPD.RSDV.GD.ZS": "wdi_recent/API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_232.csv",
    "SP.POP.SCIE.RD.P6": "wdi_recent/API_SP.POP.SCIE.RD.P6_DS2_en_csv_v2_37695.csv",
    "NY.GDP.PCAP.CD": "wdi_recent/API_NY.GDP.PCAP.CD_DS2_en_csv_v2_33610.csv",
}


def wdi_source(indicator: str, title: str) -> Source:
    """A Source for one World Development Indicators series."""
    return Source("World Bank", f"World Development Indicators (updated 2026-07-13): {title}",
                  indicator, f"https://data.worldbank.org/indicator/{indicator}", "CC BY 4.0",
                  (WDI_FILES[indicator],), WDI_UPSTREAM)


GDP_SOURCE = Source(
    "World Bank WDI, packaged by datahub", "GDP (current US$)", "NY.GDP.MKTP.CD",
    "https://datahub.io/core/gdp", "ODC-PDDL-1.0", ("datahub/gdp.csv",),
    "datasets/gdp@822019c80142c162e4ca4eb1a63699ae36075078")
OPENALEX_SOURCE = Source(
    "OpenAlex (via the OpenAlex API)", "Country co-authorship networks 1990–2023",
    "authorships.countries", "https://openalex.org", "CC0",
    ("openalex_country_coauthorship/WrldCo_years.zip",),
    "bavla/OpenAlex@22557474ea2eb03a5a50e9223e5d94b5e72e2e63 Countries/27aug24/")


@dataclass
class Table:
    """One processed table: how to build it and what it holds (its columns' schema is in
    :data:`scicollab.datapackage.FIELDS`)."""

    name: str
    file: str
    description: str
    sources: tuple[Source, ...]
    build: Callable[[Context], pd.DataFrame]
    keys: tuple[str, ...]


@dataclass
class Context:
    """What every table builder needs: the raw folder and the shared country lookup."""

    raw: Path
    economies: pd.DataFrame
    aggregates: set[str]
    index: CountryIndex
    _openalex: tuple[pd.DataFrame, pd.DataFrame] | None = None

    @classmethod
    def load(cls, raw: Path) -> Context:
        """Read the World Bank classification once and build the name index from it."""
        economies = worldbank.read_class(raw / "wb_class/CLASS.xlsx")
        aggregates = worldbank.read_class_groups(raw / "wb_class/CLASS.xlsx")
        index = CountryIndex.build(zip(economies["name"], economies["iso3"], strict=True))
        return cls(raw, economies, aggregates, index)

    def openalex(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """OpenAlex countries and pairs, read once per build."""
        if self._openalex is None:
            self._openalex = openalex.read_archive(self.raw / "openalex_country_coauthorship")
        return self._openalex

    def wdi(self, indicator: str) -> pd.DataFrame:
        """One WDI series as iso3, year, value."""
        return worldbank.read_wdi(self.raw / WDI_FILES[indicator], set(self.economies["iso3"]),
                                  self.aggregates)


def build_countries(ctx: Context) -> pd.DataFrame:
    """Economies of the World Bank list plus every other territory a source reports."""
    frame = ctx.economies.copy()
    frame["in_world_bank_list"] = True
    oa, _ = ctx.openalex()
    extra = sorted(set(oa["iso3"]) - set(frame["iso3"]))
    rows = []
    for code in extra:
        found = pycountry.countries.get(alpha_3=code) or pycountry.historic_countries.get(
            alpha_3=code)
        name = getattr(found, "common_name", None) or getattr(found, "name", code)
        rows.append({"iso3": code, "name": name, "region": "", "income_group": "",
                     "in_world_bank_list": False})
    frame = pd.concat([frame, pd.DataFrame(rows)], ignore_index=True)
    frame["iso2"] = frame["iso3"].map(iso3_to_iso2)
    return frame[["iso3", "iso2", "name", "region", "income_group", "in_world_bank_list"]]


def build_rd_expenditure(ctx: Context) -> pd.DataFrame:
    """GERD as % of GDP (WDI) with GDP in current US$ and their product, GERD in US$."""
    share = ctx.wdi("GB.XPD.RSDV.GD.ZS").rename(columns={"value": "gerd_pct_gdp"})
    gdp = worldbank.read_datahub_gdp(ctx.raw / "datahub/gdp.csv", set(ctx.economies["iso3"]),
                                     ctx.aggregates).rename(columns={"value": "gdp_usd"})
    frame = share.merge(gdp, on=["iso3", "year"], how="left")
    frame["gerd_usd"] = frame["gerd_pct_gdp"] / 100.0 * frame["gdp_usd"]
    return frame


def build_gerd_ppp(ctx: Context) -> pd.DataFrame:
    """GERD in billions of current PPP dollars (NCSES tables 10978 and 6304)."""
    series = ncses.read_gerd_series(ctx.raw / "ncses/10978/data.csv", ctx.index)
    series["table_id"] = "10978"
    latest = ncses.read_gerd_latest(ctx.raw / "ncses/6304/data.csv", ctx.index)
    latest["table_id"] = "6304"
    return pd.concat([series, latest], ignore_index=True)


def build_researchers(ctx: Context) -> pd.DataFrame:
    """Researchers in R&D per million people (WDI)."""
    return ctx.wdi("SP.POP.SCIE.RD.P6").rename(columns={"value": "researchers_per_million"})


def build_gdp_per_capita(ctx: Context) -> pd.DataFrame:
    """GDP per capita in current US$ (WDI)."""
    return ctx.wdi("NY.GDP.PCAP.CD").rename(columns={"value": "gdp_per_capita_usd"})


COAUTHORSHIP_TABLES = ("10001", "5002", "1850")  # newest vintage first


def build_publications(ctx: Context) -> pd.DataFrame:
    """Articles by coauthorship attribute; each country-year from the newest NCSES vintage."""
    parts = []
    for table_id in COAUTHORSHIP_TABLES:
        frame = ncses.read_coauthorship(ctx.raw / f"ncses/{table_id}/data.csv", ctx.index)
        frame["table_id"] = table_id
        parts.append(frame)
    frame = pd.concat(parts, ignore_index=True)
    frame = frame.drop_duplicates(["iso3", "year"], keep="first")
    frame["international_share"] = frame["international"] / frame["total"]
    return frame


def build_publication_counts(ctx: Context) -> pd.DataFrame:
    """Whole and fractional counts (table 1819) and the foreign share of whole-count credit."""
    frame = ncses.read_counting_methods(ctx.raw / "ncses/1819/data.csv", ctx.index)
    with_credit = frame["whole"] > 0
    frame["foreign_credit_share"] = (1 - frame["fractional"] / frame["whole"]).where(with_credit)
    return frame


def build_openalex_international(ctx: Context) -> pd.DataFrame:
    """Internationally co-authored works and number of partner countries (OpenAlex)."""
    return ctx.openalex()[0]


def build_openalex_pairs(ctx: Context) -> pd.DataFrame:
    """Works co-authored by each pair of countries and year (OpenAlex), a < b."""
    return ctx.openalex()[1]


def build_ncses_pairs(ctx: Context) -> pd.DataFrame:
    """Internationally coauthored articles between pairs of larger producers (table 10003)."""
    return ncses.read_pairs(ctx.raw / "ncses/10003/data.csv", ctx.index)


def build_covid_articles(ctx: Context) -> pd.DataFrame:
    """Coronavirus-related articles in 2020 by country, with the internationally co-authored."""
    frame = ncses.read_covid_articles(ctx.raw / "ncses/4960/data.csv", ctx.index)
    frame["international_share"] = frame["international"] / frame["whole"]
    return frame


def build_rd_funding(ctx: Context) -> pd.DataFrame:
    """GERD by performing sector and source of funds (% of total), 2021 or latest year."""
    frame = ncses.read_gerd_structure(ctx.raw / "ncses/10946/data.csv", ctx.index)
    frame["year"] = frame["year"].fillna(2021).astype(int)
    return frame


def build_open_access(ctx: Context) -> pd.DataFrame:
    """World S&E articles in closed and open access by year, and the open share (table 10002)."""
    return ncses.read_access_types(ctx.raw / "ncses/10002/data.csv")


def build_trust(ctx: Context, wvs_file: Path | None = None) -> pd.DataFrame:
    """Trust items of the Integrated Values Surveys by country and wave (trust = 100 − pct).

    With ``wvs_file`` (a WVS wave-7 or time-series respondent file), the weighted shares it
    gives for item G007_36_B replace the aggregates of every country-wave it covers.
    """
    countries = set(build_countries(ctx)["iso3"])
    frame = ivs.read_trust_aggregates(ctx.raw / "ivs_trust/ivs_discrim_largo.csv", countries)
    if wvs_file is not None:
        frame = wvs.replace_covered(frame, wvs.read_microdata(wvs_file, countries))
    return frame


def wvs_source(wvs_file: Path) -> Source:
    """The manifest entry of a user-supplied WVS respondent file (its sha256 is recorded)."""
    return Source(
        "World Values Survey Association (file supplied by the user)",
        "WVS respondent file: weighted share trusting people of another nationality (Q63 / "
        "G007_36_B); replaces the IVS aggregate for each country-wave the file covers",
        "G007_36_B", "https://www.worldvaluessurvey.org/WVSContents.jsp",
        "WVS conditions of use (free for non-commercial use with citation)",
        (str(Path(wvs_file).resolve()),), "",
        date.fromtimestamp(Path(wvs_file).stat().st_mtime).isoformat())


def _recorded_path(file: str) -> str:
    """A raw file as the manifest names it: relative to the raw folder, or (a file the user
    supplied from elsewhere) its name alone, so the manifest does not depend on where it lay."""
    return Path(file).name if Path(file).is_absolute() else file


def _with_wvs_file(tables: list[Table], wvs_file: Path | None) -> list[Table]:
    """The table list, with the trust table reading a user's WVS file when one is given."""
    if wvs_file is None:
        return tables
    return [replace(t, build=partial(build_trust, wvs_file=Path(wvs_file)),
                    sources=(*t.sources, wvs_source(Path(wvs_file))))
            if t.name == "trust" else t for t in tables]


IVS_SOURCE = Source(
    "EVS/WVS, Integrated Values Surveys 1981–2022 (EVS Trend ZA7503 v3.0.0 + WVS Trend v4.0)",
    "Trust battery G007_18_B, G007_34_B, G007_35_B, G007_36_B (WVS wave 7 Q58–Q63), waves 5–7",
    "G007_36_B", "https://www.worldvaluessurvey.org/WVSEVStrend.jsp",
    "Free for non-commercial use with citation (EVS/WVS 2022)",
    ("ivs_trust/ivs_discrim_largo.csv",),
    "dschteingart/el-atlas-charts@89783318de94cec9a365ceebd55e0394436c57a3 "
    "04-intolerancia/tools/ (country aggregates, weighted by S017)")


TABLES: list[Table] = [
    Table("countries", "countries.csv",
          "Economies with ISO codes, World Bank region and FY2024 income group", (CLASS_SOURCE,
          OPENALEX_SOURCE), build_countries, ("iso3",)),
    Table("rd_expenditure", "rd_expenditure.csv",
          "Gross domestic expenditure on R&D (GERD) as % of GDP, GDP and GERD in current US$",
          (wdi_source("GB.XPD.RSDV.GD.ZS", "Research and development expenditure (% of GDP)"),
           GDP_SOURCE), build_rd_expenditure, ("iso3", "year")),
    Table("gerd_ppp", "gerd_ppp.csv", "GERD in billions of current PPP dollars and GERD/GDP",
          (ncses_source("10978", "SRD-1 (SEI 2024)", "GERD, GDP and GERD-to-GDP ratio"),
           ncses_source("6304", "RD-5 (SEI 2022)", "GERD and R&D share of GDP, 2019 or latest")),
          build_gerd_ppp, ("iso3", "year", "table_id")),
    Table("researchers", "researchers.csv", "Researchers in R&D per million people",
          (wdi_source("SP.POP.SCIE.RD.P6", "Researchers in R&D (per million people)"),),
          build_researchers, ("iso3", "year")),
    Table("gdp_per_capita", "gdp_per_capita.csv", "GDP per capita, current US$",
          (wdi_source("NY.GDP.PCAP.CD", "GDP per capita (current US$)"),),
          build_gdp_per_capita, ("iso3", "year")),
    Table("publications", "publications.csv",
          "S&E articles by coauthorship attribute (whole counts), newest vintage per year",
          tuple(ncses_source(t, s, "S&E articles by coauthorship attribute") for t, s in
                zip(COAUTHORSHIP_TABLES, ("SPBS-33 (SEI 2024)", "SPBS-35 (SEI 2022)",
                                          "S5a-32 (SEI 2020)"), strict=True)),
          build_publications, ("iso3", "year")),
    Table("publication_counts", "publication_counts.csv",
          "S&E articles by whole and fractional counting; foreign share of whole-count credit",
          (ncses_source("1819", "S5a-2 (SEI 2020)", "S&E articles by region and country"),),
          build_publication_counts, ("iso3", "year")),
    Table("openalex_international", "openalex_international.csv",
          "Internationally co-authored works and number of partner countries, 1990–2023",
          (OPENALEX_SOURCE,), build_openalex_international, ("iso3", "year")),
    Table("openalex_pairs", "openalex_pairs.csv.gz",
          "Works co-authored by each pair of countries, 1990–2023 (a < b)",
          (OPENALEX_SOURCE,), build_openalex_pairs, ("year", "a", "b")),
    Table("ncses_pairs", "ncses_pairs.csv",
          "Internationally coauthored articles between pairs of larger producers, 2003 and 2022",
          (ncses_source("10003", "SPBS-35 (SEI 2024)",
                        "Internationally coauthored articles by country pair"),),
          build_ncses_pairs, ("year", "a", "b")),
    Table("rd_funding", "rd_funding.csv",
          "GERD (PPP $bn) and its shares by performing sector and source of funds, incl. abroad",
          (ncses_source("10946", "SRD-2 (SEI 2024)",
                        "GERD by performing sector and source of funds"),),
          build_rd_funding, ("iso3", "category", "sector")),
    Table("covid_articles", "covid_articles.csv",
          "Coronavirus-related S&E articles in 2020 by coauthorship attribute (whole counts)",
          (ncses_source("4960", "SPBS-55 (SEI 2022)",
                        "Coronavirus-related articles by coauthorship attribute"),),
          build_covid_articles, ("iso3",)),
    Table("open_access", "open_access.csv",
          "World S&E articles in closed and open access by year (status known), open share %",
          (ncses_source("10002", "SPBS-34 (SEI 2024)",
                        "S&E articles by publication access type (world)"),),
          build_open_access, ("year",)),
    Table("trust", "trust.csv",
          "Share trusting / distrusting other people (four items), by country and survey wave",
          (IVS_SOURCE,), build_trust, ("iso3", "wave", "item")),
]


def table_names() -> list[str]:
    """Names of every processed table, in build order."""
    return [table.name for table in TABLES]


def as_written(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as it is written: float columns holding only whole numbers become integers."""
    frame = frame.copy()
    for column in frame.select_dtypes("float").columns:
        values = frame[column].dropna()
        if len(values) and (values == values.round()).all():
            frame[column] = frame[column].astype("Int64")
    return frame


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a table deterministically (fixed line ends; gzip without a timestamp)."""
    options: dict = {"index": False, "lineterminator": "\n"}
    if path.name.endswith(".gz"):
        options["compression"] = {"method": "gzip", "mtime": 0}
    as_written(frame).to_csv(path, **options)


def data_version(tables: dict[str, dict]) -> str:
    """A short fingerprint of all processed tables (from their sha256)."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        digest.update(f"{name}:{tables[name]['sha256']}\n".encode())
    return digest.hexdigest()[:16]


def check_request(only: list[str] | None = None, wvs_file: Path | None = None) -> None:
    """Refuse unknown table names and a missing or unused WVS file before anything is read."""
    names = table_names()
    for name in only or []:
        if name not in names:
            raise UnknownNameError("table", name, difflib.get_close_matches(name, names, n=3),
                                   f"Tables: {', '.join(names)}.")
    if wvs_file is None:
        return
    wvs.check_path(wvs_file)
    if only and "trust" not in only:
        raise UsageError("a WVS respondent file changes only the trust table: add the "
                             "table trust to those built, or build every table")


def check_raw_dir(raw: Path) -> None:
    """Refuse a raw folder that does not exist, saying how to point at the right one."""
    if not Path(raw).is_dir():
        raise UsageError(f"raw data folder {raw} not found: pass the folder of the "
                             "publishers' files with --raw DIR or set SCICOLLAB_RAW (default: "
                             "../shared/data beside the clone; `scicollab data fetch` fills one)")


def _previous_entries(out: Path, only: list[str] | None) -> dict[str, dict]:
    """The manifest entries a partial build keeps (none for a full build)."""
    path = out / "manifest.json"
    if not only or not path.is_file():
        return {}
    try:
        return dict(json.loads(path.read_text())["tables"])
    except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError):
        raise DataFileError(path, "not a valid data manifest, so the tables not rebuilt cannot "
                            "be kept: build every table (leave out the table names)") from None


def _entry(table: Table, frame: pd.DataFrame, path: Path, raw: Path) -> dict:
    """The manifest entry of one table written to ``path``."""
    return {
        "file": table.file,
        "description": table.description,
        "rows": len(frame),
        "columns": list(frame.columns),
        "keys": list(table.keys),
        "sha256": sha256_file(path),
        "sources": [
            {**{k: v for k, v in asdict(s).items() if k != "files"},
             "raw_files": [{"path": _recorded_path(f), "sha256": sha256_file(raw / f)}
                           for f in s.files]}
            for s in table.sources
        ],
    }


def _verify(folder: Path, manifest: dict, written: list[str]) -> None:
    """Read back every staged table: its checksum, rows and columns must be the manifest's."""
    for name in written:
        entry = manifest["tables"][name]
        path = folder / entry["file"]
        if sha256_file(path) != entry["sha256"]:
            raise ScicollabError(f"{path} changed while it was written: run the build again")
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
        if len(frame) != entry["rows"] or list(frame.columns) != entry["columns"]:
            raise ScicollabError(f"{path} reads back with {len(frame)} rows and columns "
                                 f"{list(frame.columns)}, not what was written: check the disk "
                                 "and run the build again")
    if json.loads((folder / "manifest.json").read_text()) != manifest:
        raise ScicollabError(f"{folder / 'manifest.json'} does not read back as written")


def build(raw: Path, out: Path, only: list[str] | None = None,
          wvs_file: Path | None = None) -> dict:
    """Build every table (or ``only`` some) from ``raw`` into ``out``; return the manifest.

    ``wvs_file``: an optional WVS respondent file whose shares replace the trust aggregates
    of the country-waves it covers (see :func:`build_trust`). Every table is built in memory
    first; then all files, ``datapackage.json`` and ``manifest.json`` are written to a staging
    folder in ``out``, read back, and published together (see :mod:`scicollab.publish`), so
    that a failure at any point leaves ``out`` as it was.
    """
    raw, out = Path(raw), Path(out)
    check_request(only, wvs_file)
    check_raw_dir(raw)
    entries = _previous_entries(out, only)
    ctx = Context.load(raw)
    frames: dict[str, tuple[Table, pd.DataFrame]] = {}
    for table in _with_wvs_file(TABLES, wvs_file):
        if only and table.name not in only:
            continue
        frame = table.build(ctx).sort_values(list(table.keys)).reset_index(drop=True)
        if frame.duplicated(list(table.keys)).any():
            raise ScicollabError(f"table {table.name}: duplicated {'/'.join(table.keys)}")
        datapackage.check_columns(table.name, as_written(frame))
        frames[table.name] = (table, frame)
    with publish.staging(out) as folder:
        try:
            for name, (table, frame) in frames.items():
                write_csv(frame, folder / table.file)
                entries[name] = _entry(table, frame, folder / table.file, raw)
            manifest = {
                "title": "scicollab processed data",
                "snapshot_date": SNAPSHOT_DATE,
                "data_version": data_version(entries),
                "excluded_names": _excluded(),
                "tables": {name: entries[name] for name in sorted(entries)},
            }
            package = datapackage.descriptor(manifest, _sizes(manifest, folder, out))
            (folder / datapackage.FILE).write_text(datapackage.dumps(package), encoding="utf-8")
            (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        except OSError as exc:
            raise publish.write_error(exc, out) from None
        _verify(folder, manifest, list(frames))
        files = [frames[name][0].file for name in frames]
        publish.publish(folder, out, [*files, datapackage.FILE, "manifest.json"])
    return manifest


def _sizes(manifest: dict, folder: Path, out: Path) -> dict[str, int]:
    """Bytes of every table file: those just written in ``folder``, the others kept in ``out``."""
    sizes = {}
    for entry in manifest["tables"].values():
        path = folder / entry["file"]
        if not path.is_file():
            path = out / entry["file"]
            if not path.is_file():
                raise DataFileError(path, "processed table missing, so it cannot be kept: "
                                    "build every table (leave out the table names)")
        sizes[entry["file"]] = path.stat().st_size
    return sizes


def _excluded() -> dict[str, str]:
    from .countries import EXCLUDED

    return dict(sorted(EXCLUDED.items()))
