"""A check shared by the chapters' tests: a line chart and its interactive version give each
line the same colour."""

from __future__ import annotations


def assert_same_line_colours(fig, interactive) -> None:
    """Each line named at its end in ``fig`` (a matplotlib figure, closed here) has, in
    ``interactive`` (its plotly version), a trace of the same name and colour, and no trace
    is left over."""
    import matplotlib.pyplot as plt

    ends = {text.get_text(): text.get_color() for text in fig.axes[0].texts}
    plt.close(fig)
    traces = {trace.name: trace.line.color for trace in interactive.data}
    assert set(traces) == set(ends)
    for name, colour in traces.items():
        assert ends[name].lower() == colour.lower(), name
