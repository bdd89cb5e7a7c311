"""Office sheets that forgive a cutter: a gutter between the cards with backgrounds bleeding into
it, backs still behind their fronts, nothing printed within 5 mm of the paper's edge, the duplex
setting named on every sheet in the deck's language, the office A6 format (4 on A4), and the
build's summary and suggestion."""

from __future__ import annotations

import io
import math
import re

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from dialoogkit.cards.bundled import list_bundled
from dialoogkit.cli import main
from dialoogkit.generator.guide.printing import plan_print_facts
from dialoogkit.layouts.formats import CARD_FORMATS, parse_card_format, parse_paper
from dialoogkit.layouts.imposition import (
    apply, back_transform, crop_marks, front_transform, placed_box, plan_sheet, slug_areas,
)
from dialoogkit.layouts.posters import parse_poster_size
from dialoogkit.layouts.units import Box
from dialoogkit.output.document import DocumentInfo
from dialoogkit.output.sheets import render_sheets, sheet_plan_for

MM = 72 / 25.4
EDGE_MM = 5.0
PAPERS_MM = {"a4": (210, 297), "letter": (215.9, 279.4)}
DUPLEX_SENTENCES = {
    ("nl", "long-edge"): "Dubbelzijdig, omslaan via de lange zijde",
    ("nl", "short-edge"): "Dubbelzijdig, omslaan via de korte zijde",
    ("nl", "none"): "Enkelzijdig: druk de voorkanten af (eerste helft van de pagina's), draai de bedrukte stapel om "
                    "over de lange zijde, leg hem terug in de lade met de bovenrand eerst en druk de achterkanten af "
                    "(tweede helft); of lijm elk vel achterkanten achter zijn vel voorkanten, op dezelfde manier gedraaid",
    ("nl", "fold"): "Vouwen: enkelzijdig afdrukken; vouw elk vel op de stippellijn met de bedrukking buiten, lijm de "
                    "helften op elkaar en snijd dan op de snijtekens",
    ("en", "long-edge"): "Double-sided, flip on long edge",
    ("en", "short-edge"): "Double-sided, flip on short edge",
    ("en", "none"): "Single-sided: print the fronts (first half of the pages), turn the printed stack over its long "
                    "edge, put it back in the tray top edge first, and print the backs (second half); or glue each "
                    "sheet of backs behind its sheet of fronts, turned the same way",
    ("en", "fold"): "Fold: print single-sided; fold each sheet on the dashed line with the print outside, glue the "
                    "halves together, then cut on the crop marks",
}
CUT_ON_LINE = {"nl": "Snijd precies op de lijnen: de kaarten liggen te dicht bij elkaar om naast de lijn te snijden",
               "en": "Cut exactly on the lines: the cards are too close together for a cut beside the line"}
DECK_OF = {"nl": "standaard", "en": "standard-en"}
INFO = DocumentInfo("test", "test", "test", "nl")


def run_cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def sheet(fmt: str, paper: str, gutter_mm: float):
    card = parse_card_format(fmt)
    w, h = PAPERS_MM[paper]
    return plan_sheet(card.width_mm * MM, card.height_mm * MM, w * MM, h * MM, gutter_mm * MM)


def flat(text: str) -> str:
    return re.sub(r"[\s\u00ad]+", " ", text).replace("- ", "").strip()


def page_text(data: bytes) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def render(planned, deck: str, fmt: str, paper: str = "a4", duplex: str = "long-edge", gutter_mm: float = 0.0,
           offset=(0.0, 0.0)) -> bytes:
    return render_sheets(planned(deck, fmt), parse_paper(paper), duplex, offset, INFO, gutter=gutter_mm * MM)


# ---------------------------------------------------------------- the gutter as numbers

