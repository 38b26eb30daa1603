"""A Sphinx extension: each page template is compiled once per process, not once per build.

Sphinx gives every HTML build a new Jinja environment, which compiles each template it renders
(the theme's layout, page, sidebars, header and footer pieces: Jinja's parser, code generator
and Python's compile) the first time that build renders it: about 6% of an edition's HTML
build in a worker that builds edition after edition. This extension gives each build's
environment Jinja's bytecode cache, kept in memory for the process: a later build loads the
compiled code instead. Jinja keys each entry by the template's name and file and checks it
against a checksum of the template's source, so a template that changed is compiled again;
and an environment set up otherwise (its class, extensions, delimiters, escaping) has a cache of
its own, since the compiled code depends on them. The pages are the same.
"""

from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

MAX_TEMPLATES = 1000  # compiled templates remembered (a build renders about forty)


class ProcessBytecodeCache(BytecodeCache):
    """Jinja's bytecode cache in this process's memory, shared by every build's environment."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill ``bucket`` with the code kept under its key, if any (Jinja discards code whose
        source checksum differs)."""
        kept = self._code.get(bucket.key)
        if kept is not None:
            bucket.bytecode_from_string(kept)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the code Jinja just compiled into ``bucket``."""
        if len(self._code) >= MAX_TEMPLATES:
            self._code.clear()
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        """Forget every compiled template."""
        self._code.clear()


_caches: dict[tuple, ProcessBytecodeCache] = {}


def settings(environment) -> tuple | None:
    """What a Jinja environment's compiled code depends on besides the template's source; None
    for an environment that escapes or finalizes by a function of its own (not cached)."""
    if not isinstance(environment.autoescape, bool) or environment.finalize is not None:
        return None
    return (type(environment).__qualname__, tuple(sorted(environment.extensions)),
            environment.block_start_string, environment.block_end_string,
            environment.variable_start_string, environment.variable_end_string,
            environment.comment_start_string, environment.comment_end_string,
            environment.line_statement_prefix, environment.line_comment_prefix,
            environment.trim_blocks, environment.lstrip_blocks, environment.newline_sequence,
            environment.keep_trailing_newline, environment.optimized, environment.autoescape,
            environment.is_async)


def cache_for(environment) -> ProcessBytecodeCache | None:
    """This process's bytecode cache for environments set up like ``environment`` (None: see
    :func:`settings`)."""
    key = settings(environment)
    return None if key is None else _caches.setdefault(key, ProcessBytecodeCache())


def _on_builder_inited(app) -> None:
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is not None and environment.bytecode_cache is None:
        environment.bytecode_cache = cache_for(environment)


def setup(app) -> dict[str, object]:
    """Register with Sphinx."""
    app.connect("builder-inited", _on_builder_inited)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
