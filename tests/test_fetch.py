"""Fetching raw files with pooch: layout, checksums from the manifest, retries, clear errors.

Every download goes to a local server (the machine has no network).
"""

import functools
import hashlib
import http.server
import io
import re
import threading
import zipfile

import pytest

from scicollab import fetch
from scicollab.errors import ScicollabError, UnknownNameError

NCSES = "ncses/10001/data.csv"
PAYLOAD = b"a,b\n1,2\n"
SHA = hashlib.sha256(PAYLOAD).hexdigest()


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the folder; fails the first ``failures`` requests with 503; counts requests."""

    failures = 0
    requests: list[str]

    def do_GET(self):
        self.requests.append(self.path)
        if len(self.requests) <= self.failures:
            self.send_error(503, "try again")
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path):
    root = tmp_path / "upstream"
    root.mkdir()
    handler = type("Handler", (_Handler,), {"requests": []})
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}", handler
    httpd.shutdown()


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_every_raw_file_the_build_reads_has_a_pinned_source():
    from scicollab import pipeline

    read = {f for table in pipeline.TABLES for s in table.sources for f in s.files}
    assert read <= set(fetch.RAW_FILES)
    for relative, url in fetch.RAW_FILES.items():
        assert re.search(r"/[0-9a-f]{40}/", url), f"{relative}: {url} is not pinned to a commit"


def test_pinned_fetch_writes_the_raw_layout_checked_against_the_manifest(tmp_path, server):
    root, base, _ = server
    (root / "data.csv").write_bytes(PAYLOAD)
    raw = tmp_path / "raw"
    notes = fetch.fetch(raw, [NCSES], url_for=lambda rel: f"{base}/data.csv",
                        expected={NCSES: SHA})
    assert notes == []
    assert (raw / NCSES).read_bytes() == PAYLOAD
    assert _files(raw) == ["ncses", "ncses/10001", NCSES]


def test_pinned_file_that_differs_from_the_snapshot_is_refused_and_not_kept(tmp_path, server):
    root, base, _ = server
    (root / "data.csv").write_bytes(PAYLOAD)
    raw = tmp_path / "raw"
    with pytest.raises(ScicollabError, match=r"ncses/10001/data\.csv downloaded from .* differs "
                                             r"from the snapshot .*not kept.*--latest"):
        fetch.fetch(raw, [NCSES], url_for=lambda rel: f"{base}/data.csv",
                    expected={NCSES: "0" * 64}, retries=0)
    assert not (raw / NCSES).exists()
    assert not [p for p in raw.rglob("*") if p.is_file()]


def test_intact_file_already_present_is_not_downloaded_again(tmp_path, server):
    _, base, handler = server
    raw = tmp_path / "raw"
    (raw / "ncses/10001").mkdir(parents=True)
    (raw / NCSES).write_bytes(PAYLOAD)
    fetch.fetch(raw, [NCSES], url_for=lambda rel: f"{base}/data.csv", expected={NCSES: SHA})
    assert handler.requests == []


def test_latest_takes_the_current_file_and_flags_a_changed_one(tmp_path, server):
    root, base, handler = server
    (root / "data.csv").write_bytes(PAYLOAD)
    raw = tmp_path / "raw"
    (raw / "ncses/10001").mkdir(parents=True)
    (raw / NCSES).write_bytes(b"the snapshot\n")
    notes = fetch.fetch(raw, [NCSES], latest=True, url_for=lambda rel: f"{base}/data.csv",
                        expected={NCSES: hashlib.sha256(b"the snapshot\n").hexdigest()})
    assert handler.requests == ["/data.csv"]
    assert (raw / NCSES).read_bytes() == PAYLOAD
    assert len(notes) == 1 and notes[0].startswith(f"{NCSES}: differs from the snapshot")
    assert _files(raw) == ["ncses", "ncses/10001", NCSES]  # no private download folder left


def test_latest_urls_are_the_publishers_where_they_have_one():
    assert fetch.latest_url("wb_class/CLASS.xlsx").startswith("https://databankfiles.worldbank")
    assert "downloadformat=csv" in fetch.latest_url(
        "wdi_recent/API_NY.GDP.PCAP.CD_DS2_en_csv_v2_33610.csv")
    assert fetch.latest_url(NCSES) == fetch.RAW_FILES[NCSES]


def test_wdi_zip_is_unpacked_to_its_api_member(tmp_path, server):
    root, base, _ = server
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Metadata_Country.csv", "x")
        archive.writestr("API_NY.GDP.PCAP.CD_DS2_en_csv_v2_1.csv", "wdi")
    (root / "wdi.zip").write_bytes(buffer.getvalue())
    relative = "wdi_recent/API_NY.GDP.PCAP.CD_DS2_en_csv_v2_33610.csv"
    fetch.fetch(tmp_path, [relative], latest=True,
                url_for=lambda rel: f"{base}/wdi.zip?downloadformat=csv")
    assert (tmp_path / relative).read_text() == "wdi"


def test_zip_without_one_api_member_is_an_error_and_not_kept(tmp_path, server):
    root, base, _ = server
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Metadata_Country.csv", "x")
    (root / "wdi.zip").write_bytes(buffer.getvalue())
    relative = "wdi_recent/API_NY.GDP.PCAP.CD_DS2_en_csv_v2_33610.csv"
    with pytest.raises(ScicollabError, match=r"expected one API_\*\.csv"):
        fetch.fetch(tmp_path, [relative], url_for=lambda rel: f"{base}/wdi.zip")
    assert not (tmp_path / relative).exists()


def test_a_failed_download_is_retried(tmp_path, server):
    root, base, handler = server
    (root / "data.csv").write_bytes(PAYLOAD)
    handler.failures = 1
    fetch.fetch(tmp_path, [NCSES], url_for=lambda rel: f"{base}/data.csv",
                expected={NCSES: SHA}, retries=1)
    assert handler.requests == ["/data.csv", "/data.csv"]
    assert (tmp_path / NCSES).read_bytes() == PAYLOAD


def test_unreachable_source_gives_an_actionable_error(tmp_path, server):
    _, base, _ = server
    with pytest.raises(ScicollabError, match=r"could not fetch .*missing\.csv: HTTP 404 .*copy "
                                             r"the raw files"):
        fetch.fetch(tmp_path, ["datahub/gdp.csv"], url_for=lambda rel: f"{base}/missing.csv",
                    retries=0)
    assert not (tmp_path / "datahub/gdp.csv").exists()


def test_unknown_raw_file_suggests_the_closest(tmp_path):
    with pytest.raises(UnknownNameError, match=r"unknown raw file 'datahub/gpd.csv'; did you "
                                               r"mean: 'datahub/gdp.csv'"):
        fetch.fetch(tmp_path, ["datahub/gpd.csv"])


def test_expected_checksums_come_from_the_manifest():
    from scicollab import datasets

    found = fetch.expected_checksums(datasets.manifest())
    assert len(found["datahub/gdp.csv"]) == 64
