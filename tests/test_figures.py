"""One way to save a figure, and the page shows the very PNG that was saved."""

import hashlib
import io

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from scicollab import figures, labels, rendering, svg_files

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



def _drawn_box(image) -> tuple[int, int, int, int]:
    """Left, top, right, bottom of the pixels that are not the background."""
    pixels = np.asarray(image.convert("RGB")).astype(int)
    drawn = np.abs(pixels - pixels[0, 0]).sum(axis=2) > 0
    rows, columns = np.flatnonzero(drawn.any(axis=1)), np.flatnonzero(drawn.any(axis=0))
    return columns[0], rows[0], columns[-1] + 1, rows[-1] + 1


@pytest.fixture
def measured(monkeypatch) -> list:
    """The figures whose box matplotlib measured (rendering.tight_bbox), in order."""
    tight_bbox, calls = rendering.tight_bbox, []
    monkeypatch.setattr(rendering, "tight_bbox", lambda f: calls.append(f) or tight_bbox(f))
    return calls


def test_the_crop_holds_what_is_drawn_outside_the_figure_with_the_house_padding(measured):
    figures.apply_style()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([1, 2, 3], [3, 1, 2], label="a line")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1))  # beyond the figure's right edge
    fig.text(0.0, -0.12, "Source: a note below the figure")
    image, bbox = rendering.render(fig)
    tight = fig.get_tightbbox(fig.canvas.get_renderer()).padded(
        plt.rcParams["savefig.pad_inches"])
    plt.close(fig)
    assert not measured, "one drawing, no box measured by matplotlib"
    dpi = plt.rcParams["savefig.dpi"]
    assert bbox.x1 > 4.2 and bbox.y0 < -0.2, "the legend and the note are inside the crop"
    # the same box as matplotlib's tight one, to within what invisible padding of a text adds
    assert np.allclose(bbox.extents, tight.extents, atol=0.1)
    assert image.size == (round(bbox.width * dpi), round(bbox.height * dpi))
    pad = round(plt.rcParams["savefig.pad_inches"] * dpi)
    left, top, right, bottom = _drawn_box(image)
    assert (left, top, image.width - right, image.height - bottom) == (pad, pad, pad, pad)


def test_something_drawn_far_outside_the_figure_is_kept_by_measuring_the_box(measured):
    figures.apply_style()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([1, 2, 3], [3, 1, 2])
    far = rendering.CANVAS_MARGIN + 1.0  # inches beyond the right edge: off the padded canvas
    fig.text(1 + far / 4, 0.5, "far away")
    image, bbox = rendering.render(fig)
    plt.close(fig)
    assert measured == [fig]
    assert bbox.x1 > 4 + far, "the text is in the crop"
    _, _, right, _ = _drawn_box(image)
    assert right > image.width * 0.9


def test_a_rendered_image_keeps_its_pixels_when_the_figure_is_drawn_again(measured):
    """The image is read out of Agg's own buffer (the canvas is not copied): it must own its
    pixels, not share the buffer that the next drawing of the figure at that size paints over.
    (Drawn in the measured box, the image is the whole buffer, which PIL would share.)"""
    figures.apply_style()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([1, 2, 3], [3, 1, 2])
    fig.text(1 + (rendering.CANVAS_MARGIN + 1.0) / 4, 0.5, "far away")
    image, bbox = rendering.render(fig)
    before = image.tobytes()
    fig.set_facecolor("black")
    repainted = io.BytesIO()
    fig.savefig(repainted, format="rgba", bbox_inches=bbox)
    plt.close(fig)
    assert measured == [fig]
    assert repainted.getvalue() != before, "the second drawing differs"
    assert image.tobytes() == before


@pytest.fixture
def drawn(monkeypatch) -> list:
    """The figures drawn (Figure.draw), in order, one entry per drawing."""
    from matplotlib.figure import Figure

    calls, draw = [], Figure.draw

    def counted(self, renderer):
        calls.append(self)
        return draw(self, renderer)

    monkeypatch.setattr(Figure, "draw", counted)
    return calls


