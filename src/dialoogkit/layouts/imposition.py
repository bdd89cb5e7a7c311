"""Imposition for home/office printing: cards N-up on a portrait sheet, duplex-aligned backs and
crop marks, as pure functions on numbers (points).

In: card size, paper size, a gutter between the cards (0 = cards touch), duplex mode
(``long-edge``, ``short-edge``, ``none``) and a back offset.
Out: a ``SheetPlan`` with slots (spaced by the gutter), the bleed each card may run into (half the
gutter, on every side), the affine transforms that put a card's front and back on the page, and
crop-mark segments that lie in the margin only: never on a card or its bleed, and never nearer the
paper's edge than ``PRINTABLE_MM`` (most office printers cannot print there).

A transform is ``(a, b, c, d, e, f)`` as in PDF: card point ``(u, v)`` goes to
``(a*u + c*v + e, b*u + d*v + f)``. A back is placed so that, after the sheet is turned over the
printer's flip edge and the card is turned over its own vertical axis, every point of the back
lies exactly behind the same point of the front: ``back = sheet_flip ∘ front ∘ card_flip``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dialoogkit.errors import UsageProblem, quoted
from dialoogkit.layouts.units import Box, mm
from dialoogkit.i18n import say

Affine = tuple[float, float, float, float, float, float]
Segment = tuple[float, float, float, float]

DUPLEX_MODES = ("long-edge", "short-edge", "none")
PRINTABLE_MM = 5.0  # no ink nearer the paper's edge than this
MARK_GAP_MM = 1.0  # between a card's bleed and a crop mark
MARK_MIN_MM = 2.0  # a crop mark is at least this long ...
MARK_LENGTH_MM = 5.0  # ... and at most this long
SHEET_MARGIN_MM = PRINTABLE_MM + MARK_MIN_MM + MARK_GAP_MM  # the margin around the cards without a gutter
MAX_GUTTER_MM = 10.0
MAX_BACK_OFFSET_MM = 20.0  # a printer that shifts the backs further needs repair, not a correction


@dataclass(frozen=True)
class SheetPlan:
    """Where cards go on one sheet: slots in reading order (top-left first)."""

    page_width: float
    page_height: float
    card_width: float
    card_height: float
    rotated: bool
    columns: int
    rows: int
    slots: tuple[Box, ...]
    gutter: float = 0.0

    @property
    def per_sheet(self) -> int:
        return len(self.slots)

    @property
    def bleed(self) -> float:
        """How far a card's background runs past its trim on every side: half the gutter, so two
        neighbours' bleeds meet in the middle of the gutter and never enter each other's card."""
        return self.gutter / 2

    @property
    def paper_use(self) -> float:
        """The share of the sheet covered by cards (0-1)."""
        return self.per_sheet * self.card_width * self.card_height / (self.page_width * self.page_height)


def compose(outer: Affine, inner: Affine) -> Affine:
    """The transform that applies ``inner`` first, then ``outer``."""
    a1, b1, c1, d1, e1, f1 = outer
    a2, b2, c2, d2, e2, f2 = inner
    return (a1 * a2 + c1 * b2, b1 * a2 + d1 * b2, a1 * c2 + c1 * d2, b1 * c2 + d1 * d2,
            a1 * e2 + c1 * f2 + e1, b1 * e2 + d1 * f2 + f1)


def apply(t: Affine, x: float, y: float) -> tuple[float, float]:
    """Map a point through a transform."""
    a, b, c, d, e, f = t
    return a * x + c * y + e, b * x + d * y + f


def _grid(space_w: float, space_h: float, w: float, h: float, gutter: float) -> tuple[int, int]:
    """Columns and rows of ``w``×``h`` cards, ``gutter`` apart, that fit in the space."""
    return int((space_w + gutter + 1e-6) // (w + gutter)), int((space_h + gutter + 1e-6) // (h + gutter))


def sheet_margin(gutter: float = 0.0) -> float:
    """The least margin (points) around the block of cards: room for the outside bleed (half the
    gutter), the gap, a crop mark of at least ``MARK_MIN_MM`` and the printer's unprintable edge."""
    return mm(SHEET_MARGIN_MM) + gutter / 2


def plan_sheet(card_w: float, card_h: float, page_w: float, page_h: float, gutter: float = 0.0) -> SheetPlan:
    """Fit as many cards as possible, ``gutter`` points apart, on a portrait page, turning them a
    quarter if that fits more; the block of cards is centred and keeps ``sheet_margin`` free."""
    margin = sheet_margin(gutter)
    space_w, space_h = page_w - 2 * margin, page_h - 2 * margin
    upright = _grid(space_w, space_h, card_w, card_h, gutter)
    turned = _grid(space_w, space_h, card_h, card_w, gutter)
    rotated = turned[0] * turned[1] > upright[0] * upright[1]
    cols, rows = turned if rotated else upright
    if cols * rows == 0:
        raise UsageProblem(say("layout.card_too_big", card=f"{card_w / mm(1):.0f}×{card_h / mm(1):.0f}",
                               paper=f"{page_w / mm(1):.0f}×{page_h / mm(1):.0f}",
                               margin=f"{round(margin / mm(1), 1):g}"))
    slot_w, slot_h = (card_h, card_w) if rotated else (card_w, card_h)
    x0 = (page_w - cols * slot_w - (cols - 1) * gutter) / 2
    y0 = (page_h - rows * slot_h - (rows - 1) * gutter) / 2
    slots = tuple(Box(x0 + c * (slot_w + gutter), y0 + (rows - 1 - r) * (slot_h + gutter), slot_w, slot_h)
                  for r in range(rows) for c in range(cols))
    return SheetPlan(page_w, page_h, card_w, card_h, rotated, cols, rows, slots, gutter)


