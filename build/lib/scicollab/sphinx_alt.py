"""A Sphinx extension: every captioned figure's image has alt text, and the alt text does not
repeat the caption.

A screen reader reads a figure's image alt text and then its ``<figcaption>``; alt text that
repeated the caption made it read the caption twice. So the alt text is the chapter's visual
description of the chart (the ``:alt:`` option of ``glue:figure``: what the chart looks like),
and the caption (what it shows, its source and data years) is read once, from the figcaption.
An image given no description gets the caption's first sentence, so none is left without alt.
"""

from __future__ import annotations

import re

from docutils import nodes


def caption_text(figure: nodes.figure) -> str:
    """The figure's caption as plain text (whitespace collapsed), or ''."""
    for caption in figure.findall(nodes.caption):
        return " ".join(caption.astext().split())
    return ""


def first_sentence(text: str) -> str:
    """The first sentence of a text (up to the first full stop followed by a space)."""
    return re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]


def ensure_alt(doctree: nodes.Node) -> int:
    """Give each captioned figure's images alt text that describes without repeating the
    caption: a description that holds the caption loses it, an empty one gets the caption's
    first sentence. Returns how many images changed."""
    changed = 0
    for figure in doctree.findall(nodes.figure):
        text = caption_text(figure)
        if not text:
            continue
        for image in figure.findall(nodes.image):
            description = " ".join(str(image.get("alt", "")).split())
            fixed = description.replace(text, "").strip() if text in description else description
            if not fixed:
                fixed = first_sentence(text)
            if fixed != image.get("alt"):
                image["alt"] = fixed
                changed += 1
    return changed


def _on_doctree_resolved(app, doctree, docname) -> None:
    ensure_alt(doctree)


def setup(app) -> dict[str, object]:
    """Register with Sphinx."""
    app.connect("doctree-resolved", _on_doctree_resolved)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
