"""The content model of a deck, as pydantic v2 models.

In: plain data read from a deck file (dicts, lists, strings).
Out: validated, immutable ``Deck`` objects; ``deck_json_schema()`` for editors. Every text goes
through ``cards.textroad`` (NFC, no U+FEFF, control and text-direction characters refused); URLs,
e-mail addresses, phone numbers, ids, colours and language codes are validated and kept exactly
as written (never rewritten), each marked with what it is (``textroad.Unchanged``). Lesson
numbers are derived from order, never typed; numbers are written in the digits 0-9, but a phone
number is text: it may be written in Arabic-Indic or Persian digits. Fields that are never
printed as text (ids, colours, icon names, file paths) carry the ``NOT_PRINTED`` mark, so checks
of "every printed text" skip exactly those.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, StringConstraints,
                      WithJsonSchema)

from dialoogkit.cards.numbers import check_whole_number
from dialoogkit.cards.paths import DECK_REFERENCE, FILE_REFERENCE
from dialoogkit.cards.textroad import (COLOUR, EMAIL, KEY, LANGUAGE, PATH, PHONE, SLUG, URL,
                                       check_characters, text_type)
from dialoogkit.errors import quoted
from dialoogkit.i18n import say

if TYPE_CHECKING:
    from dialoogkit.cards.companion import Companion

URL_SCHEMES = ("https", "http", "mailto", "tel")
ICONS = ("people", "house", "link", "handshake", "chat", "key", "heart", "star")
LANGUAGES = ("nl", "en")  # the languages with bundled labels, guide texts and wording


class NotPrinted:
    """Marks a field whose value is never printed as text (an id, a colour, an icon name, a file
    path): put it in the field's ``Annotated[...]``; every other text field is printed somewhere."""

    def __repr__(self) -> str:
        return "NOT_PRINTED"


NOT_PRINTED = NotPrinted()


def check_url(value: str) -> str:
    """Accept an https/http/mailto/tel address without spaces; return it unchanged."""
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValueError(say("cards.model.url_spaces"))
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    if scheme not in URL_SCHEMES:
        schemes = ", ".join(s + ":" for s in URL_SCHEMES)
        if scheme:
            raise ValueError(say("cards.model.url_scheme", scheme=quoted(scheme, 40), schemes=schemes))
        raise ValueError(say("cards.model.url_no_scheme", schemes=schemes))
    if scheme in ("http", "https") and not urlsplit(value).hostname:
        raise ValueError(say("cards.model.url_host"))
    if scheme in ("mailto", "tel") and len(value) <= len(scheme) + 1:
        raise ValueError(say("cards.model.url_empty", scheme=scheme))
    return value


PHONE_CHARACTERS = re.compile(r"\+?[0-9\u0660-\u0669\u06F0-\u06F9 ()\-]{3,24}")
PHONE_DIGITS = 3  # at least


def check_phone(value: str) -> str:
    """Accept a phone number as typed: an optional +, then digits (0-9, Arabic-Indic U+0660-0669 or
    Persian U+06F0-06F9; all of one kind), spaces, hyphens and brackets; return it unchanged (it is
    text, not a number: the digits 0-9 rule of ``cards.numbers`` does not apply)."""
    if not PHONE_CHARACTERS.fullmatch(value) or sum(ch.isdigit() for ch in value) < PHONE_DIGITS:
        raise ValueError(say("cards.model.phone", found=quoted(value, 40)))
    if len({ord(ch) & ~0xF for ch in value if ch.isdigit()}) > 1:  # 0-9, U+066x and U+06Fx: one block each
        raise ValueError(say("cards.model.phone_mixed", found=quoted(value, 40)))
    return value


Text = text_type(4000)
ShortText = text_type(300)
_PathText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1024),
                      AfterValidator(check_characters), NOT_PRINTED, PATH]
FileName = Annotated[_PathText, FILE_REFERENCE]  # a file beside the naming file, opened only through cards.paths
DeckName = Annotated[_PathText, DECK_REFERENCE]  # a bundled deck's name or a deck file, the same way
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64), NOT_PRINTED, SLUG]
Colour = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^#[0-9A-Fa-f]{6}$"), NOT_PRINTED, COLOUR]
Phone = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(check_phone), PHONE,
                  WithJsonSchema({"type": "string", "pattern": f"^\\s*{PHONE_CHARACTERS.pattern}\\s*$"})]
Email = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
                  AfterValidator(check_characters), EMAIL]
LabelKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$", max_length=64), KEY]
WholeNumber = Annotated[int, BeforeValidator(check_whole_number)]
MAX_INK = 300  # percent: the most ink a print colour may put down (total area coverage)


