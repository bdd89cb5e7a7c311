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
            sheets = fronts  # without duplex too: the printed stack is fed again for the backs
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
    assert "Tussen de kaarten zit" not in plain and "in de breedte" not in plain
    assert flat("Snijd daarom precies op de lijn") in flat(plain)  # no gutter: cut exactly on the line
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
    assert "Flip on" not in none and "calibration sheet" not in none and "you need 6 sheets" in " ".join(none.split())


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


# ---------------------------------------------------------------- the guide as print
#
# Sizes are read from the PDF's content streams (pikepdf's parser): a text's size is its Tf size
# times the scale of the text matrix and the CTM; a line's width is its w times the CTM's scale
# (the square root of the matrix's determinant: its scale in area, as a stroke is drawn), for every
# path that is stroked. Form XObjects are followed with their matrix.

MIN_TEXT = 6.0
MIN_LINE = 0.25
MINIATURE_FORMATS = ("a6", "a6-office", "a7", "poker", "tarot")


def _multiply(a: list[float], b: list[float]) -> list[float]:
    """``a`` then ``b`` (PDF matrices as six numbers)."""
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def _scale(m: list[float]) -> float:
    return abs(m[0] * m[3] - m[1] * m[2]) ** 0.5


def _walk(stream_owner, ctm: list[float], found: dict, page: int, resources=None) -> None:
    import pikepdf

    resources = stream_owner.get("/Resources", resources)
    stack: list[dict] = []
    state = {"ctm": ctm, "width": 1.0}
    tm, line_start, size = [1.0, 0, 0, 1.0, 0, 0], [1.0, 0, 0, 1.0, 0, 0], 0.0
    for operands, operator in pikepdf.parse_content_stream(stream_owner):
        op = str(operator)
        if op == "q":
            stack.append(dict(state))
        elif op == "Q":
            state = stack.pop()
        elif op == "cm":
            state["ctm"] = _multiply([float(x) for x in operands], state["ctm"])
        elif op == "w":
            state["width"] = float(operands[0])
        elif op in ("S", "s", "B", "B*", "b", "b*"):
            found["lines"].append((state["width"] * _scale(state["ctm"]), page))
        elif op == "BT":
            tm = line_start = [1.0, 0, 0, 1.0, 0, 0]
        elif op == "Tf":
            size = float(operands[1])
        elif op == "Tm":
            tm = line_start = [float(x) for x in operands]
        elif op in ("Td", "TD"):
            tm = line_start = _multiply([1.0, 0, 0, 1.0, float(operands[0]), float(operands[1])], line_start)
        elif op in ("Tj", "TJ", "'", '"'):
            found["text"].append((size * _scale(_multiply(tm, state["ctm"])), page))
        elif op == "Do":
            xobject = resources["/XObject"][operands[0]]
            if xobject.get("/Subtype") == "/Form":
                matrix = [float(x) for x in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                _walk(xobject, _multiply(matrix, state["ctm"]), found, page, resources)


def measure_print(pdf: bytes) -> dict[str, list[tuple[float, int]]]:
    """Every text size and stroked line width of the PDF, in points as printed, with its page."""
    import pikepdf

    found: dict[str, list[tuple[float, int]]] = {"text": [], "lines": []}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, 1):
            _walk(page.obj, [1.0, 0, 0, 1.0, 0, 0], found, number)
    return found


@pytest.fixture(scope="module")
def miniature_plans() -> dict:
    """Card plans for every bundled format with miniatures, Dutch; and A6 and poker in English."""
    made = {}
    for language, formats in (("nl", MINIATURE_FORMATS), ("en", ("a6", "poker"))):
        loaded = load_deck(DECKS[language])
        for fmt in formats:
            settings = check_options(BuildOptions(card_format=fmt))
            made[language, fmt] = (loaded, plan_deck(loaded, settings.card_format, settings.profile))
    return made


