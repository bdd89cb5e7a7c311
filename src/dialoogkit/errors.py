"""The one exception tree of dialoogkit, rooted in ``click.ClickException``.

In: problems found anywhere (content, geometry, drawing, files).
Out: exceptions that click shows as ``Error: …`` with the right exit status
(1 for content problems, 2 for usage problems), never a traceback.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass
from typing import Sequence

import click

# C0 controls except newline, DEL, C1 controls, bidi marks, embeddings, overrides and isolates, and
# lone surrogates (undecodable bytes of a file name), which a terminal cannot print.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


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
        super().__init__(printable(message))


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


class InputError(DialoogkitError):
    """A file could not be read (missing, not a regular file, too large, permission denied, …)."""


class BusyError(DialoogkitError):
    """Another build is writing the same kit folder."""


class InternalError(DialoogkitError):
    """Something dialoogkit did not foresee: a bug, reported in one line instead of a traceback."""

    exit_code = 3


def describe_os_error(exc: OSError, path: object, reading: bool | None = None) -> str:
    """``could not read/write/use PATH: reason — fix`` for a file-system error, in plain words."""
    verb = {True: "read", False: "write", None: "use"}[reading]
    reason = (exc.strerror or type(exc).__name__).lower()
    fixes = {
        "EACCES": "check the permissions of the file and its folder",
        "EPERM": "check the permissions of the file and its folder",
        "EROFS": "the disk is read-only: choose a folder you can write to (-o)",
        "ENOSPC": "the disk is full: free some space or choose another folder (-o)",
        "EDQUOT": "your disk quota is used up: free some space or choose another folder (-o)",
        "ENOENT": "check the path and the spelling; the folder must exist",
        "ENOTDIR": "a part of the path is a file, not a folder: check the path",
        "EISDIR": "this is a folder: give a file name",
        "ENAMETOOLONG": "the name is too long: use a shorter file or folder name",
        "ELOOP": "the path has a loop of symbolic links: give the real path",
        "EMFILE": "too many files are open: close other programs and try again",
    }
    code = errno.errorcode.get(exc.errno or 0, "")
    fix = fixes.get(code, "check the path, the disk and the permissions")
    return f"could not {verb} {quoted(path, 120)}: {reason} — {fix}"
