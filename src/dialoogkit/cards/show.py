"""What a deck holds, as text: its lessons in a table, or one lesson whole.

In: a ``LoadedDeck`` and, for one lesson, how the user named it (its number in the deck, from 1,
or its id).
Out: ``find_lesson``: the lesson's 0-based index, or a ``UsageProblem`` listing every number and id
the deck has; ``list_lessons``: a table of number, id, theme, pillar and statement (the numbers and
ids that ``select:`` and ``override:`` take); ``describe_lesson``: the lesson as YAML, with where it
was written, ready to copy into a deck file. Everything is made printable (no terminal escapes).
"""

from __future__ import annotations

import yaml

from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.cards.messages import list_choices
from dialoogkit.cards.numbers import whole_number
from dialoogkit.errors import UsageProblem, printable, quoted
from dialoogkit.i18n import say

MIN_STATEMENT = 30  # characters of the statement shown however narrow the terminal


def find_lesson(loaded: LoadedDeck, ref: str) -> int:
    """The index of the lesson named by ``ref`` (number from 1, or id)."""
    lessons = loaded.deck.lessons
    text = ref.strip()
    number = whole_number(text)
    if number is not None and 1 <= number <= len(lessons):
        return number - 1
    for index, lesson in enumerate(lessons):
        if lesson.id == text:
            return index
    raise UsageProblem(say("cards.show.no_lesson", deck=loaded.deck.id, ref=quoted(ref, 60), count=len(lessons),
                           choices=list_choices([lesson.id for lesson in lessons])))


def list_lessons(loaded: LoadedDeck, width: int = 100) -> str:
    """The deck's title and a table of its lessons, lines at most ``width`` characters wide (the
    statement is cut with "…" where needed)."""
    deck = loaded.deck
    rows = [(say("cards.show.head_number"), say("cards.show.head_id"), say("cards.show.head_theme"),
             say("cards.show.head_pillar"), say("cards.show.head_statement"))]
    rows += [(str(i), lesson.id, lesson.theme, lesson.pillar, " ".join(lesson.statement.split()))
             for i, lesson in enumerate(deck.lessons, 1)]
    sizes = [max(len(row[col]) for row in rows) for col in range(4)]
    room = max(MIN_STATEMENT, width - sum(sizes) - 2 * 4 - 2)
    title = say("cards.show.title_one" if len(deck.lessons) == 1 else "cards.show.title_many", title=deck.title,
                id=deck.id, language=deck.language, count=len(deck.lessons))
    lines = [title, say("cards.common.file", path=loaded.path), ""]
    for row in rows:
        statement = row[4] if len(row[4]) <= room else row[4][: room - 1].rstrip() + "…"
        lines.append("  " + "  ".join([row[0].rjust(sizes[0])] + [cell.ljust(size) for cell, size in
                                                                   zip(row[1:4], sizes[1:])] + [statement]).rstrip())
    lines += ["", say("cards.show.footer")]
    return printable("\n".join(lines))


def describe_lesson(loaded: LoadedDeck, index: int) -> str:
    """Lesson ``index`` whole, as YAML with a comment saying which card it is and where it was
    written (its theme's and pillar's labels too)."""
    deck = loaded.deck
    lesson = deck.lessons[index]
    file, line = loaded.where("lessons", index)
    data = lesson.model_dump(by_alias=True, exclude_none=True)
    if not data.get("actions"):
        data.pop("actions", None)
    if not data.get("tips"):
        data.pop("tips", None)
    written = say("cards.show.written_at", file=file, line=line) if line else say("cards.show.written_in", file=file)
    header = ["# " + say("cards.show.lesson_header", number=index + 1, count=len(deck.lessons), deck=deck.id,
                         title=deck.title),
              "# " + written,
              "# " + say("cards.show.theme_pillar", theme=deck.themes[lesson.theme].label,
                         pillar=deck.pillars[lesson.pillar].label)]
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return printable("\n".join(header) + "\n" + body.rstrip("\n"))
