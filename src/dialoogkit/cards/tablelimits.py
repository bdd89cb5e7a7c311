"""The bounds of ``dialoogkit import`` and the refusals that enforce them.

In: a table's path and what went wrong while reading it; the clock.
Out: the limits (file size, unpacked workbook size, lessons, columns, cell length, time), the
path as it may be shown (printable, short), ``TableRefused`` (``could not read PATH: reason —
fix``, exit 1) and ``Deadline``, which turns a read that takes too long into a clean refusal; the
advice how to save a table from Excel (``save_as_hint``, ``save_from_original``), in the user's language.
"""

from __future__ import annotations

import time
from pathlib import Path

from dialoogkit.errors import InputError, quoted
from dialoogkit.i18n import say

MAX_TABLE_BYTES = 5 * 1024 * 1024        # a CSV or .xlsx file as it lies on disk
MAX_UNPACKED_BYTES = 50 * 1024 * 1024    # all parts of an .xlsx workbook together, unpacked
MAX_ZIP_ENTRIES = 1000                   # parts of an .xlsx workbook (a real one has a few dozen)
MAX_WORKBOOK_ELEMENTS = 100_000          # rows, cells and shared texts in all sheets (500 lessons: ~5000)
MAX_LESSONS = 500                        # rows with a lesson
MAX_COLUMNS = 50                         # filled columns in a row
MAX_CELL_CHARS = 5000                    # characters in any one cell
CSV_FIELD_LIMIT = 10 * MAX_CELL_CHARS    # beyond this the CSV reader stops: an unclosed quote, or junk
MAX_SHEET_ROWS = 1_048_576               # Excel's own limit; a workbook claiming more is not real
TIME_LIMIT_SECONDS = 30.0                # reading and converting one table
MAX_PROBLEMS_SHOWN = 20                  # row problems listed; the rest are counted



def save_as_hint() -> str:
    """How to save a table from Excel in a form import reads (Excel's own Dutch menu names)."""
    return say("tables.save.in_excel", choices=say("tables.save.choices"))


def save_from_original() -> str:
    """For a file that is not a table: save the original table again from Excel."""
    return say("tables.save.from_original", choices=say("tables.save.choices"))


def show_path(path: Path | str) -> str:
    """``path`` as it may appear in a message: printable, on one line, at most 160 characters."""
    return quoted(path, 160)


class TableRefused(InputError):
    """A table that cannot be read at all: ``could not read PATH: reason — fix`` (exit status 1)."""

    def __init__(self, path: Path | str, reason: str, fix: str):
        self.reason = reason
        self.fix = fix
        super().__init__(say("os.could_not_read", path=show_path(path), reason=reason, fix=fix))


class Deadline:
    """A time budget for one import; ``check()`` refuses the table once it is spent."""

    def __init__(self, path: Path | str, seconds: float | None = None):
        self.path = path
        self.seconds = TIME_LIMIT_SECONDS if seconds is None else seconds
        self.ends = time.monotonic() + self.seconds

    def check(self) -> None:
        """Raise ``TableRefused`` when the time budget is spent."""
        if time.monotonic() > self.ends:
            raise TableRefused(self.path, say("tables.limits.slow", seconds=f"{self.seconds:g}"),
                               say("tables.limits.slow_fix", hint=save_as_hint()))
