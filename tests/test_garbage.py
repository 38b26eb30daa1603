"""A process that runs many chapters or builds many editions moves what lives as long as it
does (imported modules) out of the collector's way once, and still frees later garbage."""

from __future__ import annotations

import gc
import json
import weakref

import pytest

from scicollab import assembly, paths, run_context


class _Node:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def unfrozen():
    """The test process as it was: nothing left in the permanent generation afterwards."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def _frozen(obj) -> bool:
    """True when ``obj`` is in the permanent generation (no generation lists it)."""
    return not any(o is obj for o in gc.get_objects())


def _collected_after(make) -> bool:
    """True when a cyclic object made by ``make`` and dropped is freed by a collection."""
    ref = weakref.ref(make())
    gc.collect()
    return ref() is None


def test_a_warm_kernel_freezes_what_its_first_chapter_left_and_frees_later_garbage(
        unfrozen, tmp_path, monkeypatch):
    monkeypatch.setattr(run_context, "_frozen", False)
    monkeypatch.setattr(run_context, "_rc_snapshot", None)
    monkeypatch.setattr(paths, "_root", paths.root())  # begin() sets the root: restored after

    def settings(name: str) -> str:
        return json.dumps({"root": str(paths.root()), "out": str(tmp_path / name), "dpi": 150})

    run_context.begin(settings("first"))
    assert gc.get_freeze_count() == 0, "a kernel running one chapter freezes nothing"
    run_context.end()
    alive = _Node()
    run_context.begin(settings("second"))
    assert _frozen(alive), "what the first chapter left alive is frozen"
    run_context.end()
    later = _Node()
    run_context.begin(settings("third"))
    assert not _frozen(later), "frozen once per kernel"
    run_context.end()
    assert _collected_after(_Node), "a later chapter's cycles are still collected"


def test_a_process_building_editions_freezes_at_its_first_two_builds_only(unfrozen,
                                                                         monkeypatch):
    monkeypatch.setattr(assembly, "_builds", 0)
    alive = []
    for _ in range(3):
        alive.append(_Node())  # what a build leaves alive (imported modules)
        assembly._collect_garbage()
        _Node()  # a build's garbage
    assert [_frozen(a) for a in alive] == [True, True, False]
    assert _collected_after(_Node), "later garbage is still collected"


def test_an_html_build_collects_young_garbage_only_and_leaves_the_rest_to_the_next(
        unfrozen, monkeypatch):
    from jupyter_book.cli.main import main

    monkeypatch.setattr(assembly, "_builds", 2)  # past the builds that freeze

    during: list[int] = []  # the generations collected while the build runs
    building = []

    def note(phase, info):
        if phase == "stop" and building:
            during.append(info["generation"])

    kept, dropped = [], []

    def build(**_):
        """What a build does to the collector: holds many objects (its document trees) for a
        while, and drops cycles."""
        building.append(True)
        kept.extend(_Node() for _ in range(max(300_000, len(gc.get_objects()))))
        dropped.append(weakref.ref(_Node()))
        building.clear()

    monkeypatch.setattr(main, "main", build)
    before = gc.get_threshold()
    gc.callbacks.append(note)
    try:
        code, _ = assembly.jupyter_book(["build", "nowhere"])
    finally:
        gc.callbacks.remove(note)
    assert code == 0
    assert 0 in during, "young objects are collected during the build"
    assert 2 not in during, "no full collection during the build"
    assert gc.get_threshold() == before
    kept.clear()
    assembly._collect_garbage()
    assert dropped[0]() is None, "the next build's collection frees the build's cycles"