def _bars(layout: str | None = None):
    fig, ax = plt.subplots(figsize=(4, 3), layout=layout)
    ax.barh(range(12), np.arange(12) - 4, tick_label=[f"economy {i}" for i in range(12)])
    ax.set_xlabel("change")
    fig.suptitle("A title")
    return fig


def test_a_figure_laid_out_by_tight_layout_is_drawn_once_per_file_and_the_same(
        monkeypatch, drawn):
    """tight_layout leaves a placeholder layout engine, for which every savefig would draw the
    figure twice (the first time to let an engine lay it out). Rendered without it, the PNG
    and the SVG are drawn once each, come out byte for byte as with it, and the figure keeps
    its engine."""
    import contextlib

    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    figures.apply_style()
    fig = _bars()
    fig.tight_layout()
    engine = fig.get_layout_engine()
    assert isinstance(engine, PlaceHolderLayoutEngine)
    png, svg, _ = figures._render(fig, "fig-a")
    assert len(drawn) == 2, "one drawing for the PNG, one for the SVG"
    assert fig.get_layout_engine() is engine
    plt.close(fig)

    monkeypatch.setattr(rendering, "laid_out_once", lambda fig: contextlib.nullcontext())
    fig = _bars()
    fig.tight_layout()
    drawn.clear()
    assert figures._render(fig, "fig-a")[:2] == (png, svg)
    assert len(drawn) == 4, "savefig draws a figure with a layout engine twice"
    plt.close(fig)


def test_each_plain_text_is_measured_once_per_process_and_the_files_stay_the_same(
        monkeypatch):
    """The PNG's renderers (layout, enlarged canvas, placement check) and the SVG's share one
    measurement of each plain text: a second figure with the same texts has FreeType lay out
    none of them again, and the files are byte for byte those drawn with matplotlib's own
    measurement per renderer."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.backends.backend_svg import RendererSVG

    figures.apply_style()
    rendering._plain_text_size.cache_clear()
    measured = []
    for kind in (RendererAgg, RendererSVG):
        original = rendering._measures[kind]
        monkeypatch.setitem(rendering._measures, kind,
                            lambda *a, _m=original, _k=kind: measured.append(_k) or _m(*a))
    fig = _bars()
    png, svg, _ = figures._render(fig, "fig-a")
    plt.close(fig)
    first = len(measured)
    assert {RendererAgg, RendererSVG} <= set(measured)
    fig = _bars()
    assert figures._render(fig, "fig-a")[:2] == (png, svg)
    plt.close(fig)
    assert len(measured) == first, "the second figure's texts were measured again"

    for kind in (RendererAgg, RendererSVG):
        monkeypatch.setattr(kind, "get_text_width_height_descent", rendering._measures[kind])
    fig = _bars()
    assert figures._render(fig, "fig-a")[:2] == (png, svg)
    plt.close(fig)


def test_a_text_is_measured_anew_under_other_font_settings():
    """The shared measurement is keyed on the settings that decide a text's size: a generic
    family pointed at another font measures as matplotlib would, not as cached."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    figures.apply_style()
    renderer = RendererAgg(10, 10, 150)
    original = rendering._measures[RendererAgg]
    prop = FontProperties(family="sans-serif", size=10)
    sizes = []
    for fonts in (["DejaVu Sans"], ["DejaVu Serif"]):
        with plt.rc_context({"font.sans-serif": fonts}):
            shared = renderer.get_text_width_height_descent("Sub-Saharan Africa", prop, False)
            assert shared == original(renderer, "Sub-Saharan Africa", prop, False)
            sizes.append(shared)
    assert sizes[0] != sizes[1]


