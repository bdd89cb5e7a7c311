"""The studio's heavy work off the web event loop: a bounded pool of worker threads.

In: a key that names the work and the deck version it is for (e.g. ``("card", path, version,
format, profile, index, side)``), a function to run and its arguments.
Out: ``Workers.run`` awaits the function's result without blocking the event loop, so pages,
status polls and static files keep being answered while a card is drawn; at most ``size`` pieces
of work run at once, the rest wait their turn in order. Identical work asked for while it runs
(two tabs, a double click, a preview asked again before the first is drawn) is computed once and
every asker gets its result. ``Workers.latest`` lets work for an older version of the same thing
step aside (``Stale``) before it starts, so a person typing never waits for drawings of what they
typed before. The request's context (its message language) travels with the work.
``off_loop(endpoint)`` makes a route run this way: the studio's pages and changes (which check
and draw) do; the stylesheet, scripts, build status and downloads stay on the loop.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Awaitable, Callable, Hashable

DEFAULT_SIZE = 2


class Stale(Exception):
    """Work for a version that a newer request has replaced: not done."""


class Workers:
    """A bounded pool of worker threads shared by the studio's routes (see module docstring)."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix="dialoogkit-work")
        self._running: dict[Hashable, asyncio.Future] = {}
        self._newest: dict[Hashable, Hashable] = {}
        self._lock = threading.Lock()

    async def run(self, key: Hashable, function: Callable[..., Any], *args: Any,
                  topic: Hashable | None = None, version: Hashable | None = None) -> Any:
        """The result of ``function(*args)``, computed in the pool once per ``key``. With
        ``topic`` and ``version`` (e.g. a card and its deck file's version), work whose version
        is no longer the newest asked for on its topic raises ``Stale`` instead of running."""
        loop = asyncio.get_running_loop()
        if topic is not None:
            with self._lock:
                self._newest[topic] = version
        future = self._running.get(key)
        if future is None:
            context = contextvars.copy_context()
            future = loop.run_in_executor(self._pool, context.run, self._guarded, function, args, topic, version)
            self._running[key] = future
            future.add_done_callback(lambda _done: self._running.pop(key, None))
        return await asyncio.shield(future)

    def _guarded(self, function: Callable[..., Any], args: tuple, topic: Hashable | None,
                 version: Hashable | None) -> Any:
        if topic is not None:
            with self._lock:
                if self._newest.get(topic) != version:
                    raise Stale()
        return function(*args)

    async def call(self, endpoint: Callable[[Any], Awaitable[Any]], request: Any) -> Any:
        """Run a route's ``endpoint`` for ``request`` in the pool (its own small event loop in
        the worker thread): the body is read here first, so the endpoint never waits on the
        connection from its thread."""
        await request.body()
        if request.headers.get("content-type", "").startswith(("multipart/form-data",
                                                                "application/x-www-form-urlencoded")):
            await request.form()
        return await self.run(object(), asyncio.run, endpoint(request))

    def start(self, function: Callable[..., Any], *args: Any) -> None:
        """Start ``function(*args)`` in the pool and do not wait for it (from any thread): work a
        request will soon ask for, such as the image of the card a change was just saved to."""
        self._pool.submit(contextvars.copy_context().run, function, *args)

    def in_flight(self) -> int:
        """How many distinct pieces of work are asked for and not finished."""
        return len(self._running)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def off_loop(endpoint: Callable[[Any], Awaitable[Any]]) -> Callable[[Any], Awaitable[Any]]:
    """``endpoint`` run in the studio's worker pool (``Workers.call``)."""

    async def offloaded(request: Any) -> Any:
        return await request.app.state.studio.work.call(endpoint, request)

    offloaded.__name__ = getattr(endpoint, "__name__", "offloaded")
    offloaded.__doc__ = endpoint.__doc__
    return offloaded
