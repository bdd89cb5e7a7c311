"""Fewer pauses of Python's cyclic garbage collector while a build runs.

In: nothing (a context manager around a build).
Out: ``fewer_collections``: while at least one build runs in the process, the collector starts a
young collection after ``YOUNG_THRESHOLD`` new container objects instead of Python's 700. A build
makes millions of short-lived objects (display lists, PDF operators, subset tables) that their
reference counts free; with the default threshold the oldest generation, which then holds the
whole plan of the deck, is walked again and again (a tenth of a 1000-lesson card build). The
thresholds come back when the last build ends; builds in other threads share the setting.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 10_000

_lock = threading.Lock()
_running = 0
_saved: tuple[int, ...] | None = None


@contextmanager
def fewer_collections() -> Iterator[None]:
    """See module docstring."""
    global _running, _saved
    with _lock:
        if _running == 0:
            _saved = gc.get_threshold()
            young, *older = _saved
            gc.set_threshold(max(young, YOUNG_THRESHOLD), *older)
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None