def test_a_constrained_layout_is_computed_once_for_the_png_and_the_svg(monkeypatch, drawn):
    """A constrained layout is computed once, at the PNG's resolution: the PNG is the one
    savefig makes when the engine lays the figure out itself, the SVG is placed the same way
    (its axes as wide as the PNG's), and the figure keeps its engine."""
    import contextlib
    import re

    from matplotlib.layout_engine import ConstrainedLayoutEngine

    figures.apply_style()
    fig = _bars("constrained")
    png, svg, _ = figures._render(fig, "fig-a")
    assert len(drawn) == 2
    assert isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine)
    once = fig.axes[0].get_position().bounds
    plt.close(fig)

    monkeypatch.setattr(rendering, "laid_out_once", lambda fig: contextlib.nullcontext())
    fig = _bars("constrained")
    drawn.clear()
    engine_png, _, _ = figures._render(fig, "fig-a")
    assert len(drawn) == 4
    plt.close(fig)
    assert engine_png == png

    def axes_box(text: str) -> list[float]:
        path = re.search(r'<g id="patch_2">\s*<path d="([^"]+)"', text).group(1)
        return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", path)]

    xs = axes_box(svg)[0::2]
    assert max(xs) - min(xs) == pytest.approx(once[2] * fig.get_size_inches()[0] * 72, abs=0.02)


def test_a_figure_legend_stays_where_the_figure_puts_it_whatever_the_crop():
    from matplotlib.patches import Patch

    figures.apply_style()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([1, 2, 3], [3, 1, 2])
    fig.text(1.02, 1.05, "a note past the top right corner")  # the crop reaches beyond it
    colour = (204, 121, 167)  # only the legend's patch has it
    legend = fig.legend(handles=[Patch(color=np.array(colour) / 255, label="a patch")],
                        loc="upper right")
    image, bbox = rendering.render(fig)
    box = legend.get_window_extent(fig.canvas.get_renderer()).transformed(
        fig.dpi_scale_trans.inverted())
    plt.close(fig)
    dpi = plt.rcParams["savefig.dpi"]
    pixels = np.asarray(image.convert("RGB")).astype(int)
    patch = np.flatnonzero((np.abs(pixels - colour).sum(axis=2) < 6).any(axis=0))
    # the patch is drawn where the figure's layout put the legend, in the crop's pixels; a
    # legend anchored to the drawn box would have moved up and right with the note
    assert patch.size
    assert (box.x0 - bbox.x0) * dpi <= patch[0] and patch[-1] <= (box.x1 - bbox.x0) * dpi
    assert box.x1 < 4.0 < bbox.x1


def _frame():
    return pd.DataFrame({"iso3": list("ABCDEFGH"), "name": [f"Economy {c}" for c in "ABCDEFGH"],
                         "in_region": [True, False] * 4, "size": range(8),
                         "x": [1, 2, 3, 4, 5, 6, 7, 30], "y": [1, 2, 1, 2, 1, 2, 1, 2]})


def test_labels_go_to_the_largest_economies_and_the_ones_asked_for():
    named = figures.pick_labels(_frame(), size="size", top=2, extra=["A"])
    assert list(named["iso3"]) == ["A", "G", "H"]
    members = figures.pick_labels(_frame(), size="size", highlight=True, limit=3)
    assert set(members["iso3"]) == {"C", "E", "G"}  # members only, largest first, at most 3


def test_outliers_are_the_points_far_from_the_cloud():
    assert figures.outliers(_frame(), "x", "y", k=1) == ["H"]


def test_point_labels_do_not_overlap(tmp_path):
    figures.apply_style()
    fig, ax = plt.subplots(figsize=(4, 3))
    data = pd.DataFrame({"x": [1, 1.05, 1.1, 1.15, 5], "y": [1, 1.02, 1.04, 1.06, 3],
                         "name": ["First economy", "Second", "Third one", "Fourth", "Fifth"]})
    ax.scatter(data["x"], data["y"])
    texts = labels.label_points(ax, data, "x", "y")
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]
    overlaps = [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes))
                if boxes[i].overlaps(boxes[j])]
    plt.close(fig)
    assert not overlaps


