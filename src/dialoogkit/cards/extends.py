"""Resolve ``extends``: a deck file built on a bundled deck or on another deck file.

In: the path of a deck file. Besides the deck fields it may hold ``extends`` (a bundled deck name
or a path relative to the file), ``select`` (which lessons of the parent, in which order: by id or
by the parent's number; new lessons may be named too), ``override`` (per lesson id or number: the
fields to replace, and ``questions+`` / ``sources+`` to append) and ``lessons`` (new lessons).
Out: ``(data, origins, chain)``: the merged plain data, where every value was written (file and
line, across the whole chain), and the chain of deck files from this one to the root. A cycle, a
missing parent, or a selected/overridden lesson the parent does not have is a ``ContentError``.
Mappings (themes, pillars, …) merge field by field; a theme whose ``colour`` the child changes
without giving ``cmyk`` loses the parent's ``cmyk`` (that print colour belonged to the old one).
The deck's language is told to ``i18n`` as soon as it is known, before any problem is worded: the
top file's ``language:`` (even before it is parsed), else that of the deck it extends, else the
default of the deck model.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from dialoogkit.cards.bundled import bundled_file, list_bundled
from dialoogkit.cards.messages import describe_value, list_choices, where
from dialoogkit.cards.models import Deck, Lesson
from dialoogkit.cards.numbers import has_foreign_digits, not_a_number, whole_number
from dialoogkit.cards.yamlsource import Origins, PathKey, read_yaml
from dialoogkit.cards.paths import COMMAND_LINE, Gate, PathRefused
from dialoogkit.errors import ContentError, Problem, quoted
from dialoogkit.i18n import note_deck_language, say

PATCH_KEYS = ("extends", "select", "override")
APPEND_KEYS = {"questions+": "questions", "sources+": "sources"}
LESSON_FIELDS = frozenset([f.alias or n for n, f in Lesson.model_fields.items()] + list(APPEND_KEYS))
MAX_CHAIN = 12

Layer = tuple[dict[str, Any], Origins]


def resolve_extends(path: Path, seen: tuple[Path, ...] = (), gate: Gate = COMMAND_LINE,
                    language_known: bool = False) -> tuple[dict[str, Any], Origins, tuple[str, ...]]:
    """Read ``path`` and everything it extends; merge from the root down (see module docstring).
    A parent file is opened through ``gate`` (``cards.paths``): in the deck's folder, ``../`` only
    when the gate allows it.
    ``language_known``: a file closer to the user (one that extends this one) named the language."""
    file = str(path)
    data, origins = read_yaml(path, note_language=not language_known)
    if not language_known and isinstance(data, dict) and ("language" in data or "extends" not in data):
        note_deck_language(data.get("language", Deck.model_fields["language"].default))
        language_known = True
    if not isinstance(data, dict):
        raise ContentError([Problem(*where((), origins, file),
                                    say("cards.extends.not_deck", found=describe_value(data)),
                                    say("cards.extends.not_deck_fix"))])
    if "extends" not in data:
        stray = [key for key in ("select", "override") if key in data]
        if stray:
            raise ContentError([Problem(*where((stray[0],), origins, file), say("cards.extends.stray", field=stray[0]),
                                        say("cards.extends.stray_fix"))])
        return data, origins, (file,)
    parent = _parent_path(path, data, origins, seen, gate)
    parent_data, parent_origins, chain = resolve_extends(parent, seen + (path.resolve(),), gate,
                                                         language_known)
    merged, merged_origins = merge_layers((parent_data, parent_origins), (data, origins), file)
    return merged, merged_origins, (file,) + chain


def _parent_path(path: Path, data: dict[str, Any], origins: Origins, seen: tuple[Path, ...],
                 gate: Gate) -> Path:
    file = str(path)
    at = where(("extends",), origins, file)
    ref = data["extends"]
    decks = ", ".join(list_bundled())
    if not isinstance(ref, str) or not ref.strip():
        raise ContentError([Problem(*at, say("cards.extends.not_named", found=describe_value(ref)),
                                    say("cards.extends.not_named_fix", decks=decks), field="extends")])
    ref = ref.strip()
    is_name = "/" not in ref and "\\" not in ref and not ref.lower().endswith((".yaml", ".yml"))
    bundled = bundled_file(ref) if is_name else None
    if bundled is not None:
        candidate = bundled
    elif is_name:
        guess = difflib.get_close_matches(ref, list_bundled(), n=1)
        hint = say("cards.extends.missing_fix", decks=decks)
        if guess:
            hint = say("cards.common.did_you_mean", guess=guess[0]) + " " + hint
        raise ContentError([Problem(*at, say("cards.extends.missing", name=quoted(ref)), hint, field="extends")])
    elif not ref.lower().endswith((".yaml", ".yml")):
        raise ContentError([Problem(*at, say("cards.extends.not_yaml", ref=quoted(ref)),
                                    say("cards.extends.not_yaml_fix"), field="extends")])
    else:
        try:
            candidate = gate.resolve(ref, path)
        except PathRefused as exc:
            if exc.kind == "missing":
                problem = Problem(*at, say("cards.extends.missing", name=quoted(ref)),
                                  say("cards.extends.missing_file_fix", decks=decks), field="extends")
            else:
                problem = Problem(*at, say("cards.extends.unusable", reason=exc.reason), exc.fix, field="extends")
            raise ContentError([problem]) from None
    resolved = candidate.resolve()
    chain = seen + (path.resolve(),)
    if resolved in chain:
        loop = " → ".join(p.name for p in chain[chain.index(resolved):]) + f" → {resolved.name}"
        raise ContentError([Problem(*at, say("cards.extends.cycle", loop=quoted(loop, 200)),
                                    say("cards.extends.cycle_fix"), field="extends")])
    if len(chain) >= MAX_CHAIN:
        raise ContentError([Problem(*at, say("cards.extends.chain", limit=MAX_CHAIN), say("cards.extends.chain_fix"),
                                    field="extends")])
    return candidate


def merge_layers(parent: Layer, child: Layer, file: str) -> Layer:
    """The child's deck fields over the parent's, then its lesson selection, overrides and additions."""
    pdata, porigins = parent
    cdata, corigins = child
    data: dict[str, Any] = {k: v for k, v in pdata.items() if k != "lessons"}
    origins: Origins = {k: v for k, v in porigins.items() if not (k and k[0] == "lessons")}
    for key, value in cdata.items():
        if key in PATCH_KEYS or key == "lessons":
            continue
        old = data.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            data[key] = _merge_mapping(old, value, (key,), origins, corigins)
        else:
            data[key] = value
            _replace_origins(origins, (key,), corigins, (key,))
    lessons, lesson_origins, problems = _merge_lessons(pdata, porigins, cdata, corigins, file)
    if problems:
        raise ContentError(sorted(problems, key=lambda p: (p.file, p.line or 0)))
    data["lessons"] = lessons
    origins.update(lesson_origins)
    for own_key in ("lessons", "select"):
        if (own_key,) in corigins:
            origins[("lessons",)] = corigins[(own_key,)]
    if () in corigins:
        origins[()] = corigins[()]
    return data, origins


def _merge_mapping(old: dict, new: dict, path: PathKey, origins: Origins, corigins: Origins) -> dict:
    """Merge one level deeper: entries that are both mappings merge field by field."""
    merged = dict(old)
    for key, value in new.items():
        if isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key] = {**merged[key], **value}
            for field in value:
                _replace_origins(origins, path + (key, field), corigins, path + (key, field))
            if path == ("themes",) and "colour" in value and "cmyk" not in value and "cmyk" in merged[key]:
                del merged[key]["cmyk"]  # the parent's print colour matched its screen colour, not this one
                _replace_origins(origins, path + (key, "cmyk"), corigins, path + (key, "cmyk"))
        else:
            merged[key] = value
            _replace_origins(origins, path + (key,), corigins, path + (key,))
    return merged


def _replace_origins(origins: Origins, target: PathKey, source: Origins, prefix: PathKey) -> None:
    for loc in [loc for loc in origins if loc[: len(target)] == target]:
        del origins[loc]
    for loc, origin in source.items():
        if loc[: len(prefix)] == prefix:
            origins[target + loc[len(prefix):]] = origin


def _lessons_of(data: dict, origins: Origins) -> list[tuple[Any, Origins]]:
    lessons = data.get("lessons")
    if not isinstance(lessons, list):
        return []
    return [(lesson, {loc[2:]: o for loc, o in origins.items() if loc[:2] == ("lessons", i)})
            for i, lesson in enumerate(lessons)]


def _lesson_key(lesson: Any) -> str | None:
    return lesson.get("id") if isinstance(lesson, dict) and isinstance(lesson.get("id"), str) else None


def _find(ref: Any, parents: list[tuple[Any, Origins]], extra: list[tuple[Any, Origins]]) -> int | None:
    """Index into ``parents + extra`` of a lesson named by id, or by the parent's number."""
    text = str(ref).strip() if ref is not None else ""
    number = whole_number(text)
    if number is not None and 1 <= number <= len(parents):
        return number - 1
    for index, (lesson, _) in enumerate(parents + extra):
        if _lesson_key(lesson) == text:
            return index
    return None


