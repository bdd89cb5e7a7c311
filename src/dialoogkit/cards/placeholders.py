"""Placeholders: text that a person still has to write, marked so that `check` keeps asking for it.

A text that starts with ``(invullen)`` (or ``(fill in)`` in an English deck) is a placeholder.
``dialoogkit import`` writes them for what a table cannot say (the starter questions, the source of
each lesson, the pillar when there is no pillar column, who published the lessons, the title when
none was given); a person may write one too. The mark is ordinary text in the deck file, visible
in any editor; it disappears when the text is replaced, or when the person deletes the mark to keep
the text as it is.

In: a ``LoadedDeck`` (or a deck name or path, for ``deck_warnings``).
Out: ``find_warnings``: one ``Problem`` per kind of placeholder (per file), located at the first
one like an error (file, line, field), saying how many lessons still have it, where, and what to
write instead; ``mark`` and ``PLACEHOLDERS``, the texts import writes.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from dialoogkit.cards.loader import LoadedDeck, load_deck
from dialoogkit.cards.texts import printed_texts
from dialoogkit.cards.yamlsource import PathKey
from dialoogkit.errors import DialoogkitError, Problem, quoted

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


def deck_warnings(name_or_path: str | Path, allow_parent: bool = False) -> list[Problem]:
    """The warnings of a deck, or none when it does not load (the caller reports its errors);
    a deck that is not found is left to the caller too."""
    try:
        return find_warnings(load_deck(name_or_path, allow_parent))
    except DialoogkitError:
        return []


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
        if kind == "questions":
            return Problem(file, first_line, f"{_lessons(count)} still {'has' if count == 1 else 'have'} starter "
                                             f"questions{where}",
                           f"write your own questions; to keep a starter question, remove {marker} from its start",
                           field="questions")
        return Problem(file, first_line, f"{_lessons(count)} still {'has' if count == 1 else 'have'} the placeholder "
                                         f"source{where}",
                       f"write the title and web address (url:) of each lesson's real source, and remove {marker}",
                       field="sources")
    if kind.startswith("pillar:"):
        pillar = kind.split(":", 1)[1]
        users = [i for i, lesson in enumerate(loaded.deck.lessons) if lesson.pillar == pillar]
        what = (f"{_lessons(len(users))} still {'has' if len(users) == 1 else 'have'} no pillar: "
                f"pillar '{quoted(pillar, 40)}' is a placeholder"
                f"{_where(users, [loaded.line_of('lessons', i, 'pillar') for i in users])}" if users
                else f"pillar '{quoted(pillar, 40)}' is still a placeholder")
        return Problem(file, first_line, what,
                       f"define your pillars under `pillars:` and name one in each lesson's `pillar:`; or give this "
                       f"pillar a real name and remove {marker}", field=field)
    if kind == "credit":
        return Problem(file, first_line, "the credit printed on every card still has a placeholder",
                       f"under `source:`, write the title of the publication in `title:` and who made it in "
                       f"`publishers:`, and remove {marker}", field=field)
    if kind == "title":
        return Problem(file, first_line, "the deck's title is still a placeholder",
                       f"write the title after `title:` and remove {marker}", field="title")
    lines = [line for _, line, _ in items]
    return Problem(file, first_line, f"{len(items)} text{'' if len(items) == 1 else 's'} still start with "
                                     f"{marker}{_where([], lines)}",
                   f"write the real text and remove {marker}", field=field if len(items) == 1 else None)


def _lessons(count: int) -> str:
    return f"{count} lesson{'' if count == 1 else 's'}"


def _where(indexes: list[int], lines: list[int | None]) -> str:
    """`` (lessons 1, 2, 3; lines 21, 40, 59)``, the first ``SHOWN`` of each."""
    parts = []
    if indexes:
        parts.append(("lesson " if len(indexes) == 1 else "lessons ") + _some([str(i + 1) for i in indexes]))
    known = [str(line) for line in lines if line]
    if known:
        parts.append(("line " if len(known) == 1 else "lines ") + _some(known))
    return f" ({'; '.join(parts)})" if parts else ""


def _some(items: list[str]) -> str:
    shown = ", ".join(items[:SHOWN])
    return shown + (f" and {len(items) - SHOWN} more" if len(items) > SHOWN else "")


def _field(path: PathKey) -> str:
    name = ""
    for part in (path[2:] if path[:1] == ("lessons",) else path):
        name += f"[{part + 1}]" if isinstance(part, int) else ("." if name else "") + str(part)
    return name
