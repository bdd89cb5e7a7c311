"""Placeholders: text that a person still has to write, marked so that `check` keeps asking for it.

A text that starts with ``(invullen)`` (or ``(fill in)`` in an English deck) is a placeholder.
``dialoogkit import`` writes them for what a table cannot say (the starter questions, the source of
each lesson, the pillar when there is no pillar column, who published the lessons, the title when
none was given); a person may write one too. The mark is ordinary text in the deck file, visible
in any editor; it disappears when the text is replaced, or when the person deletes the mark to keep
the text as it is.

In: a ``LoadedDeck``.
Out: ``find_warnings``: one ``Problem`` per kind of placeholder (per file), located at the first
one like an error (file, line, field), saying how many lessons still have it, where, and what to
write instead; ``mark`` and ``PLACEHOLDERS``, the texts import writes.
"""

from __future__ import annotations

from collections import defaultdict

from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.cards.texts import printed_texts
from dialoogkit.cards.yamlsource import PathKey
from dialoogkit.errors import Problem, quoted
from dialoogkit.i18n import say

MARKERS = {"nl": "(invullen)", "en": "(fill in)"}
PLACEHOLDERS = {
    "nl": {"pillar": "Nog in te delen", "source": "Bron van dit inzicht", "publisher": "uitgever",
           "title": "Titel van dit deck"},
    "en": {"pillar": "To be decided", "source": "Source of this lesson", "publisher": "publisher",
           "title": "Title of this deck"},
}
SHOWN = 12  # lessons and lines named in one warning


def mark(text: str, language: str) -> str:
    """``text`` marked as a placeholder in ``language``."""
    return f"{MARKERS.get(language, MARKERS['en'])} {text}"


def marker_of(text: str) -> str | None:
    """The mark a text starts with (``(invullen)``, case and spaces ignored), or None."""
    start = text.lstrip().lower()
    return next((m for m in MARKERS.values() if start.startswith(m)), None)


def find_warnings(loaded: LoadedDeck) -> list[Problem]:
    """Every kind of placeholder left in the deck (see module docstring)."""
    groups: dict[tuple[str, str], list[tuple[PathKey, int | None, str]]] = defaultdict(list)
    for path, text in printed_texts(loaded.deck):
        found = marker_of(text)
        if found is None:
            continue
        file, line = loaded.where(*path)
        groups[(_kind(path), file)].append((path, line, f'"{found}"'))
    warnings = [_warning(loaded, kind, file, items) for (kind, file), items in groups.items()]
    return sorted(warnings, key=lambda p: (p.file != str(loaded.path), p.file, p.line or 0))


def _kind(path: PathKey) -> str:
    if path[:1] == ("title",):
        return "title"
    if path[:1] == ("source",):
        return "credit"
    if path[:1] == ("pillars",):
        return f"pillar:{path[1]}"
    if len(path) >= 3 and path[0] == "lessons" and path[2] in ("questions", "sources"):
        return str(path[2])
    return "text"


def _warning(loaded: LoadedDeck, kind: str, file: str, items: list[tuple[PathKey, int | None, str]]) -> Problem:
    first_path, first_line, marker = items[0]
    field = _field(first_path)
    if kind in ("questions", "sources"):
        lessons: dict[int, int | None] = {}
        for path, line, _ in items:
            lessons.setdefault(int(path[1]), line)
        count = len(lessons)
        where = _where(list(lessons), list(lessons.values()))
        one = count == 1
        if kind == "questions":
            return Problem(file, first_line, say("cards.placeholder.questions_one" if one else
                                                 "cards.placeholder.questions_many", count=count, where=where),
                           say("cards.placeholder.questions_fix", marker=marker), field="questions")
        return Problem(file, first_line, say("cards.placeholder.sources_one" if one else
                                             "cards.placeholder.sources_many", count=count, where=where),
                       say("cards.placeholder.sources_fix", marker=marker), field="sources")
    if kind.startswith("pillar:"):
        pillar = quoted(kind.split(":", 1)[1], 40)
        users = [i for i, lesson in enumerate(loaded.deck.lessons) if lesson.pillar == kind.split(":", 1)[1]]
        if users:
            where = _where(users, [loaded.line_of("lessons", i, "pillar") for i in users])
            what = say("cards.placeholder.pillar_one" if len(users) == 1 else "cards.placeholder.pillar_many",
                       count=len(users), pillar=pillar, where=where)
        else:
            what = say("cards.placeholder.pillar_unused", pillar=pillar)
        return Problem(file, first_line, what, say("cards.placeholder.pillar_fix", marker=marker), field=field)
    if kind == "credit":
        return Problem(file, first_line, say("cards.placeholder.credit"),
                       say("cards.placeholder.credit_fix", marker=marker), field=field)
    if kind == "title":
        return Problem(file, first_line, say("cards.placeholder.title"),
                       say("cards.placeholder.title_fix", marker=marker), field="title")
    lines = [line for _, line, _ in items]
    return Problem(file, first_line, say("cards.placeholder.texts_one" if len(items) == 1 else
                                         "cards.placeholder.texts_many", count=len(items), marker=marker,
                                         where=_where([], lines)),
                   say("cards.placeholder.texts_fix", marker=marker), field=field if len(items) == 1 else None)


def _where(indexes: list[int], lines: list[int | None]) -> str:
    """`` (lessons 1, 2, 3; lines 21, 40, 59)``, the first ``SHOWN`` of each."""
    parts = []
    if indexes:
        numbers = _some([str(i + 1) for i in indexes])
        parts.append(say("cards.placeholder.lesson" if len(indexes) == 1 else "cards.placeholder.lessons",
                         list=numbers))
    known = [str(line) for line in lines if line]
    if known:
        parts.append(say("cards.placeholder.line" if len(known) == 1 else "cards.placeholder.lines", list=_some(known)))
    return f" ({'; '.join(parts)})" if parts else ""


def _some(items: list[str]) -> str:
    shown = ", ".join(items[:SHOWN])
    return say("cards.placeholder.more", list=shown, count=len(items) - SHOWN) if len(items) > SHOWN else shown


def _field(path: PathKey) -> str:
    name = ""
    for part in (path[2:] if path[:1] == ("lessons",) else path):
        name += f"[{part + 1}]" if isinstance(part, int) else ("." if name else "") + str(part)
    return name
