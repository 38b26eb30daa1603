"""The sensitivity table of a fitted slope (``models.sensitivity``) as the chapters print it."""

from __future__ import annotations

import pandas as pd

from ..models import CONFIDENCE

# models.describe_slope's "no clear" completes a phrase ("no clear relationship"); a table
# cell needs a word of its own
DIRECTION = {"no clear": "unclear"}


def sensitivity_markdown(table: pd.DataFrame,
                         slope_label: str = "Slope (pp per tenfold GERD)",
                         digits: int = 1) -> str:
    """The sensitivity table as a Markdown table, rounded for reading."""
    def number(value: float, digits: int) -> str:
        return "–" if pd.isna(value) else f"{value:z.{digits}f}"

    rows = [f"| Variant | Economies | {slope_label} | "
            f"{CONFIDENCE}% CI | p | R² | Direction |", "|---|---:|---:|---|---:|---:|---|"]
    for r in table.itertuples():
        interval = ("–" if pd.isna(r.slope) else
                    f"{number(r.slope_low, digits)} to {number(r.slope_high, digits)}")
        p = "–" if pd.isna(r.p_value) else ("< 0.001" if r.p_value < 0.001
                                            else f"{r.p_value:z.3f}")
        rows.append(f"| {r.variant} | {r.n} | {number(r.slope, digits)} | {interval} | {p} | "
                    f"{number(r.r_squared, 2)} | {DIRECTION.get(r.direction, r.direction)} |")
    return "\n".join(rows)

