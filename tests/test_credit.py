"""Credit where it is due (issue 14): a deck's own lessons and its contacts card are credited to the
deck (title and region); only lessons taken from a bundled deck carry the publication's credit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from dialoogkit.cards.loader import load_deck
from dialoogkit.output.build import BuildOptions, build_kit

PUBLISHERS = ("Aedes", "VNG", "Valente")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "").replace("-\n", "")).strip()


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """A regional deck: two lessons of the standard deck, one lesson of its own, and contacts."""
    folder = tmp_path_factory.mktemp("credit")
    (folder / "deck.yaml").write_text(
        "extends: standaard\n"
        "id: eigen-regio\n"
        "title: Samen in Oost\n"
        "region: Regio Oost\n"
        "select: [1, 2, buurtkamer]\n"
        "lessons:\n"
        "  - id: buurtkamer\n"
        "    theme: community-building\n"
        "    pillar: relaties\n"
        "    statement: Een vaste buurtkamer helpt bewoners elkaar te leren kennen.\n"
        "    explanation: In Oost bleek een vaste plek met koffie beter te werken dan losse activiteiten.\n"
        "    questions:\n"
        "      - text: Waar ontmoeten bewoners elkaar nu?\n"
        "      - text: Wie opent de buurtkamer?\n"
        "      - text: Wat heeft de buurtkamer nodig?\n"
        "    sources:\n"
        "      - title: Valente\n"
        "        url: https://www.valente.nl\n"
        "contacts:\n"
        "  - name: Wijkteam Oost\n"
        "    phone: 030 123 45 67\n",
        encoding="utf-8")
    return folder / "deck.yaml"


def test_only_the_added_lesson_is_the_decks_own(mixed):
    deck = load_deck(mixed).deck
    assert [lesson.id for lesson in deck.lessons if lesson.id in deck.own_lessons] == ["buurtkamer"]


def test_bundled_decks_credit_every_lesson_to_the_publication():
    for name in ("standaard", "standard-en"):
        assert load_deck(name).deck.own_lessons == frozenset()


def test_card_backs_credit_the_publication_or_the_deck(mixed, tmp_path):
    build_kit(mixed, BuildOptions(output=tmp_path, parts=("cards", "canvases")))
    pages = [squash(page.extract_text()) for page in PdfReader(tmp_path / "eigen-regio" / "cards-printshop.pdf").pages]
    assert "Waar gaat dit over?" in pages[0]  # the opening card it inherits, credited like the deck's cover
    backs = pages[3::2]
    assert len(backs) == 4  # three lessons and the contacts card
    for back in backs[:2]:
        assert "Gebaseerd op" in back and all(name in back for name in PUBLISHERS), back
    for back in backs[2:]:
        assert "Uit de praktijk van: Samen in Oost · Regio Oost" in back, back
        assert "Gebaseerd op" not in back and not any(name in back for name in ("Aedes", "VNG")), back


def test_lesson_canvases_credit_like_their_cards(mixed, tmp_path):
    build_kit(mixed, BuildOptions(output=tmp_path, parts=("canvases",)))
    pages = [squash(page.extract_text()) for page in PdfReader(tmp_path / "eigen-regio" / "canvases.pdf").pages]
    assert "Gebaseerd op" in pages[0] and "Aedes" in pages[0]
    assert "Uit de praktijk van: Samen in Oost · Regio Oost" in pages[2]
    assert "Aedes" not in pages[2]


def test_a_deck_of_only_own_lessons_credits_itself_everywhere(tmp_path):
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "extends: standaard\nid: alleen-eigen\ntitle: Eigen set\nselect: [eigen]\n"
        "lessons:\n  - id: eigen\n    theme: community-building\n    pillar: relaties\n"
        "    statement: Een eigen les.\n    explanation: Uit de eigen praktijk.\n"
        "    questions:\n      - text: Wat zien we?\n      - text: Wat doen we?\n      - text: Wie helpt?\n"
        "    sources:\n      - title: Meer lezen\n        url: https://www.valente.nl\n", encoding="utf-8")
    build_kit(deck, BuildOptions(output=tmp_path / "out", parts=("cards", "canvases")))
    folder = tmp_path / "out" / "alleen-eigen"
    for name in ("cards-printshop.pdf", "canvases.pdf"):
        text = squash(" ".join(page.extract_text() for page in PdfReader(folder / name).pages))
        assert "Uit de praktijk van: Eigen set" in text, name
        assert "Gebaseerd op" not in text and not any(publisher in text for publisher in PUBLISHERS), name
