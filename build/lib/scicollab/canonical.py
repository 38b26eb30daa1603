"""Where the book is published: its canonical URL and repository link, from ``_config.yml``.

One setting each, read in one place: ``html.baseurl`` (the published site; Sphinx turns it into
each page's canonical link) and ``repository.url``. Empty means not published yet: pages carry no
canonical link, and nothing invents an address.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import yaml

from . import paths
from .errors import ScicollabError


def _config(root: Path | None = None) -> dict:
    path = Path(root or paths.root()) / "_config.yml"
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ScicollabError(f"{path}: cannot read the book's configuration ({exc}); fix or "
                             "restore _config.yml") from None


def _url(value: object, where: str, root: Path | None) -> str | None:
    """A configured http(s) URL with a trailing slash, None when empty; a clear refusal when
    it is not a URL."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    parsed = urlparse(text)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        config = Path(root or paths.root()) / "_config.yml"
        raise ScicollabError(f"{config}: {where} is {text!r}, not an http(s) URL; give the "
                             "address or leave it empty")
    return text.rstrip("/") + "/"


def canonical_url(root: Path | None = None) -> str | None:
    """The published book's address (``html.baseurl``, ending in '/'), or None when unset."""
    return _url((_config(root).get("html") or {}).get("baseurl"), "html.baseurl", root)


def repository_url(root: Path | None = None) -> str | None:
    """The repository's address (``repository.url``, ending in '/'), or None when unset."""
    return _url((_config(root).get("repository") or {}).get("url"), "repository.url", root)
