"""A face as a display list: positioned text blocks, filled areas, rules, icons and QR symbols.

In: items composed by ``front``/``back`` (all positions in points, card coordinates).
Out: ``Face`` (the list, plus the boxes of all text for checking) and ``render_face`` that paints a
face on a reportlab canvas; areas marked ``bleeds`` grow by the bleed on the marked sides.
Text is drawn as plain strings with ``drawString``: nothing is interpreted as markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from dialoogkit.generator.colours import Colour
from dialoogkit.generator.icons import draw_icon
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


def render_face(canvas, face: Face, bleed: float = 0.0) -> None:
    """Paint ``face`` with its trim's lower-left corner at the canvas origin."""
    for item in face.items:
        if isinstance(item, Area):
            _paint_area(canvas, item, bleed)
        elif isinstance(item, Text):
            _paint_text(canvas, item)
        elif isinstance(item, Frame):
            _paint_frame(canvas, item)
        elif isinstance(item, Rule):
            canvas.setStrokeColorCMYK(*item.colour.cmyk)
            canvas.setLineWidth(item.width)
            canvas.line(item.x1, item.y1, item.x2, item.y2)
        elif isinstance(item, Icon):
            canvas.saveState()
            canvas.setFillColorCMYK(*item.colour.cmyk)
            canvas.setStrokeColorCMYK(*item.colour.cmyk)
            draw_icon(canvas, item.name, item.box.x, item.box.y, item.box.width)
            canvas.restoreState()
        elif isinstance(item, Qr):
            draw_qr(canvas, item.symbol, item.x, item.y, item.module)
        elif isinstance(item, Picture):
            canvas.drawImage(cmyk_image(item.path), item.box.x, item.box.y, item.box.width, item.box.height)


def _paint_area(canvas, area: Area, bleed: float) -> None:
    left, bottom, right, top = (bleed if grow else 0.0 for grow in area.bleeds)
    box = area.box
    canvas.setFillColorCMYK(*area.colour.cmyk)
    canvas.rect(box.x - left, box.y - bottom, box.width + left + right, box.height + bottom + top, stroke=0, fill=1)


MAX_IMAGE_SIDE = 2400  # pixels: 300 ppi over 20 cm, more than any logo is printed


@lru_cache(maxsize=8)
def cmyk_image(path: str):
    """The image at ``path`` turned upright by its EXIF orientation (a phone photo prints as it
    was taken), at most ``MAX_IMAGE_SIDE`` pixels wide and high, flattened on white and converted
    to CMYK, ready for reportlab."""
    from PIL import Image, ImageOps
    from reportlab.lib.utils import ImageReader

    with Image.open(path) as source:
        source.draft("RGB", (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))  # JPEG: decode at a reduced size
        upright = ImageOps.exif_transpose(source)
        upright.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
        rgba = upright.convert("RGBA")
    flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    flat.alpha_composite(rgba)
    return ImageReader(flat.convert("CMYK"))


EXIF_ORIENTATION = 0x0112
TURNED = (5, 6, 7, 8)  # EXIF orientations that turn the image a quarter: width and height swap


@lru_cache(maxsize=8)
def image_aspect(path: str) -> float:
    """Width divided by height of the image at ``path`` as it prints: upright, after its EXIF
    orientation (read from the header, without decoding the pixels)."""
    from PIL import Image

    with Image.open(path) as image:
        width, height = image.size
        if image.getexif().get(EXIF_ORIENTATION) in TURNED:
            width, height = height, width
    return width / height


def _paint_frame(canvas, frame: Frame) -> None:
    if frame.fill is not None:
        canvas.setFillColorCMYK(*frame.fill.cmyk)
    if frame.stroke is not None:
        canvas.setStrokeColorCMYK(*frame.stroke.cmyk)
        canvas.setLineWidth(frame.line_width)
    box, stroke, fill = frame.box, int(frame.stroke is not None), int(frame.fill is not None)
    if frame.radius > 0:
        canvas.roundRect(box.x, box.y, box.width, box.height, frame.radius, stroke=stroke, fill=fill)
    else:
        canvas.rect(box.x, box.y, box.width, box.height, stroke=stroke, fill=fill)


def _paint_text(canvas, text: Text) -> None:
    """One text object per block; words of one font on a line are joined with spaces, which puts
    them exactly where the fitter measured them (no kerning is applied)."""
    block = text.block
    obj = canvas.beginText()
    obj.setFillColorCMYK(*text.colour.cmyk)
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
    canvas.drawText(obj)


def _font_runs(pieces: tuple[tuple[float, str, str], ...]) -> list[tuple[float, str, str]]:
    runs: list[tuple[float, str, str]] = []
    for x, word, font in pieces:
        if runs and runs[-1][2] == font:
            start, words, _ = runs[-1]
            runs[-1] = (start, words + " " + word, font)
        else:
            runs.append((x, word, font))
    return runs
