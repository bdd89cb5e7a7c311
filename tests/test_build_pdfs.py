"""`dialoogkit build` as a printer and a print shop see it: page sizes and boxes, embedded fonts,
extractable text, text inside the safe zone, duplex-aligned backs, QR codes that decode to the
source URL, clear errors for cards that do not fit, literal text, identical bytes, hygiene, CLI."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml
import zxingcpp
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import IndirectObject
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from dialoogkit.cards.loader import load_deck
from dialoogkit.cli import main
from dialoogkit.generator.display import Qr
from dialoogkit.generator.fonts import register_fonts
from dialoogkit.generator.qr import QUIET_MODULES
from dialoogkit.generator.scriptfonts import register_script_fonts
from dialoogkit.layouts.card import card_geometry
from dialoogkit.layouts.formats import parse_card_format, parse_paper
from dialoogkit.layouts.imposition import (
    SHEET_MARGIN_MM, apply, back_transform, crop_marks, front_transform, placed_box, plan_sheet,
)
from dialoogkit.layouts.profiles import parse_profile, type_scale
from dialoogkit.layouts.units import Box
from dialoogkit.output.options import BuildOptions
from dialoogkit.output.sheets import margin_note, resolve_gutter, sheet_plan_for

BUILD = Path(__file__).resolve().parent / "fixtures" / "build"
LONG_EXPLANATION = BUILD / "long_explanation.yaml"
EMOJI = BUILD / "emoji_statement.yaml"
LONG_URL = BUILD / "long_url.yaml"
ESCAPING = BUILD / "escaping.yaml"

MM = 72 / 25.4
TOL = 0.01
FORMATS = {"a6": (105, 148), "a7": (74, 105), "poker": (63, 88), "tarot": (70, 120), "80x120": (80, 120)}
PAPERS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0), "a3": (841.89, 1190.55)}
PAPERS_MM = {"a4": (210, 297), "letter": (215.9, 279.4), "a3": (297, 420)}
BASE14 = ("Courier", "Helvetica", "Times", "Symbol", "ZapfDingbats")
PDFS = ("cards-sheets.pdf", "cards-printshop.pdf")


# ---------------------------------------------------------------- helpers

CARDS = 11  # a bundled deck prints its opening card, then its ten lessons
OPENING_PAGES = 2  # the opening card's front and back come first in cards-printshop.pdf


def reader(folder: Path, name: str) -> PdfReader:
    return PdfReader(folder / name)


def expected_per_sheet(card_mm: tuple[float, float], paper_mm: tuple[float, float]) -> int:
    """Cards that fit in a grid inside the sheet margins, upright or turned a quarter."""
    space_w, space_h = paper_mm[0] - 2 * SHEET_MARGIN_MM, paper_mm[1] - 2 * SHEET_MARGIN_MM
    w, h = card_mm
    return max((space_w // w) * (space_h // h), (space_w // h) * (space_h // w))


def box_of(rect) -> tuple[float, float, float, float]:
    return tuple(float(v) for v in (rect[0], rect[1], rect[2], rect[3]))


def assert_close(actual, expected, tol=TOL, what=""):
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        assert abs(a - e) <= tol, f"{what}: {actual} != {expected}"


def same_box(a: Box, b: Box, tol: float = 1e-6) -> bool:
    return all(abs(p - q) <= tol for p, q in zip((a.x, a.y, a.width, a.height), (b.x, b.y, b.width, b.height)))


def inside(inner: Box, outer: Box, tol: float = 1e-6) -> bool:
    return (inner.x >= outer.x - tol and inner.y >= outer.y - tol
            and inner.x + inner.width <= outer.x + outer.width + tol
            and inner.y + inner.height <= outer.y + outer.height + tol)


def normalised(text: str) -> str:
    """Without whitespace and hyphens (line breaks may hyphenate words)."""
    return re.sub(r"[\s\-\u00ad]+", "", text)


def collapsed(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def mul(point, m):
    a, b, c, d, e, f = (float(v) for v in m)
    x, y = point
    return a * x + c * y + e, b * x + d * y + f


def invert(t):
    a, b, c, d, e, f = t
    det = a * d - b * c
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return (ia, ib, ic, id_, -(ia * e + ic * f), -(ib * e + id_ * f))


_FONT_NAMES: dict[str, str] = {}


def registered_font(base_font: str) -> str:
    """The reportlab name of a PDF font such as ``/AAAAAA+SourceSansPro-Bold`` or a Noto face."""
    if not _FONT_NAMES:
        for name in register_fonts() + register_script_fonts():
            face = getFont(name).face.name
            _FONT_NAMES[face.decode() if isinstance(face, bytes) else face] = name
    return _FONT_NAMES[str(base_font).lstrip("/").split("+", 1)[-1]]


def text_runs(page):
    """Every drawn text run as (text, corners in page coordinates): the run's advance width from
    its origin, from the depth of descenders (0.2 em) to the height of capitals (0.7 em)."""
    runs = []

    def visit(text, cm, tm, font, size):
        text = text.replace("\n", "")
        if not text.strip():
            return
        assert font is not None, f"text {text!r} drawn without a font"
        width = stringWidth(text, registered_font(font["/BaseFont"]), size)
        corners = [mul(mul((x, y), tm), cm) for x in (0.0, width) for y in (-0.2 * size, 0.7 * size)]
        runs.append((text, corners))

    page.extract_text(visitor_text=visit)
    return runs


def decode_qr(pdf: Path, index: int, scale: float):
    """QR codes on a rendered page: (text, centre in PDF points, result)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[index]
        height = page.get_height()
        image = page.render(scale=scale).to_pil()
    finally:
        doc.close()
    found = []
    for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
        p = result.position
        xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
        ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
        centre = (sum(xs) / 4 / scale, height - sum(ys) / 4 / scale)
        found.append((result.text, centre, result))
    return found


