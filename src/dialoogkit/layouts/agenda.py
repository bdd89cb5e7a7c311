"""Agenda clock times, computed from a start time and block durations (never typed by hand).

In: a start time such as ``14:00`` and the minutes of each block.
Out: ``(start, end)`` clock strings per block, e.g. ``("14:00", "14:10")``; a bad start time
(including digits other than 0-9, such as full-width ``１４:００``) is a ``UsageProblem``.
"""

from __future__ import annotations

import re

from dialoogkit.cards.numbers import has_foreign_digits
from dialoogkit.errors import UsageProblem, quoted
from dialoogkit.i18n import say

DEFAULT_START = "14:00"
_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$", re.ASCII)


def parse_start(text: str) -> int:
    """Minutes after midnight of ``HH:MM`` (``HH.MM`` accepted)."""
    match = _TIME.match(text)
    if not match:
        digits = say("layout.with_digits") if has_foreign_digits(text) else ""
        raise UsageProblem(say("layout.start_time", text=quoted(text, 40), digits=digits))
    return int(match.group(1)) * 60 + int(match.group(2))


def clock(minutes: int) -> str:
    """``HH:MM`` of minutes after midnight (past midnight wraps to the next day)."""
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def agenda_times(start: int, durations: list[int]) -> list[tuple[str, str]]:
    """The clock time at which each block starts and ends."""
    times = []
    for minutes in durations:
        times.append((clock(start), clock(start + minutes)))
        start += minutes
    return times
