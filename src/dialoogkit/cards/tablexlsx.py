"""Read the rows of one sheet of an Excel workbook (.xlsx), without trusting the file.

In: the bytes of a zip file that holds ``xl/workbook.xml``, and a sheet name (None: the first).
Out: the sheet's name and its filled rows as (row number, cell texts) (numbers as written, dates
as ISO ``2024-03-01``, true/false as TRUE/FALSE, formulas as their last computed value; empty
rows, such as those at the end, left off). Before openpyxl opens anything the zip's parts are counted and their unpacked
size summed, so a zip bomb is refused; a damaged workbook raises ``TableRefused``; an unknown
sheet raises ``UsageProblem`` naming the sheets there are.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from pathlib import Path

from dialoogkit.cards.tablelimits import (MAX_COLUMNS, MAX_SHEET_ROWS, MAX_UNPACKED_BYTES, MAX_ZIP_ENTRIES,
                                          SAVE_AS_HINT, Deadline, TableRefused)
from dialoogkit.errors import UsageProblem, quoted

WORKBOOK_PART = "xl/workbook.xml"


def check_workbook_zip(data: bytes, path: Path | str) -> None:
    """Refuse a zip that is damaged, has too many parts or unpacks to more than the limit."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise TableRefused(path, "it looks like an Excel workbook (.xlsx) but the file is damaged",
                           "open it in Excel and save it again as \"Excel-werkmap (*.xlsx)\"") from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise TableRefused(path, f"the workbook has {len(entries)} parts, more than the {MAX_ZIP_ENTRIES} "
                           "a table of lessons needs", "save the table alone in a new workbook, or as CSV")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise TableRefused(path, f"the workbook unpacks to {unpacked // (1024 * 1024)} MB, more than the "
                           f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB a table of lessons may be",
                           "save the table alone in a new workbook, or as CSV")


def read_workbook(data: bytes, path: Path | str, sheet: str | None,
                  deadline: Deadline) -> tuple[str, list[tuple[int, list[str]]]]:
    """The chosen sheet's name and rows (see module docstring)."""
    check_workbook_zip(data, path)
    import openpyxl  # imported here, so that commands without workbooks start fast

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        raise TableRefused(path, f"the Excel workbook cannot be opened ({type(exc).__name__})",
                           "open it in Excel and save it again as \"Excel-werkmap (*.xlsx)\", or " + SAVE_AS_HINT) from None
    try:
        worksheet = _choose_sheet(book, path, sheet)
        try:
            rows = _read_rows(worksheet, deadline)
        except TableRefused:
            raise
        except Exception as exc:  # a damaged sheet part
            raise TableRefused(path, f"sheet '{quoted(worksheet.title, 40)}' cannot be read ({type(exc).__name__})",
                               "open it in Excel and save it again as \"Excel-werkmap (*.xlsx)\"") from None
        return worksheet.title, rows
    finally:
        book.close()


def _choose_sheet(book, path: Path | str, sheet: str | None):
    sheets = list(book.worksheets)
    if not sheets:
        raise TableRefused(path, "the workbook has no sheet with cells", "put the table on the first sheet")
    if sheet is None:
        return sheets[0]
    for candidates in ([s for s in sheets if s.title == sheet], [s for s in sheets if s.title.lower() == sheet.lower()]):
        if candidates:
            return candidates[0]
    names = ", ".join(f"'{quoted(s.title, 40)}'" for s in sheets[:20])
    raise UsageProblem(f"{quoted(path, 160)} has no sheet '{quoted(sheet, 40)}' — its sheets are: {names}; "
                       "give one with --sheet, or leave --sheet out for the first")


def _read_rows(worksheet, deadline: Deadline) -> list[tuple[int, list[str]]]:
    """(row number, cell texts) of every row with a filled cell; empty cells at a row's end dropped."""
    if hasattr(worksheet, "reset_dimensions"):
        worksheet.reset_dimensions()  # the size a file claims is not trusted: rows are read as they come
    rows: list[tuple[int, list[str]]] = []
    for number, values in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True), start=1):
        if number % 1000 == 0:
            deadline.check()
        if number > MAX_SHEET_ROWS:
            break
        cells = [cell_text(value) for value in values]
        while cells and not cells[-1].strip():
            cells.pop()
        if cells:
            rows.append((number, cells))
    return rows


def cell_text(value: object) -> str:
    """The text of a cell value as Excel shows it without formatting."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.microsecond == 0 else "auto")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)
