"""The five pillars: what the report's text says, and the region's measurable standing."""

from __future__ import annotations

import pandas as pd

from .. import paths, regions
from . import recommendations

TABLE = paths.ROOT / "book" / "tables" / "pillars-elements.csv"


def elements() -> pd.DataFrame:
    """The elements of successful collaboration the report's text describes."""
    return pd.read_csv(TABLE, keep_default_na=False)


def numbers(region_name: str) -> dict:
    """Glue values: the elements table and the region's standing on the book's measures."""
    region = regions.resolve(region_name)
    table = elements()
    rows = ["| Element | What the report says | Where this book measures it |", "|---|---|---|"]
    rows += [f"| {r.element} | {r.what_the_report_says} | {r.where_this_book_measures_it} |"
             for r in table.itertuples()]
    result = recommendations.analyse(region.name)
    return {"pil_elements_table": "\n".join(rows),
            "pil_standing_table": result.numbers["rec_standing_table"],
            "pil_members": result.numbers["rec_members"]}
