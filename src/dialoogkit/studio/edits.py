"""Change a deck document the way a careful author would: only what the user changed, in place.

In: a ``DeckModel`` and what the user asked for (new field values from a form, a lesson to move,
include, exclude, add, remove or rename, the opening card's fields, contacts, a logo name).
Out: the round-trip document changed in place. A deck that ``extends`` another keeps only what
differs from its parent: a field set back to the parent's text is removed from ``override`` (or
from ``opening:``, which is removed when nothing in it differs; ``opening: null`` leaves the
parent's opening card out); questions or sources added after the parent's are written as
``questions+`` / ``sources+``; a ``select`` equal to the parent's order is removed. Keys that exist
keep their place, comments and quoting; new keys go where the README's example has them; long
texts are written folded at 80 columns and texts with line breaks as literal blocks. A renamed own
lesson keeps its place in ``select``; ``rename_in_results`` renames it in a results document.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap

from dialoogkit.studio.editmodel import (
    DeckModel,
    LessonItem,
    normal_contact,
    normal_lesson,
    normal_opening,
    plain,
    resolve_ref,
)
from dialoogkit.studio.yamledit import drop, merged, node, put, put_list, styled

DECK_ORDER = ("extends", "id", "language", "title", "subtitle", "region", "logo", "source", "themes", "pillars",
              "audiences", "opening", "select", "override", "lessons", "contacts", "sessions")
OPENING_ORDER = ("title", "statement", "text", "questions", "source")
LESSON_ORDER = ("id", "theme", "pillar", "statement", "explanation", "actions", "questions", "questions+", "tips",
                "sources", "sources+")
# --- deck fields -----------------------------------------------------------------------------

def apply_deck_fields(model: DeckModel, values: dict[str, str]) -> None:
    """Set title, subtitle, region and language (empty optional fields removed or cleared)."""
    document = model.document
    for key, new in values.items():
        new = new.strip()
        if new == model.text(key):
            continue
        inherited = _text_or_none(model.parent_value(key)) if model.extends is not None else None
        if model.extends is not None and new == (inherited or ""):
            drop(document, key)
        elif not new and key in ("subtitle", "region"):
            if inherited:
                put(document, key, None, DECK_ORDER)
            else:
                drop(document, key)
        else:
            put(document, key, new, DECK_ORDER)


def _text_or_none(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def set_logo(model: DeckModel, name: str | None) -> None:
    """Point ``logo:`` at an image in the deck's folder, or remove it."""
    if name:
        put(model.document, "logo", name, DECK_ORDER)
    elif model.extends is not None and model.parent_value("logo"):
        put(model.document, "logo", None, DECK_ORDER)
    else:
        drop(model.document, "logo")


def apply_contacts(model: DeckModel, contacts: list[dict]) -> None:
    """Write the contacts (only when they differ from what the deck has now)."""
    new = [normal_contact(c) for c in contacts]
    if new == model.contacts:
        return
    document = model.document
    if model.extends is not None and new == model.parent_contacts:
        drop(document, "contacts")
    elif not new and not model.parent_contacts:
        drop(document, "contacts")
    else:
        put_list(document, "contacts", [{k: v for k, v in c.items() if v is not None} for c in new], DECK_ORDER)


# --- lesson fields ---------------------------------------------------------------------------

def _writable(name: str, value: Any) -> Any:
    """A field's normal value as it is written (no empty audiences or actions)."""
    if name == "actions":
        return {k: v for k, v in value.items() if v}
    if name == "questions":
        return [{k: v for k, v in q.items() if v is not None} for q in value]
    return value


def apply_lesson(model: DeckModel, item: LessonItem, values: dict[str, Any]) -> None:
    """Write the fields of ``values`` (normal_lesson shape) that differ from the lesson now."""
    new = normal_lesson({**_raw(item.data), **_raw_values(values)})
    changed = [name for name in values if new[name] != item.data[name]]
    if not changed:
        return
    if item.own:
        target = model.document["lessons"][item.index]
        for name in changed:
            value = _writable(name, new[name])
            if name in ("actions", "tips") and not value:
                drop(target, name)
            elif isinstance(value, list):
                put_list(target, name, value, LESSON_ORDER)
            elif isinstance(value, dict):
                put_list_or_map(target, name, value)
            else:
                put(target, name, value, LESSON_ORDER)
    else:
        patch = _patch(model, item)
        for name in changed:
            _override(patch, name, new[name], item.parent_data[name])
        _tidy_override(model, item)
    item.data = new


def put_list_or_map(mapping: Any, key: str, value: dict) -> None:
    old = mapping.get(key)
    if isinstance(old, dict):
        merged(old, value)
    else:
        put(mapping, key, node(value), LESSON_ORDER)


def _raw(data: dict) -> dict:
    """Normal lesson data in the shape ``normal_lesson`` reads."""
    return {**data, "actions": {k: v for k, v in data["actions"].items() if v}}


def _raw_values(values: dict) -> dict:
    return {k: ({a: b for a, b in v.items() if b} if k == "actions" else v) for k, v in values.items()}


def _patch(model: DeckModel, item: LessonItem) -> Any:
    """The ``override`` entry of a parent lesson (made when missing)."""
    override = model.document.get("override")
    if not isinstance(override, dict):
        override = CommentedMap()
        put(model.document, "override", override, DECK_ORDER)
    for ref in item.refs:
        if ref in override and isinstance(override[ref], dict):
            return override[ref]
    patch = CommentedMap()
    override[item.lesson_id] = patch
    item.refs.append(item.lesson_id)
    return patch


