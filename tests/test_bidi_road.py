"""The drawing never crashes on what check accepts, and right-to-left text is ordered by paragraph.

- ``scripts.bidi_levels`` gives one level per character for any text: characters of bidi class BN
  (U+200C, U+200D, U+FEFF, U+00AD, …) and explicit controls keep their place with the level of
  their neighbour, so a zero width non-joiner still stops Persian letters joining, exactly as
  HarfBuzz shapes the word with the same Noto font.
- The levels of a paragraph are resolved once over all its lines: a Latin credit that wraps inside
  Arabic keeps its brackets and commas on the right line; web and e-mail addresses, phone numbers
  and lesson numbers ("3 / 10") in right-to-left text read left to right.

Visual order is read from the shaped lines as they are drawn (``display.draw_line`` is recorded):
the runs left to right, the characters of a right-to-left run reversed. Test decks come from
tests/fixtures/scripts (fa.yaml: Persian with a zero width non-joiner in almost every sentence).
"""

from __future__ import annotations

import io
import random
import re
from functools import lru_cache
from pathlib import Path

import pytest
import uharfbuzz as hb
import yaml
from click.testing import CliRunner
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from dialoogkit.cards.loader import load_deck
from dialoogkit.cli import main
from dialoogkit.generator import display
from dialoogkit.generator.display import Face, render_face
from dialoogkit.generator.fonts import BOLD, REGULAR
from dialoogkit.generator.paragraphs import shape_block
from dialoogkit.generator.plan import DeckPlan, plan_deck
from dialoogkit.generator.scriptfonts import ARABIC, register_script_fonts
from dialoogkit.generator.scripts import bidi_levels, left_to_right_spans, visual_order
from dialoogkit.generator.shaping import ShapedLine, font_object, line_text, measure, shape_line
from dialoogkit.generator.textfit import Run, set_text
from dialoogkit.layouts.formats import parse_card_format
from dialoogkit.layouts.profiles import parse_profile

DECKS = Path(__file__).resolve().parent / "fixtures" / "scripts"
ZWNJ, ZWJ, SOFT_HYPHEN, BOM = "\u200c", "\u200d", "\u00ad", "\ufeff"
CREDIT = "هذا مبني على دراسة (Aedes, VNG, Valente 2024) عن العيش معا في الحي."


def visual(line: ShapedLine) -> str:
    """The characters of ``line`` in visual order, left to right."""
    return "".join(run.text[::-1] if run.rtl else run.text for run in sorted(line.runs, key=lambda run: run.x))


@lru_cache(maxsize=None)
def planned(path: Path) -> DeckPlan:
    return plan_deck(load_deck(path), parse_card_format("a6"), parse_profile("standard"))


def drawn_lines(face: Face, monkeypatch) -> list[ShapedLine]:
    """Every line the shaping engine draws for ``face``, in drawing order."""
    lines: list[ShapedLine] = []
    monkeypatch.setattr(display, "draw_line", lambda canvas, line, x, y: lines.append(line))
    render_face(Canvas(io.BytesIO()), face)
    return lines


def harfbuzz_glyphs(text: str, font_file: str) -> list[int]:
    """HarfBuzz's own glyphs (left to right) for ``text`` in a right-to-left buffer."""
    font = hb.Font(hb.Face(hb.Blob.from_file_path(font_file)))
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer)
    return [info.codepoint for info in buffer.glyph_infos]


def drawn_glyphs(run) -> list[int]:
    face = font_object(run.font).face
    return [face.charToGlyph[glyph.code] for glyph in run.glyphs]


# ---------------------------------------------------------------- one level per character, always

ALPHABET = ("ماهیکن", "שלום", "abc", "0123", "٠١٢", "۰۱۲", " .,:()/-+", ZWNJ + ZWJ + BOM + SOFT_HYPHEN + "\u2060\u200b",
            "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", "\u200e\u200f\u061c", "\u064e\u0301",
            "\ufffc\t\u2029", "\u0378")


