"""Glued Markdown reuses one parser per format within an HTML build."""

from myst_nb.core import render
from myst_nb.sphinx_ import SphinxNbRenderer
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from scicollab.markdown_parsers import kept_parsers


def _tokens(parser, text: str) -> list:
    return [(t.type, t.tag, t.content, t.map) for t in parser.parse(text, {})]


def test_equal_settings_and_renderer_get_the_parser_made_before_only_within_the_block():
    original = render.create_md_parser
    with kept_parsers():
        first = render.create_md_parser(MdParserConfig(commonmark_only=True), SphinxNbRenderer)
        again = render.create_md_parser(MdParserConfig(commonmark_only=True), SphinxNbRenderer)
        other = render.create_md_parser(MdParserConfig(gfm_only=True), SphinxNbRenderer)
        assert again is first
        assert other is not first
        assert render.create_md_parser(MdParserConfig(gfm_only=True), SphinxNbRenderer) is other
    assert render.create_md_parser is original


def test_a_kept_parser_parses_each_text_as_a_new_parser_does():
    """Parsing keeps nothing between texts: after others, a text gives a new parser's tokens."""
    texts = ["**Kenya** spends *0.8%*", "- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |",
             "[link](https://example.org) and `code`\n\n> quote", "**Kenya** spends *0.8%*"]
    with kept_parsers():
        for settings in (MdParserConfig(commonmark_only=True), MdParserConfig(gfm_only=True)):
            for text in texts:
                kept = render.create_md_parser(settings, SphinxNbRenderer)
                assert _tokens(kept, text) == _tokens(
                    create_md_parser(settings, SphinxNbRenderer), text)
