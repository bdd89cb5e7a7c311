"""Import a table of lessons as a deck file: read it, check every row, and check the deck made of it.

In: the path of a table (a CSV or text file as Excel saves it, or an .xlsx workbook: see
``tableread``; the columns: see ``tablerows``), where the deck should go (None: beside the
table, with .yaml), and the deck's id, title, language and (for a workbook) sheet.
Out: ``PreparedDeck``: the target path, the deck's YAML text (a comment saying what to edit,
then the deck), the deck as validated, its number of lessons, a sentence saying how the table was read, and the warnings
about its placeholders (``placeholders``: what the table cannot say, and the title when none is
given: never the file name). The text is already validated as a deck (from a private temporary copy), so the
caller only writes it, atomically. Every problem raises before anything is written: ``TableRefused`` (the file),
``ContentError`` (its rows, or the deck made of them, named after the target), ``UsageProblem``
(a bad ``--id``, ``--title`` or ``--sheet``), ``OutputError`` (the target exists or cannot be made).
"""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dialoogkit.cards.loader import LoadedDeck, validate_file
from dialoogkit.cards.models import Deck
from dialoogkit.cards.placeholders import PLACEHOLDERS, find_warnings, mark
from dialoogkit.cards.shellwords import quote_path
from dialoogkit.cards.tablelimits import show_path
from dialoogkit.cards.tableread import read_table
from dialoogkit.cards.tablerows import clean_cell, convert_rows, max_text_length, slugify
from dialoogkit.cards.textroad import check_characters
from dialoogkit.cards.yamlsource import MAX_BYTES as MAX_DECK_BYTES
from dialoogkit.errors import ContentError, OutputError, Problem, UsageProblem, quoted
from dialoogkit.i18n import say, speaking_deck
from dialoogkit.safe_read import Unreadable, check_name

__all__ = ["PreparedDeck", "check_target", "clean_cell", "import_table", "prepare_deck", "slugify", "suggest_title"]

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
TITLE_LIMIT = max_text_length(Deck, "title")
ID_LIMIT = 64


@dataclass(frozen=True)
class PreparedDeck:
    """A deck made from a table, checked and ready to be written to ``target``."""

    target: Path
    text: str
    lessons: int
    description: str
    warnings: tuple[Problem, ...] = ()
    loaded: LoadedDeck | None = dataclasses.field(default=None, repr=False, compare=False)  # the deck as validated

    @property
    def shown_target(self) -> str:
        """The target as it may appear in a message."""
        return show_path(self.target)


def import_table(path: Path, deck_id: str, title: str, language: str = "nl",
                 sheet: str | None = None) -> dict[str, Any]:
    """Deck data from the table at ``path`` (checked row by row, not yet validated as a deck)."""
    return convert_rows(read_table(path, sheet), deck_id, title, language)


def prepare_deck(table: Path, output: Path | None = None, deck_id: str | None = None, title: str | None = None,
                 language: str = "nl", sheet: str | None = None) -> PreparedDeck:
    """Read, convert and check the table at ``table`` (see module docstring). Messages follow the
    language of the deck being made, unless the user chose one (``i18n``)."""
    with speaking_deck(language):
        return _prepare(table, output, deck_id, title, language, sheet)


