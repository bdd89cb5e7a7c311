"""Read the rows of one sheet of an Excel workbook (.xlsx), without trusting the file.

In: the bytes of a zip file that holds ``xl/workbook.xml``, and a sheet name (None: the first).
Out: the sheet's name and its filled rows as (row number, cell texts) (numbers as written, dates
as ISO ``2024-03-01``, true/false as TRUE/FALSE, formulas as their last computed value; empty
rows, such as those at the end, left off). Before openpyxl opens anything, the zip's parts are
counted, their unpacked size summed and the rows, cells and texts in them counted, so a zip bomb
or a sheet of a million empty rows is refused; a damaged workbook raises ``TableRefused``; an
unknown sheet raises ``UsageProblem`` naming the sheets there are.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

from dialoogkit.cards.tablelimits import (MAX_COLUMNS, MAX_SHEET_ROWS, MAX_UNPACKED_BYTES, MAX_WORKBOOK_ELEMENTS,
                                          MAX_ZIP_ENTRIES, Deadline, TableRefused)
from dialoogkit.errors import UsageProblem, quoted
from dialoogkit.i18n import say

WORKBOOK_PART = "xl/workbook.xml"
_CELL_PARTS = re.compile(r"xl/(?:worksheets/[^/]+\.xml|sharedStrings\.xml)", re.IGNORECASE)
_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?(?:row|c|si)[\s/>]")
_OVERLAP = 40  # longer than any element start the pattern matches


def check_workbook_zip(data: bytes, path: Path | str) -> None:
    """Refuse a zip that is damaged, has too many parts or unpacks to more than the limit."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise TableRefused(path, say("tables.xlsx.damaged"), say("tables.save.again_xlsx")) from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise TableRefused(path, say("tables.xlsx.parts", count=len(entries), limit=MAX_ZIP_ENTRIES),
                           say("tables.save.alone"))
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise TableRefused(path, say("tables.xlsx.unpacked", size=unpacked // (1024 * 1024),
                                     limit=MAX_UNPACKED_BYTES // (1024 * 1024)), say("tables.save.alone"))
    parts = [entry for entry in entries if _CELL_PARTS.fullmatch(entry.filename)]
    elements = _count_elements(data, parts, path)
    if elements > MAX_WORKBOOK_ELEMENTS:
        raise TableRefused(path, say("tables.xlsx.elements", limit=MAX_WORKBOOK_ELEMENTS), say("tables.save.alone"))


def _count_elements(data: bytes, parts: list[zipfile.ZipInfo], path: Path | str) -> int:
    """Rows, cells and shared texts in the sheet parts, counted as the parts are unpacked (openpyxl
    needs some hundreds of bytes of memory for each, so their number is bounded, not only the size)."""
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for part in parts:
                tail = b""
                with archive.open(part) as stream:
                    while chunk := stream.read(1 << 20):
                        buffer = tail + chunk
                        keep = len(buffer) - _OVERLAP
                        total += sum(1 for m in _ELEMENT.finditer(buffer) if m.start() < keep)
                        tail = buffer[max(keep, 0):]
                        if total > MAX_WORKBOOK_ELEMENTS:
                            return total
                total += sum(1 for _ in _ELEMENT.finditer(tail))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise TableRefused(path, say("tables.xlsx.damaged"), say("tables.save.again_xlsx")) from None
    return total


def read_workbook(data: bytes, path: Path | str, sheet: str | None,
                  deadline: Deadline) -> tuple[str, list[tuple[int, list[str]]]]:
    """The chosen sheet's name and rows (see module docstring)."""
    check_workbook_zip(data, path)
    import openpyxl  # imported here, so that commands without workbooks start fast

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged or foreign file
        raise TableRefused(path, say("tables.xlsx.cannot_open"), say("tables.save.again_xlsx_or_csv")) from None
    try:
        worksheet = _choose_sheet(book, path, sheet)
        try:
            rows = _read_rows(worksheet, deadline)
        except TableRefused:
            raise
        except Exception:  # a damaged sheet part
            raise TableRefused(path, say("tables.xlsx.sheet_unreadable", sheet=quoted(worksheet.title, 40)),
                               say("tables.save.again_xlsx")) from None
        return worksheet.title, rows
    finally:
        book.close()


def _choose_sheet(book: Any, path: Path | str, sheet: str | None) -> Any:
    sheets = list(book.worksheets)
    if not sheets:
        raise TableRefused(path, say("tables.xlsx.no_sheet"), say("tables.xlsx.no_sheet_fix"))
    if sheet is None:
        return sheets[0]
    exact = [s for s in sheets if s.title == sheet]
    loose = [s for s in sheets if s.title.lower() == sheet.lower()]
    if exact or loose:
        return (exact or loose)[0]
    names = ", ".join(f"'{quoted(s.title, 40)}'" for s in sheets[:20])
    raise UsageProblem(say("tables.xlsx.unknown_sheet", path=quoted(path, 160), sheet=quoted(sheet, 40), names=names))


def _read_rows(worksheet: Any, deadline: Deadline) -> list[tuple[int, list[str]]]:
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
