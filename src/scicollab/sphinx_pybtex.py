"""A Sphinx extension: pybtex's plugins are looked up once per process, not once per citation.

pybtex finds each plugin (citation style, label style, backend…) by scanning every installed
package's entry points, and sphinxcontrib-bibtex asks for plugins again for every citation it
resolves: about a second and a half of each book build on this machine. Registering every pybtex
plugin once, at the first build's start-up, through pybtex's public ``register_plugin``, puts
them in the registry pybtex consults before the entry points; later builds in the process (a
worker's next edition) find them there. The plugins are the same classes either way.
"""

from __future__ import annotations

import functools
from importlib.metadata import distributions


@functools.cache
def register_pybtex_plugins() -> int:
    """Register every installed pybtex plugin with pybtex's runtime registry; the count.
    Once per process: the registry outlives a build, and a worker builds edition after
    edition (scanning the installed packages took about 0.3 s of each)."""
    from pybtex.plugin import _DEFAULT_PLUGINS, register_plugin

    groups = set(_DEFAULT_PLUGINS)
    groups |= {f"{g}.aliases" for g in _DEFAULT_PLUGINS} | {f"{g}.suffixes" for g in
                                                             _DEFAULT_PLUGINS}
    seen: set[tuple[str, str]] = set()
    for dist in distributions():
        for entry in dist.entry_points:
            key = (entry.group, entry.name)
            if entry.group in groups and key not in seen:
                seen.add(key)  # the first installed copy wins, as with pybtex's own lookup
                register_plugin(entry.group, entry.name, entry.load(), force=True)
    return len(seen)


def setup(app) -> dict[str, object]:
    """Register with Sphinx."""
    register_pybtex_plugins()
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
