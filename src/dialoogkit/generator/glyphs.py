"""Check that the font can print every character of a deck's texts.

In: a ``LoadedDeck``.
Out: ``Problem`` objects naming lesson and field for characters Source Sans Pro lacks (emoji,
right-to-left scripts, …), which would otherwise print as blanks.
"""

from __future__ import annotations

from typing import Iterator

from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.errors import Problem
from dialoogkit.generator.fonts import missing_glyphs


def _texts(loaded: LoadedDeck) -> Iterator[tuple[str | None, str, tuple, str]]:
    deck = loaded.deck
    yield None, "title", ("title",), deck.title
    if deck.region:
        yield None, "region", ("region",), deck.region
    yield None, "source.title", ("source", "title"), deck.source.title
    for key, theme in deck.themes.items():
        yield None, f"themes.{key}.label", ("themes", key, "label"), theme.label
    for key, pillar in deck.pillars.items():
        yield None, f"pillars.{key}.label", ("pillars", key, "label"), pillar.label
        yield None, f"pillars.{key}.summary", ("pillars", key, "summary"), pillar.summary
    for key, audience in deck.audiences.items():
        yield None, f"audiences.{key}.label", ("audiences", key, "label"), audience.label
    for c, contact in enumerate(deck.contacts):
        for field in ("name", "role", "phone", "email"):
            text = getattr(contact, field)
            if text:
                yield None, f"contacts[{c + 1}].{field}", ("contacts", c, field), text
    for i, lesson in enumerate(deck.lessons):
        label = f"'{lesson.id}' (card {i + 1})"
        yield label, "statement", ("lessons", i, "statement"), lesson.statement
        yield label, "explanation", ("lessons", i, "explanation"), lesson.explanation
        for field, text in (("actions.self", lesson.actions.own), ("actions.higher", lesson.actions.higher)):
            if text:
                yield label, field, ("lessons", i, *field.split(".")), text
        for q, question in enumerate(lesson.questions):
            yield label, f"questions[{q + 1}].text", ("lessons", i, "questions", q, "text"), question.text
        for s, source in enumerate(lesson.sources):
            yield label, f"sources[{s + 1}].title", ("lessons", i, "sources", s, "title"), source.title


def find_glyph_problems(loaded: LoadedDeck) -> list[Problem]:
    """Every text field with characters the font cannot print."""
    problems = []
    for lesson, field, loc, text in _texts(loaded):
        missing = missing_glyphs(text)
        if missing:
            shown = ", ".join((f"'{ch}' " if ch.isprintable() else "") + f"(U+{ord(ch):04X})" for ch in missing[:5])
            problems.append(Problem(*loaded.where(*loc),
                                    f"contains characters the font cannot print: {shown}",
                                    "remove or replace them (they would print as blanks)", lesson, field))
    return problems
