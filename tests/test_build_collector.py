"""A build runs with fewer pauses of the cyclic garbage collector, and leaves its settings as they
were: the process's thresholds come back when the last of the builds running at once ends."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

from dialoogkit.output import build
from dialoogkit.output.collector import YOUNG_THRESHOLD, fewer_collections


def test_thresholds_are_raised_inside_and_restored_after():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] >= YOUNG_THRESHOLD
        assert gc.get_threshold()[1:] == before[1:]
        with fewer_collections():
            assert gc.get_threshold()[0] >= YOUNG_THRESHOLD
        assert gc.get_threshold()[0] >= YOUNG_THRESHOLD  # the outer build still runs
    assert gc.get_threshold() == before


def test_restored_after_a_failed_build():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError):
        with fewer_collections():
            raise RuntimeError("the build failed")
    assert gc.get_threshold() == before


def test_builds_in_threads_share_the_setting_until_the_last_ends():
    before = gc.get_threshold()
    first_in, second_in, first_may_end = threading.Event(), threading.Event(), threading.Event()
    seen: list[int] = []

    def first() -> None:
        with fewer_collections():
            first_in.set()
            first_may_end.wait(10)

    def second() -> None:
        first_in.wait(10)
        with fewer_collections():
            second_in.set()
            first_may_end.set()
            thread.join(10)  # the first build has ended
            seen.append(gc.get_threshold()[0])

    thread = threading.Thread(target=first)
    other = threading.Thread(target=second)
    thread.start()
    other.start()
    other.join(20)
    assert seen and seen[0] >= YOUNG_THRESHOLD
    assert gc.get_threshold() == before


def test_a_build_runs_inside(monkeypatch, tmp_path):
    seen: list[int] = []
    drawn = build._build_loaded

    def spy(*args, **kwargs):
        seen.append(gc.get_threshold()[0])
        return drawn(*args, **kwargs)

    monkeypatch.setattr(build, "_build_loaded", spy)
    before = gc.get_threshold()
    build.build_kit("standaard", build.BuildOptions(output=Path(tmp_path), parts=("guide",)))
    assert seen == [max(before[0], YOUNG_THRESHOLD)]
    assert gc.get_threshold() == before
