"""Report sentences filled in: dates in words, statuses, the lesson heading, the credit line, and
the check that the font can print every text of a results file.

In: loaded results (``cards.results.load.LoadedResults``) and the report words of the deck's
language (``cards.results.wording``).
Out: small text helpers shared by the report, the letters and the action list, and
``find_glyph_problems`` (located problems for characters the font lacks).
"""

from __future__ import annotations

import datetime
import unicodedata

from dialoogkit.cards.messages import split_location
from dialoogkit.cards.models import Deck
from dialoogkit.cards.results.load import LoadedResults
from dialoogkit.cards.texts import printed_texts
from dialoogkit.errors import Problem
from dialoogkit.generator.fonts import missing_glyphs
from dialoogkit.generator.textfit import SOFT_HYPHEN
from dialoogkit.i18n import say


def spoken_date(text: str | None, words: dict[str, str]) -> str | None:
    """``2025-03-14`` as ``14 maart 2025`` (None stays None)."""
    if not text:
        return None
    day = datetime.date.fromisoformat(text)
    return words["date_format"].format(day=day.day, month=words["months"].split()[day.month - 1], year=day.year)


def spoken_when(text: str | None, words: dict[str, str]) -> str:
    """An agreement's "when": a date in words, other text as written, nothing as empty."""
    if not text:
        return ""
    try:
        return spoken_date(text, words) if len(text) == 10 else text
    except ValueError:
        return text


def capitalised(text: str) -> str:
    """``gemeente`` as ``Gemeente`` (the rest as written), for a heading."""
    return text[:1].upper() + text[1:]


def status_word(status: str, words: dict[str, str]) -> str:
    """open / started / done in the deck's language."""
    return words[f"status_{status}"]


def lesson_numbers(deck: Deck) -> dict[str, int]:
    """The number of each lesson of the deck (its card's number)."""
    return {lesson.id: i + 1 for i, lesson in enumerate(deck.lessons)}


def lesson_statement(deck: Deck, lesson_id: str) -> str:
    """The statement of a lesson on one line."""
    return " ".join(next(lesson.statement for lesson in deck.lessons if lesson.id == lesson_id).split())


def credit_line(deck: Deck, words: dict[str, str]) -> str:
    """This session used the deck … based on the publication … (publishers)."""
    return words["credit"].format(title=deck.title, publication=deck.source.title,
                                  publishers=", ".join(deck.source.publishers))


def find_glyph_problems(loaded: LoadedResults) -> list[Problem]:
    """Every text of the results file with characters the font cannot print (they would be blanks)."""
    data = {"lessons": [{"id": lesson.id} for lesson in loaded.results.lessons]}
    problems = []
    for loc, text in printed_texts(loaded.results):
        missing = missing_glyphs(unicodedata.normalize("NFC", text).replace(SOFT_HYPHEN, ""))
        if missing:
            shown = ", ".join((f"'{ch}' " if ch.isprintable() else "") + f"(U+{ord(ch):04X})" for ch in missing[:5])
            lesson, field = split_location(loc, data)
            problems.append(Problem(*loaded.where(*loc), say("fit.glyphs", shown=shown), say("fit.glyphs_fix"),
                                    lesson, field))
    return problems
