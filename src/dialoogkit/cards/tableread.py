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
from typing import Callable

from dialoogkit.cards.tablelimits import MAX_TABLE_BYTES, Deadline, TableRefused, save_as_hint, save_from_original
from dialoogkit.cards.tabletext import decode_table, find_separator, looks_binary, separator_name, split_table
from dialoogkit.cards.tablexlsx import WORKBOOK_PART, read_workbook
from dialoogkit.errors import UsageProblem, quoted
from dialoogkit.i18n import say
from dialoogkit.safe_read import Unreadable, read_regular

Rows = list[tuple[int, list[str]]]


def _save_xlsx() -> str:
    return say("tables.save.as_xlsx")


def _image_fix() -> str:
    return say("tables.read.image_fix", original=save_from_original())


def _unpack_fix() -> str:
    return say("tables.read.unpack_fix", original=save_from_original())


# The first bytes of a file that is not a table, what the file is and what to do (both in words).
_MAGIC: tuple[tuple[bytes, Callable[[], str], Callable[[], str]], ...] = (
    (b"%PDF", lambda: say("tables.read.kind_pdf"), lambda: say("tables.read.pdf_fix", original=save_from_original())),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", lambda: say("tables.read.kind_old_office"),
     lambda: say("tables.read.old_office_fix", xlsx=_save_xlsx())),
    (b"\x89PNG", lambda: say("tables.read.kind_image", format="PNG"), _image_fix),
    (b"\xff\xd8\xff", lambda: say("tables.read.kind_image", format="JPEG"), _image_fix),
    (b"GIF8", lambda: say("tables.read.kind_image", format="GIF"), _image_fix),
    (b"II*\x00", lambda: say("tables.read.kind_image", format="TIFF"), _image_fix),
    (b"MM\x00*", lambda: say("tables.read.kind_image", format="TIFF"), _image_fix),
    (b"\x1f\x8b", lambda: say("tables.read.kind_compressed", format="gzip"), _unpack_fix),
    (b"7z\xbc\xaf\x27\x1c", lambda: say("tables.read.kind_compressed", format="7-Zip"), _unpack_fix),
    (b"Rar!", lambda: say("tables.read.kind_compressed", format="RAR"), _unpack_fix),
    (b"\x7fELF", lambda: say("tables.read.kind_program"), save_from_original),
)
_ZIP_PARTS: tuple[tuple[str, Callable[[], str], Callable[[], str]], ...] = (  # a part that tells what a zip is
    ("word/document.xml", lambda: say("tables.read.kind_docx"), save_from_original),
    ("ppt/presentation.xml", lambda: say("tables.read.kind_pptx"), save_from_original),
    ("xl/workbook.bin", lambda: say("tables.read.kind_xlsb"), _save_xlsx),
    ("content.xml", lambda: say("tables.read.kind_ods"), lambda: say("tables.read.ods_fix")),
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
        return RawTable(path, rows, say("tables.read.workbook", name=shown, sheet=quoted(name, 40)), deadline)
    _refuse_other_kinds(data, path)
    if sheet is not None:
        raise UsageProblem(say("tables.read.sheet_for_text", name=shown))
    text, encoding = decode_table(data, path)
    if not text.strip():
        raise TableRefused(path, say("tables.read.empty"), say("tables.read.empty_fix", hint=save_as_hint()))
    if looks_binary(text):
        raise TableRefused(path, say("tables.read.binary"), save_as_hint())
    _refuse_other_texts(text, path)
    separator = find_separator(text)
    rows = split_table(text, separator, path, deadline)
    description = say("tables.read.text", name=shown, encoding=encoding, separator=separator_name(separator))
    return RawTable(path, rows, description, deadline)


def _is_workbook(data: bytes, path: Path) -> bool:
    """True for an .xlsx workbook; a zip that is another kind of file is refused by name."""
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise TableRefused(path, say("tables.read.damaged_zip"), save_from_original()) from None
    if WORKBOOK_PART in names:
        return True
    for part, kind, fix in _ZIP_PARTS:
        if part in names:
            raise TableRefused(path, say("tables.read.not_table", kind=kind()), fix())
    raise TableRefused(path, say("tables.read.zip"), say("tables.read.zip_fix", original=save_from_original()))


def _refuse_other_kinds(data: bytes, path: Path) -> None:
    """Refuse a file whose first bytes say it is a document, image, archive or program."""
    for magic, kind, fix in _MAGIC:
        if data.startswith(magic):
            raise TableRefused(path, say("tables.read.not_table", kind=kind()), fix())
    if data[8:12] == b"WEBP" and data.startswith(b"RIFF"):
        raise TableRefused(path, say("tables.read.not_table", kind=say("tables.read.kind_image", format="WebP")),
                           save_from_original())


def _refuse_other_texts(text: str, path: Path) -> None:
    """Refuse text that is a deck file, a web page or another document rather than a table."""
    start = text.lstrip("\ufeff \t\r\n")[:2000]
    lowered = start.lower()
    if lowered.startswith(("<!doctype html", "<html")):
        raise TableRefused(path, say("tables.read.not_table", kind=say("tables.read.kind_html")), save_from_original())
    if lowered.startswith("{\\rtf"):
        raise TableRefused(path, say("tables.read.not_table", kind=say("tables.read.kind_rtf")), save_from_original())
    if lowered.startswith("<?xml"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in lowered:
            raise TableRefused(path, say("tables.read.not_table", kind=say("tables.read.kind_xml_sheet")), _save_xlsx())
        raise TableRefused(path, say("tables.read.not_table", kind=say("tables.read.kind_xml")), save_from_original())
    lines = text[:100_000].splitlines()[:200]
    first = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
    if (_YAML_KEY.match(first) and "\t" not in first and ";" not in first
            and _DECK_KEY.search(text[:200_000])):
        raise TableRefused(path, say("tables.read.not_table", kind=say("tables.read.kind_deck")),
                           say("tables.read.deck_fix", path=quoted(path, 120)))
