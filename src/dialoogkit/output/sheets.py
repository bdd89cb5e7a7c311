"""``cards-sheets.pdf``: cards N-up on A4/Letter/A3 for an office duplex printer.

In: a ``DeckPlan``, paper, duplex mode, back offset and a gutter between the cards (points).
Out: PDF bytes. Fronts and backs alternate page by page (with ``none``: all fronts, then all
backs); backs are placed by ``layouts.imposition`` so each lies behind its front. With a gutter,
backgrounds run half the gutter past every edge of their card (clipped there, so no colour enters
a neighbour's card) and a cut a little off the line leaves no white sliver. Crop marks sit in the
margin only; a line of small print in the margin, in the deck's language, names the duplex setting
the sheets were made for. Also: how a card format uses a sheet, and a better format to suggest.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Callable

from dialoogkit.cards.labels import labels_for
from dialoogkit.generator.colours import INK
from dialoogkit.generator.display import Face, Text, render_face
from dialoogkit.generator.fonts import REGULAR
from dialoogkit.generator.plan import DeckPlan
from dialoogkit.generator.textfit import Run, TextBlock, set_text
from dialoogkit.layouts.formats import CARD_FORMATS, CardFormat, Paper
from dialoogkit.layouts.imposition import (
    SheetPlan, back_transform, crop_marks, front_transform, placed_box, plan_sheet, slug_areas,
)
from dialoogkit.layouts.units import Box, mm
from dialoogkit.output.document import DocumentInfo, open_canvas

MARK_WIDTH = 0.3
SLUG_SIZES = (6.5, 6.0, 5.5, 5.0, 4.5)  # points: the small print takes the largest that fits
SLUG_LINES = 2
WASTEFUL = 0.6  # a format that covers less of the sheet than this gets a suggestion


def sheet_plan_for(plan: DeckPlan, paper: Paper, gutter: float = 0.0) -> SheetPlan:
    """The imposition of this deck's cards on ``paper``, ``gutter`` points apart."""
    return plan_sheet(plan.geometry.width, plan.geometry.height, mm(paper.width_mm), mm(paper.height_mm), gutter)


def render_sheets(plan: DeckPlan, paper: Paper, duplex: str, offset: tuple[float, float],
                  info: DocumentInfo, progress: Callable[[int], None] | None = None, gutter: float = 0.0) -> bytes:
    """Draw all cards imposed on sheets; returns the PDF's bytes."""
    sheet = sheet_plan_for(plan, paper, gutter)
    slug = labels_for(plan.deck)["sheet_duplex_" + duplex.replace("-", "_")]
    buffer = io.BytesIO()
    canvas = open_canvas(buffer, (sheet.page_width, sheet.page_height), info)
    n = sheet.per_sheet
    groups = [plan.printed_faces[i:i + n] for i in range(0, len(plan.printed_faces), n)]
    pages: list[tuple[list[Face], str]] = []
    for group in groups:
        pages.append(([front for front, _ in group], "front"))
        if duplex != "none":
            pages.append(([back for _, back in group], "back"))
    if duplex == "none":
        pages += [([back for _, back in group], "back") for group in groups]
    for faces, side in pages:
        transforms = [front_transform(sheet, slot) if side == "front" else back_transform(sheet, slot, duplex, offset)
                      for slot in sheet.slots]
        for face, transform in zip(faces, transforms):
            _draw_card(canvas, face, transform, sheet.bleed)
            if progress:
                progress(1)
        boxes = [placed_box(t, sheet.card_width, sheet.card_height) for t in transforms]
        _draw_marks(canvas, sheet, boxes[: len(faces)])
        _draw_slug(canvas, sheet, boxes, slug, plan.deck.language)  # in the margin of a full sheet
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_card(canvas, face: Face, transform, bleed: float) -> None:
    """One face with its backgrounds running ``bleed`` past the trim, clipped there."""
    canvas.saveState()
    canvas.transform(*transform)
    if bleed > 0:
        clip = canvas.beginPath()
        clip.rect(-bleed, -bleed, face.width + 2 * bleed, face.height + 2 * bleed)
        canvas.clipPath(clip, stroke=0, fill=0)
    render_face(canvas, face, bleed)
    canvas.restoreState()