def test_names_stay_inside_the_axes_and_off_the_named_points():
    figures.apply_style()
    fig, ax = plt.subplots(figsize=(4, 3))
    data = pd.DataFrame({"x": [0, 0.2, 0.4, 9.6, 9.8, 10], "y": [0, 0.1, 0.2, 9.8, 9.9, 10],
                         "name": ["Bottom left economy", "Second", "Third", "Fourth",
                                  "Fifth", "Top right economy"]})
    ax.scatter(data["x"], data["y"], s=40)
    texts = labels.label_points(ax, data, "x", "y")
    renderer = fig.canvas.get_renderer()
    area = ax.get_window_extent(renderer)
    boxes = [t.get_window_extent(renderer) for t in texts]
    points = ax.transData.transform(data[["x", "y"]].to_numpy(float))
    plt.close(fig)
    assert all(area.x0 - 1 <= b.x0 and b.x1 <= area.x1 + 1 and area.y0 - 1 <= b.y0
               and b.y1 <= area.y1 + 1 for b in boxes)
    assert not [(i, j) for i, b in enumerate(boxes) for j, (px, py) in enumerate(points)
                if b.contains(px, py)]


def test_a_name_never_covers_an_unnamed_member_and_sits_nearest_its_own_point():
    figures.apply_style()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.scatter([0, 10], [0, 10], s=18, color="grey", zorder=2)  # the grey context
    # an unnamed member above and right of the named one: a name in the first place tried
    # (right of its point) would cover nothing but sit nearer that member than its own point
    members = pd.DataFrame({"x": [5.0, 5.6], "y": [5.0, 5.5], "name": ["Named economy", ""]})
    ax.scatter(members["x"], members["y"], s=40, zorder=3)  # members, one of them named
    [text] = labels.label_points(ax, members.iloc[:1], "x", "y")
    renderer = fig.canvas.get_renderer()
    box = text.get_window_extent(renderer)
    points = ax.transData.transform(members[["x", "y"]].to_numpy(float))
    plt.close(fig)

    def distance(px, py):
        return np.hypot(max(box.x0 - px, 0, px - box.x1), max(box.y0 - py, 0, py - box.y1))

    half = np.sqrt(40) / 2 * fig.dpi / 72
    assert not [p for p in points[1:] if box.overlaps(
        type(box).from_extents(p[0] - half, p[1] - half, p[0] + half, p[1] + half))]
    assert distance(*points[0]) < min(distance(*p) for p in points[1:])


@pytest.mark.parametrize(("dpi", "mode"), [(150, "P"), (300, "RGB")])
def test_screen_pngs_have_a_palette_and_print_pngs_full_colour(tmp_path, dpi, mode):
    from PIL import Image

    figures.apply_style()
    plt.rcParams["savefig.dpi"] = dpi
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.fill_between([0, 1, 2], [0, 1, 0], color="C0", alpha=0.3)
    files = figures.save(fig, SPEC, pd.DataFrame({"x": [1]}), tmp_path)
    plt.close(fig)
    with Image.open(files["png"]) as image:
        assert image.mode.startswith(mode)
        assert round(image.info["dpi"][0]) == dpi and image.info["Title"] == SPEC.id


@pytest.mark.parametrize(("dpi", "mode"), [(150, "P"), (300, "RGBA")])
def test_an_svgs_raster_part_has_a_palette_on_screen_and_full_colour_for_print(tmp_path, dpi,
                                                                               mode):
    import base64
    import io

    from PIL import Image

    figures.apply_style()
    plt.rcParams["savefig.dpi"] = dpi
    fig, ax = plt.subplots(figsize=(4, 3))
    grid = np.add.outer(np.arange(60), np.arange(80)) / 140  # a smooth gradient: many colours
    ax.pcolormesh(grid, cmap="viridis", rasterized=True)
    files = figures.save(fig, SPEC, pd.DataFrame({"x": [1]}), tmp_path)
    plt.close(fig)
    text = files["svg"].read_text()
    embedded = svg_files.EMBEDDED_PNG.findall(text)
    assert len(embedded) == 1
    with Image.open(io.BytesIO(base64.b64decode(embedded[0][1]))) as image:
        assert image.mode == mode
        assert image.size[0] > 3 * dpi * 0.5  # still drawn at the figure's resolution
    assert text.count("<image") == 1 and "<text" in text  # the rest stays vector


