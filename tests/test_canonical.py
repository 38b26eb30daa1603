"""The book's address: one setting each in _config.yml, None when unset, never invented."""

import pytest

from scicollab import canonical, paths
from scicollab.errors import ScicollabError


def _project(tmp_path, html: str, repository: str = ""):
    (tmp_path / "_config.yml").write_text(
        f"title: t\nhtml:\n  baseurl: {html}\nrepository:\n  url: {repository}\n")
    return tmp_path


def test_the_committed_configuration_names_no_made_up_address():
    text = (paths.root() / "_config.yml").read_text()
    assert "example.org" not in text and "example.com" not in text
    assert canonical.canonical_url() is None, "unpublished: no canonical link"
    assert canonical.repository_url() is None


def test_a_set_address_is_returned_with_one_trailing_slash(tmp_path):
    root = _project(tmp_path, '"https://owner.github.io/scicollab"',
                    "https://github.com/owner/scicollab/")
    assert canonical.canonical_url(root) == "https://owner.github.io/scicollab/"
    assert canonical.repository_url(root) == "https://github.com/owner/scicollab/"


@pytest.mark.parametrize("empty", ['""', "", "'  '"])
def test_an_empty_setting_means_no_address(tmp_path, empty):
    assert canonical.canonical_url(_project(tmp_path, empty)) is None


def test_a_setting_that_is_not_a_url_is_refused_with_the_file_and_key(tmp_path):
    with pytest.raises(ScicollabError, match=r"_config.yml: html.baseurl is 'scicollab/'"):
        canonical.canonical_url(_project(tmp_path, "scicollab/"))
    with pytest.raises(ScicollabError, match="not an http"):
        canonical.canonical_url(_project(tmp_path, "javascript:alert(1)"))
