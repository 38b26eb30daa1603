"""Checks on the book's prose: numbers in text must come from code through glue."""

from __future__ import annotations

import re

import jupytext

# Removed before looking for digits: glue and other roles, citations, inline code, maths,
# links' targets, directive option lines, HTML comments.
_STRIP = [
    re.compile(r"\{[a-z:]+\}`[^`]*`"),           # {glue:text}`key:.1f`, {cite}`x`, {numref}`y`
    re.compile(r"`[^`]*`"),                      # inline code
    re.compile(r"\$[^$]*\$"),                    # inline maths
    re.compile(r"\]\([^)]*\)"),                  # link targets
    re.compile(r"https?://\S+"),
    re.compile(r"<!--.*?-->", re.DOTALL),
]
# Digits that are allowed in prose: years, and labels that are names rather than findings.
_ALLOWED = [
    re.compile(r"\b(19|20)\d{2}s?\b"),                        # years, decades
    re.compile(r"\b(19|20)\d{2}[–-](19|20)?\d{2}\b"),         # year ranges
    re.compile(r"\b(Figure|Table|wave|waves|Q)\s?\d+[a-z]?\b", re.IGNORECASE),
    re.compile(r"\b[A-Za-z]+[\w.-]*\d[\w.-]*\b"),             # identifiers: S5a-2, G007_36_B, CO2
    re.compile(r"\b\d+[A-Za-z][\w-]*\b"),                     # 3D, 5G
    re.compile(r"\bCC[ -]BY(?:[ -][A-Z]{2})*[ -]\d\.\d\b"),       # licence names
]
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*%?")


def markdown_cells(path) -> list[str]:
    """The markdown cells of a MyST notebook or the body of a plain MyST page."""
    text = path.read_text()
    if text.startswith("---") and "kernelspec" in text.split("---")[1]:
        notebook = jupytext.read(path)
        return [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]
    return [text]


def typed_numbers(markdown: str) -> list[str]:
    """Numbers typed into prose that glue should produce (after removing the allowed forms)."""
    text = re.sub(r"^(```|:::).*?^(```|:::)\s*$", "", markdown, flags=re.MULTILINE | re.DOTALL)
    text = "\n".join(line for line in text.splitlines()
                     if not line.lstrip().startswith((":", "|---", "#")))
    for pattern in _STRIP + _ALLOWED:
        text = pattern.sub(" ", text)
    return _NUMBER.findall(text)