def test_line_end_labels_are_spread_apart_where_lines_converge():
    figures.apply_style()
    fig, ax = plt.subplots(figsize=(4, 3))
    data = pd.DataFrame({"year": [2000, 2001] * 3, "v": [1, 10, 1, 10.05, 1, 10.1],
                         "line": ["a", "a", "b", "b", "c", "c"]})
    figures.lines(ax, data, "year", "v", "line")
    labels = [t for t in ax.texts if t.get_text() in "abc"]
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in labels]
    plt.close(fig)
    assert len(labels) == 3
    assert not any(boxes[i].overlaps(boxes[j]) for i in range(3) for j in range(i + 1, 3))


def test_every_income_group_has_its_own_colour_and_marker_with_high_income_gold():
    assert figures.INCOME_COLOURS["High income"] == figures.OKABE_ITO["orange"]
    assert len(set(figures.INCOME_COLOURS.values())) == len(figures.INCOME_COLOURS)
    assert len(set(figures.INCOME_MARKERS.values())) == len(figures.INCOME_MARKERS)


def test_the_theme_is_seaborn_with_the_okabe_ito_palette():
    import matplotlib as mpl
    from matplotlib.colors import to_hex

    figures.apply_style()
    cycle = [to_hex(c) for c in mpl.rcParams["axes.prop_cycle"].by_key()["color"]]
    assert cycle == [c.lower() for c in figures.OKABE_ITO.values()]
    assert mpl.rcParams["axes.facecolor"] == "white" and mpl.rcParams["axes.grid"]
    assert mpl.rcParams["font.size"] >= figures.MIN_FONT_PT


def test_a_heatmap_leaves_missing_cells_blank_and_writes_values_readably(tmp_path):
    from matplotlib.colors import LinearSegmentedColormap

    figures.apply_style()
    frame = pd.DataFrame([[0.0, 100.0, np.nan], [50.0, np.nan, 10.0]], index=["a", "b"],
                         columns=[2001, 2002, 2003])
    fig, ax = plt.subplots()
    cmap = LinearSegmentedColormap.from_list("test", ["#FFFFFF", "#000000"])
    figures.heatmap(ax, frame, cmap, 0, 100, annotate="{:.0f}")
    texts = {t.get_text(): t.get_color() for t in ax.texts}
    assert sorted(texts) == ["0", "10", "100", "50"]  # one per value, none for a gap
    assert texts["0"] == ".15" and texts["100"] == "white"  # dark on light, white on dark
    mesh = ax.collections[0].get_array()
    assert mesh.mask.tolist() == [[False, False, True], [False, True, False]]
    assert ax.get_ylim() == (2, 0)  # the first row at the top
    assert not any(line.get_visible() for line in [*ax.get_xgridlines(), *ax.get_ygridlines()])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2001", "2002", "2003"]
    plt.close(fig)
    fig, ax = plt.subplots()
    figures.heatmap(ax, frame, cmap, 0, 100, labels=False)
    assert not ax.texts and not ax.get_xticks().size and not ax.get_yticks().size
    plt.close(fig)


def test_a_log_axis_has_its_major_ticks_only():
    from matplotlib import ticker

    fig, ax = plt.subplots()
    ax.plot([1, 1000], [0.3, 30])
    figures.log_axis(ax, "y", ticker.FuncFormatter(lambda v, _p: f"×{v:g}"), subs=(1, 2, 5))
    figures.money_axis(ax, "x")
    fig.canvas.draw()
    assert not ax.xaxis.get_minorticklocs().size and not ax.yaxis.get_minorticklocs().size
    shown = [t.get_text() for t in ax.get_yticklabels()
             if ax.get_ylim()[0] <= t.get_position()[1] <= ax.get_ylim()[1]]
    assert shown[:4] == ["×0.5", "×1", "×2", "×5"]
    assert "$1K" in [t.get_text() for t in ax.get_xticklabels()]
    plt.close(fig)


