"""Notebook parameters: what a user may set, checked before any kernel starts, and written into
the notebook so that no value can leave its literal.

A value given on the command line (``-p name=value``) is read as a Python literal and accepted
only when it is plain text, a whole or finite decimal number, True/False or None, and when its
type matches the notebook's default for that name. papermill injects the values after the
notebook's ``parameters`` cell; its Python translator is replaced here (when a notebook is first
parameterised) by one that writes ``repr()`` of each validated value, which always reads back
as the same value.
"""

from __future__ import annotations

import ast
import difflib
import math
from collections.abc import Mapping, Sequence
from functools import lru_cache

from .errors import UnknownNameError, UsageError

Value = str | int | float | bool | None
# Set by the command's region options, never by -p: the region and a custom region's members.
RESERVED = {"region": "set the region with --region (or the REGION argument)",
            "members": "give a custom region's countries with --countries and --name"}
MAX_TEXT = 1000


def _kind(value: object) -> str:
    return "None" if value is None else type(value).__name__


def _plain(name: str, value: object) -> Value:
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise UsageError(f"parameter {name!r} is {len(value):,} characters long; the limit "
                             f"is {MAX_TEXT:,}")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise UsageError(f"parameter {name!r} must be a finite number, not {value!r}")
        return value
    raise UsageError(f"parameter {name!r}: a {type(value).__name__} ({value!r:.60}) is not "
                     "accepted; give text, a number, True, False or None")


def parse(items: Sequence[str]) -> dict[str, Value]:
    """``name=value`` items as parameters: the value read as a Python literal when it is one
    (``3``, ``0.5``, ``True``, ``None``, ``'text'``), else taken as text."""
    values: dict[str, Value] = {}
    for item in items:
        if "=" not in item:
            raise UsageError(f"parameter {item!r} must look like name=value")
        name, raw = (part.strip() for part in item.split("=", 1))
        if not name.isidentifier():
            raise UsageError(f"parameter name {name!r} is not a valid name (letters, digits and "
                             "underscores, not starting with a digit)")
        if name in RESERVED:
            raise UsageError(f"-p {name}=… is not accepted: {RESERVED[name]}")
        try:
            value = ast.literal_eval(raw)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            value = raw
        values[name] = _plain(name, value)
    return values


def check(chapter: str, declared: Mapping[str, object], given: Mapping[str, object]) -> None:
    """Refuse a parameter the chapter does not declare, or whose value does not have the type
    of the chapter's default (a whole number is accepted where the default is a decimal)."""
    for name, value in given.items():
        if name not in declared:
            raise UnknownNameError(
                "parameter", name, difflib.get_close_matches(name, list(declared), n=3),
                f"Chapter {chapter!r} declares: {', '.join(declared)}.")
        value = _plain(name, value)
        default = declared[name]
        if default is None or value is None:
            continue
        if not _fits(value, default):
            raise UsageError(f"parameter {name!r} of chapter {chapter!r} takes a "
                             f"{_kind(default)} (default {default!r}), not a {_kind(value)} "
                             f"({value!r:.60})")


def _fits(value: object, default: object) -> bool:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, float):
        return number
    if isinstance(default, int):
        return number and isinstance(value, int)
    return isinstance(value, type(default))


@lru_cache(maxsize=1)
def _register_translator() -> None:
    """Put papermill's Python translator aside for one writing ``repr()`` of every value
    (papermill is imported only when a notebook is parameterised)."""
    from papermill.translators import PythonTranslator, papermill_translators

    class SafePythonTranslator(PythonTranslator):
        @classmethod
        def translate(cls, val: object) -> str:
            return repr(_plain("value", val))

    papermill_translators.register("python", SafePythonTranslator)


def inject(notebook, values: Mapping[str, Value]):
    """The notebook with papermill's injected-parameters cell after its ``parameters`` cell,
    tagged ``remove-cell`` as the chapter's own parameters cell is: pages do not show it."""
    import nbformat
    from papermill.parameterize import parameterize_notebook

    _register_translator()
    notebook.metadata.setdefault("papermill", nbformat.NotebookNode())
    for cell in notebook.cells:  # papermill reads every cell's tags
        cell.metadata.setdefault("tags", [])
    clean = {name: _plain(name, value) for name, value in values.items()}
    notebook = parameterize_notebook(notebook, clean, kernel_name="python3", language="python")
    for cell in notebook.cells:
        tags = cell.metadata["tags"]
        if "injected-parameters" in tags and "remove-cell" not in tags:
            tags.append("remove-cell")
    return notebook
