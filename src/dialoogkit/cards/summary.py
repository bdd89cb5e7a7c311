"""A short human summary of a checked deck.

In: a ``LoadedDeck``.
Out: a few lines of text in the user's language: title, language, counts of lessons, questions
and sources.
"""

from __future__ import annotations

from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.i18n import say


def summarise_deck(loaded: LoadedDeck) -> str:
    """Say what the deck holds, for ``dialoogkit check``."""
    deck = loaded.deck
    questions = sum(len(lesson.questions) for lesson in deck.lessons)
    sources = len({s.url for lesson in deck.lessons for s in lesson.sources})
    lines = [
        say("cards.summary.ok", title=deck.title, id=deck.id, language=deck.language),
        "    " + say("cards.common.file", path=loaded.path),
        "    " + ", ".join(counted(n, word) for n, word in (
            (len(deck.lessons), "lesson"), (questions, "question"), (sources, "source"),
            (len(deck.themes), "theme"), (len(deck.pillars), "pillar"), (len(deck.audiences), "audience"))),
    ]
    if deck.region:
        lines.insert(1, "    " + say("cards.summary.region", region=deck.region))
    if len(loaded.chain) > 1:
        lines.append("    " + say("cards.summary.extends", chain=" → ".join(loaded.chain[1:])))
    if deck.contacts:
        count = len(deck.contacts)
        lines.append("    " + say("cards.summary.contacts_one" if count == 1 else "cards.summary.contacts_many",
                                  count=count))
    return "\n".join(lines)


def counted(number: int, word: str) -> str:
    """``number`` things in words ("1 lesson", "3 lessons"): ``word`` is a key of ``cards.count``."""
    return say(f"cards.count.{word}_{'one' if number == 1 else 'many'}", count=number)