def qr_centre(face) -> tuple[float, float]:
    qr = face.qr()
    assert qr is not None
    box = qr.box
    return box.x + box.width / 2, box.y + box.height / 2


def run_cli(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


# ---------------------------------------------------------------- 1. page counts, sizes, boxes

@pytest.mark.parametrize("fmt", list(FORMATS))
def test_printshop_pdf_has_front_and_back_per_lesson_with_trim_and_bleed(built, fmt):
    folder = built("standaard", card_format=fmt)
    for name in PDFS:
        assert (folder / name).is_file()
    w, h = (v * MM for v in FORMATS[fmt])
    bleed = 3 * MM
    pdf = reader(folder, "cards-printshop.pdf")
    assert len(pdf.pages) == 2 * CARDS
    for page in pdf.pages:
        assert_close(box_of(page.mediabox), (0, 0, w + 2 * bleed, h + 2 * bleed), what="MediaBox")
        assert "/TrimBox" in page and "/BleedBox" in page
        assert_close(box_of(page["/TrimBox"]), (bleed, bleed, bleed + w, bleed + h), what="TrimBox")
        assert_close(box_of(page["/BleedBox"]), box_of(page.mediabox), what="BleedBox")


def test_a6_printshop_page_is_111_by_154_mm(built):
    page = reader(built("standaard"), "cards-printshop.pdf").pages[0]
    assert_close((float(page.mediabox.width), float(page.mediabox.height)), (111 * MM, 154 * MM))


@pytest.mark.parametrize("bleed", [0, 5])
def test_bleed_option_sets_page_and_boxes(built, bleed):
    pdf = reader(built("standaard", bleed_mm=float(bleed)), "cards-printshop.pdf")
    w, h, b = 105 * MM, 148 * MM, bleed * MM
    assert len(pdf.pages) == 2 * CARDS
    for page in pdf.pages:
        assert_close(box_of(page.mediabox), (0, 0, w + 2 * b, h + 2 * b), what="MediaBox")
        assert_close(box_of(page["/TrimBox"]), (b, b, b + w, b + h), what="TrimBox")
        assert_close(box_of(page["/BleedBox"]), box_of(page.mediabox), what="BleedBox")


@pytest.mark.parametrize("bleed", ["6", "-1"])
def test_bleed_out_of_range_is_refused(tmp_path, bleed):
    result = run_cli("build", "-q", "-o", tmp_path, f"--bleed={bleed}")
    assert result.exit_code == 2, result.output
    assert "0 to 5" in result.stderr
    assert not list(tmp_path.rglob("*.pdf"))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_sheets_pdf_pages_are_a4_portrait_fronts_and_backs(built, fmt):
    pdf = reader(built("standaard", card_format=fmt), "cards-sheets.pdf")
    per_sheet = expected_per_sheet(FORMATS[fmt], PAPERS_MM["a4"])
    assert per_sheet >= 1
    assert len(pdf.pages) == 2 * math.ceil(CARDS / per_sheet)
    for page in pdf.pages:
        assert_close(box_of(page.mediabox), (0, 0) + PAPERS["a4"])


@pytest.mark.parametrize("paper", ["letter", "a3"])
def test_sheets_pdf_on_other_paper(built, paper):
    pdf = reader(built("standaard", paper=paper), "cards-sheets.pdf")
    per_sheet = expected_per_sheet(FORMATS["a6"], PAPERS_MM[paper])
    assert len(pdf.pages) == 2 * math.ceil(CARDS / per_sheet)
    for page in pdf.pages:
        assert_close(box_of(page.mediabox), (0, 0) + PAPERS[paper])


def test_a6_fills_an_a3_sheet_with_more_cards_than_a4(built):
    a4 = len(reader(built("standaard"), "cards-sheets.pdf").pages)
    a3 = len(reader(built("standaard", paper="a3"), "cards-sheets.pdf").pages)
    assert a3 < a4


# ---------------------------------------------------------------- 2. fonts

def _fonts_in(resources, seen):
    resources = resources.get_object() if resources is not None else None
    if not resources:
        return
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if id(xobject) not in seen and xobject.get("/Subtype") == "/Form":
            seen.add(id(xobject))
            yield from _fonts_in(xobject.get("/Resources"), seen)


def assert_fonts_embedded(path: Path) -> None:
    pdf = PdfReader(path)
    count = 0
    for number, page in enumerate(pdf.pages):
        for font in _fonts_in(page.get("/Resources"), set()):
            count += 1
            name = str(font.get("/BaseFont", ""))
            assert not name.lstrip("/").split("+")[-1].startswith(BASE14), f"page {number + 1}: {name}"
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for desc in descendants:
                descriptor = desc.get("/FontDescriptor")
                assert descriptor is not None, f"page {number + 1}: font {name} has no FontDescriptor"
                descriptor = descriptor.get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                    f"page {number + 1}: font {name} is not embedded"
    assert count > 0
    # Anywhere in the file, not only on pages: no base-14 font.
    for num in range(1, int(pdf.trailer["/Size"])):
        try:
            obj = pdf.get_object(IndirectObject(num, 0, pdf))
        except Exception:
            continue
        if hasattr(obj, "get") and obj.get("/Type") == "/Font":
            base = str(obj.get("/BaseFont", "")).lstrip("/").split("+")[-1]
            assert not base.startswith(BASE14), f"object {num}: {base}"
    raw = path.read_bytes()
    for name in BASE14:
        assert f"/{name}".encode() not in raw


@pytest.mark.parametrize("deck, fmt", [("standaard", "a6"), ("standaard", "poker"), ("standard-en", "a6"),
                                       (str(ESCAPING), "a6")])
@pytest.mark.parametrize("name", PDFS)
def test_every_font_is_embedded(built, deck, fmt, name):
    assert_fonts_embedded(built(deck, card_format=fmt) / name)


# ---------------------------------------------------------------- 3. statements as text

@pytest.mark.parametrize("deck", ["standaard", "standard-en"])
@pytest.mark.parametrize("fmt", ["a6", "poker"])
def test_every_statement_is_text_on_its_front(built, deck, fmt):
    lessons = load_deck(deck).deck.lessons
    pdf = reader(built(deck, card_format=fmt), "cards-printshop.pdf")
    for i, lesson in enumerate(lessons):
        front = normalised(pdf.pages[OPENING_PAGES + 2 * i].extract_text())
        assert normalised(lesson.statement) in front, f"card {i + 1} ({lesson.id})"
        back = normalised(pdf.pages[OPENING_PAGES + 2 * i + 1].extract_text())
        assert normalised(lesson.statement) not in back


@pytest.mark.parametrize("fmt", ["a7", "tarot", "80x120"])
def test_every_statement_is_text_in_other_formats(built, fmt):
    lessons = load_deck("standaard").deck.lessons
    pdf = reader(built("standaard", card_format=fmt), "cards-printshop.pdf")
    for i, lesson in enumerate(lessons):
        assert normalised(lesson.statement) in normalised(pdf.pages[OPENING_PAGES + 2 * i].extract_text()), lesson.id


# ---------------------------------------------------------------- 4. text inside the safe zone

def _margin(fmt: str, profile: str = "standard") -> float:
    card = parse_card_format(fmt)
    return card_geometry(card, type_scale(card, parse_profile(profile))).margin


SAFE_CASES = [("standaard", f) for f in FORMATS] + [("standard-en", "a6"), ("standard-en", "poker"),
                                                     (str(ESCAPING), "a6")]


@pytest.mark.parametrize("deck, fmt", SAFE_CASES)
def test_printshop_text_lies_in_the_safe_zone(built, deck, fmt):
    margin = _margin(fmt)
    pdf = reader(built(deck, card_format=fmt), "cards-printshop.pdf")
    for number, page in enumerate(pdf.pages):
        x0, y0, x1, y1 = box_of(page["/TrimBox"])
        runs = text_runs(page)
        assert runs, f"page {number + 1} has no text"
        for text, corners in runs:
            for x, y in corners:
                assert x0 + margin - TOL <= x <= x1 - margin + TOL and y0 + margin - TOL <= y <= y1 - margin + TOL, \
                    f"page {number + 1}: {text!r} at ({x:.2f}, {y:.2f}) outside the safe zone"


SHEET_CASES = [("standaard", "a6", "a4", "long-edge"), ("standaard", "poker", "a4", "long-edge"),
               ("standaard", "a7", "letter", "long-edge"), ("standaard", "a6", "a4", "short-edge"),
               ("standaard", "a6", "a4", "none"), ("standaard", "tarot", "a3", "long-edge"),
               ("standard-en", "80x120", "a4", "long-edge")]


@pytest.mark.parametrize("deck, fmt, paper, duplex", SHEET_CASES)
def test_sheet_text_lies_in_the_safe_zone_of_a_card_slot(built, planned, deck, fmt, paper, duplex):
    opts = {"card_format": fmt}
    if paper != "a4":
        opts["paper"] = paper
    if duplex != "long-edge":
        opts["duplex"] = duplex
    pdf = reader(built(deck, **opts), "cards-sheets.pdf")
    plan = planned(deck, fmt)
    sheet = built_sheet(plan, paper, duplex)
    safe = plan.geometry.safe
    groups = math.ceil(len(plan.printed_faces) / sheet.per_sheet)
    assert len(pdf.pages) == 2 * groups
    for number, page in enumerate(pdf.pages):
        back = number % 2 == 1 if duplex != "none" else number >= groups
        transforms = [back_transform(sheet, s, duplex) if back else front_transform(sheet, s) for s in sheet.slots]
        inverses = [invert(t) for t in transforms]
        runs = text_runs(page)
        assert runs
        slug = margin_note(plan.deck, duplex, sheet.gutter)
        for text, corners in runs:
            if text.strip().rstrip("-") in slug and not any(s.x <= x <= s.right and s.y <= y <= s.top
                                                 for s in sheet.slots for x, y in corners):
                continue  # the duplex setting in small print, in the margin (tests/test_sheets_office.py)
            homes = [i for i, inv in enumerate(inverses)
                     if all(safe.x - TOL <= u <= safe.right + TOL and safe.y - TOL <= v <= safe.top + TOL
                            for u, v in (apply(inv, x, y) for x, y in corners))]
            assert homes, f"page {number + 1}: {text!r} is not inside the safe zone of any card slot"


@pytest.mark.parametrize("deck", ["standaard", "standard-en"])
@pytest.mark.parametrize("fmt", list(FORMATS) + ["90x140"])
def test_planned_text_and_qr_lie_in_the_safe_zone(planned, deck, fmt):
    plan = planned(deck, fmt)
    safe = plan.geometry.safe
    assert len(plan.faces) == len(load_deck(deck).deck.lessons)
    for number, (front, back) in enumerate(plan.faces, start=1):
        for side, face in (("front", front), ("back", back)):
            assert face.texts()
            for text in face.texts():
                assert inside(text.box, safe), f"card {number} {side}: {text.name} {text.box} outside {safe}"
        assert front.qr() is None
        qr = back.qr()
        assert qr is not None and inside(qr.box, safe), f"card {number}: QR {qr.box if qr else None}"


@pytest.mark.parametrize("fmt", ["a6", "148x210"])
def test_large_print_text_lies_in_the_safe_zone(planned, fmt):
    plan = planned("standaard", fmt, "large-print")
    for front, back in plan.faces:
        for face in (front, back):
            for text in face.texts():
                assert inside(text.box, plan.geometry.safe), text.name
                if text.name.startswith("question") or text.name == "explanation":
                    assert text.block.size >= 14


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_qr_quiet_zone_is_clear_and_on_the_card(planned, fmt):
    plan = planned("standaard", fmt)
    geo = plan.geometry
    for number, (_, back) in enumerate(plan.faces, start=1):
        qr = back.qr()
        quiet = QUIET_MODULES * qr.module
        zone = Box(qr.x - quiet, qr.y - quiet, qr.box.width + 2 * quiet, qr.box.height + 2 * quiet)
        assert inside(zone, geo.trim), f"card {number}: quiet zone leaves the card"
        for item in back.items:
            if item is qr or not hasattr(item, "box"):
                continue
            b = item.box
            overlap = (b.x < zone.right and zone.x < b.right and b.y < zone.top and zone.y < b.top)
            assert not overlap, f"card {number}: {type(item).__name__} {getattr(item, 'name', '')} in the quiet zone"


# ---------------------------------------------------------------- 5. duplex geometry

DUPLEX_CASES = [(f, p) for f in FORMATS for p in PAPERS_MM]


def built_sheet(plan, paper: str, duplex: str = "long-edge"):
    """The imposition a build makes with the default gutter (``sheets.resolve_gutter``)."""
    width, height = plan.geometry.width / MM, plan.geometry.height / MM
    gutter = resolve_gutter(width, height, parse_paper(paper), BuildOptions().gutter_mm, duplex)
    return sheet_plan_for(plan, parse_paper(paper), gutter * MM, duplex)


def _sheet(fmt: str, paper: str):
    w, h = FORMATS[fmt]
    pw, ph = PAPERS_MM[paper]
    return plan_sheet(w * MM, h * MM, pw * MM, ph * MM)


@pytest.mark.parametrize("fmt, paper", DUPLEX_CASES)
def test_slots_fill_the_sheet_centred_without_overlap(fmt, paper):
    sheet = _sheet(fmt, paper)
    assert sheet.per_sheet == expected_per_sheet(FORMATS[fmt], PAPERS_MM[paper])
    margin = SHEET_MARGIN_MM * MM
    for i, slot in enumerate(sheet.slots):
        assert inside(slot, Box(margin, margin, sheet.page_width - 2 * margin, sheet.page_height - 2 * margin))
        assert same_box(placed_box(front_transform(sheet, slot), sheet.card_width, sheet.card_height), slot)
        for other in sheet.slots[i + 1:]:
            assert not (slot.x < other.right - 1e-6 and other.x < slot.right - 1e-6
                        and slot.y < other.top - 1e-6 and other.y < slot.top - 1e-6)
    left = min(s.x for s in sheet.slots)
    right = max(s.right for s in sheet.slots)
    bottom = min(s.y for s in sheet.slots)
    top = max(s.top for s in sheet.slots)
    assert abs(left - (sheet.page_width - right)) < 1e-6
    assert abs(bottom - (sheet.page_height - top)) < 1e-6


@pytest.mark.parametrize("fmt, paper", DUPLEX_CASES)
def test_crop_marks_never_touch_a_card(fmt, paper):
    sheet = _sheet(fmt, paper)
    marks = crop_marks(list(sheet.slots), sheet.page_width, sheet.page_height)
    assert marks
    for x1, y1, x2, y2 in marks:
        assert 0 <= min(x1, x2) and max(x1, x2) <= sheet.page_width
        assert 0 <= min(y1, y2) and max(y1, y2) <= sheet.page_height
        for s in sheet.slots:
            hits = (min(x1, x2) <= s.right and s.x <= max(x1, x2) and min(y1, y2) <= s.top and s.y <= max(y1, y2))
            assert not hits, f"mark {(x1, y1, x2, y2)} touches slot {s}"


@pytest.mark.parametrize("fmt, paper", DUPLEX_CASES)
def test_back_boxes_mirror_the_fronts(fmt, paper):
    sheet = _sheet(fmt, paper)
    cw, ch, pw, ph = sheet.card_width, sheet.card_height, sheet.page_width, sheet.page_height
    for slot in sheet.slots:
        f = placed_box(front_transform(sheet, slot), cw, ch)
        long = placed_box(back_transform(sheet, slot, "long-edge"), cw, ch)
        short = placed_box(back_transform(sheet, slot, "short-edge"), cw, ch)
        none = placed_box(back_transform(sheet, slot, "none"), cw, ch)
        assert same_box(long, Box(pw - f.x - f.width, f.y, f.width, f.height)), (slot, long)
        assert same_box(short, Box(f.x, ph - f.y - f.height, f.width, f.height)), (slot, short)
        assert same_box(none, long)  # the stack fed again, turned over its long edge


@pytest.mark.parametrize("fmt, paper", DUPLEX_CASES)
@pytest.mark.parametrize("offset_mm", [(1.0, -0.5), (-2.0, 3.0)])
@pytest.mark.parametrize("duplex", ["long-edge", "short-edge", "none"])
def test_back_offset_shifts_backs_exactly(fmt, paper, offset_mm, duplex):
    sheet = _sheet(fmt, paper)
    dx, dy = offset_mm[0] * MM, offset_mm[1] * MM
    for slot in sheet.slots:
        plain = placed_box(back_transform(sheet, slot, duplex), sheet.card_width, sheet.card_height)
        moved = placed_box(back_transform(sheet, slot, duplex, (dx, dy)), sheet.card_width, sheet.card_height)
        assert same_box(moved, Box(plain.x + dx, plain.y + dy, plain.width, plain.height))
        front = placed_box(front_transform(sheet, slot), sheet.card_width, sheet.card_height)
        assert same_box(front, slot)


@pytest.mark.parametrize("fmt, paper", DUPLEX_CASES)
def test_every_back_point_lies_behind_its_front_point(fmt, paper):
    sheet = _sheet(fmt, paper)
    cw, ch, pw, ph = sheet.card_width, sheet.card_height, sheet.page_width, sheet.page_height
    points = [(cw * i / 4, ch * j / 4) for i in range(5) for j in range(5)]
    offset = (0.7 * MM, -1.3 * MM)
    for slot in sheet.slots:
        front = front_transform(sheet, slot)
        long = back_transform(sheet, slot, "long-edge")
        short = back_transform(sheet, slot, "short-edge")
        none = back_transform(sheet, slot, "none")
        shifted = back_transform(sheet, slot, "long-edge", offset)
        for u, v in points:
            px, py = apply(front, u, v)
            assert_close(apply(long, cw - u, v), (pw - px, py), 1e-6, "long-edge")
            assert_close(apply(short, cw - u, v), (px, ph - py), 1e-6, "short-edge")
            assert_close(apply(none, cw - u, v), (pw - px, py), 1e-6, "none")  # fed again, turned over its long edge
            assert_close(apply(shifted, cw - u, v), (pw - px + offset[0], py + offset[1]), 1e-6, "offset")


QR_SHEET_CASES = [("a6", "a4", "long-edge", (0.0, 0.0)), ("a6", "a4", "short-edge", (0.0, 0.0)),
                  ("a6", "a4", "none", (0.0, 0.0)), ("poker", "a4", "long-edge", (0.0, 0.0)),
                  ("a7", "letter", "short-edge", (0.0, 0.0)), ("a6", "a4", "long-edge", (2.0, -1.5))]


@pytest.mark.parametrize("fmt, paper, duplex, offset_mm", QR_SHEET_CASES)
def test_qr_codes_on_sheet_backs_sit_behind_their_fronts(built, planned, fmt, paper, duplex, offset_mm):
    """Decoded from the rendered back page; the expected position is computed from the front only:
    the QR's card point, turned over the card's vertical axis, placed as a front, then the sheet
    turned over the printer's flip edge."""
    offset = (offset_mm[0] * MM, offset_mm[1] * MM)
    opts = {"card_format": fmt, "paper": paper, "duplex": duplex, "back_offset": offset}
    pdf = built("standaard", **opts) / "cards-sheets.pdf"
    plan = planned("standaard", fmt)
    sheet = built_sheet(plan, paper, duplex)
    n = sheet.per_sheet
    groups = math.ceil(len(plan.printed_faces) / n)
    back_page = groups if duplex == "none" else 1
    urls = [plan.deck.opening.source.url] + [lesson.sources[0].url for lesson in plan.deck.lessons]
    expected = []
    for i, slot in enumerate(sheet.slots[: len(plan.printed_faces)]):
        u, v = qr_centre(plan.printed_faces[i][1])
        px, py = apply(front_transform(sheet, slot), sheet.card_width - u, v)  # none: the stack turned over its long edge
        x, y = (sheet.page_width - px, py) if duplex in ("long-edge", "none") else (px, sheet.page_height - py)
        expected.append((urls[i], (x + offset[0], y + offset[1])))
    found = decode_qr(pdf, back_page, scale=3)
    assert len(found) == len(expected), [f[0] for f in found]
    for url, (x, y) in expected:
        near = [f for f in found if f[0] == url and math.hypot(f[1][0] - x, f[1][1] - y) <= 1.0 * MM]
        assert near, f"no QR for {url} within 1 mm of ({x / MM:.1f}, {y / MM:.1f}) mm; found " + \
            ", ".join(f"{t} at ({c[0] / MM:.1f}, {c[1] / MM:.1f})" for t, c, _ in found)
    # fronts carry no QR code
    assert decode_qr(pdf, 0, scale=2) == []


# ---------------------------------------------------------------- 6. QR codes on every back

@pytest.mark.parametrize("deck", ["standaard", "standard-en"])
@pytest.mark.parametrize("fmt", ["a6", "poker"])
def test_every_qr_decodes_to_its_lesson_url(built, planned, deck, fmt):
    pdf = built(deck, card_format=fmt) / "cards-printshop.pdf"
    lessons = load_deck(deck).deck.lessons
    plan = planned(deck, fmt)
    bleed = 3 * MM
    for i, lesson in enumerate(lessons):
        found = decode_qr(pdf, OPENING_PAGES + 2 * i + 1, scale=4)
        assert len(found) == 1, f"card {i + 1} ({lesson.id}): {len(found)} QR codes"
        text, (x, y), result = found[0]
        assert text == lesson.sources[0].url, f"card {i + 1} ({lesson.id})"
        assert result.ec_level == "M"
        u, v = qr_centre(plan.faces[i][1])
        assert math.hypot(x - (u + bleed), y - (v + bleed)) <= 1.0 * MM
    for i in range(len(lessons)):
        assert decode_qr(pdf, OPENING_PAGES + 2 * i, scale=2) == [], f"front {i + 1} has a QR code"


@pytest.mark.parametrize("deck", ["standaard", "standard-en"])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_qr_symbol_is_at_least_20_mm_with_half_mm_modules(planned, deck, fmt):
    plan = planned(deck, fmt)
    for i, (_, back) in enumerate(plan.faces):
        qr = back.qr()
        assert isinstance(qr, Qr)
        assert qr.symbol.data == plan.deck.lessons[i].sources[0].url
        assert qr.symbol.modules * qr.module >= 20 * MM - 1e-9
        assert qr.module >= 0.5 * MM - 1e-9


# ---------------------------------------------------------------- 7. texts that do not fit

@pytest.mark.parametrize("command", [("build", "-q"), ("check", "--format", "a6")])
def test_too_long_explanation_fails_naming_card_field_and_overflow(tmp_path, command):
    result = run_cli(*command, LONG_EXPLANATION, *(("-o", tmp_path) if command[0] == "build" else ()))
    assert result.exit_code == 1, result.output
    message = result.stderr
    assert "Error:" in message and "Traceback" not in message
    assert "veel-te-lang" in message and "'explanation'" in message
    assert "kort-en-goed" not in message
    found = re.search(r"overflows by (\d+(?:\.\d+)?) mm", message)
    assert found and float(found.group(1)) > 0, message
    assert "long_explanation.yaml" in message
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


@pytest.mark.parametrize("command", [("build", "-q"), ("check", "--format", "a6")])
def test_emoji_fails_naming_field_and_code_point(tmp_path, command):
    result = run_cli(*command, EMOJI, *(("-o", tmp_path) if command[0] == "build" else ()))
    assert result.exit_code == 1, result.output
    assert "met-emoji" in result.stderr and "'statement'" in result.stderr and "U+1F600" in result.stderr
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


@pytest.mark.parametrize("command", [("build", "-q"), ("check", "--format", "a6")])
def test_too_long_url_fails_naming_the_source_and_qr(tmp_path, command):
    result = run_cli(*command, LONG_URL, *(("-o", tmp_path) if command[0] == "build" else ()))
    assert result.exit_code == 1, result.output
    assert "lange-bron" in result.stderr and "sources[1].url" in result.stderr and "QR" in result.stderr
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_fixture_url_is_about_1500_characters():
    url = load_deck(LONG_URL).deck.lessons[0].sources[0].url
    assert 1400 <= len(url) <= 1600


# ---------------------------------------------------------------- 8. text is literal

LITERAL = ['<img src="/etc/passwd"/>', "<b>vet</b>", "&amp;", "A & B", '<font color="red">', "<b>opmaak</b>",
           "<i>schuin</i>"]


def test_markup_in_deck_text_is_printed_literally(built):
    folder = built(str(ESCAPING))
    pdf = reader(folder, "cards-printshop.pdf")
    text = "\n".join(page.extract_text() for page in pdf.pages)
    flat = collapsed(text)
    squeezed = normalised(text)
    for s in LITERAL:
        assert normalised(s) in squeezed, s
    assert "<b>vet</b>" in flat and "A & B" in flat and "&amp;" in flat
    assert '<font color="red">' in flat
    front = collapsed(pdf.pages[0].extract_text())
    assert "Een <b>vet</b> plan voor A & B" in front
    for page in list(pdf.pages) + list(reader(folder, "cards-sheets.pdf").pages):
        xobjects = (page["/Resources"].get("/XObject") or {}) if "/Resources" in page else {}
        assert not any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.values())


