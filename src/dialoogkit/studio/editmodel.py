"""The editor's view of a deck file: which lessons it has, in which order, and what each says.

In: a ``DeckFile`` (round-trip document) and the workspace. A deck that ``extends`` another is read
the way the loader reads it: the parent's lessons (by id or number), the file's ``select``,
``override`` (with ``questions+`` / ``sources+``) and its own ``lessons``.
Out: ``DeckModel``: every lesson as a ``LessonItem`` (its effective fields as plain data, the
parent's fields it started from, whether it is in the deck and at which card number), the deck's
effective title, subtitle, region, language, logo, opening card and contacts, the themes, pillars
and audiences a lesson may name, and the problems of a parent that cannot be loaded. Nothing is
validated here beyond what the editor needs to show the form: the checks are ``dialoogkit
check``'s own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dialoogkit.cards.loader import LoadedDeck, load_deck
from dialoogkit.cards.numbers import whole_number
from dialoogkit.cards.paths import COMMAND_LINE, Gate, PathRefused
from dialoogkit.errors import DialoogkitError, Problem
from dialoogkit.studio.deckfile import DeckFile
from dialoogkit.studio.workspace import Workspace

DECK_FIELDS = ("title", "subtitle", "region", "language", "logo")
LIST_FIELDS = ("questions", "sources")
LESSON_FIELDS = ("theme", "pillar", "statement", "explanation", "actions", "questions", "tips", "sources")
CONTACT_FIELDS = ("name", "role", "phone", "email", "url")
OPENING_FIELDS = ("title", "statement", "text", "questions", "source")
OPENING = "opening"  # the key of the opening card where a lesson key would be
MAX_CHAIN = 12


def plain(value: Any) -> Any:
    """Round-trip YAML data as plain dicts, lists and text (scalars as the loader reads them)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value).strip())


def normal_lesson(data: Any) -> dict[str, Any]:
    """A lesson's editable fields in one comparable shape (missing fields empty)."""
    data = data if isinstance(data, dict) else {}
    actions = data.get("actions") if isinstance(data.get("actions"), dict) else {}
    questions = [q if isinstance(q, dict) else {"text": q} for q in _list(data.get("questions"))]
    sources = [s if isinstance(s, dict) else {"title": s} for s in _list(data.get("sources"))]
    return {
        "id": _text(data.get("id")),
        "theme": _text(data.get("theme")),
        "pillar": _text(data.get("pillar")),
        "statement": _text(data.get("statement")),
        "explanation": _text(data.get("explanation")),
        "actions": {"self": _text(actions.get("self")) or None, "higher": _text(actions.get("higher")) or None},
        "questions": [{"text": _text(q.get("text")), "audience": _text(q.get("audience")) or None} for q in questions],
        "tips": [_text(tip) for tip in _list(data.get("tips"))],
        "sources": [{"title": _text(s.get("title")), "url": _text(s.get("url"))} for s in sources],
    }


def normal_contact(data: Any) -> dict[str, str | None]:
    """A contact's fields in one comparable shape (empty fields None)."""
    data = data if isinstance(data, dict) else {"name": data}
    return {key: _text(data.get(key)) or None for key in CONTACT_FIELDS}


def normal_opening(data: Any) -> dict[str, Any]:
    """The opening card's fields in one comparable shape (missing fields empty)."""
    data = data if isinstance(data, dict) else {}
    source = data.get("source") if isinstance(data.get("source"), dict) else {}
    return {
        "title": _text(data.get("title")),
        "statement": _text(data.get("statement")),
        "text": _text(data.get("text")),
        "questions": [_text(q) for q in _list(data.get("questions"))],
        "source": {"title": _text(source.get("title")), "url": _text(source.get("url"))},
    }


def merged_opening(parent: dict[str, Any] | None, own: Any) -> dict[str, Any] | None:
    """The opening card as the loader merges it: the file's fields over the parent's, ``source``
    field by field; ``None`` when the file drops it (``opening: null``) or neither has one."""
    if own is None:
        return None
    if not isinstance(own, dict):
        return parent
    merged = dict(parent or {})
    for key, value in own.items():
        if isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


@dataclass
class LessonItem:
    """One lesson as the editor shows it."""

    key: str  # "p:<id>" for a lesson of the parent, "o:<index>" for one of the file's own lessons
    own: bool
    index: int  # into the parent's lessons, or into the file's ``lessons:``
    data: dict[str, Any]  # the effective fields (normal_lesson)
    parent_data: dict[str, Any] | None = None
    parent_number: int | None = None
    included: bool = True
    number: int | None = None  # card number in this deck (included lessons)
    refs: list[Any] = field(default_factory=list)  # override keys that name this lesson

    @property
    def lesson_id(self) -> str:
        return self.data["id"]

    def changed(self, name: str) -> bool:
        """Whether this deck changes the parent's ``name`` field."""
        return self.parent_data is not None and self.parent_data.get(name) != self.data.get(name)

    @property
    def overridden(self) -> bool:
        return any(self.changed(name) for name in LESSON_FIELDS)


