"""The book's configuration is read in one place: a fresh copy each time, a broken file refused
in one line naming it, the same refusal for every command that needs it."""

import pytest

from scicollab import book_config, brief, paths
from scicollab.errors import ScicollabError


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder of its own, this process's root while the test runs."""
    (tmp_path / "_toc.yml").write_text("root: intro\n")
    (tmp_path / "notebooks").mkdir()
    monkeypatch.setattr(paths, "_root", None)
    paths.set_root(tmp_path)
    return tmp_path


def test_each_read_is_a_fresh_copy_of_the_committed_configuration():
    first = book_config.read()
    assert first["title"]
    first["title"] = "changed by a caller"
    first.setdefault("sphinx", {})["config"] = {}
    again = book_config.read()
    assert again["title"] != "changed by a caller"
    assert again["sphinx"].get("config"), "a caller's change stays in its own copy"


@pytest.mark.parametrize("text, why", [
    ("title: [unclosed\n", "cannot read"),
    ("- a list\n- of settings\n", "not a mapping"),
    (b"title: \xff\xfe\n", "cannot read"),
])
def test_a_broken_configuration_is_refused_naming_the_file(project, text, why):
    path = project / "_config.yml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    with pytest.raises(ScicollabError, match=rf"_config.yml: .*{why}") as caught:
        book_config.read()
    assert "\n" not in str(caught.value)


def test_a_missing_configuration_is_refused_naming_the_file(project):
    with pytest.raises(ScicollabError, match=r"_config.yml: cannot read"):
        book_config.read()


def test_an_empty_configuration_is_no_settings(project):
    (project / "_config.yml").write_text("")
    assert book_config.read() == {}


def test_a_brief_packs_citation_takes_the_checked_address(project):
    """Brief packs read the book's address as the pages do: one trailing slash, and an address
    that is not a URL refused rather than written into a citation."""
    config = project / "_config.yml"
    config.write_text('title: T\nauthor: A\nhtml:\n  baseurl: "https://owner.github.io/book//"\n')
    assert brief.book_identity()["baseurl"] == "https://owner.github.io/book/"
    config.write_text("title: T\nhtml:\n  baseurl: 'javascript:alert(1)'\n")
    with pytest.raises(ScicollabError, match=r"html\.baseurl .* not an http"):
        brief.book_identity()
