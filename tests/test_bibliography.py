"""The bibliography: plain text (no LaTeX commands), months by name, each source document
cited by its own title rather than by an invented author."""

import re

from scicollab import paths


def _entries() -> dict[str, str]:
    text = (paths.root() / "book" / "references.bib").read_text()
    return {m.group(1): m.group(2) for m in
            re.finditer(r"@\w+\{(\w+),(.*?)\n\}", text, flags=re.DOTALL)}


def test_no_entry_holds_latex_commands_or_escaped_characters():
    for key, body in _entries().items():
        assert not re.search(r"\\[A-Za-z%&_#$]", body), f"{key} holds a LaTeX command or escape"


def test_months_are_bibtex_month_names_not_numbers():
    for key, body in _entries().items():
        month = re.search(r"month\s*=\s*([^,\n]+)", body)
        if month:
            assert re.fullmatch(r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
                                month.group(1).strip()), f"{key}: month {month.group(1)}"


def test_source_documents_are_cited_by_title_not_by_an_invented_author():
    entries = _entries()
    for key in ("doc_partnerships", "doc_policy_report"):
        assert "author" not in entries[key], f"{key}: the text names no author"
        assert "title" in entries[key]
    assert "Haar, Jerry" in entries["doc_haar2025"]
    assert "Unsigned" not in "".join(re.findall(r"author\s*=\s*\{(.*)\}",
                                                "\n".join(entries.values())))