@dataclass
class DeckModel:
    """Everything the editor shows about one deck file (see module docstring)."""

    deck_file: DeckFile
    extends: str | None
    parent: LoadedDeck | None
    parent_problems: list[Problem]
    lessons: list[LessonItem]
    gate: Gate = COMMAND_LINE
    line_parts: tuple[str, list] | None = field(default=None, repr=False)  # editorview.part_at_line's, by text

    @property
    def document(self) -> Any:
        return self.deck_file.document

    @property
    def included(self) -> list[LessonItem]:
        return [item for item in self.lessons if item.included]

    @property
    def excluded(self) -> list[LessonItem]:
        return [item for item in self.lessons if not item.included]

    def parent_lessons(self) -> list[dict[str, Any]]:
        """The parent's lessons in the parent's order (what numbers in ``select`` count)."""
        return [item.parent_data for item in sorted(self.lessons, key=lambda i: i.index) if not item.own]

    def own_lessons(self) -> list[tuple[int, dict[str, Any]]]:
        """The file's own lessons as (index in ``lessons:``, fields)."""
        return sorted((item.index, item.data) for item in self.lessons if item.own)

    def find(self, key: str | None) -> LessonItem | None:
        return next((item for item in self.lessons if item.key == key), None)

    def find_id(self, lesson_id: str) -> LessonItem | None:
        return next((item for item in self.included if item.lesson_id == lesson_id), None)

    def parent_value(self, name: str) -> Any:
        """A deck field of the parent (None without a parent)."""
        return plain(getattr(self.parent.deck, name, None)) if self.parent else None

    def value(self, name: str) -> Any:
        """A deck field as the deck has it: written in the file, else inherited."""
        if name in self.document:
            return plain(self.document[name])
        return self.parent_value(name)

    def text(self, name: str) -> str:
        return _text(self.value(name))

    @property
    def language(self) -> str:
        return self.text("language") or "nl"

    @property
    def contacts(self) -> list[dict[str, str | None]]:
        if "contacts" in self.document:
            return [normal_contact(c) for c in _list(plain(self.document["contacts"]))]
        return self.parent_contacts

    @property
    def parent_contacts(self) -> list[dict[str, str | None]]:
        if self.parent is None:
            return []
        return [normal_contact(c.model_dump(exclude_none=True)) for c in self.parent.deck.contacts]

    @property
    def parent_opening(self) -> dict[str, Any] | None:
        """The opening card of the parent (plain data), None without one."""
        if self.parent is None or self.parent.deck.opening is None:
            return None
        return plain(self.parent.deck.opening.model_dump(exclude_none=True))

    @property
    def opening_dropped(self) -> bool:
        """Whether the file leaves the opening card out (``opening: null``)."""
        return "opening" in self.document and self.document["opening"] is None

    @property
    def opening(self) -> dict[str, Any] | None:
        """The deck's opening card (``normal_opening``), None when it has none."""
        own = plain(self.document["opening"]) if "opening" in self.document else {}
        merged = merged_opening(self.parent_opening, own)
        return normal_opening(merged) if merged else None

    def opening_changed(self, name: str) -> bool:
        """Whether this deck changes the parent's opening field ``name``."""
        parent, mine = self.parent_opening, self.opening
        return parent is not None and mine is not None and normal_opening(parent)[name] != mine[name]

    def choices(self, kind: str) -> list[tuple[str, str, str | None]]:
        """``(id, label, colour)`` of the themes, pillars or audiences a lesson may name."""
        merged: dict[str, dict] = {}
        if self.parent is not None:
            merged = {key: value.model_dump() for key, value in getattr(self.parent.deck, kind).items()}
        own = plain(self.document.get(kind))
        if isinstance(own, dict):
            for key, value in own.items():
                merged[key] = {**merged.get(key, {}), **value} if isinstance(value, dict) else merged.get(key, {})
        return [(key, _text(value.get("label")) or key, value.get("colour")) for key, value in merged.items()]


def build_model(deck_file: DeckFile, workspace: Workspace) -> DeckModel:
    """The editor's view of ``deck_file`` (see module docstring)."""
    document = deck_file.document
    extends = document.get("extends")
    parent, problems, gate = None, [], workspace.gate
    if extends is not None:
        parent, problems = load_parent(str(extends).strip(), deck_file.path, gate)
    model = DeckModel(deck_file, None if extends is None else str(extends), parent, problems, [], gate)
    refresh(model)
    return model


def refresh(model: DeckModel) -> None:
    """Read the lessons and their order again from the document (after a change)."""
    lessons = _own_items(model.document)
    if model.extends is not None:
        lessons = _parent_items(model.parent, model.document) + lessons
    model.lessons = lessons
    _place(model)


