"""The content model of a results file: what the tables of one session decided, per lesson.

In: plain data read from a results file (dicts, lists, strings; see ``cards.yamlsource``).
Out: validated, immutable ``Results``: the session facts (date, place, partners at the table,
residents by role), per lesson of the deck the dot votes per partner (1..``VOTE_MAX``, as on the
overview canvas; empty: no dot), what was recognised, the agreements (what, who, when, status,
and why an agreement stopped) and the points for a higher level with their addressee, and what
happens next; who sends the letters (``sender``: a professional, the one block besides
``addressees`` that may name a person) and who exactly receives each letter (``addressees``, per
``to:``); what the previous session left (``previous``: its date, its dots and its agreements
that were not done, copied in by ``results new --after`` so the file names no other file); and
``not_names``, words a user confirmed are no person's name. Every text has a length limit (so the
report can always set it) and goes through ``cards.textroad`` (NFC, no U+FEFF, control and
text-direction characters refused); no other field holds a person: owners and addressees are
roles or organisations (``privacy`` and ``residents`` check that).

Decisions: ``when`` is free text (a date such as 2025-06-01, or "voor de zomer"), because the
tables write both; ``status`` is open / started / done / stopped, and the Dutch words open / bezig
/ klaar / gestopt are accepted for them.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from dialoogkit.cards.models import DeckName, Email, FileName, Phone, ShortText, Slug, WholeNumber
from dialoogkit.cards.textroad import DATE, normalise_text, text_type
from dialoogkit.errors import quoted
from dialoogkit.i18n import say

VOTE_MAX = 5  # the dots of one partner on the overview canvas: 1 = matters little, 5 = matters a lot
STATUSES = ("open", "started", "done", "stopped")
FINISHED = ("done", "stopped")  # an agreement in one of these is not carried to the next session
STATUS_WORDS = {"open": "open", "bezig": "started", "started": "started", "klaar": "done", "done": "done",
                "gedaan": "done", "in progress": "started", "gestopt": "stopped", "stopped": "stopped"}


def check_date(value: str) -> str:
    """A date written as YYYY-MM-DD that exists; returned as written."""
    try:
        datetime.date.fromisoformat(value)
        if len(value) != 10:
            raise ValueError(value)
    except ValueError:
        raise ValueError(say("results.model.date", text=value[:40])) from None
    return value


def empty_as(kind: type) -> BeforeValidator:
    """A block or list written with nothing under it (YAML's null) as an empty one."""
    return BeforeValidator(lambda value: kind() if value is None else value)


def refuse_same_names(value: object) -> object:
    """Addressees (a block's keys) that are one addressee once matched as letters are (``simple``,
    after the text road's normalising): refused, naming both, instead of one silently replacing
    the other when the keys are merged."""
    if isinstance(value, dict):
        seen: dict[str, str] = {}
        for key in value:
            if not isinstance(key, str):
                continue
            same = simple(normalise_text(key))
            if same in seen:
                raise ValueError(say("results.letters.twice", first=quoted(seen[same], 60), second=quoted(key, 60)))
            seen[same] = key
    return value


def read_status(value: object) -> object:
    """Open / started / done / stopped, also written in Dutch (open / bezig / klaar / gestopt) or in
    capitals."""
    if isinstance(value, str):
        return STATUS_WORDS.get(" ".join(value.lower().split()), value)
    return value


Note = text_type(300)
Point = text_type(400)
Owner = text_type(80)
When = text_type(60)
Reason = text_type(300)
IsoDate = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(check_date), DATE]
Vote = Annotated[WholeNumber, Field(ge=1, le=VOTE_MAX)]
Status = Annotated[Literal[STATUSES], BeforeValidator(read_status)]  # type: ignore[valid-type]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ResidentGroup(_Model):
    """How many residents of one role took part (never who)."""

    role: Owner
    count: Annotated[WholeNumber, Field(ge=0, le=10_000)]


class Session(_Model):
    """When and where the session was held, and who was at the table."""

    date: IsoDate | None = None
    place: ShortText | None = None
    partners: list[Slug] = Field(default_factory=list, max_length=20,
                                 description="The deck's audiences (partners) that took part.")
    residents: list[ResidentGroup] = Field(default_factory=list, max_length=12)


