"""What goes on one card, gathered from a deck: the texts of front and back with their labels.

In: a validated ``Deck``, a lesson of it and the deck's label table.
Out: ``CardContent``, flat and ready to be fitted and drawn, with the deck field each text comes
from (so a problem can name it).
"""

from __future__ import annotations

from dataclasses import dataclass

from dialoogkit.cards.labels import Labels
from dialoogkit.cards.models import Deck, Lesson, Source
from dialoogkit.generator.fonts import REGULAR, text_width


@dataclass(frozen=True)
class QuestionText:
    audience: str
    text: str


@dataclass(frozen=True)
class CardContent:
    """Everything printed on one card."""

    lesson_id: str
    number: int
    total: int
    language: str
    theme_label: str
    theme_colour: str
    theme_icon: str
    pillar_label: str
    statement: str
    explanation: str
    questions: tuple[QuestionText, ...]
    source: Source | None
    footer: str
    credit: str
    labels: Labels
    logo: str | None = None


def publication_credit(deck: Deck, labels: Labels) -> str:
    """The line that credits the publication the deck is based on."""
    publishers = ", ".join(deck.source.publishers)
    return f"{labels['based_on']}: {deck.source.title} ({publishers})"


def deck_footer(deck: Deck) -> str:
    """Deck title, with the region when one is set."""
    return f"{deck.title} · {deck.region}" if deck.region else deck.title


def gather_card(deck: Deck, lesson: Lesson, number: int, labels: Labels, logo: str | None = None) -> CardContent:
    """Collect the texts of one lesson's card."""
    theme = deck.themes[lesson.theme]
    questions = tuple(
        QuestionText(deck.audiences[q.audience].label if q.audience else labels["everyone"], q.text)
        for q in lesson.questions
    )
    return CardContent(
        lesson_id=lesson.id, number=number, total=len(deck.lessons), language=deck.language,
        theme_label=theme.label, theme_colour=theme.colour, theme_icon=theme.icon,
        pillar_label=f"{labels['pillar']}: {deck.pillars[lesson.pillar].label}",
        statement=lesson.statement, explanation=lesson.explanation, questions=questions,
        source=lesson.sources[0], footer=deck_footer(deck), credit=publication_credit(deck, labels),
        labels=labels, logo=logo,
    )


def short_url(url: str) -> str:
    """A URL as people read it: no scheme, no ``www.``, no trailing slash."""
    text = url
    for prefix in ("https://", "http://", "mailto:", "tel:"):
        if text.lower().startswith(prefix):
            text = text[len(prefix):]
            break
    if text.lower().startswith("www."):
        text = text[4:]
    return text.rstrip("/")


def url_to_fit(url: str, width: float, size: float) -> str:
    """The short form of ``url``, cut in the middle with an ellipsis until it fits one line of
    ``width`` points at ``size`` (the QR code carries the whole address)."""
    text = short_url(url)
    if text_width(text, REGULAR, size) <= width:
        return text
    keep = len(text)
    while keep > 8:
        keep -= 1
        head = (keep * 2) // 3
        candidate = text[:head] + "…" + text[len(text) - (keep - head):]
        if text_width(candidate, REGULAR, size) <= width:
            return candidate
    return text[:8] + "…"

