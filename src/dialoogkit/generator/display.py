"""A face as a display list: positioned text blocks, filled areas, rules, icons and QR symbols.

In: items composed by ``front``/``back`` (all positions in points, card coordinates).
Out: ``Face`` (the list, plus the boxes of all text for checking) and ``render_face`` that paints a
face on a reportlab canvas; areas marked ``bleeds`` grow by the bleed on the marked sides.
Text is drawn as plain strings with ``drawString``: nothing is interpreted as markup.
Colours are painted as the CMYK to print (``Colour.cmyk``; text by ``Colour.text_cmyk``, solid
black text overprinting), or with ``screen`` as the deck's RGB screen colours (for PNG images).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dialoogkit.generator.colours import Colour, overprints
from dialoogkit.generator.icons import draw_icon
from dialoogkit.generator.pictures import cmyk_image, draw_picture, image_aspect  # noqa: F401  (for the composers)
from dialoogkit.generator.qr import QrSymbol, draw_qr
from dialoogkit.generator.textfit import TextBlock
from dialoogkit.layouts.units import Box


@dataclass(frozen=True)
class Area:
    """A filled rectangle; ``bleeds`` says which sides (left, bottom, right, top) run into the bleed."""

    box: Box
    colour: Colour
    bleeds: tuple[bool, bool, bool, bool] = (False, False, False, False)


@dataclass(frozen=True)
class Rule:
    """A straight line."""

    x1: float
    y1: float
    x2: float
    y2: float
    colour: Colour
    width: float


@dataclass(frozen=True)
class Text:
    """A wrapped text block with its top-left corner at ``(x, top)``; ``align`` is left or right."""

    block: TextBlock
    x: float
    top: float
    colour: Colour
    align: str = "left"
    name: str = ""

    @property
    def box(self) -> Box:
        width = self.block.width
        left = self.x - width if self.align == "right" else self.x
        return Box(left, self.top - self.block.height, width, self.block.height)


@dataclass(frozen=True)
class Frame:
    """A rectangle with an optional outline and fill; ``radius`` rounds its corners; ``name`` marks
    writing zones and table cells so they can be checked."""

    box: Box
    stroke: Colour | None = None
    fill: Colour | None = None
    line_width: float = 0.8
    radius: float = 0.0
    name: str = ""


@dataclass(frozen=True)
class Picture:
    """An image (the deck's logo) drawn into ``box``, converted to CMYK on a white background."""

    path: str
    box: Box


@dataclass(frozen=True)
class Icon:
    name: str
    box: Box
    colour: Colour


@dataclass(frozen=True)
class Qr:
    symbol: QrSymbol
    x: float
    y: float
    module: float

    @property
    def box(self) -> Box:
        size = self.symbol.modules * self.module
        return Box(self.x, self.y, size, size)


Item = Area | Rule | Text | Frame | Picture | Icon | Qr


@dataclass(frozen=True)
class Face:
    """One card face: its size and what is drawn on it, in painting order."""

    width: float
    height: float
    items: tuple[Item, ...] = field(default_factory=tuple)

    def texts(self) -> list[Text]:
        return [item for item in self.items if isinstance(item, Text)]

    def frames(self) -> list[Frame]:
        return [item for item in self.items if isinstance(item, Frame)]

    def qr(self) -> Qr | None:
        return next((item for item in self.items if isinstance(item, Qr)), None)


def render_face(canvas, face: Face, bleed: float = 0.0, screen: bool = False) -> None:
    """Paint ``face`` with its trim's lower-left corner at the canvas origin, in print colours
    (CMYK) or, with ``screen``, in the screen colours (RGB)."""
    for item in face.items:
        if isinstance(item, Area):
            _paint_area(canvas, item, bleed, screen)
        elif isinstance(item, Text):
            _paint_text(canvas, item, screen)
        elif isinstance(item, Frame):
            _paint_frame(canvas, item, screen)
        elif isinstance(item, Rule):
            set_stroke(canvas, item.colour, screen)
            canvas.setLineWidth(item.width)
            canvas.line(item.x1, item.y1, item.x2, item.y2)
        elif isinstance(item, Icon):
            canvas.saveState()
            set_fill(canvas, item.colour, screen)
            set_stroke(canvas, item.colour, screen)
            draw_icon(canvas, item.name, item.box.x, item.box.y, item.box.width)
            canvas.restoreState()
        elif isinstance(item, Qr):
            draw_qr(canvas, item.symbol, item.x, item.y, item.module)
        elif isinstance(item, Picture):
            draw_picture(canvas, item, screen)


def set_fill(canvas, colour: Colour, screen: bool = False) -> None:
    """Fill with ``colour``: its print CMYK, or its screen RGB."""
    if screen:
        canvas.setFillColorRGB(*colour.rgb)
    else:
        canvas.setFillColorCMYK(*colour.cmyk)


def set_stroke(canvas, colour: Colour, screen: bool = False) -> None:
    """Stroke with ``colour``: its print CMYK, or its screen RGB."""
    if screen:
        canvas.setStrokeColorRGB(*colour.rgb)
    else:
        canvas.setStrokeColorCMYK(*colour.cmyk)


def _paint_area(canvas, area: Area, bleed: float, screen: bool) -> None:
    left, bottom, right, top = (bleed if grow else 0.0 for grow in area.bleeds)
    box = area.box
    set_fill(canvas, area.colour, screen)
    canvas.rect(box.x - left, box.y - bottom, box.width + left + right, box.height + bottom + top, stroke=0, fill=1)


def _paint_frame(canvas, frame: Frame, screen: bool) -> None:
    if frame.fill is not None:
        set_fill(canvas, frame.fill, screen)
    if frame.stroke is not None:
        set_stroke(canvas, frame.stroke, screen)
        canvas.setLineWidth(frame.line_width)
    box, stroke, fill = frame.box, int(frame.stroke is not None), int(frame.fill is not None)
    if frame.radius > 0:
        canvas.roundRect(box.x, box.y, box.width, box.height, frame.radius, stroke=stroke, fill=fill)
    else:
        canvas.rect(box.x, box.y, box.width, box.height, stroke=stroke, fill=fill)


def _paint_text(canvas, text: Text, screen: bool = False) -> None:
    """One text object per block; words of one font on a line are joined with spaces, which puts
    them exactly where the fitter measured them (no kerning is applied). In print, the colour is
    ``text_cmyk`` for the block's size (greys on the black plate only, body and headings solid
    black, small text in at most two plates) and solid black text overprints."""
    block = text.block
    obj = canvas.beginText()
    cmyk = text.colour.text_cmyk(block.size)
    if screen:
        obj.setFillColorRGB(*text.colour.rgb)
    else:
        obj.setFillColorCMYK(*cmyk)
    baseline = text.top - block.ascent
    current_font = None
    for line in block.lines:
        shift = -line.width if text.align == "right" else 0.0
        for x, words, font in _font_runs(line.pieces):
            if font != current_font:
                obj.setFont(font, block.size)
                current_font = font
            obj.setTextOrigin(text.x + shift + x, baseline)
            obj.textOut(words)
        baseline -= block.leading
    if screen or not overprints(cmyk):
        canvas.drawText(obj)
        return
    canvas.saveState()
    canvas.setFillOverprint(True)
    canvas.setOverprintMask(True)
    canvas.drawText(obj)
    canvas.restoreState()


def _font_runs(pieces: tuple[tuple[float, str, str], ...]) -> list[tuple[float, str, str]]:
    runs: list[tuple[float, str, str]] = []
    for x, word, font in pieces:
        if runs and runs[-1][2] == font:
            start, words, _ = runs[-1]
            runs[-1] = (start, words + " " + word, font)
        else:
            runs.append((x, word, font))
    return runs
