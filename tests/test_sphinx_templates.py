"""Page templates are compiled once per process: a later build's Jinja environment loads the code
an earlier one compiled, and a changed template, or an environment set up otherwise, compiles."""

import yaml
from jinja2 import FileSystemLoader
from jinja2.sandbox import SandboxedEnvironment

from scicollab import paths, sphinx_templates


def _environment(folder, **settings) -> SandboxedEnvironment:
    """A Jinja environment as Sphinx makes one for each build, given the extension's cache."""
    environment = SandboxedEnvironment(loader=FileSystemLoader(str(folder)), **settings)

    class App:
        class builder:
            class templates:
                pass

    App.builder.templates.environment = environment
    sphinx_templates._on_builder_inited(App)
    return environment


def _compiled(monkeypatch) -> list[str]:
    """The names of the templates Jinja compiles from now on."""
    names: list[str] = []
    original = SandboxedEnvironment.compile

    def compile_(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(SandboxedEnvironment, "compile", compile_)
    return names


def test_a_later_build_renders_the_template_an_earlier_one_compiled(tmp_path, monkeypatch):
    (tmp_path / "page.html").write_text(
        "<h1>{{ title|e }}</h1>{% for x in items %}{{ x }}{% endfor %}")
    sphinx_templates._caches.clear()
    compiled = _compiled(monkeypatch)
    first = _environment(tmp_path).get_template("page.html").render(title="A & B", items=[1, 2])
    second = _environment(tmp_path).get_template("page.html").render(title="A & B", items=[1, 2])
    assert first == second == "<h1>A &amp; B</h1>12"
    assert compiled == ["page.html"]


def test_a_changed_template_or_an_environment_set_up_otherwise_is_compiled_again(tmp_path,
                                                                                 monkeypatch):
    template = tmp_path / "page.html"
    template.write_text("<p>{{ title }}</p>")
    sphinx_templates._caches.clear()
    compiled = _compiled(monkeypatch)
    assert _environment(tmp_path).get_template("page.html").render(title="x") == "<p>x</p>"
    template.write_text("<p>{{ title }}!</p>")
    assert _environment(tmp_path).get_template("page.html").render(title="x") == "<p>x!</p>"
    trimmed = _environment(tmp_path, trim_blocks=True)
    assert trimmed.get_template("page.html").render(title="x") == "<p>x!</p>"
    assert compiled == ["page.html"] * 3
    assert len(sphinx_templates._caches) == 2


def test_an_environment_that_escapes_by_a_function_of_its_own_gets_no_shared_cache(tmp_path):
    environment = _environment(tmp_path, autoescape=lambda name: True)
    assert environment.bytecode_cache is None


def test_the_book_loads_the_extension():
    config = yaml.safe_load((paths.root() / "_config.yml").read_text())
    assert "scicollab.sphinx_templates" in config["sphinx"]["extra_extensions"]
