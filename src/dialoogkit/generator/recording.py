"""A card face drawn once and replayed: the operators one document wrote, written again in another.

In: reportlab canvases of kit documents (``output.document``), the faces of a deck's cards
(``display.Face``) and the bleed they are drawn with.
Out: ``plan_seed`` finds the font encoding of a set of faces (every character of their plain text
and every glyph code of their shaped text, font by font) and ``seed_fonts`` gives it to a
document before anything is drawn (fonts in a fixed order, codes in code point order), so that
two documents seeded alike write the same bytes for the same text; ``record_face`` paints a face
as ``render_face`` does and keeps what each item wrote (a ``Recording``, with the graphics states
the operators name and the QR links; ``Recordings`` holds a file's recordings and its seed). Two
kinds of item are live, painted again wherever the face is replayed: an area that runs into the
bleed (its size depends on the document's bleed) and a picture (its image belongs to its
document). ``replay`` writes a recording into
another seeded document in the same printing condition (the office sheets replay the print-shop
file's faces) and ``replay_on_screen`` in screen colours (the card images): each writes what
drawing the face there would have written. A recording whose graphics state names clash with
those of the page it would go on is not replayed (``replay`` says so; the caller draws the
face).
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from dialoogkit.generator.display import Area, Face, Picture, Qr, Text, needs_shaping, paint_item, text_direction
from dialoogkit.generator.paragraphs import shape_block
from dialoogkit.generator.shaping import font_object


@dataclass(frozen=True)
class Recording:
    """What drawing one face wrote, item by item (each item of the face, the operators it wrote,
    and whether it is live: see module docstring), the graphics states the kept operators name
    (state → name) and the links over its QR symbols (address, rectangle in face coordinates)."""

    parts: tuple[tuple[object, tuple[str, ...], bool], ...]
    states: tuple[tuple[tuple[str, str], str], ...]
    links: tuple[tuple[str, tuple[float, float, float, float]], ...]


Seed = tuple[tuple[str, str], ...]  # (font, its characters and glyph codes in code point order)


@dataclass
class Recordings:
    """The recordings of one file's faces (by ``id(face)``) and the seed its fonts were given."""

    seed: Seed = ()
    faces: dict[int, Recording] = field(default_factory=dict)


def is_live(item: object) -> bool:
    """An item painted again wherever its face is replayed (see module docstring)."""
    return isinstance(item, (Area, Picture))


def plan_seed(faces: Iterable[Face]) -> Seed:
    """Every character of the faces' plain text and every glyph code of their shaped text, by font
    (see ``seed_fonts``)."""
    used: dict[str, set[str]] = defaultdict(set)
    for face in faces:
        for item in face.items:
            if not isinstance(item, Text):
                continue
            block = item.block
            if not needs_shaping(item):
                for line in block.lines:
                    for _, word, font in line.pieces:
                        used[font].update(word)
                        used[font].add(" ")
                continue
            for shaped in shape_block(block.lines, block.size, text_direction(item)):
                for run in shaped.runs if shaped is not None else ():
                    used[run.font].update(chr(glyph.code) for glyph in run.glyphs)
    return tuple((font, "".join(sorted(used[font]))) for font in sorted(used))


def seed_fonts(canvas, seed: Seed) -> None:
    """Give every character and glyph code of ``seed`` its code in ``canvas``'s document, font by
    font, before anything is drawn: two documents seeded alike encode a text alike."""
    document = canvas._doc
    for name, codes in seed:
        font = font_object(name)
        font.splitString(codes, document)
        font.getSubsetInternalName(0, document)


def record_face(canvas, face: Face, bleed: float) -> Recording:
    """Paint ``face`` in press colours as ``render_face`` does and keep what it wrote."""
    parts = []
    for item in face.items:
        at = len(canvas._code)
        paint_item(canvas, item, bleed)
        live = is_live(item)
        parts.append((item, () if live else tuple(canvas._code[at:]), live))
    kept = [line for _, code, _ in parts for line in code]
    used = tuple((state, name) for state, name in canvas._extgstate._c.items()
                 if any(f"/{name} gs" in line for line in kept))
    links = tuple((item.symbol.data, (item.x, item.y, item.x + item.symbol.modules * item.module,
                                      item.y + item.symbol.modules * item.module))
                  for item in face.items if isinstance(item, Qr))
    return Recording(tuple(parts), used, links)