@pytest.mark.parametrize("direction", ["ltr", "rtl"])
def test_every_text_gets_one_level_per_character(direction):
    pick = random.Random(9)
    for _ in range(400):
        text = "".join(pick.choice(pick.choice(ALPHABET)) for _ in range(pick.randint(0, 24)))
        levels = bidi_levels(text, direction)
        assert len(levels) == len(text) and all(level >= 0 for level in levels), repr(text)
        assert sorted(visual_order(levels)) == list(range(len(text)))


def test_a_removed_character_takes_the_level_of_the_one_before_it_else_after_it():
    assert bidi_levels(f"abc{ZWNJ}ما", "ltr") == [0, 0, 0, 0, 1, 1]
    assert bidi_levels(f"ما{ZWNJ}abc", "rtl") == [1, 1, 1, 2, 2, 2]
    assert bidi_levels(f"{BOM}ما", "ltr") == [1, 1, 1]
    assert bidi_levels(BOM + ZWJ, "rtl") == [1, 1]


@pytest.mark.parametrize("word", [f"می{ZWNJ}کنیم", f"همسایه{ZWNJ}ها", f"نمی{ZWNJ}ماند"])
@pytest.mark.parametrize("face", [REGULAR, BOLD])
def test_a_zero_width_non_joiner_is_shaped_inside_its_word_as_harfbuzz_shapes_it(word, face):
    (run,) = shape_line([(word, face)], 13.0, "rtl").runs
    assert run.text == word and run.rtl
    file = font_object(run.font).face.filename
    assert drawn_glyphs(run) == harfbuzz_glyphs(word, file)
    assert drawn_glyphs(run) != harfbuzz_glyphs(word.replace(ZWNJ, ""), file)[:len(run.glyphs)]  # not joined
    assert abs(measure(word, face, 13.0) - shape_line([(word, face)], 13.0, "rtl").width) < 1e-6


def test_persian_lines_break_at_spaces_never_at_a_non_joiner():
    deck = load_deck(DECKS / "fa.yaml").deck
    text = deck.lessons[0].explanation
    words = text.split(" ")
    block = set_text([[Run(text, REGULAR)]], 11.0, 90.0, "fa")
    assert len(block.lines) > 3
    assert [word for line in block.lines for _, word, _ in line.pieces] == words


# ---------------------------------------------------------------- the Persian deck on its cards

def test_the_persian_cards_shape_every_non_joiner_as_harfbuzz_does(monkeypatch):
    plan = planned(DECKS / "fa.yaml")
    deck = plan.deck
    compared = 0
    for front, back in plan.faces:
        for line in drawn_lines(front, monkeypatch) + drawn_lines(back, monkeypatch):
            for run in line.runs:
                if ZWNJ in run.text and run.rtl and font_object(run.font).face.filename.endswith(".ttf"):
                    assert drawn_glyphs(run) == harfbuzz_glyphs(run.text, font_object(run.font).face.filename), run.text
                    compared += 1
    assert compared >= 10
    lines = [line.text for line in drawn_lines(plan.faces[0][0], monkeypatch)]
    assert deck.lessons[0].statement in " ".join(lines)


