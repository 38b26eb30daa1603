"""Agg draws plain texts through layouts kept per process and a lean glyph loop, and the
pixels are matplotlib's own."""

import io

import matplotlib
import matplotlib.pyplot as plt
import pytest
from matplotlib.backends.backend_agg import RendererAgg

from scicollab import agg_text, figures


@pytest.fixture
def installed():
    """The house's text drawing, installed as a chapter has it."""
    figures.apply_style()
    assert agg_text.install()
    yield
    agg_text.install()


def _texts() -> plt.Figure:
    """Texts of every kind a chapter draws and a few it might: names with accents, rotated
    labels, bold and small texts, glyphs from a fallback font, one without antialiasing, and a
    math text (which matplotlib draws itself)."""
    fig, ax = plt.subplots(figsize=(5, 4))
    names = ["Côte d’Ivoire", "Türkiye", "São Tomé and Príncipe", "Korea, Rep.", "Kenya"]
    ax.barh(names, [3, 1, 4, 1, 5])
    ax.set_title("Works with a foreign co-author, 2000–2023", fontweight="bold")
    ax.set_xlabel(r"share of works, $\alpha = 0.05$")
    for angle in (0, 30, 90, 217.5):
        ax.text(1.3, 2, f"rotated {angle}°", rotation=angle, fontsize=7)
    ax.text(0.5, 0.5, "ℵ∮ mono with a fallback", family=["DejaVu Sans Mono", "DejaVu Sans"],
            transform=ax.transAxes)
    ax.text(0.1, 0.9, "not antialiased", antialiased=False, transform=ax.transAxes)
    fig.text(0.01, 0.01, "Source: World Bank (made-up test figure)", fontsize=6)
    return fig


def _pixels(fig: plt.Figure, dpi: float) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="rgba", dpi=dpi)
    return buffer.getvalue()


@pytest.mark.parametrize("dpi", [150, 300])
def test_texts_are_drawn_pixel_for_pixel_as_matplotlib_draws_them(installed, dpi):
    fig = _texts()
    ours = _pixels(fig, dpi)
    again = _pixels(fig, dpi)  # every text's layout now comes from the process's cache
    agg_text.uninstall()
    try:
        theirs = _pixels(fig, dpi)
    finally:
        agg_text.install()
        plt.close(fig)
    assert ours == theirs
    assert again == theirs


def test_a_text_drawn_again_is_not_laid_out_again(installed):
    agg_text._layout.cache_clear()
    fig = _texts()
    _pixels(fig, 150)
    first = agg_text._layout.cache_info()
    _pixels(fig, 150)
    second = agg_text._layout.cache_info()
    plt.close(fig)
    assert first.misses > 10
    assert second.misses == first.misses
    assert second.hits - first.hits == first.misses


def test_the_layout_is_kept_per_size_and_resolution(installed):
    """A text at another size or resolution is laid out anew: its glyphs sit elsewhere."""
    agg_text._layout.cache_clear()
    for size, dpi in ((9, 150), (9, 300), (12, 150)):
        fig = plt.figure(figsize=(2, 1))
        fig.text(0.1, 0.5, "Sub-Saharan Africa", fontsize=size)
        _pixels(fig, dpi)
        plt.close(fig)
    assert agg_text._layout.cache_info().currsize == 3


def test_another_matplotlib_keeps_its_own_text_drawing(monkeypatch):
    """When matplotlib's code is not the code this was checked against, nothing is replaced."""
    agg_text.uninstall()
    try:
        monkeypatch.setitem(agg_text.MATPLOTLIB_SOURCES, "draw_text", "0" * 16)
        own = RendererAgg.draw_text
        assert not agg_text.matches_matplotlib()
        assert not agg_text.install()
        assert RendererAgg.draw_text is own
    finally:
        monkeypatch.undo()
        agg_text.install()


def test_this_matplotlib_is_the_one_checked():
    """The matplotlib this project pins (3.11) is the one whose text drawing is replaced: a
    new release with other code fails here, to have its drawing checked and the digests
    renewed."""
    agg_text.uninstall()
    try:
        assert matplotlib.__version__.startswith("3.11.")
        assert agg_text.matches_matplotlib()
    finally:
        agg_text.install()
