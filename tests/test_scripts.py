"""The script engine: fonts per script, bidi order, HarfBuzz shaping, drawing and extraction.

Texts come from tests/fixtures/scripts/texts.yaml (short sentences written for these tests). Text
is extracted with pypdf, as in the other PDF tests: it reads the glyphs in content-stream order
through each font's ToUnicode map.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import uharfbuzz as hb
import yaml
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.pdfgen.canvas import Canvas

from dialoogkit.generator.fonts import BOLD, ITALIC, REGULAR, SEMIBOLD
from dialoogkit.generator.scriptfonts import (ARABIC, ARABIC_BOLD, ETHIOPIC, HEBREW, NOTO_ITALIC, font_folder,
                                              register_script_fonts)
from dialoogkit.generator.scripts import (bidi_levels, can_hyphenate, fonts_each, fonts_of, hyphenation_language, is_rtl,
                                          missing_glyphs, script_of, segment, visual_order)
from dialoogkit.generator.shaping import break_words, draw_line, font_object, measure, shape_line

HERE = Path(__file__).parent
TEXTS = yaml.safe_load((HERE / "fixtures" / "scripts" / "texts.yaml").read_text(encoding="utf-8"))
REFERENCE = json.loads((HERE / "reference" / "arabic_lines.json").read_text(encoding="utf-8"))
PAGE = (420.0, 595.0)
WIDTH = 200.0


def squeezed(text: str) -> str:
    """Without white space: an extractor decides itself where gaps between runs are spaces."""
    return re.sub(r"\s+", "", text)


def draw_texts(path: Path, texts: list[str], direction: str, face: str = REGULAR, size: float = 13.0) -> list[str]:
    """One page with every text wrapped to WIDTH, right-aligned in a right-to-left paragraph;
    returns the lines drawn (logical order)."""
    canvas = Canvas(str(path), pagesize=PAGE)
    y, drawn = PAGE[1] - 40, []
    for text in texts:
        for line_text in break_words(text, face, size, WIDTH):
            line = shape_line([(line_text, face)], size, direction)
            assert line.width <= WIDTH + 1e-6
            x = 40 + (WIDTH - line.width if direction == "rtl" else 0.0)
            draw_line(canvas, line, x, y)
            drawn.append(line_text)
            y -= size * 1.3
        y -= size
    canvas.showPage()
    canvas.save()
    return drawn


def shown_fonts(reader: PdfReader) -> dict[str, dict]:
    """The fonts that text-showing operators of page 1 use, by resource name."""
    page = reader.pages[0]
    resources = page["/Resources"]["/Font"]
    used, current = {}, None
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"Tf":
            current = str(operands[0])
        elif operator in (b"Tj", b"TJ", b"'", b'"'):
            used[current] = resources[current].get_object()
    return used


# ---------------------------------------------------------------- segmentation and font choice

def test_scripts_of_characters():
    assert [script_of(c) for c in "aЖωبשሰ"] == ["Latn", "Cyrl", "Grek", "Arab", "Hebr", "Ethi"]
    assert script_of(" ") == script_of("7") == script_of(",") == "Zyyy"
    assert script_of("\u064e") == "Zinh"  # fatha, a combining mark


def test_a_dutch_text_quoting_arabic_gets_a_font_per_run():
    runs = segment("Wij zeggen «أهلا وسهلا» tegen iedereen", REGULAR)
    merged: list[list[str]] = []  # neighbouring runs of one font (spaces and words are runs of their own)
    for run in runs:
        if merged and merged[-1][0] == run.font_key:
            merged[-1][1] += run.text
        else:
            merged.append([run.font_key, run.text])
    fonts = {text.strip(): font for font, text in merged if text.strip()}
    assert fonts["Wij zeggen"] == REGULAR
    assert fonts["«أهلا"] == ARABIC and fonts["وسهلا»"] == ARABIC  # guillemets join their Arabic words
    assert fonts["tegen iedereen"] == REGULAR
    assert {run.direction for run in runs if run.font_key == ARABIC} == {"rtl"}


@pytest.mark.parametrize("face, arabic", [(REGULAR, ARABIC), (SEMIBOLD, ARABIC_BOLD), (BOLD, ARABIC_BOLD),
                                          (ITALIC, ARABIC)])
def test_each_face_keeps_its_weight_in_arabic(face, arabic):
    assert [run.font_key for run in segment("سلام", face)] == [arabic]


def test_latin_cyrillic_and_vietnamese_stay_in_source_sans_pro():
    for language in ("uk", "tr", "pl", "vi"):
        for text in TEXTS[language]["texts"]:
            assert {run.font_key for run in segment(text, REGULAR)} == {REGULAR}, text


def test_fonts_for_ethiopic_hebrew_and_italic_cyrillic():
    assert {run.font_key for run in segment("ሰላም ንኹሉ", REGULAR) if run.text.strip()} == {ETHIOPIC}
    assert {run.font_key for run in segment("שלום", REGULAR)} == {HEBREW}
    assert {run.font_key for run in segment("Привіт", ITALIC)} == {NOTO_ITALIC}  # Source Sans Italic lacks it


def test_a_number_inside_arabic_runs_left_to_right():
    text = "نلتقي يوم 12 مارس"
    levels = bidi_levels(text, "rtl")
    assert levels[text.index("12")] == 2 and levels[0] == 1
    line = shape_line([(text, REGULAR)], 12.0, "rtl")
    visual = [run.text for run in line.runs if run.text.strip()]
    assert visual == ["مارس", "12", "يوم", "نلتقي"]  # left to right on the page
    assert visual_order([0, 1, 1, 0]) == [0, 2, 1, 3]


# ---------------------------------------------------------------- widths

@pytest.mark.parametrize("language", sorted(TEXTS))
def test_a_line_is_as_wide_as_its_words_and_spaces(language):
    for text in TEXTS[language]["texts"]:
        for face in (REGULAR, BOLD):
            words = text.split()
            expected = sum(measure(w, face, 11.0) for w in words) + (len(words) - 1) * measure(" ", face, 11.0)
            line = shape_line([(text, face)], 11.0, TEXTS[language]["direction"])
            assert line.width == pytest.approx(expected, abs=1e-6), text
            assert sum(run.width for run in line.runs) == pytest.approx(line.width)


def test_arabic_is_measured_from_joined_letters():
    register_script_fonts()
    word = "المساعدة"
    face = font_object(ARABIC).face
    isolated = sum(face.getCharWidth(ord(ch)) for ch in word) * 10.0 / 1000.0
    assert measure(word, REGULAR, 10.0) < isolated - 1.0  # joined forms are narrower


# ---------------------------------------------------------------- drawing and extraction

@pytest.mark.parametrize("language", sorted(TEXTS))
def test_extracted_text_equals_the_logical_text_and_fonts_are_embedded(tmp_path, language):
    spec = TEXTS[language]
    pdf = tmp_path / f"{language}.pdf"
    lines = draw_texts(pdf, spec["texts"], spec["direction"])
    reader = PdfReader(pdf)
    extracted = reader.pages[0].extract_text()
    assert squeezed(extracted) == squeezed("".join(lines))
    assert squeezed(extracted) == squeezed("".join(spec["texts"]))
    assert not re.search("[\ue000-\uf8ff\U000f0000-\U000ffffd]", extracted)  # no private codes leak out
    used = shown_fonts(reader)
    assert used
    for name, font in used.items():
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, (name, font["/BaseFont"])
        assert "/ToUnicode" in font


def test_bold_arabic_extracts_too(tmp_path):
    pdf = tmp_path / "bold.pdf"
    draw_texts(pdf, TEXTS["ar"]["texts"], "rtl", BOLD)
    assert squeezed(PdfReader(pdf).pages[0].extract_text()) == squeezed("".join(TEXTS["ar"]["texts"]))
    bases = {str(f["/BaseFont"]).split("+")[-1] for f in shown_fonts(PdfReader(pdf)).values()}
    assert "NotoSansArabic-Bold" in bases


def test_arabic_lines_and_glyph_order_equal_the_harfbuzz_reference():
    face = REGULAR
    assert REFERENCE["font"] == "NotoSansArabic-Regular.ttf"
    lines = break_words(REFERENCE["text"], face, REFERENCE["size"], REFERENCE["width"])
    assert lines == [line["text"] for line in REFERENCE["lines"]]
    names = hb.Font(hb.Face(hb.Blob.from_file_path(str(font_folder() / REFERENCE["font"]))))
    for line, expected in zip(lines, REFERENCE["lines"]):
        shaped = shape_line([(line, face)], REFERENCE["size"], "rtl")
        glyphs = []
        for run in shaped.runs:  # left to right
            if run.font != ARABIC:
                assert not run.text.strip(), run.text  # only the spaces are in Source Sans Pro
                continue
            cmap = font_object(run.font).face.charToGlyph
            glyphs += [names.glyph_to_string(cmap[g.code]) for g in run.glyphs]
        assert [g for g in glyphs if g != "space"] == expected["glyphs"], line


def test_arabic_letters_are_drawn_in_their_joined_forms():
    register_script_fonts()
    line = shape_line([("بيت", REGULAR)], 12.0, "rtl")
    (run,) = line.runs
    font = font_object(run.font)
    drawn = [font.face.charToGlyph[g.code] for g in run.glyphs]
    nominal = [font.face.charToGlyph[ord(ch)] for ch in reversed("بيت")]
    assert drawn != nominal and len(drawn) == 3


# ---------------------------------------------------------------- missing glyphs, hyphenation, direction

def test_a_character_no_font_has_is_named():
    text = "Buurt \ue000 huis \u0378 en 😀 سلام"
    assert missing_glyphs(text, REGULAR) == ["\ue000", "\u0378", "😀"]
    assert missing_glyphs("".join(t for spec in TEXTS.values() for t in spec["texts"]), BOLD) == []


def test_hyphenation_only_where_pyphen_has_the_language():
    assert can_hyphenate("nl") and can_hyphenate("en") and can_hyphenate("pl") and can_hyphenate("uk")
    assert not can_hyphenate("ar") and not can_hyphenate("ti") and not can_hyphenate("tr")
    assert not can_hyphenate("vi")
    assert hyphenation_language("nl") == "nl_NL"


def test_right_to_left_languages():
    assert is_rtl("ar") and is_rtl("he") and is_rtl("fa-AF")
    assert not is_rtl("nl") and not is_rtl("ti") and not is_rtl("uk")


def test_latin_text_measures_exactly_as_before():
    from dialoogkit.generator.fonts import text_width

    for text in ("Gespreksvragen: wat doen we (samen)?", "Hoger niveau — 12 mei", TEXTS["pl"]["texts"][0]):
        for face in (REGULAR, SEMIBOLD, BOLD, ITALIC):
            assert measure(text, face, 9.5) == text_width(text, face, 1.0) * 9.5


def test_the_fast_way_agrees_with_the_rule_for_every_character():
    """A text of plain characters skips the per-character rule; on mixed, spaced, marked,
    unknown and unassigned characters in every face both ways give the same fonts, the same
    missing characters, and the same answer to whether the shaping engine is needed."""
    import random

    from dialoogkit.generator.scriptfonts import FACES, chain, has_glyph, register_script_fonts
    from dialoogkit.generator.shaping import needs_engine

    register_script_fonts()
    pool = [chr(code) for code in [*range(0x20, 0x250), *range(0x370, 0x530), *range(0x590, 0x700),
                                   *range(0x1200, 0x1260), 0x200C, 0x200D, 0xAD, 0x301, 0x2014, 0x20AC,
                                   0x1F600, 0xE000, 0x3000, 0xA0, 0x85, 0x2028, 0x0A]]
    rng = random.Random(22)
    texts = ["Samen wonen in de wijk", "Ґрунт і «воля» — 3/4", "Αθήνα 2026", "gemengd\nwonen", "", "\u3000",
             "\x85R", "العربية"] + ["".join(rng.choice(pool) for _ in range(rng.randint(1, 12))) for _ in range(4000)]
    for face in FACES:
        for text in texts:
            assert fonts_of(text, face) == fonts_each(text, face), (text, face)
            expected = [ch for ch in dict.fromkeys(text) if ch != "\n"
                        and not any(has_glyph(font, ch) for font in chain(face))]
            assert missing_glyphs(text, face) == expected, (text, face)
            engine = any(font != face for font in fonts_each(text, face)) or any(
                script_of(ch) in ("Arab", "Hebr") for ch in text)
            assert needs_engine(text, face) == engine, (text, face)