def test_joiners_soft_hyphens_and_byte_order_marks_check_and_build(tmp_path):
    data = yaml.safe_load((DECKS / "fa.yaml").read_text(encoding="utf-8"))
    data["title"] = f"{BOM}گفتگوی{BOM} محله"
    lesson = data["lessons"][0]
    lesson["statement"] = f"ما با همسایه{ZWJ}ها صحبت{BOM} می{ZWNJ}کنیم"
    lesson["explanation"] = f"{lesson['explanation']} Buurt{SOFT_HYPHEN}bewoners{SOFT_HYPHEN}commissie helpt."
    lesson["questions"][0]["text"] = f"{BOM}چه چیزی را می{ZWNJ}خواهیم{SOFT_HYPHEN} تغییر دهیم؟"
    deck = tmp_path / "fa.yaml"
    deck.write_text(yaml.safe_dump(data, allow_unicode=True).replace("\\uFEFF", BOM), encoding="utf-8")
    assert deck.read_text(encoding="utf-8").count(BOM) == 4  # as typed, not escaped
    runner = CliRunner()
    checked = runner.invoke(main, ["check", str(deck)])
    assert checked.exit_code == 0, checked.output
    built = runner.invoke(main, ["build", str(deck), "--only", "cards", "-q", "-o", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output
    reader = PdfReader(tmp_path / "out" / "script-fa" / "cards-printshop.pdf")
    text = "".join(page.extract_text() for page in reader.pages)
    assert BOM not in text and "گفتگوی محله" in text
    assert re.sub(r"\s", "", f"همسایه{ZWJ}ها") in re.sub(r"\s", "", text)


# ---------------------------------------------------------------- right to left by paragraph

def credit_lines(width_words: int):
    """The credit paragraph wrapped so that its first line ends after ``width_words`` words."""
    head = " ".join(CREDIT.split(" ")[:width_words])
    width = measure(head, REGULAR, 10.0) + 1.0
    block = set_text([[Run(CREDIT, REGULAR)]], 10.0, width, "ar")
    assert " ".join(word for _, word, _ in block.lines[0].pieces) == head
    return block


def test_a_latin_credit_wrapping_inside_arabic_keeps_brackets_and_commas_on_their_lines():
    block = credit_lines(5)  # "هذا مبني على دراسة (Aedes," | "VNG, Valente 2024) عن العيش …"
    first, second = (visual(line) for line in shape_block(block.lines[:2], 10.0, "rtl"))
    assert first.startswith("Aedes,(")  # the comma right of Aedes, the (mirrored) bracket right of it
    assert "VNG, Valente 2024" in second and second.endswith(")VNG, Valente 2024")
    alone = visual(shape_line([(w, f) for _, w, f in block.lines[0].pieces], 10.0, "rtl"))
    assert alone.startswith(",Aedes(")  # what the line gave when ordered on its own


@pytest.mark.parametrize("words", [5, 6, 7, 8])
def test_latin_and_digits_in_arabic_keep_their_order_wherever_the_credit_wraps(words):
    block = credit_lines(words)
    shown = [visual(line) for line in shape_block(block.lines, 10.0, "rtl")]
    latin = re.findall(r"[A-Za-z0-9][A-Za-z0-9, ]*[A-Za-z0-9,]", "\n".join(shown))
    assert " ".join(latin).replace(", ", ",").replace(",", ", ") == "Aedes, VNG, Valente 2024"


def test_paragraphs_and_newlines_end_the_reach_of_the_levels():
    block = set_text([[Run("نص عربي\nAedes, VNG", REGULAR)], [Run("(2024) شكرا", REGULAR)]], 10.0, 500.0, "ar")
    assert [line.ends_paragraph for line in block.lines] == [True, True, True]
    shown = [visual(line) for line in shape_block(block.lines, 10.0, "rtl")]
    assert shown[1] == "Aedes, VNG"
    assert shown[2] == "اركش )2024("  # "(2024)" read first, at the right: not "VNG (2024)" run on


def test_phone_numbers_addresses_and_lesson_numbers_read_left_to_right_in_hebrew_and_arabic():
    for text, expected in (
            ("התקשרו 030 123 45 67 או כתבו info@example.org היום", ("030 123 45 67", "info@example.org")),
            ("زوروا www.example.org/ar/1. أو اتصلوا +31 (0)30 123 45 67", ("www.example.org/ar/1", "+31 (0)30 123 45 67")),
            ("الدرس 3 / 10", ("3 / 10",)),
            ("الهاتف ٠٣٠ ١٢٣ ٤٥ ٦٧ والهاتف ۰۲۱ ۱۲۳۴ ۵۶۷۸", ("٠٣٠ ١٢٣ ٤٥ ٦٧", "۰۲۱ ۱۲۳۴ ۵۶۷۸"))):
        shown = visual(shape_line([(text, REGULAR)], 10.0, "rtl"))
        for span in expected:
            assert span in shown, (text, shown)


def test_years_and_plain_numbers_after_latin_words_are_not_isolated():
    assert left_to_right_spans("(Aedes, VNG, Valente 2020-2024) و 12 مارس") == []
    assert [CREDIT[s.start:s.end] for s in left_to_right_spans(CREDIT)] == []


def test_an_arabic_contact_card_prints_the_phone_number_left_to_right(tmp_path, monkeypatch):
    text = (DECKS / "ar.yaml").read_text(encoding="utf-8").replace("phone: 020 123 4567", "phone: 030 123 45 67")
    deck = tmp_path / "ar.yaml"
    deck.write_text(text, encoding="utf-8")
    plan = planned(deck)
    front, _ = plan.faces[-1]
    shown = [visual(line) for line in drawn_lines(front, monkeypatch)]
    assert "030 123 45 67" in shown, shown
    lesson_front, _ = plan.faces[0]
    assert "1 / 2" in [visual(line) for line in drawn_lines(lesson_front, monkeypatch)]
    persian = planned(DECKS / "fa.yaml").faces[-1][0]
    assert "۰۲۱ ۱۲۳۴ ۵۶۷۸" in [visual(line) for line in drawn_lines(persian, monkeypatch)]


def test_the_phone_number_extracts_in_its_order_from_the_arabic_contact_card(tmp_path):
    text = (DECKS / "ar.yaml").read_text(encoding="utf-8").replace("phone: 020 123 4567", "phone: 030 123 45 67")
    deck = tmp_path / "ar.yaml"
    deck.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(deck), "--only", "cards", "-q", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    reader = PdfReader(tmp_path / "out" / "script-ar" / "cards-printshop.pdf")
    assert "030 123 45 67" in reader.pages[-2].extract_text()


def test_a_left_to_right_paragraph_isolates_nothing_and_latin_lines_shape_as_before():
    register_script_fonts()
    assert bidi_levels("Bel 030 123 45 67 of mail info@example.org", "ltr") == [0] * 42
    pieces = [("Gemengd", REGULAR), ("wonen", REGULAR)]
    assert line_text(pieces)[0] == "Gemengd wonen"
    whole = shape_line(pieces, 10.0, "ltr")
    sliced = shape_block([type("L", (), {"pieces": ((0.0, "Gemengd", REGULAR), (0.0, "wonen", REGULAR)),
                                         "ends_paragraph": True})()], 10.0, "ltr")[0]
    assert whole == sliced and all(run.font != ARABIC for run in whole.runs)


def test_a_guide_paragraph_split_over_pages_keeps_the_order_of_the_whole_paragraph(monkeypatch):
    from dialoogkit.generator.guide import scriptpara
    from dialoogkit.generator.guide.styles import para, styles

    style = styles("en")["body"]
    paragraph = para(CREDIT, style)
    assert isinstance(paragraph, scriptpara.ScriptParagraph)

    def drawn(part) -> list[str]:
        lines: list[ShapedLine] = []
        monkeypatch.setattr(scriptpara, "draw_line", lambda canvas, line, x, y: lines.append(line))
        part.canv = Canvas(io.BytesIO())
        part.wrap(120.0, 1000.0)
        part.draw()
        return [visual(line) for line in lines]

    whole = drawn(paragraph)
    assert len(whole) == 3 and whole[0].startswith("Aedes,(")
    head, tail = paragraph.split(120.0, 1.5 * style.leading)  # the first line on one page, the rest on the next
    assert len(head.lines) == 1 and drawn(head) + drawn(tail) == whole


def test_the_whole_persian_kit_builds_with_its_canvases_and_guide(tmp_path):
    result = CliRunner().invoke(main, ["build", str(DECKS / "fa.yaml"), "-o", str(tmp_path), "-q", "--no-png"])
    assert result.exit_code == 0, result.output
    kit = tmp_path / "script-fa"
    canvases = "".join(page.extract_text() for page in PdfReader(kit / "canvases.pdf").pages)
    assert re.sub(r"\s", "", load_deck(DECKS / "fa.yaml").deck.lessons[0].statement) in re.sub(r"\s", "", canvases)
    assert (kit / "guide.pdf").stat().st_size > 0
