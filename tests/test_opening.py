"""The opening card "Waar gaat dit over?" (issue 14): a deck-level card printed before lesson 1,
unnumbered, not counted in "n / N"; a deck that extends a bundled one inherits it and can rewrite
or drop it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from dialoogkit.cards.loader import load_deck
from dialoogkit.errors import FitError
from dialoogkit.generator.plan import plan_deck
from dialoogkit.layouts.formats import parse_card_format
from dialoogkit.layouts.profiles import parse_profile
from dialoogkit.output.build import BuildOptions, build_kit


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "").replace("-\n", "")).strip()


def plan(deck, card_format: str = "a6"):
    return plan_deck(load_deck(deck), parse_card_format(card_format), parse_profile("standard"))


def texts_named(face, name: str) -> list[str]:
    return [" ".join(" ".join(word for _, word, _ in line.pieces) for line in text.block.lines)
            for text in face.texts() if text.name == name]


@pytest.mark.parametrize("deck, title", [("standaard", "Waar gaat dit over?"), ("standard-en", "What is this about?")])
@pytest.mark.parametrize("card_format", ["a6", "a7", "poker", "tarot", "a6-office"])
def test_bundled_decks_open_with_an_unnumbered_card(deck, title, card_format):
    result = plan(deck, card_format)
    assert result.opening is not None
    front, back = result.opening
    assert texts_named(front, "band") == [title]
    assert texts_named(front, "number") == [] and texts_named(back, "number") == []
    lessons = len(load_deck(deck).deck.lessons)
    assert texts_named(result.faces[0][0], "number") == [f"1 / {lessons}"]
    assert result.printed_faces[0] == result.opening and len(result.printed_faces) == lessons + 1


def test_opening_card_is_printed_first_and_not_counted(tmp_path):
    build_kit("standaard", BuildOptions(output=tmp_path, parts=("cards", "png")))
    folder = tmp_path / "standaard"
    deck = load_deck("standaard").deck
    pages = [squash(page.extract_text()) for page in PdfReader(folder / "cards-printshop.pdf").pages]
    assert len(pages) == 2 * (len(deck.lessons) + 1)
    assert "Waar gaat dit over?" in pages[0] and squash(deck.opening.statement) in pages[0]
    assert "gemengd wonen" in pages[0].lower() and "community building" in pages[0].lower()
    assert "/" not in pages[0].split("Waar gaat dit over?")[0]
    assert all(squash(question) in pages[1] for question in deck.opening.questions)
    assert f"1 / {len(deck.lessons)}" in pages[2]
    assert (folder / "png" / "card-00-front.png").is_file() and (folder / "png" / "card-01-front.png").is_file()
    assert not (folder / "png" / f"card-{len(deck.lessons) + 1:02d}-front.png").exists()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_deck_that_extends_inherits_rewrites_or_drops_it(tmp_path):
    inherited = load_deck(write(tmp_path, "extends: standaard\nid: regio\nselect: [1, 2]\n")).deck
    assert inherited.opening == load_deck("standaard").deck.opening
    rewritten = load_deck(write(tmp_path, "extends: standaard\nid: regio\nopening:\n  statement: Samen in Oost\n")).deck
    assert rewritten.opening.statement == "Samen in Oost"
    assert rewritten.opening.text == inherited.opening.text
    dropped = write(tmp_path, "extends: standaard\nid: regio\nopening: null\n")
    assert load_deck(dropped).deck.opening is None
    assert plan(dropped).opening is None


def test_opening_is_not_a_lesson_for_select(tmp_path):
    deck = load_deck(write(tmp_path, "extends: standaard\nid: regio\nselect: [1]\n")).deck
    assert [lesson.id for lesson in deck.lessons] == [load_deck("standaard").deck.lessons[0].id]
    assert deck.opening is not None


def test_an_opening_text_that_does_not_fit_names_its_field(tmp_path):
    path = write(tmp_path, "extends: standaard\nid: regio\nopening:\n  text: " + "Heel veel woorden hier. " * 120 + "\n")
    with pytest.raises(FitError) as caught:
        plan(path, "a7")
    message = str(caught.value.format_message()) if hasattr(caught.value, "format_message") else str(caught.value)
    assert f"{path}:4" in message and "opening" in message, message
