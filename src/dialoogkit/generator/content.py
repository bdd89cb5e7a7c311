"""What goes on one card, gathered from a deck: the texts of front and back with their labels.

In: a validated ``Deck``, a lesson of it (with its index) and the deck's label table.
Out: ``CardContent``, flat and ready to be fitted and drawn (with the statement and questions in
the language of the deck's ``companion``, when it has one); every text is ``Located``: composed
texts (footer "title · region", the credit, "Pijler: …", a question with its audience) keep the
deck path of each part, so a problem names the real field.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialoogkit.cards.companion import question_path, statement_path
from dialoogkit.cards.labels import Labels
from dialoogkit.cards.models import Deck, Source
from dialoogkit.generator.fonts import REGULAR, text_width
from dialoogkit.generator.located import Located, fixed, joined, separated, written


@dataclass(frozen=True)
class QuestionText:
    audience: Located
    text: Located

    @property
    def printed(self) -> Located:
        """The question as printed: ``audience: text``."""
        return joined(self.audience, ": ", self.text)


@dataclass(frozen=True)
class CardContent:
    """Everything printed on one card."""

    lesson_id: str
    number: int
    total: int
    language: str
    theme_label: Located
    theme_colour: str
    theme_icon: str
    pillar_label: Located
    statement: Located
    explanation: Located
    questions: tuple[QuestionText, ...]
    source: Source | None
    footer: Located
    credit: Located
    labels: Labels
    logo: str | None = None
    source_title: Located | None = None
    source_url: Located | None = None
    theme_cmyk: tuple[float, float, float, float] | None = None  # the deck's print colour, in percent
    theme_cmyk_for: str = "FOGRA39"  # the printing condition the deck chose that print colour for
    companion_language: str | None = None  # the language of the deck's companion, when it has one
    companion_statement: Located | None = None  # the statement in the companion's language
    companion_questions: tuple[Located, ...] = ()  # each question in the companion's language, in order


def credit_text(deck: Deck, labels: Labels) -> Located:
    """The line that credits the publication the deck is based on, with where each part was written."""
    publishers = separated([written(name, "source", "publishers", i) for i, name in enumerate(deck.source.publishers)],
                           ", ")
    return joined(f"{labels['based_on']}: ", written(deck.source.title, "source", "title"), " (", publishers, ")")


def own_credit_text(deck: Deck, labels: Labels) -> Located:
    """The line that credits the deck itself (title and region), for its own lessons and its
    contacts card."""
    return joined(f"{labels['own_credit']}: ", footer_text(deck))


def lesson_credit(deck: Deck, index: int, labels: Labels) -> Located:
    """The credit of lesson ``index``: the publication for a lesson taken from it, the deck for a
    lesson it wrote itself (see ``cards.provenance``)."""
    if deck.lessons[index].id in deck.own_lessons:
        return own_credit_text(deck, labels)
    return credit_text(deck, labels)


def deck_credit(deck: Deck, labels: Labels) -> Located:
    """The credit of the whole deck (covers, overview): the publication while any lesson comes from
    it, else the deck itself."""
    if all(lesson.id in deck.own_lessons for lesson in deck.lessons):
        return own_credit_text(deck, labels)
    return credit_text(deck, labels)


def publication_credit(deck: Deck, labels: Labels) -> str:
    """The line that credits the publication the deck is based on."""
    return deck_credit(deck, labels).text


def footer_text(deck: Deck) -> Located:
    """Deck title, with the region when one is set."""
    title = written(deck.title, "title")
    return joined(title, " · ", written(deck.region, "region")) if deck.region else title


def deck_footer(deck: Deck) -> str:
    """Deck title, with the region when one is set."""
    return footer_text(deck).text


def audience_text(deck: Deck, audience: str | None, labels: Labels) -> Located:
    """The label of a question's audience (everyone when it has none)."""
    if audience is None:
        return fixed(labels["everyone"])
    return written(deck.audiences[audience].label, "audiences", audience, "label")


def gather_card(deck: Deck, index: int, labels: Labels, logo: str | None = None) -> CardContent:
    """Collect the texts of the card of lesson ``index`` (0-based; the card's number is index + 1)."""
    lesson = deck.lessons[index]
    theme = deck.themes[lesson.theme]
    at = ("lessons", index)
    questions = tuple(
        QuestionText(audience_text(deck, q.audience, labels), written(q.text, *at, "questions", i, "text"))
        for i, q in enumerate(lesson.questions)
    )
    source = lesson.sources[0]
    companion = deck.companion_texts
    translation = companion.lessons[index] if companion is not None else None
    return CardContent(
        lesson_id=lesson.id, number=index + 1, total=len(deck.lessons), language=deck.language,
        theme_label=written(theme.label, "themes", lesson.theme, "label"), theme_colour=theme.colour,
        theme_cmyk=tuple(theme.cmyk) if theme.cmyk is not None else None, theme_cmyk_for=deck.cmyk_condition,
        theme_icon=theme.icon,
        pillar_label=joined(f"{labels['pillar']}: ", written(deck.pillars[lesson.pillar].label, "pillars",
                                                             lesson.pillar, "label")),
        statement=written(lesson.statement, *at, "statement"),
        explanation=written(lesson.explanation, *at, "explanation"), questions=questions,
        source=source, footer=footer_text(deck), credit=lesson_credit(deck, index, labels), labels=labels, logo=logo,
        source_title=written(source.title, *at, "sources", 0, "title"),
        source_url=written(source.url, *at, "sources", 0, "url"),
        companion_language=companion.language if companion is not None else None,
        companion_statement=written(translation.statement, *statement_path(index)) if translation else None,
        companion_questions=tuple(written(text, *question_path(index, i))
                                  for i, text in enumerate(translation.questions)) if translation else (),
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

