"""Decks in any script and right-to-left decks, end to end: fitted, drawn, extracted, mirrored.

Test decks: tests/fixtures/scripts/<language>.yaml (ar, ti, uk, tr, pl, vi), short texts and
labels written for these tests (test data). Text is extracted with pypdf from the printshop PDF,
one card face per page, and compared without white space (an extractor decides where gaps are
spaces) and in logical order, the order in which a reader reads it.
"""

from __future__ import annotations

import io
import json
import re
from functools import lru_cache
from pathlib import Path

import pytest
import uharfbuzz as hb
from click.testing import CliRunner
from pypdf import PdfReader

from dialoogkit.cards.labels import labels_for
from dialoogkit.cards.loader import LoadedDeck, load_deck
from dialoogkit.cli import main
from dialoogkit.generator.display import Face, Icon, Text
from dialoogkit.generator.fonts import REGULAR
from dialoogkit.generator.glyphs import find_glyph_problems
from dialoogkit.generator.guide.scriptpara import ScriptParagraph
from dialoogkit.generator.plan import DeckPlan, plan_deck
from dialoogkit.generator.posters.plan import plan_canvases
from dialoogkit.generator.scriptfonts import ARABIC, font_folder, has_glyph
from dialoogkit.generator.scripts import segment
from dialoogkit.generator.shaping import font_object, shape_line
from dialoogkit.generator.textfit import hyphenator, set_text, Run
from dialoogkit.layouts.formats import CARD_FORMATS, parse_card_format
from dialoogkit.layouts.profiles import parse_profile
from dialoogkit.output.printshop import render_printshop
from dialoogkit.output.render import document_info
from kitdecks import deck_data, write_deck

HERE = Path(__file__).parent
DECKS = HERE / "fixtures" / "scripts"
LANGUAGES = ("ar", "ti", "uk", "tr", "pl", "vi")
REFERENCE = json.loads((HERE / "reference" / "arabic_lines.json").read_text(encoding="utf-8"))


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_text(page) -> str:
    """A page's text without white space and with words hyphenated at a line's end joined (the
    test texts have no hyphens of their own)."""
    return squeezed(re.sub(r"-\n", "", page.extract_text()))


@lru_cache(maxsize=None)
def loaded(language: str) -> LoadedDeck:
    return load_deck(DECKS / f"{language}.yaml")


@lru_cache(maxsize=None)
def planned(language: str, card_format: str) -> DeckPlan:
    return plan_deck(loaded(language), parse_card_format(card_format), parse_profile("standard"))


@lru_cache(maxsize=None)
def printshop(language: str, card_format: str) -> PdfReader:
    plan = planned(language, card_format)
    data = render_printshop(plan, 3 * 72 / 25.4, document_info(plan.deck, "printshop_doc"))
    return PdfReader(io.BytesIO(data))


def page_fonts(reader: PdfReader) -> list[dict]:
    fonts = []
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            fonts.append(ref.get_object())
    return fonts


