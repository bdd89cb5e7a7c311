"""``cards-sheets.pdf``: cards N-up on A4/Letter/A3 for an office printer, with or without duplex.

In: a ``DeckPlan``, paper, duplex mode, back offset and a gutter between the cards (points).
Out: PDF bytes. Fronts and backs alternate page by page (with ``none``: all fronts, then all
backs, mirrored so the stack turned over its long edge and fed again puts each back behind its
front; with ``fold``: one single-sided page per sheet, the fronts on one half and their backs on
the other, a dashed fold line between them); backs are placed by ``layouts.imposition`` so each
lies behind its front. With a gutter, backgrounds run half the gutter past every edge of their
card (clipped there, so no colour enters a neighbour's card): from a gutter of 2 mm a cut 1 mm off
the line shows neither white nor the neighbour's colour. Crop marks sit in the margin only; small
print in the margin, in the deck's language, says how to print the sheets in their mode (and, with
less than 2 mm between the cards, to cut exactly on the line). A face the print-shop file
recorded (``recordings``, in the same printing condition) is replayed rather than drawn again,
with the sheet's own bleed; the fonts are seeded as the print-shop file's are, so its text is
encoded alike. Also: the gutter the default gives
(``resolve_gutter``: the largest up to 3 mm that keeps the cards per sheet), how a card format uses
a sheet, and a better format to suggest.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Callable

from dialoogkit.cards.labels import labels_for
from dialoogkit.cards.models import Deck
from dialoogkit.generator.colours import INK
from dialoogkit.generator.display import Face, Text, render_face
from dialoogkit.generator.fonts import REGULAR
from dialoogkit.generator.plan import DeckPlan
from dialoogkit.generator.recording import Recording, Recordings, plan_seed, replay, seed_fonts
from dialoogkit.generator.textfit import Run, TextBlock, set_text
from dialoogkit.layouts.formats import CARD_FORMATS, CardFormat, Paper
from dialoogkit.i18n import load_table
from dialoogkit.layouts.imposition import (
    AUTO_GUTTER_MM, CLEAN_CUT_GUTTER_MM, Affine, SheetPlan, back_transform, crop_marks, fitting_gutter, front_transform,
    fold_note_area, placed_box, plan_sheet, slug_areas,
)
from dialoogkit.layouts.units import Box, mm
from dialoogkit.output.document import DocumentInfo, open_canvas

MARK_WIDTH = 0.3
FOLD_DASH = (3.0, 2.0)  # points: the fold line is dashed, so it is not taken for a cut line
SLUG_SIZES = (6.5, 6.0, 5.5, 5.0, 4.5)  # points: the small print takes the largest that fits
SLUG_LINES = 3
WASTEFUL = 0.6  # a format that covers less of the sheet than this gets a suggestion


def sheet_plan_for(plan: DeckPlan, paper: Paper, gutter: float = 0.0, duplex: str = "long-edge") -> SheetPlan:
    """The imposition of this deck's cards on ``paper``, ``gutter`` points apart (``fold``: a
    gutterfold, fronts and backs on one side)."""
    return plan_sheet(plan.geometry.width, plan.geometry.height, mm(paper.width_mm), mm(paper.height_mm), gutter,
                      fold=duplex == "fold")


def resolve_gutter(card_w_mm: float, card_h_mm: float, paper: Paper, gutter_mm: float,
                   duplex: str = "long-edge") -> float:
    """The gutter (mm) the sheets use: the one asked for, but for the default (``AUTO_GUTTER_MM``)
    the largest up to it that keeps as many cards on a sheet as no gutter does (a6-office keeps 4
    on A4 with 3 mm; poker keeps 9 on A4 with 1.5 mm)."""
    if abs(gutter_mm - AUTO_GUTTER_MM) > 1e-9:
        return gutter_mm
    found = fitting_gutter(mm(card_w_mm), mm(card_h_mm), mm(paper.width_mm), mm(paper.height_mm), mm(gutter_mm),
                           fold=duplex == "fold")
    return round(found / mm(1), 3)


def render_sheets(plan: DeckPlan, paper: Paper, duplex: str, offset: tuple[float, float],
                  info: DocumentInfo, progress: Callable[[int], None] | None = None, gutter: float = 0.0,
                  recordings: Recordings | None = None) -> bytes:
    """Draw all cards imposed on sheets; returns the PDF's bytes."""
    sheet = sheet_plan_for(plan, paper, gutter, duplex)
    slug = margin_note(plan.deck, duplex, gutter)
    buffer = io.BytesIO()
    canvas = open_canvas(buffer, (sheet.page_width, sheet.page_height), info)
    seed_fonts(canvas, recordings.seed if recordings is not None else plan_seed(plan.all_faces))
    usable = recordings.faces if recordings is not None else {}
    for placed, full in plan_pages(plan, sheet, duplex, offset):
        for face, transform in placed:
            _draw_card(canvas, face, transform, sheet.bleed, usable.get(id(face)))
            if progress:
                progress(1)
        _draw_marks(canvas, sheet, [placed_box(t, sheet.card_width, sheet.card_height) for _, t in placed])
        if sheet.fold_line is not None:
            _draw_fold(canvas, sheet)
        boxes = [placed_box(t, sheet.card_width, sheet.card_height) for t in full]
        _draw_slug(canvas, sheet, boxes, slug, plan.deck.language)  # in the margin of a full sheet
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