@pytest.mark.parametrize("language, fmt", [("nl", f) for f in MINIATURE_FORMATS] + [("en", "a6"), ("en", "poker")])
def test_no_text_under_6_pt_and_no_line_under_a_quarter_point(miniature_plans, language, fmt):
    pdf = guide_for(miniature_plans, language, card_format=fmt, duplex="fold")
    found = measure_print(pdf)
    assert len(found["text"]) > 1000 and len(found["lines"]) > 100
    smallest, page = min(found["text"])
    assert smallest >= MIN_TEXT, f"{language} {fmt}: text of {smallest:.2f} pt on page {page}"
    thinnest, page = min(found["lines"])
    assert thinnest >= MIN_LINE, f"{language} {fmt}: a line of {thinnest:.3f} pt on page {page}"
    # the miniatures are drawn: a lesson page holds the card's text, above the floor
    lesson = next(i for i, t in enumerate(page_texts(pdf), 1) if re.match(r"(Inzicht|Insight) 1:", t.strip()))
    assert any(p == lesson and size < 9.0 for size, p in found["text"])


def test_the_measure_sees_small_text_and_thin_lines():
    """The measure itself: a scaled canvas shows the printed size, not the written one."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.saveState()
    canvas.scale(0.5, 0.5)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(100, 100, "small")
    canvas.setLineWidth(0.4)
    canvas.line(0, 0, 100, 0)
    canvas.restoreState()
    canvas.showPage()
    canvas.save()
    found = measure_print(buffer.getvalue())
    assert [round(s, 3) for s, _ in found["text"]] == [5.0]
    assert [round(w, 3) for w, _ in found["lines"]] == [0.2]


AGENDA_TIME = re.compile(r"\b\d\d:\d\d–\d\d:\d\d\b")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_page_holds_only_its_footer_or_the_last_rows_of_an_agenda(plans, language):
    labels = load_labels(language)
    for paper in ("a4", "letter"):
        pdf = guide_for(plans, language, paper=paper)
        for number, text in enumerate(page_texts(pdf), 1):
            assert text.strip(), f"{language} {paper}: page {number} holds only its footer"
            lines = [line for line in text.strip().splitlines() if line.strip()]
            continued = lines[0].startswith(labels["time"]) and labels["minutes"] in lines[0] and not any(
                line.startswith(f"{labels['session']}:") for line in lines)
            if continued:  # a page that goes on with an agenda: its header again, then enough rows
                rows = len(AGENDA_TIME.findall(text))
                assert rows >= 3, f"{language} {paper}: page {number} holds only {rows} rows of an agenda"


FOOTER_LINE = "Test deck — Facilitator guide"


def _orphan_story(kind: str) -> list:
    from reportlab.platypus import PageBreak, Paragraph, Spacer

    from dialoogkit.generator.guide.styles import make_table, styles
    from dialoogkit.layouts.guidepage import CONTENT_WIDTH, room

    s = styles("en")
    if kind == "footer":
        return [Paragraph("First page", s["body"]), PageBreak(), Spacer(1, mm(10)), PageBreak(),
                Paragraph("Third page", s["body"])]
    rows = [[Paragraph(f"Row {i}", s["cell"]), Paragraph("text", s["cell"])] for i in range(6)]
    table = make_table(rows, [CONTENT_WIDTH / 2, CONTENT_WIDTH / 2])  # no header row to repeat
    return [Paragraph("Agenda", s["h2table"]), Spacer(1, room()[1] - mm(40)), table]


@pytest.mark.parametrize("kind, page, words", [("footer", 2, "holds only its footer line"),
                                               ("rows", 2, "holds only the last")])
def test_a_page_with_only_a_footer_or_a_tables_tail_is_a_build_error(monkeypatch, kind, page, words):
    from dialoogkit.errors import DialoogkitError, PageLayoutError

    monkeypatch.setenv("DIALOOGKIT_LANG", "en")
    with pytest.raises(PageLayoutError) as caught:
        render_guide(_orphan_story(kind), DocumentInfo("t", "a", "s", "en"), FOOTER_LINE, "Page")
    message = str(caught.value)
    assert isinstance(caught.value, DialoogkitError) and caught.value.exit_code == 1
    assert f"guide.pdf: page {page} {words}" in message, message
    fix = "remove the page break" if kind == "footer" else "shorten the table's texts"
    assert fix in message, message
    if kind == "rows":
        assert "under 'Agenda'" in message and "repeat its header row" in message


def test_the_same_table_with_a_header_and_enough_rows_is_carried_over():
    from reportlab.platypus import Paragraph, Spacer

    from dialoogkit.generator.guide.styles import make_table, styles
    from dialoogkit.layouts.guidepage import CONTENT_WIDTH, room

    s = styles("en")
    rows = [[Paragraph(f"Row {i}", s["cell"]), Paragraph("text", s["cell"])] for i in range(12)]
    table = make_table(rows, [CONTENT_WIDTH / 2, CONTENT_WIDTH / 2], header=True, least_rows=3)
    story = [Paragraph("Agenda", s["h2table"]), Spacer(1, room()[1] - mm(40)), table]
    texts = page_texts(render_guide(story, DocumentInfo("t", "a", "s", "en"), FOOTER_LINE, "Page"))
    assert len(texts) == 2
    assert texts[1].split()[:2] == ["Row", "0"]  # the header row again
    assert len(re.findall(r"Row \d+", texts[1])) >= 1 + 3


# ---------------------------------------------------------------- fold and none on the printing page

FOLD_NONE = {"nl": ("Vouwen, zonder dubbelzijdige printer", "Enkelzijdig, zonder dubbelzijdige printer"),
             "en": ("Fold, without a double-sided printer", "Single-sided, without a double-sided printer")}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("duplex", ["long-edge", "none", "fold"])
def test_the_printing_page_describes_fold_and_none_with_a_picture_each(language, duplex):
    from dialoogkit.generator.guide.printing import printing_page
    from dialoogkit.generator.guide.printpictures import PrintPicture
    from dialoogkit.generator.guide.styles import styles

    loaded = load_deck(DECKS[language])
    settings = check_options(BuildOptions(duplex=duplex))
    facts = plan_print_facts(settings.card_format, settings.paper, duplex, 3.0, settings.poster,
                             count_cards(loaded.deck), (0.8, 0.0), 3.0)
    guide = load_guide_texts(loaded)
    flowables = printing_page(guide, facts, load_labels(language), language, styles(language))
    pictures = [cell for f in flowables if hasattr(f, "_cellvalues") for row in f._cellvalues for cell in row
                if isinstance(cell, PrintPicture)]
    assert sorted(p.kind for p in pictures) == ["fold", "none"]
    whole = guide_with(DECKS[language], facts)
    for title in FOLD_NONE[language]:
        assert flat(title) in flat(whole), title
    said = {"nl": ["stippellijn", "bedrukking naar buiten", "door beide lagen", "minstens 4 mm",
                   "over de lange zijde", "bovenrand eerst", "tweede helft", "precies op de lijn"],
            "en": ["dashed line", "print on the outside", "through both layers", "At least 4 mm",
                   "over on its long edge", "top edge first", "second half", "exactly on the line"]}[language]
    for words in said[:-1]:
        assert flat(words) in flat(whole), words
    mine = {"nl": "Zo zijn de kaarten van deze kit gemaakt", "en": "This is how the cards of this kit are made"}
    assert flat(whole).count(flat(mine[language])) == (0 if duplex == "long-edge" else 1)
    if duplex == "fold":  # one pass: no calibration and no back offset
        assert "calibrate.pdf" not in whole and flat({"nl": "0,8 mm", "en": "0.8 mm"}[language]) not in flat(whole)


def test_fold_facts_follow_the_gutterfold_and_none_feeds_the_stack_again():
    deck = load_deck("standaard").deck
    settings = check_options(BuildOptions())
    fold = plan_print_facts(settings.card_format, settings.paper, "fold", 3.0, settings.poster, count_cards(deck),
                            gutter_mm=3.0)
    sheet = plan_sheet(mm(105), mm(148), mm(210), mm(297), fold=True)
    assert fold.cards_per_sheet == sheet.per_sheet == 1 and fold.sheets == fold.pdf_pages == 11
    text = guide_with("standaard", fold)
    assert flat("Een vel A4 biedt ruimte aan 1 kaart") in flat(text) and flat("11 vellen") in flat(text)
    none = plan_print_facts(settings.card_format, settings.paper, "none", 3.0, settings.poster, count_cards(deck))
    assert none.sheets == 6 and none.pdf_pages == 12  # fronts and backs on the two sides of 6 sheets
    narrow = plan_print_facts(settings.card_format, settings.paper, "none", 3.0, settings.poster, count_cards(deck),
                              gutter_mm=1.5)
    assert flat("Snijd daarom precies op de lijn") in flat(guide_with("standaard", narrow))
    assert flat("Snijd daarom precies op de lijn") not in flat(text)
