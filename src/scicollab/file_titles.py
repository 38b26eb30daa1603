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


def untitled(data: bytes, kind: str, title: str) -> bytes | None:
    """A PNG's or SVG's bytes without its title ``title``; None when the title is not in it
    as written here (or the file is of another kind)."""
    try:
        mark = png_title(title) if kind == "png" else svg_title(title).encode("utf-8")
    except UnicodeEncodeError:  # written as an international text chunk: not looked for
        return None
    if kind not in ("png", "svg") or mark not in data:
        return None
    return data.replace(mark, b"", 1)
