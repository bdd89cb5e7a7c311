"""The guide matches the kit: its printing page follows the options the kit was built with, in
words (never a command-line option); no page is blank or mostly empty; the card thumbnails say
where the QR code is instead of showing a grey box.

How the pages are measured (from the PDF, never from the layout code):
- blank: the page's text extracted with pypdf, without the footer line (deck title and page
  number), is empty.
- mostly empty: the lowest text on the page (pypdfium2's text rectangles, the footer left out)
  lies in the top 40% of the frame the story flows in (A4 minus 20 mm margins and the footer), so
  more than 60% of the frame's height stays empty. Allowed only where the layout breaks the page on
  purpose: on the last page of a chapter (the next page starts a chapter listed in the contents;
  chapters begin on a fresh page) and on the guide's last page.
The bundled decks are built in Dutch and English with each duplex mode, paper A4/Letter/A3 and
card formats A6 and poker.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from click.testing import CliRunner

from dialoogkit.cards import guide_texts
from dialoogkit.cards.guide_texts import load_guide_texts
from dialoogkit.cards.labels import load_labels
from dialoogkit.cards.loader import load_deck
from dialoogkit.cli import main
from dialoogkit.errors import ContentError
from dialoogkit.generator.guide.printing import PrintFacts, count_cards, default_print_facts, plan_print_facts
from dialoogkit.generator.guide.story import build_story, check_guide
from dialoogkit.generator.plan import plan_deck
from dialoogkit.layouts.guidepage import FOOTER, MARGIN, PAGE_HEIGHT
from dialoogkit.layouts.imposition import plan_sheet
from dialoogkit.layouts.units import mm
from dialoogkit.output.build import BuildOptions, build_kit
from dialoogkit.output.document import DocumentInfo
from dialoogkit.output.guide import render_guide
from dialoogkit.output.options import check_options
from dialoogkit.output.render import Job, render_guide_part

DECKS = {"nl": "standaard", "en": "standard-en"}
DUPLEX_WORDS = {("nl", "long-edge"): "Omslaan via de lange zijde", ("nl", "short-edge"): "Omslaan via de korte zijde",
                ("en", "long-edge"): "Flip on long edge", ("en", "short-edge"): "Flip on short edge",
                ("nl", "none"): "niet dubbelzijdig print", ("en", "none"): "does not print double-sided"}
FRAME_TOP = PAGE_HEIGHT - MARGIN
FRAME_BOTTOM = MARGIN + FOOTER
MOSTLY_EMPTY = 0.4
OPTION_WORDS = ("--", "long-edge", "short-edge", "back-offset", "canvas-size", "large-print", "dialoogkit calibrate")


def no_options(text: str) -> str | None:
    """The first command-line option (or option value) the text names, if any."""
    return next((word for word in OPTION_WORDS if word in text), None)


def flat(text: str) -> str:
    return re.sub(r"[\s\-\u00ad]+", "", text)


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text without the footer line."""
    texts = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        lines = page.extract_text().splitlines()
        texts.append("\n".join(line for line in lines if not re.search(r"(Handleiding voor begeleiders|"
                                                                       r"Facilitator guide)$|^(Pagina|Page) \d+$", line)))
    return texts


def lowest_text(pdf: bytes) -> list[float | None]:
    """Per page, the bottom of the lowest text above the footer (points from the page's foot)."""
    doc = pdfium.PdfDocument(pdf)
    lows: list[float | None] = []
    try:
        for page in doc:
            textpage = page.get_textpage()
            bottoms = [textpage.get_rect(i)[1] for i in range(textpage.count_rects())]
            bottoms = [b for b in bottoms if b >= FRAME_BOTTOM - 2]
            lows.append(min(bottoms) if bottoms else None)
    finally:
        doc.close()
    return lows


def chapter_starts(contents: str) -> set[int]:
    """1-based page numbers that start a chapter listed in the contents (the number ends its line)."""
    return {int(m.group(1)) for m in re.finditer(r"(\d+)\s*$", contents, re.M)}