def test_the_smallest_font_saved_is_that_of_the_smallest_text_drawn():
    """A hidden axis's tick labels are texts of the figure, but no reader sees them."""
    figures.apply_style()
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    ax.set_title("A line", fontsize=12)
    ax.tick_params(axis="x", labelsize=9)
    ax.tick_params(axis="y", labelsize=5)
    ax.yaxis.set_visible(False)
    assert figures._render(fig, "fig-a")[2] == 9
    plt.close(fig)


CHAPTER_FIGURES = [
    ("gerd", lambda m, r: [m.figure(m.analyse(r).proxy, r), m.share_map(r)]),
    ("trust", lambda m, r: [m.figure(m.analyse(r))]),
    ("barriers", lambda m, r: [m.figure(m.analyse(r))]),
    ("data_gaps", lambda m, r: [m.shares_figure(a := m.analyse(r)), m.countries_figure(a),
                                m.coverage_map(a)]),
    ("capacity_building", lambda m, r: [m.figure(m.analyse(r))]),
    ("landscape", lambda m, r: [m.producers_figure(m.analyse(r))]),
]


@pytest.mark.parametrize("region", ["World", "Sub-Saharan Africa"])
@pytest.mark.parametrize(("chapter", "draw"), CHAPTER_FIGURES, ids=[c for c, _ in CHAPTER_FIGURES])
def test_no_chapter_figure_has_text_under_the_house_minimum(chapter, draw, region):
    import importlib

    from scicollab import regions

    figures.apply_style()
    module = importlib.import_module(f"scicollab.chapters.{chapter}")
    for fig, spec, _ in draw(module, regions.resolve(region)):
        smallest = figures._render(fig, spec.id)[2]  # the smallest text drawn, as saved
        plt.close(fig)
        assert smallest >= figures.MIN_FONT_PT, f"{spec.id}: {smallest} pt"


@pytest.mark.parametrize(("chapter", "draw"), CHAPTER_FIGURES, ids=[c for c, _ in CHAPTER_FIGURES])
def test_no_title_meets_a_tick_label_with_titles_placed_at_the_top_of_their_axes(chapter, draw):
    """The house style fixes titles at the top of their axes (matplotlib would otherwise measure
    every axis again at each drawing to lift a title over tick labels drawn on top)."""
    import importlib

    from scicollab import regions

    figures.apply_style()
    module = importlib.import_module(f"scicollab.chapters.{chapter}")
    for fig, spec, _ in draw(module, regions.resolve("Sub-Saharan Africa")):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        for ax in fig.axes:
            assert ax._autotitlepos is False
            title = ax.title.get_window_extent(renderer)
            low_x, high_x = sorted(ax.get_xlim())
            low_y, high_y = sorted(ax.get_ylim())
            drawn = [t for t in ax.get_xticklabels() if low_x <= t.get_position()[0] <= high_x]
            drawn += [t for t in ax.get_yticklabels() if low_y <= t.get_position()[1] <= high_y]
            labels = [t.get_window_extent(renderer) for t in drawn
                      if t.get_visible() and t.get_text()]
            assert not ax.get_title() or not any(title.overlaps(box) for box in labels), spec.id
        plt.close(fig)


NAMED_SCATTERS = [
    ("gerd", lambda m, r: m.figure(m.analyse(r).proxy, r), "gerd_usd", "share"),
    ("capacity_building", lambda m, r: m.figure(m.analyse(r)), "researchers_per_million",
     "ratio"),
]


@pytest.mark.parametrize("region", ["World", "Sub-Saharan Africa", "Kenya"])
@pytest.mark.parametrize(("chapter", "draw", "x", "y"), NAMED_SCATTERS,
                         ids=[c for c, *_ in NAMED_SCATTERS])
