"""Every printed text of a validated model, with the path it was written at.

In: a validated pydantic model (a ``Deck``, the bundled guide texts).
Out: ``(path, text)`` for every text value in it, in field order, with paths as the author writes
them (aliases, 0-based list positions), e.g. ``("lessons", 2, "actions", "self")`` or
``("sessions", 0, "blocks", 1, "purpose")``. Fields whose annotation carries ``NOT_PRINTED``
(ids, colours, icon names, file paths) are skipped; every other text is printed somewhere, so a
check that applies to "every text" (glyphs, …) walks this instead of a list kept by hand.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Iterator

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from dialoogkit.cards.models import NotPrinted
from dialoogkit.cards.yamlsource import PathKey


def printed_texts(model: BaseModel, path: PathKey = ()) -> Iterator[tuple[PathKey, str]]:
    """Walk ``model`` and yield each printed text with its path (see module docstring)."""
    for name, info in type(model).model_fields.items():
        if not is_printed(info):
            continue
        yield from _walk(getattr(model, name), path + (info.alias or name,))


def is_printed(info: FieldInfo) -> bool:
    """False for a field marked ``NOT_PRINTED`` (directly, or inside ``Optional``/``Annotated``)."""
    if any(isinstance(item, NotPrinted) for item in info.metadata):
        return False
    return not _marked(info.annotation)


def _marked(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        return any(isinstance(item, NotPrinted) for item in metadata) or _marked(base)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return bool(options) and all(_marked(a) for a in options)
    return False


def _walk(value: Any, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        yield from printed_texts(value, path)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _walk(item, path + (index,))
    elif isinstance(value, dict):
        for key, item in value.items():  # keys are ids: never printed
            yield from _walk(item, path + (key,))
