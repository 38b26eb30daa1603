"""One way to save a figure, and the page shows the very PNG that was saved."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from scicollab import figures

SPEC = figures.FigureSpec("test-figure", "A title", "A made-up caption.", "Nobody", "2020")


def test_the_page_shows_the_saved_png_at_screen_size(tmp_path):
    figures.apply_style()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([1, 2, 3], [3, 1, 2])
    files = figures.save(fig, SPEC, pd.DataFrame({"x": [1, 2, 3]}), tmp_path)
    plt.close(fig)
    assert sorted(p.suffix for p in files.values()) == [".csv", ".json", ".png", ".svg"]
    image = figures.page_image(files["png"])
    assert image.data == files["png"].read_bytes()
    width, _ = figures.png_size(image.data)
    ratio = plt.rcParams["savefig.dpi"] / plt.rcParams["figure.dpi"]
    assert image.width == round(width / ratio)
    assert image.height is None  # the height follows the width on narrow screens
    assert 300 < width < 4 * 200  # 4 inches at 200 dpi, trimmed to the drawn area


def test_png_size_refuses_other_data():
    with pytest.raises(ValueError, match="not PNG"):
        figures.png_size(b"<svg></svg>")


def test_png_and_svg_are_cropped_alike_and_keep_text_outside_the_axes(tmp_path):
    import re

    figures.apply_style()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([1, 2, 3], [3, 1, 2], label="a line")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2))  # below the axes, as chapters do
    files = figures.save(fig, SPEC, pd.DataFrame({"x": [1, 2, 3]}), tmp_path)
    plt.close(fig)
    width, height = figures.png_size(files["png"].read_bytes())
    svg = re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', files["svg"].read_text())
    svg_width, svg_height = float(svg.group(1)), float(svg.group(2))
    dpi = plt.rcParams["savefig.dpi"]
    assert width == pytest.approx(svg_width / 72 * dpi, abs=2)
    assert height == pytest.approx(svg_height / 72 * dpi, abs=2)
    assert height > 3 * dpi  # the legend below the axes is inside the crop, not cut off
