"""Flowables for the guide: a card face as a vector thumbnail, and a QR code with quiet zone.

In: ``Face`` display lists (from the card plan), QR symbols and, for a thumbnail, the note that
replaces its QR code ("Scan de QR-code op de gedrukte kaart").
Out: platypus ``Flowable`` objects that draw them at a given scale or size. A thumbnail draws its
QR code's place as an outlined box with the note in it: a code shrunk with the card would be
smaller than the 20 mm the kit allows for a printed code (the guide's sources page has every code
at full size). ``note_fits`` says whether the note fitted in the box; if not, the story prints it
under the thumbnail instead. ``least_scale`` is the smallest scale at which a face's smallest text
stays at ``MIN_TEXT_PT`` or more and its thinnest line at ``MIN_LINE_PT`` or more, as printed.
"""

from __future__ import annotations

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from dialoogkit.generator.colours import LINE, MUTED
from dialoogkit.generator.display import Face, Frame, Qr, Rule, Text, render_face
from dialoogkit.generator.fonts import REGULAR
from dialoogkit.generator.qr import QUIET_MODULES, QrSymbol, draw_qr
from dialoogkit.layouts.units import Box

MIN_TEXT_PT = 6.0  # no text of the guide is printed smaller (a miniature's text included)
MIN_LINE_PT = 0.25  # no line of the guide is printed thinner: a press or an office printer may lose it
NOTE_SIZES = (7.0, 6.5, MIN_TEXT_PT)  # points on the guide's page
NOTE_PADDING = 2.0
NOTE_LEADING = 1.2


def least_scale(face: Face) -> float:
    """The smallest scale at which ``face`` prints no text under ``MIN_TEXT_PT`` and no line under
    ``MIN_LINE_PT`` (a hair more, so rounding in the PDF never takes it below)."""
    sizes = [item.block.size for item in face.items if isinstance(item, Text)]
    widths = [item.width for item in face.items if isinstance(item, Rule)]
    widths += [item.line_width for item in face.items if isinstance(item, Frame) and item.stroke is not None]
    needs = [MIN_TEXT_PT / min(sizes)] if sizes else []
    needs += [MIN_LINE_PT / min(widths)] if widths else []
    return max(needs, default=0.0) * 1.001


def without_qr(face: Face) -> Face:
    """The face without its QR codes (their place stays blank)."""
    return Face(face.width, face.height, tuple(item for item in face.items if not isinstance(item, Qr)))


def fit_note(text: str, width: float, height: float) -> tuple[float, list[str]] | None:
    """The largest of ``NOTE_SIZES`` at which ``text``, wrapped at words, fits a ``width`` ×
    ``height`` box (inside ``NOTE_PADDING``), with its lines; None when it fits at none."""
    room_w, room_h = width - 2 * NOTE_PADDING, height - 2 * NOTE_PADDING
    for size in NOTE_SIZES:
        lines = simpleSplit(text, REGULAR, size, room_w)
        widest = max((stringWidth(line, REGULAR, size) for line in lines), default=0.0)
        if widest <= room_w and len(lines) * size * NOTE_LEADING <= room_h:
            return size, lines
    return None


class FaceThumbnail(Flowable):
    """A card face drawn as vector at ``width`` points wide, with a thin outline at the trim; each
    QR code of the face is replaced by an outlined box holding ``qr_note``."""

    def __init__(self, face: Face, width: float, outline: bool = True, qr_note: str = ""):
        super().__init__()
        self.scale = width / face.width
        self.face = without_qr(face)
        self.qr_boxes = [self._scaled(item.box) for item in face.items if isinstance(item, Qr)]
        self.notes = [fit_note(qr_note, box.width, box.height) if qr_note else None for box in self.qr_boxes]
        self.note_fits = all(note is not None for note in self.notes) or not qr_note
        self.outline = outline
        self.width = width
        self.height = face.height * self.scale

    def _scaled(self, box: Box) -> Box:
        s = self.scale
        return Box(box.x * s, box.y * s, box.width * s, box.height * s)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.scale(self.scale, self.scale)
        render_face(canvas, self.face)
        canvas.restoreState()
        for box, note in zip(self.qr_boxes, self.notes):
            self._draw_note_box(box, note)
        if not self.outline:
            return
        canvas.setStrokeColorCMYK(*LINE.cmyk)
        canvas.setLineWidth(0.5)
        canvas.rect(0, 0, self.width, self.height, stroke=1, fill=0)

    def _draw_note_box(self, box: Box, note: tuple[float, list[str]] | None) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColorCMYK(*LINE.cmyk)
        canvas.setLineWidth(0.4)
        canvas.rect(box.x, box.y, box.width, box.height, stroke=1, fill=0)
        if note is not None:
            size, lines = note
            canvas.setFont(REGULAR, size)
            canvas.setFillColorCMYK(*MUTED.cmyk)
            leading = size * NOTE_LEADING
            top = box.y + box.height / 2 + len(lines) * leading / 2
            for number, line in enumerate(lines):
                canvas.drawCentredString(box.x + box.width / 2, top - (number + 1) * leading + 0.25 * size, line)
        canvas.restoreState()


class QrFlowable(Flowable):
    """A QR symbol ``size`` points wide (without quiet zone), with its quiet zone kept blank."""

    def __init__(self, symbol: QrSymbol, size: float):
        super().__init__()
        self.symbol = symbol
        self.module = size / symbol.modules
        self.quiet = QUIET_MODULES * self.module
        self.width = self.height = size + 2 * self.quiet

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        draw_qr(self.canv, self.symbol, self.quiet, self.quiet, self.module)
