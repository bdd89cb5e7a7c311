"""Read the editor's forms: a lesson's fields, the deck's fields and the contacts, as plain data.

In: the fields a browser posted (``questions.2.text``, ``actions.self``, ``contacts.1.email``,
the opening card's ``questions.2`` and ``source.url`` …; list positions count from 1, as in
``dialoogkit check``'s field names) and, for the buttons that change a list, the operation
(``add-question``, ``remove-source:2`` …).
Out: values in the shape ``editmodel.normal_lesson`` / ``normal_opening`` / ``normal_contact``
uses, with line breaks normalised and, for one-line fields, removed; the list changed by the
operation.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from dialoogkit.studio.editmodel import (
    CONTACT_FIELDS,
    normal_contact,
    normal_lesson,
    normal_opening,
)

MAX_ITEMS = 50  # questions, tips, sources or contacts a form may post
MAX_TEXT = 10_000  # characters of one field (the loader's limits are lower and say so)
_ITEM = re.compile(r"^(questions|tips|sources|contacts)\.([0-9]{1,3})(?:\.([a-z]+))?$")


def clean(text: Any, one_line: bool = False) -> str:
    """A posted text: line breaks as ``\\n`` (none in a one-line field), at most ``MAX_TEXT``."""
    value = str(text if text is not None else "")[:MAX_TEXT].replace("\r\n", "\n").replace("\r", "\n")
    if one_line:
        value = " ".join(value.split("\n"))
    return value.strip()


def _items(form: Mapping[str, Any], group: str) -> list[dict[str, str]]:
    """The numbered items of ``group`` posted, in order of their numbers."""
    found: dict[int, dict[str, str]] = {}
    for name in form.keys():
        match = _ITEM.match(name)
        if not match or match.group(1) != group:
            continue
        number = int(match.group(2))
        if 1 <= number <= MAX_ITEMS:
            found.setdefault(number, {})[match.group(3) or ""] = form.get(name) or ""
    return [found[n] for n in sorted(found)]


def read_lesson(form: Mapping[str, Any]) -> dict[str, Any]:
    """A lesson's fields from its form (only the fields the form holds)."""
    values: dict[str, Any] = {}
    for name in ("theme", "pillar"):
        if name in form:
            values[name] = clean(form.get(name), True)
    for name in ("statement", "explanation"):
        if name in form:
            values[name] = clean(form.get(name))
    if "actions.self" in form or "actions.higher" in form:
        values["actions"] = {"self": clean(form.get("actions.self")) or None,
                             "higher": clean(form.get("actions.higher")) or None}
    if "questions.present" in form:
        values["questions"] = [{"text": clean(q.get("text")), "audience": clean(q.get("audience"), True) or None}
                               for q in _items(form, "questions")]
    if "tips.present" in form:
        values["tips"] = [clean(t.get("")) for t in _items(form, "tips")]
    if "sources.present" in form:
        values["sources"] = [{"title": clean(s.get("title"), True), "url": clean(s.get("url"), True)}
                             for s in _items(form, "sources")]
    normal = normal_lesson({**values, "actions": {k: v for k, v in values.get("actions", {}).items() if v}})
    return {name: normal[name] for name in values}


def read_opening(form: Mapping[str, Any]) -> dict[str, Any]:
    """The opening card's fields from its form (only the fields the form holds)."""
    values: dict[str, Any] = {}
    if "title" in form:
        values["title"] = clean(form.get("title"), True)
    for name in ("statement", "text"):
        if name in form:
            values[name] = clean(form.get(name))
    if "questions.present" in form:
        values["questions"] = [clean(q.get("")) for q in _items(form, "questions")]
    if "source.title" in form or "source.url" in form:
        values["source"] = {"title": clean(form.get("source.title"), True), "url": clean(form.get("source.url"), True)}
    normal = normal_opening(values)
    return {name: normal[name] for name in values}


def read_contacts(form: Mapping[str, Any]) -> list[dict[str, str | None]]:
    """The contacts of the contacts form."""
    return [normal_contact({key: clean(item.get(key), True) for key in CONTACT_FIELDS})
            for item in _items(form, "contacts")]


def operate(values: list, op: str, blank: Any) -> tuple[list, int | None]:
    """Apply a list operation (``add``, ``remove:N``, ``up:N``, ``down:N``; N counts from 1);
    returns the list and the number of the item that should get the focus."""
    kind, _, number = op.partition(":")
    index = int(number) - 1 if number.isdigit() else -1
    values = list(values)
    if kind == "add" and len(values) < MAX_ITEMS:
        values.append(blank)
        return values, len(values)
    if kind == "remove" and 0 <= index < len(values):
        del values[index]
        return values, min(index + 1, len(values)) or None
    if kind in ("up", "down"):
        target = index - 1 if kind == "up" else index + 1
        if 0 <= index < len(values) and 0 <= target < len(values):
            values[index], values[target] = values[target], values[index]
            return values, target + 1
    return values, None


BLANKS = {"questions": {"text": "", "audience": None}, "tips": "", "sources": {"title": "", "url": ""},
          "contacts": normal_contact({})}
