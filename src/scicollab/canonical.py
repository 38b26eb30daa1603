"""Where the book is published: its canonical URL and repository link, from ``_config.yml``.

One setting each, read in one place: ``html.baseurl`` (the published site; Sphinx turns it into
each page's canonical link) and ``repository.url``. Empty means not published yet: pages carry no
canonical link, and nothing invents an address.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from . import book_config, paths
from .errors import ScicollabError


def _url(value: object, where: str, root: Path | None) -> str | None:
    """A configured http(s) URL with a trailing slash, None when empty; a clear refusal when
    it is not a URL."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    parsed = urlparse(text)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        config = Path(root or paths.root()) / book_config.FILE
        raise ScicollabError(f"{config}: {where} is {text!r}, not an http(s) URL; give the "
                             "address or leave it empty")
    return text.rstrip("/") + "/"


def canonical_url(root: Path | None = None) -> str | None:
    """The published book's address (``html.baseurl``, ending in '/'), or None when unset."""
    return _url((book_config.read(root).get("html") or {}).get("baseurl"), "html.baseurl", root)


def repository_url(root: Path | None = None) -> str | None:
    """The repository's address (``repository.url``, ending in '/'), or None when unset."""
    return _url((book_config.read(root).get("repository") or {}).get("url"), "repository.url", root)