def load_parent(ref: str, deck_path: Path, gate: Gate) -> tuple[LoadedDeck | None, list[Problem]]:
    """The deck that ``ref`` names: a bundled deck, or a file the gate lets through (inside the
    workspace); None when it does not (the loader names the problem at the ``extends`` line)."""
    try:
        target = gate.open_deck_name(ref, deck_path)
    except PathRefused:
        return None, []
    try:
        return _cached_load(str(target), gate), []
    except DialoogkitError as exc:
        return None, list(getattr(exc, "problems", [])) or [Problem(str(deck_path), None, exc.format_message())]


_parents: dict[tuple, LoadedDeck] = {}


def _cached_load(name: str, gate: Gate) -> LoadedDeck:
    """A parent deck, loaded again only when one of its files changed (parents are read on every
    change the editor saves)."""
    for key, loaded in list(_parents.items()):
        if key[:2] == (name, gate) and key[2] == _states(loaded):
            return loaded
    loaded = load_deck(name, gate)
    if len(_parents) > 16:
        _parents.clear()
    _parents[(name, gate, _states(loaded))] = loaded
    return loaded


def _states(loaded: LoadedDeck) -> tuple:
    files = list(loaded.chain) + ([str(loaded.logo_path)] if loaded.logo_path else [])
    states = []
    for file in files:
        try:
            info = os.stat(file)
            states.append((file, info.st_mtime_ns, info.st_size))
        except OSError:
            states.append((file, -1, -1))
    return tuple(states)


def resolve_ref(ref: Any, parents: list[dict], own: list[tuple[int, dict]]) -> str | None:
    """The lesson key that a ``select`` or ``override`` entry names (number or id), as the
    loader reads it: a number counts in the parent; an id is looked up in the parent, then in
    the file's own lessons."""
    text = str(ref).strip() if ref is not None else ""
    number = whole_number(text)
    if number is not None and 1 <= number <= len(parents):
        return f"p:{parents[number - 1]['id']}"
    if any(lesson["id"] == text for lesson in parents):
        return f"p:{text}"
    return next((f"o:{index}" for index, lesson in own if _text(lesson.get("id")) == text), None)


def _parent_items(parent: LoadedDeck | None, document: Any) -> list[LessonItem]:
    if parent is None:
        return []
    parents = [normal_lesson(lesson.model_dump(by_alias=True, exclude_none=True)) for lesson in parent.deck.lessons]
    items = [LessonItem(f"p:{data['id']}", False, i, normal_lesson(data), data, i + 1) for i, data in enumerate(parents)]
    override = document.get("override")
    if isinstance(override, dict):
        by_key = {item.key: item for item in items}
        for ref, patch in override.items():
            item = by_key.get(resolve_ref(ref, parents, []) or "")
            if item is None or not isinstance(patch, dict):
                continue
            item.refs.append(ref)
            item.data = normal_lesson(_patched(item.data, plain(patch)))
    return items


def _patched(data: dict, patch: dict) -> dict:
    """A lesson with an ``override`` entry applied, as the loader applies it."""
    result = {**data, "actions": {k: v for k, v in data["actions"].items() if v}}
    for key, value in patch.items():
        if key == "id":
            continue
        if key.endswith("+") and key[:-1] in LIST_FIELDS:
            result[key[:-1]] = list(result.get(key[:-1]) or []) + (value if isinstance(value, list) else [])
        else:
            result[key] = value
    return result


def _own_items(document: Any) -> list[LessonItem]:
    lessons = document.get("lessons")
    if not isinstance(lessons, list):
        return []
    return [LessonItem(f"o:{index}", True, index, normal_lesson(plain(lesson)))
            for index, lesson in enumerate(lessons) if isinstance(lesson, dict)]


def _place(model: DeckModel) -> None:
    """Order the lessons as the deck has them and number the cards; excluded lessons last."""
    items = model.lessons
    parents = [item.parent_data for item in items if not item.own]
    own = [(item.index, item.data) for item in items if item.own]
    by_key = {item.key: item for item in items}
    select = model.document.get("select")
    if model.extends is not None and isinstance(select, list):
        order: list[str] = []
        for ref in select:
            key = resolve_ref(plain(ref), parents, own)
            if key is not None and key not in order:
                order.append(key)
        order += [item.key for item in items if item.own and item.key not in order]
    else:
        order = [item.key for item in items]
    for number, key in enumerate(order, 1):
        by_key[key].number = number
    for item in items:
        item.included = item.number is not None
    model.lessons = [by_key[key] for key in order] + [item for item in items if not item.included]


def default_order(model: DeckModel) -> list[str]:
    """The order the deck has without ``select``: the parent's lessons, then its own."""
    return [item.key for item in sorted(model.lessons, key=lambda i: (i.own, i.index))]
