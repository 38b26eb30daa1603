"""Drivers: the growth index is computed from the OpenAlex table."""

import pandas as pd
import pytest

from scicollab import datasets
from scicollab.chapters import drivers


def test_index_is_works_over_base_year_works():
    series = drivers.index_series(("KEN",)).set_index("year")
    raw = datasets.load("openalex_international").set_index(["iso3", "year"])
    expected = 100 * raw.loc[("KEN", 2020), "international_works"] / raw.loc[
        ("KEN", drivers.BASE), "international_works"]
    assert series.loc[2020, "index"] == pytest.approx(expected)
    assert series.loc[drivers.BASE, "index"] == pytest.approx(100)


def test_table_has_a_source_column():
    table = pd.read_csv(drivers.TABLE, keep_default_na=False)
    assert table["source"].str.len().gt(0).all()


def test_region_without_data_gets_a_sentence(monkeypatch):
    from scicollab import regions

    empty = regions.Region("Nowhere", "custom", ("ZZZ",))
    real = regions.resolve
    monkeypatch.setattr(regions, "resolve", lambda n: empty if n == "Nowhere" else real(n))
    assert "no internationally" in drivers.analyse("Nowhere").numbers["drv_region_sentence"]