@pytest.mark.parametrize("fmt", ["a6", "a6-office", "a7", "poker", "tarot"])
@pytest.mark.parametrize("paper", list(PAPERS_MM))
@pytest.mark.parametrize("gutter_mm", [0.0, 3.0, 7.5])
def test_card_rectangles_are_spaced_by_the_gutter_and_centred(fmt, paper, gutter_mm):
    plan = sheet(fmt, paper, gutter_mm)
    gutter = gutter_mm * MM
    assert plan.gutter == pytest.approx(gutter) and plan.bleed == pytest.approx(gutter / 2)
    slots = plan.slots
    for r in range(plan.rows):
        row = slots[r * plan.columns:(r + 1) * plan.columns]
        for left, right in zip(row, row[1:]):
            assert right.x - left.right == pytest.approx(gutter, abs=1e-6)
            assert right.y == pytest.approx(left.y)
    for c in range(plan.columns):
        column = slots[c::plan.columns]
        for upper, lower in zip(column, column[1:]):
            assert upper.y - lower.top == pytest.approx(gutter, abs=1e-6)
    left, right = min(s.x for s in slots), max(s.right for s in slots)
    bottom, top = min(s.y for s in slots), max(s.top for s in slots)
    assert left == pytest.approx(plan.page_width - right) and bottom == pytest.approx(plan.page_height - top)
    # the outside bleed, a gap and a crop mark of 2 mm fit between the cards and the 5 mm edge
    assert min(left, bottom) - gutter / 2 >= (EDGE_MM + 1 + 2) * MM - 1e-6


def test_a_gutter_of_3mm_on_a4_in_millimetres():
    plan = sheet("a6-office", "a4", 3.0)
    assert (plan.columns, plan.rows, plan.rotated) == (2, 2, False)
    xs = sorted({round(v / MM, 3) for s in plan.slots for v in (s.x, s.right)})
    ys = sorted({round(v / MM, 3) for s in plan.slots for v in (s.y, s.top)})
    assert xs == [9.5, 103.5, 106.5, 200.5]  # (210 - 2 × 94 - 3) / 2 = 9.5 mm margins
    assert ys == [14.0, 147.0, 150.0, 283.0]


@pytest.mark.parametrize("fmt", ["a6", "a6-office", "poker"])
@pytest.mark.parametrize("duplex", ["long-edge", "short-edge"])
def test_every_back_lies_behind_its_front_with_a_gutter(fmt, duplex):
    plan = sheet(fmt, "a4", 3.0)
    cw, ch, pw, ph = plan.card_width, plan.card_height, plan.page_width, plan.page_height
    points = [(cw * i / 4, ch * j / 4) for i in range(5) for j in range(5)]
    for slot in plan.slots:
        front, back = front_transform(plan, slot), back_transform(plan, slot, duplex)
        for u, v in points:
            px, py = apply(front, u, v)
            turned = (pw - px, py) if duplex == "long-edge" else (px, ph - py)
            assert apply(back, cw - u, v) == pytest.approx(turned, abs=1e-6)
        # the back's rectangle is a slot of the same grid: the gutters of both sides coincide
        box = placed_box(back, cw, ch)
        assert any(all(abs(a - b) < 1e-6 for a, b in zip((box.x, box.y, box.width, box.height),
                                                          (s.x, s.y, s.width, s.height))) for s in plan.slots)


@pytest.mark.parametrize("duplex", ["long-edge", "short-edge"])
def test_the_drawn_backs_use_the_back_transform_with_a_gutter(planned, duplex):
    data = render(planned, "standaard", "a6-office", duplex=duplex, gutter_mm=3.0)
    plan = sheet_plan_for(planned("standaard", "a6-office"), parse_paper("a4"), 3 * MM)
    cms = []
    PdfReader(io.BytesIO(data)).pages[1].extract_text(
        visitor_text=lambda text, cm, tm, font, size: cms.append(tuple(float(v) for v in cm)) if text.strip() else None)
    expected = [back_transform(plan, slot, duplex) for slot in plan.slots]
    found = {min(range(len(expected)), key=lambda i: sum(abs(a - b) for a, b in zip(cm, expected[i])))
             for cm in cms if any(sum(abs(a - b) for a, b in zip(cm, t)) < 0.01 for t in expected)}
    assert found == set(range(len(expected)))


# ---------------------------------------------------------------- crop marks and the 5 mm edge

