"""The five pillars: what the report's text says, and the book's findings on each element."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from .. import findings, regions, verdicts
from ..report import Numbers, book_table, escape, markdown_table

TABLE = "pillars-elements.csv"
# The findings (keys of findings.CLAIMS) that bear on each element the report's text names.
FINDINGS = {
    "Individual motivation": ("citations", "size"),
    "Choices of actors": ("figure2", "retrenchment"),
    "Context": ("trust_high", "trust_lmic", "link"),
}


def elements() -> pd.DataFrame:
    """The elements of successful collaboration the report's text describes."""
    return book_table(TABLE)


def element_findings(region_name: str) -> pd.DataFrame:
    """One row per element and finding that bears on it: the claim, the verdict (the region's
    where the claim can be judged on its economies, else the world's) and the section that
    tests it."""
    region = regions.resolve(region_name)
    frame = findings.table(region).set_index("key")
    rows = []
    for element, keys in FINDINGS.items():
        for key in keys:
            row = frame.loc[key]
            regional = (not region.is_world and pd.notna(row.get("region_verdict"))
                        and row["region_verdict"] != verdicts.UNTESTABLE)
            rows.append({"element": element, "claim": row["claim"],
                         "verdict": row["region_verdict"] if regional else row["verdict"],
                         "whose": region.in_prose if regional else "the world",
                         "label": row["label"], "section": row["section"]})
    return pd.DataFrame(rows)


def findings_markdown(frame: pd.DataFrame) -> str:
    """The element-by-finding table, each row linked to its section."""
    shown = pd.DataFrame({
        "element": frame["element"].map(escape), "claim": frame["claim"].map(escape),
        "verdict": [f"**{escape(v)}** ({escape(w)})" for v, w in zip(frame["verdict"],
                                                                    frame["whose"], strict=True)],
        "section": [findings.LINK.format(text=s, label=label)
                    for s, label in zip(frame["section"], frame["label"], strict=True)]})
    return markdown_table(shown, {"element": "Element", "claim": "Finding",
                                  "verdict": "Verdict", "section": "Tested in"})


@dataclass
class PillarsNumbers(Numbers):
    """The tables and sentences the chapter's prose shows, glued as ``pil_<field>``."""

    PREFIX: ClassVar[str] = "pil"
    elements_table: str
    region_scope: str
    findings_table: str
    findings_intro: str
    findings_n: int


def numbers(region_name: str) -> PillarsNumbers:
    """The elements table and the findings that bear on each element."""
    region = regions.resolve(region_name)
    elements_table = markdown_table(elements(), {
        "element": "Element", "what_the_report_says": "What the report says",
        "where_this_book_measures_it": "Where this book measures it"})
    found = element_findings(region)
    scope = ("the world's verdicts" if region.is_world else
             f"the verdicts for {region.in_prose} where a claim can be judged on it, else the "
             "world's")
    return PillarsNumbers(
        elements_table=elements_table, region_scope=region.in_prose,
        findings_table=findings_markdown(found),
        findings_intro=(f"The book's findings that bear on each element, with {scope} "
                        "(the full list is on the home page):"),
        findings_n=len(found))
