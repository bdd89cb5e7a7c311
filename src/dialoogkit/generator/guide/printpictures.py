"""Small drawings for the guide's printing page: how to print the cards without a duplex printer.

In: the kind of drawing (``fold`` or ``none``, see ``cards.guide_texts.PRINT_PICTURES``) and the
label table (the words "Voorkant" and "Achterkant", ``calibrate_front`` and ``calibrate_back``).
Out: ``PrintPicture``, a platypus flowable ``PICTURE_WIDTH`` × ``PICTURE_HEIGHT`` points drawn
with reportlab shapes in the guide's CMYK colours, its words at ``CAPTION_PT`` and its lines at
least ``LINE_PT`` wide (above the guide's floor of 6 pt text and 0.25 pt lines):
- ``fold``: a portrait sheet with a front above the dashed fold line and its back mirrored below,
  the strip on each side of the fold that is cut away shaded, an arrow folding the lower half
  behind the upper one, and the folded sheet with the cut running through both layers;
- ``none``: the sheet of fronts, an arrow turning it over its long edge, the same sheet going back
  into the printer top edge first (a triangle marks the top edge on every sheet), and the sheet
  with the backs printed.
"""

from __future__ import annotations

import math

from reportlab.platypus import Flowable

from dialoogkit.cards.labels import Labels
from dialoogkit.generator.colours import INK, LINE, MUTED, Colour
from dialoogkit.generator.fonts import REGULAR
from dialoogkit.layouts.units import mm

PICTURE_WIDTH = mm(58)
PICTURE_HEIGHT = mm(44)
CAPTION_PT = 6.5
LINE_PT = 0.6
FRONT = Colour.from_hex("#C9D6E3")  # a printed front: a light tint, readable in black and white
STRIP = Colour.from_hex("#E6E6E6")  # the strip along the fold that is cut away
DASH = (2.0, 1.5)


