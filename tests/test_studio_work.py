"""The studio's worker pool: heavy work runs beside the event loop, at most ``size`` at once,
identical work is done once, work for a replaced version steps aside, and the request's message
language goes with the work."""

from __future__ import annotations

import asyncio
import threading

import pytest

from dialoogkit.i18n import choose_language, say
from dialoogkit.studio.work import Stale, Workers


def test_identical_work_asked_twice_is_done_once():
    calls = []
    gate = threading.Event()

    def draw(n: int) -> int:
        calls.append(n)
        gate.wait(5)
        return n * 2

    async def main():
        workers = Workers(2)
        first = asyncio.ensure_future(workers.run(("card", 1), draw, 1))
        second = asyncio.ensure_future(workers.run(("card", 1), draw, 1))
        await asyncio.sleep(0.05)
        gate.set()
        return await first, await second

    assert asyncio.run(main()) == (2, 2)
    assert calls == [1]


def test_at_most_size_pieces_run_at_once_and_the_loop_stays_free():
    running, most, lock = [0], [0], threading.Lock()
    release = threading.Event()

    def work(n: int) -> int:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        release.wait(5)
        with lock:
            running[0] -= 1
        return n

    async def main():
        workers = Workers(2)
        jobs = [asyncio.ensure_future(workers.run(("job", n), work, n)) for n in range(5)]
        ticks = 0
        for _ in range(10):  # the event loop answers other requests while the work waits
            await asyncio.sleep(0.01)
            ticks += 1
        release.set()
        return ticks, await asyncio.gather(*jobs)

    ticks, results = asyncio.run(main())
    assert ticks == 10 and results == [0, 1, 2, 3, 4]
    assert most[0] == 2


def test_work_for_a_replaced_version_steps_aside():
    block = threading.Event()
    done = []

    def slow() -> str:
        block.wait(5)
        return "slow"

    def draw(version: int) -> int:
        done.append(version)
        return version

    async def main():
        workers = Workers(1)
        busy = asyncio.ensure_future(workers.run("busy", slow))
        old = asyncio.ensure_future(workers.run(("card", 1), draw, 1, topic="card", version=1))
        new = asyncio.ensure_future(workers.run(("card", 2), draw, 2, topic="card", version=2))
        await asyncio.sleep(0.05)
        block.set()
        await busy
        with pytest.raises(Stale):
            await old
        return await new

    assert asyncio.run(main()) == 2
    assert done == [2]


def test_the_requests_language_goes_with_the_work():
    async def request(language: str) -> str:
        choose_language(language)
        return await Workers(2).run(("say", language), say, "studio.cli.stop")

    async def main():
        return await asyncio.gather(request("nl"), request("en"))

    dutch, english = asyncio.run(main())
    assert dutch != english
    assert say("studio.cli.stop") in (dutch, english)
