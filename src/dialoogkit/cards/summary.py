"""A short human summary of a checked deck.

In: a ``LoadedDeck``.
Out: a few lines of text: title, language, counts of lessons, questions and sources.
"""

from __future__ import annotations

from dialoogkit.cards.loader import LoadedDeck


def summarise_deck(loaded: LoadedDeck) -> str:
    """Say what the deck holds, for ``dialoogkit check``."""
    deck = loaded.deck
    questions = sum(len(lesson.questions) for lesson in deck.lessons)
    sources = len({s.url for lesson in deck.lessons for s in lesson.sources})
    lines = [
        f"OK  {deck.title}  ({deck.id}, {deck.language})",
        f"    file: {loaded.path}",
        "    " + ", ".join(_count(n, word) for n, word in (
            (len(deck.lessons), "lesson"), (questions, "question"), (sources, "distinct source"),
            (len(deck.themes), "theme"), (len(deck.pillars), "pillar"), (len(deck.audiences), "audience"))),
    ]
    if deck.region:
        lines.insert(1, f"    region: {deck.region}")
    if len(loaded.chain) > 1:
        lines.append("    extends: " + " → ".join(loaded.chain[1:]))
    if deck.contacts:
        lines.append(f"    {len(deck.contacts)} contacts (printed on an extra card)")
    return "\n".join(lines)


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"
