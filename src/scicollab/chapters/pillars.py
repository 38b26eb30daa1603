"""The five pillars: what the report's text says, and the region's measurable standing."""

from __future__ import annotations

import pandas as pd

from .. import regions
from ..report import book_table, count, markdown_table
from . import recommendations

TABLE = "pillars-elements.csv"


def elements() -> pd.DataFrame:
    """The elements of successful collaboration the report's text describes."""
    return book_table(TABLE)


def numbers(region_name: str) -> dict:
    """Glue values: the elements table and the region's standing on the book's measures."""
    region = regions.resolve(region_name)
    elements_table = markdown_table(elements(), {
        "element": "Element", "what_the_report_says": "What the report says",
        "where_this_book_measures_it": "Where this book measures it"})
    result = recommendations.analyse(region)
    members = result.numbers["rec_members"]
    if members == 0:
        intro = (f"None of the economies of {region.in_prose} is in the World Bank's list, so "
                 "there is nothing to compare. For reference, the world medians on the book's "
                 "measures, explained in {doc}`recommendations`, are:")
    elif region.is_world:
        intro = (f"For all {count(members, 'economy')} in the World Bank's list, the medians on "
                 "the measures the book can compute, with the income-peer comparison explained "
                 "in {doc}`recommendations`:")
    else:
        intro = (f"For the {count(members, 'economy')} of {region.in_prose} in the World Bank's "
                 "list, the measures the book can compute, with the world and income-peer "
                 "comparisons explained in {doc}`recommendations`:")
    return {"pil_elements_table": elements_table,
            "pil_standing_intro": intro, "pil_region_scope": region.in_prose,
            "pil_standing_table": result.numbers["rec_standing_table"],
            "pil_members": members}
