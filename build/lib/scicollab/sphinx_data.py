"""A Sphinx extension: the data manifest as readable tables, and the data offered for download.

In a page, ``{scicollab-data} tables`` renders the processed tables (file, rows, description,
key, shortened sha256), ``sources`` each source once (table id linked to the official page,
publisher and dataset, the tables it feeds, licence), ``raw`` each raw file read (sha256,
snapshot date), ``excluded`` the names deliberately matched to no economy, and ``downloads``
the links to ``datapackage.json`` and ``manifest.json``. Every
cell is a docutils text node, so nothing in the manifest becomes markup. A site whose pages use
the directive gets the tables, ``datapackage.json`` and ``manifest.json`` copied into its
``data/`` folder, which the links point to; with ``scicollab_data_href`` (a folder relative to
the site's root, e.g. ``../../data`` for a region edition published inside the book) the links
point there instead and nothing is copied.
"""

from __future__ import annotations

import json
import posixpath
import shutil
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive

from .datapackage import FILE as DATAPACKAGE
from .datapackage import LICENCES

SITE_FOLDER = "data"
MANIFEST = "manifest.json"
SHORT_SHA = 12
KINDS = ("tables", "sources", "raw", "excluded", "downloads")


def data_folder(app) -> Path:
    """The processed data the site describes: ``scicollab_data``, else ``data/`` of the book."""
    return Path(app.config.scicollab_data or Path(app.srcdir) / "data")


def _link(text: str, url: str) -> nodes.Node:
    """A link to an external page, or plain text when the address is not http(s)."""
    if url.startswith(("https://", "http://")):
        return nodes.reference("", text, refuri=url)
    return nodes.Text(text)


def _site_folder(config) -> str:
    """Where the site's pages find the data: its own ``data/``, or ``scicollab_data_href``."""
    return (config.scicollab_data_href or SITE_FOLDER).rstrip("/")


def _site_link(text: str, name: str, docname: str, folder: str) -> nodes.reference:
    target = posixpath.relpath(f"{folder}/{name}", posixpath.dirname(docname) or ".")
    return nodes.reference("", text, refuri=target, classes=["data-download"])


def _cell(content) -> nodes.entry:
    entry = nodes.entry()
    paragraph = nodes.paragraph()
    for part in content if isinstance(content, list) else [content]:
        paragraph += nodes.Text(part) if isinstance(part, str) else part
    entry += paragraph
    return entry


def table(headers: list[str], rows: list[list], classes: tuple[str, ...] = ()) -> nodes.table:
    """A docutils table; each cell is a string, a node, or a list of both."""
    node = nodes.table(classes=["scicollab-data", "colwidths-auto", *classes])
    group = nodes.tgroup(cols=len(headers))
    node += group
    for _ in headers:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    row = nodes.row()
    for header in headers:
        row += _cell(header)
    head += row
    group += head
    body = nodes.tbody()
    for cells in rows:
        row = nodes.row()
        for content in cells:
            row += _cell(content)
        body += row
    group += body
    return node


def _sha(digest: str) -> nodes.literal:
    return nodes.literal(text=digest[:SHORT_SHA], classes=["sha256"])


def tables_table(manifest: dict, docname: str, folder: str = SITE_FOLDER) -> nodes.table:
    """Processed tables: file (a download), rows, description, key and sha256."""
    rows = [[_site_link(entry["file"], entry["file"], docname, folder), f"{entry['rows']:,}",
             entry["description"], ", ".join(entry["keys"]), _sha(entry["sha256"])]
            for entry in manifest["tables"].values()]
    return table(["File", "Rows", "Description", "Key", "sha256"], rows)


def _licence(text: str) -> nodes.Node:
    known = LICENCES.get(text)
    return _link(text, known["path"]) if known else nodes.Text(text)


def _uses(manifest: dict, key) -> dict[tuple, list[str]]:
    """Each distinct value of ``key(source, raw_file)`` with the tables it serves, in order."""
    found: dict[tuple, list[str]] = {}
    for name, entry in manifest["tables"].items():
        for source in entry["sources"]:
            for item in source["raw_files"] or [{}]:
                tables = found.setdefault(key(source, item), [])
                if name not in tables:
                    tables.append(name)
    return found


def _names(tables: list[str]) -> list:
    parts: list = []
    for number, name in enumerate(tables):
        parts += [*([", "] if number else []), nodes.literal(text=name)]
    return parts