def check_cmyk(value: object) -> object:
    """Accept four ink percentages (cyan, magenta, yellow, black), each 0..100, at most ``MAX_INK``
    in total."""
    if not isinstance(value, (list, tuple)) or len(value) != 4:
        raise ValueError(say("colour.cmyk_four", found=quoted(str(value), 60)))
    inks = [_percentage(ink) for ink in value]
    for ink in inks:
        if not 0 <= ink <= 100:
            raise ValueError(say("colour.cmyk_range", found=f"{ink:g}"))
    total = sum(inks)
    if total > MAX_INK:
        raise ValueError(say("colour.cmyk_total", total=f"{total:g}", limit=MAX_INK))
    return inks


def _percentage(ink: object) -> float:
    """A number as written in a deck (``76``, ``12.5``; digits 0-9), or a number from JSON."""
    if isinstance(ink, (int, float)) and not isinstance(ink, bool):
        return float(ink)
    if isinstance(ink, str) and re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{1,2})?", ink.strip(), re.ASCII):
        return float(ink)
    raise ValueError(say("colour.cmyk_number", found=quoted(str(ink), 40)))


PrintColour = Annotated[list[Annotated[float, Field(ge=0, le=100)]], BeforeValidator(check_cmyk),
                        Field(min_length=4, max_length=4), NOT_PRINTED]
# The printing condition a deck's cmyk values were chosen for, as --output-intent names it (FOGRA39).
ConditionName = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$"),
                          NOT_PRINTED, KEY]
Url = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), AfterValidator(check_url),
                AfterValidator(check_characters), URL]
LanguageCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"),
                         NOT_PRINTED, LANGUAGE]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Source(_Model):
    """A web page a lesson refers to; its URL becomes the QR code on the card's back."""

    title: ShortText
    url: Url


class Publication(_Model):
    """The publication the deck is based on, credited on every material."""

    title: ShortText
    publishers: list[ShortText] = Field(min_length=1)
    url: Url | None = None


class Theme(_Model):
    """What a lesson is about (e.g. community building); shown as a coloured band with an icon."""

    label: ShortText
    colour: Colour = Field(description="Band colour on screen as #RRGGBB; the text colour on it is chosen for contrast.")
    cmyk: PrintColour | None = Field(default=None, description="Band colour in print as [c, m, y, k] in percent "
                                     "(0-100 each, at most 300 in total) for the deck's cmyk_condition (FOGRA39); without it, or "
                                     "in a build for another condition, the screen colour is converted through that "
                                     "condition's profile.")
    icon: Annotated[Literal[ICONS], NOT_PRINTED] = Field(description="Icon drawn next to the label, so colour is never the only cue.")  # type: ignore[valid-type]


class Pillar(_Model):
    """One of the investments (Structuur, Mensen, Relaties) lessons are grouped under."""

    label: ShortText
    summary: ShortText


class Audience(_Model):
    """A party at the table a question can be aimed at."""

    label: ShortText


class Actions(_Model):
    """What partners can pick up themselves, and what needs the regional or municipal level."""

    own: Text | None = Field(default=None, alias="self", description="Zelf oppakken / versterken")
    higher: Text | None = Field(default=None, description="Hoger niveau")


class Question(_Model):
    """A discussion question, optionally aimed at one audience (no audience: everyone)."""

    text: Text
    audience: Slug | None = None


class Lesson(_Model):
    """One lesson from practice: one card, one canvas."""

    id: Slug
    theme: Slug
    pillar: Slug
    statement: Text
    explanation: Text
    actions: Actions = Actions()
    questions: list[Question] = Field(min_length=3, max_length=8)
    tips: list[Text] = Field(default_factory=list, max_length=6, description="Facilitation tips for the guide.")
    sources: list[Source] = Field(min_length=1, max_length=5)


class Opening(_Model):
    """The opening card "Waar gaat dit over?": what the deck is about, in plain words. A deck-level
    card, not a lesson: printed first, unnumbered, not counted in "n / N", not in ``select``."""

    title: ShortText = Field(description="The band's label, e.g. 'Waar gaat dit over?'.")
    statement: Text = Field(description="One short line in large type.")
    text: Text = Field(description="A few plain sentences: what the words mean and why we talk.")
    questions: list[Text] = Field(min_length=1, max_length=4, description="Open questions to start with.")
    source: Source = Field(description="A web page to read more; its URL becomes the QR code.")


class Block(_Model):
    """One step of a session's agenda; its clock time is computed from the minutes before it."""

    title: ShortText
    minutes: WholeNumber = Field(ge=1, le=480)
    purpose: Text
    instructions: Text


