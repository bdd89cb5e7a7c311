"""The "after the session" form: what a results file holds, as fields a person fills in.

In: the deck (its lessons and partners), and either a results file's round-trip document (the page
as it opens) or the fields a browser posted (``date``, ``partners``, ``residents.2.role``,
``L.<lesson id>.votes.<partner>``, ``L.<lesson id>.agreements.1.who``, ``next`` …; rows count
from 1) with the button pressed (``add:L.<id>.agreements``, ``remove:residents.2`` …).
Out: ``ResultsForm`` (every value as the text typed, so nothing is lost on an error);
``write_form`` puts it into the document (rows left empty are not written; lessons the file does
not have are added only when something was filled in; keys the form does not know are kept) and
says which form row each written row came from; ``place_problems`` puts each problem of the
check at its field (``f-…`` ids), the rest in a list for the top of the page. The blocks beyond
the lessons (sender, addressees, the previous session's agreements, ``not_names``) are read,
written and placed by ``results_blocks``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from dialoogkit.cards.models import Deck
from dialoogkit.cards.results.model import STATUS_WORDS
from dialoogkit.errors import Problem
from dialoogkit.studio.forms import clean
from dialoogkit.studio.results_blocks import (
    STATUS_NAMES,
    block_slot,
    post_blocks,
    read_blocks,
    write_blocks,
)
from dialoogkit.studio.results_yaml import append_item, new_list, set_key

MAX_ROWS = 50
ROW_FIELDS = {"residents": ("role", "count"), "agreements": ("what", "who", "when", "status", "reason"),
              "higher": ("point", "to")}
STATUSES = ("open", "started", "done", "stopped")
_LESSON_FIELD = re.compile(r"^L\.([a-z0-9-]{1,64})\.(votes|recognised|agreements|higher)"
                           r"(?:\.([a-z0-9-]{1,64}))?(?:\.([a-z]+))?$")
_RESIDENT_FIELD = re.compile(r"^residents\.([0-9]{1,3})\.(role|count)$")
_FIELD_PARTS = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


@dataclass
class LessonForm:
    """The fields of one lesson."""

    votes: dict[str, str] = field(default_factory=dict)
    recognised: str = ""
    agreements: list[dict[str, str]] = field(default_factory=list)
    higher: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ResultsForm:
    """Every field of the page, as text."""

    date: str = ""
    place: str = ""
    partners: list[str] = field(default_factory=list)
    residents: list[dict[str, str]] = field(default_factory=list)
    lessons: dict[str, LessonForm] = field(default_factory=dict)
    next: str = ""
    sender: dict[str, str] = field(default_factory=dict)
    addressees: list[dict[str, str]] = field(default_factory=list)  # "to" and the addressee's fields
    addressees_moved: bool = False  # the page posted another list of addressees: swap it in
    previous: list[dict[str, str]] = field(default_factory=list)  # the agreements carried from last time
    not_names: str = ""  # one per line

    def rows(self, key: str) -> list[dict[str, str]]:
        """The rows of ``residents`` or ``L.<id>.agreements`` / ``L.<id>.higher``."""
        if key == "residents":
            return self.residents
        _, lesson_id, kind = key.split(".")
        return getattr(self.lessons[lesson_id], kind)


def field_id(name: str) -> str:
    """The HTML id of the field posted as ``name``."""
    return "f-" + name.replace(".", "-")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _lines(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(_text(item) for item in value if item is not None)
    return _text(value)


def _row(value: Any, names: tuple[str, ...]) -> dict[str, str]:
    if isinstance(value, Mapping):
        row = {name: _text(value.get(name)) for name in names}
    else:  # a bare text where a row belongs: its first field
        row = {name: "" for name in names}
        row[names[0]] = _text(value)
    if "status" in row:
        row["status"] = STATUS_WORDS.get(" ".join(row["status"].lower().split()), row["status"]) or "open"
    return row


def _rows(value: Any, names: tuple[str, ...]) -> list[dict[str, str]]:
    items = value if isinstance(value, list) else ([] if value is None else [value])
    return [_row(item, names) for item in items[:MAX_ROWS]]


def form_from_document(document: Any, deck: Deck) -> ResultsForm:
    """The form as the file fills it."""
    form = ResultsForm()
    session = document.get("session") if isinstance(document, Mapping) else None
    if isinstance(session, Mapping):
        form.date, form.place = _text(session.get("date")), _text(session.get("place"))
        partners = session.get("partners")
        form.partners = [str(p) for p in partners] if isinstance(partners, list) else []
        form.residents = _rows(session.get("residents"), ROW_FIELDS["residents"])
    items = document.get("lessons") if isinstance(document, Mapping) else None
    found = {str(item.get("id")): item for item in (items if isinstance(items, list) else [])
             if isinstance(item, Mapping)}
    for lesson in deck.lessons:
        item = found.get(lesson.id, {})
        votes = item.get("votes")
        form.lessons[lesson.id] = LessonForm(
            {p: _text(votes.get(p)) if isinstance(votes, Mapping) else "" for p in deck.audiences},
            _lines(item.get("recognised")), _rows(item.get("agreements"), ROW_FIELDS["agreements"]),
            _rows(item.get("higher"), ROW_FIELDS["higher"]))
    form.next = _lines(document.get("next") if isinstance(document, Mapping) else None)
    read_blocks(form, document)
    return form


def form_from_post(posted: Mapping[str, Any], partners_posted: list[str], deck: Deck) -> ResultsForm:
    """The form as the browser posted it (fields of lessons and partners the deck does not know
    are ignored)."""
    form = ResultsForm(clean(posted.get("date"), True), clean(posted.get("place"), True),
                       [p for p in deck.audiences if p in partners_posted])
    form.lessons = {lesson.id: LessonForm({p: "" for p in deck.audiences}) for lesson in deck.lessons}
    rows: dict[str, dict[int, dict[str, str]]] = {}
    for name in posted.keys():
        value = posted.get(name)
        resident = _RESIDENT_FIELD.match(name)
        if resident:
            rows.setdefault("residents", {}).setdefault(int(resident.group(1)), {})[resident.group(2)] = \
                clean(value, True)
            continue
        match = _LESSON_FIELD.match(name)
        if not match or match.group(1) not in form.lessons:
            continue
        lesson_id, kind, part, sub = match.groups()
        lesson = form.lessons[lesson_id]
        if kind == "votes" and part in lesson.votes and sub is None:
            lesson.votes[part] = clean(value, True)
        elif kind == "recognised" and part is None:
            lesson.recognised = clean(value)
        elif kind in ("agreements", "higher") and part and part.isdigit() and sub in ROW_FIELDS[kind]:
            rows.setdefault(f"L.{lesson_id}.{kind}", {}).setdefault(int(part), {})[sub] = clean(value, True)
    for key, numbered in rows.items():
        names = ROW_FIELDS[key.rsplit(".", 1)[-1]]
        found = [{n: numbered[number].get(n, "") for n in names} for number in sorted(numbered)
                 if 1 <= number <= MAX_ROWS]
        form.rows(key).extend(_row(row, names) for row in found)
    form.next = clean(posted.get("next"))
    post_blocks(form, posted)
    return form


def operate(form: ResultsForm, op: str) -> str | None:
    """Apply ``add:<rows>`` or ``remove:<rows>.<n>``; returns the id of the field to focus."""
    kind, _, target = op.partition(":")
    key, number = (target.rsplit(".", 1) + [""])[:2] if kind == "remove" else (target, "")
    if not _is_rows(form, key):
        return None
    rows = form.rows(key)
    names = ROW_FIELDS[key.rsplit(".", 1)[-1]]
    if kind == "add" and len(rows) < MAX_ROWS:
        rows.append({name: ("open" if name == "status" else "") for name in names})
        return field_id(f"{key}.{len(rows)}.{names[0]}")
    if kind == "remove" and number.isdigit() and 1 <= int(number) <= len(rows):
        del rows[int(number) - 1]
        return field_id(f"add.{key}")
    return None


def _is_rows(form: ResultsForm, key: str) -> bool:
    if key == "residents":
        return True
    parts = key.split(".")
    return len(parts) == 3 and parts[0] == "L" and parts[1] in form.lessons and parts[2] in ("agreements", "higher")


def _number(text: str) -> int | str | None:
    """A count or vote as written: a whole number, or the text as typed (the check says what is wrong)."""
    if not text:
        return None
    return int(text) if text.isdigit() and len(text) < 10 else text


def _filled(row: dict[str, str], names: tuple[str, ...]) -> bool:
    return any(row.get(name) for name in names if name not in ("status", "reason"))


def _map(row: dict[str, str], names: tuple[str, ...], language: str, old: Any) -> CommentedMap:
    """A row as a mapping: empty fields left out, counts as numbers, status in the deck's language;
    keys the form does not show are kept from the row it replaces."""
    item = CommentedMap()
    for name in names:
        value = row.get(name, "")
        if name == "count":
            item[name] = _number(value)
        elif name == "status":
            item[name] = STATUS_NAMES.get(language, {}).get(value, value or "open")
        elif name == "reason":  # asked for when an agreement stopped; kept in the form otherwise
            if value and row.get("status") == "stopped":
                item[name] = value
        elif value:
            item[name] = value
    if isinstance(old, Mapping):
        for key, value in old.items():
            if key not in names:
                item[key] = value
    return item


def _write_rows(parent: CommentedMap, key: str, rows: list[dict[str, str]], names: tuple[str, ...],
                language: str) -> list[int]:
    """Write the filled rows under ``key``; returns the form row number of each written row."""
    old = parent.get(key)
    olds = old if isinstance(old, list) else []
    written = [n for n, row in enumerate(rows, 1) if _filled(row, names)]
    if key not in parent and not written:
        return written
    items = [_map(rows[n - 1], names, language, olds[n - 1] if n - 1 < len(olds) else None) for n in written]
    set_key(parent, key, new_list(items))
    return written


def _write_lines(parent: CommentedMap, key: str, text: str) -> None:
    lines = [line.strip() for line in text.split("\n") if line.strip()][:MAX_ROWS]
    if key not in parent and not lines:
        return
    set_key(parent, key, new_list(lines))


def write_form(document: CommentedMap, form: ResultsForm, deck: Deck) -> dict[str, list[int]]:
    """Put the form into the document (see module docstring); returns, per list of rows, the form
    row number of each row written."""
    written: dict[str, list[int]] = {}
    session = document.get("session")
    if not isinstance(session, CommentedMap):
        session = CommentedMap()
        set_key(document, "session", session)
    for key in ("date", "place"):
        value = getattr(form, key) or None
        if key in session or value:
            set_key(session, key, value)
    old_partners = session.get("partners")
    if "partners" in session or form.partners:
        flow = isinstance(old_partners, CommentedSeq) and old_partners.fa.flow_style() is not False
        set_key(session, "partners", new_list(list(form.partners), flow))
    written["residents"] = _write_rows(session, "residents", form.residents, ROW_FIELDS["residents"], deck.language)
    lessons = document.get("lessons")
    if not isinstance(lessons, CommentedSeq):
        lessons = new_list([])
        set_key(document, "lessons", lessons)
    for lesson in deck.lessons:
        values = form.lessons[lesson.id]
        item = next((i for i in lessons if isinstance(i, CommentedMap) and str(i.get("id")) == lesson.id), None)
        if item is None:
            if not _lesson_filled(values):
                continue
            item = CommentedMap([("id", lesson.id)])
            append_item(lessons, item)
        votes = item.get("votes")
        if not isinstance(votes, CommentedMap):
            votes = CommentedMap()
            if "votes" in item or any(values.votes.values()):
                set_key(item, "votes", votes)
        for partner in deck.audiences:
            vote = _number(values.votes.get(partner, ""))
            if partner in votes or vote is not None or "votes" in item:
                set_key(votes, partner, vote)
        _write_lines(item, "recognised", values.recognised)
        for kind in ("agreements", "higher"):
            written[f"L.{lesson.id}.{kind}"] = _write_rows(item, kind, getattr(values, kind), ROW_FIELDS[kind],
                                                           deck.language)
    _write_lines(document, "next", form.next)
    write_blocks(document, form, deck)
    return written


def _lesson_filled(values: LessonForm) -> bool:
    return bool(any(values.votes.values()) or values.recognised.strip()
                or any(_filled(r, ROW_FIELDS["agreements"]) for r in values.agreements)
                or any(_filled(r, ROW_FIELDS["higher"]) for r in values.higher))


def identity_rows(form: ResultsForm) -> dict[str, list[int]]:
    """The row numbers when the form was filled from the file (row n is the file's n-th)."""
    rows = {"residents": list(range(1, len(form.residents) + 1))}
    for lesson_id, values in form.lessons.items():
        for kind in ("agreements", "higher"):
            rows[f"L.{lesson_id}.{kind}"] = list(range(1, len(getattr(values, kind)) + 1))
    return rows


def field_parts(problem: Problem) -> list:
    """A problem's field as parts: ``agreements[2].who`` → ``["agreements", 1, "who"]``."""
    return [int(index) - 1 if index else name for index, name in _FIELD_PARTS.findall(problem.field or "")]


def slot_of(problem: Problem, form: ResultsForm, rows: dict[str, list[int]]) -> str | None:
    """The ``f-…`` id of the field a problem is about, or None when the form has no such field."""
    parts = field_parts(problem)
    if problem.lesson is None:
        if parts[:1] == ["next"]:
            return "f-next"
        if parts[:1] and parts[0] in ("sender", "addressees", "previous", "not_names"):
            return block_slot(parts, form, field_id)
        if parts[:1] != ["session"] or len(parts) < 2:
            return None
        if parts[1] in ("date", "place", "partners"):
            return f"f-{parts[1]}"
        return _row_slot("residents", parts[2:], rows) if parts[1] == "residents" else None
    lesson_id = problem.lesson.strip("'")
    if lesson_id not in form.lessons or not parts:
        return None
    prefix = f"L.{lesson_id}"
    if parts[0] == "votes":
        partner = parts[1] if len(parts) > 1 else None
        return field_id(f"{prefix}.votes.{partner}") if partner in form.lessons[lesson_id].votes \
            else field_id(f"{prefix}.votes")
    if parts[0] == "recognised":
        return field_id(f"{prefix}.recognised")
    if parts[0] in ("agreements", "higher"):
        return _row_slot(f"{prefix}.{parts[0]}", parts[1:], rows) or field_id(f"{prefix}.{parts[0]}")
    if parts[0] == "id":
        return field_id(prefix)
    return None


def _row_slot(key: str, parts: list, rows: dict[str, list[int]]) -> str | None:
    """``[index, name]`` of a written row as the id of that field in its form row."""
    if not parts or not isinstance(parts[0], int):
        return field_id(key)
    numbers = rows.get(key, [])
    if not 0 <= parts[0] < len(numbers):
        return field_id(key)
    names = ROW_FIELDS[key.rsplit(".", 1)[-1]]
    name = parts[1] if len(parts) > 1 and parts[1] in names else names[0]
    return field_id(f"{key}.{numbers[parts[0]]}.{name}")


def place_problems(problems: list[Problem], warnings: list[Problem], form: ResultsForm,
                   rows: dict[str, list[int]]) -> tuple[dict[str, list[tuple[Problem, bool]]], list[tuple[Problem, str | None, bool]]]:
    """Problems (and warnings) at their fields, and all of them in order with their field's id."""
    placed: dict[str, list[tuple[Problem, bool]]] = {}
    listed: list[tuple[Problem, str | None, bool]] = []
    for problem, warning in [(p, False) for p in problems] + [(w, True) for w in warnings]:
        slot = slot_of(problem, form, rows)
        if slot:
            placed.setdefault(slot, []).append((problem, warning))
        listed.append((problem, slot, warning))
    return placed, listed