def sources_table(manifest: dict) -> nodes.table:
    """Each source once: its id linked to the official page, publisher and dataset, the tables
    it feeds, and its licence (linked to the licence's text where it has one)."""
    uses = _uses(manifest, lambda s, _: (s["table_id"], s["url"], s["publisher"], s["dataset"],
                                         s["licence"]))
    rows = [[_link(table_id, url), f"{publisher}: {dataset}", _names(tables), _licence(licence)]
            for (table_id, url, publisher, dataset, licence), tables in uses.items()]
    return table(["Id", "Publisher and dataset", "Tables", "Licence"], rows)


def raw_table(manifest: dict) -> nodes.table:
    """Each raw file read once: its path in the raw folder, sha256, snapshot date and tables."""
    uses = _uses(manifest, lambda s, item: (item.get("path", ""), item.get("sha256", ""),
                                            s["retrieved"]))
    rows = [[nodes.literal(text=path), _sha(digest), retrieved, _names(tables)]
            for (path, digest, retrieved), tables in uses.items() if path]
    return table(["Raw file", "sha256", "Snapshot", "Tables"], rows)


def excluded_table(manifest: dict) -> nodes.table:
    """Names in the sources that are deliberately matched to no economy, with the reason."""
    rows = [[name, reason] for name, reason in manifest.get("excluded_names", {}).items()]
    return table(["Name in a source", "Why it is left out"], rows)


def downloads(manifest: dict, docname: str, folder: str = SITE_FOLDER) -> nodes.paragraph:
    """The links to the data package and the manifest, with the data version."""
    line = nodes.paragraph(classes=["data-downloads"])
    line += nodes.Text("Download the data package ")
    line += _site_link(DATAPACKAGE, DATAPACKAGE, docname, folder)
    line += nodes.Text(" (the tables' schemas, sources and licences, for Frictionless tools) "
                       "or the provenance manifest ")
    line += _site_link(MANIFEST, MANIFEST, docname, folder)
    line += nodes.Text("; each table's file is linked in the first table below. Data version ")
    line += nodes.literal(text=manifest["data_version"])
    line += nodes.Text(".")
    return line


class DataDirective(Directive):
    """``{scicollab-data} KIND``: one view of the data manifest (see the module's docstring)."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        """The nodes of the view named by the argument."""
        env = self.state.document.settings.env
        kind = self.arguments[0]
        if kind not in KINDS:
            raise self.error(f"unknown view {kind!r}; choose one of {', '.join(KINDS)}")
        path = data_folder(env.app) / MANIFEST
        if not path.is_file():
            raise self.error(f"no data manifest at {path}: run `make data`")
        env.note_dependency(str(path))
        pages = env.__dict__.setdefault("scicollab_data_pages", set())
        pages.add(env.docname)
        manifest = json.loads(path.read_text(encoding="utf-8"))
        folder = _site_folder(env.config)
        if kind == "tables":
            return [tables_table(manifest, env.docname, folder)]
        if kind == "sources":
            return [sources_table(manifest)]
        if kind == "raw":
            return [raw_table(manifest)]
        if kind == "excluded":
            return [excluded_table(manifest)]
        return [downloads(manifest, env.docname, folder)]


def _purge(app, env, docname) -> None:
    env.__dict__.get("scicollab_data_pages", set()).discard(docname)


def _merge(app, env, docnames, other) -> None:
    env.__dict__.setdefault("scicollab_data_pages", set()).update(
        other.__dict__.get("scicollab_data_pages", set()))


def site_files(folder: Path) -> list[Path]:
    """What the site offers from the data folder: every table, the package, the manifest."""
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    names = [entry["file"] for entry in manifest["tables"].values()]
    return [folder / name for name in [*names, DATAPACKAGE, MANIFEST]]


def _on_build_finished(app, exception) -> None:
    """Copy the data files into the site when a page of it links to them."""
    if exception is not None or app.builder.format != "html":
        return
    if not app.env.__dict__.get("scicollab_data_pages") or app.config.scicollab_data_href:
        return
    target = Path(app.outdir) / SITE_FOLDER
    target.mkdir(exist_ok=True)
    for source in site_files(data_folder(app)):
        shutil.copyfile(source, target / source.name)


def setup(app) -> dict[str, object]:
    """Register with Sphinx."""
    app.add_config_value("scicollab_data", "", "env", str)
    app.add_config_value("scicollab_data_href", "", "env", str)
    app.add_directive("scicollab-data", DataDirective)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", _on_build_finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
