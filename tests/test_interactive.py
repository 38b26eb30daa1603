"""Interactive figures: built from the figure's data, escaped inside the page, offline alone."""

import json
import re

import pandas as pd
import pytest

from scicollab import figures, interactive

HOSTILE = '</script><script>alert("x")</script> & <b>'
SPEC = figures.FigureSpec("test-interactive", "A <title> & more", "Made up.", "Nobody", "2020")


def _data() -> pd.DataFrame:
    return pd.DataFrame({
        "iso3": ["AAA", "BBB", "CCC"], "name": [HOSTILE, "Beta", "Gamma"],
        "income_group": ["High income", "Low income", "High income"],
        "in_region": [True, False, True], "x": [1.0, 2.0, 3.0], "y": [10.0, 20.0, 15.0]})


def _figure(**kwargs):
    return interactive.scatter(_data(), "x", "y", x_title="X", y_title="Y",
                               hover=[("y", "Y value", ":.1f")], **kwargs)


def test_a_hostile_name_cannot_close_the_script_tag():
    page = interactive.block(SPEC, interactive.to_json(_figure()))
    assert page.count("</script>") == 1  # only the data block's own end tag
    assert "<script>alert" not in page
    payload = re.search(r'<script type="application/json" class="sc-figure">(.*?)</script>',
                        page, re.S).group(1)
    names = [row[0] for trace in json.loads(payload)["data"] for row in trace["customdata"]]
    assert HOSTILE in names  # read back unchanged by the browser's JSON parser
    assert "A &lt;title&gt; &amp; more" in page and "A <title>" not in page


def test_hover_names_the_economy_and_groups_become_legend_entries():
    fig = _figure()
    traces = {trace.name: trace for trace in fig.data}
    assert set(traces) == {"High income", "Low income"}
    assert list(traces["High income"].customdata[:, 0]) == [HOSTILE, "Gamma"]
    assert "%{customdata[0]}" in traces["Low income"].hovertemplate
    assert "Y value: %{customdata[1]:.1f}" in traces["Low income"].hovertemplate


def test_a_region_edition_greys_the_other_economies_behind_its_members():
    fig = _figure(highlight=True)
    names = [trace.name for trace in fig.data]
    assert names[0] == "Other economies"
    assert list(fig.data[0].customdata[:, 0]) == ["Beta"]
    assert sum(len(t.x) for t in fig.data[1:]) == 2


def test_saved_figure_makes_a_standalone_page_that_needs_no_other_host(tmp_path):
    path = interactive.save(_figure(), SPEC, tmp_path)
    assert path.name == "test-interactive.plotly.json"
    page = interactive.standalone_html(path)
    assert "<script src=" not in page and "<link" not in page
    assert re.search(r"https?://", page.split("</head>")[1]) is None  # the body links nowhere
    assert "plotly.js v" in page  # the library is inlined
    assert page.count("<script>alert") == 0
    assert "sc-interactive" in page and "Made up." in page


def test_plotly_js_comes_from_the_installed_wheel():
    from scicollab import vendor

    path = vendor.plotly_js()
    assert path.is_file() and path.stat().st_size > 1_000_000
    assert "</script" not in path.read_text(encoding="utf-8")  # safe to inline


@pytest.mark.parametrize("text", ["plain", "with\u2028separator"])
def test_json_for_a_script_has_no_markup_characters(text):
    fig = interactive.lines(pd.DataFrame({"year": [2000, 2001], "v": [1, 2], "g": [text] * 2}),
                            "year", "v", "g", x_title="Year", y_title="V")
    encoded = interactive.to_json(fig)
    assert not set("<>&\u2028") & set(encoded)
    assert json.loads(encoded)["data"][0]["name"] == text


def test_missing_values_become_json_null_not_nan():
    data = _data().assign(income_group=["High income", float("nan"), "High income"])
    fig = interactive.scatter(data, "x", "y", x_title="X", y_title="Y", group=None,
                              hover=[("income_group", "Group", "")])
    encoded = interactive.to_json(fig)
    assert "NaN" not in encoded
    assert json.loads(encoded)["data"][0]["customdata"][1] == ["Beta", None]


def test_the_help_line_names_what_a_reader_hovers():
    from scicollab import maps

    scatter = interactive.block(SPEC, interactive.to_json(_figure()))
    world = maps.interactive_value_map(_data().assign(share=[1.0, 2.0, 3.0]), "share", "Share",
                                       [("share", "Share", ":.1f")])
    assert "Hover over a point" in scatter
    assert "Hover over a country" in interactive.block(SPEC, interactive.to_json(world))
