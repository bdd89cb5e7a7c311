"""Imposition for home/office printing: cards N-up on a portrait sheet, duplex-aligned backs and
crop marks, as pure functions on numbers (points).

In: card size, paper size, a gutter between the cards (0 = cards touch), duplex mode (one of
``DUPLEX_MODES``: ``long-edge``, ``short-edge``, ``none``, ``fold``) and a back offset.
Out: a ``SheetPlan`` with slots (spaced by the gutter), the bleed each card may run into (half the
gutter, on every side), the affine transforms that put a card's front and back on the page, and
crop-mark segments that lie in the margin only: never on a card or its bleed, and never nearer the
paper's edge than ``PRINTABLE_MM`` (most office printers cannot print there); ``fitting_gutter``,
the largest gutter up to a given one that keeps the cards per sheet of no gutter.

The modes: ``long-edge`` and ``short-edge`` print fronts and backs on the two sides of one sheet
by a duplex printer; ``none`` prints all fronts, then all backs, mirrored as for ``long-edge``, so
that the printed stack turned over its long edge and fed again (or a sheet of backs glued behind
its sheet of fronts, turned the same way) puts every back behind its front; ``fold`` (a
gutterfold) puts the fronts on one half of a single-sided sheet and their backs on the other,
mirrored about the fold line (``SheetPlan.fold_line``) that runs between the halves, each card
``FOLD_GAP_MM`` (plus its bleed) away from it: folded along the line, every back lies behind its
front.

A transform is ``(a, b, c, d, e, f)`` as in PDF: card point ``(u, v)`` goes to
``(a*u + c*v + e, b*u + d*v + f)``. A back is placed so that, after the sheet is turned over the
printer's flip edge (or folded along the fold line) and the card is turned over its own vertical
axis, every point of the back lies exactly behind the same point of the front:
``back = sheet_flip ∘ front ∘ card_flip``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dialoogkit.errors import UsageProblem, quoted
from dialoogkit.layouts.units import Box, mm
from dialoogkit.i18n import say

Affine = tuple[float, float, float, float, float, float]
Segment = tuple[float, float, float, float]

DUPLEX_MODES = ("long-edge", "short-edge", "none", "fold")
PRINTABLE_MM = 5.0  # no ink nearer the paper's edge than this
MARK_GAP_MM = 1.0  # between a card's bleed and a crop mark
MARK_MIN_MM = 2.0  # a crop mark is at least this long ...
MARK_LENGTH_MM = 5.0  # ... and at most this long
SHEET_MARGIN_MM = PRINTABLE_MM + MARK_MIN_MM + MARK_GAP_MM  # the margin around the cards without a gutter
MAX_GUTTER_MM = 10.0
AUTO_GUTTER_MM = 3.0  # the default gutter: the largest up to this that keeps the cards per sheet
CLEAN_CUT_GUTTER_MM = 2.0  # from this gutter on, a cut 1 mm off the line stays in the card's own colour
GUTTER_STEP_MM = 0.1
FOLD_GAP_MM = 4.0  # from the fold line to the nearest card's bleed: room for a fold a little off, and its note
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
    fold: str = ""  # "" (no fold), "across" (a horizontal fold line, fronts above) or "down" (vertical, fronts left)

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
        """The share of the sheet covered by cards (0-1): fronts, and with a fold their backs too."""
        sides = 2 if self.fold else 1
        return sides * self.per_sheet * self.card_width * self.card_height / (self.page_width * self.page_height)

    @property
    def fold_line(self) -> Segment | None:
        """The line to fold along, across the printable width or height, or None without a fold."""
        edge = mm(PRINTABLE_MM)
        if self.fold == "across":
            return (edge, self.page_height / 2, self.page_width - edge, self.page_height / 2)
        if self.fold == "down":
            return (self.page_width / 2, edge, self.page_width / 2, self.page_height - edge)
        return None


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


def plan_sheet(card_w: float, card_h: float, page_w: float, page_h: float, gutter: float = 0.0,
               fold: bool = False) -> SheetPlan:
    """Fit as many cards as possible, ``gutter`` points apart, on a portrait page, turning them a
    quarter if that fits more; the block of cards is centred and keeps ``sheet_margin`` free. With
    ``fold`` the fronts fill one half of the page (see ``plan_fold``)."""
    if fold:
        return plan_fold(card_w, card_h, page_w, page_h, gutter)
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


def fold_margin(gutter: float = 0.0) -> float:
    """The space (points) between the fold line and the nearest card's trim: ``FOLD_GAP_MM`` and
    the card's bleed (half the gutter)."""
    return mm(FOLD_GAP_MM) + gutter / 2