# ---------------------------------------------------------------- 9. identical bytes

@pytest.mark.parametrize("deck, fmt", [("standaard", "a6"), ("standard-en", "poker")])
def test_two_builds_give_identical_bytes(built, tmp_path, deck, fmt):
    from dialoogkit.output.build import BuildOptions, build_cards

    first = built(deck, card_format=fmt)
    written = build_cards(deck, BuildOptions(card_format=fmt, output=tmp_path))
    assert {tmp_path / first.name / name for name in PDFS} <= set(written)
    for name in PDFS:
        assert (tmp_path / first.name / name).read_bytes() == (first / name).read_bytes(), name


# ---------------------------------------------------------------- 10. document hygiene

@pytest.mark.parametrize("deck, lang", [("standaard", "nl-NL"), ("standard-en", "en-GB")])
@pytest.mark.parametrize("name", PDFS)
def test_pdfs_have_title_author_subject_and_language(built, deck, lang, name):
    pdf = reader(built(deck), name)
    info = pdf.metadata
    for key in ("/Title", "/Author", "/Subject"):
        assert str(info.get(key) or "").strip(), key
    assert load_deck(deck).deck.title in info["/Title"]
    assert pdf.trailer["/Root"].get("/Lang") == lang


def test_failed_build_keeps_the_previous_good_files(tmp_path):
    data = yaml.safe_load(LONG_EXPLANATION.read_text(encoding="utf-8"))
    data["lessons"][1]["explanation"] = "Nu wel kort genoeg."
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    first = run_cli("build", "-q", "-o", out, good)
    assert first.exit_code == 0, first.output
    folder = out / data["id"]
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert set(PDFS) <= {str(p) for p in before}
    failed = run_cli("build", "-q", "-o", out, LONG_EXPLANATION)
    assert failed.exit_code == 1
    assert "veel-te-lang" in failed.stderr
    after = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in out.rglob("*") if p.name.startswith(".dialoogkit-tmp-")]