def _prepare(table: Path, output: Path | None, deck_id: str | None, title: str | None,
             language: str, sheet: str | None) -> PreparedDeck:
    _check_options(deck_id, title)
    raw = read_table(table, sheet)
    title = title or mark(PLACEHOLDERS[language]["title"], language)
    data = convert_rows(raw, deck_id or slugify(table.stem), title, language)
    target = output or table.parent / f"{table.stem or 'deck'}.yaml"
    check_target(target)
    text = _render(data, table, target, language)
    size = len(text.encode("utf-8"))
    if size > MAX_DECK_BYTES:
        raise ContentError([Problem(show_path(table), None,
                                    say("tables.import.too_big", size=size // 1024, limit=MAX_DECK_BYTES // 1024),
                                    say("tables.import.too_big_fix"))])
    loaded, warnings = _validate_text(text, target)
    return PreparedDeck(target, text, len(data["lessons"]), raw.description, tuple(warnings), loaded)


def check_target(target: Path) -> None:
    """Refuse a target that exists or that cannot be made, before any work is written."""
    shown = show_path(target)
    try:
        check_name(target)
    except Unreadable as exc:
        raise OutputError(say("os.could_not_write", path=shown, reason=exc.reason, fix=exc.fix)) from None
    if os.path.lexists(target):
        raise OutputError(say("tables.import.exists", path=shown))
    folder = target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise OutputError(say("os.could_not_write", path=shown,
                              reason=say("tables.import.folder_is_file", folder=show_path(folder)),
                              fix=say("tables.import.another_place")))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(say("os.could_not_write", path=shown,
                              reason=say("tables.import.folder_denied", folder=show_path(folder)),
                              fix=say("tables.import.another_folder")))


def _check_options(deck_id: str | None, title: str | None) -> None:
    if deck_id is not None and (len(deck_id) > ID_LIMIT or not _SLUG.fullmatch(deck_id)):
        raise UsageProblem(say("tables.import.bad_id", id=quoted(deck_id, 60)))
    if title is not None:
        try:
            check_characters(title)
        except ValueError as exc:
            raise UsageProblem(say("tables.import.title_problem", problem=exc)) from None
        if not title.strip() or len(title.strip()) > TITLE_LIMIT:
            raise UsageProblem(say("tables.import.title_length", limit=TITLE_LIMIT))


def suggest_title(table: Path, language: str) -> str:
    """A readable title from the table's file name, without characters a deck may not hold: what
    the command line offers when it asks for the title."""
    words = "".join(ch if ch.isprintable() else " " for ch in table.stem.replace("-", " ").replace("_", " "))
    words = " ".join(words.split())[:TITLE_LIMIT].strip()
    try:
        check_characters(words)
    except ValueError:
        words = ""
    if words.islower():
        words = words[0].upper() + words[1:]
    return words or ("Mijn deck" if language == "nl" else "My deck")


def _comment(text: object) -> str:
    """A name for a YAML comment: one printable line (YAML also breaks lines at U+2028/U+2029)."""
    return quoted(text, 120).replace("\u2028", "U+2028").replace("\u2029", "U+2029").replace("\x85", "U+0085")


HEADERS = {
    "nl": ("# Tekst die begint met (invullen) kon dialoogkit niet uit de tabel halen: de startvragen,\n"
           "# de bron van elk inzicht, en waar de tabel ze niet noemt de pijler, de uitgever en de titel.\n"
           "# Schrijf daar je eigen tekst en haal \"(invullen)\" weg (wil je een startvraag houden, haal dan\n"
           "# alleen \"(invullen)\" weg). Zolang er nog (invullen) staat, waarschuwen `dialoogkit check` en\n"
           "# `dialoogkit build` ervoor, en keurt `dialoogkit check --strict` het deck af. Controleren:\n"),
    "en": ("# Text that starts with (fill in) is what dialoogkit could not take from the table: the starter\n"
           "# questions, the source of each lesson and, where the table does not name them, the pillar, the\n"
           "# publisher and the title. Write your own text there and remove \"(fill in)\" (to keep a starter\n"
           "# question, remove only \"(fill in)\"). While any (fill in) is left, `dialoogkit check` and\n"
           "# `dialoogkit build` warn about it, and `dialoogkit check --strict` refuses the deck. Check with:\n"),
}


def _render(data: dict[str, Any], table: Path, target: Path, language: str) -> str:
    header = (f"# Imported by dialoogkit from {_comment(table.name)}.\n" + HEADERS.get(language, HEADERS["en"]) +
              f"#   dialoogkit check {_comment(quote_path(target))}\n")
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _validate_text(text: str, target: Path) -> tuple[LoadedDeck, list[Problem]]:
    """Validate ``text`` as a deck from a private temporary file: the deck, and its warnings; they
    and its problems name ``target``."""
    shown = show_path(target)
    with tempfile.TemporaryDirectory(prefix="dialoogkit-import-") as folder:
        temp = Path(folder) / "deck.yaml"
        temp.write_text(text, encoding="utf-8")
        try:
            loaded = validate_file(temp)
        except ContentError as exc:
            raise ContentError([dataclasses.replace(p, file=shown if p.file == str(temp) else p.file)
                                for p in exc.problems]) from None
        return loaded, [dataclasses.replace(p, file=shown if p.file == str(temp) else p.file)
                        for p in find_warnings(loaded)]