def plan_fold(card_w: float, card_h: float, page_w: float, page_h: float, gutter: float = 0.0) -> SheetPlan:
    """A gutterfold: as many fronts as fit on one half of the portrait page (above a horizontal
    fold line, or left of a vertical one, cards upright or turned, whichever fits most; ties keep
    that order), the block next to the fold (``fold_margin`` away) and ``sheet_margin`` from the
    paper's edges; ``back_transform`` mirrors each front into the other half."""
    margin, gap = sheet_margin(gutter), fold_margin(gutter)
    best: SheetPlan | None = None
    for fold, space_w, space_h in (("across", page_w - 2 * margin, page_h / 2 - margin - gap),
                                   ("down", page_w / 2 - margin - gap, page_h - 2 * margin)):
        for rotated in (False, True):
            slot_w, slot_h = (card_h, card_w) if rotated else (card_w, card_h)
            cols, rows = _grid(space_w, space_h, slot_w, slot_h, gutter)
            if best is not None and cols * rows <= best.per_sheet:
                continue
            block_w, block_h = cols * slot_w + (cols - 1) * gutter, rows * slot_h + (rows - 1) * gutter
            if fold == "across":
                x0, y0 = (page_w - block_w) / 2, page_h / 2 + gap
            else:
                x0, y0 = page_w / 2 - gap - block_w, (page_h - block_h) / 2
            slots = tuple(Box(x0 + c * (slot_w + gutter), y0 + (rows - 1 - r) * (slot_h + gutter), slot_w, slot_h)
                          for r in range(rows) for c in range(cols))
            best = SheetPlan(page_w, page_h, card_w, card_h, rotated, cols, rows, slots, gutter, fold)
    if best is None or best.per_sheet == 0:
        raise UsageProblem(say("layout.card_too_big_fold", card=f"{card_w / mm(1):.0f}×{card_h / mm(1):.0f}",
                               paper=f"{page_w / mm(1):.0f}×{page_h / mm(1):.0f}"))
    return best


def fitting_gutter(card_w: float, card_h: float, page_w: float, page_h: float, most: float,
                   fold: bool = False) -> float:
    """The largest gutter (points, in steps of ``GUTTER_STEP_MM``) up to ``most`` that keeps as
    many cards on the sheet as no gutter does."""
    wanted = plan_sheet(card_w, card_h, page_w, page_h, 0.0, fold).per_sheet
    steps = int(round(most / mm(GUTTER_STEP_MM) + 1e-9))
    for step in range(steps, 0, -1):
        gutter = min(most, mm(step * GUTTER_STEP_MM))
        try:
            if plan_sheet(card_w, card_h, page_w, page_h, gutter, fold).per_sheet >= wanted:
                return gutter
        except UsageProblem:
            continue
    return 0.0


def front_transform(plan: SheetPlan, slot: Box) -> Affine:
    """Card coordinates to page coordinates for the front in ``slot`` (turned a quarter
    counter-clockwise when the plan rotates cards)."""
    if plan.rotated:
        return (0.0, 1.0, -1.0, 0.0, slot.x + plan.card_height, slot.y)
    return (1.0, 0.0, 0.0, 1.0, slot.x, slot.y)


def back_transform(plan: SheetPlan, slot: Box, duplex: str, offset: tuple[float, float] = (0.0, 0.0)) -> Affine:
    """Card coordinates to page coordinates for the back of the card in ``slot`` (with ``fold``, on
    the same page as its front; the back offset only corrects a printer's second side)."""
    if duplex not in DUPLEX_MODES:
        raise UsageProblem(say("layout.unknown_duplex", mode=quoted(duplex, 40), modes=", ".join(DUPLEX_MODES)))
    front = front_transform(plan, slot)
    card_flip: Affine = (-1.0, 0.0, 0.0, 1.0, plan.card_width, 0.0)
    placed = compose(sheet_flip(plan, duplex), compose(front, card_flip))
    if duplex == "fold":
        return placed  # front and back on one side of one sheet: no printer shifts one against the other
    dx, dy = offset
    return compose((1.0, 0.0, 0.0, 1.0, dx, dy), placed)


def sheet_flip(plan: SheetPlan, duplex: str) -> Affine:
    """How a page point moves when the sheet is turned over for its backs: over the long edge
    (``long-edge``, and ``none``: the printed stack turned over its long edge and fed again),
    over the short edge, or folded along the fold line."""
    if duplex == "fold":
        if plan.fold == "across":
            return (1.0, 0.0, 0.0, -1.0, 0.0, plan.page_height)
        return (-1.0, 0.0, 0.0, 1.0, plan.page_width, 0.0)
    if duplex == "short-edge":
        return (1.0, 0.0, 0.0, -1.0, 0.0, plan.page_height)
    return (-1.0, 0.0, 0.0, 1.0, plan.page_width, 0.0)


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
    """Free rectangles for a few lines of small print in the bottom margin, then the top margin:
    inside the printable area, ``MARK_GAP_MM`` clear of the cards' bleed and of every crop mark
    (they lie between the marks of neighbouring cut lines), each as high as the margin."""
    gap, edge = mm(MARK_GAP_MM), mm(PRINTABLE_MM)
    bottom = min(b.y for b in boxes) - bleed - gap
    top = max(b.top for b in boxes) + bleed + gap
    bands = [(edge, bottom), (top, page_h - edge)]
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


def fold_note_area(plan: SheetPlan) -> Box | None:
    """The strip beside the fold line on the fronts' side, for the small print that says how to
    fold: ``MARK_GAP_MM / 2`` clear of the line and of the fronts' bleed, within the printable
    width or height (None without a fold)."""
    clear, edge = mm(MARK_GAP_MM) / 2, mm(PRINTABLE_MM)
    depth = mm(FOLD_GAP_MM) - 2 * clear
    if plan.fold == "across":
        return Box(edge, plan.page_height / 2 + clear, plan.page_width - 2 * edge, depth)
    if plan.fold == "down":  # a strip left of a vertical line: as wide as the gap, as high as the page
        return Box(plan.page_width / 2 - clear - depth, edge, depth, plan.page_height - 2 * edge)
    return None


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
