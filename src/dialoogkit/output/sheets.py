"""``cards-sheets.pdf``: cards N-up on A4/Letter/A3 for an office duplex printer.

In: a ``DeckPlan``, paper, duplex mode and back offset.
Out: PDF bytes. Fronts and backs alternate page by page (with ``none``: all fronts, then all
backs); backs are placed by ``layouts.imposition`` so each lies behind its front; crop marks sit
in the margin and never touch a card.
"""

from __future__ import annotations

import io
from typing import Callable

from dialoogkit.generator.colours import INK
from dialoogkit.generator.display import Face, render_face
from dialoogkit.generator.plan import DeckPlan
from dialoogkit.layouts.formats import Paper
from dialoogkit.layouts.imposition import (
    SheetPlan, back_transform, crop_marks, front_transform, placed_box, plan_sheet,
)
from dialoogkit.layouts.units import mm
from dialoogkit.output.document import DocumentInfo, open_canvas

MARK_WIDTH = 0.3


def sheet_plan_for(plan: DeckPlan, paper: Paper) -> SheetPlan:
    """The imposition of this deck's cards on ``paper``."""
    return plan_sheet(plan.geometry.width, plan.geometry.height, mm(paper.width_mm), mm(paper.height_mm))


def render_sheets(plan: DeckPlan, paper: Paper, duplex: str, offset: tuple[float, float],
                  info: DocumentInfo, progress: Callable[[int], None] | None = None) -> bytes:
    """Draw all cards imposed on sheets; returns the PDF's bytes."""
    sheet = sheet_plan_for(plan, paper)
    buffer = io.BytesIO()
    canvas = open_canvas(buffer, (sheet.page_width, sheet.page_height), info)
    n = sheet.per_sheet
    groups = [plan.faces[i:i + n] for i in range(0, len(plan.faces), n)]
    pages: list[tuple[list[Face], str]] = []
    for group in groups:
        pages.append(([front for front, _ in group], "front"))
        if duplex != "none":
            pages.append(([back for _, back in group], "back"))
    if duplex == "none":
        pages += [([back for _, back in group], "back") for group in groups]
    for faces, side in pages:
        transforms = [front_transform(sheet, slot) if side == "front" else back_transform(sheet, slot, duplex, offset)
                      for slot in sheet.slots[: len(faces)]]
        for face, transform in zip(faces, transforms):
            canvas.saveState()
            canvas.transform(*transform)
            render_face(canvas, face)
            canvas.restoreState()
            if progress:
                progress(1)
        _draw_marks(canvas, sheet, [placed_box(t, sheet.card_width, sheet.card_height) for t in transforms])
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_marks(canvas, sheet: SheetPlan, boxes) -> None:
    canvas.setStrokeColorCMYK(*INK.cmyk)
    canvas.setLineWidth(MARK_WIDTH)
    for x1, y1, x2, y2 in crop_marks(boxes, sheet.page_width, sheet.page_height):
        canvas.line(x1, y1, x2, y2)
