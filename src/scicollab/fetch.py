"""Fetch the raw files from their publishers (needs network), into the raw folder's layout.

The data build reads a raw folder laid out as ``../shared/data`` is. With network access,
``scicollab data fetch --raw DIR`` fills such a folder from the official or pinned upstream
locations below, so that ``scicollab data build --raw DIR`` can run anywhere. Each download is
written to a temporary file and renamed into place only when complete; a checksum that differs
from the one recorded in ``data/manifest.json`` is reported, since the processed data will
then change.
"""

from __future__ import annotations

import io
import os
import urllib.request
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import ScicollabError
from .sources.common import sha256_file

NCSES_BASE = ("https://raw.githubusercontent.com/bq-org/ncses_stats_explorer_placeholder/"
              "1f879ab65ed260668840db406611ddc10e8455bc/output/tables")
OPENALEX_BASE = ("https://raw.githubusercontent.com/bavla/OpenAlex/"
                 "22557474ea2eb03a5a50e9223e5d94b5e72e2e63/Countries/27aug24")
WDI_API = "https://api.worldbank.org/v2/en/indicator/{}?downloadformat=csv"
NCSES_TABLES = ("10001", "5002", "1850", "1819", "4960", "10003", "10006", "10937", "10978",
                "10936", "10946", "6304", "10002")

# Raw-folder path -> where to fetch it. A WDI URL returns a zip whose API_ member is the file.
RAW_FILES: dict[str, str] = {
    **{f"ncses/{t}/data.csv": f"{NCSES_BASE}/{t}/data.csv" for t in NCSES_TABLES},
    **{f"ncses/{t}/README.md": f"{NCSES_BASE}/{t}/README.md" for t in NCSES_TABLES},
    "openalex_country_coauthorship/WrldCo_years.zip": f"{OPENALEX_BASE}/WrldCo_years.zip",
    "openalex_country_coauthorship/ISO2codes.csv": f"{OPENALEX_BASE}/ISO2codes.csv",
    "openalex_country_coauthorship/continents.clu": f"{OPENALEX_BASE}/continents.clu",
    "wdi_recent/API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_232.csv": WDI_API.format("GB.XPD.RSDV.GD.ZS"),
    "wdi_recent/API_SP.POP.SCIE.RD.P6_DS2_en_csv_v2_37695.csv":
        WDI_API.format("SP.POP.SCIE.RD.P6"),
    "wdi_recent/API_NY.GDP.PCAP.CD_DS2_en_csv_v2_33610.csv": WDI_API.format("NY.GDP.PCAP.CD"),
    "wb_class/CLASS.xlsx":
        "https://databankfiles.worldbank.org/public/ddpext_download/site-content/CLASS.xlsx",
    "datahub/gdp.csv": ("https://raw.githubusercontent.com/datasets/gdp/"
                        "822019c80142c162e4ca4eb1a63699ae36075078/data/gdp.csv"),
    "ivs_trust/ivs_discrim_largo.csv": (
        "https://raw.githubusercontent.com/dschteingart/el-atlas-charts/"
        "89783318de94cec9a365ceebd55e0394436c57a3/04-intolerancia/tools/ivs_discrim_largo.csv"),
}


def _download(url: str, timeout: float) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read()
    except OSError as exc:
        raise ScicollabError(f"could not fetch {url}: {exc}. Without network, copy the raw "
                             "files into the raw folder by hand (see ../shared/data/SOURCES.md)"
                             ) from None


def _unzip_api_member(payload: bytes, url: str) -> bytes:
    try:
        archive = zipfile.ZipFile(io.BytesIO(payload))
    except zipfile.BadZipFile:
        raise ScicollabError(f"{url} did not return a zip archive") from None
    members = [n for n in archive.namelist() if n.startswith("API_") and n.endswith(".csv")]
    if len(members) != 1:
        raise ScicollabError(f"{url}: expected one API_*.csv in the archive, found {members}")
    return archive.read(members[0])


def fetch(raw: Path, paths: Iterable[str] | None = None, *,
          url_for: Callable[[str], str] = RAW_FILES.__getitem__,
          expected: dict[str, str] | None = None, timeout: float = 120) -> list[str]:
    """Download raw files into ``raw``; returns notes on files whose checksum changed."""
    notes = []
    for relative in sorted(paths or RAW_FILES):
        if relative not in RAW_FILES:
            raise ScicollabError(f"no known source for raw file {relative!r}")
        url = url_for(relative)
        payload = _download(url, timeout)
        if "downloadformat=csv" in url:
            payload = _unzip_api_member(payload, url)
        target = raw / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(payload)
        os.replace(partial, target)
        if expected and relative in expected and sha256_file(target) != expected[relative]:
            notes.append(f"{relative}: differs from the snapshot in data/manifest.json; "
                         "`scicollab data build` will change the processed data")
    return notes


def expected_checksums(manifest: dict) -> dict[str, str]:
    """Raw-file checksums recorded in a data manifest, by raw-folder path."""
    found = {}
    for table in manifest.get("tables", {}).values():
        for source in table.get("sources", []):
            for raw in source.get("raw_files", []):
                found[raw["path"]] = raw["sha256"]
    return found
