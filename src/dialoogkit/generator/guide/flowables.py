"""Flowables for the guide: a card face as a vector thumbnail, and a QR code with quiet zone.

In: ``Face`` display lists (from the card plan) and QR symbols.
Out: platypus ``Flowable`` objects that draw them at a given scale or size.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from dialoogkit.generator.colours import LINE, Colour
from dialoogkit.generator.display import Face, Frame, Qr, render_face
from dialoogkit.generator.qr import QUIET_MODULES, QrSymbol, draw_qr


def without_qr(face: Face) -> Face:
    """The face with its QR code shown as a grey square: a shrunken code would be too small to
    scan, and the guide lists every source with a full-size code."""
    items = tuple(Frame(item.box, LINE, PLACEHOLDER) if isinstance(item, Qr) else item for item in face.items)
    return Face(face.width, face.height, items)


PLACEHOLDER = Colour.from_hex("#E6E6E6")


class FaceThumbnail(Flowable):
    """A card face drawn as vector at ``width`` points wide, with a thin outline at the trim."""

    def __init__(self, face: Face, width: float, outline: bool = True):
        super().__init__()
        self.face = without_qr(face)
        self.outline = outline
        self.scale = width / face.width
        self.width = width
        self.height = face.height * self.scale

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.scale(self.scale, self.scale)
        render_face(canvas, self.face)
        canvas.restoreState()
        if not self.outline:
            return
        canvas.setStrokeColorCMYK(*LINE.cmyk)
        canvas.setLineWidth(0.5)
        canvas.rect(0, 0, self.width, self.height, stroke=1, fill=0)


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
