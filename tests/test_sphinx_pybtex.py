"""pybtex's plugins are registered once, and lookups then return the entry points' classes."""

from importlib.metadata import entry_points

import yaml
from pybtex.plugin import _DEFAULT_PLUGINS, find_plugin

from scicollab import paths, sphinx_pybtex


def test_registered_plugins_are_the_entry_points_own_classes():
    assert sphinx_pybtex.register_pybtex_plugins() > 10
    checked = 0
    for group in _DEFAULT_PLUGINS:
        for entry in entry_points(group=group):
            assert find_plugin(group, entry.name) is entry.load(), (group, entry.name)
            checked += 1
    assert checked > 10
    assert find_plugin("pybtex.database.input", filename="refs.bib").__name__ == "Parser"


def test_the_book_loads_the_extension():
    config = yaml.safe_load((paths.root() / "_config.yml").read_text())
    assert "scicollab.sphinx_pybtex" in config["sphinx"]["extra_extensions"]
