"""The content model of a results file: what the tables of one session decided, per lesson.

In: plain data read from a results file (dicts, lists, strings; see ``cards.yamlsource``).
Out: validated, immutable ``Results``: the session facts (date, place, partners at the table,
residents by role), per lesson of the deck the dot votes per partner (1..``VOTE_MAX``, as on the
overview canvas; empty: no dot), what was recognised, the agreements (what, who, when, status) and
the points for a higher level with their addressee, and what happens next. Every text has a length
limit (so the report can always set it) and goes through ``cards.textroad`` (NFC, no U+FEFF,
control and text-direction characters refused); no field holds a person: owners and addressees
are roles or organisations (``privacy`` warns about values that look like a name).

Decisions: ``when`` is free text (a date such as 2025-06-01, or "voor de zomer"), because the
tables write both; ``status`` is open / started / done, and the Dutch words open / bezig / klaar are
accepted for them.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from dialoogkit.cards.models import DeckName, ShortText, Slug, WholeNumber
from dialoogkit.cards.textroad import DATE, text_type
from dialoogkit.i18n import say

VOTE_MAX = 5  # the dots of one partner on the overview canvas: 1 = matters little, 5 = matters a lot
STATUSES = ("open", "started", "done")
STATUS_WORDS = {"open": "open", "bezig": "started", "started": "started", "klaar": "done", "done": "done",
                "gedaan": "done", "in progress": "started"}


def check_date(value: str) -> str:
    """A date written as YYYY-MM-DD that exists; returned as written."""
    try:
        datetime.date.fromisoformat(value)
        if len(value) != 10:
            raise ValueError(value)
    except ValueError:
        raise ValueError(say("results.model.date", text=value[:40])) from None
    return value


def read_status(value: object) -> object:
    """Open / started / done, also written in Dutch (open / bezig / klaar) or in capitals."""
    if isinstance(value, str):
        return STATUS_WORDS.get(" ".join(value.lower().split()), value)
    return value


Note = text_type(300)
Point = text_type(400)
Owner = text_type(80)
When = text_type(60)
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


class Results(_Model):
    """The results of one session held with one deck."""

    deck: DeckName = Field(description="A bundled deck name, or the deck file's path relative to this file.")
    session: Session = Session()
    lessons: list[LessonResults] = Field(default_factory=list, max_length=5000)
    next: list[Note] = Field(default_factory=list, max_length=8, description="What happens next.")

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
                key = " ".join(point.to.lower().split())
                found.setdefault(names.setdefault(key, point.to), []).append((lesson.id, point))
        return found
