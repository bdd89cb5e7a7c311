"""Cards for every printer: in every duplex mode every back lands behind its front; ``fold`` puts
fronts and backs side by side on one single-sided sheet with a dashed fold line exactly between
each front and its back (found in the rendered page); ``none`` mirrors the backs for a second pass
of the stack turned over its long edge; the default gutter is the largest up to 3 mm that keeps
each format's cards per sheet, and where less than 2 mm fits the sheet says to cut on the line."""

from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from dialoogkit.cli import main
from dialoogkit.layouts.formats import CARD_FORMATS, PAPERS, parse_paper
from dialoogkit.layouts.imposition import (
    DUPLEX_MODES, apply, back_transform, front_transform, placed_box, plan_sheet,
)
from dialoogkit.output.document import DocumentInfo
from dialoogkit.output.options import BuildOptions
from dialoogkit.output.sheets import render_sheets, resolve_gutter, sheet_plan_for

MM = 72 / 25.4
INFO = DocumentInfo("test", "test", "test", "nl")
DPI = 150


def turned_over(plan, duplex: str, x: float, y: float) -> tuple[float, float]:
    """Where page point (x, y) lies after the sheet is turned (or folded) for its backs, as a person
    does it: over the long edge (long-edge, and none: the stack turned over its long edge and fed
    again), over the short edge, or folded along the fold line."""
    if duplex == "short-edge":
        return x, plan.page_height - y
    if duplex == "fold":
        x1, y1, _, y2 = plan.fold_line
        return (x, 2 * y1 - y) if y1 == y2 else (2 * x1 - x, y)
    return plan.page_width - x, y


@pytest.mark.parametrize("duplex", DUPLEX_MODES)
@pytest.mark.parametrize("fmt", list(CARD_FORMATS))
@pytest.mark.parametrize("paper", ["a4", "letter", "a3"])
def test_every_back_lands_behind_its_front_in_every_mode(duplex, fmt, paper):
    card, sheet_paper = CARD_FORMATS[fmt], PAPERS[paper]
    gutter = resolve_gutter(card.width_mm, card.height_mm, sheet_paper, 3.0, duplex) * MM
    plan = plan_sheet(card.width_mm * MM, card.height_mm * MM, sheet_paper.width_mm * MM, sheet_paper.height_mm * MM,
                      gutter, fold=duplex == "fold")
    cw, ch = plan.card_width, plan.card_height
    points = [(cw * i / 4, ch * j / 4) for i in range(5) for j in range(5)]
    fronts = [placed_box(front_transform(plan, slot), cw, ch) for slot in plan.slots]
    for slot in plan.slots:
        front, back = front_transform(plan, slot), back_transform(plan, slot, duplex)
        for u, v in points:  # the card turned over its vertical axis: (u, v) of the back is behind (cw - u, v)
            assert apply(back, cw - u, v) == pytest.approx(turned_over(plan, duplex, *apply(front, u, v)), abs=1e-6)
        box = placed_box(back, cw, ch)
        if duplex == "fold":  # on the same page: a back never covers a front, nor runs off the paper
            for other in fronts:
                assert box.x >= other.right - 1e-6 or box.right <= other.x + 1e-6 or \
                    box.y >= other.top - 1e-6 or box.top <= other.y + 1e-6
            assert 0 <= box.x and box.right <= plan.page_width and 0 <= box.y and box.top <= plan.page_height


def test_the_modes_come_from_the_registry():
    from dialoogkit.app.choices import choice

    assert "fold" in DUPLEX_MODES and choice("duplex").values == DUPLEX_MODES


# ---------------------------------------------------------------- fold, rendered

def fold_row(image, plan) -> float:
    """The y (points from the page's bottom) of the dashed fold line, found in the rendered page:
    the pixel row between the halves with the most dark pixels across the printable width."""
    scale = DPI / 72
    x0, x1 = int(6 * MM * scale), int((plan.page_width - 6 * MM) * scale)
    middle = plan.page_height / 2
    rows = range(int((plan.page_height - middle - 4 * MM) * scale), int((plan.page_height - middle + 4 * MM) * scale))
    grey = image.convert("L")
    dark = {row: sum(1 for x in range(x0, x1, 2) if grey.getpixel((x, row)) < 235) for row in rows}
    best = max(dark.values())
    found = [row for row, count in dark.items() if count == best]
    assert best > 0.4 * (x1 - x0) / 2, "a dashed line runs across the sheet"
    return plan.page_height - (sum(found) / len(found) + 0.5) / scale


