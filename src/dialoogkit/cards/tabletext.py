"""Decode a text table the way Excel saves it, find its separator and split it into rows.

In: the bytes of a CSV or text table: UTF-8 with or without BOM, Windows-1252 (Excel's "CSV
(gescheiden door lijstscheidingsteken)"), UTF-16 with BOM (Excel's "Unicode-tekst"); separated
by semicolons, commas or tabs; CRLF, LF or CR line ends; quoted cells may hold line breaks.
Out: the text and the name of its encoding; the name of its separator; its filled rows as
(row number, cell texts). What is not text (NUL bytes, binary data, an unknown encoding) or a
cell that runs away (an unclosed quote) raises ``TableRefused``.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from dialoogkit.cards.tablelimits import CSV_FIELD_LIMIT, Deadline, TableRefused, save_as_hint
from dialoogkit.i18n import say

SEPARATORS = {"\t": "tables.text.tabs", ";": "tables.text.semicolons", ",": "tables.text.commas"}  # message keys
_BOMS: tuple[tuple[bytes, str, str | None], ...] = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8", None),  # None: "UTF-8 (with BOM)", in the user's language
    (b"\xff\xfe", "utf-16-le", "UTF-16 (Unicode-tekst)"),
    (b"\xfe\xff", "utf-16-be", "UTF-16 (Unicode-tekst)"),
)
_SNIFF_RECORDS = 50


def separator_name(separator: str) -> str:
    """The separator in words ("semicolons (;)")."""
    return say(SEPARATORS[separator])


def decode_table(data: bytes, path: Path | str) -> tuple[str, str]:
    """The text of a table and the name of the encoding it was read as."""
    for mark, codec, name in _BOMS:
        if data.startswith(mark):
            name = name or say("tables.text.utf8_bom")
            return _decode(data[len(mark):], codec, name, path), name
    if b"\x00" in data:
        codec = _utf16_without_bom(data)
        if codec is None:
            raise TableRefused(path, say("tables.text.nul"), save_as_hint())
        return _decode(data, codec, "UTF-16 (Unicode-tekst)", path), "UTF-16 (Unicode-tekst)"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise TableRefused(path, say("tables.text.encoding"), say("tables.save.again", hint=save_as_hint())) from None


def _decode(data: bytes, codec: str, name: str, path: Path | str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise TableRefused(path, say("tables.text.partly", encoding=name),
                           say("tables.save.again", hint=save_as_hint())) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or '-be' when the NUL bytes sit where UTF-16 puts them for Latin text."""
    if len(data) % 2:
        return None
    pairs = len(data) // 2
    odd_nuls, even_nuls = data[1::2].count(0), data[0::2].count(0)
    if odd_nuls >= 0.3 * pairs and even_nuls == 0:
        return "utf-16-le"
    if even_nuls >= 0.3 * pairs and odd_nuls == 0:
        return "utf-16-be"
    return None


def looks_binary(text: str) -> bool:
    """True when the start of the text is full of control characters: not a table saved as text."""
    start = text[:4096]
    controls = sum(1 for ch in start if (ord(ch) < 32 and ch not in "\t\r\n\f") or 0x7F <= ord(ch) < 0xA0)
    return controls > max(8, len(start) // 20)


def find_separator(text: str) -> str:
    """The separator that splits the first records into the most rows of one width (ties: tab,
    semicolon, comma); a comma when none splits anything."""
    best, best_score = ",", 0
    for separator in SEPARATORS:
        widths: Counter[int] = Counter()
        reader = csv.reader(io.StringIO(text[:200_000], newline=""), delimiter=separator)
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    widths[len(row)] += 1
                if sum(widths.values()) >= _SNIFF_RECORDS:
                    break
        except csv.Error:
            pass
        score = max((count for width, count in widths.items() if width > 1), default=0)
        if score > best_score:
            best, best_score = separator, score
    return best


def split_table(text: str, separator: str, path: Path | str,
                deadline: Deadline) -> list[tuple[int, list[str]]]:
    """(row number as Excel counts it, cell texts) of every row with a filled cell."""
    rows: list[tuple[int, list[str]]] = []
    number = 0
    old_limit = csv.field_size_limit()
    csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        for number, row in enumerate(reader, start=1):
            if number % 1000 == 0:
                deadline.check()
            while row and not row[-1].strip():
                row.pop()
            if row:
                rows.append((number, row))
    except csv.Error as exc:
        number += 1
        if "field larger than field limit" in str(exc):
            raise TableRefused(path, say("tables.text.long_cell", row=number, limit=CSV_FIELD_LIMIT),
                               say("tables.text.long_cell_fix")) from None
        raise TableRefused(path, say("tables.text.split", row=number), save_as_hint()) from None
    finally:
        csv.field_size_limit(old_limit)
    return rows