def check_pages(pdf: bytes, label: str) -> None:
    """No blank page; no mostly empty page except a chapter's last page and the guide's last."""
    texts = page_texts(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    contents = reader.pages[1].extract_text(extraction_mode="layout")
    starts = chapter_starts(contents)
    assert len(starts) >= 10, (label, contents)
    for number, text in enumerate(texts, 1):
        assert text.strip(), f"{label}: page {number} is blank"
    for number, low in enumerate(lowest_text(pdf), 1):
        assert low is not None, f"{label}: page {number} has no text above the footer"
        fill = (FRAME_TOP - low) / (FRAME_TOP - FRAME_BOTTOM)
        allowed = number == len(texts) or number + 1 in starts
        assert fill >= MOSTLY_EMPTY or allowed, \
            f"{label}: page {number} is mostly empty: its text ends {fill:.0%} down the frame"


# ---------------------------------------------------------------- builds

@pytest.fixture(scope="module")
def plans() -> dict:
    """Card plans per (language, format), made once."""
    made = {}
    for language, deck in DECKS.items():
        loaded = load_deck(deck)
        for fmt in ("a6", "poker"):
            settings = check_options(BuildOptions(card_format=fmt))
            made[language, fmt] = (loaded, plan_deck(loaded, settings.card_format, settings.profile))
    return made


def guide_for(plans: dict, language: str, **options) -> bytes:
    """``guide.pdf`` as the build makes it (``render_guide_part``) with these options."""
    build = BuildOptions(**options)
    loaded, plan = plans[language, build.card_format]
    stored: dict[str, bytes] = {}
    job = Job(loaded, check_options(build), build, lambda name, data: stored.__setitem__(name, data), lambda n: None,
              cards=plan)
    render_guide_part(job)
    return stored["guide.pdf"]


def guide_with(deck: str, facts: PrintFacts) -> str:
    """The whole text of a guide (without thumbnails) made with ``facts``."""
    loaded = load_deck(deck)
    labels = load_labels(loaded.deck.language)
    story = build_story(loaded, load_guide_texts(loaded), None, 14 * 60, labels, facts)
    pdf = render_guide(story, DocumentInfo("t", "a", "s", loaded.deck.language), "footer", labels["page"])
    return " ".join(page_texts(pdf))


# ---------------------------------------------------------------- the printing page

@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_guide_built_with_short_edge_says_short_edge_without_flags(tmp_path, language):
    deck = DECKS[language]
    result = CliRunner().invoke(main, ["build", deck, "--only", "guide", "--duplex", "short-edge", "-q",
                                       "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    pdf = (tmp_path / load_deck(deck).deck.id / "guide.pdf").read_bytes()
    whole = " ".join(page_texts(pdf))
    assert DUPLEX_WORDS[language, "short-edge"] in whole
    assert DUPLEX_WORDS[language, "long-edge"] not in whole
    assert no_options(whole) is None, no_options(whole)
    assert "calibrate.pdf" in whole


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("fmt", ["a6", "poker"])
def test_printing_page_follows_every_duplex_mode_paper_and_format(plans, language, fmt):
    """Also measures every page: none blank, none mostly empty (see the module docstring)."""
    labels = load_labels(language)
    loaded, plan = plans[language, fmt]
    for paper in ("a4", "letter", "a3"):
        for duplex in ("long-edge", "short-edge", "none"):
            label = f"{language} {fmt} {paper} {duplex}"
            pdf = guide_for(plans, language, card_format=fmt, paper=paper, duplex=duplex)
            check_pages(pdf, label)
            texts = page_texts(pdf)
            whole = " ".join(texts)
            printing = [t for t in texts if t.strip().startswith(labels["printing_title"])]
            assert len(printing) == 1, label
            page = printing[0]
            settings = check_options(BuildOptions(card_format=fmt, paper=paper))
            sheet = plan_sheet(plan.geometry.width, plan.geometry.height, mm(settings.paper.width_mm),
                               mm(settings.paper.height_mm))
            fronts = -(-len(plan.printed_faces) // sheet.per_sheet)
            sheets = fronts if duplex != "none" else 2 * fronts  # without duplex, backs on sheets of their own
            per_sheet = f"{sheet.per_sheet} {labels['card_one' if sheet.per_sheet == 1 else 'card_many']}"
            sheet_count = f"{sheets} {labels['sheet_one' if sheets == 1 else 'sheet_many']}"
            paper_name = {"a4": "A4", "letter": "Letter", "a3": "A3"}[paper]
            for fact in (paper_name, per_sheet, sheet_count, DUPLEX_WORDS[language, duplex]):
                assert flat(fact) in flat(page), (label, fact)
            for other in ("long-edge", "short-edge", "none"):
                if other != duplex:
                    assert flat(DUPLEX_WORDS[language, other]) not in flat(page), (label, other)
            if duplex == "none":
                backs = f"{labels['pdf_page_many']} {fronts + 1}–{2 * fronts}" if fronts > 1 else \
                    f"{labels['pdf_page_one']} 2"
                assert flat(backs) in flat(page), label
            assert no_options(whole) is None, (label, no_options(whole))
            lesson_pages = [t for t in texts if re.match(rf"{labels['lesson']} \d+:", t.strip())]
            assert len(lesson_pages) >= len(loaded.deck.lessons), label
            for number in range(1, len(loaded.deck.lessons) + 1):
                first = next(t for t in texts if t.strip().startswith(f"{labels['lesson']} {number}:"))
                assert flat(labels["thumbnail_qr"]) in flat(first), (label, number)


def test_the_printing_page_names_bleed_canvas_offset_and_gutter():
    deck = load_deck("standaard").deck
    facts = default_print_facts(deck)
    plain = guide_with("standaard", facts)
    # 11 cards: the opening card and ten lessons
    for fact in ("Een vel A4 biedt ruimte aan 2 kaarten", "6 vellen", "3 mm afloop", "A3 liggend (420 × 297 mm)",
                 "Omslaan via de lange zijde"):
        assert flat(fact) in flat(plain), fact
    assert "mm ruimte" not in plain and "in de breedte" not in plain
    changed = guide_with("standaard", replace(facts, bleed_mm=2.5, canvas_size="a1", canvas_width_mm=841,
                                              canvas_height_mm=594, back_offset_mm=(0.8, -0.5), gutter_mm=2.0))
    for fact in ("2,5 mm afloop", "A1 liggend (841 × 594 mm)", "te groot voor een kantoorprinter",
                 "0,8 mm in de breedte en −0,5 mm in de hoogte", "Tussen de kaarten zit 2 mm ruimte"):
        assert flat(fact) in flat(changed), fact
    settings = check_options(BuildOptions())
    none = guide_with("standard-en", plan_print_facts(settings.card_format, settings.paper, "none", 0.0, settings.poster,
                                                      count_cards(load_deck("standard-en").deck)))
    for fact in ("no bleed", "pages 1–6", "pages 7–12"):
        assert flat(fact) in flat(none), fact
    assert "Flip on" not in none and "calibration sheet" not in none and "you need 12 sheets" in " ".join(none.split())


def test_sheet_count_in_the_guide_matches_cards_sheets_pdf(tmp_path):
    build_kit("standaard", BuildOptions(output=tmp_path, parts=("cards", "guide"), card_format="poker", paper="a3"))
    kit = tmp_path / "standaard"
    pages = len(pypdf.PdfReader(kit / "cards-sheets.pdf").pages)
    whole = flat(" ".join(page_texts((kit / "guide.pdf").read_bytes())))
    cards = count_cards(load_deck("standaard").deck)
    sheets = pages // 2
    assert flat(f"{cards} kaarten van dit deck heb je {sheets} {'vel' if sheets == 1 else 'vellen'} nodig") in whole


def test_check_guide_works_with_default_options():
    check_guide(load_deck("standaard"))
    check_guide(load_deck("standard-en"))


@pytest.mark.parametrize("line, problem", [
    ("      - Print op {papier}.\n", "unknown field '{papier}'"),
    ("      - when: duplex-long\n        text: Print.\n", "duplex-long"),
])
def test_a_wrong_field_or_condition_in_the_printing_texts_is_located(tmp_path, monkeypatch, line, problem):
    bundled = guide_texts.guide_file("nl")
    text = bundled.read_text(encoding="utf-8")
    at = text.index("    text:\n", text.index("\nprinting:")) + len("    text:\n")
    copy = tmp_path / "nl.yaml"
    copy.write_text(text[:at] + line + text[at:], encoding="utf-8")
    number = text[:at].count("\n") + 1
    monkeypatch.setattr(guide_texts, "guide_file", lambda language: copy)
    with pytest.raises(ContentError) as caught:
        check_guide(load_deck("standaard"))
    assert f"{copy}:{number}:" in str(caught.value) and problem in str(caught.value), str(caught.value)


# ---------------------------------------------------------------- thumbnails

@pytest.mark.parametrize("fmt", ["a6", "poker"])
def test_thumbnails_say_scan_the_printed_card_and_show_no_shrunken_code(plans, fmt):
    """The decision: no QR code in a thumbnail (shrunk with the card it would be 12 mm on A6 and
    just under 20 mm on poker, below the 20 mm the kit allows for a printed code), but the note in
    its place; a lesson page rendered at 300 dpi holds no code, the sources page's codes decode."""
    pdf = guide_for(plans, "nl", card_format=fmt)
    texts = page_texts(pdf)
    lesson = next(i for i, t in enumerate(texts) if t.strip().startswith("Inzicht 1:"))
    sources = next(i for i, t in enumerate(texts) if t.strip().startswith("Bronnen"))
    doc = pdfium.PdfDocument(pdf)
    try:
        found = {i: [r.text for r in zxingcpp.read_barcodes(doc[i].render(scale=300 / 72).to_pil(),
                                                           formats=zxingcpp.BarcodeFormat.QRCode)]
                 for i in (lesson, sources)}
    finally:
        doc.close()
    assert found[lesson] == []
    assert load_deck("standaard").deck.lessons[0].sources[0].url in found[sources]
    assert flat("Scan de QR-code op de gedrukte kaart") in flat(texts[lesson])
