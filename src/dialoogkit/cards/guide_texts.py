"""The texts of the facilitator guide, per language, with the deck's own sessions merged in.

In: a ``LoadedDeck`` (its language and its ``sessions``).
Out: a ``LoadedGuide``: the bundled ``GuideTexts`` (purpose, who to invite, how to include everyone,
ground rules, general tips, what to do after the session, printing instructions, a glossary of the
words residents may not know, session formats) with the file and lines they were written at, and
the sessions the guide prints (bundled ones, replaced by a deck session with the same id, then the
deck's new sessions), each with the file and path it came from. The bundled file is validated like
a deck: problems name file and line. The printing instructions are templates: each line may hold
named fields (``PRINT_FIELDS``, e.g. ``{paper}``) that the guide fills from the options the kit was
built with, and may print only ``when`` a condition holds (``PRINT_CONDITIONS``, e.g. ``short-edge``);
an unknown field or condition is a located problem. A printing step may show a small drawing
(``PRINT_PICTURES``). The agenda words say how long a block takes with an interpreter.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Formatter
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, ValidationError

from dialoogkit.cards.labels import Labels, labels_for, load_labels
from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.cards.messages import translate_error, where
from dialoogkit.cards.models import NOT_PRINTED, Deck, ShortText, Session, Text, _Model
from dialoogkit.cards.references import find_session_problems
from dialoogkit.cards.yamlsource import Origins, PathKey, read_yaml
from dialoogkit.errors import ContentError
from dialoogkit.i18n import say


class Invitee(_Model):
    who: ShortText
    why: Text


PRINT_FIELDS = ("paper", "format", "size", "per_sheet", "cards", "sheets", "front_pages", "back_pages",
                "offset_x", "offset_y", "gutter", "bleed", "canvas", "canvas_size")
PRINT_CONDITIONS = ("long-edge", "short-edge", "none", "fold", "duplex", "back-offset", "gutter", "narrow-gutter",
                    "bleed", "no-bleed", "canvas-a3", "canvas-large")
PRINT_PICTURES = ("fold", "none")  # the small drawings a printing step may show beside its text


def check_template(value: str) -> str:
    """Accept text whose ``{fields}`` are all in ``PRINT_FIELDS`` (``{{`` prints a brace)."""
    try:
        parsed = list(Formatter().parse(value))
    except ValueError:
        raise ValueError(say("cards.guide.single_brace", open="{", close="}", example="{paper}")) from None
    for _, name, spec, conversion in parsed:
        if name is not None and (name not in PRINT_FIELDS or spec or conversion):
            raise ValueError(say("cards.guide.unknown_field", field=f"{{{name}}}",
                                 fields=", ".join(f"{{{f}}}" for f in PRINT_FIELDS)))
    return value


def as_line(value: Any) -> Any:
    """A plain text in a list of printing lines is a line without a condition."""
    return {"text": value} if isinstance(value, str) else value


Template = Annotated[Text, AfterValidator(check_template)]
Condition = Annotated[Literal[PRINT_CONDITIONS], NOT_PRINTED]  # type: ignore[valid-type]


class PrintLine(_Model):
    """A sentence or two of a printing step, printed only ``when`` its condition holds."""

    text: Template
    when: Condition | None = None


class PrintStep(_Model):
    """A printing step: a title and its lines (plain texts, or ``{text, when}``), and maybe a small
    drawing beside them (``picture``: how to fold a sheet, or how to feed the stack again)."""

    title: ShortText
    text: list[Annotated[PrintLine, BeforeValidator(as_line)]] = Field(min_length=1)
    when: Condition | None = None
    picture: Annotated[Literal[PRINT_PICTURES], NOT_PRINTED] | None = None  # type: ignore[valid-type]


class AgendaTexts(_Model):
    """The words of the agenda tables: the time of a block with an interpreter present
    (``interpreter``, e.g. "met tolk"), and the sentence under each table that explains it."""

    interpreter: ShortText
    interpreter_note: Text


class Section(_Model):
    """A titled part of a chapter: a heading and one or more paragraphs."""

    title: ShortText
    text: list[Text] = Field(min_length=1)


class Chapter(_Model):
    """A chapter of the guide (e.g. how to include everyone): a title, an optional opening
    paragraph and its sections, each under its own heading."""

    title: ShortText
    intro: Text | None = None
    sections: list[Section] = Field(min_length=1)


class Term(_Model):
    """A word of the glossary and what it means, in plain words."""

    term: ShortText
    meaning: Text


class Glossary(_Model):
    """The glossary page: a title, an optional opening sentence and the terms, printed in the
    order written."""

    title: ShortText
    intro: Text | None = None
    terms: list[Term] = Field(min_length=1)


class GuideTexts(_Model):
    """Everything the guide says besides the lessons."""

    purpose: list[Text] = Field(min_length=1)
    invite: list[Invitee] = Field(min_length=1)
    include: Chapter = Field(description="How to include everyone: seating, interpreters, access, pay, "
                             "aftercare, privacy.")
    ground_rules: list[Text] = Field(min_length=1)
    tips: list[Text] = Field(min_length=1)
    follow_up: Chapter = Field(description="After the session: the report back to residents and who "
                               "takes the higher-level points further.")
    printing: list[PrintStep] = Field(min_length=1)
    agenda: AgendaTexts
    glossary: Glossary
    sessions: list[Session] = Field(min_length=1)


GUIDE = "guide"  # texts of the bundled guide file
DECK = "deck"  # texts of the deck (and the decks it extends)


@dataclass(frozen=True)
class LoadedGuide:
    """The bundled guide texts as written in ``file`` (lines in ``origins``), and the sessions the
    guide prints: ``session_sources[i]`` says where ``sessions[i]`` was written, as ``(GUIDE, path
    in the guide file)`` or ``(DECK, path in the deck)``."""

    texts: GuideTexts
    file: str
    origins: Origins
    sessions: tuple[Session, ...]
    session_sources: tuple[tuple[str, PathKey], ...]

    def where(self, *loc: str | int) -> tuple[str, int | None]:
        """``(file, line)`` of a path in the bundled guide file."""
        return where(loc, self.origins, self.file)


FALLBACK_LANGUAGE = "en"  # the guide's language for a deck in a language without bundled guide texts


def guide_file(language: str) -> Path:
    """The bundled guide texts of ``language``."""
    return Path(str(resources.files("dialoogkit.cards") / "data" / "guide" / f"{language}.yaml"))


def guide_language(language: str) -> str:
    """The language the guide of a deck in ``language`` is written in: the deck's own where the
    guide's texts are bundled for it (nl, en), else English (the facilitator's guide; the deck's
    lessons still appear in their own language)."""
    return language if guide_file(language).is_file() else FALLBACK_LANGUAGE


def guide_labels(deck: Deck) -> Labels:
    """The labels the guide prints: the deck's own when the guide is in the deck's language, else
    the bundled table of the guide's language."""
    language = guide_language(deck.language)
    return labels_for(deck) if language == deck.language else load_labels(language)


def load_guide_texts(loaded: LoadedDeck) -> LoadedGuide:
    """Bundled guide texts for the deck's language (or English, see ``guide_language``), with the
    deck's sessions merged in."""
    path = guide_file(guide_language(loaded.deck.language))
    data, origins = read_yaml(path)
    problems = list(find_session_problems(data, origins, str(path))) if isinstance(data, dict) else []
    try:
        texts = GuideTexts.model_validate(data)
    except ValidationError as exc:
        problems += [translate_error(err, GuideTexts, data, origins, str(path)) for err in exc.errors()]
    if problems:
        raise ContentError(problems)
    sessions: dict[str, tuple[Session, tuple[str, PathKey]]] = {
        session.id: (session, (GUIDE, ("sessions", i))) for i, session in enumerate(texts.sessions)}
    for i, session in enumerate(loaded.deck.sessions):
        sessions[session.id] = (session, (DECK, ("sessions", i)))
    return LoadedGuide(texts, str(path), origins, tuple(s for s, _ in sessions.values()),
                       tuple(source for _, source in sessions.values()))
