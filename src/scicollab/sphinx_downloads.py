"""A Sphinx extension: under every figure, its stable id and links to its PNG, SVG and CSV.

A chapter saves each figure's files (``<id>.png``, ``.svg``, ``.csv``) in the figures folder
(the ``scicollab_figures`` setting) and shows the same PNG bytes on the page. An image on a
page is matched to its figure by the sha256 of those bytes; the figure then gets a line with
its id and links. In the site each figure is stored once: its PNG moves from ``_images/`` to
``figures/<id>.png`` (the page shows it from there), beside its SVG and CSV.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import shutil
from pathlib import Path

from docutils import nodes

SITE_FOLDER = "figures"
FILE_KINDS = (("csv", "data (CSV)"), ("svg", "SVG"), ("png", "PNG"))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def figure_ids(folder: Path) -> dict[str, str]:
    """sha256 of each saved figure PNG in ``folder`` → the figure's id."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    return {_sha256(png): png.stem for png in sorted(folder.glob("*.png"))
            if all(png.with_suffix(f".{kind}").is_file() for kind, _ in FILE_KINDS)}


def _folder(app) -> Path:
    from .run_context import figures_dir

    return Path(app.config.scicollab_figures or figures_dir())


def _ids(app) -> dict[str, str]:
    if not hasattr(app, "_scicollab_figure_ids"):
        app._scicollab_figure_ids = figure_ids(_folder(app))
    return app._scicollab_figure_ids


def files_line(figure_id: str, docname: str) -> nodes.paragraph:
    """The paragraph 'Figure id X · data (CSV) · SVG · PNG' with links relative to the page."""
    line = nodes.paragraph(classes=["figure-files"])
    line += nodes.Text("Figure id ")
    line += nodes.literal(text=figure_id)
    for kind, label in FILE_KINDS:
        target = posixpath.relpath(f"{SITE_FOLDER}/{figure_id}.{kind}",
                                   posixpath.dirname(docname) or ".")
        line += nodes.Text(" · ")
        line += nodes.reference("", label, refuri=target, classes=["figure-file"])
    return line


def add_file_links(app, doctree: nodes.Node, docname: str) -> int:
    """Put the files line after each figure whose image is a saved figure; the count."""
    ids = _ids(app)
    added = 0
    for figure in list(doctree.findall(nodes.figure)):
        for image in figure.findall(nodes.image):
            source = Path(app.srcdir) / image["uri"]
            figure_id = ids.get(_sha256(source)) if source.is_file() else None
            if figure_id:
                figure.parent.insert(figure.parent.index(figure) + 1,
                                     files_line(figure_id, docname))
                added += 1
                break
    return added


def _on_doctree_resolved(app, doctree, docname) -> None:
    add_file_links(app, doctree, docname)


IMAGE_LINK = re.compile(r"""((?:href|src)="(?:\.\./)*)_images/([^"/?#]+\.png)""")


def _on_build_finished(app, exception) -> None:
    """Store each figure once: the page's PNG moves from ``_images/`` to ``figures/<id>.png``
    (the pages point there), beside the figure's SVG and CSV.

    The site's ``_images`` holds every image of every page, so matching their bytes finds the
    figure of each image."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    images = outdir / "_images"
    ids = _ids(app)
    moved: dict[str, str] = {}
    target = outdir / SITE_FOLDER
    for image in sorted(images.glob("*.png")) if images.is_dir() else []:
        figure_id = ids.get(_sha256(image))
        if figure_id is None:
            continue
        target.mkdir(exist_ok=True)
        os.replace(image, target / f"{figure_id}.png")
        moved[image.name] = f"{SITE_FOLDER}/{figure_id}.png"
        for kind in ("csv", "svg", "json"):  # the JSON: caption, source, years, alt text
            name = f"{figure_id}.{kind}"
            if (_folder(app) / name).is_file():
                shutil.copyfile(_folder(app) / name, target / name)
    if not moved:
        return
    if not any(images.iterdir()):
        images.rmdir()  # every image was a figure: no empty folder is published
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        linked = IMAGE_LINK.sub(lambda m: m.group(1) + moved.get(m.group(2), "_images/"
                                                                + m.group(2)), text)
        if linked != text:
            page.write_text(linked, encoding="utf-8")


def setup(app) -> dict[str, object]:
    """Register with Sphinx."""
    app.add_config_value("scicollab_figures", "", "", str)  # a path: no page depends on it
    app.connect("doctree-resolved", _on_doctree_resolved)
    app.connect("build-finished", _on_build_finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": False}
