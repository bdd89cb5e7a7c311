"""Agenda clock times, computed from a start time and block durations (never typed by hand).

In: a start time such as ``14:00`` and the minutes of each block.
Out: ``(start, end)`` clock strings per block, e.g. ``("14:00", "14:10")``; a bad start time
(including digits other than 0-9, such as full-width ``１４:００``) is a ``UsageProblem``; the
minutes of a block with an interpreter present (``interpreter_minutes``: about half as long again,
rounded up to whole steps of five minutes, so 20 becomes 30 and 15 becomes 25).
"""

from __future__ import annotations

import re

from dialoogkit.cards.numbers import has_foreign_digits
from dialoogkit.errors import UsageProblem, quoted
from dialoogkit.i18n import say

DEFAULT_START = "14:00"
INTERPRETER_FACTOR = 1.5  # everything said is said twice, but not everything is said
INTERPRETER_STEP = 5  # minutes: a plan in steps a facilitator can keep
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


def interpreter_minutes(minutes: int) -> int:
    """How long a block of ``minutes`` takes with an interpreter present: half as long again,
    rounded up to a multiple of ``INTERPRETER_STEP`` minutes."""
    steps = -(-round(minutes * INTERPRETER_FACTOR * 10) // (INTERPRETER_STEP * 10))  # ceiling, exact for halves
    return steps * INTERPRETER_STEP
