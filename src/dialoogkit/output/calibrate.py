"""``dialoogkit calibrate``: a two-sided test sheet to measure how far a printer shifts the backs.

In: paper and the language of the instructions.
Out: PDF bytes of two pages: a cross on the front; on the back the same cross (placed as a card
back would be) with millimetre scales around it, so the front's cross, seen through the paper,
can be read off as the ``--back-offset DX,DY`` to use.
"""

from __future__ import annotations

import io

from dialoogkit.cards.labels import load_labels
from dialoogkit.generator.colours import INK, MUTED
from dialoogkit.generator.fonts import BOLD, REGULAR
from dialoogkit.generator.display import Face, Text, render_face
from dialoogkit.generator.textfit import Run, set_text
from dialoogkit.layouts.formats import Paper
from dialoogkit.layouts.units import mm
from dialoogkit.output.document import DocumentInfo, open_canvas

SCALE_MM = 10


def render_calibration(paper: Paper, language: str) -> bytes:
    """Draw the calibration sheet (front and back page). The cross sits at the page's centre, which
    lies behind itself whichever edge the printer flips over."""
    labels = load_labels(language)
    width, height = mm(paper.width_mm), mm(paper.height_mm)
    info = DocumentInfo(labels["calibrate_title"], "dialoogkit", labels["calibrate_help"], language)
    buffer = io.BytesIO()
    canvas = open_canvas(buffer, (width, height), info)
    cx, cy = width / 2, height / 2
    for side in ("calibrate_front", "calibrate_back"):
        _header(canvas, labels, side, width, height, language)
        _cross(canvas, cx, cy)
        if side == "calibrate_back":
            _scales(canvas, cx, cy)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _header(canvas, labels, side: str, width: float, height: float, language: str) -> None:
    margin = mm(20)
    title = set_text([[Run(f"{labels['calibrate_title']} — {labels[side]}", BOLD)]], 16, width - 2 * margin, language)
    help_text = set_text([[Run(labels["calibrate_help"], REGULAR)]], 11, width - 2 * margin, language)
    face = Face(width, height, (Text(title, margin, height - margin, INK),
                                Text(help_text, margin, height - margin - title.height - mm(4), MUTED)))
    render_face(canvas, face)


def _cross(canvas, x: float, y: float) -> None:
    canvas.setStrokeColorCMYK(*INK.cmyk)
    canvas.setLineWidth(0.5)
    canvas.line(x - mm(30), y, x + mm(30), y)
    canvas.line(x, y - mm(30), x, y + mm(30))
    canvas.circle(x, y, mm(3), stroke=1, fill=0)


def _scales(canvas, x: float, y: float) -> None:
    canvas.setLineWidth(0.3)
    for i in range(-SCALE_MM, SCALE_MM + 1):
        long = mm(3 if i % 5 == 0 else 1.5)
        canvas.line(x + mm(i), y - mm(40), x + mm(i), y - mm(40) + long)
        canvas.line(x - mm(40), y + mm(i), x - mm(40) + long, y + mm(i))
        if i % 5 == 0:
            canvas.setFont(REGULAR, 7)
            canvas.drawCentredString(x + mm(i), y - mm(44), f"{i:+d}" if i else "0")
            canvas.drawRightString(x - mm(41), y + mm(i) - 2.5, f"{i:+d}" if i else "0")
    canvas.setFont(REGULAR, 8)
    canvas.drawCentredString(x, y - mm(49), "DX (mm) →")
    canvas.drawRightString(x - mm(41), y + mm(SCALE_MM + 3), "DY (mm) ↑")
