"""The search index stems each word once per process, with Sphinx's own English stemmer."""

import yaml
from sphinx.search.en import SearchEnglish

from scicollab import paths, sphinx_search

WORDS = ["collaboration", "collaborating", "Countries", "funding", "funded", "R&D", "trust",
         "GERD", "running", "economies"]


def test_the_stems_are_sphinxs_own():
    remembering, plain = sphinx_search.RememberingEnglish({}), SearchEnglish({})
    assert [remembering.stem(w) for w in WORDS] == [plain.stem(w) for w in WORDS]


def test_a_word_is_stemmed_once_then_remembered(monkeypatch):
    calls = []
    original = SearchEnglish.stem
    monkeypatch.setattr(SearchEnglish, "stem",
                        lambda self, word: calls.append(word) or original(self, word))
    sphinx_search._stems.clear()
    first, second = sphinx_search.RememberingEnglish({}), sphinx_search.RememberingEnglish({})
    stems = [first.stem("partnerships"), first.stem("partnerships"),
             second.stem("partnerships")]  # a later build's index, in the same process
    assert stems == ["partnership"] * 3 and calls == ["partnerships"]


def test_the_book_searches_in_english_with_the_remembering_stemmer():
    from sphinx.search import languages

    class App:
        def add_search_language(self, cls):
            languages[cls.lang] = cls

    sphinx_search.setup(App())
    assert languages["en"] is sphinx_search.RememberingEnglish
    config = yaml.safe_load((paths.root() / "_config.yml").read_text())
    assert "scicollab.sphinx_search" in config["sphinx"]["extra_extensions"]
