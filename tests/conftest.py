"""Shared fixtures: the raw data folder, a country index, a fixture folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from scicollab import paths
from scicollab.countries import CountryIndex

FIXTURES = Path(__file__).parent / "fixtures"


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