def _override(patch: Any, name: str, new: Any, parent: Any) -> None:
    if name in ("questions", "sources"):
        extra = name + "+"
        written_new, written_parent = _writable(name, new), _writable(name, parent)
        if new == parent:
            drop(patch, name)
            drop(patch, extra)
        elif len(new) > len(parent) and new[: len(parent)] == parent:
            drop(patch, name)
            put_list(patch, extra, written_new[len(written_parent):], LESSON_ORDER)
        else:
            drop(patch, extra)
            put_list(patch, name, written_new, LESSON_ORDER)
    elif new == parent:
        drop(patch, name)
    elif name == "actions":
        put_list_or_map(patch, name, _writable(name, new)) if _writable(name, new) else put(patch, name, CommentedMap(), LESSON_ORDER)
    elif name == "tips":
        put_list(patch, name, new, LESSON_ORDER)
    else:
        put(patch, name, new, LESSON_ORDER)


def _tidy_override(model: DeckModel, item: LessonItem) -> None:
    """Remove override entries that change nothing, and ``override`` when it is empty."""
    override = model.document.get("override")
    if not isinstance(override, dict):
        return
    for ref in list(item.refs):
        if ref in override and isinstance(override[ref], dict) and not override[ref]:
            del override[ref]
            item.refs.remove(ref)
    if not override:
        drop(model.document, "override")


def reset_lesson(model: DeckModel, item: LessonItem) -> None:
    """Give a parent lesson back all of the parent's texts."""
    override = model.document.get("override")
    if isinstance(override, dict):
        for ref in item.refs:
            drop(override, ref)
        if not override:
            drop(model.document, "override")
    item.refs.clear()
    item.data = dict(item.parent_data or item.data)


def rename_lesson(model: DeckModel, item: LessonItem, new_id: str) -> None:
    """Give one of the deck's own lessons the id ``new_id`` (checked by the caller); the entries
    of ``select`` (and ``override``) that named it by its old id name it by the new one."""
    old = item.lesson_id
    document = model.document
    parents = model.parent_lessons()
    own = model.own_lessons()
    select = document.get("select")
    if isinstance(select, list):
        for index, ref in enumerate(select):
            if isinstance(ref, str) and resolve_ref(plain(ref), parents, own) == item.key:
                select[index] = styled(new_id, ref)
    override = document.get("override")
    if isinstance(override, dict) and old in override and resolve_ref(old, parents, []) is None:
        position = list(override).index(old)
        value = override.pop(old)
        override.insert(position, new_id, value)
    put(document["lessons"][item.index], "id", new_id, LESSON_ORDER)
    item.data = {**item.data, "id": new_id}


def rename_in_results(document: Any, old: str, new: str) -> bool:
    """Rename lesson ``old`` to ``new`` in a results document (``lessons[].id``); whether it did."""
    lessons = document.get("lessons") if isinstance(document, dict) else None
    renamed = False
    for entry in lessons if isinstance(lessons, list) else ():
        if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"].strip() == old:
            entry["id"] = styled(new, entry["id"])
            renamed = True
    return renamed


# --- the opening card ------------------------------------------------------------------------

def apply_opening(model: DeckModel, values: dict[str, Any]) -> None:
    """Write the opening card's fields of ``values`` (``normal_opening`` shape) that differ from
    the deck's now: in a deck that extends one with an opening card, only what differs from it."""
    current = model.opening
    if current is None:
        return
    new = {**current, **values}
    changed = [name for name in values if new[name] != current[name]]
    if not changed:
        return
    parent = normal_opening(model.parent_opening) if model.parent_opening else None
    document = model.document
    own = document.get("opening")
    if not isinstance(own, dict):
        own = CommentedMap()
        put(document, "opening", own, DECK_ORDER)
    for name in changed:
        if parent is not None and new[name] == parent[name]:
            drop(own, name)
        elif name == "source":
            _put_source(own, new[name], parent["source"] if parent else None)
        elif name == "questions":
            put_list(own, name, new[name], OPENING_ORDER)
        else:
            put(own, name, new[name], OPENING_ORDER)
    if not own and parent is not None:
        drop(document, "opening")


def _put_source(opening: Any, source: dict[str, str], parent: dict[str, str] | None) -> None:
    """The opening card's source: only the fields that differ from the parent's (the loader
    merges them one by one)."""
    wanted = {key: value for key, value in source.items() if parent is None or value != parent[key]}
    old = opening.get("source")
    if not isinstance(old, dict):
        put(opening, "source", node(wanted), OPENING_ORDER)
        return
    for key in ("title", "url"):
        if key in wanted:
            put(old, key, wanted[key], ("title", "url"))
        else:
            drop(old, key)
    if not old:
        drop(opening, "source")


def leave_out_opening(model: DeckModel) -> None:
    """No opening card in this deck: ``opening: null`` over a parent's, else no ``opening:``."""
    if model.parent_opening is not None:
        put(model.document, "opening", None, DECK_ORDER)
    else:
        drop(model.document, "opening")


def take_parent_opening(model: DeckModel) -> None:
    """The parent's opening card again, as the parent has it."""
    drop(model.document, "opening")


def add_opening(model: DeckModel, content: dict[str, Any]) -> None:
    """A new opening card of the deck's own (``normal_opening`` shape), when it has none."""
    if model.opening is None:
        put(model.document, "opening", node(content), DECK_ORDER)
