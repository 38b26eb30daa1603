"""Exceptions that speak to the user: what was wrong, where, and what to do."""

from __future__ import annotations

from pathlib import Path


class ScicollabError(Exception):
    """Base class for every error this package raises on purpose (exit code 1: the command
    failed)."""

    exit_code = 1


class UsageError(ScicollabError):
    """The command was given something it cannot take (exit code 2: bad usage): an unknown or
    unsafe name, a bad parameter, an output folder it may not write."""

    exit_code = 2


class DataFileError(ScicollabError):
    """A raw or processed data file is malformed; names the file, row and column."""

    def __init__(
        self,
        path: str | Path,
        message: str,
        *,
        row: int | str | None = None,
        column: str | None = None,
    ) -> None:
        self.path = str(path)
        self.row = row
        self.column = column
        where = [f"file {self.path}"]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}")


class UnknownNameError(UsageError, KeyError):
    """A name (region, chapter, parameter, country) is not known; suggests close ones. A
    ``hint`` is a sentence of its own, after the suggestions (or the name when there are
    none)."""

    def __init__(self, kind: str, name: str, suggestions: list[str], hint: str = "") -> None:
        self.kind = kind
        self.name = name
        self.suggestions = suggestions
        text = f"unknown {kind} {name!r}"
        if suggestions:
            text += f"; did you mean: {', '.join(repr(s) for s in suggestions)}?"
        elif hint:
            text += "."
        if hint:
            text += f" {hint}"
        super().__init__(text)

    def __str__(self) -> str:
        return self.args[0]
