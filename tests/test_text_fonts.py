"""Text layout finds each font properties' files and reads each font's height tables once per
process, and every text is placed where matplotlib's own lookups place it."""

import io

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.text
import pytest

from scicollab import figures, text_fonts


@pytest.fixture
def installed():
    """The house's font lookups, installed as a chapter has them."""
    figures.apply_style()
    assert text_fonts.install()
    yield
    text_fonts.install()


def _texts() -> plt.Figure:
    """Texts whose layout depends on their fonts' heights: families whose ascents and descents
    differ (DejaVu's, STIX's, Computer Modern's), sizes, weights, several lines at two
    spacings, a family this machine lacks (the default stands in), a list of families and the
    generic family the settings name."""
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.barh(["Côte d’Ivoire", "Türkiye", "Kenya"], [3, 1, 4])
    ax.set_title("Works with a foreign co-author\n2000–2023", fontweight="bold")
    families = ("STIXGeneral", "cmr10", "sans-serif", "No Such Font", ["cmss10", "DejaVu Sans"],
                "DejaVu Serif")
    for n, family in enumerate(families):
        ax.text(0.05, 0.05 + 0.15 * n, f"two lines in\n{family}", family=family,
                fontsize=6 + 2 * n, linespacing=1.0 + 0.3 * (n % 2), transform=ax.transAxes,
                bbox={"facecolor": "none"})
        ax.text(0.55, 0.05 + 0.15 * n, f"the same size\nin {family}", family=family,
                fontsize=12, linespacing=1.5, transform=ax.transAxes, bbox={"facecolor": "none"})
    fig.text(0.01, 0.01, "Source: World Bank (made-up test figure)", fontsize=6)
    return fig


def _drawn(fig: plt.Figure) -> tuple[bytes, bytes]:
    """The figure's pixels at 150 dpi and its SVG."""
    pixels, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(pixels, format="rgba", dpi=150)
    fig.savefig(svg, format="svg", metadata={"Date": None})
    return pixels.getvalue(), svg.getvalue()


def test_texts_are_placed_as_with_matplotlib_s_own_lookups(installed):
    fig = _texts()
    ours = _drawn(fig)
    again = _drawn(fig)  # every lookup now comes from the process's memory
    text_fonts.uninstall()
    try:
        theirs = _drawn(fig)
    finally:
        text_fonts.install()
        plt.close(fig)
    assert ours == theirs
    assert again == theirs


def test_a_font_setting_changed_finds_the_fonts_it_means(installed):
    """The fonts a generic family means follow the settings, as matplotlib's own lookups do."""
    drawn = {}
    for cm_first in (False, True, False):
        families = ["cmr10", "DejaVu Sans"] if cm_first else ["DejaVu Sans"]
        with matplotlib.rc_context({"font.sans-serif": families}):
            fig = _texts()
            drawn[cm_first] = _drawn(fig)
            text_fonts.uninstall()
            try:
                assert _drawn(fig) == drawn[cm_first]
            finally:
                text_fonts.install()
                plt.close(fig)
    assert drawn[True] != drawn[False]


class _Counting:
    """A font manager, or a font, whose lookups or table reads are counted."""

    def __init__(self, real, calls: list) -> None:
        self._real, self._calls = real, calls

    def __getattr__(self, name: str):
        return getattr(self._real, name)

    def _find_fonts_by_props(self, prop, *args, **kwargs):
        self._calls.append(prop)
        return self._real._find_fonts_by_props(prop, *args, **kwargs)

    def get_sfnt_table(self, name: str):
        self._calls.append(name)
        return self._real.get_sfnt_table(name)


def test_each_font_is_looked_up_once_for_layout(installed, monkeypatch):
    finder = matplotlib.text.fontManager
    text_fonts._found.clear()
    text_fonts._tables.clear()
    lookups, reads = [], []
    monkeypatch.setattr(finder, "_manager", _Counting(finder._manager, lookups))
    real = text_fonts._FontTables.__init__
    monkeypatch.setattr(text_fonts._FontTables, "__init__",
                        lambda self, font: real(self, _Counting(font, reads)))
    fig = _texts()
    _drawn(fig)
    first = len(lookups), len(reads)
    _drawn(fig)
    _drawn(fig)
    plt.close(fig)
    assert first[0] >= 5 and first[1] >= 2  # per distinct font properties, not per text
    assert (len(lookups), len(reads)) == first


def test_another_matplotlib_keeps_its_own_lookups(monkeypatch):
    """When matplotlib's layout is not the code this was checked against, nothing is replaced."""
    text_fonts.uninstall()
    try:
        monkeypatch.setattr(text_fonts, "MATPLOTLIB_SOURCE", "0" * 16)
        own = matplotlib.text.fontManager, matplotlib.text.get_font
        assert not text_fonts.install()
        assert (matplotlib.text.fontManager, matplotlib.text.get_font) == own
    finally:
        monkeypatch.undo()
        text_fonts.install()


def test_this_matplotlib_is_the_one_checked():
    """The pinned matplotlib (3.11) is the one whose lookups are kept: a release with other
    layout code fails here, to be checked and its digest renewed."""
    assert matplotlib.__version__.startswith("3.11.")
    assert text_fonts.matches_matplotlib()
