"""A figure file's id, as written in it: the PNG's ``Title`` text chunk and the SVG's
``<title>``. Two files that differ only there show the same drawing (an economy's chart
drawn as the world's, saved under the economy's id)."""

from __future__ import annotations

import struct
import zlib
from html import escape


def png_title(title: str) -> bytes:
    """The PNG ``tEXt`` chunk that :func:`figures.write_png` writes for a figure's id."""
    data = b"Title\x00" + title.encode("latin-1")
    return (struct.pack(">I", len(data)) + b"tEXt" + data
            + struct.pack(">I", zlib.crc32(b"tEXt" + data)))


def svg_title(title: str) -> str:
    """The ``<title>`` element matplotlib writes for a figure's id."""
    return f"<title>{escape(title, quote=False)}</title>"


def retitled(data: bytes, kind: str, title: str, new: str | None) -> bytes | None:
    """A PNG's or SVG's bytes with the title ``title`` replaced by ``new`` (removed when
    ``new`` is None); None when a title is not in it as written here, or cannot be written
    so (the file is of another kind, or a title is not Latin-1 for a PNG's text chunk)."""
    marks = {"png": png_title, "svg": lambda t: svg_title(t).encode("utf-8")}
    if kind not in marks:
        return None
    try:
        old, replacement = marks[kind](title), b"" if new is None else marks[kind](new)
    except UnicodeEncodeError:  # written as an international text chunk: not looked for
        return None
    return data.replace(old, replacement, 1) if old in data else None
