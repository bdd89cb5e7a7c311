"""Round-trip YAML nodes written as a careful author would: in place, in the style they had.

In: ruamel.yaml round-trip mappings and sequences of a deck or results document, and plain
values (str, numbers, lists, dicts) to write into them.
Out: the nodes changed in place: ``put`` sets a key where it was (or at its place in a given key
order), ``put_list`` keeps the nodes and comments of items that stay the same, ``drop`` removes a
key; ``styled`` gives a text the quoting of the text it replaces (long texts folded at 80
columns, texts with line breaks as literal blocks) and ``node`` turns plain data into nodes.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    PlainScalarString,
    SingleQuotedScalarString,
)

from dialoogkit.studio.editmodel import plain

FOLD_AT = 80
LONG_TEXT = 90


def fold_positions(text: str, width: int = FOLD_AT) -> list[int]:
    """Where a folded block may break ``text``: single spaces between words, about every ``width``
    characters (breaking there gives back exactly ``text`` when read)."""
    positions, start = [], 0
    for index, char in enumerate(text):
        if char == " " and index - start >= width and 0 < index < len(text) - 1 \
                and text[index - 1] != " " and text[index + 1] != " ":
            positions.append(index)
            start = index + 1
    return positions


def styled(value: str, old: Any = None) -> Any:
    """``value`` as a YAML scalar in the style of the value it replaces, or the style its length
    and line breaks call for."""
    if not all(ch.isprintable() or ch == "\n" for ch in value):
        return value  # the writer escapes it in double quotes
    if "\n" in value:
        return LiteralScalarString(value) if not any(line != line.rstrip() for line in value.split("\n")) else value
    if isinstance(old, (FoldedScalarString, LiteralScalarString)) or len(value) > LONG_TEXT:
        if value == value.strip() and "  " not in value and fold_positions(value):
            folded = FoldedScalarString(value)
            folded.fold_pos = fold_positions(value)  # type: ignore[attr-defined]
            return folded
        return PlainScalarString(value)
    if isinstance(old, SingleQuotedScalarString):
        return SingleQuotedScalarString(value)
    if isinstance(old, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(value)
    return PlainScalarString(value)  # quoted by the writer where plain text would read differently


def put(mapping: Any, key: str, value: Any, order: tuple[str, ...] = ()) -> None:
    """Set ``key``: in place when it exists, else at its place in ``order``."""
    if isinstance(value, str):
        value = styled(value, mapping.get(key))
    if key in mapping:
        mapping[key] = value
        return
    rank = order.index(key) if key in order else len(order)
    position = len(mapping)
    for index, existing in enumerate(mapping):
        if existing in order and order.index(existing) > rank:
            position = index
            break
    mapping.insert(position, key, value)


def node(value: Any) -> Any:
    """Plain data as round-trip nodes (dicts without empty fields)."""
    if isinstance(value, dict):
        result = CommentedMap()
        for key, item in value.items():
            if item is not None:
                result[key] = node(item)
        return result
    if isinstance(value, list):
        return CommentedSeq(node(item) for item in value)
    return styled(value) if isinstance(value, str) else value


def put_list(mapping: Any, key: str, items: list, order: tuple[str, ...] = ()) -> None:
    """Write a list, keeping the nodes (and their comments) of items that stay the same."""
    old = mapping.get(key)
    if not isinstance(old, list):
        put(mapping, key, node(items), order)
        return
    for index, item in enumerate(items):
        if index >= len(old):
            old.append(node(item))
        elif plain(old[index]) != item:
            old[index] = merged(old[index], item)
    while len(old) > len(items):
        old.pop()


def merged(old: Any, new: Any) -> Any:
    """``old`` changed into ``new`` key by key (nodes that stay keep their comments and place)."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key, value in new.items():
            if value is None:
                old.pop(key, None)
            elif plain(old.get(key)) != value:
                put(old, key, node(value), tuple(new))
        for key in [k for k in old if k not in new]:
            del old[key]
        return old
    return node(new)


def drop(mapping: Any, key: str) -> None:
    """Remove ``key`` from ``mapping`` when it is there."""
    if isinstance(mapping, dict) and key in mapping:
        del mapping[key]
