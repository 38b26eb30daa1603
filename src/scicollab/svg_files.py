"""The house's SVG files: matplotlib's SVG made compact, and on screen its raster parts
encoded as the house's PNGs are (see :func:`figures.save`)."""

from __future__ import annotations

import base64
import io
import re

from .rendering import palette


def house(text: str, *, screen: bool) -> str:
    """matplotlib's SVG ``text`` as the house stores it: compacted (:func:`compact_svg`) and,
    at screen resolution, each embedded raster with a 256-colour palette when that is
    smaller."""
    text = compact_svg(text)
    return EMBEDDED_PNG.sub(_palette_png, text) if screen else text


# a shape's tag in matplotlib's SVG (text is left where matplotlib put it: a browser snaps a
# glyph's baseline to the pixel grid, so a text moved by a hundredth of a point may move by a
# pixel), its geometry attributes, a number in them with more than two decimals, the space
# around a path's commands, an empty rotation of a text and the RDF block of metadata
SVG_SHAPE = re.compile(r"<(?:path|use|image|rect)\s[^>]*>")
SVG_GEOMETRY = re.compile(r'(\s(?:d|x|y|width|height|transform)=")([^"]*)"')
SVG_FINE_NUMBER = re.compile(r"-?\d+\.\d{3,}")
SVG_PATH_SPACE = re.compile(r"\s*([MLQCZz])\s*")
SVG_NO_ROTATION = re.compile(r' transform="rotate\(-?0 [-\d. ]+\)"')
SVG_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)


def compact_svg(text: str) -> str:
    """matplotlib's SVG with the shapes' coordinates to a hundredth of a point (1/7200 inch,
    far below a printed dot), path commands without the spaces and line breaks around them, no zero
    rotations and no RDF metadata block (the title stays): a fifth smaller, drawn the same.
    Text, colours and styles are untouched."""

    def rounded(match: re.Match) -> str:
        value = f"{float(match.group(0)):.2f}".rstrip("0").rstrip(".")
        return "0" if value == "-0" else value

    def geometry(match: re.Match) -> str:
        value = SVG_FINE_NUMBER.sub(rounded, match.group(2))
        if match.group(1).endswith(' d="'):
            value = SVG_PATH_SPACE.sub(r"\1", value)
        return f'{match.group(1)}{value}"'

    text = SVG_NO_ROTATION.sub("", SVG_METADATA.sub("", text, count=1))
    return SVG_SHAPE.sub(lambda shape: SVG_GEOMETRY.sub(geometry, shape.group(0)), text)


# a raster part of an SVG (a map's shapes, a heat map's cells), as matplotlib embeds it
EMBEDDED_PNG = re.compile(r"(data:image/png;base64,\s*)([A-Za-z0-9+/=]+)")


def _palette_png(match: re.Match) -> str:
    """An SVG's embedded PNG with a 256-colour palette (transparency kept) when that is smaller,
    as :func:`figures.write_png` stores a screen-resolution figure: a map's raster is a third of its
    size."""
    from PIL import Image

    original = base64.b64decode(match.group(2))
    with Image.open(io.BytesIO(original)) as image:
        smaller = io.BytesIO()
        palette(image.convert("RGBA")).save(smaller, format="png")
    if len(smaller.getvalue()) >= len(original):
        return match.group(0)
    return match.group(1) + base64.b64encode(smaller.getvalue()).decode("ascii")
