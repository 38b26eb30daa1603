"""The book's configuration (``_config.yml``), read in one place.

The book build, the region editions' staging configuration, the workers' early imports, brief
packs and the book's address (:mod:`scicollab.canonical`) all read it through :func:`read`: a
missing or broken file is one clear line naming it, wherever it is needed.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from . import paths
from .errors import ScicollabError

FILE = "_config.yml"


def read(root: Path | None = None) -> dict:
    """The parsed configuration of the project at ``root`` (default: this project), a fresh
    dict each time (callers change their copy); a clear refusal when the file cannot be read
    or is not a YAML mapping."""
    path = Path(root or paths.root()) / FILE
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        detail = " ".join(str(exc).split())  # YAML's messages span lines; ours is one
        raise ScicollabError(f"{path}: cannot read the book's configuration ({detail}); fix "
                             f"or restore {FILE}") from None
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise ScicollabError(f"{path}: the book's configuration is not a mapping of settings; "
                             f"fix or restore {FILE}")
    return config
