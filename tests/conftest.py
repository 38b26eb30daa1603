"""Shared fixtures: the raw data folder, a country index, a fixture folder, the built site, the
pid of a process that no longer runs."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from scicollab import paths
from scicollab.countries import CountryIndex

FIXTURES = Path(__file__).parent / "fixtures"
# a number printed as negative zero ("-0", "-0.00"): a small negative value rounded to zero
NEGATIVE_ZERO = re.compile(r"(?<![\w.])[-−]0(?:\.0+)?(?![\d.])")


@pytest.fixture(scope="session", autouse=True)
def no_edition_left_in_the_checkout():
    """No test leaves a region edition among the checkout's own (`make book` publishes every
    edition built there): a test that builds one builds it in a project of its own."""
    editions = paths.find_root() / "_build" / "regions"

    def built() -> set[str]:
        return {p.name for p in editions.iterdir()} if editions.is_dir() else set()

    before = built()
    yield
    left = sorted(built() - before)
    assert not left, f"tests left region editions in {editions}: {left}"


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The real raw files (../shared/data); tests that need them skip loudly without them."""
    raw = paths.default_raw_dir()
    if not (raw / "SOURCES.md").is_file():
        pytest.skip(f"raw data folder not found at {raw}; set SCICOLLAB_RAW")
    return raw


@pytest.fixture(scope="session")
def index() -> CountryIndex:
    """A country index from ISO names and the aliases (no World Bank file needed)."""
    return CountryIndex.build()


@pytest.fixture
def dead_pid() -> int:
    """The pid of a process that has run and exited (what a killed command's leftovers carry)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


@pytest.fixture
def fixtures() -> Path:
    """The folder of small made-up input files."""
    return FIXTURES


@pytest.fixture(scope="session", autouse=True)
def offline_session():
    """Block non-loopback network for the tests, their kernels and their book builds."""
    import os

    from scicollab import offline

    os.environ[offline.ENV] = "1"
    offline.install()
    yield
    offline.uninstall()


# A user-assigned ISO 3166 code (XAA-XZZ, like Kosovo's XKX) that names no economy.
NO_DATA_CODE = "XND"


@pytest.fixture
def region_without_data(monkeypatch) -> str:
    """A custom region ('No Data Land', ISO3 XND) that no processed table holds; its name.

    The fixture checks every table of the manifest for the code, so a chapter that says the
    region has no data says so because there is none, not because of a filter of its own.
    """
    from scicollab import datasets, regions

    for name in datasets.manifest()["tables"]:
        frame = datasets.load(name)
        assert not frame.isin([NO_DATA_CODE]).any().any(), f"table {name} holds {NO_DATA_CODE}"
    empty = regions.Region("No Data Land", "custom", (NO_DATA_CODE,))
    real = regions.resolve
    monkeypatch.setattr(regions, "resolve",
                        lambda name: empty if name == empty.name else real(name))
    return empty.name


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A made-up two-chapter project (alpha, beta) as the project root; chapters run for real."""
    from projects import chapter, make

    root = make(tmp_path / "repo", {"alpha": chapter("alpha"), "beta": chapter("beta")})
    monkeypatch.setattr(paths, "_root", root)
    return root


SITE_FIXTURES = {"html", "server", "browser"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`make test` runs two workers with ``--dist loadgroup``), every test
    that uses the checkout's built site runs on one worker, so the book is built once and no two
    processes write `_build/` at the same time; the other tests work in their own folders."""
    for item in items:
        if SITE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("site"))


# --- the built site, served on localhost, and Debian's Chromium (the browser tests) ----------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def html() -> Path:
    """The book built (or up to date) in this checkout's _build/html."""
    from scicollab import builds

    return builds.book(progress=False).html


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server that does not log every request."""

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(html):
    """The built site on 127.0.0.1 (a free port); its base URL."""
    handler = functools.partial(QuietHandler, directory=str(html))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's), driven by Playwright, with no network but loopback."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is needed for the browser tests: run `make browser-deps` "
                    "(apt-get install chromium) or see the README")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield launched
        launched.close()
