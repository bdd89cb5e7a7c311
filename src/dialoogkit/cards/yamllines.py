"""The lines of a deck file around a YAML syntax error, and the parser's complaint clamped to them.

In: the text of a deck file and the ``MarkedYAMLError`` PyYAML raised for it.
Out: a ``Spot`` (the file's lines, the parser's problem and context in lower case, and its marks as
0-based lines that exist: a mark past the end of the file is moved to the last line with content)
and small readers of a line (its indentation, its ``name:``, its value), for ``yamlerrors``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from dialoogkit.errors import quoted
from dialoogkit.i18n import say

_BREAKS = re.compile("\r\n|\r|\n|\x85|\u2028|\u2029")  # what YAML counts as a line break
_KEY = re.compile(r"^(\s*)(?:-\s+)?([^\s:#'\"\[\]{},&*!|>%@`-][^:#]*?):(?=\s|$)")
ITEM_FIELDS = {"questions": "text", "questions+": "text", "sources": "title", "sources+": "title",
               "contacts": "name", "blocks": "title", "sessions": "id", "lessons": "id"}


@dataclass(frozen=True)
class Diagnosis:
    """Where the mistake is, what is wrong, and what to write instead. ``line`` is 1-based in what
    ``explain_syntax_error`` returns (the rules below work with 0-based lines)."""

    line: int | None
    what: str
    fix: str


@dataclass(frozen=True)
class Spot:
    """The parser's complaint, with its marks clamped to lines of the file (0-based)."""

    lines: list[str]
    problem: str
    context: str
    line: int
    column: int
    past_end: bool
    context_line: int | None
    context_column: int

    def char(self, line: int | None = None, column: int | None = None) -> str:
        """The character at a position ("" beyond the end of its line)."""
        text = self.lines[self.line if line is None else line]
        index = self.column if column is None else column
        return text[index] if 0 <= index < len(text) else ""


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` as YAML counts them (never empty: an empty file is one empty line)."""
    lines = _BREAKS.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines or [""]


def make_spot(lines: list[str], exc: yaml.MarkedYAMLError) -> Spot:
    """The complaint ``exc`` about ``lines``, its marks moved onto lines that exist."""
    last = len(lines) - 1
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line, mark.column) if mark else (last, 0)
    past_end = line > last
    line = min(line, last)
    context = exc.context_mark
    context_line = min(context.line, last) if context else None
    if context is not None and context.line > last:
        context_line = previous_with_content(lines, last + 1)
    return Spot(lines, (exc.problem or "").lower(), (exc.context or "").lower(), line, column, past_end,
                context_line, context.column if context else 0)


def indent_of(line: str) -> int:
    """The number of spaces a line starts with."""
    return len(line) - len(line.lstrip(" "))


def has_content(line: str) -> bool:
    """A line with content: not blank, not only a comment."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def previous_with_content(lines: list[str], index: int) -> int:
    """The last line with content before ``index`` (``index`` itself if there is none)."""
    for number in range(min(index, len(lines)) - 1, -1, -1):
        if has_content(lines[number]):
            return number
    return max(0, min(index, len(lines) - 1))


def key_of(line: str) -> tuple[str, int, int] | None:
    """``(name, column of the name, column of its colon)`` of a ``name: value`` line, or None."""
    match = _KEY.match(line)
    if not match:
        return None
    return match.group(2).strip(), match.start(2), match.end(2)


def value_of(line: str) -> tuple[str, int]:
    """The value written on a line (after ``name:`` or ``- ``) and the column it starts at."""
    found = key_of(line)
    start = found[2] + 1 if found else indent_of(line) + (2 if line.lstrip().startswith("- ") else 0)
    while start < len(line) and line[start] == " ":
        start += 1
    return line[start:].rstrip(), start


def item_field(lines: list[str], index: int) -> str:
    """The field an item of the list at ``index`` is written with (``text`` for questions): the
    name of the field the list stands under."""
    own = indent_of(lines[index])
    for number in range(index - 1, -1, -1):
        found = key_of(lines[number])
        if found and (found[1] < own or (found[1] == own and lines[number].rstrip().endswith(":"))):
            return ITEM_FIELDS.get(found[0], "text")
    return "text"


def spaces(count: int) -> str:
    """``count`` spaces of indentation, in words ("no spaces", "1 space", "4 spaces")."""
    if count == 0:
        return say("cards.syntax.spaces_none")
    return say("cards.syntax.spaces_one") if count == 1 else say("cards.syntax.spaces_many", count=count)


def sample(text: str, limit: int = 50) -> str:
    return quoted(text.strip(), limit)


def in_quotes(text: str) -> str:
    """``text`` as a YAML quoted value: double quotes, or single quotes when it holds a ``"``."""
    text = sample(text, 60)
    return "'" + text.replace("'", "''") + "'" if '"' in text else f'"{text}"'


def fallback_line(spot: Spot) -> int:
    """The problem line; when the parser points at the start of an empty line or past the end, the
    last line with content before it (that is where the text stopped making sense)."""
    if spot.past_end or (spot.column == 0 and not has_content(spot.lines[spot.line])):
        return previous_with_content(spot.lines, spot.line + (1 if spot.past_end else 0))
    return spot.line
