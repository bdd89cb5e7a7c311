"""The one exception tree of dialoogkit, rooted in ``click.ClickException``.

In: problems found anywhere (content, geometry, drawing, files).
Out: exceptions that click shows as ``Error: …`` with the right exit status
(1 for content problems, 2 for usage problems), never a traceback.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Sequence

import click

# C0 controls except newline, DEL, C1 controls, bidi marks, embeddings, overrides and isolates, lone
# surrogates (undecodable bytes of a file name), which a terminal cannot print; the line and paragraph
# separators (a terminal may break the line on them), the byte-order mark (invisible) and noncharacters
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff\ufdd0-\ufdef\ufeff\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` with every control, escape or text-direction character shown as ``U+XXXX``, so a
    message can never carry terminal escapes or reorder itself (newlines are kept)."""
    return _UNSAFE.sub(lambda m: f"U+{ord(m.group()):04X}", text)


def quoted(text: object, limit: int = 60) -> str:
    """A short, safe, one-line quote of user text (a path, a key, a value) for a message."""
    line = printable(str(text).replace("\r", " ").replace("\n", " "))
    return line if len(line) <= limit else line[: limit - 1] + "…"


class DialoogkitError(click.ClickException):
    """Any problem a user can fix; exit status 1. The message is made printable: whatever a deck,
    a path or a key holds, no control or escape character reaches the terminal."""

    exit_code = 1

    def __init__(self, message: str):
        from dialoogkit.i18n import current_language

        super().__init__(printable(message))
        self.language = current_language()  # the language the message was made in

    def show(self, file=None) -> None:
        """Print ``Error: message`` on stderr, in the language the message was made in."""
        from dialoogkit.i18n import say_in

        click.echo(say_in(self.language, "problem.error", message=self.format_message()), file=file, err=True)


class UsageProblem(DialoogkitError):
    """The command was called wrongly (unknown deck name, bad option value); exit status 2."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One located problem: where it is, what is wrong and what to do about it."""

    file: str
    line: int | None
    message: str
    hint: str = ""
    lesson: str | None = None
    field: str | None = None
    # the language the message was made in, so that its words around it match wherever it is shown
    language: str = dataclass_field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.language:
            from dialoogkit.i18n import current_language

            object.__setattr__(self, "language", current_language())

    def format(self) -> str:
        """Render as ``file:line: lesson 'x', field 'y': what is wrong — what to do``, in the
        language the problem was found in."""
        from dialoogkit.i18n import say_in

        where = f"{self.file}:{self.line}" if self.line else self.file
        subject = []
        if self.lesson:
            subject.append(say_in(self.language, "problem.lesson", lesson=self.lesson))
        if self.field:
            subject.append(say_in(self.language, "problem.field", field=self.field))
        text = f"{where}: "
        if subject:
            text += ", ".join(subject) + ": "
        text += self.message
        if self.hint:
            text += f" — {self.hint}"
        return text


class ContentError(DialoogkitError):
    """One or more problems in a deck's content; all are reported at once."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        lines = [p.format() for p in self.problems]
        if len(lines) == 1:
            message = lines[0]
        else:
            from dialoogkit.i18n import say_in

            header = say_in(self.problems[0].language, "problem.many", count=len(lines))
            message = header + "\n" + "\n".join("  " + line for line in lines)
        super().__init__(message)
        if self.problems:
            self.language = self.problems[0].language


class FitError(ContentError):
    """Text that does not fit its box even at the smallest allowed size."""


class PageLayoutError(ContentError):
    """A laid-out page that holds nothing worth a page: only its running footer, or only the last
    rows of a table that began on the page before; each problem names the page and the fix."""


class PreflightError(DialoogkitError):
    """A PDF failed its preflight (boxes, fonts, colours, safe zone or QR codes)."""


class OutputError(DialoogkitError):
    """A file could not be written (permissions, disk full, …)."""


class InputError(DialoogkitError):
    """A file could not be read (missing, not a regular file, too large, permission denied, …)."""


class BusyError(DialoogkitError):
    """Another build is writing the same kit folder."""


class InternalError(DialoogkitError):
    """Something dialoogkit did not foresee: a bug, reported in one line instead of a traceback."""

    exit_code = 3


def describe_os_error(exc: OSError, path: object, reading: bool | None = None) -> str:
    """``could not read/write/use PATH: reason — fix`` for a file-system error, in plain words."""
    from dialoogkit.i18n import load_table, say

    verb = {True: "read", False: "write", None: "use"}[reading]
    code = errno.errorcode.get(exc.errno or 0, "")
    if f"os.{code}" in load_table("en"):
        reason, fix = say(f"os.{code}"), say(f"os.{code}_fix")
    else:
        reason, fix = (exc.strerror or type(exc).__name__).lower(), say("os.other_fix")
    return say(f"os.could_not_{verb}", path=quoted(path, 120), reason=reason, fix=fix)
