"""The opening card "Waar gaat dit over?": what the deck is about, before the first lesson.

In: a deck with an ``opening``, the card geometry and the label table.
Out: ``CardContent`` for it (band label = the opening's title, the deck's subtitle or title where a
lesson has its pillar, its questions for everyone, the deck's credit), composed like a lesson's
card, and ``unnumbered`` to take the "n / N" off its faces: the opening card is not one of the
lessons. Every text is ``Located`` at its ``opening`` field.
"""

from __future__ import annotations

from dialoogkit.cards.labels import Labels
from dialoogkit.cards.models import Deck
from dialoogkit.generator.content import CardContent, QuestionText, deck_credit, footer_text
from dialoogkit.generator.contacts import NEUTRAL_HEX
from dialoogkit.generator.display import Face
from dialoogkit.generator.located import fixed, written

OPENING_ICON = "chat"


def gather_opening(deck: Deck, labels: Labels, logo: str | None = None) -> CardContent:
    """The texts of the opening card of ``deck`` (which must have one)."""
    opening = deck.opening
    assert opening is not None
    heading = written(deck.subtitle, "subtitle") if deck.subtitle else written(deck.title, "title")
    return CardContent(
        lesson_id="opening", number=0, total=len(deck.lessons), language=deck.language,
        theme_label=written(opening.title, "opening", "title"), theme_colour=NEUTRAL_HEX, theme_icon=OPENING_ICON,
        pillar_label=heading, statement=written(opening.statement, "opening", "statement"),
        explanation=written(opening.text, "opening", "text"),
        questions=tuple(QuestionText(fixed(labels["everyone"]), written(text, "opening", "questions", i))
                        for i, text in enumerate(opening.questions)),
        source=opening.source, footer=footer_text(deck), credit=deck_credit(deck, labels), labels=labels, logo=logo,
        source_title=written(opening.source.title, "opening", "source", "title"),
        source_url=written(opening.source.url, "opening", "source", "url"),
    )


def unnumbered(face: Face) -> Face:
    """``face`` without the band's "n / N": the opening card is not one of the lessons."""
    return Face(face.width, face.height, tuple(item for item in face.items if getattr(item, "name", "") != "number"))