class Session(_Model):
    """A session format for the guide; ``minutes`` must equal the sum of its blocks."""

    id: Slug
    title: ShortText
    minutes: WholeNumber = Field(ge=1, le=1440)
    invitation: Text
    space: Text
    participation: Text
    groups: Text
    blocks: list[Block] = Field(min_length=1, max_length=30)


class Contact(_Model):
    """A local contact (e.g. the wijkteam or meldpunt), printed on the contacts card and in the guide."""

    name: ShortText
    role: ShortText | None = None
    phone: Phone | None = Field(default=None, description="Printed as typed, left to right: digits 0-9, "
                                "Arabic-Indic or Persian, with spaces, hyphens, brackets and a leading +.")
    email: Email | None = None
    url: Url | None = None


class Deck(_Model):
    """A deck of lessons with its themes, pillars, audiences and the publication it is based on."""

    id: Slug
    language: LanguageCode = Field(default="nl", description="ISO 639 code; nl and en have bundled labels, "
                                   "another language needs its own labels:.")
    labels: dict[LabelKey, Text] | None = Field(
        default=None, description="The fixed labels in the deck's language (see `dialoogkit labels nl`); "
        "for nl and en single labels may be overridden.")
    title: ShortText
    subtitle: ShortText | None = None
    region: ShortText | None = None
    logo: FileName | None = Field(default=None, description="PNG or JPEG inside the deck's folder, at least 120 px high.")
    source: Publication
    themes: dict[Slug, Theme] = Field(min_length=1)
    cmyk_condition: ConditionName = Field(
        default="FOGRA39", description="The printing condition the themes' cmyk values were chosen for (as "
        "--output-intent names it). A build for another condition converts the screen colours instead.")
    pillars: dict[Slug, Pillar] = Field(min_length=1)
    audiences: dict[Slug, Audience] = Field(min_length=1)
    lessons: list[Lesson] = Field(min_length=1, max_length=5000)
    opening: Opening | None = Field(default=None, description="The opening card; a deck that extends "
                                    "another inherits it, rewrites its fields or drops it with 'opening: null'.")
    contacts: list[Contact] = Field(default_factory=list, max_length=8)
    sessions: list[Session] = Field(default_factory=list, max_length=10,
                                    description="Session formats to add to the guide, or to replace one by its id.")
    companion: FileName | None = Field(
        default=None, description="A deck file (path relative to this file) in a second language, printed smaller "
        "beside this deck's statements and questions. It extends the same deck as this one with its own "
        "language:, labels: and override: of each lesson's statement and questions; lessons are matched by id, "
        "questions in order. Its explanations are not printed.")
    _own_lessons: frozenset[str] = PrivateAttr(default_factory=frozenset)
    _companion: "Companion | None" = PrivateAttr(default=None)

    @property
    def own_lessons(self) -> frozenset[str]:
        """Ids of the lessons the deck wrote itself (credited to the deck, not the publication);
        set by the loader from where each lesson was written."""
        return self._own_lessons

    def note_own_lessons(self, ids: frozenset[str]) -> None:
        """Record which lessons are the deck's own (see ``cards.provenance``)."""
        self._own_lessons = ids

    @property
    def companion_texts(self) -> "Companion | None":
        """The texts of the ``companion`` deck matched to this deck's lessons; set by the loader
        (see ``cards.companion``)."""
        return self._companion

    def note_companion(self, companion: "Companion | None") -> None:
        """Record the companion deck's texts (see ``cards.companion``)."""
        self._companion = companion


class DeckPatch(_Model):
    """The keys a deck file holds besides a deck's fields: what it builds on and how (read by
    ``cards.extends`` before the merged deck is validated)."""

    extends: DeckName | None = Field(default=None, description="A bundled deck name or a path relative to this file.")
    select: list[str | int] | None = Field(
        default=None, description="Lessons of the parent (id or number) and new lessons, in this order.")
    override: dict[str, dict] | None = Field(
        default=None, description="Per lesson id or number: fields to replace; questions+ / sources+ append.")


def deck_json_schema() -> dict:
    """The JSON Schema of a deck file, for editor completion and checking. A deck that
    ``extends`` another needs none of the otherwise required fields."""
    schema = Deck.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "dialoogkit deck"
    required = schema.pop("required", [])
    schema["properties"].update({
        "extends": {"type": "string", "description": DeckPatch.model_fields["extends"].description},
        "select": {"type": "array", "items": {"type": ["string", "integer"]},
                   "description": DeckPatch.model_fields["select"].description},
        "override": {"type": "object", "additionalProperties": {"type": "object"},
                     "description": DeckPatch.model_fields["override"].description},
    })
    schema["if"] = {"not": {"required": ["extends"]}}
    schema["then"] = {"required": required}
    return schema

