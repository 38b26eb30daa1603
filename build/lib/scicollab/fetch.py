"""Fetch the raw files (needs network) into the raw folder's layout, with pooch.

The data build reads a raw folder laid out as ``../shared/data`` is. With network access,
``scicollab data fetch --raw DIR`` fills such a folder so that ``scicollab data build --raw DIR``
runs anywhere. By default every file comes from the pinned upstream copy the committed data
were built from, and pooch checks it against the sha256 that ``data/manifest.json`` records
(its registry): a file that differs is refused, a file already present and intact is kept.
With ``latest=True`` the publishers' current files are taken instead (the World Bank's live
downloads; the others have no newer location than their pinned copy), and any file that
differs from the snapshot is reported, since the processed data will then change. Downloads
are streamed to a temporary file and renamed into place only when complete and checked, and
retried when the connection fails.
"""

from __future__ import annotations

import difflib
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pooch

from .errors import ScicollabError, UnknownNameError
from .publish import write_error
from .sources.common import sha256_file

GITHUB = "https://raw.githubusercontent.com"
NCSES_BASE = (f"{GITHUB}/bq-org/ncses_stats_explorer_placeholder/"
              "1f879ab65ed260668840db406611ddc10e8455bc/output/tables")
OPENALEX_BASE = (f"{GITHUB}/bavla/OpenAlex/22557474ea2eb03a5a50e9223e5d94b5e72e2e63/"
                 "Countries/27aug24")
WDI_BASE = (f"{GITHUB}/Zavvnr/Zavier-ISS-Presentation-Data/"
            "9a5363315fc6a11d498114dd639bc3ddbe6fd0d5/data")
WDI_API = "https://api.worldbank.org/v2/en/indicator/{}?downloadformat=csv"
NCSES_TABLES = ("10001", "5002", "1850", "1819", "4960", "10003", "10006", "10937", "10978",
                "10936", "10946", "6304", "10002")
WDI_FILES = {
    "GB.XPD.RSDV.GD.ZS": "API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_232.csv",
    "SP.POP.SCIE.RD.P6": "API_SP.POP.SCIE.RD.P6_DS2_en_csv_v2_37695.csv",
    "NY.GDP.PCAP.CD": "API_NY.GDP.PCAP.CD_DS2_en_csv_v2_33610.csv",
}
CLASS = "wb_class/CLASS.xlsx"
GDP = "datahub/gdp.csv"

# Raw-folder path -> the pinned upstream copy (SOURCES.md of the raw folder names each).
RAW_FILES: dict[str, str] = {
    **{f"ncses/{t}/data.csv": f"{NCSES_BASE}/{t}/data.csv" for t in NCSES_TABLES},
    **{f"ncses/{t}/README.md": f"{NCSES_BASE}/{t}/README.md" for t in NCSES_TABLES},
    "openalex_country_coauthorship/WrldCo_years.zip": f"{OPENALEX_BASE}/WrldCo_years.zip",
    "openalex_country_coauthorship/ISO2codes.csv": f"{OPENALEX_BASE}/ISO2codes.csv",
    "openalex_country_coauthorship/continents.clu": f"{OPENALEX_BASE}/continents.clu",
    **{f"wdi_recent/{name}": f"{WDI_BASE}/{name}" for name in WDI_FILES.values()},
    CLASS: (f"{GITHUB}/RaymondKEYA/Education-Expenditure-Analysis/"
            "ad91a8e99a22a3a37e8f98faed8b21215a17bad7/data/CLASS.xlsx"),
    GDP: f"{GITHUB}/datasets/gdp/822019c80142c162e4ca4eb1a63699ae36075078/data/gdp.csv",
    "ivs_trust/ivs_discrim_largo.csv": (
        f"{GITHUB}/dschteingart/el-atlas-charts/89783318de94cec9a365ceebd55e0394436c57a3/"
        "04-intolerancia/tools/ivs_discrim_largo.csv"),
}
# Raw-folder path -> the publisher's current version, where it has one (a WDI download is a zip
# whose API_*.csv member is the file).
LATEST: dict[str, str] = {
    **{f"wdi_recent/{name}": WDI_API.format(code) for code, name in WDI_FILES.items()},
    CLASS: "https://databankfiles.worldbank.org/public/ddpext_download/site-content/CLASS.xlsx",
    GDP: "https://raw.githubusercontent.com/datasets/gdp/main/data/gdp.csv",
}
OFFLINE_HINT = ("Without network, copy the raw files into the raw folder by hand (see "
                "../shared/data/SOURCES.md)")