@pytest.mark.parametrize("fmt", list(CARD_FORMATS))
@pytest.mark.parametrize("paper", list(PAPERS_MM))
@pytest.mark.parametrize("gutter_mm", [0.0, 3.0])
def test_crop_marks_stay_in_the_margin_5mm_from_the_edge(fmt, paper, gutter_mm):
    plan = sheet(fmt, paper, gutter_mm)
    bleed = plan.bleed
    marks = crop_marks(list(plan.slots), plan.page_width, plan.page_height, bleed)
    xs = {round(v, 3) for s in plan.slots for v in (s.x, s.right)}
    ys = {round(v, 3) for s in plan.slots for v in (s.y, s.top)}
    assert {round(x1, 3) for x1, _, x2, _ in marks if x1 == x2} == xs  # every cut line has its marks
    assert {round(y1, 3) for _, y1, _, y2 in marks if y1 == y2} == ys
    edge = EDGE_MM * MM - 1e-6
    for x1, y1, x2, y2 in marks:
        assert min(x1, x2) >= edge and max(x1, x2) <= plan.page_width - edge
        assert min(y1, y2) >= edge and max(y1, y2) <= plan.page_height - edge
        assert math.hypot(x2 - x1, y2 - y1) >= 2 * MM - 1e-6
        for s in plan.slots:  # never on a card or its bleed
            grown = Box(s.x - bleed, s.y - bleed, s.width + 2 * bleed, s.height + 2 * bleed)
            assert not (min(x1, x2) <= grown.right and grown.x <= max(x1, x2)
                        and min(y1, y2) <= grown.top and grown.y <= max(y1, y2)), (fmt, paper, (x1, y1, x2, y2))


@pytest.mark.parametrize("fmt", list(CARD_FORMATS))
@pytest.mark.parametrize("paper", list(PAPERS_MM))
@pytest.mark.parametrize("gutter_mm", [0.0, 3.0])
def test_nothing_is_printed_within_5mm_of_the_paper_edge(planned, fmt, paper, gutter_mm):
    """Rendered: every pixel of a 5 mm frame around front and back page is white."""
    doc = pdfium.PdfDocument(render(planned, "standaard", fmt, paper, gutter_mm=gutter_mm))
    scale = 60 / 72
    border = int(EDGE_MM * MM * scale) - 1  # a pixel of anti-aliasing
    for index in (0, 1):
        image = doc[index].render(scale=scale, grayscale=True).to_pil()
        w, h = image.size
        for box in ((0, 0, w, border), (0, h - border, w, h), (0, 0, border, h), (w - border, 0, w, h)):
            assert image.crop(box).getextrema()[0] >= 250, (fmt, paper, gutter_mm, index, box)


# ---------------------------------------------------------------- the duplex setting on every sheet

@pytest.mark.parametrize("language, duplex", list(DUPLEX_SENTENCES))
def test_every_sheet_names_its_duplex_setting_in_the_decks_language(planned, language, duplex):
    data = render(planned, DECK_OF[language], "a6", duplex=duplex)
    texts = page_text(data)
    sentence = DUPLEX_SENTENCES[language, duplex]
    assert texts and all(sentence in text for text in texts)
    others = [s for (lang, mode), s in DUPLEX_SENTENCES.items() if mode != duplex or lang != language]
    assert not any(other in text for other in others for text in texts)


@pytest.mark.parametrize("fmt, paper, gutter_mm, duplex", [
    ("a6", "a4", 0.0, "none"), ("a6-office", "a4", 3.0, "long-edge"), ("poker", "letter", 0.0, "short-edge"),
    ("a7", "letter", 3.0, "none"), ("tarot", "a4", 3.0, "long-edge")])
def test_the_duplex_line_sits_in_the_margin_clear_of_cards_and_marks(planned, fmt, paper, gutter_mm, duplex):
    language = "nl"
    data = render(planned, DECK_OF[language], fmt, paper, duplex, gutter_mm)
    plan = sheet_plan_for(planned(DECK_OF[language], fmt), parse_paper(paper), gutter_mm * MM)
    note = DUPLEX_SENTENCES[language, duplex] + (f". {CUT_ON_LINE[language]}" if gutter_mm < 2 else "")
    words = set(note.replace(";", " ").replace(",", " ").split())
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        runs = []
        page.extract_text(visitor_text=lambda text, cm, tm, font, size: runs.append((text, cm, tm, size)))
        # cards are drawn under their slot's transform; the duplex line is drawn on the page itself
        slug = [(t, tm, size) for t, cm, tm, size in runs if t.strip() and [float(v) for v in cm] == [1, 0, 0, 1, 0, 0]]
        assert slug, f"page {number + 1}: no duplex line"
        assert set(flat(" ".join(t for t, _, _ in slug)).replace(";", " ").replace(",", " ").split()) == words
        marks = crop_marks(list(plan.slots), plan.page_width, plan.page_height, plan.bleed)
        for _, tm, size in slug:
            x, y = float(tm[4]), float(tm[5])
            assert 4.5 <= size <= 6.5
            assert EDGE_MM * MM <= y - 0.25 * size and y + size <= plan.page_height - EDGE_MM * MM
            assert x >= EDGE_MM * MM
            areas = slug_areas(list(plan.slots), plan.page_width, plan.page_height, plan.bleed)
            assert any(a.x - 0.01 <= x <= a.right and a.y - 0.01 <= y <= a.top for a in areas), (x / MM, y / MM, number)
            area = next(a for a in areas
                        if a.x - 0.01 <= x <= a.right and a.y - 0.01 <= y <= a.top)
            for x1, y1, x2, y2 in marks:
                assert not (min(x1, x2) < area.right and area.x < max(x1, x2)
                            and min(y1, y2) < area.top and area.y < max(y1, y2))


