"""How R&D spending is shared among economies: each economy's latest GERD in current US$, the
Lorenz curve, the Gini coefficient and the share of the largest spenders."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import panels


def latest_gerd() -> pd.DataFrame:
    """Each economy's latest GERD in current US$ within panels.WINDOW, largest first (the shared
    panel)."""
    values = panels.panel("gerd_usd").values
    frame = values.assign(gerd_usd=values["value"] * 1e9)[["iso3", "year", "gerd_usd"]]
    return frame.sort_values("gerd_usd", ascending=False).reset_index(drop=True)


def lorenz(values: pd.Series) -> pd.DataFrame:
    """Cumulative share of economies (smallest first) against cumulative share of the total."""
    ordered = np.sort(np.asarray(values, float))
    economies = np.arange(0, len(ordered) + 1) / len(ordered)
    cumulative = np.concatenate([[0.0], np.cumsum(ordered)]) / ordered.sum()
    return pd.DataFrame({"share_of_economies": economies, "share_of_spending": cumulative})


def gini(values: pd.Series) -> float:
    """The Gini coefficient from the Lorenz curve (trapezoid rule)."""
    curve = lorenz(values)
    x, y = curve["share_of_economies"].to_numpy(), curve["share_of_spending"].to_numpy()
    area = float(np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2))
    return 1 - 2 * area


def top_share(frame: pd.DataFrame, k: int) -> float:
    """Share of total GERD spent by the k largest spenders."""
    return float(frame["gerd_usd"].nlargest(k).sum() / frame["gerd_usd"].sum())