def test_build_leaves_no_temporary_files(built):
    folder = built("standaard")
    names = {p.name for p in folder.rglob("*")}
    assert set(PDFS) <= names
    assert not [n for n in names if n.startswith(".dialoogkit-tmp-")]


# ---------------------------------------------------------------- 11. the command line

def test_quiet_build_prints_nothing(tmp_path):
    result = run_cli("build", "-q", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == ""
    for name in PDFS:
        assert (tmp_path / "standaard" / name).is_file()


def test_build_lists_the_files_it_wrote(tmp_path):
    result = run_cli("build", "-o", tmp_path, "standard-en")
    assert result.exit_code == 0, result.output
    for name in PDFS:
        path = tmp_path / "standard-en" / name
        assert path.is_file()
        assert str(path) in result.stdout


def test_build_with_printer_options(tmp_path):
    result = run_cli("build", "-q", "-o", tmp_path, "--duplex", "short-edge", "--back-offset", "1,-0.5",
                     "--format", "90x140", "--paper", "letter")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "standaard"
    shop = reader(folder, "cards-printshop.pdf")
    assert len(shop.pages) == 2 * CARDS
    assert_close(box_of(shop.pages[0]["/TrimBox"]), (3 * MM, 3 * MM, 93 * MM, 143 * MM))
    sheets = reader(folder, "cards-sheets.pdf")
    per_sheet = expected_per_sheet((90, 140), PAPERS_MM["letter"])
    assert len(sheets.pages) == 2 * math.ceil(CARDS / per_sheet)
    assert_close(box_of(sheets.pages[0].mediabox), (0, 0) + PAPERS["letter"])
    # the first card's back is placed short-edge and shifted by (1, -0.5) mm
    gutter = resolve_gutter(90, 140, parse_paper("letter"), BuildOptions().gutter_mm)
    sheet = plan_sheet(90 * MM, 140 * MM, *PAPERS["letter"], gutter * MM)
    expected = back_transform(sheet, sheet.slots[0], "short-edge", (1 * MM, -0.5 * MM))
    cms = []
    sheets.pages[1].extract_text(
        visitor_text=lambda text, cm, tm, font, size: cms.append(tuple(cm)) if text.strip() else None)
    assert_close(cms[0], expected, 0.01, "back transform")


def test_build_single_sided_puts_backs_after_fronts(tmp_path):
    result = run_cli("build", "-q", "-o", tmp_path, "--duplex", "none")
    assert result.exit_code == 0, result.output
    pages = reader(tmp_path / "standaard", "cards-sheets.pdf").pages
    groups = len(pages) // 2
    deck = load_deck("standaard").deck
    fronts = normalised(" ".join(p.extract_text() for p in pages[:groups]))
    backs = normalised(" ".join(p.extract_text() for p in pages[groups:]))
    for lesson in deck.lessons:
        assert normalised(lesson.statement) in fronts
        assert normalised(lesson.statement) not in backs
    # every lesson's back, and the opening card's
    assert "Gespreksvragen" not in fronts and backs.count("Gespreksvragen") == len(deck.lessons) + 1


@pytest.mark.parametrize("args, hints", [
    (("--format", "10x10"), ["10 mm", "50"]),
    (("--format", "huge"), ["huge", "a6", "poker", "WIDTHxHEIGHT"]),
    (("--back-offset", "abc"), ["abc", "DX,DY"]),
    (("--paper", "b5"), ["b5", "a4", "letter", "a3"]),
    (("--duplex", "sideways"), ["long-edge", "short-edge"]),
])
def test_bad_option_values_exit_2_with_a_helpful_message(tmp_path, args, hints):
    result = run_cli("build", "-q", "-o", tmp_path, *args)
    assert result.exit_code == 2, result.output
    assert "Error" in result.stderr and "Traceback" not in result.output
    for hint in hints:
        assert hint in result.stderr, (hint, result.stderr)
    assert not list(tmp_path.rglob("*.pdf"))


def test_calibrate_writes_a_two_page_sheet(tmp_path):
    target = tmp_path / "cal" / "calibrate.pdf"
    result = run_cli("calibrate", "-o", target)
    assert result.exit_code == 0, result.output
    pdf = PdfReader(target)
    assert len(pdf.pages) == 2
    for page in pdf.pages:
        assert_close(box_of(page.mediabox), (0, 0) + PAPERS["a4"])
    assert_fonts_embedded(target)
    assert str(target) in result.stdout
