"""The action list of a session: ``acties.xlsx`` (a working file) and ``acties.csv``, one row per
agreement.

In: loaded results and the report words of the deck's language.
Out: ``action_rows``, the header and rows of the CSV (lesson, action, owner, when, status: the
lesson as "number. statement", "when" as written, the status in the deck's language; the
agreements the previous session left first, as their status was updated, then this session's), and
``sheet_rows``, those of the workbook (the same, with capitalised headers, a reason column for a
stopped agreement, and "when" as a real date where it is one); the bytes of both files, identical
for identical input:
- xlsx (openpyxl): a sheet people work from: a date written YYYY-MM-DD is a date cell (shown
  as 14-3-2025 in Dutch), other text stays text (never a formula, even when it starts with
  ``=``); bold headers, the header row frozen and repeated on every printed page, a filter on
  every column, wrapped text aligned at the top, widths that fit the longest words (within
  limits) and row heights for the lines a row wraps to, a status column whose cells offer a
  choice list (open, bezig, klaar, gestopt) and warn about anything else; printed in landscape,
  A4, scaled to one page wide. Fixed
  created/modified dates in the workbook properties, and the zip rewritten with every entry dated
  2000-01-01 in a fixed order;
- csv: as before: UTF-8 with a byte-order mark (so Excel reads é and ë right), CRLF line ends,
  and the separator Excel expects for the deck's language: ``;`` for Dutch (Excel-NL uses the
  comma for decimals), ``,`` for English. A cell that starts with ``=``, ``+``, ``-`` or ``@``
  gets a leading apostrophe, so a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile

from dialoogkit.cards.results.load import LoadedResults
from dialoogkit.cards.results.model import STATUSES, Agreement
from dialoogkit.generator.report.words import lesson_numbers, lesson_statement, status_word

FIXED_DATE = datetime.datetime(2000, 1, 1, 0, 0, 0)
ZIP_DATE = (2000, 1, 1, 0, 0, 0)
SEPARATORS = {"nl": ";", "en": ","}
WIDTH_LIMITS = ((20, 36), (28, 48), (14, 24), (11, 16), (9, 10), (14, 32))  # per column: least, most (characters)
STATUS_COLUMN = 5
LINE_HEIGHT = 15.0  # points per line of 11 pt text


def action_rows(loaded: LoadedResults, words: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    """The CSV's header and one row per agreement, in the order of the results file."""
    deck = loaded.deck.deck
    numbers = lesson_numbers(deck)
    header = [words[f"csv_{key}"] for key in ("lesson", "action", "owner", "when", "status")]
    rows = [[f"{numbers[lesson_id]}. {lesson_statement(deck, lesson_id)}", item.what, item.who or "",
             item.when or "", status_word(item.status, words)] for lesson_id, item in tracked(loaded)]
    return header, rows


def tracked(loaded: LoadedResults) -> list[tuple[str, Agreement]]:
    """The agreements the list follows: the previous session's first (as updated), then this one's."""
    results = loaded.results
    carried = [(item.lesson, item) for item in results.previous.agreements] if results.previous else []
    return carried + results.agreements()


def sheet_rows(loaded: LoadedResults, words: dict[str, str]) -> tuple[list[str], list[list[object]]]:
    """The workbook's header and rows: as the CSV's, "when" a date where it is one, and the reason."""
    header, rows = action_rows(loaded, words)
    header = [words[key] for key in ("col_lesson", "col_what", "col_who", "col_when", "col_status", "col_reason")]
    reasons = [item.reason or "" for _, item in tracked(loaded)]
    return header, [[*row[:3], _date_or_text(row[3]), row[4], reason] for row, reason in zip(rows, reasons)]


def _date_or_text(text: str) -> object:
    if len(text) == 10:
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
    return text


def actions_xlsx(header: list[str], rows: list[list[object]], sheet_title: str, title: str,
                 words: dict[str, str] | None = None) -> bytes:
    """The workbook's bytes (see module docstring)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    words = words or {}
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]
    for row in [header, *rows]:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, datetime.date):
                cell.number_format = words.get("sheet_date_format", "yyyy-mm-dd")
            elif cell.value is not None:
                cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = Font(name="Calibri", size=11, bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
    widths = column_widths([header, *rows])
    for index, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    for number, row in enumerate([header, *rows], 1):  # not every program measures wrapped rows itself
        lines = max(wrapped_lines(_shown(value), width) for value, width in zip(row, widths))
        sheet.row_dimensions[number].height = LINE_HEIGHT * lines
    last = get_column_letter(len(header))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{max(1, len(rows) + 1)}"
    _status_choice(sheet, len(rows), words)
    _page_setup(sheet, title)
    props = book.properties
    props.creator, props.title, props.lastModifiedBy = "dialoogkit", title, "dialoogkit"
    props.created = props.modified = FIXED_DATE
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return normalise_zip(buffer.getvalue())


def column_widths(rows: list[list[object]]) -> list[float]:
    """Per column: wide enough for its longest word and most of its longest text, within limits."""
    widths = []
    for index, (least, most) in enumerate(WIDTH_LIMITS[:len(rows[0])]):
        texts = [_shown(row[index]) for row in rows if index < len(row)]
        longest_word = max((len(word) for text in texts for word in text.split()), default=0)
        longest = max((len(text) for text in texts), default=0)
        widths.append(float(min(most, max(least, longest_word + 2, min(longest, most) + 1))))
    return widths


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a column ``width`` characters wide (words kept whole)."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > width - 1:
            lines, used = lines + 1, len(word)
        else:
            used += (1 if used else 0) + len(word)
    return lines


def _shown(value: object) -> str:
    return "00-00-0000" if isinstance(value, datetime.date) else str(value or "")


def _status_choice(sheet, count: int, words: dict[str, str]) -> None:
    """A choice list on the status column, for the rows there are and a hundred more to add."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    choices = words.get("sheet_statuses") or ", ".join(STATUSES)
    column = get_column_letter(STATUS_COLUMN)
    check = DataValidation(type="list", formula1='"' + ",".join(c.strip() for c in choices.split(",")) + '"',
                           allow_blank=True, showErrorMessage=True, errorStyle="warning", showInputMessage=True)
    check.promptTitle = words.get("sheet_status_title", "Status")[:32]
    check.prompt = words.get("sheet_status_prompt", "")[:255]
    check.add(f"{column}2:{column}{count + 101}")
    sheet.add_data_validation(check)


def _page_setup(sheet, title: str) -> None:
    """Landscape A4, one page wide (as many pages tall as needed), the header on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.oddHeader.center.text = title.replace("&", "&&")[:200]
    sheet.oddFooter.right.text = "&P / &N"


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