# ---------------------------------------------------------------- the office A6 format

def test_office_a6_puts_four_cards_on_a4_and_two_on_letter():
    card = CARD_FORMATS["a6-office"]
    assert card.width_mm >= 90 and card.height_mm >= 125
    for gutter_mm in (0.0, 1.0, 2.0, 3.0):
        assert sheet("a6-office", "a4", gutter_mm).per_sheet == 4
        assert sheet("a6-office", "letter", gutter_mm).per_sheet == 2
    assert sheet("a6", "a4", 0.0).per_sheet == 2
    assert sheet("a6-office", "a4", 0.0).paper_use == pytest.approx(4 * 94 * 133 / (210 * 297))


@pytest.mark.parametrize("deck", list_bundled())
def test_every_bundled_deck_fits_office_a6(planned, deck):
    plan = planned(deck, "a6-office")  # a text that does not fit raises FitError
    safe = plan.geometry.safe
    for front, back in plan.faces:
        for face in (front, back):
            for text in face.texts():
                assert safe.contains(text.box), text.name


def test_the_guide_counts_cards_per_sheet_with_the_gutter():
    poker, a4 = parse_card_format("poker"), parse_paper("a4")
    poster = parse_poster_size("a3")
    assert plan_print_facts(poker, a4, "long-edge", 3.0, poster, 10).cards_per_sheet == 9
    assert plan_print_facts(poker, a4, "long-edge", 3.0, poster, 10, gutter_mm=3.0).cards_per_sheet == \
        sheet("poker", "a4", 3.0).per_sheet == 8


# ---------------------------------------------------------------- build: option, summary, suggestion

@pytest.fixture(scope="module")
def cli_builds(tmp_path_factory):
    out = tmp_path_factory.mktemp("office")
    results = {}
    for fmt, extra in (("a6", ()), ("a6-office", ("--gutter", "3")), ("a6-office-none", ("--duplex", "none"))):
        card = fmt.replace("-none", "")
        result = run_cli("build", "standard-en", "--only", "cards", "-o", out / fmt, "--format", card, *extra)
        assert result.exit_code == 0, result.output
        results[fmt] = (result.stdout, out / fmt / "standard-en" / "cards-sheets.pdf")
    return results


def test_the_summary_says_cards_per_sheet_and_sheets(cli_builds):
    for fmt, per_sheet in (("a6", 2), ("a6-office", 4)):
        stdout, pdf = cli_builds[fmt]
        sheets = len(PdfReader(pdf).pages) // 2
        assert f"{per_sheet} cards per A4 sheet; print {sheets} sheets double-sided" in stdout, stdout
    assert "print 3 sheets double-sided" in cli_builds["a6-office"][0]  # 10 cards, 4 a sheet
    stdout, pdf = cli_builds["a6-office-none"]  # single-sided: the stack is fed twice, fronts then backs
    sheets = len(PdfReader(pdf).pages) // 2
    assert sheets == 3 and (f"4 cards per A4 sheet; {sheets} sheets: print the fronts first (the first half), turn "
                            "the stack over on its long edge") in stdout, stdout


