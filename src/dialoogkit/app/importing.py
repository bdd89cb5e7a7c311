"""One table import for every face: ``dialoogkit import`` and the studio's "new deck from a table".

In: a table's path and what ``cards.tableimport.prepare_deck`` takes (where the deck goes, its id,
title, language and sheet).
Out: the ``PreparedDeck`` (its text not yet written) once the deck made of the table passes the
whole check that ``dialoogkit check`` runs (``app.checking.check_loaded``: the fonts print every
character, every text fits the cards, the canvases and the guide), so an import never writes a
deck that ``check`` would refuse; else the ``ContentError`` of that check, naming the target file.
Nothing is written here: the face writes the text through its storage.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from dialoogkit.app.checking import check_loaded
from dialoogkit.cards.tableimport import PreparedDeck, prepare_deck
from dialoogkit.cards.tablerows import shorten_problems
from dialoogkit.errors import ContentError


def prepare_import(table: Path, output: Path | None = None, deck_id: str | None = None, title: str | None = None,
                   language: str = "nl", sheet: str | None = None) -> PreparedDeck:
    """The deck made of ``table``, checked as ``dialoogkit check`` would check it (see module docstring)."""
    prepared = prepare_deck(table, output, deck_id, title, language, sheet)
    assert prepared.loaded is not None
    report = check_loaded(prepared.loaded)  # the deck prepare_deck validated, read from its temporary copy
    if report.problems:
        shown, copy = prepared.shown_target, str(prepared.loaded.path)
        raise ContentError(shorten_problems([dataclasses.replace(p, file=shown if p.file == copy else p.file)
                                             for p in report.problems], shown))
    return prepared