def _unknown(ref: Any, at: tuple[str, int | None], parents: list, field: str, added: list = ()) -> Problem:
    if has_foreign_digits(ref):
        what, fix = not_a_number(ref)
        return Problem(*at, what, say("cards.extends.number_or_id", fix=fix), field=field)
    numbered = [_lesson_key(lesson) for lesson, _ in parents]
    ids = [k for k in numbered if k]
    new = [k for k in (_lesson_key(lesson) for lesson, _ in added) if k]
    guess = difflib.get_close_matches(str(ref), ids + new, n=1)
    if guess:
        hint = say("cards.extends.choose_guess", guess=guess[0], count=len(numbered), choices=list_choices(numbered))
    else:
        hint = say("cards.extends.choose", count=len(numbered), choices=list_choices(numbered))
    if new:
        hint = say("cards.extends.or_new", hint=hint, new=", ".join(new))
    if str(ref) in LESSON_FIELDS:
        return Problem(*at, say("cards.extends.field_not_lesson", ref=ref), say("cards.extends.field_not_lesson_fix"),
                       field=field)
    return Problem(*at, say("cards.extends.not_in_parent", ref=quoted(ref)), hint, field=field)


def _merge_lessons(pdata: dict, porigins: Origins, cdata: dict, corigins: Origins,
                   file: str) -> tuple[list, Origins, list[Problem]]:
    parents = _lessons_of(pdata, porigins)
    added = _lessons_of(cdata, corigins)
    problems: list[Problem] = []
    pool = [(dict(lesson) if isinstance(lesson, dict) else lesson, dict(o)) for lesson, o in parents + added]
    override = cdata.get("override")
    if override is not None and not isinstance(override, dict):
        problems.append(Problem(*where(("override",), corigins, file), say("cards.extends.override_block"),
                                say("cards.extends.override_block_fix"), field="override"))
    for ref, patch in (override or {}).items() if isinstance(override, dict) else ():
        index = _find(ref, parents, [])
        at = where(("override", ref), corigins, file)
        if index is None:
            problems.append(_unknown(ref, at, parents, f"override.{ref}"))
            continue
        if patch is None:
            problems.append(Problem(*at, say("cards.extends.nothing_under", ref=quoted(ref)),
                                    say("cards.extends.nothing_under_fix"), field=f"override.{ref}"))
            continue
        if not isinstance(patch, dict):
            problems.append(Problem(*at, say("cards.extends.patch_block", found=describe_value(patch)),
                                    say("cards.extends.patch_block_fix"), field=f"override.{ref}"))
            continue
        problems.extend(_apply_patch(pool[index], patch, ("override", ref), corigins, file, str(ref)))
    select = cdata.get("select")
    if select is None:
        order = list(range(len(pool)))
    elif not isinstance(select, list):
        problems.append(Problem(*where(("select",), corigins, file),
                                say("cards.extends.select_list", found=describe_value(select)),
                                say("cards.extends.select_list_fix"), field="select"))
        order = []
    else:
        order = []
        for position, ref in enumerate(select):
            index = _find(ref, parents, added)
            at = where(("select", position), corigins, file)
            if index is None:
                problems.append(_unknown(ref, at, parents, f"select[{position + 1}]", added))
            elif index in order:
                problems.append(Problem(*at, say("cards.extends.selected_twice", ref=quoted(ref)),
                                        say("cards.extends.selected_twice_fix"), field=f"select[{position + 1}]"))
            else:
                order.append(index)
        order += [len(parents) + i for i in range(len(added)) if len(parents) + i not in order]
    lessons, origins = [], {}
    for new_index, index in enumerate(order):
        lesson, lesson_origins = pool[index]
        lessons.append(lesson)
        origins.update({("lessons", new_index) + loc: o for loc, o in lesson_origins.items()})
    return lessons, origins, problems


