"""The action list of a session: ``acties.xlsx`` and ``acties.csv``, one row per agreement.

In: loaded results and the report words of the deck's language.
Out: the header and rows (lesson, action, owner, when, status: the lesson as "number. statement",
"when" as written, the status in the deck's language), and the bytes of both files, identical for
identical input:
- xlsx (openpyxl): fixed created/modified dates in the workbook properties, and the zip rewritten
  with every entry dated 2000-01-01 in a fixed order; every cell is text (a value starting with
  ``=`` is never a formula);
- csv: UTF-8 with a byte-order mark (so Excel reads é and ë right), CRLF line ends, and the
  separator Excel expects for the deck's language: ``;`` for Dutch (Excel-NL uses the comma for
  decimals), ``,`` for English. A cell that starts with ``=``, ``+``, ``-`` or ``@`` gets a
  leading apostrophe, so a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile

from dialoogkit.cards.results.load import LoadedResults
from dialoogkit.generator.report.words import lesson_numbers, lesson_statement, status_word

FIXED_DATE = datetime.datetime(2000, 1, 1, 0, 0, 0)
ZIP_DATE = (2000, 1, 1, 0, 0, 0)
SEPARATORS = {"nl": ";", "en": ","}
WIDTHS = (42, 60, 28, 20, 12)


def action_rows(loaded: LoadedResults, words: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    """The header and one row per agreement, in the order of the results file."""
    deck = loaded.deck.deck
    numbers = lesson_numbers(deck)
    header = [words[f"csv_{key}"] for key in ("lesson", "action", "owner", "when", "status")]
    rows = [[f"{numbers[lesson_id]}. {lesson_statement(deck, lesson_id)}", item.what, item.who or "",
             item.when or "", status_word(item.status, words)] for lesson_id, item in loaded.results.agreements()]
    return header, rows


def actions_xlsx(header: list[str], rows: list[list[str]], sheet_title: str, title: str) -> bytes:
    """The workbook's bytes (see module docstring)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]
    for row in [header, *rows]:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:E{max(1, len(rows) + 1)}"
    props = book.properties
    props.creator, props.title, props.lastModifiedBy = "dialoogkit", title, "dialoogkit"
    props.created = props.modified = FIXED_DATE
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return normalise_zip(buffer.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """The same zip with every entry dated ``ZIP_DATE``, sorted attributes, deflated, in its order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return buffer.getvalue()


def actions_csv(header: list[str], rows: list[list[str]], language: str) -> bytes:
    """The CSV's bytes (see module docstring)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=SEPARATORS.get(language, ","), lineterminator="\r\n")
    for row in [header, *rows]:
        writer.writerow([_inert(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _inert(cell: str) -> str:
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell
