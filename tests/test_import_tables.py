"""`dialoogkit import` with tables as Dutch offices have them, and with files that are not tables.

Tables are made here the way Excel makes them: "CSV (gescheiden door lijstscheidingsteken)"
(Windows-1252, semicolons, CRLF), "CSV UTF-8" (with BOM), "Unicode-tekst" (UTF-16 LE with BOM,
tabs) and "Excel-werkmap (*.xlsx)" (written with openpyxl). Each must give the same deck as its
plain UTF-8 twin. Hostile files (a named pipe, a device, a zip bomb, a renamed PDF, escape
sequences, huge cells, too many rows) must give one clear message, exit status 1, no traceback,
no control characters on the terminal, and no file written.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from dialoogkit.cards.loader import load_deck
from dialoogkit.cards.tablerows import clean_cell
from dialoogkit.cards.tablexlsx import cell_text
from dialoogkit.cli import main

HEADER = ["", "Lessen uit de praktijk", "Gaat over", "Toelichting", "Zelf oppakken", "Hoger niveau"]
ROWS = [
    ["1", "Huur < 800 euro en inkomen > 3000 euro", "Gemengd wonen",
     "Een \u201cgemengd\u201d complex vraagt afspraken; ook over \u20ac 25 servicekosten.",
     "Maak afspraken met zorg & welzijn.", "-"],
    ["2", "Idee\u00ebn van bewoners tellen", "Community building",
     "Bewoners weten vaak \u2018hoe het zit\u2019 in de buurt; vraag het hen, ook bij R&D-projecten.", "",
     "Regel financiering voor de co\u00f6peratie; samen met de gemeente."],
    ["3", "Een ontmoetingsplek helpt", "Beide",
     "Een ruimte bij de start, open voor iedereen \u2014 ook \u2019s avonds.", "Reserveer een ruimte.", "-"],
]
STATEMENTS = [row[1] for row in ROWS]
OPTIONS = ["--id", "tabel", "--title", "Tabel"]
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


# ---------------------------------------------------------------- helpers

def run_import(*args, input=None):
    """Run `dialoogkit import ARGS` in-process, as click runs it for a user."""
    return CliRunner().invoke(main, ["import", *[str(a) for a in args]], input=input)


def run_subprocess(*args, timeout=60):
    """Run `python -m dialoogkit import ARGS` in a subprocess (for files that could hang a reader)."""
    return subprocess.run([sys.executable, "-m", "dialoogkit", "import", *[str(a) for a in args]],
                          capture_output=True, text=True, timeout=timeout, errors="replace")


def assert_clean_failure(output: str) -> None:
    assert "Traceback" not in output, output
    assert "Error:" in output, output
    assert not CONTROL.search(output), repr(output)


def assert_refused(result, folder: Path, *expected: str, before: set[str] | None = None) -> str:
    """Exit status 1, a one-line reason that holds ``expected``, nothing written in ``folder``."""
    assert result.exit_code == 1, result.output
    assert_clean_failure(result.output)
    for text in expected:
        assert text in result.output, result.output
    if before is not None:
        assert {p.name for p in folder.iterdir()} == before, "nothing may be written"
    return result.output


def rows_as_text(rows, separator: str, newline: str = "\n") -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=separator, lineterminator=newline).writerows(rows)
    return buffer.getvalue()


def write_utf8(path: Path, rows=None, separator=",") -> Path:
    path.write_bytes(rows_as_text([HEADER, *(rows or ROWS)], separator).encode("utf-8"))
    return path


def write_excel_csv(path: Path, rows=None) -> Path:
    """Excel's "CSV (gescheiden door lijstscheidingsteken)" on a Dutch Windows: cp1252, ;, CRLF."""
    path.write_bytes(rows_as_text([HEADER, *(rows or ROWS)], ";", "\r\n").encode("cp1252"))
    return path


