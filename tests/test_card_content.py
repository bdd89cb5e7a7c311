"""What is on the cards: readable colours (contrast at least 4.5:1 for all text) and the fixed
labels, audiences, numbers and footer a facilitator expects on fronts and backs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from dialoogkit.cards.bundled import list_bundled
from dialoogkit.cards.labels import load_labels
from dialoogkit.cards.loader import load_deck
from dialoogkit.errors import DialoogkitError
from dialoogkit.generator.colours import BODY, INK, MUTED, WHITE, Colour, accent_on_white, contrast, text_on
from dialoogkit.generator.display import Area

BUILD = Path(__file__).resolve().parent / "fixtures" / "build"
MID_TONE = BUILD / "mid_tone_theme.yaml"
BAND_TEXTS = ("band", "number")
DECKS = list_bundled()


def squeeze(text: str) -> str:
    """Without whitespace and hyphens (line breaks may hyphenate words)."""
    return re.sub(r"[\s\-]+", "", text)


def theme_colours():
    return [(name, key, theme.colour) for name in DECKS for key, theme in load_deck(name).deck.themes.items()]


def test_both_standard_decks_are_bundled():
    assert {"standaard", "standard-en"} <= set(DECKS)


@pytest.mark.parametrize("deck, theme, colour", theme_colours())
def test_band_text_on_every_theme_colour_reads_well(deck, theme, colour):
    background = Colour.from_hex(colour)
    assert contrast(text_on(background), background) >= 4.5


@pytest.mark.parametrize("deck, theme, colour", theme_colours())
def test_accent_text_on_white_reads_well(deck, theme, colour):
    assert contrast(accent_on_white(Colour.from_hex(colour)), WHITE) >= 4.5


@pytest.mark.parametrize("colour", [INK, BODY, MUTED], ids=["INK", "BODY", "MUTED"])
def test_fixed_text_colours_read_well_on_white(colour):
    assert contrast(colour, WHITE) >= 4.5


def test_contrast_is_the_wcag_ratio():
    assert contrast(Colour.from_hex("#000000"), WHITE) == pytest.approx(21.0)
    assert contrast(WHITE, WHITE) == pytest.approx(1.0)
    assert contrast(Colour.from_hex("#767676"), WHITE) == pytest.approx(4.54, abs=0.01)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 0xFFFFFF))
def test_band_text_reads_well_on_any_theme_colour(value):
    """A deck may use any #RRGGBB colour; the text on its band must still reach 4.5:1."""
    background = Colour.from_hex(f"#{value:06X}")
    assert contrast(text_on(background), background) >= 4.5


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 0xFFFFFF))
def test_accent_on_white_reads_well_for_any_colour(value):
    assert contrast(accent_on_white(Colour.from_hex(f"#{value:06X}")), WHITE) >= 4.5


def _assert_face_contrast(plan) -> None:
    deck = plan.deck
    for number, (lesson, faces) in enumerate(zip(deck.lessons, plan.faces), start=1):
        theme = Colour.from_hex(deck.themes[lesson.theme].colour)
        for side, face in zip(("front", "back"), faces):
            coloured = [item.box for item in face.items if isinstance(item, Area) and item.colour != WHITE]
            for text in face.texts():
                if text.name in BAND_TEXTS:
                    ratio = contrast(text.colour, theme)
                else:
                    box = text.box
                    assert not any(box.x < a.right and a.x < box.right and box.y < a.top and a.y < box.top
                                   for a in coloured), f"card {number} {side}: {text.name} lies on a coloured area"
                    ratio = contrast(text.colour, WHITE)
                assert ratio >= 4.5, f"card {number} {side}: {text.name} has contrast {ratio:.2f}"


@pytest.mark.parametrize("deck", DECKS)
@pytest.mark.parametrize("fmt", ["a6", "poker"])
def test_every_planned_text_reads_well(planned, deck, fmt):
    plan = planned(deck, fmt)
    assert plan.faces
    _assert_face_contrast(plan)


def test_mid_tone_theme_colour_is_readable_or_refused(planned):
    """#3A7DC9 (a common blue): white on it is 4.24:1, #1A1A1A on it 4.3:1. The band text must reach
    4.5:1 (e.g. pure black), or the deck must be refused naming the colour."""
    try:
        plan = planned(str(MID_TONE), "a6")
    except DialoogkitError as exc:
        assert "colour" in str(exc)
        return
    _assert_face_contrast(plan)


# ---------------------------------------------------------------- what the cards say

@pytest.fixture(scope="module", params=DECKS)
def deck_pages(request, built):
    folder = built(request.param)
    pages = [page.extract_text() for page in PdfReader(folder / "cards-printshop.pdf").pages]
    deck = load_deck(request.param).deck
    assert deck.opening is not None and deck.opening.title in pages[0]  # the opening card comes first
    return deck, pages[2:]  # the lessons' pages, front and back per lesson


def test_backs_carry_the_questions_label_in_the_deck_language(deck_pages):
    deck, pages = deck_pages
    expected = {"nl": "Gespreksvragen", "en": "Discussion questions"}[deck.language]
    assert load_labels(deck.language)["questions"] == expected
    for i in range(len(deck.lessons)):
        assert expected in pages[2 * i + 1], f"back {i + 1}"
        assert expected not in pages[2 * i], f"front {i + 1}"


def test_every_question_is_on_its_back_with_its_audience(deck_pages):
    deck, pages = deck_pages
    labels = load_labels(deck.language)
    for i, lesson in enumerate(deck.lessons):
        back = squeeze(pages[2 * i + 1])
        for question in lesson.questions:
            audience = deck.audiences[question.audience].label if question.audience else labels["everyone"]
            assert squeeze(f"{audience}: {question.text}") in back, f"card {i + 1}: {question.text}"


def test_dutch_backs_show_audience_labels(built):
    pages = [p.extract_text() for p in PdfReader(built("standaard") / "cards-printshop.pdf").pages]
    backs = " ".join(pages[1::2])
    for label in ("Corporatie:", "Gemeente:", "Bewoners:", "Zorg en welzijn:"):  # "Iedereen:": test_plain_words
        assert label in backs


def test_fronts_show_theme_number_pillar_and_deck_title(deck_pages):
    deck, pages = deck_pages
    labels = load_labels(deck.language)
    total = len(deck.lessons)
    for i, lesson in enumerate(deck.lessons):
        front = pages[2 * i]
        assert f"{i + 1} / {total}" in front
        assert deck.themes[lesson.theme].label in front
        assert squeeze(f"{labels['pillar']}: {deck.pillars[lesson.pillar].label}") in squeeze(front)
        assert squeeze(deck.title) in squeeze(front)
        assert squeeze(lesson.explanation) in squeeze(front), f"card {i + 1}: explanation"


def test_backs_show_source_title_and_short_url(deck_pages):
    deck, pages = deck_pages
    labels = load_labels(deck.language)
    for i, lesson in enumerate(deck.lessons):
        back = pages[2 * i + 1]
        source = lesson.sources[0]
        assert labels["source"] in back
        assert squeeze(source.title) in squeeze(back)
        host = re.sub(r"^(https?://)?(www\.)?", "", source.url).split("/")[0]
        assert host in back and "https://" not in back, f"card {i + 1}"
        assert squeeze(deck.source.title) in squeeze(back), f"card {i + 1}: credit"