class PrintPicture(Flowable):
    """One drawing of the printing page (see module docstring)."""

    def __init__(self, kind: str, labels: Labels):
        super().__init__()
        self.kind = kind
        self.front_word = labels["calibrate_front"]
        self.back_word = labels["calibrate_back"]
        self.width, self.height = PICTURE_WIDTH, PICTURE_HEIGHT

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(LINE_PT)
        canvas.setLineJoin(1)
        if self.kind == "fold":
            self._draw_fold()
        else:
            self._draw_none()
        canvas.restoreState()

    # ---------------------------------------------------------------- fold

    def _draw_fold(self) -> None:
        c = self.canv
        sheet_w, sheet_h = mm(24), mm(34)
        x, y = mm(1), mm(6)
        fold_y = y + sheet_h / 2
        strip = mm(2.4)  # the 4 mm beside the fold, drawn to the sheet's scale
        card_w, card_h = mm(18), mm(12)
        card_x = x + (sheet_w - card_w) / 2
        self._sheet(x, y, sheet_w, sheet_h)
        self._fill(STRIP, x + mm(0.6), fold_y - strip, sheet_w - mm(1.2), 2 * strip)
        self._card(card_x, fold_y + strip, card_w, card_h, FRONT, self.front_word)
        self._card(card_x, fold_y - strip - card_h, card_w, card_h, None, self.back_word, upside_down=True)
        self._dashed_line(x - mm(0.8), fold_y, x + sheet_w + mm(0.8), fold_y)
        # the lower half folds behind the upper one
        self._arc_arrow(x + sheet_w + mm(1.5), fold_y, mm(5), -70, 70)
        # the folded sheet: half as high, the cut around the card through both layers
        fx, fy = mm(33), fold_y - mm(2)
        self._sheet(fx, fy, sheet_w, sheet_h / 2)
        self._sheet(fx + mm(0.8), fy - mm(0.8), sheet_w, sheet_h / 2, behind=True)
        self._card(fx + (sheet_w - card_w) / 2, fy + strip, card_w, card_h, FRONT, self.front_word)
        self._stroke(INK)
        c.setDash(*DASH)
        c.rect(fx + (sheet_w - card_w) / 2 - mm(0.8), fy + strip - mm(0.8), card_w + mm(1.6), card_h + mm(1.6),
               stroke=1, fill=0)
        c.setDash()
        self._scissors(fx + (sheet_w - card_w) / 2 - mm(0.8), fy + strip + card_h + mm(0.8))

    # ---------------------------------------------------------------- none

    def _draw_none(self) -> None:
        sheet_w, sheet_h = mm(13), mm(19)
        y = mm(9)
        xs = (mm(1), mm(22.5), mm(44))
        card_w, card_h = mm(10), mm(7.5)
        # 1: the fronts printed
        self._sheet(xs[0], y, sheet_w, sheet_h)
        for row in range(2):
            self._fill_outline(FRONT, xs[0] + mm(1.5), y + mm(1.5) + row * (card_h + mm(1)), card_w, card_h)
        self._top_mark(xs[0], y, sheet_w, sheet_h)
        self._caption(xs[0] + sheet_w / 2, y - mm(4), self.front_word)
        # 2: turned over its long edge (the vertical side of a portrait sheet): a blank back, top still on top
        self._arc_arrow((xs[0] + sheet_w + xs[1]) / 2, y + sheet_h * 0.45, mm(3.8), 165, 15)  # over the top
        self._sheet(xs[1], y, sheet_w, sheet_h)
        self._top_mark(xs[1], y, sheet_w, sheet_h)
        self._arrow(xs[1] + sheet_w / 2, y + sheet_h + mm(3.5), xs[1] + sheet_w / 2, y + sheet_h + mm(9))
        self._printer(xs[1] - mm(2), y + sheet_h + mm(9), sheet_w + mm(4), mm(5))
        # 3: the backs printed on the other side
        self._arrow(xs[1] + sheet_w + mm(1.5), y + sheet_h / 2, xs[2] - mm(1.5), y + sheet_h / 2)
        self._sheet(xs[2], y, sheet_w, sheet_h)
        for row in range(2):
            self._fill_outline(None, xs[2] + mm(1.5), y + mm(1.5) + row * (card_h + mm(1)), card_w, card_h)
        self._top_mark(xs[2], y, sheet_w, sheet_h)
        self._caption(xs[2] + sheet_w / 2, y - mm(4), self.back_word)

    # ---------------------------------------------------------------- shapes

    def _stroke(self, colour: Colour) -> None:
        self.canv.setStrokeColorCMYK(*colour.cmyk)

    def _fill(self, colour: Colour, x: float, y: float, w: float, h: float) -> None:
        self.canv.setFillColorCMYK(*colour.cmyk)
        self.canv.rect(x, y, w, h, stroke=0, fill=1)

    def _fill_outline(self, colour: Colour | None, x: float, y: float, w: float, h: float) -> None:
        self._stroke(MUTED)
        if colour is not None:
            self.canv.setFillColorCMYK(*colour.cmyk)
        self.canv.rect(x, y, w, h, stroke=1, fill=int(colour is not None))

    def _sheet(self, x: float, y: float, w: float, h: float, behind: bool = False) -> None:
        """A sheet of paper: white with a grey outline (``behind``: only the part that shows)."""
        c = self.canv
        self._stroke(LINE if behind else INK)
        if behind:
            c.line(x + w, y, x + w, y + h)
            c.line(x, y, x + w, y)
            return
        c.setFillColorCMYK(0, 0, 0, 0)
        c.rect(x, y, w, h, stroke=1, fill=1)

    def _card(self, x: float, y: float, w: float, h: float, fill: Colour | None, word: str,
              upside_down: bool = False) -> None:
        """A card on the sheet with its word (the back's upside down, as it is printed)."""
        self._fill_outline(fill, x, y, w, h)
        c = self.canv
        c.saveState()
        c.setFillColorCMYK(*INK.cmyk)
        c.setFont(REGULAR, CAPTION_PT)
        c.translate(x + w / 2, y + h / 2)
        if upside_down:
            c.rotate(180)
        c.drawCentredString(0, -CAPTION_PT * 0.35, word)
        c.restoreState()

    def _caption(self, x: float, y: float, word: str) -> None:
        self.canv.setFillColorCMYK(*INK.cmyk)
        self.canv.setFont(REGULAR, CAPTION_PT)
        self.canv.drawCentredString(x, y, word)

    def _dashed_line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        c = self.canv
        self._stroke(INK)
        c.setDash(*DASH)
        c.line(x1, y1, x2, y2)
        c.setDash()

    def _top_mark(self, x: float, y: float, w: float, h: float) -> None:
        """A small triangle pointing up at the top edge of a sheet."""
        c = self.canv
        c.setFillColorCMYK(*INK.cmyk)
        path = c.beginPath()
        top, middle, half = y + h - mm(0.8), x + w / 2, mm(1.1)
        path.moveTo(middle - half, top - mm(1.6))
        path.lineTo(middle + half, top - mm(1.6))
        path.lineTo(middle, top)
        path.close()
        c.drawPath(path, stroke=0, fill=1)

    def _arrow(self, x1: float, y1: float, x2: float, y2: float) -> None:
        c = self.canv
        self._stroke(INK)
        c.line(x1, y1, x2, y2)
        self._head(x2, y2, math.atan2(y2 - y1, x2 - x1))

    def _head(self, x: float, y: float, angle: float) -> None:
        """A filled arrow head with its tip at ``(x, y)`` pointing along ``angle`` (radians)."""
        c = self.canv
        c.setFillColorCMYK(*INK.cmyk)
        size, spread = mm(1.6), 0.45
        path = c.beginPath()
        path.moveTo(x, y)
        path.lineTo(x - size * math.cos(angle - spread), y - size * math.sin(angle - spread))
        path.lineTo(x - size * math.cos(angle + spread), y - size * math.sin(angle + spread))
        path.close()
        c.drawPath(path, stroke=0, fill=1)

    def _arc_arrow(self, cx: float, cy: float, radius: float, start: float, end: float) -> None:
        """An arc from ``start`` to ``end`` degrees (counter-clockwise when ``end`` is larger) with
        a head at its end."""
        c = self.canv
        self._stroke(INK)
        c.arc(cx - radius, cy - radius, cx + radius, cy + radius, start, end - start)
        at = math.radians(end)
        tip = (cx + radius * math.cos(at), cy + radius * math.sin(at))
        self._head(*tip, at + math.pi / 2 if end > start else at - math.pi / 2)

    def _printer(self, x: float, y: float, w: float, h: float) -> None:
        """A printer seen from the side: a box with the slot the sheet goes into."""
        c = self.canv
        self._stroke(INK)
        c.setFillColorCMYK(*STRIP.cmyk)
        c.roundRect(x, y, w, h, mm(1), stroke=1, fill=1)
        c.setFillColorCMYK(0, 0, 0, 0)
        c.rect(x + mm(2), y - mm(0.3), w - mm(4), mm(1.2), stroke=1, fill=1)

    def _scissors(self, x: float, y: float) -> None:
        """Two small open blades where the cut starts."""
        c = self.canv
        self._stroke(INK)
        for dy in (mm(0.9), -mm(0.9)):
            c.circle(x - mm(2.6), y + dy, mm(0.7), stroke=1, fill=0)
            c.line(x - mm(1.9), y + dy * 0.6, x + mm(0.6), y - dy * 0.3)
