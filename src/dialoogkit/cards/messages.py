"""Turn pydantic validation errors into located, plain-language problems.

In: the errors of ``Deck.model_validate`` on raw data, the raw data and its line map.
Out: ``Problem`` objects of the form ``file:line: lesson 'x', field 'y': what — how to fix``,
with "did you mean …?" for unknown keys.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel

from dialoogkit.cards.yamlsource import Origin, Origins, PathKey
from dialoogkit.errors import Problem
from dialoogkit.i18n import say


# The field that a list item written as bare text most likely meant (``- Wie ken jij?`` in
# ``questions:`` is ``- text: Wie ken jij?``).
ITEM_FIELDS = {"questions": "text", "sources": "title", "contacts": "name", "blocks": "title"}


def describe_value(value: Any) -> str:
    """Name the kind of a YAML value the way a deck author sees it."""
    if isinstance(value, dict):
        return say("cards.schema.block")
    if isinstance(value, list):
        return say("cards.schema.list")
    if value is None:
        return say("cards.schema.nothing")
    return f"'{_shorten(str(value))}'"


def locate(loc: PathKey, origins: Origins) -> Origin | None:
    """Where a path was written, or its nearest parent."""
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in origins:
            return origins[loc[:cut]]
    return None


def where(loc: PathKey, origins: Origins, default_file: str) -> tuple[str, int | None]:
    """``(file, line)`` for a path, falling back to ``default_file`` without a line."""
    origin = locate(loc, origins)
    return (origin.file, origin.line) if origin else (default_file, None)


def lesson_label(data: Any, index: int) -> str:
    """``'id'`` of the lesson at ``index`` if it has a usable id, else its number."""
    lessons = data.get("lessons") if isinstance(data, dict) else None
    if isinstance(lessons, list) and index < len(lessons):
        item = lessons[index]
        if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"].strip():
            return f"'{_shorten(item['id'].strip(), 40)}'"
    return say("cards.common.number", number=index + 1)


def split_location(loc: PathKey, data: Any) -> tuple[str | None, str | None]:
    """Split a path into a lesson label and a human field name (1-based list positions)."""
    lesson = None
    rest = loc
    if len(loc) >= 2 and loc[0] == "lessons" and isinstance(loc[1], int):
        lesson = lesson_label(data, loc[1])
        rest = loc[2:]
    field = ""
    for part in rest:
        if isinstance(part, int):
            field += f"[{part + 1}]"
        else:
            field += ("." if field else "") + str(part)
    return lesson, field or None


def model_at(root: type[BaseModel], loc: PathKey) -> type[BaseModel] | None:
    """The model class that describes the mapping at ``loc`` (for suggesting keys)."""
    current: Any = root
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = next((f for n, f in current.model_fields.items() if (f.alias or n) == part), None)
            if field is None:
                return None
            current = field.annotation
        else:
            origin = typing.get_origin(current)
            args = typing.get_args(current)
            if origin is list and args:
                current = args[0]
            elif origin is dict and len(args) == 2:
                current = args[1]
            else:
                return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


def allowed_keys(model: type[BaseModel]) -> list[str]:
    """The keys a deck author may write in a mapping described by ``model``."""
    return [f.alias or n for n, f in model.model_fields.items()]


def translate_error(error: dict, root: type[BaseModel], data: Any, origins: Origins, file: str) -> Problem:
    """One pydantic error as a located ``Problem`` with a fix."""
    loc: PathKey = tuple(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    lesson, field = split_location(loc, data)
    file, line = where(loc, origins, file)
    if kind == "missing":
        name = loc[-1]
        return Problem(file, line, say("cards.schema.missing"), say("cards.schema.missing_fix", name=name),
                       lesson, field)
    if kind == "extra_forbidden":
        model = model_at(root, loc[:-1])
        options = allowed_keys(model) if model else []
        if not loc[:-1]:
            options += ["extends", "select", "override"]
        guess = difflib.get_close_matches(str(loc[-1]), options, n=1, cutoff=0.6)
        hint = say("cards.common.did_you_mean", guess=guess[0]) if guess else say("cards.schema.unknown_key_fix")
        if options:
            hint = say("cards.schema.allowed_here", hint=hint, keys=", ".join(options))
        shown = _shorten(str(loc[-1]), 40)
        return Problem(file, line, say("cards.schema.unknown_key", field=shown), hint, lesson,
                       _shorten(field or "", 80) or None)
    if kind in ("dict_type", "model_type", "model_attributes_type") and isinstance(value, str) and len(loc) >= 2 \
            and isinstance(loc[-1], int) and str(loc[-2]) in ITEM_FIELDS:
        key = ITEM_FIELDS[str(loc[-2])]
        shown = _shorten(value.strip(), 60)
        return Problem(file, line, say("cards.schema.bare_item", text=shown, list=loc[-2]),
                       say("cards.common.write_as", example=f"- {key}: {shown}"), lesson, field)
    message, hint = _explain(kind, ctx, value, error.get("msg", ""))
    if value is None and str(loc[-1]) == "colour":
        hint = say("cards.schema.colour_hint")
    return Problem(file, line, message, hint, lesson, field)


def _explain(kind: str, ctx: dict, value: Any, msg: str) -> tuple[str, str]:
    found = describe_value(value)
    if kind in ("string_type", "str_type"):
        return say("cards.schema.text", found=found), say("cards.schema.text_fix")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return say("cards.schema.block_expected", found=found), say("cards.schema.block_fix")
    if kind == "list_type":
        return say("cards.schema.list_expected", found=found), say("cards.common.each_item_line")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return say("cards.schema.number", found=found), say("cards.schema.number_fix")
    if kind in ("greater_than_equal", "less_than_equal"):
        limit = ctx.get("ge", ctx.get("le"))
        return say("cards.schema.range", found=found, limit=limit), say("cards.schema.range_fix")
    if kind == "too_short":
        return (say("cards.schema.too_few", min=ctx.get("min_length"), actual=ctx.get("actual_length")),
                say("cards.schema.too_few_fix"))
    if kind == "too_long":
        return (say("cards.schema.too_many", max=ctx.get("max_length"), actual=ctx.get("actual_length")),
                say("cards.schema.too_many_fix"))
    if kind == "string_too_short":
        return say("cards.schema.empty"), say("cards.schema.empty_fix")
    if kind == "string_too_long":
        return say("cards.schema.long", length=len(str(value)), max=ctx.get("max_length")), say("cards.schema.long_fix")
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern.startswith("^#"):
            return say("cards.schema.colour", found=found), say("cards.schema.colour_fix")
        return say("cards.schema.id", found=found), say("cards.schema.id_fix")
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return say("cards.schema.choice", found=found), say("cards.schema.choice_fix", choices=expected)
    if kind == "value_error":
        text = str(ctx.get("error", msg)).removeprefix("Value error, ")
        what, _, fix = text.partition(" — ")
        return what, fix
    return say("cards.schema.other", detail=msg), say("cards.schema.other_fix")


def list_choices(ids: list[str | None]) -> str:
    """Every lesson as ``number id`` (``1 buren-kennen, 2 ontmoeten, …``), for a message that says
    which lessons there are; a lesson without a usable id is listed by its number alone."""
    return ", ".join(f"{number} {_shorten(lesson_id, 64)}" if lesson_id else str(number)
                     for number, lesson_id in enumerate(ids, 1))


def _shorten(text: str, limit: int = 60) -> str:
    """One printable line: control and direction characters become '?', so a message never
    carries terminal escapes."""
    text = "".join(ch if ch.isprintable() else "?" for ch in text.replace("\n", " "))
    return text if len(text) <= limit else text[: limit - 1] + "…"