def front_transform(plan: SheetPlan, slot: Box) -> Affine:
    """Card coordinates to page coordinates for the front in ``slot`` (turned a quarter
    counter-clockwise when the plan rotates cards)."""
    if plan.rotated:
        return (0.0, 1.0, -1.0, 0.0, slot.x + plan.card_height, slot.y)
    return (1.0, 0.0, 0.0, 1.0, slot.x, slot.y)


def back_transform(plan: SheetPlan, slot: Box, duplex: str, offset: tuple[float, float] = (0.0, 0.0)) -> Affine:
    """Card coordinates to page coordinates for the back of the card in ``slot``."""
    if duplex not in DUPLEX_MODES:
        raise UsageProblem(say("layout.unknown_duplex", mode=quoted(duplex, 40), modes=", ".join(DUPLEX_MODES)))
    front = front_transform(plan, slot)
    if duplex == "none":
        placed = front
    else:
        card_flip: Affine = (-1.0, 0.0, 0.0, 1.0, plan.card_width, 0.0)
        if duplex == "long-edge":
            sheet_flip: Affine = (-1.0, 0.0, 0.0, 1.0, plan.page_width, 0.0)
        else:
            sheet_flip = (1.0, 0.0, 0.0, -1.0, 0.0, plan.page_height)
        placed = compose(sheet_flip, compose(front, card_flip))
    dx, dy = offset
    return compose((1.0, 0.0, 0.0, 1.0, dx, dy), placed)


def placed_box(t: Affine, width: float, height: float) -> Box:
    """The page rectangle covered by a ``width``×``height`` card under transform ``t``."""
    corners = [apply(t, u, v) for u, v in ((0, 0), (width, 0), (0, height), (width, height))]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    return Box(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def crop_marks(boxes: list[Box], page_w: float, page_h: float, bleed: float = 0.0) -> list[Segment]:
    """Short lines in the margin that extend every cut line of the block of ``boxes``. They start
    ``MARK_GAP_MM`` beyond the cards' outside ``bleed`` (no mark touches a card or its bleed) and
    stop ``PRINTABLE_MM`` short of the paper's edge; a mark that would be shorter than
    ``MARK_MIN_MM`` there is left out (``sheet_margin`` leaves room for every mark)."""
    left = min(b.x for b in boxes) - bleed
    right = max(b.right for b in boxes) + bleed
    bottom = min(b.y for b in boxes) - bleed
    top = max(b.top for b in boxes) + bleed
    gap, length, edge, shortest = mm(MARK_GAP_MM), mm(MARK_LENGTH_MM), mm(PRINTABLE_MM), mm(MARK_MIN_MM) - 1e-6
    xs = sorted({round(v, 3) for b in boxes for v in (b.x, b.right)})
    ys = sorted({round(v, 3) for b in boxes for v in (b.y, b.top)})
    up, down = (top + gap, min(page_h - edge, top + gap + length)), (max(edge, bottom - gap - length), bottom - gap)
    west, east = (max(edge, left - gap - length), left - gap), (right + gap, min(page_w - edge, right + gap + length))
    marks: list[Segment] = []
    for x in xs:
        marks += [(x, a, x, b) for a, b in (up, down) if b - a >= shortest]
    for y in ys:
        marks += [(a, y, b, y) for a, b in (west, east) if b - a >= shortest]
    return marks


def slug_areas(boxes: list[Box], page_w: float, page_h: float, bleed: float = 0.0) -> list[Box]:
    """Free rectangles for a line of small print in the bottom margin, then the top margin: inside
    the printable area, ``MARK_GAP_MM`` clear of the cards' bleed and of every crop mark (they lie
    between the marks of neighbouring cut lines), each as high as the crop marks reach."""
    gap, edge, length = mm(MARK_GAP_MM), mm(PRINTABLE_MM), mm(MARK_LENGTH_MM)
    bottom = min(b.y for b in boxes) - bleed - gap
    top = max(b.top for b in boxes) + bleed + gap
    bands = [(max(edge, bottom - length), bottom), (top, min(page_h - edge, top + length))]
    cuts = {round(v, 3) for b in boxes for v in (b.x, b.right)}
    stops = sorted({edge, page_w - edge} | {v for v in cuts if edge < v < page_w - edge})
    areas = []
    for low, high in bands:
        for a, b in zip(stops, stops[1:]):
            left = a if a == edge else a + gap
            right = b if b == page_w - edge else b - gap
            if right > left and high > low:
                areas.append(Box(left, low, right - left, high - low))
    return areas


def parse_offset(text: str) -> tuple[float, float]:
    """``"DX,DY"`` in millimetres (e.g. ``"0.5,-1"``) to points. Only the digits 0-9, a sign and a
    decimal point are accepted: ``nan``, ``inf``, exponents and other scripts' digits are refused."""
    match = _OFFSET.match(text)
    if not match:
        raise UsageProblem(say("layout.back_offset", text=quoted(text, 40)))
    dx, dy = float(match.group(1)), float(match.group(2))
    if abs(dx) > MAX_BACK_OFFSET_MM or abs(dy) > MAX_BACK_OFFSET_MM:
        raise UsageProblem(say("layout.back_offset_large", text=quoted(text, 40)))
    return mm(dx), mm(dy)


_NUMBER = r"\s*([+-]?(?:\d{1,6}(?:\.\d{0,6})?|\.\d{1,6}))\s*"
_OFFSET = re.compile(f"^{_NUMBER},{_NUMBER}$", re.ASCII)
