"""FAQ: every question has a data answer and a link to an existing chapter."""

from scicollab.chapters import catalogue, faq


def test_every_question_has_evidence_and_an_existing_chapter():
    found = faq.evidence("World")
    table = faq.questions()
    assert set(table["key"]) == set(found)
    assert set(table["chapter"]) <= set(catalogue.chapters())
    assert table["source"].str.len().gt(0).all()


def test_region_changes_the_importance_answer():
    assert "in Sub-Saharan Africa" in faq.evidence("Sub-Saharan Africa")["importance"]
    block = faq.numbers("World")["faq_block"]
    assert block.count("{doc}") == len(faq.questions())