class Agreement(_Model):
    """Who does what by when: ``who`` is a role or an organisation, never a person."""

    what: Point
    who: Owner | None = None
    when: When | None = None
    status: Status = "open"
    reason: Reason | None = Field(default=None, description="Why the agreement stopped (status gestopt).")


class HigherPoint(_Model):
    """A point for the municipality, the region or a named organisation."""

    point: Point
    to: Owner


class LessonResults(_Model):
    """What the tables said about one lesson of the deck."""

    id: Slug
    votes: dict[Slug, Vote | None] = Field(default_factory=dict, max_length=20)
    recognised: list[Note] = Field(default_factory=list, max_length=12)
    agreements: list[Agreement] = Field(default_factory=list, max_length=12)
    higher: list[HigherPoint] = Field(default_factory=list, max_length=8)


class Sender(_Model):
    """Who sends the letters and answers the questions about them: a professional."""

    organisation: ShortText | None = None
    name: Owner | None = None
    role: Owner | None = None
    address: ShortText | None = None
    email: Email | None = None
    phone: Phone | None = None
    logo: FileName | None = Field(default=None, description="PNG or JPEG beside this file, at the top of each "
                                  "letter (else the deck's logo).")


class Addressee(_Model):
    """Who exactly receives the letter to one ``to:``."""

    organisation: ShortText | None = None
    department: ShortText | None = None
    person: Owner | None = None


class CarriedAgreement(Agreement):
    """An agreement of the previous session that was not done yet, with the lesson it belongs to."""

    lesson: Slug


class Previous(_Model):
    """What the previous session left: its date, its dots and the agreements still to do."""

    date: IsoDate | None = None
    votes: dict[Slug, dict[Slug, Vote | None]] = Field(default_factory=dict, max_length=5000)
    agreements: list[CarriedAgreement] = Field(default_factory=list, max_length=500)


class Results(_Model):
    """The results of one session held with one deck."""

    deck: DeckName = Field(description="A bundled deck name, or the deck file's path relative to this file.")
    session: Session = Session()
    lessons: list[LessonResults] = Field(default_factory=list, max_length=5000)
    next: list[Note] = Field(default_factory=list, max_length=8, description="What happens next.")
    sender: Sender | None = Field(default=None, description="Who sends the letters (a professional).")
    # written `addressees:` (the method ``addressees()`` below has that name)
    recipients: Annotated[dict[ShortText, Addressee | None], empty_as(dict), BeforeValidator(refuse_same_names)] = Field(
        default_factory=dict, max_length=50, alias="addressees",
        description="Per `to:` under higher:, who receives the letter.")
    previous: Previous | None = Field(default=None, description="Copied from the previous session by "
                                      "`results new --after`.")
    not_names: Annotated[list[Owner], empty_as(list)] = Field(
        default_factory=list, max_length=200,
        description="Words that look like a name but are none (an organisation, a place).")

    def agreements(self) -> list[tuple[str, Agreement]]:
        """Every agreement with its lesson id, in the order of the file."""
        return [(lesson.id, agreement) for lesson in self.lessons for agreement in lesson.agreements]

    def addressees(self) -> dict[str, list[tuple[str, HigherPoint]]]:
        """The higher-level points per addressee (as first written; case and spaces ignored), with
        their lesson ids, in the order of the file."""
        found: dict[str, list[tuple[str, HigherPoint]]] = {}
        names: dict[str, str] = {}
        for lesson in self.lessons:
            for point in lesson.higher:
                key = simple(point.to)
                found.setdefault(names.setdefault(key, point.to), []).append((lesson.id, point))
        return found

    def addressee(self, to: str) -> Addressee | None:
        """Who receives the letter to ``to`` (case and spaces ignored), if the file says."""
        key = simple(to)
        return next((value for name, value in self.recipients.items() if simple(name) == key), None)


def simple(text: str) -> str:
    """``text`` in lower case with single spaces (how addressees are matched)."""
    return " ".join(text.lower().split())
