"""``python -m scicollab``: the command line."""

from .cli import entry

entry()