def latest_url(relative: str) -> str:
    """Where the publisher's current version of a raw file is (else its pinned copy)."""
    return LATEST.get(relative, RAW_FILES[relative])


def _check_names(paths: Iterable[str]) -> list[str]:
    wanted = sorted(set(paths))
    for relative in wanted:
        if relative not in RAW_FILES:
            raise UnknownNameError("raw file", relative,
                                   difflib.get_close_matches(relative, RAW_FILES, n=3))
    return wanted


def _api_member(relative: str) -> Callable[[str, str, pooch.Pooch], str]:
    """A pooch processor: a zip downloaded for a CSV is replaced by its one API_*.csv member."""

    def process(fname: str, action: str, _pup: pooch.Pooch) -> str:
        path = Path(fname)
        if path.suffix != ".csv" or not zipfile.is_zipfile(path):
            return fname
        try:
            with zipfile.ZipFile(path) as archive:
                members = [n for n in archive.namelist()
                           if n.startswith("API_") and n.endswith(".csv")]
                if len(members) != 1:
                    raise ScicollabError(f"{relative}: expected one API_*.csv in the downloaded "
                                         f"archive, found {members}")
                payload = archive.read(members[0])
        except zipfile.BadZipFile:
            path.unlink()
            raise ScicollabError(f"{relative}: the download is a damaged zip archive; fetch it "
                                 "again") from None
        except ScicollabError:
            path.unlink()
            raise
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(payload)
        os.replace(partial, path)
        return fname

    return process


def _get(pup: pooch.Pooch, relative: str, timeout: float) -> Path:
    """One file through pooch, every failure turned into one line."""
    import requests

    url = pup.get_url(relative)
    try:
        return Path(pup.fetch(relative, processor=_api_member(relative),
                              downloader=pooch.HTTPDownloader(progressbar=False,
                                                              timeout=timeout)))
    except requests.exceptions.RequestException as exc:
        raise ScicollabError(f"could not fetch {url}: {_reason(exc)}. {OFFLINE_HINT}") from None
    except ValueError as exc:
        if "hash" not in str(exc):
            raise
        raise ScicollabError(
            f"{relative} downloaded from {url} differs from the snapshot recorded in "
            "data/manifest.json, although that copy is pinned: the download was damaged or the "
            "copy was altered, and it was not kept. Fetch again, or take the publishers' "
            "current files with --latest") from None


def _reason(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if response is not None:
        return f"HTTP {response.status_code} {response.reason}"
    return type(exc).__name__


def fetch(raw: Path, paths: Iterable[str] | None = None, *, latest: bool = False,
          url_for: Callable[[str], str] | None = None, expected: dict[str, str] | None = None,
          retries: int = 3, timeout: float = 120) -> list[str]:
    """Download raw files into ``raw``; notes on files that differ from the snapshot.

    ``expected``: raw-file sha256s by path (:func:`expected_checksums` of the data manifest);
    without ``latest`` they are pooch's registry and a file that differs is refused.
    ``url_for`` overrides where each file comes from (the tests use a local server).
    """
    raw = Path(raw)
    wanted = _check_names(paths or RAW_FILES)
    expected = expected or {}
    url_for = url_for or (latest_url if latest else RAW_FILES.__getitem__)
    urls = {relative: url_for(relative) for relative in wanted}
    try:
        raw.mkdir(parents=True, exist_ok=True)
        if not latest:
            pup = pooch.create(path=raw, base_url="", urls=urls, retry_if_failed=retries,
                               registry={rel: expected.get(rel) for rel in wanted})
            for relative in wanted:
                _get(pup, relative, timeout)
            return []
        return _fetch_latest(raw, wanted, urls, expected, retries, timeout)
    except OSError as exc:
        raise write_error(exc, raw, command="fetch", option="--raw") from None


def _fetch_latest(raw: Path, wanted: list[str], urls: dict[str, str],
                  expected: dict[str, str], retries: int, timeout: float) -> list[str]:
    """Download every file afresh into a private folder, then move each into place."""
    notes = []
    with tempfile.TemporaryDirectory(prefix=".fetch-", dir=raw) as private:
        pup = pooch.create(path=private, base_url="", urls=urls, retry_if_failed=retries,
                           registry=dict.fromkeys(wanted))
        for relative in wanted:
            got = _get(pup, relative, timeout)
            target = raw / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(got, target)
            if relative in expected and sha256_file(target) != expected[relative]:
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

