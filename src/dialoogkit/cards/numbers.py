"""Numbers as a deck author or a command line writes them: the digits 0-9 and nothing else.

In: text meant as a number (``"15"``, ``" 3 "``, a lesson number in ``select:``, minutes), which
may hold look-alike digits that Python would otherwise accept or choke on: superscripts (``²``),
Arabic-Indic (``١٥``) or full-width (``１５``) digits.
Out: the whole number for plain ASCII digits, ``None`` otherwise; a plain-language problem text
for anything else; and a pydantic validator for whole-number fields of the deck model.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from dialoogkit.i18n import say

ASCII_DIGITS = re.compile(r"[0-9]+", re.ASCII)
MAX_DIGITS = 9  # more digits are not a count of lessons or minutes


def whole_number(text: Any) -> int | None:
    """The number written in ASCII digits 0-9 (surrounding spaces allowed), else ``None``."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not ASCII_DIGITS.fullmatch(text) or len(text) > MAX_DIGITS:
        return None
    return int(text)


def has_foreign_digits(text: Any) -> bool:
    """True when ``text`` holds a character that is a digit or number in some script, but not 0-9
    (``²``, ``½``, ``١``, ``１``): the author meant a number but wrote digits a deck cannot use."""
    return isinstance(text, str) and any(
        not ("0" <= ch <= "9") and (ch.isdigit() or ch.isnumeric() or unicodedata.category(ch) == "Nd")
        for ch in text)


def not_a_number(text: Any) -> tuple[str, str]:
    """``(what, fix)`` for text where a whole number is meant."""
    shown = _quote(str(text))
    return say("cards.number.not_number", text=shown), say("cards.number.not_number_fix")


def check_whole_number(value: Any) -> Any:
    """Pydantic 'before' validator: text must be ASCII digits 0-9; whole ``int`` values pass (not
    ``bool``). Anything else is refused in plain words."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    number = whole_number(value)
    if number is None:
        what, fix = not_a_number(value)
        raise ValueError(f"{what} — {fix}")
    return number


def _quote(text: str, limit: int = 40) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in text.replace("\n", " "))
    return text if len(text) <= limit else text[: limit - 1] + "…"