Page = tuple[list[tuple[Face, Affine]], list[Affine]]


def plan_pages(plan: DeckPlan, sheet: SheetPlan, duplex: str, offset: tuple[float, float]) -> list[Page]:
    """Each page's faces with the transform that puts each on the page, in the order the mode
    prints them (see module docstring), and the transforms of that side of a full sheet."""
    n = sheet.per_sheet
    front_side = [front_transform(sheet, slot) for slot in sheet.slots]
    back_side = [back_transform(sheet, slot, duplex, offset) for slot in sheet.slots]
    groups = [plan.printed_faces[i:i + n] for i in range(0, len(plan.printed_faces), n)]
    fronts = [([(front, t) for (front, _), t in zip(group, front_side)], front_side) for group in groups]
    backs = [([(back, t) for (_, back), t in zip(group, back_side)], back_side) for group in groups]
    if duplex == "fold":
        return [(front[0] + back[0], front_side + back_side) for front, back in zip(fronts, backs)]
    if duplex == "none":
        return fronts + backs
    return [page for pair in zip(fronts, backs) for page in pair]


def margin_note(deck: Deck, duplex: str, gutter: float) -> str:
    """The small print of every sheet, in the deck's language: how to print in ``duplex`` mode
    (the deck's own label ``sheet_duplex_<mode>`` where it has one), and, with less than
    ``CLEAN_CUT_GUTTER_MM`` between the cards, to cut exactly on the line."""
    labels = labels_for(deck)
    key = "sheet_duplex_" + duplex.replace("-", "_")
    note = labels[key] if key in labels else _sheet_message(deck.language, "note_" + duplex.replace("-", "_"))
    if gutter < mm(CLEAN_CUT_GUTTER_MM) - 1e-6:
        note = f"{note}. {_sheet_message(deck.language, 'note_cut_on_line')}"
    return note


def _sheet_message(language: str, name: str) -> str:
    """A text of the ``sheets`` message table in ``language`` (English for a language without one)."""
    table = load_table(language) if language in ("nl", "en") else {}
    return table.get(f"sheets.{name}") or load_table("en")[f"sheets.{name}"]


