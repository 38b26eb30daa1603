"""A Sphinx extension: the image of every captioned figure gets alt text from its caption.

A notebook may describe what a chart shows (the ``:alt:`` option of ``glue:figure``); the
caption (what it is, its source and data years) is appended, so the alt text of every figure
says the same as its caption even when the page gives no description.
"""

from __future__ import annotations

from docutils import nodes


def caption_text(figure: nodes.figure) -> str:
    """The figure's caption as plain text (whitespace collapsed), or ''."""
    for caption in figure.findall(nodes.caption):
        return " ".join(caption.astext().split())
    return ""


def add_caption_alt(doctree: nodes.Node) -> int:
    """Give each captioned figure's images alt text ending with the caption; the count."""
    changed = 0
    for figure in doctree.findall(nodes.figure):
        text = caption_text(figure)
        if not text:
            continue
        for image in figure.findall(nodes.image):
            description = " ".join(str(image.get("alt", "")).split())
            if text not in description:
                image["alt"] = f"{description} {text}".strip()
                changed += 1
    return changed


def _on_doctree_resolved(app, doctree, docname) -> None:
    add_caption_alt(doctree)


def setup(app) -> dict[str, object]:
    """Register with Sphinx."""
    app.connect("doctree-resolved", _on_doctree_resolved)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