def test_each_name_sits_by_its_own_point_or_is_joined_to_it(chapter, draw, x, y, region):
    import importlib

    from scicollab import regions

    figures.apply_style()
    module = importlib.import_module(f"scicollab.chapters.{chapter}")
    fig, _, data = draw(module, regions.resolve(region))
    ax = fig.axes[0]
    fig.canvas.draw()
    per_point = fig.dpi / 72
    leaders = [line for line in ax.lines if line.get_zorder() == 2.5]
    named = data[data["labelled"]]
    assert len(named) or region == "Kenya"  # no GERD value for Kenya in the GERD scatter's years
    for row in named.itertuples():
        [text] = [t for t in ax.texts if t.get_text() == row.name]
        box = text.get_window_extent()
        px, py = ax.transData.transform((getattr(row, x), getattr(row, y)))
        gap = np.hypot(max(box.x0 - px, 0, px - box.x1), max(box.y0 - py, 0, py - box.y1))
        joined = any(np.allclose(ax.transData.transform(line.get_xydata()[0]), (px, py),
                                 atol=1) for line in leaders)
        assert gap <= labels.LEADER_FROM * per_point or joined, (row.name, gap / per_point)
    plt.close(fig)


def test_barrier_bars_take_their_colours_from_the_analysis_classification():
    from matplotlib.colors import to_hex

    from scicollab.chapters import barriers

    figures.apply_style()
    result = barriers.analyse("World")
    fig, _, data = barriers.figure(result)
    colours = [to_hex(bar.get_facecolor()).lower() for ax in fig.axes for bar in ax.patches]
    plt.close(fig)
    expected = {"fell": figures.OKABE_ITO["vermillion"], "steady": figures.OKABE_ITO["grey"],
                "rose": figures.OKABE_ITO["blue"]}
    assert colours == [expected[d].lower() for d in result.change["direction"]]
    names = [label.get_text() for ax in fig.axes for label in ax.get_yticklabels()]
    assert names == list(data["name"])  # every bar carries its economy's name


def test_trust_caption_says_how_its_colours_relate_to_the_report():
    from scicollab.chapters import trust

    spec = trust.figure_spec(trust.analyse("World"))
    assert "gold as in the report's Figure 3" in spec.caption
    assert trust.GROUP_COLOURS["High income"] == figures.INCOME_COLOURS["High income"]


def test_two_figures_drawn_alike_are_two_files_each_naming_its_id(tmp_path):
    from scicollab.figures import FigureSpec, apply_style, save

    apply_style()
    shas = set()
    for figure_id in ("gerd-proxy-world", "gerd-proxy-kenya"):
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1])
        files = save(fig, FigureSpec(figure_id, "T", "C.", "S", "2020"),
                     pd.DataFrame({"x": [0]}), tmp_path)
        plt.close(fig)
        png = files["png"].read_bytes()
        assert figure_id.encode() in png and figure_id in files["svg"].read_text()
        shas.add(hashlib.sha256(png).hexdigest())
    assert len(shas) == 2


