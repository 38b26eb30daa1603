"""Fetching raw files: layout, WDI zips, atomic writes, changed checksums, clear errors."""

import functools
import http.server
import io
import threading
import zipfile

import pytest

from scicollab import fetch
from scicollab.errors import ScicollabError


@pytest.fixture
def server(tmp_path):
    root = tmp_path / "upstream"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_every_raw_file_the_build_reads_has_a_source():
    from scicollab import pipeline

    read = {f for table in pipeline.TABLES for s in table.sources for f in s.files}
    assert read <= set(fetch.RAW_FILES)


def test_fetch_writes_the_raw_layout_and_flags_changed_files(tmp_path, server):
    root, base = server
    (root / "data.csv").write_text("a,b\n1,2\n")
    raw = tmp_path / "raw"
    notes = fetch.fetch(raw, ["ncses/10001/data.csv"], url_for=lambda rel: f"{base}/data.csv",
                        expected={"ncses/10001/data.csv": "0" * 64})
    assert (raw / "ncses/10001/data.csv").read_text() == "a,b\n1,2\n"
    assert len(notes) == 1 and "differs from the snapshot" in notes[0]
    assert not list(raw.rglob("*.part"))


def test_wdi_zip_is_unpacked_to_its_api_member(tmp_path, server):
    root, base = server
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Metadata_Country.csv", "x")
        archive.writestr("API_NY.GDP.PCAP.CD_DS2_en_csv_v2_1.csv", "wdi")
    (root / "wdi.zip").write_bytes(buffer.getvalue())
    relative = "wdi_recent/API_NY.GDP.PCAP.CD_DS2_en_csv_v2_33610.csv"
    fetch.fetch(tmp_path, [relative],
                url_for=lambda rel: f"{base}/wdi.zip?downloadformat=csv")
    assert (tmp_path / relative).read_text() == "wdi"


def test_unreachable_source_gives_an_actionable_error(tmp_path, server):
    _, base = server
    with pytest.raises(ScicollabError, match=r"could not fetch .*copy the raw files"):
        fetch.fetch(tmp_path, ["datahub/gdp.csv"], url_for=lambda rel: f"{base}/missing.csv")


def test_expected_checksums_come_from_the_manifest():
    from scicollab import datasets

    found = fetch.expected_checksums(datasets.manifest())
    assert len(found["datahub/gdp.csv"]) == 64