def _apply_patch(entry: tuple[Any, Origins], patch: dict, at: PathKey, corigins: Origins, file: str,
                 ref: str) -> list[Problem]:
    lesson, origins = entry
    problems = []
    if not isinstance(lesson, dict):
        return problems
    for key, value in patch.items():
        loc = at + (key,)
        if key == "id":
            problems.append(Problem(*where(loc, corigins, file), say("cards.extends.id_override"),
                                    say("cards.extends.id_override_fix"), field=f"override.{ref}.id"))
        elif key in APPEND_KEYS:
            target = APPEND_KEYS[key]
            if not isinstance(value, list):
                problems.append(Problem(*where(loc, corigins, file),
                                        say("cards.extends.append_list", field=key, found=describe_value(value)),
                                        say("cards.common.each_item_line"), field=f"override.{ref}.{key}"))
                continue
            existing = lesson.get(target) if isinstance(lesson.get(target), list) else []
            lesson[target] = list(existing) + value
            for i in range(len(value)):
                _graft(origins, (target, len(existing) + i), corigins, loc + (i,))
        else:
            lesson[key] = value
            for old in [o for o in origins if o[:1] == (key,)]:
                del origins[old]
            _graft(origins, (key,), corigins, loc)
    return problems


def _graft(origins: Origins, target: PathKey, source: Origins, prefix: PathKey) -> None:
    for loc, origin in source.items():
        if loc[: len(prefix)] == prefix:
            origins[target + loc[len(prefix):]] = origin
