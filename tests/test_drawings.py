"""A drawing is rendered once per process: a figure drawn exactly like one saved before gets
its files under its own id; anything drawn differently is rendered."""

import io
import json

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib import ticker
from PIL import Image

from scicollab import drawings, figures, report, run_context
from scicollab.figures import FigureSpec


@pytest.fixture
def publishing(monkeypatch, tmp_path):
    """publish_figure outside a kernel, inside one chapter run: nothing glued, no drawings
    remembered, every rendering counted, the house style and the root restored afterwards."""
    monkeypatch.setattr(report, "glue_value", lambda *args, **kwargs: None)
    monkeypatch.setattr("myst_nb.glue", lambda *args, **kwargs: None)
    monkeypatch.setattr(drawings, "_kept", drawings.OrderedDict())
    monkeypatch.setattr(run_context, "_rc_snapshot", None)
    monkeypatch.setattr(report.paths, "_root", report.paths._root)
    rendered = []
    render = figures._render
    monkeypatch.setattr(figures, "_render",
                        lambda fig, title: rendered.append(title) or render(fig, title))
    with matplotlib.rc_context():
        figures.apply_style()
        run_context.begin(json.dumps({"root": str(report.paths.root()),
                                      "out": str(tmp_path / "run"), "dpi": 150}))
        plt.rcParams["savefig.dpi"] = run_context.dpi()  # as chapter_setup sets it
        yield rendered
        run_context.end()


def _line(ys=(0, 1), formatter=None):
    fig, ax = plt.subplots()
    ax.plot([0, 1], list(ys))
    ax.set_title("A line")
    if formatter is not None:
        ax.yaxis.set_major_formatter(formatter)
    return fig


def _publish(fig, figure_id: str) -> dict[str, bytes]:
    spec = FigureSpec(figure_id, "T", "C.", "S", "2020")
    report.publish_figure(f"fig-{figure_id}", fig, spec, pd.DataFrame({"x": [1, 2]}))
    folder = run_context.figures_dir()
    return {kind: (folder / f"{figure_id}.{kind}").read_bytes() for kind in ("png", "svg")}


def _title(files: dict[str, bytes]) -> tuple[str, str]:
    with Image.open(io.BytesIO(files["png"])) as image:
        png_title = image.text["Title"]
    svg = files["svg"].decode()
    return png_title, svg[svg.index("<title>") + 7:svg.index("</title>")]


def test_a_figure_drawn_like_an_earlier_one_gets_its_files_under_its_own_id(publishing):
    world = _publish(_line(), "chart-world")
    kenya = _publish(_line(), "chart-kenya")  # drawn anew, exactly alike
    assert publishing == ["chart-world"], "rendered once, retitled the second time"
    assert _title(world) == ("chart-world", "chart-world")
    assert _title(kenya) == ("chart-kenya", "chart-kenya")
    assert kenya["svg"] == world["svg"].replace(b"chart-world", b"chart-kenya")
    with Image.open(io.BytesIO(world["png"])) as a, Image.open(io.BytesIO(kenya["png"])) as b:
        assert a.tobytes() == b.tobytes() and a.size == b.size


def test_a_figure_drawn_differently_is_rendered(publishing):
    first = _publish(_line((0, 1)), "chart-world")
    other = _publish(_line((1, 0)), "chart-chile")
    assert publishing == ["chart-world", "chart-chile"]
    assert other["svg"] != first["svg"].replace(b"chart-world", b"chart-chile")


def test_a_forgotten_drawing_is_rendered_again_the_same(publishing):
    first = _publish(_line(), "chart")
    drawings.forget()  # as when other figures push it out of the process's memory
    again = _publish(_line(), "chart")
    assert publishing == ["chart", "chart"] and first == again


def test_a_figure_saved_again_is_not_redrawn_once_its_drawn_state_is_known(publishing):
    """The GERD calibration: one figure object, saved in every region's chapter."""
    fig = _line()
    outputs = [_publish(fig, "calibration") for _ in range(4)]
    assert len(publishing) <= 2 and all(o == outputs[0] for o in outputs)


def test_a_figure_that_cannot_be_pickled_is_rendered_every_time(publishing):
    unpicklable = ticker.FuncFormatter(lambda value, _position: f"{value:.1f}")
    first = _publish(_line(formatter=unpicklable), "chart")
    again = _publish(_line(formatter=unpicklable), "chart")
    assert drawings.digest(_line(formatter=unpicklable)) is None
    assert publishing == ["chart", "chart"] and first == again


def test_the_digest_of_a_figure_is_stable_and_leaves_it_unchanged():
    fig = _line()
    line = fig.axes[0].lines[0]
    counter = repr(line._callbacks._cid_gen)
    assert drawings.digest(fig) == drawings.digest(fig) == drawings.digest(_line())
    assert repr(line._callbacks._cid_gen) == counter, "pickling advanced a callback counter"
    plain = drawings.digest(fig)
    with matplotlib.rc_context({"savefig.dpi": 300}):  # the same figure saved otherwise
        assert drawings.digest(fig) != plain
    plt.close("all")


def test_a_retitled_drawing_keeps_its_smallest_font_without_looking_again(publishing):
    """The smallest font is the smallest text drawn, found once per drawing: looking for texts
    in a figure not drawn in this process would create every axis's ticks."""
    fig = _line()
    fig.axes[0].tick_params(labelsize=9)
    _publish(fig, "chart-world")
    again = _line()
    again.axes[0].tick_params(labelsize=9)
    _publish(again, "chart-kenya")
    folder = run_context.figures_dir()
    metas = [json.loads((folder / f"{name}.json").read_text())
             for name in ("chart-world", "chart-kenya")]
    assert publishing == ["chart-world"]
    assert metas[0]["smallest_font_pt"] == metas[1]["smallest_font_pt"] == 9
    assert not again.axes[0].xaxis.majorTicks[1:], "no tick created to find the fonts"