def _draw_card(canvas, face: Face, transform, bleed: float, recording: Recording | None = None) -> None:
    """One face with its backgrounds running ``bleed`` past the trim, clipped there: replayed from
    its ``recording`` where there is one, else drawn."""
    canvas.saveState()
    canvas.transform(*transform)
    if bleed > 0:
        clip = canvas.beginPath()
        clip.rect(-bleed, -bleed, face.width + 2 * bleed, face.height + 2 * bleed)
        canvas.clipPath(clip, stroke=0, fill=0)
    if recording is None or not replay(canvas, recording, bleed):
        render_face(canvas, face, bleed)
    canvas.restoreState()


def _draw_marks(canvas, sheet: SheetPlan, boxes: list[Box]) -> None:
    canvas.setStrokeColorCMYK(*INK.cmyk)
    canvas.setLineWidth(MARK_WIDTH)
    for x1, y1, x2, y2 in crop_marks(boxes, sheet.page_width, sheet.page_height, sheet.bleed):
        canvas.line(x1, y1, x2, y2)


def _draw_fold(canvas, sheet: SheetPlan) -> None:
    """The fold line, dashed, between the fronts and their backs."""
    canvas.saveState()
    canvas.setStrokeColorCMYK(*INK.cmyk)
    canvas.setLineWidth(MARK_WIDTH)
    canvas.setDash(*FOLD_DASH)
    canvas.line(*sheet.fold_line)
    canvas.restoreState()


def place_slug(text: str, language: str, boxes: list[Box], sheet: SheetPlan) -> Text | None:
    """The sheet's note as small print in a free area (see ``slug_areas``; with a fold, first the
    strip along the fold line, ``fold_note_area``): the largest size of ``SLUG_SIZES`` that fits
    in at most ``SLUG_LINES`` lines, in the area nearest the middle of the sheet, centred in it."""
    areas = slug_areas(boxes, sheet.page_width, sheet.page_height, sheet.bleed)
    middle = sheet.page_width / 2
    bottom = [a for a in areas if a.top <= sheet.page_height / 2]
    top = [a for a in areas if a.top > sheet.page_height / 2]
    ordered = sorted(bottom, key=lambda a: (round(abs(a.x + a.width / 2 - middle), 1), a.x)) + \
        sorted(top, key=lambda a: (round(abs(a.x + a.width / 2 - middle), 1), a.x))
    fold = fold_note_area(sheet)
    if fold is not None and fold.width > fold.height:  # a note reads along a horizontal fold line
        ordered.insert(0, fold)
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
    """The sheet's note; where a custom format leaves too little margin for all of it, the words
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


def measure_sheet_use(card_format: CardFormat, paper: Paper, gutter_mm: float = 0.0,
                      duplex: str = "long-edge") -> SheetUse:
    """Cards per sheet and paper use of ``card_format`` on ``paper`` with a gutter of ``gutter_mm``
    (the default: as ``resolve_gutter`` makes it) in ``duplex`` mode."""
    gutter_mm = resolve_gutter(card_format.width_mm, card_format.height_mm, paper, gutter_mm, duplex)
    sheet = plan_sheet(mm(card_format.width_mm), mm(card_format.height_mm), mm(paper.width_mm),
                       mm(paper.height_mm), mm(gutter_mm), fold=duplex == "fold")
    return SheetUse(card_format, paper, sheet.per_sheet, sheet.paper_use)


def suggest_format(card_format: CardFormat, paper: Paper, gutter_mm: float = 0.0,
                   duplex: str = "long-edge") -> SheetUse | None:
    """For a format that wastes much of a sheet: the bundled format with the largest cards among
    those that fill at least ``WASTEFUL`` of the sheet and put as many cards or more on it."""
    use = measure_sheet_use(card_format, paper, gutter_mm, duplex)
    if not use.wasteful:
        return None
    better = [other for other in (measure_sheet_use(f, paper, gutter_mm, duplex) for f in CARD_FORMATS.values())
              if other.card_format.name != card_format.name and not other.wasteful
              and other.per_sheet >= use.per_sheet]
    return max(better, key=lambda o: o.card_format.width_mm * o.card_format.height_mm, default=None)