def _svg_elements(text: str) -> list:
    """Every element of an SVG in document order, its RDF metadata block left out."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(text.encode("utf-8"))
    for metadata in root.findall("{http://www.w3.org/2000/svg}metadata"):
        root.remove(metadata)
    return list(root.iter())


def test_a_compact_svg_is_the_same_drawing_to_a_hundredth_of_a_point(tmp_path):
    import re

    figures.apply_style()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0.123456, 1.987654, 2.5], [3.333333, 1.111111, 2.777777], marker="o")
    ax.fill_between([0, 1, 2], [0, 1, 0], [1, 2, 1.5], alpha=0.2)
    ax.annotate("Côte d'Ivoire", (1, 2), xytext=(1.3, 2.9), arrowprops={"arrowstyle": "-"})
    ax.set_title("A title")
    files = figures.save(fig, SPEC, pd.DataFrame({"x": [1]}), tmp_path)
    original = _matplotlib_svg(fig)
    plt.close(fig)
    compact = files["svg"].read_text(encoding="utf-8")
    assert len(compact) < 0.85 * len(original)
    assert "<metadata>" not in compact and "<title>test-figure</title>" in compact
    before, after = _svg_elements(original), _svg_elements(compact)
    assert [e.tag for e in before] == [e.tag for e in after]
    number = re.compile(r"-?\d+(?:\.\d+)?")
    moved = {"text": 0.0, "shapes": 0.0}
    for old, new in zip(before, after, strict=True):
        assert (old.text or "").strip() == (new.text or "").strip()
        kind = "text" if old.tag.endswith("}text") else "shapes"
        for name in set(old.attrib) | set(new.attrib):
            was, now = old.attrib.get(name, ""), new.attrib.get(name, "")
            if name == "transform" and was.startswith("rotate(-0 ") and not now:
                continue  # a zero rotation is no rotation
            assert re.sub(r"[\d.\s-]", "", was) == re.sub(r"[\d.\s-]", "", now), name
            pairs = zip(map(float, number.findall(was)), map(float, number.findall(now)),
                        strict=True)
            moved[kind] = max([moved[kind], *(abs(a - b) for a, b in pairs)])
    assert moved["text"] == 0  # text stays exactly where matplotlib put it
    assert 0 < moved["shapes"] <= 0.005


def _matplotlib_svg(fig) -> str:
    """matplotlib's own SVG of a figure, as :func:`figures.save` gets it before compacting."""
    import io

    buffer = io.BytesIO()
    _, bbox = rendering.render(fig)
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None,
                                                "Title": SPEC.id}, bbox_inches=bbox)
    return buffer.getvalue().decode("utf-8")


SEABORN_FIGURES = [
    ("gerd", lambda m, r: m.figure(m.analyse(r).proxy, r)),
    ("trust", lambda m, r: m.figure(m.analyse(r))),
    ("capacity_building", lambda m, r: m.figure(m.analyse(r))),
    ("impact", lambda m, r: m.figure(m.analyse(r))),
    ("partnership_models", lambda m, r: m.figure(m.analyse(r))),
    ("drivers", lambda m, r: m.figure(m.analyse(r))),
    ("future", lambda m, r: m.figure(m.analyse(r))),
    ("innovation_networks", lambda m, r: m.figure(m.analyse(r))),
    ("landscape", lambda m, r: m.producers_figure(m.analyse(r))),
]


@pytest.mark.parametrize(("chapter", "draw"), SEABORN_FIGURES, ids=[c for c, _ in SEABORN_FIGURES])
def test_a_seaborn_chart_is_built_without_making_its_tick_labels(chapter, draw, monkeypatch):
    """The chapters label their axes before seaborn draws into them: seaborn labels an
    unlabelled axis after making its tick labels to see whether any shows, work done again
    when the figure is drawn."""
    import importlib

    from matplotlib.axis import Axis

    from scicollab import regions

    figures.apply_style()
    module = importlib.import_module(f"scicollab.chapters.{chapter}")
    made = []
    real = Axis.get_ticklabels
    monkeypatch.setattr(Axis, "get_ticklabels",
                        lambda self, *a, **k: made.append(self) or real(self, *a, **k))
    fig, spec, _ = draw(module, regions.resolve("Sub-Saharan Africa"))
    plt.close(fig)
    assert made == [], spec.id
    assert fig.axes[0].get_xlabel() and fig.axes[0].get_ylabel()


def test_line_names_are_spread_on_the_limits_as_drawn_whatever_was_read_before():
    """Names of converging lines are spread in pixels of the limits the figure is drawn with,
    also when nothing has read the limits yet (autoscaling still pending)."""
    ends = pd.DataFrame({"year": [2020, 2020, 2020], "value": [10.0, 10.5, 11.0],
                         "name": ["a", "b", "c"]})
    offsets = []
    for read_first in (True, False):
        fig, ax = plt.subplots()
        for value in ends["value"]:
            ax.plot([2000, 2020], [0, value])
        if read_first:
            ax.get_ylim()
        figures.label_line_ends(ax, ends, "year", "value", "name", {})
        offsets.append([text.xyann for text in ax.texts])
        plt.close(fig)
    assert offsets[0] == offsets[1]
    assert len({y for _, y in offsets[0]}) == 3