def write_excel_csv_utf8(path: Path) -> Path:
    """Excel's "CSV UTF-8 (door komma's gescheiden)": UTF-8 with BOM; on Dutch Windows, semicolons."""
    path.write_bytes(b"\xef\xbb\xbf" + rows_as_text([HEADER, *ROWS], ";", "\r\n").encode("utf-8"))
    return path


def write_unicode_text(path: Path, rows=None) -> Path:
    """Excel's "Unicode-tekst": UTF-16 LE with BOM, tab-separated, CRLF."""
    path.write_bytes(b"\xff\xfe" + rows_as_text([HEADER, *(rows or ROWS)], "\t", "\r\n").encode("utf-16-le"))
    return path


def write_workbook(path: Path, rows=None, sheets=None) -> Path:
    """An Excel workbook; ``sheets`` maps extra sheet names (placed first) to their rows."""
    book = openpyxl.Workbook()
    first = book.active
    for name, extra in (sheets or {}).items():
        sheet = book.create_sheet(name, 0)
        for row in extra:
            sheet.append(row)
    first.title = "Blad1"
    for row in [HEADER, *(rows or ROWS)]:
        first.append([int(c) if c.isdigit() else (c or None) for c in row])
    book.save(path)
    return path


def deck_data(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture
def twin(tmp_path):
    """The deck made from the plain UTF-8, comma-separated twin of the table."""
    table = write_utf8(tmp_path / "twin.csv")
    result = run_import(table, "-o", tmp_path / "twin.yaml", *OPTIONS)
    assert result.exit_code == 0, result.output
    return deck_data(tmp_path / "twin.yaml")


# ---------------------------------------------------------------- tables as Excel saves them

def test_utf8_table_gives_the_lessons_with_literal_characters(tmp_path):
    table = write_utf8(tmp_path / "tabel.csv")
    deck = tmp_path / "tabel.yaml"
    result = run_import(table, *OPTIONS)
    assert result.exit_code == 0, result.output
    assert "Read tabel.csv as UTF-8, separated by commas (,)." in result.output
    assert f"Wrote {deck}: 3 lessons." in result.output
    lessons = load_deck(deck).deck.lessons
    assert [lesson.statement for lesson in lessons] == STATEMENTS
    assert lessons[0].statement == "Huur < 800 euro en inkomen > 3000 euro"
    assert lessons[0].explanation == ROWS[0][3]
    assert lessons[0].actions.own == "Maak afspraken met zorg & welzijn." and lessons[0].actions.higher is None
    assert "R&D-projecten" in lessons[1].explanation and lessons[1].actions.own is None
    assert [lesson.theme for lesson in lessons] == ["gemengd-wonen", "community-building", "beide"]
    assert deck.read_text(encoding="utf-8").startswith("# Imported by dialoogkit from tabel.csv.")


@pytest.mark.parametrize("maker, name, how", [
    (write_excel_csv, "tabel.csv", "Windows-1252, separated by semicolons (;)"),
    (write_excel_csv_utf8, "tabel.csv", "UTF-8 (with BOM), separated by semicolons (;)"),
    (write_unicode_text, "tabel.txt", "UTF-16 (Unicode-tekst), separated by tabs"),
    (lambda p: write_utf8(p, separator="\t"), "tabel.tsv", "UTF-8, separated by tabs"),
    (write_workbook, "tabel.xlsx", "an Excel workbook, sheet 'Blad1'"),
], ids=["excel-csv-cp1252", "excel-csv-utf8-bom", "unicode-text-utf16", "tsv-utf8", "xlsx"])
def test_tables_as_excel_saves_them_give_the_same_deck_as_the_utf8_twin(tmp_path, twin, maker, name, how):
    table = maker(tmp_path / name)
    deck = tmp_path / "deck.yaml"
    result = run_import(table, "-o", deck, *OPTIONS)
    assert result.exit_code == 0, result.output
    assert f"Read {name} as {how}." in result.output
    assert deck_data(deck) == twin
    assert [lesson.statement for lesson in load_deck(deck).deck.lessons] == STATEMENTS


def test_the_cp1252_file_really_holds_cp1252_bytes(tmp_path):
    raw = write_excel_csv(tmp_path / "tabel.csv").read_bytes()
    assert b"\x80" in raw and b"\xeb" in raw and b"\x93" in raw and b"\x92" in raw  # € ë “ ’
    assert b"\r\n" in raw and raw.count(b";") >= 15
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_a_workbook_sheet_is_chosen_with_sheet(tmp_path, twin):
    book = write_workbook(tmp_path / "lessen.xlsx", sheets={"Notities": [["Alleen", "notities"]]})
    deck = tmp_path / "deck.yaml"
    first = run_import(book, "-o", deck, *OPTIONS)
    assert first.exit_code == 1 and "header" in first.output and not deck.exists()
    chosen = run_import(book, "-o", deck, "--sheet", "blad1", *OPTIONS)
    assert chosen.exit_code == 0, chosen.output
    assert "sheet 'Blad1'" in chosen.output
    assert deck_data(deck) == twin
    missing = run_import(book, "-o", tmp_path / "other.yaml", "--sheet", "Lessen\x1b[2J")
    assert missing.exit_code == 2, missing.output
    assert "'Notities', 'Blad1'" in missing.output and "U+001B" in missing.output
    assert not CONTROL.search(missing.output)


def test_sheet_is_refused_for_a_text_table(tmp_path):
    result = run_import(write_utf8(tmp_path / "tabel.csv"), "--sheet", "Blad1")
    assert result.exit_code == 2 and "--sheet" in result.output
    assert not (tmp_path / "tabel.yaml").exists()


def test_a_workbook_with_a_title_row_numbers_dates_and_empty_rows_at_the_end(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Tien inzichten (versie 2024)"])
    sheet.append([*HEADER, "Datum", "Score"])
    for row in ROWS:
        sheet.append([int(row[0]), *row[1:], dt.datetime(2024, 3, 1), 7.5])
    for number in range(10, 400):  # formatted but empty rows, as Excel leaves them
        sheet.cell(row=number, column=2).number_format = "0.00"
    sheet.cell(row=5000, column=3).value = None
    book.save(tmp_path / "tabel.xlsx")
    result = run_import(tmp_path / "tabel.xlsx", *OPTIONS)
    assert result.exit_code == 0, result.output
    assert [lesson.statement for lesson in load_deck(tmp_path / "tabel.yaml").deck.lessons] == STATEMENTS


def test_cell_values_become_text_as_written():
    assert cell_text(3) == "3" and cell_text(3.0) == "3" and cell_text(0.1) == "0.1"
    assert cell_text(dt.datetime(2024, 3, 1)) == "2024-03-01"
    assert cell_text(dt.datetime(2024, 3, 1, 14, 30)) == "2024-03-01 14:30:00"
    assert cell_text(dt.date(2024, 3, 1)) == "2024-03-01" and cell_text(None) == ""
    assert cell_text(True) == "TRUE"


def test_a_quoted_cell_may_hold_line_breaks_and_rows_keep_excel_numbers(tmp_path):
    rows = [list(ROWS[0]), list(ROWS[1]), list(ROWS[2])]
    rows[0][3] = "Eerste regel\r\ntweede regel"
    rows[2][3] = ""
    table = write_excel_csv(tmp_path / "tabel.csv", rows)
    result = run_import(table)
    out = assert_refused(result, tmp_path, f"{table}:4: row 4, column 'Toelichting': the cell is empty",
                         before={"tabel.csv"})
    assert "row 2" not in out and "row 3" not in out


# ---------------------------------------------------------------- markup and entities

def test_only_the_publications_tags_are_removed_and_angle_brackets_stay(tmp_path):
    rows = [["1", "Huur < 800 euro en inkomen > 3000 euro", "Beide",
             "De <b>start</b>fase telt<BR/>altijd; <I>echt</I> waar <br >en a<b => 3.",
             "Zorg &amp; welzijn &lt;b&gt;", "-"],
            ["2", "Tags als <script>x</script> blijven tekst", "Beide", "Ook R&D en &copy en AT&T.", "-", "-"]]
    result = run_import(write_utf8(tmp_path / "tabel.csv", rows), *OPTIONS)
    assert result.exit_code == 0, result.output
    lessons = load_deck(tmp_path / "tabel.yaml").deck.lessons
    assert lessons[0].statement == "Huur < 800 euro en inkomen > 3000 euro"
    assert lessons[0].explanation == "De startfase telt altijd; echt waar en a<b => 3."
    assert lessons[0].actions.own == "Zorg & welzijn <b>"
    assert lessons[1].statement == "Tags als <script>x</script> blijven tekst"
    assert lessons[1].explanation == "Ook R&D en &copy en AT&T."


def test_clean_cell():
    assert clean_cell("Huur < 800 euro en inkomen > 3000 euro") == "Huur < 800 euro en inkomen > 3000 euro"
    assert clean_cell("a<br>b<BR />c</b><i>d</I>") == "a b cd"
    assert clean_cell(" - ") is None and clean_cell("") is None and clean_cell("&nbsp;") is None
    assert clean_cell("&amp;lt;") == "&lt;"


# ---------------------------------------------------------------- files that are not tables

@pytest.mark.parametrize("name, content, kind", [
    ("tabel.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "a PDF document"),
    ("tabel.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40), "an image (PNG)"),
    ("tabel.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "an old Excel workbook (.xls)"),
    ("tabel.csv", bytes(range(256)) * 8, "binary data"),
    ("tabel.csv", b"<!DOCTYPE html><html><body><table></table></body></html>", "a web page (HTML)"),
], ids=["pdf", "png", "xls", "binary", "html"])
def test_a_file_that_is_not_a_table_gets_a_message_about_tables(tmp_path, name, content, kind):
    path = tmp_path / name
    path.write_bytes(content)
    out = assert_refused(run_import(path), tmp_path, f"could not read {path}: it", kind, "not a table",
                         "Opslaan als", before={name})
    assert "YAML" not in out and "yaml" not in out


def test_a_deck_file_gets_a_message_about_tables(tmp_path):
    path = tmp_path / "deck.csv"
    path.write_text("# mijn deck\nid: mijn-deck\ntitle: Mijn deck\nlessons:\n  - id: een\n", encoding="utf-8")
    assert_refused(run_import(path, "-o", tmp_path / "out.yaml"), tmp_path,
                   "it is a deck file (YAML), not a table", "dialoogkit check", before={"deck.csv"})


def test_zips_that_are_not_workbooks_are_named(tmp_path):
    docx = tmp_path / "verslag.xlsx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert_refused(run_import(docx), tmp_path, "it is a Word document (.docx), not a table", before={docx.name})
    plain = tmp_path / "archief.xlsx"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("lessen.csv", "Les,Toelichting\n")
    assert_refused(run_import(plain), tmp_path, "a zip archive, not an Excel workbook",
                   before={docx.name, plain.name})


def test_a_zip_bomb_renamed_xlsx_is_refused_before_unpacking(tmp_path):
    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(100 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    assert_refused(run_import(bomb), tmp_path, f"could not read {bomb}: the workbook unpacks to",
                   "more than the 50 MB", before={bomb.name})


def replace_sheet(book: Path, sheet_xml: bytes) -> Path:
    """``book`` with its first sheet's XML replaced (as a hostile file would be made)."""
    with zipfile.ZipFile(io.BytesIO(book.read_bytes())) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["xl/worksheets/sheet1.xml"] = sheet_xml
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return book


SHEET_START = (b'<?xml version="1.0"?>%s<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Les</t></is></c>'
               b'<c r="B1" t="inlineStr"><is><t>Toelichting</t></is></c></row>')


def test_a_sheet_of_a_million_empty_rows_is_refused_before_parsing(tmp_path):
    rows = b"".join(b'<row r="%d" s="1" customFormat="1"/>' % r for r in range(2, 1_048_577))
    book = replace_sheet(write_workbook(tmp_path / "leeg.xlsx"), SHEET_START % b"" + rows + b"</sheetData></worksheet>")
    assert book.stat().st_size < 5 * 1024 * 1024
    assert_refused(run_import(book), tmp_path, f"could not read {book}: the workbook holds more than 100000 rows",
                   before={book.name})


def test_an_entity_bomb_in_a_sheet_is_refused(tmp_path):
    entities = b'<!ENTITY a0 "lollollollollollollollollollol">' + b"".join(
        b'<!ENTITY a%d "%s">' % (i, b"&a%d;" % (i - 1) * 10) for i in range(1, 10))
    sheet = (SHEET_START % (b"<!DOCTYPE worksheet [" + entities + b"]>")
             + b'<row r="2"><c r="A2" t="inlineStr"><is><t>&a9;</t></is></c></row></sheetData></worksheet>')
    book = replace_sheet(write_workbook(tmp_path / "lach.xlsx"), sheet)
    assert_refused(run_import(book), tmp_path, f"could not read {book}:", "Excel-werkmap", before={book.name})


def test_a_damaged_workbook_is_refused(tmp_path):
    book = replace_sheet(write_workbook(tmp_path / "kapot.xlsx"),
                         b"<worksheet><sheetData><row r='1'><c r='A1' t='s'><v>999")
    assert_refused(run_import(book), tmp_path, f"could not read {book}:", "Excel-werkmap", before={book.name})


# ---------------------------------------------------------------- hostile paths

def test_a_named_pipe_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "tabel.csv"
    os.mkfifo(fifo)
    proc = run_subprocess(fifo, timeout=30)
    assert proc.returncode == 1, proc.stderr
    assert f"Error: could not read {fifo}: it is a named pipe (FIFO), not a table" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert {p.name for p in tmp_path.iterdir()} == {"tabel.csv"}


@pytest.mark.parametrize("target, reason", [
    ("/dev/zero", "it is a device, not a table"),
    (".", "it is a folder, not a table"),
    ("ontbreekt.csv", "it does not exist"),
    ("x" * 300 + ".csv", "the name is too long"),
])
def test_paths_that_are_not_a_readable_file_are_refused(tmp_path, monkeypatch, target, reason):
    monkeypatch.chdir(tmp_path)
    proc = run_subprocess(target, timeout=30)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("Error: could not read "), proc.stderr
    assert reason in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_file_without_read_permission_is_refused(tmp_path, monkeypatch):
    table = write_utf8(tmp_path / "tabel.csv")
    if os.geteuid() == 0:  # root reads every file: let opening this one fail as it would for a user
        real_open = os.open

        def refusing_open(path, *args, **kwargs):
            if os.fspath(path) == os.fspath(table):
                raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", refusing_open)
    table.chmod(0)
    try:
        assert_refused(run_import(table), tmp_path, f"could not read {table}: permission denied",
                       before={"tabel.csv"})
    finally:
        table.chmod(0o644)


def test_a_file_larger_than_five_mb_is_refused(tmp_path):
    table = tmp_path / "groot.csv"
    table.write_bytes(rows_as_text([HEADER], ",").encode() + b"a,b,c\n" * (1024 * 1024))
    assert_refused(run_import(table), tmp_path, f"could not read {table}: it is", "larger than",
                   before={"groot.csv"})


def test_escape_sequences_in_the_file_name_never_reach_the_terminal(tmp_path):
    name = "tabel\x1b]0;pwned\x07\x1b[31m\u202e.csv"
    table = write_utf8(tmp_path / name)
    result = run_import(table)
    assert result.exit_code == 0, result.output
    assert not CONTROL.search(result.output) and "\u202e" not in result.output, repr(result.output)
    assert "U+001B" in result.output
    written = tmp_path / (name[:-4] + ".yaml")
    data = deck_data(written)
    assert not CONTROL.search(data["title"]) and "\u202e" not in data["title"]
    assert [lesson.statement for lesson in load_deck(written).deck.lessons] == STATEMENTS
    broken = tmp_path / "tabel\x1b[2J.csv"
    broken.write_bytes(b"%PDF-1.4\n")
    refused = run_import(broken)
    assert_clean_failure(refused.output)
    assert "U+001B[2J" in refused.output


def test_a_line_break_in_the_file_name_cannot_add_keys_to_the_deck(tmp_path):
    table = write_utf8(tmp_path / "tabel\nid: evil\u2028id: evil2.csv")
    deck = tmp_path / "deck.yaml"
    result = run_import(table, "-o", deck)
    assert result.exit_code == 0, result.output
    text = deck.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("# Imported by dialoogkit from tabel id: evilU+2028id: evil2.csv")
    assert deck_data(deck)["id"] != "evil" and "\u2028" not in text


# ---------------------------------------------------------------- hostile content

def test_escape_sequences_in_a_cell_are_named_and_not_printed(tmp_path):
    rows = [list(row) for row in ROWS]
    rows[1][3] = "Gewone tekst \x1b[2J\x1b]0;titel\x07 en meer"
    table = write_utf8(tmp_path / "tabel.csv", rows)
    out = assert_refused(run_import(table), tmp_path,
                         f"{table}:3: row 3, column 'Toelichting': the cell contains a control character (U+001B)",
                         before={"tabel.csv"})
    assert "2J" not in out


def test_a_huge_cell_is_refused_by_row_and_column(tmp_path):
    rows = [list(row) for row in ROWS]
    rows[2][3] = "lang " * 1500
    table = write_excel_csv(tmp_path / "tabel.csv", rows)
    assert_refused(run_import(table), tmp_path,
                   f"{table}:4: row 4, column 'Toelichting': the cell holds 7500 characters, more than the 5000",
                   before={"tabel.csv"})


def test_a_cell_longer_than_a_card_text_may_be_is_refused(tmp_path):
    rows = [list(row) for row in ROWS]
    rows[0][4] = "x" * 4500
    table = write_utf8(tmp_path / "tabel.csv", rows)
    assert_refused(run_import(table), tmp_path, "row 2, column 'Zelf oppakken': the cell holds 4500 characters, "
                   "more than the 4000", before={"tabel.csv"})


def test_an_unclosed_quote_is_refused_with_its_row(tmp_path):
    table = tmp_path / "tabel.csv"
    table.write_text(rows_as_text([HEADER, ROWS[0]], ",") + '4,"Open quote,Beide,' + "tekst " * 20000,
                     encoding="utf-8")
    assert_refused(run_import(table), tmp_path, f"could not read {table}: row 3 has a cell longer than",
                   "double quote", before={"tabel.csv"})


def test_too_many_rows_are_refused(tmp_path):
    rows = [[str(n), f"Les nummer {n}", "Beide", f"Uitleg bij les {n}.", "-", "-"] for n in range(1, 502)]
    table = write_utf8(tmp_path / "tabel.csv", rows)
    assert_refused(run_import(table), tmp_path, f"{table}:502: row 502: the table has more than 500 lessons",
                   before={"tabel.csv"})
    # 500 rows are read; in one pillar they do not fit its canvas, which `check` refuses: so does the import
    fits = write_utf8(tmp_path / "vijfhonderd.csv", rows[:500])
    result = run_import(fits)
    assert result.exit_code == 1 and "more than 500" not in result.output, result.output
    assert "does not fit on its canvas 'pillars'" in result.output and "480 more problems" in result.output
    assert not (tmp_path / "vijfhonderd.yaml").exists()
    small = write_utf8(tmp_path / "tien.csv", rows[:10])
    result = run_import(small)
    assert result.exit_code == 0 and "10 lessons" in result.output, result.output


def test_too_many_columns_are_refused(tmp_path):
    rows = [[*ROWS[0], *(["extra"] * 60)], ROWS[1]]
    table = write_utf8(tmp_path / "tabel.csv", rows)
    assert_refused(run_import(table), tmp_path, "row 2: the row has more than 50 filled columns",
                   before={"tabel.csv"})


def test_nul_bytes_are_refused_as_binary(tmp_path):
    table = tmp_path / "tabel.csv"
    table.write_bytes(rows_as_text([HEADER, *ROWS], ",").encode("utf-8").replace(b"Beide", b"Be\x00ide"))
    assert_refused(run_import(table), tmp_path, "binary data (NUL bytes), so it is not a table",
                   before={"tabel.csv"})


def test_every_bad_row_is_listed_and_nothing_is_written(tmp_path):
    rows = [list(row) for row in ROWS]
    rows[0][1] = ""
    rows[2][3] = "-"
    table = write_unicode_text(tmp_path / "tabel.txt", rows)
    out = assert_refused(run_import(table), tmp_path, "2 problems found",
                         f"{table}:2: row 2, column 'Lessen uit de praktijk': the cell is empty",
                         f"{table}:4: row 4, column 'Toelichting': the cell is empty", before={"tabel.txt"})
    assert "row 3" not in out


# ---------------------------------------------------------------- writing

def test_an_existing_deck_is_never_overwritten(tmp_path):
    table = write_utf8(tmp_path / "tabel.csv")
    deck = tmp_path / "tabel.yaml"
    deck.write_text("mine\n", encoding="utf-8")
    assert_refused(run_import(table), tmp_path, "already exists", before={"tabel.csv", "tabel.yaml"})
    assert deck.read_text(encoding="utf-8") == "mine\n"


def test_a_deck_that_fails_validation_leaves_nothing_behind(tmp_path, monkeypatch):
    import dialoogkit.cards.tablerows as tablerows

    monkeypatch.setattr(tablerows, "DEFAULT_SOURCE", {"title": "Bron", "url": "ftp://example.org"})
    table = write_utf8(tmp_path / "tabel.csv")
    out = assert_refused(run_import(table, "-o", tmp_path / "uit" / "deck.yaml"), tmp_path,
                         str(tmp_path / "uit" / "deck.yaml"), "ftp:", before={"tabel.csv"})
    assert "dialoogkit-import-" not in out


def test_bad_options_are_usage_problems(tmp_path):
    table = write_utf8(tmp_path / "tabel.csv")
    for args in (["--id", "Mijn Deck"], ["--title", "Titel\x1b[2J"]):
        result = run_import(table, *args)
        assert result.exit_code == 2, result.output
        assert not CONTROL.search(result.output)
    assert {p.name for p in tmp_path.iterdir()} == {"tabel.csv"}


def test_reading_that_takes_too_long_stops_cleanly(tmp_path, monkeypatch):
    import dialoogkit.cards.tablelimits as limits

    monkeypatch.setattr(limits, "TIME_LIMIT_SECONDS", -1.0)
    table = tmp_path / "tabel.csv"
    table.write_text(rows_as_text([HEADER, *ROWS], ",") + "\n" * 3000, encoding="utf-8")
    assert_refused(run_import(table), tmp_path, f"could not read {table}: reading the table took longer than",
                   before={"tabel.csv"})


def test_the_real_command_in_a_subprocess(tmp_path):
    table = write_excel_csv(tmp_path / "tabel.csv")
    proc = run_subprocess(table, "-o", tmp_path / "deck.yaml")
    assert proc.returncode == 0, proc.stderr
    assert "Read tabel.csv as Windows-1252, separated by semicolons (;)." in proc.stdout
    assert [lesson.statement for lesson in load_deck(tmp_path / "deck.yaml").deck.lessons] == STATEMENTS
