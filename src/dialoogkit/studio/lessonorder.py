"""Which lessons a deck has and in which order: include, exclude, move, add and remove lessons.

In: a ``DeckModel`` and a lesson key (``p:<id>`` for a lesson of the parent, ``o:<index>`` for one
of the file's own lessons).
Out: the document changed in place. In a deck that ``extends`` another, the order is written as
``select`` (entries that were already there keep how they were written, a number or an id; new
ones are ids) and ``select`` is removed when it equals the parent's order followed by the own
lessons. In a deck of its own, the ``lessons:`` list itself is reordered with its comments. A new
own lesson gets a unique id, the first theme and pillar, and texts marked as placeholders.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from dialoogkit.studio.edits import DECK_ORDER
from dialoogkit.studio.yamledit import drop, node, put
from dialoogkit.studio.editmodel import DeckModel, LessonItem, default_order, plain, refresh, resolve_ref


def current_order(model: DeckModel) -> list[str]:
    return [item.key for item in model.included]


def set_order(model: DeckModel, keys: list[str]) -> None:
    """Make ``keys`` the deck's lessons, in this order."""
    if keys == current_order(model):
        return
    if model.extends is None:
        _reorder_own(model, keys)
    elif keys == default_order(model):
        drop(model.document, "select")
    else:
        _write_select(model, keys)
    refresh(model)


def _write_select(model: DeckModel, keys: list[str]) -> None:
    document = model.document
    old = document.get("select")
    parents, own = model.parent_lessons(), model.own_lessons()
    written: dict[str, Any] = {}
    if isinstance(old, list):
        for ref in old:
            key = resolve_ref(plain(ref), parents, own)
            if key is not None and key not in written:
                written[key] = ref
    refs = CommentedSeq(written.get(key, model.find(key).lesson_id) for key in keys)
    if isinstance(old, CommentedSeq) and old.fa.flow_style():
        refs.fa.set_flow_style()
    if "select" in document:
        document["select"] = refs
    else:
        put(document, "select", refs, DECK_ORDER)


def _reorder_own(model: DeckModel, keys: list[str]) -> None:
    lessons = model.document.get("lessons")
    if not isinstance(lessons, list):
        return
    wanted = [model.find(key).index for key in keys]
    rest = [index for index in range(len(lessons)) if index not in wanted]
    permutation = wanted + rest
    items, comments = list(lessons), dict(lessons.ca.items) if hasattr(lessons, "ca") else {}
    for new, old in enumerate(permutation):
        list.__setitem__(lessons, new, items[old])
    if hasattr(lessons, "ca"):
        lessons.ca.items.clear()
        lessons.ca.items.update({new: comments[old] for new, old in enumerate(permutation) if old in comments})


def move(model: DeckModel, key: str, step: int) -> bool:
    """Move a lesson ``step`` places (-1 up, +1 down); False when it cannot move."""
    order = current_order(model)
    if key not in order:
        return False
    index = order.index(key)
    target = index + step
    if not 0 <= target < len(order):
        return False
    order[index], order[target] = order[target], order[index]
    set_order(model, order)
    return True


def include(model: DeckModel, key: str) -> None:
    """Put a lesson of the parent back into the deck, at the end."""
    order = current_order(model)
    if key not in order and model.find(key) is not None:
        set_order(model, order + [key])


def exclude(model: DeckModel, key: str) -> None:
    """Leave a lesson of the parent out of the deck (its changes stay in the file)."""
    item = model.find(key)
    if item is None or item.own:
        return
    set_order(model, [k for k in current_order(model) if k != key])


def unique_id(model: DeckModel, base: str) -> str:
    taken = {item.lesson_id for item in model.lessons}
    return next(f"{base}-{n}" for n in range(1, 10_000) if f"{base}-{n}" not in taken)


def add_own_lesson(model: DeckModel, content: dict[str, Any]) -> str:
    """Append a new lesson of the deck's own (``content`` without id, theme and pillar); returns
    its key."""
    themes, pillars = model.choices("themes"), model.choices("pillars")
    lesson = CommentedMap()
    lesson["id"] = unique_id(model, content.pop("id_base"))
    if themes:
        lesson["theme"] = themes[0][0]
    if pillars:
        lesson["pillar"] = pillars[0][0]
    for key, value in content.items():
        lesson[key] = node(value)
    order = current_order(model)
    lessons = model.document.get("lessons")
    if not isinstance(lessons, list):
        lessons = CommentedSeq()
        put(model.document, "lessons", lessons, DECK_ORDER)
    lessons.append(lesson)
    key = f"o:{len(lessons) - 1}"
    if model.extends is not None and "select" in model.document:
        model.lessons.append(LessonItem(key, True, len(lessons) - 1, {"id": lesson["id"]}))
        _write_select(model, order + [key])
    refresh(model)
    return key


def remove_own_lesson(model: DeckModel, item: LessonItem) -> None:
    """Delete one of the deck's own lessons (and its place in ``select``)."""
    lessons = model.document.get("lessons")
    if not item.own or not isinstance(lessons, list) or item.index >= len(lessons):
        return
    if model.extends is not None and "select" in model.document:
        remaining = [k for k in current_order(model) if k != item.key]
        if remaining == [k for k in default_order(model) if k != item.key]:
            drop(model.document, "select")
        else:
            _write_select(model, remaining)
    del lessons[item.index]
    if not lessons and model.extends is not None:
        drop(model.document, "lessons")
    refresh(model)