def _draw_marks(canvas, sheet: SheetPlan, boxes: list[Box]) -> None:
    canvas.setStrokeColorCMYK(*INK.cmyk)
    canvas.setLineWidth(MARK_WIDTH)
    for x1, y1, x2, y2 in crop_marks(boxes, sheet.page_width, sheet.page_height, sheet.bleed):
        canvas.line(x1, y1, x2, y2)


def place_slug(text: str, language: str, boxes: list[Box], sheet: SheetPlan) -> Text | None:
    """The duplex sentence as small print in a free area of the margin (see
    ``imposition.slug_areas``): the largest size of ``SLUG_SIZES`` that fits in at most
    ``SLUG_LINES`` lines, in the area nearest the middle of the sheet, centred in it."""
    areas = slug_areas(boxes, sheet.page_width, sheet.page_height, sheet.bleed)
    middle = sheet.page_width / 2
    bottom = [a for a in areas if a.top <= sheet.page_height / 2]
    top = [a for a in areas if a.top > sheet.page_height / 2]
    ordered = sorted(bottom, key=lambda a: (round(abs(a.x + a.width / 2 - middle), 1), a.x)) + \
        sorted(top, key=lambda a: (round(abs(a.x + a.width / 2 - middle), 1), a.x))
    for size in SLUG_SIZES:
        for area in ordered:
            block = set_text([[Run(text, REGULAR)]], size, area.width, language)
            if _fits(block, area):
                x = area.x + (area.width - block.width) / 2
                return Text(block, x, area.y + (area.height + block.height) / 2, INK, name="duplex")
    return None


def _fits(block: TextBlock, area: Box) -> bool:
    return (0 < len(block.lines) <= SLUG_LINES and block.cuts == 0 and block.height <= area.height
            and block.width <= area.width)


def _draw_slug(canvas, sheet: SheetPlan, boxes: list[Box], text: str, language: str) -> None:
    """The duplex sentence; where a custom format leaves too little margin for all of it, the words
    before its colon ("Single-sided")."""
    placed = place_slug(text, language, boxes, sheet) or place_slug(text.split(":")[0], language, boxes, sheet)
    if placed is not None:
        render_face(canvas, Face(sheet.page_width, sheet.page_height, (placed,)))


@dataclass(frozen=True)
class SheetUse:
    """How a card format fills a sheet: cards per sheet and the share of the paper they cover."""

    card_format: CardFormat
    paper: Paper
    per_sheet: int
    paper_use: float

    @property
    def wasteful(self) -> bool:
        return self.paper_use < WASTEFUL


def paper_title(paper: Paper) -> str:
    """A paper's name as people write it: A4, A3, Letter."""
    return paper.name.upper() if paper.name[:1] == "a" else paper.name.capitalize()


def measure_sheet_use(card_format: CardFormat, paper: Paper, gutter_mm: float = 0.0) -> SheetUse:
    """Cards per sheet and paper use of ``card_format`` on ``paper`` with a gutter of ``gutter_mm``."""
    sheet = plan_sheet(mm(card_format.width_mm), mm(card_format.height_mm), mm(paper.width_mm),
                       mm(paper.height_mm), mm(gutter_mm))
    return SheetUse(card_format, paper, sheet.per_sheet, sheet.paper_use)


def suggest_format(card_format: CardFormat, paper: Paper, gutter_mm: float = 0.0) -> SheetUse | None:
    """For a format that wastes much of a sheet: the bundled format with the largest cards among
    those that fill at least ``WASTEFUL`` of the sheet and put as many cards or more on it."""
    use = measure_sheet_use(card_format, paper, gutter_mm)
    if not use.wasteful:
        return None
    better = [other for other in (measure_sheet_use(f, paper, gutter_mm) for f in CARD_FORMATS.values())
              if other.card_format.name != card_format.name and not other.wasteful
              and other.per_sheet >= use.per_sheet]
    return max(better, key=lambda o: o.card_format.width_mm * o.card_format.height_mm, default=None)
