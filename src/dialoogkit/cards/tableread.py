"""Read a table file as Dutch offices save it, and refuse what is not a table.

In: the path of a table (untrusted: any file, a named pipe, a device, a renamed PDF, a zip bomb)
and, for a workbook, the name of a sheet. Accepted: CSV or text from Excel in UTF-8 (with or
without BOM), Windows-1252 or UTF-16 ("Unicode-tekst"), separated by semicolons, commas or tabs,
and Excel workbooks (.xlsx, recognised by their content, not their name).
Out: ``RawTable``: the filled rows as (row number, cell texts) and a sentence saying how the file
was read (``Read tabel.csv as Windows-1252, separated by semicolons (;).``); or ``TableRefused``
(``could not read PATH: reason — fix``) that names what the file is when it is not a table.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from dialoogkit.cards.tablelimits import MAX_TABLE_BYTES, SAVE_AS_HINT, Deadline, TableRefused
from dialoogkit.cards.tabletext import SEPARATORS, decode_table, find_separator, looks_binary, split_table
from dialoogkit.cards.tablexlsx import WORKBOOK_PART, read_workbook
from dialoogkit.errors import UsageProblem, quoted
from dialoogkit.safe_read import Unreadable, read_regular

Rows = list[tuple[int, list[str]]]

_SAVE_XLSX = "open it in Excel and save it with Bestand > Opslaan als > \"Excel-werkmap (*.xlsx)\""
_FROM_ORIGINAL = "open the original table in Excel and save it with " + SAVE_AS_HINT.removeprefix("in Excel: ")
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF", "a PDF document", "a PDF cannot be read as a table: " + _FROM_ORIGINAL),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel workbook (.xls), a password-protected workbook or "
     "another old Office file", "remove a password if there is one, then " + _SAVE_XLSX),
    (b"\x89PNG", "an image (PNG)", "import reads the text of a table, not a picture of it: " + _FROM_ORIGINAL),
    (b"\xff\xd8\xff", "an image (JPEG)", "import reads the text of a table, not a picture of it: " + _FROM_ORIGINAL),
    (b"GIF8", "an image (GIF)", "import reads the text of a table, not a picture of it: " + _FROM_ORIGINAL),
    (b"II*\x00", "an image (TIFF)", "import reads the text of a table, not a picture of it: " + _FROM_ORIGINAL),
    (b"MM\x00*", "an image (TIFF)", "import reads the text of a table, not a picture of it: " + _FROM_ORIGINAL),
    (b"\x1f\x8b", "a compressed file (gzip)", "unpack it first, or " + _FROM_ORIGINAL),
    (b"7z\xbc\xaf\x27\x1c", "a compressed file (7-Zip)", "unpack it first, or " + _FROM_ORIGINAL),
    (b"Rar!", "a compressed file (RAR)", "unpack it first, or " + _FROM_ORIGINAL),
    (b"\x7fELF", "a program", _FROM_ORIGINAL),
)
_ZIP_PARTS = (  # a part that tells what kind of Office file a zip is
    ("word/document.xml", "a Word document (.docx)", _FROM_ORIGINAL),
    ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)", _FROM_ORIGINAL),
    ("xl/workbook.bin", "an Excel binary workbook (.xlsb)", _SAVE_XLSX),
    ("content.xml", "an OpenDocument file (LibreOffice, .ods)",
     "in LibreOffice: Bestand > Opslaan als > \"Excel 2007-365 (.xlsx)\" or \"Tekst CSV (.csv)\""),
)
_YAML_KEY = re.compile(r"^[A-Za-z_][\w-]*[ \t]*:(?:[ \t]|$)")
_DECK_KEY = re.compile(r"^(?:id|extends|lessons|themes|title|language)[ \t]*:", re.MULTILINE)


@dataclass(frozen=True)
class RawTable:
    """A table as read: its filled rows, how it was read and the time left to convert it."""

    path: Path
    rows: Rows
    description: str
    deadline: Deadline


def read_table(path: Path, sheet: str | None = None) -> RawTable:
    """Read the table at ``path`` (see module docstring)."""
    deadline = Deadline(path)
    try:
        data = read_regular(path, MAX_TABLE_BYTES, "table")
    except Unreadable as exc:
        raise TableRefused(path, exc.reason, exc.fix) from None
    shown = quoted(path.name or str(path), 80)
    if _is_workbook(data, path):
        name, rows = read_workbook(data, path, sheet, deadline)
        return RawTable(path, rows, f"Read {shown} as an Excel workbook, sheet '{quoted(name, 40)}'.", deadline)
    _refuse_other_kinds(data, path)
    if sheet is not None:
        raise UsageProblem(f"--sheet is for Excel workbooks (.xlsx), and {shown} is a text table — leave --sheet out")
    text, encoding = decode_table(data, path)
    if not text.strip():
        raise TableRefused(path, "it is empty", "export the table with its header row: " + SAVE_AS_HINT)
    if looks_binary(text):
        raise TableRefused(path, "it holds binary data, so it is not a table saved as text", SAVE_AS_HINT)
    _refuse_other_texts(text, path)
    separator = find_separator(text)
    rows = split_table(text, separator, path, deadline)
    return RawTable(path, rows, f"Read {shown} as {encoding}, separated by {SEPARATORS[separator]}.", deadline)


def _is_workbook(data: bytes, path: Path) -> bool:
    """True for an .xlsx workbook; a zip that is another kind of file is refused by name."""
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise TableRefused(path, "it is a damaged zip file, not a table", _FROM_ORIGINAL) from None
    if WORKBOOK_PART in names:
        return True
    for part, kind, fix in _ZIP_PARTS:
        if part in names:
            raise TableRefused(path, f"it is {kind}, not a table", fix)
    raise TableRefused(path, "it is a zip archive, not an Excel workbook or a table",
                       "unpack it and give the table inside, or " + _FROM_ORIGINAL)


def _refuse_other_kinds(data: bytes, path: Path) -> None:
    """Refuse a file whose first bytes say it is a document, image, archive or program."""
    for magic, kind, fix in _MAGIC:
        if data.startswith(magic):
            raise TableRefused(path, f"it is {kind}, not a table", fix)
    if data[8:12] == b"WEBP" and data.startswith(b"RIFF"):
        raise TableRefused(path, "it is an image (WebP), not a table", _FROM_ORIGINAL)


def _refuse_other_texts(text: str, path: Path) -> None:
    """Refuse text that is a deck file, a web page or another document rather than a table."""
    start = text.lstrip("\ufeff \t\r\n")[:2000]
    lowered = start.lower()
    if lowered.startswith(("<!doctype html", "<html")):
        raise TableRefused(path, "it is a web page (HTML), not a table", _FROM_ORIGINAL)
    if lowered.startswith("{\\rtf"):
        raise TableRefused(path, "it is a Word or WordPad document (RTF), not a table", _FROM_ORIGINAL)
    if lowered.startswith("<?xml"):
        kind = ("an Excel 2003 XML spreadsheet" if "urn:schemas-microsoft-com:office:spreadsheet" in lowered
                else "an XML file")
        raise TableRefused(path, f"it is {kind}, not a table", _SAVE_XLSX if "spreadsheet" in kind else _FROM_ORIGINAL)
    lines = text[:100_000].splitlines()[:200]
    first = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
    if (_YAML_KEY.match(first) and "\t" not in first and ";" not in first
            and _DECK_KEY.search(text[:200_000])):
        raise TableRefused(path, "it is a deck file (YAML), not a table",
                           "import turns a table into a deck; to check this deck, run: dialoogkit check "
                           + quoted(path, 120))