def replay(canvas, recording: Recording, bleed: float) -> bool:
    """Write ``recording`` in press colours on ``canvas`` (its current transformation places the
    face), its live items painted there (areas grown by ``bleed``); False, and nothing written,
    when a graphics state it names has another name on this page."""
    states = canvas._extgstate._c
    names = {name: state for state, name in states.items()}
    for state, name in recording.states:
        if states.get(state, name) != name or names.get(name, state) != state:
            return False
    for state, name in recording.states:
        states[state] = name
    for item, code, live in recording.parts:
        if live:
            paint_item(canvas, item, bleed)
        else:
            canvas._code.extend(code)
    if getattr(canvas, "takes_links", True):
        for address, rectangle in recording.links:
            canvas.linkURL(address, rectangle, relative=1, thickness=0)
    return True


def replay_on_screen(canvas, recording: Recording) -> None:
    """Write ``recording`` in screen colours (RGB) on ``canvas``, as ``render_face`` with
    ``screen`` draws it: its text (the costly part: fonts encoded, words placed) replayed with
    the press colour exchanged for the screen colour and without the overprint press black
    needs; its areas, rules, frames, icons and QR symbols written again from the face's items
    (a few operators each), and its live items painted."""
    for item, code, _ in recording.parts:
        screen = _screen_code(item, code) if isinstance(item, Text) else None
        if screen is None:
            paint_item(canvas, item, 0.0, screen=True)
        else:
            canvas._code.extend(screen)


def _screen_code(text: Text, code: tuple[str, ...]) -> list[str] | None:
    """What painting ``text`` in screen colours writes, from what painting it in press colours
    wrote; None when the code is not of the shape ``display`` writes (it is then painted)."""
    rgb = text.colour.rgb
    objects = [line for line in code if line.startswith("BT ")]
    if len(objects) == 1:  # a text object: its colour is its first operator
        screen = _screen_text(objects[0], rgb)
        return [screen] if screen is not None else None
    # shaped text: q, the fill colour, the overprint states black needs, the lines, Q
    lines = [line for line in code[2:-1] if not _STATE.fullmatch(line)]
    if (len(code) < 3 or code[0] != "q" or code[-1] != "Q" or not _PRESS_COLOUR.fullmatch(code[1])
            or not lines or not all(line.startswith("BT\n") for line in lines)):
        return None
    return ["q", _fill_operator(rgb), *lines, "Q"]


_STATE = re.compile(r"/gRLs\d+ gs")


@lru_cache(maxsize=256)
def _fill_operator(rgb: tuple[float, float, float]) -> str:
    """The fill operator for ``rgb`` as reportlab writes it (a canvas and a text object alike)."""
    scratch = Canvas(io.BytesIO())
    before = len(scratch._code)
    scratch.setFillColorRGB(*rgb)
    return " ".join(scratch._code[before:])


_PRESS_COLOUR = re.compile(r"[-+\d. ]+ k")


def _screen_text(text: str, rgb: tuple[float, float, float]) -> str | None:
    """A text object's operators with its press colour (the first operator after the text
    object's start) exchanged for ``rgb``; None when it does not start so."""
    opening = _text_start()
    if not text.startswith(opening):
        return None
    colour = text.find(" ", text.find(" k", len(opening)) + 1)
    if colour < 0 or not _PRESS_COLOUR.fullmatch(text[len(opening):colour]):
        return None
    return opening + _fill_operator(rgb) + text[colour:]


@lru_cache(maxsize=1)
def _text_start() -> str:
    """What a text object writes before its colour, as reportlab writes it."""
    return " ".join(PDFTextObject(Canvas(io.BytesIO()))._code) + " "
