"""Trust in people of another nationality: each surveyed country's latest survey wave."""

from __future__ import annotations

import pandas as pd

from .. import datasets, panels

ITEM = panels.TRUST_ITEM  # trust in people of another nationality (G007_36_B)


def latest_trust(item: str = ITEM) -> pd.DataFrame:
    """Each country's latest survey wave for a trust item: iso3, wave, year, trust_pct, n."""
    trust = datasets.load("trust")
    trust = trust[trust["item"] == item].sort_values(["iso3", "wave"])
    latest = trust.groupby("iso3", as_index=False).last()
    return latest[["iso3", "wave", "year", "studies", "trust_pct", "distrust_pct", "n"]]

