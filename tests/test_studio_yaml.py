"""What the studio writes into a deck file reads back, through the command line's own loader,
as exactly the text that was typed (after trimming), whatever the text: quotes, colons, hashes,
YAML words such as ``yes`` or ``null``, long texts that are folded, several lines."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialoogkit.cards.loader import load_deck
from dialoogkit.studio import edits
from dialoogkit.studio.deckfile import read_deck_file, save_deck_file
from dialoogkit.studio.editmodel import build_model
from dialoogkit.studio.workspace import Workspace

DECK = "extends: standaard\nid: proef\ntitle: Proef  # a comment\n"
TRICKY = ["yes", "no", "null", "~", "123", "1e3", "0x1F", "- lijst", "a: b", "#hash", "tekst # geen commentaar",
          "'enkel'", '"dubbel"', "@start", "`tick`", "%procent", "&anker", "*ster", "! uitroep", "? vraag",
          "{accolade}", "[haak]", "Wie? Wat? Waar?", "regel een\nregel twee", "regel een\n\nalinea twee",
          "x" * 95 + " woorden " * 20, "ĳsvogel en één café", "tab\tin tekst"]

printable = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\u2028\u2029\ufeff")
texts = st.one_of(st.sampled_from(TRICKY), st.text(printable, min_size=1, max_size=160),
                  st.lists(st.text(printable, min_size=1, max_size=60), min_size=1, max_size=4).map("\n".join))


def write_statement(folder: Path, text: str) -> str:
    """Save ``text`` as the statement of lesson 1 through the studio's edit path; the loaded value."""
    path = folder / "deck.yaml"
    path.write_text(DECK, encoding="utf-8")
    workspace = Workspace.open(folder)
    deck_file = read_deck_file(path)
    model = build_model(deck_file, workspace)
    item = model.included[0]
    edits.apply_lesson(model, item, {"statement": text, "explanation": text})
    save_deck_file(deck_file, deck_file.version)
    lesson = load_deck(path).deck.lessons[0]
    assert lesson.explanation == lesson.statement
    return lesson.statement


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts)
def test_any_text_reads_back_as_typed(tmp_path, text):
    cleaned = text.replace("\r\n", "\n").strip()
    if not cleaned or any(ord(ch) < 32 and ch not in "\n\t" for ch in cleaned) or "\t" in cleaned.split("\n")[0][:1]:
        return
    # the text road loads every text in NFC (the file keeps what was typed)
    assert write_statement(tmp_path, cleaned) == unicodedata.normalize("NFC", cleaned)


def test_the_comment_stays_and_long_text_is_folded(tmp_path):
    long = " ".join(["Buren"] * 40)
    assert write_statement(tmp_path, long) == long
    text = (tmp_path / "deck.yaml").read_text(encoding="utf-8")
    assert "title: Proef  # a comment" in text
    assert "statement: >-\n" in text and max(len(line) for line in text.splitlines()) < 100
