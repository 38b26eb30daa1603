"""Names on a scatter's points: each name at the nearest free place around its point.

:func:`label_points` replaces a force-directed library (adjustText, a quarter of a second per
scatter, most of it repeated layout passes): the names are few (at most
:data:`scicollab.figures.MAX_LABELS`), so every candidate place is tried, with numpy
overlap tests, in one pass.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .figures import MIN_FONT_PT, OKABE_ITO

# where a point's name may go, tried in this order: right, left, above, below, then the
# diagonals, each at growing distances (points) from the point to the name's box
LABEL_DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1))
LABEL_DISTANCES = (5, 10, 16, 24, 34, 46, 60)
LEADER_FROM = 6  # points from a point to its name's nearest edge from which a line joins them


def label_points(ax: plt.Axes, rows: pd.DataFrame, x: str, y: str, label: str = "name",
                 fontsize: float = MIN_FONT_PT) -> list:
    """Name the given points (most important first) so that no two names overlap, no name
    covers a prominent marker (one drawn above the grey context of a region's scatter, named
    or not), every name stays inside the axes and is nearer its own point than any other
    prominent marker: each name goes to the nearest ring of places (eight directions at growing
    distances) that has such a free place, to the free place there covering the fewest grey
    markers, or, when no place is free, to the one that overlaps least (a place outside the
    axes or nearer another point counting as a large overlap). A name set apart from its point
    is joined to it by a thin line.

    Call it once the axes' scales and limits are final (names are placed in data
    coordinates, which keeps them in place at any resolution)."""
    from matplotlib.lines import Line2D

    if rows.empty:
        return []
    fig = ax.figure
    ax.autoscale_view()
    renderer = fig.canvas.get_renderer()
    per_point = fig.dpi / 72
    to_data = ax.transData.inverted().transform
    points = ax.transData.transform(np.column_stack([rows[x].to_numpy(float),
                                                     rows[y].to_numpy(float)]))
    markers, prominent = _marker_boxes(ax, per_point)
    centres = (markers[prominent, :2] + markers[prominent, 2:]) / 2
    half = 4 * per_point
    hard = [np.column_stack([points - half, points + half]), markers[prominent]]
    area = ax.bbox
    texts = []
    for (px, py), name in zip(points, rows[label], strict=True):
        text = ax.text(0, 0, str(name), fontsize=fontsize, zorder=5,
                       horizontalalignment="left", verticalalignment="bottom")
        extent = text.get_window_extent(renderer)
        boxes, distances = _candidate_boxes(px, py, extent.width, extent.height, per_point)
        blocked = np.vstack(hard)
        clash = _overlaps(boxes, blocked).sum(axis=1)
        outside = ((boxes[:, 0] < area.x0) | (boxes[:, 1] < area.y0) | (boxes[:, 2] > area.x1)
                   | (boxes[:, 3] > area.y1))
        own = _distance(boxes, np.array([[px, py]]))[:, 0]
        leader = own >= LEADER_FROM * per_point
        others = centres[np.hypot(*(centres - (px, py)).T) > 0.5]
        nearest = (_distance(boxes, others).min(axis=1) if len(others)
                   else np.full(len(boxes), np.inf))
        ambiguous = nearest < own + per_point
        free = (clash == 0) & ~outside & ~ambiguous
        if free.any():
            ring = distances == distances[free].min()
            covered = _overlaps(boxes, markers[~prominent]).sum(axis=1)
            choice = int(np.argmin(np.where(free & ring, covered, np.inf)))
        else:
            size = extent.width * extent.height
            choice = int(np.argmin(clash + outside * size + ambiguous * size / 4))
        box = boxes[choice]
        hard.append(box[None, :])
        text.set_position(tuple(to_data([(box[0], box[1])])[0]))
        end = (min(max(px, box[0]), box[2]), min(max(py, box[1]), box[3]))
        if leader[choice]:
            (start_x, start_y), (end_x, end_y) = to_data([(px, py), end])
            ax.add_artist(Line2D([start_x, end_x], [start_y, end_y], color=OKABE_ITO["grey"],
                                 linewidth=0.6, zorder=2.5, transform=ax.transData))
        texts.append(text)
    return texts


def _candidate_boxes(px: float, py: float, width: float, height: float,
                     per_point: float) -> tuple[np.ndarray, np.ndarray]:
    """Every place a name of this size may take around a point (pixels): boxes (x0, y0, x1,
    y1) in the order they are preferred, and each one's distance in points."""
    boxes, distances = [], []
    for distance in LABEL_DISTANCES:
        for dx, dy in LABEL_DIRECTIONS:
            gap = distance * per_point / (np.sqrt(2) if dx and dy else 1)
            left = px + dx * gap - (width if dx < 0 else width / 2 if dx == 0 else 0)
            bottom = py + dy * gap - (height if dy < 0 else height / 2 if dy == 0 else 0)
            boxes.append((left, bottom, left + width, bottom + height))
            distances.append(distance)
    return np.array(boxes), np.array(distances)


def _marker_boxes(ax: plt.Axes, per_point: float) -> tuple[np.ndarray, np.ndarray]:
    """The boxes (pixels) of every scatter marker in the axes, and which are prominent (drawn
    above zorder 2, where the grey context of a region's scatter is)."""
    from matplotlib.collections import PathCollection

    boxes, prominent = [np.empty((0, 4))], [np.empty(0, bool)]
    for collection in ax.collections:
        offsets = collection.get_offsets()
        if not isinstance(collection, PathCollection) or not len(offsets):
            continue
        centres = np.asarray(collection.get_offset_transform().transform(np.asarray(offsets)))
        sizes = collection.get_sizes()
        half = (np.sqrt(sizes if len(sizes) else [36.0]) / 2 * per_point)[:, None]
        half = np.broadcast_to(half, (len(centres), 1))
        boxes.append(np.column_stack([centres - half, centres + half]))
        prominent.append(np.full(len(centres), collection.get_zorder() > 2))
    return np.vstack(boxes), np.concatenate(prominent)


def _distance(boxes: np.ndarray, points: np.ndarray) -> np.ndarray:
    """The distance from each box (x0, y0, x1, y1) to each point (0 inside the box)."""
    dx = np.maximum(np.maximum(boxes[:, None, 0] - points[None, :, 0], 0),
                    points[None, :, 0] - boxes[:, None, 2])
    dy = np.maximum(np.maximum(boxes[:, None, 1] - points[None, :, 1], 0),
                    points[None, :, 1] - boxes[:, None, 3])
    return np.hypot(dx, dy)


def _overlaps(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """The area each of ``boxes`` shares with each of ``others`` (both rows of x0, y0, x1, y1)."""
    width = (np.minimum(boxes[:, None, 2], others[None, :, 2])
             - np.maximum(boxes[:, None, 0], others[None, :, 0]))
    height = (np.minimum(boxes[:, None, 3], others[None, :, 3])
              - np.maximum(boxes[:, None, 1], others[None, :, 1]))
    return np.clip(width, 0, None) * np.clip(height, 0, None)
