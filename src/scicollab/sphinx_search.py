"""A Sphinx extension: the English search index stems each distinct word once per process.

Sphinx's English search language stems every word of every page with the Porter stemmer, in pure
Python, once per occurrence: a tenth of an edition's HTML build. A word's stem never changes, so
this extension registers, for English, the same search language with the same stemmer that
remembers the stems it has given; a worker building edition after edition reuses them. The
search index is the same.
"""

from __future__ import annotations

from sphinx.search.en import SearchEnglish

MAX_STEMS = 200_000  # distinct words remembered (the book has about ten thousand)
_stems: dict[str, str] = {}


class RememberingEnglish(SearchEnglish):
    """Sphinx's English search language, remembering the stem of each word."""

    def stem(self, word: str) -> str:
        """The word's stem, as the Porter stemmer gives it, computed once per process."""
        found = _stems.get(word)
        if found is None:
            if len(_stems) >= MAX_STEMS:
                _stems.clear()
            found = _stems[word] = super().stem(word)
        return found


def setup(app) -> dict[str, object]:
    """Register with Sphinx."""
    app.add_search_language(RememberingEnglish)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