@pytest.mark.parametrize("card_format", sorted(CARD_FORMATS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_deck_in_any_script_prints_its_text_in_logical_order(language, card_format):
    deck = loaded(language).deck
    labels = labels_for(deck)
    reader = printshop(language, card_format)
    assert len(reader.pages) == 2 * (len(deck.lessons) + 1)  # the lessons and the contacts card
    for index, lesson in enumerate(deck.lessons):
        front = page_text(reader.pages[2 * index])
        back = page_text(reader.pages[2 * index + 1])
        assert "\ufffd" not in front + back
        for expected in (deck.themes[lesson.theme].label, lesson.statement, lesson.explanation, deck.title):
            assert squeezed(expected) in front, (lesson.id, expected)
        assert front.index(squeezed(lesson.statement)) < front.index(squeezed(lesson.explanation))
        assert squeezed(labels["questions"]) in back
        position = 0
        for question in lesson.questions:
            audience = deck.audiences[question.audience].label if question.audience else labels["everyone"]
            found = back.find(squeezed(f"{audience}:{question.text}"), position)
            assert found >= 0, (lesson.id, question.text)
            position = found
        assert squeezed(lesson.sources[0].title) in back
    contact = deck.contacts[0]
    assert squeezed(contact.name) in page_text(reader.pages[-2])
    assert squeezed(contact.role) in page_text(reader.pages[-2])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_font_is_embedded_and_has_every_glyph(language):
    assert find_glyph_problems(loaded(language)) == []
    fonts = page_fonts(printshop(language, "a6"))
    assert fonts
    for font in fonts:
        assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
        assert "/ToUnicode" in font, font["/BaseFont"]
    for front, back in planned(language, "a6").faces:
        for text in front.texts() + back.texts():
            for line in text.block.lines:
                for _, word, face in line.pieces:
                    for run in segment(word, face):
                        assert all(has_glyph(run.font_key, ch) for ch in run.text), (word, run.font_key)


def test_arabic_is_set_in_noto_sans_arabic_and_tigrinya_in_noto_sans_ethiopic():
    names = {str(font["/BaseFont"]).split("+", 1)[-1] for font in page_fonts(printshop("ar", "a6"))}
    assert {"NotoSansArabic-Bold", "NotoSansArabic-Regular"} <= names
    names = {str(font["/BaseFont"]).split("+", 1)[-1] for font in page_fonts(printshop("ti", "a6"))}
    assert {"NotoSansEthiopic-Bold", "NotoSansEthiopic-Regular"} <= names
    names = {str(font["/BaseFont"]).split("+", 1)[-1] for font in page_fonts(printshop("uk", "a6"))}
    assert not any(name.startswith("Noto") for name in names)  # Cyrillic is in Source Sans Pro


def test_arabic_lines_fitted_for_a_card_equal_the_harfbuzz_reference():
    """The card fitter breaks the reference paragraph where HarfBuzz's widths break it, and each
    line is drawn with the reference's glyphs in the reference's order (left to right)."""
    block = set_text([[Run(REFERENCE["text"], REGULAR)]], REFERENCE["size"], REFERENCE["width"], "ar")
    lines = [" ".join(word for _, word, _ in line.pieces) for line in block.lines]
    assert lines == [line["text"] for line in REFERENCE["lines"]]
    names = hb.Font(hb.Face(hb.Blob.from_file_path(str(font_folder() / REFERENCE["font"]))))
    for line, expected in zip(block.lines, REFERENCE["lines"]):
        assert line.width <= REFERENCE["width"]
        shaped = shape_line([(word, font) for _, word, font in line.pieces], block.size, "rtl")
        assert abs(shaped.width - line.width) < 1e-6  # drawn as wide as it was fitted
        glyphs = [names.glyph_to_string(font_object(run.font).face.charToGlyph[g.code])
                  for run in shaped.runs if run.font == ARABIC for g in run.glyphs]
        assert [g for g in glyphs if g != "space"] == expected["glyphs"]


def band_sides(face: Face) -> tuple[float, float, Text]:
    """The icon's and the number's centre x, and the band label."""
    icon = next(item for item in face.items if isinstance(item, Icon))
    number = next(text for text in face.texts() if text.name == "number")
    label = next(text for text in face.texts() if text.name == "band")
    return icon.box.x + icon.box.width / 2, number.box.x + number.box.width / 2, label


@pytest.mark.parametrize("card_format", sorted(CARD_FORMATS))
def test_a_right_to_left_card_is_mirrored(card_format):
    plan = planned("ar", card_format)
    geo = plan.geometry
    for front, back in plan.faces:
        for text in front.texts() + back.texts():  # mirrored text stays in the safe zone
            assert geo.safe.contains(text.box), text.name
    for front, back in plan.faces[:-1]:
        for face in (front, back):
            icon_x, number_x, label = band_sides(face)
            assert icon_x > geo.width / 2 > number_x  # icon at the right, number at the left
            assert label.align == "right" and label.box.right <= icon_x
        texts = {text.name: text for text in front.texts() + back.texts()}
        for name in ("statement", "explanation", "pillar", "question-1", "question-3", "credit"):
            assert texts[name].align == "right" and texts[name].direction == "rtl", name
            assert abs(texts[name].x - geo.body.right) < 0.01, name  # right-aligned at the body's right edge
        qr = back.qr()
        assert qr is not None and qr.box.right == pytest.approx(geo.body.right)
        assert texts["source-title"].box.right < qr.box.x  # its text column left of it
    ltr = planned("uk", card_format)
    icon_x, number_x, label = band_sides(ltr.faces[0][0])
    assert icon_x < geo.width / 2 < number_x and label.align == "left"
    assert ltr.faces[0][1].qr().box.x == pytest.approx(ltr.geometry.body.x)


def test_a_right_to_left_canvas_is_mirrored_and_a_left_to_right_one_is_not():
    for language, mirrored in (("ar", True), ("tr", False)):
        plan = plan_canvases(loaded(language))
        name, face = plan.faces[0]
        statement = next(text for text in face.texts() if text.name == "statement")
        icon = next(item for item in face.items if isinstance(item, Icon))
        assert (icon.box.x > face.width / 2) == mirrored, language
        assert (statement.align == "right") == mirrored, language
        assert (statement.box.x > face.width / 2) == mirrored, language


def test_the_whole_arabic_kit_builds_and_its_canvases_and_guide_extract(tmp_path):
    result = CliRunner().invoke(main, ["build", str(DECKS / "ar.yaml"), "-o", str(tmp_path), "-q", "--no-png"])
    assert result.exit_code == 0, result.output
    assert "guide.pdf is in English" in result.output  # no bundled Arabic guide texts
    deck = loaded("ar").deck
    kit = tmp_path / deck.id
    canvases = PdfReader(kit / "canvases.pdf")
    first = page_text(canvases.pages[0])
    assert squeezed(deck.lessons[0].statement) in first and squeezed(deck.lessons[0].explanation) in first
    guide = "".join(page_text(page) for page in PdfReader(kit / "guide.pdf").pages)
    for lesson in deck.lessons:
        assert squeezed(lesson.explanation) in guide
        assert all(squeezed(question.text) in guide for question in lesson.questions)
    for name in ("cards-printshop.pdf", "canvases.pdf", "guide.pdf"):
        for font in page_fonts(PdfReader(kit / name)):
            assert "/FontFile2" in font["/FontDescriptor"], (name, font["/BaseFont"])


def test_a_dutch_deck_quoting_an_arabic_sentence_builds_and_extracts(tmp_path):
    data = deck_data(1)
    quote = "Zij zei: «أهلا وسهلا بكم جميعا» en iedereen lachte."
    data["lessons"][0]["explanation"] = quote
    deck = load_deck(write_deck(tmp_path / "quote.yaml", data))
    plan = plan_deck(deck, parse_card_format("a6"), parse_profile("standard"))
    reader = PdfReader(io.BytesIO(render_printshop(plan, 0.0, document_info(plan.deck, "printshop_doc"))))
    front = plan.faces[0][0]
    explanation = next(text for text in front.texts() if text.name == "explanation")
    assert explanation.align == "left"  # a Dutch deck is not mirrored
    assert squeezed(quote) in page_text(reader.pages[0])
    names = {str(font["/BaseFont"]).split("+", 1)[-1] for font in page_fonts(reader)}
    assert "NotoSansArabic-Regular" in names


@pytest.mark.parametrize("language, hyphenates", [("ar", False), ("ti", False), ("tr", False), ("vi", False),
                                                  ("pl", True), ("uk", True), ("nl", True)])
def test_hyphenation_only_where_pyphen_has_the_language(language, hyphenates):
    assert (hyphenator(language) is not None) == hyphenates
    words = {"tr": "Komşularınızla", "pl": "Współpracownikami", "uk": "Співробітництво", "nl": "Samenwerkingsverband",
             "ar": "والمساعدة", "ti": "ምምሕዳርን", "vi": "Nguyễn"}
    word = words[language]
    block = set_text([[Run(f"{word} {word} {word}", REGULAR)]], 12.0, 70.0, language)
    broken = any(piece[1].endswith("-") for line in block.lines for piece in line.pieces)
    assert broken == hyphenates, [line.pieces for line in block.lines]


def test_a_right_to_left_guide_paragraph_is_shaped_right_aligned_and_splits_between_lines():
    from reportlab.pdfgen.canvas import Canvas

    from dialoogkit.generator.guide.styles import para, styles

    style = styles("en")["body"]
    text = " ".join([REFERENCE["text"]] * 4)
    paragraph = para(text, style)
    assert isinstance(paragraph, ScriptParagraph) and paragraph.direction == "rtl"
    assert not isinstance(para("Plain English text", style), ScriptParagraph)
    paragraph.canv = Canvas(io.BytesIO())
    width, height = paragraph.wrap(200.0, 1000.0)
    lines = len(paragraph.lines)
    assert lines > 4 and height == pytest.approx(lines * style.leading)
    head, tail = paragraph.split(200.0, 3.5 * style.leading)
    assert len(head.lines) == 3 and len(head.lines) + len(tail.lines) == lines
    assert all(line.width <= 200.0 for line in paragraph.lines)


def test_a_character_no_font_has_is_still_an_error_naming_field_and_character(tmp_path):
    import yaml

    from dialoogkit.errors import FitError

    data = yaml.safe_load((DECKS / "ar.yaml").read_text(encoding="utf-8"))
    data["lessons"][1]["explanation"] += " \U0001F600"
    deck = load_deck(write_deck(tmp_path / "emoji.yaml", data))
    with pytest.raises(FitError) as caught:
        plan_deck(deck, parse_card_format("a6"), parse_profile("standard"))
    (problem,) = caught.value.problems
    assert problem.field == "explanation" and "U+1F600" in problem.message
    assert problem.file == str(tmp_path / "emoji.yaml") and problem.line is not None
