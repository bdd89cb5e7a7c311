"""The one exception tree of dialoogkit, rooted in ``click.ClickException``.

In: problems found anywhere (content, geometry, drawing, files).
Out: exceptions that click shows as ``Error: …`` with the right exit status
(1 for content problems, 2 for usage problems), never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import click


class DialoogkitError(click.ClickException):
    """Any problem a user can fix; exit status 1."""

    exit_code = 1


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

    def format(self) -> str:
        """Render as ``file:line: lesson 'x', field 'y': what is wrong — what to do``."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        subject = []
        if self.lesson:
            subject.append(f"lesson {self.lesson}")
        if self.field:
            subject.append(f"field '{self.field}'")
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
            message = f"{len(lines)} problems found:\n" + "\n".join("  " + line for line in lines)
        super().__init__(message)


class FitError(ContentError):
    """Text that does not fit its box even at the smallest allowed size."""


class PreflightError(DialoogkitError):
    """A PDF failed its preflight (boxes, fonts, colours, safe zone or QR codes)."""


class OutputError(DialoogkitError):
    """A file could not be written (permissions, disk full, …)."""
