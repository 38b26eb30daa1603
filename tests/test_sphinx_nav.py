"""A page's sidebar navigation is made once per process for each book outline: a later edition
gets, for every page, the navigation the theme made for it."""

import filecmp
import shutil

import yaml

from scicollab import builds, gallery, paths, regions, sphinx_nav


def test_a_later_edition_gets_each_pages_navigation_as_the_theme_makes_it(tmp_path, monkeypatch):
    from projects import chapter, make

    root = make(tmp_path / "repo", {"alpha": chapter("alpha"), "beta": chapter("beta")})
    config = root / "_config.yml"
    config.write_text(config.read_text().replace("scicollab.gallery]",
                                                 "scicollab.gallery, scicollab.sphinx_nav]"))
    monkeypatch.setattr(paths, "_root", root)
    first, second = regions.resolve("Kenya"), regions.resolve("Chile")
    monkeypatch.setattr(sphinx_nav, "_kept", type(sphinx_nav._kept)())

    [built] = builds.editions([first], workers=1, progress=False)
    assert built.status == "built", built.error
    pages = len(sphinx_nav._kept)
    assert pages >= 4  # the intro, two chapters, the search page
    [built] = builds.editions([second], workers=1, progress=False)
    assert built.status == "built", built.error
    assert len(sphinx_nav._kept) == pages  # each of its pages found its navigation
    kept_html = tmp_path / "kept"
    shutil.copytree(built.folder / "html", kept_html)

    sphinx_nav._kept.clear()  # the same edition again, every navigation made by the theme
    shutil.rmtree(gallery.edition_dir(second))
    [built] = builds.editions([second], workers=1, progress=False)
    assert built.status == "built", built.error
    compared = filecmp.dircmp(kept_html, built.folder / "html")
    pages_html = sorted(p.relative_to(kept_html) for p in kept_html.rglob("*.html"))
    assert len(pages_html) >= pages
    mismatched = [str(p) for p in pages_html
                  if not filecmp.cmp(kept_html / p, built.folder / "html" / p, shallow=False)]
    assert mismatched == [] and not compared.left_only and not compared.right_only
    assert "current active" in (kept_html / "notebooks" / "beta.html").read_text()


def test_the_book_loads_the_extension():
    config = yaml.safe_load((paths.root() / "_config.yml").read_text())
    assert "scicollab.sphinx_nav" in config["sphinx"]["extra_extensions"]
