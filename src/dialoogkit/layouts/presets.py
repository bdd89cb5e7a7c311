"""Look up a preset (paper, profile, poster size) by name.

In: a table of presets keyed by lowercase name, the name a user typed, and what it names.
Out: the preset, or a ``UsageProblem`` listing the names that exist.
"""

from __future__ import annotations

from typing import Mapping, TypeVar

from dialoogkit.errors import UsageProblem, quoted
from dialoogkit.i18n import say

T = TypeVar("T")


def look_up(table: Mapping[str, T], text: str, what: str) -> T:
    """The preset named ``text`` (case-insensitive, surrounding spaces ignored)."""
    key = text.strip().lower()
    if key not in table:
        raise UsageProblem(say("layout.unknown_preset", what=say(f"layout.preset.{what.replace(' ', '_')}"),
                               text=quoted(text, 40), names=", ".join(table)))
    return table[key]
