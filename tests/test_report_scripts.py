"""The report prints what the cards print: a results file in Arabic, Persian, Tigrinya, Ukrainian
or Turkish gives a report, letters and an action list holding those texts (set in the cards'
fonts, shaped and in bidi order, extractable in logical order), and the results file's glyph check
is the decks' own check: only what no bundled font has (emoji, private use) is refused."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from reportlab.pdfgen.canvas import Canvas

from dialoogkit.cards.results.load import load_results, load_results_text
from dialoogkit.cli import main
from dialoogkit.generator.fonts import REGULAR
from dialoogkit.generator.guide.styles import styles
from dialoogkit.generator.guide.scriptpara import ScriptParagraph
from dialoogkit.generator.guide.styles import para
from dialoogkit.generator.scripts import bidi_levels
from dialoogkit.generator.shaping import shape_line
from dialoogkit.generator.report.words import find_glyph_problems

FIXTURES = Path(__file__).parent / "fixtures" / "results"
MULTI = FIXTURES / "meertalig-resultaten.yaml"
FOLDER = "na-de-sessie"
ZWNJ = "\u200c"


def normalised(text: str) -> str:
    """NFC, a hyphen the layout put at a line end taken out, white space as single spaces."""
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", unicodedata.normalize("NFC", text))
    return " ".join(text.split())


def pdf_text(path: Path) -> str:
    return " ".join(normalised(page.extract_text()) for page in pypdf.PdfReader(path).pages)


def run_report(path: Path, out: Path):
    return CliRunner().invoke(main, ["report", str(path), "-o", str(out)])


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scripts") / "out"
    result = run_report(MULTI, out)
    assert result.exit_code == 0, result.output
    return out / "standaard" / FOLDER


def test_every_text_of_every_script_is_in_the_report_in_logical_order(kit):
    results = load_results(MULTI).results
    texts = [note for lesson in results.lessons for note in lesson.recognised]
    texts += [item.what for _, item in results.agreements()]
    texts += [point.point for lesson in results.lessons for point in lesson.higher]
    assert any(ZWNJ in text for text in texts)  # the Persian is written as Persian writes it
    report = pdf_text(kit / "verslag.pdf")
    for text in texts:
        assert normalised(text) in report, text
    positions = [report.index(normalised(item.what)) for _, item in results.agreements()]
    assert positions == sorted(positions)  # the agreements table in the order of the file


def test_each_arabic_word_is_extracted_whole(kit):
    words = set(re.split(r"[\s•]+", pdf_text(kit / "verslag.pdf")))  # a bullet stands right before a word
    for text in ("سنزور كل ساكن جديد في الأسبوع الأول", "نحن نعرف بعضنا البعض منذ سنوات"):
        assert set(text.split()) <= words


def test_letters_to_addressees_in_any_script(kit):
    names = sorted(p.name for p in kit.glob("brief-*.pdf"))
    assert names == ["brief-2.pdf", "brief-3.pdf", "brief-gemeente.pdf"]  # file names stay ASCII
    persian = pdf_text(kit / "brief-2.pdf")
    assert "Aan اداره‌ی مسکن" in persian and "می‌خواهیم اتاق همسایگی باز بماند" in persian
    assert persian.count("اداره‌ی مسکن") >= 2  # the footer names the addressee too
    ukrainian = pdf_text(kit / "brief-3.pdf")
    assert "Aan Міська рада" in ukrainian
    assert "Просимо про кімнату для зустрічей у кожному новому будинку" in ukrainian
    for name in names:
        assert len(pypdf.PdfReader(kit / name).pages) == 1


def test_the_action_list_keeps_every_text_as_written(kit):
    whats = [item.what for _, item in load_results(MULTI).results.agreements()]
    sheet = load_workbook(kit / "acties.xlsx").active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == whats
    rows = list(csv.reader(io.StringIO((kit / "acties.csv").read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert [row[1] for row in rows[1:]] == whats


def test_the_scripts_the_cards_print_pass_the_glyph_check():
    text = MULTI.read_text(encoding="utf-8").replace(
        "Yeni gelen komşular nereye başvuracaklarını bilmiyor.",
        "Yeni gelen komşular bilmiyor. שכנים חדשים. Νέοι γείτονες. ĞğİıŞş.")
    assert find_glyph_problems(load_results_text(text, "s.yaml")) == []


@pytest.mark.parametrize("sign, code", [("😀", "U+1F600"), ("\ue000", "U+E000")])
def test_what_no_font_has_is_refused_naming_file_line_and_field(tmp_path, sign, code):
    text = MULTI.read_text(encoding="utf-8")
    sentence = "Кожен новий мешканець отримує вітальний візит"
    path = tmp_path / "sessie.yaml"
    path.write_text(text.replace(sentence, f"Кожен новий мешканець {sign} отримує вітальний візит"), encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if sentence in row)
    result = run_report(path, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert f"sessie.yaml:{line}: lesson 'actieve-bewoners', field 'agreements[2].what'" in result.output
    assert code in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out" / "standaard" / FOLDER).exists()


def test_a_stray_byte_order_mark_in_an_agreement_does_not_stop_the_report(tmp_path):
    text = MULTI.read_text(encoding="utf-8").replace("hoş geldin", "hoş\ufeff geldin").replace(
        "Кожен новий", "Кожен\ufeff новий")
    path = tmp_path / "sessie.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_report(path, tmp_path / "out")
    assert result.exit_code == 0, result.output
    report = pdf_text(tmp_path / "out" / "standaard" / FOLDER / "verslag.pdf").replace("\ufeff", "")
    assert "İlk hafta her yeni komşuya hoş geldin ziyareti yapılır" in report
    assert "Кожен новий мешканець отримує вітальний візит" in report


@pytest.mark.parametrize("text, direction", [
    ("می‌خواهیم", "rtl"), ("\ufeff", "ltr"), ("\ufeff", "rtl"), ("a\ufeffb", "ltr"), (ZWNJ + "سلام", "rtl"),
    ("Een\u00adlijst \u2060maken\u200d", "ltr"), ("\u200b\u200c", "rtl"), ("", "ltr")])
def test_every_character_has_a_level_and_is_shaped(text, direction):
    levels = bidi_levels(text, direction)
    assert len(levels) == len(text)
    line = shape_line([(text, REGULAR)], 10.0, direction)
    assert "".join(run.text for run in sorted(line.runs, key=lambda run: run.start)) == text
    if ZWNJ in text and "خ" in text:
        assert levels[text.index(ZWNJ)] == 1  # the non-joiner stays in its Persian run


def test_a_paragraph_of_only_invisible_characters_draws(tmp_path):
    style = styles("nl")["body"]
    for text in ("\ufeff", ZWNJ, "می‌خواهیم\ufeff"):
        paragraph = para(text, style)
        assert isinstance(paragraph, ScriptParagraph)
        canvas = Canvas(str(tmp_path / "p.pdf"))
        paragraph.wrapOn(canvas, 200, 200)
        paragraph.drawOn(canvas, 50, 500)
        canvas.save()


def test_the_report_in_every_script_embeds_its_fonts_and_is_the_same_bytes_twice(kit):
    from dialoogkit.output.report import render_report

    first, second = render_report(load_results(MULTI)), render_report(load_results(MULTI))
    assert first == second
    fonts = set()
    for page in pypdf.PdfReader(kit / "verslag.pdf").pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant["/FontDescriptor"].get_object()
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert {"NotoSansArabic-Regular", "NotoSansEthiopic-Regular", "SourceSansPro-Regular"} <= fonts