def test_a_wasteful_format_gets_a_suggestion_and_office_a6_none(cli_builds):
    assert ("Tip: a6 uses 50% of each A4 sheet; a6-office puts 4 cards on a sheet: --format a6-office"
            in cli_builds["a6"][0])
    assert "Tip:" not in cli_builds["a6-office"][0] and "Tip:" not in cli_builds["a6-office-none"][0]


def test_dialoogkit_list_names_office_a6():
    result = run_cli("list")
    assert result.exit_code == 0
    line = next(line for line in result.stdout.splitlines() if line.split()[:1] == ["a6-office"])
    assert "94 × 133 mm" in line and "4 on an A4 sheet" in line


@pytest.mark.parametrize("value", ["-1", "10.5", "11"])
def test_a_gutter_out_of_range_is_refused(tmp_path, value):
    result = run_cli("build", "-q", "-o", tmp_path, f"--gutter={value}")
    assert result.exit_code == 2, result.output
    assert "--gutter" in result.stderr and "0 to 10 mm" in result.stderr
    assert not list(tmp_path.rglob("*.pdf"))


# ---------------------------------------------------------------- rendered: a cut 1 mm off the line

def _pixel(image, plan, x: float, y: float):
    scale = image.width / plan.page_width
    return image.getpixel((int(x * scale), int((plan.page_height - y) * scale)))


def _close(a, b, tol: int = 12) -> bool:
    return all(abs(p - q) <= tol for p, q in zip(a, b))


@pytest.mark.parametrize("fmt", ["a6-office", "a6"])
def test_a_cut_1mm_off_the_line_stays_in_the_band_colour(planned, fmt):
    deck_plan = planned("standaard", fmt)
    geo = deck_plan.geometry
    band = geo.band
    data = {g: render(planned, "standaard", fmt, gutter_mm=g) for g in (0.0, 3.0)}
    images = {g: pdfium.PdfDocument(d)[0].render(scale=200 / 72).to_pil().convert("RGB") for g, d in data.items()}
    plans = {g: sheet_plan_for(deck_plan, parse_paper("a4"), g * MM) for g in data}
    white = (255, 255, 255)
    mid = band.y + band.height / 2
    checked = 0
    for index, slot in enumerate(plans[3.0].slots):
        front = front_transform(plans[3.0], slot)
        inside = _pixel(images[3.0], plans[3.0], *apply(front, band.width / 2, mid))
        assert not _close(inside, white)
        # 1 mm outside the trim at the left, right and top of the band (card coordinates)
        for u, v in ((-1 * MM, mid), (geo.width + 1 * MM, mid), (band.width / 2, geo.height + 1 * MM)):
            outside = _pixel(images[3.0], plans[3.0], *apply(front, u, v))
            assert _close(outside, inside), (fmt, index, (u / MM, v / MM), outside, inside)
            checked += 1
    assert checked == 3 * len(plans[3.0].slots)
    # without a gutter the same cut 1 mm outside the first card's trim is white paper (or its neighbour)
    plain = plans[0.0]
    front = front_transform(plain, plain.slots[0])
    inside = _pixel(images[0.0], plain, *apply(front, band.width / 2, mid))
    assert not _close(_pixel(images[0.0], plain, *apply(front, -1 * MM, mid)), inside)


def test_no_neighbours_colour_enters_a_card_with_a_gutter(planned):
    """Two neighbours with different band colours: 1 mm inside each card next to the gutter is
    that card's own colour, and each half of the gutter belongs to the card next to it."""
    deck_plan = planned("standaard", "a6-office")
    plan = sheet_plan_for(deck_plan, parse_paper("a4"), 3 * MM)
    image = pdfium.PdfDocument(render(planned, "standaard", "a6-office", gutter_mm=3.0))[0].render(
        scale=300 / 72).to_pil().convert("RGB")
    band = deck_plan.geometry.band
    y = plan.slots[0].y + band.y + band.height / 2
    left, right = plan.slots[0], plan.slots[1]
    own_left = _pixel(image, plan, left.x + left.width / 2, y)
    own_right = _pixel(image, plan, right.x + right.width / 2, y)
    assert not _close(own_left, own_right, 30), "the first two cards should have different themes"
    for x, expected in ((left.right - 1 * MM, own_left), (left.right + 1 * MM, own_left),
                        (right.x - 1 * MM, own_right), (right.x + 1 * MM, own_right)):
        assert _close(_pixel(image, plan, x, y), expected), (x / MM, expected)
