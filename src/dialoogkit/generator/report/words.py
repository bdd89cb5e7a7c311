"""Report sentences filled in: dates in words, statuses, the lesson heading, the credit line, and
the check that the font can print every text of a results file.

In: loaded results (``cards.results.load.LoadedResults``) and the report words of the deck's
language (``cards.results.wording``).
Out: small text helpers shared by the report, the letters and the action list, and
``find_glyph_problems``: located problems for characters no bundled font has, by the same check
as a deck's texts (``glyphs.unprintable``: Source Sans Pro, then Noto Sans and Noto's Arabic,
Hebrew and Ethiopic faces), so a results file may hold every script the cards print and only
what would print as a blank (emoji, private use) is refused.
"""

from __future__ import annotations

import datetime

from dialoogkit.cards.messages import split_location
from dialoogkit.cards.models import Deck
from dialoogkit.cards.results.load import LoadedResults
from dialoogkit.cards.texts import printed_texts
from dialoogkit.errors import Problem
from dialoogkit.generator.glyphs import glyph_message, unprintable


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
    """Every text of the results file with characters no bundled font can print (they would be
    blanks)."""
    data = {"lessons": [{"id": lesson.id} for lesson in loaded.results.lessons]}
    problems = []
    for loc, text in printed_texts(loaded.results):
        missing = unprintable(text)
        if missing:
            lesson, field = split_location(loc, data)
            problems.append(Problem(*loaded.where(*loc), *glyph_message(missing), lesson, field))
    return problems