def band_edge(image, plan, x: float, downward: bool) -> float:
    """The first non-white pixel (points from the bottom) met going down from the top of the page
    (or up from its bottom) in column ``x``."""
    scale = DPI / 72
    column = int(x * scale)
    rows = range(image.height) if downward else range(image.height - 1, -1, -1)
    for row in rows:
        if min(image.getpixel((column, row))) < 200:
            return plan.page_height - (row + (0 if downward else 1)) / scale
    raise AssertionError("no ink in the column")


@pytest.mark.parametrize("fmt", ["a6-office", "a6", "poker", "tarot"])
def test_the_fold_line_lies_exactly_between_each_front_and_its_back(planned, fmt):
    deck_plan = planned("standaard", fmt)
    paper = parse_paper("a4")
    card = CARD_FORMATS[fmt]
    gutter = resolve_gutter(card.width_mm, card.height_mm, paper, 3.0, "fold") * MM
    data = render_sheets(deck_plan, paper, "fold", (0.0, 0.0), INFO, gutter=gutter)
    plan = sheet_plan_for(deck_plan, paper, gutter, "fold")
    assert plan.fold == "across" and plan.per_sheet >= 1
    assert len(PdfReader(io.BytesIO(data)).pages) == -(-len(deck_plan.printed_faces) // plan.per_sheet)
    image = pdfium.PdfDocument(data)[0].render(scale=DPI / 72).to_pil().convert("RGB")
    fold = fold_row(image, plan)
    assert fold == pytest.approx(plan.page_height / 2, abs=72 / DPI)
    for slot in plan.slots:  # each front and its back: the same distance from the fold line
        front = placed_box(front_transform(plan, slot), plan.card_width, plan.card_height)
        back = placed_box(back_transform(plan, slot, "fold"), plan.card_width, plan.card_height)
        assert front.y - fold == pytest.approx(fold - back.top, abs=72 / DPI)
        assert (front.x, front.width) == pytest.approx((back.x, back.width))
    if not plan.rotated:  # upright cards: the bands, read from the pixels, mirror each other about the line
        for slot in plan.slots:
            x = slot.x + slot.width / 2
            top_of_front = band_edge(image, plan, x, downward=True)
            bottom_of_back = band_edge(image, plan, x, downward=False)
            assert top_of_front - fold == pytest.approx(fold - bottom_of_back, abs=1.5 * 72 / DPI)


def test_fold_sheets_say_how_to_fold_along_the_line(tmp_path):
    result = CliRunner().invoke(main, ["build", "standard-en", "--only", "cards", "--duplex", "fold",
                                       "--format", "a6-office", "-q", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    reader = PdfReader(tmp_path / "standard-en" / "cards-sheets.pdf")
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Fold: print single-sided; fold each sheet on the dashed line" in text
    assert len(reader.pages) == 6  # 12 cards, 2 fronts and their backs on each single-sided sheet


# ---------------------------------------------------------------- none: the second pass

def test_none_prints_all_fronts_then_the_backs_mirrored_for_the_long_edge(planned):
    deck_plan = planned("standaard", "a6-office")
    paper = parse_paper("a4")
    data = {mode: render_sheets(deck_plan, paper, mode, (0.0, 0.0), INFO, gutter=3 * MM)
            for mode in ("none", "long-edge")}
    none, duplex = (PdfReader(io.BytesIO(data[m])).pages for m in ("none", "long-edge"))
    sheets = len(none) // 2
    assert len(none) == len(duplex)
    def cards(page) -> list[bytes]:
        """The drawing of each card (all but the small print, drawn last), each string as its
        length in glyphs: a font subset numbers its glyphs in the order the document first uses
        them, which differs when the pages come in another order."""
        drawn = page.get_contents().get_data().split(b"BT")[:-1]
        glyphs = re.compile(rb"\((?:\\.|[^\\)])*\)")
        return [glyphs.sub(lambda m: b"(%d)" % len(re.findall(rb"\\[0-7]{1,3}|\\.|[^\\]", m.group(0)[1:-1])), part)
                for part in drawn]

    for sheet in range(sheets):  # the same cards in the same places: fronts first, then the backs
        assert cards(none[sheet]) == cards(duplex[2 * sheet])
        assert cards(none[sheets + sheet]) == cards(duplex[2 * sheet + 1])


# ---------------------------------------------------------------- the default gutter

def test_the_default_gutter_is_the_largest_up_to_3mm_that_keeps_the_cards_per_sheet():
    assert BuildOptions().gutter_mm == 3.0
    a4 = PAPERS["a4"]
    expected = {"a6": (3.0, 2), "a6-office": (3.0, 4), "a7": (3.0, 4), "poker": (1.6, 9), "tarot": (3.0, 4)}
    for fmt, (gutter, per_sheet) in expected.items():
        card = CARD_FORMATS[fmt]
        assert resolve_gutter(card.width_mm, card.height_mm, a4, 3.0) == pytest.approx(gutter)
        used = plan_sheet(card.width_mm * MM, card.height_mm * MM, a4.width_mm * MM, a4.height_mm * MM, gutter * MM)
        bare = plan_sheet(card.width_mm * MM, card.height_mm * MM, a4.width_mm * MM, a4.height_mm * MM, 0.0)
        assert used.per_sheet == bare.per_sheet == per_sheet
        wider = plan_sheet(card.width_mm * MM, card.height_mm * MM, a4.width_mm * MM, a4.height_mm * MM,
                           (gutter + 0.1) * MM)
        assert gutter == 3.0 or wider.per_sheet < per_sheet  # the largest that keeps them
    card = CARD_FORMATS["a6"]
    assert resolve_gutter(card.width_mm, card.height_mm, a4, 7.5) == 7.5  # a gutter asked for is kept


@pytest.mark.parametrize("fmt, cut_on_line", [("a6-office", False), ("poker", True)])
def test_the_margin_note_says_to_cut_on_the_line_only_where_less_than_2mm_fits(tmp_path, fmt, cut_on_line):
    result = CliRunner().invoke(main, ["build", "standard-en", "--only", "cards", "--format", fmt, "-q",
                                       "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    pages = PdfReader(tmp_path / "standard-en" / "cards-sheets.pdf").pages
    texts = [" ".join(page.extract_text().split()) for page in pages]
    assert all(("Cut exactly on the lines" in text) == cut_on_line for text in texts), texts[0][-300:]


def test_a_cut_1mm_off_the_line_with_the_default_gutter_stays_in_the_cards_own_colour(planned):
    """a6-office with the default gutter (3 mm): 1 mm outside each band's trim is the band's own
    colour, never white and never the neighbour's."""
    deck_plan = planned("standaard", "a6-office")
    paper = parse_paper("a4")
    card = CARD_FORMATS["a6-office"]
    gutter = resolve_gutter(card.width_mm, card.height_mm, paper, BuildOptions().gutter_mm) * MM
    assert gutter >= 2 * MM
    data = render_sheets(deck_plan, paper, "long-edge", (0.0, 0.0), INFO, gutter=gutter)
    plan = sheet_plan_for(deck_plan, paper, gutter)
    image = pdfium.PdfDocument(data)[0].render(scale=200 / 72).to_pil().convert("RGB")
    band = deck_plan.geometry.band
    scale = 200 / 72

    def pixel(x: float, y: float):
        return image.getpixel((int(x * scale), int((plan.page_height - y) * scale)))

    colours = []
    for slot in plan.slots:
        front = front_transform(plan, slot)
        mid = band.y + band.height / 2
        inside = pixel(*apply(front, band.width / 2, mid))
        colours.append(inside)
        for u, v in ((-1 * MM, mid), (band.width + 1 * MM, mid), (band.width / 2, deck_plan.geometry.height + 1 * MM)):
            assert all(abs(a - b) <= 12 for a, b in zip(pixel(*apply(front, u, v)), inside))
    assert len(set(colours)) > 1, "neighbours of different colours were checked"


def test_single_sided_counts_the_sheets_fed_twice_as_the_guide_says(tmp_path):
    from dialoogkit.app.building import build_deck, describe_sheets
    from dialoogkit.cards.bundled import bundled_file
    from dialoogkit.i18n import choose_language

    options = BuildOptions(output=tmp_path, parts=("cards",), duplex="none", card_format="a6-office")
    result = build_deck(bundled_file("standaard"), options)
    pages = len(PdfReader(tmp_path / "standaard" / "cards-sheets.pdf").pages)
    assert result.sheet.sheets == pages // 2  # the fronts on one side, the backs on the other: one sheet
    choose_language("nl")
    try:
        line = describe_sheets(result.sheet)[0]
    finally:
        choose_language(None)
    assert f"{pages // 2} vellen" in line and "draai de stapel om" in line
