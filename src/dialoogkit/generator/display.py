"""A face as a display list: positioned text blocks, filled areas, rules, icons and QR symbols.

In: items composed by ``front``/``back`` (all positions in points, card coordinates).
Out: ``Face`` (the list, plus the boxes of all text for checking) and ``render_face`` that paints a
face on a reportlab canvas; areas marked ``bleeds`` grow by the bleed on the marked sides.
Text is drawn as plain strings: nothing is interpreted as markup. Plain Latin, Cyrillic and Greek
text in a left-to-right block is written with ``textOut``, as always; a block that runs right to
left or has a word in a script font (Arabic, Hebrew, Ethiopic) or a fallback font is drawn line
by line through ``shaping`` (HarfBuzz glyphs; the bidi order resolved per paragraph, see
``paragraphs``). ``mirror_face`` turns a face into its right-to-left mirror image: every position
mirrored, text right-aligned (see ``Text.direction``).
Colours are painted as the CMYK to print (``Colour.cmyk``; text by ``Colour.text_cmyk``, solid
black text overprinting), or with ``screen`` as the deck's RGB screen colours (for PNG images).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from dialoogkit.generator.colours import Colour, overprints
from dialoogkit.generator.icons import draw_icon
from dialoogkit.generator.paragraphs import shape_block
from dialoogkit.generator.pictures import draw_picture
from dialoogkit.generator.qr import QrSymbol, draw_qr
from dialoogkit.generator.scripts import paragraph_direction
from dialoogkit.generator.shaping import draw_line, needs_engine, shape_line
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
    """A wrapped text block with its top-left corner at ``(x, top)`` (its top-right corner when
    ``align`` is right). ``direction`` is the paragraph direction of its lines: ``ltr``, ``rtl``,
    or ``""`` for that of its first strong character; a text with a direction of its own (a
    companion text placed for its language) keeps its place when the face is mirrored."""

    block: TextBlock
    x: float
    top: float
    colour: Colour
    align: str = "left"
    name: str = ""
    direction: str = ""

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


def mirror_face(face: Face) -> Face:
    """``face`` for a right-to-left language: every item mirrored about the face's vertical centre
    line (band icon and number swap sides, QR codes move to the right with their text left of
    them, bleeds swap sides), texts aligned to the other side and set right to left (a text that
    starts with a Latin letter, such as a web address, keeps its own direction). Texts with a
    direction of their own stay where they are. Icons, pictures and QR symbols are not flipped."""
    width = face.width

    def box(b: Box) -> Box:
        return Box(width - b.x - b.width, b.y, b.width, b.height)

    items: list[Item] = []
    for item in face.items:
        if isinstance(item, Text):
            if not item.direction:
                own = paragraph_direction(" ".join(w for line in item.block.lines for _, w, _ in line.pieces), "rtl")
                item = replace(item, x=width - item.x, align="left" if item.align == "right" else "right",
                               direction=own)
        elif isinstance(item, Area):
            left, bottom, right, top = item.bleeds
            item = replace(item, box=box(item.box), bleeds=(right, bottom, left, top))
        elif isinstance(item, Rule):
            item = replace(item, x1=width - item.x1, x2=width - item.x2)
        elif isinstance(item, (Frame, Picture, Icon)):
            item = replace(item, box=box(item.box))
        elif isinstance(item, Qr):
            item = replace(item, x=width - item.x - item.box.width)
        items.append(item)
    return Face(face.width, face.height, tuple(items))


def render_face(canvas, face: Face, bleed: float = 0.0, screen: bool = False) -> None:
    """Paint ``face`` with its trim's lower-left corner at the canvas origin, in print colours
    (CMYK) or, with ``screen``, in the screen colours (RGB)."""
    for item in face.items:
        paint_item(canvas, item, bleed, screen)


def paint_item(canvas, item: object, bleed: float = 0.0, screen: bool = False) -> None:
    """Paint one item of a face (see ``render_face``)."""
    if isinstance(item, Area):
        paint_area(canvas, item, bleed, screen)
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


def paint_area(canvas, area: Area, bleed: float, screen: bool = False) -> None:
    """A filled area, grown by ``bleed`` on the sides it bleeds on."""
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
    cmyk = text.colour.text_cmyk(block.size)
    direction = text_direction(text)
    if direction == "rtl" or _has_engine_words(block):
        _paint_shaped(canvas, text, direction, cmyk, screen)
        return
    obj = canvas.beginText()
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


def needs_shaping(text: Text) -> bool:
    """``text`` is drawn line by line through the shaping engine: it runs right to left, or a
    word needs a script or fallback font's shaping."""
    return text_direction(text) == "rtl" or _has_engine_words(text.block)


def text_direction(text: Text) -> str:
    """The paragraph direction ``text`` is drawn in: its own, else that of its first strong
    character."""
    block = text.block
    return text.direction or paragraph_direction(" ".join(w for line in block.lines for _, w, _ in line.pieces))


def _has_engine_words(block: TextBlock) -> bool:
    return any(_needs_engine(word, font) for line in block.lines for _, word, font in line.pieces)


@lru_cache(maxsize=50_000)
def _needs_engine(word: str, font: str) -> bool:
    return needs_engine(word, font)


def _paint_shaped(canvas, text: Text, direction: str, cmyk: tuple[float, float, float, float], screen: bool) -> None:
    """``text`` line by line through the shaping engine: the bidi levels resolved per paragraph in
    ``direction`` (``paragraphs.shape_block``), each line placed by its shaped width (which equals
    the width it was fitted with)."""
    block = text.block
    canvas.saveState()
    if screen:
        canvas.setFillColorRGB(*text.colour.rgb)
    else:
        canvas.setFillColorCMYK(*cmyk)
        if overprints(cmyk):
            canvas.setFillOverprint(True)
            canvas.setOverprintMask(True)
    baseline = text.top - block.ascent
    for shaped in shape_block(block.lines, block.size, direction):
        if shaped is not None:
            draw_line(canvas, shaped, text.x - shaped.width if text.align == "right" else text.x, baseline)
        baseline -= block.leading
    canvas.restoreState()


def draw_string(canvas, text: str, font: str, size: float, x: float, y: float, align: str = "left") -> None:
    """One line of plain ``text`` in the canvas's fill colour, its left (or, with ``align`` right,
    its right) end at ``x``: with ``drawString`` where that prints it, else through the shaping
    engine (a page footer holding a deck's Arabic or Tigrinya title)."""
    if not needs_engine(text, font) and paragraph_direction(text) == "ltr":
        canvas.setFont(font, size)
        (canvas.drawRightString if align == "right" else canvas.drawString)(x, y, text)
        return
    shaped = shape_line([(text, font)], size, paragraph_direction(text))
    draw_line(canvas, shaped, x - shaped.width if align == "right" else x, y)


def _font_runs(pieces: tuple[tuple[float, str, str], ...]) -> list[tuple[float, str, str]]:
    runs: list[tuple[float, str, str]] = []
    for x, word, font in pieces:
        if runs and runs[-1][2] == font:
            start, words, _ = runs[-1]
            runs[-1] = (start, words + " " + word, font)
        else:
            runs.append((x, word, font))
    return runs
