"""A card face drawn once and replayed: the operators one document wrote, written again in another.

In: reportlab canvases of kit documents (``output.document``), the faces of a deck's cards
(``display.Face``) and the bleed they are drawn with.
Out: ``seed_fonts`` gives a document the font encoding of a set of faces (every character of
their text a fixed code, fonts in a fixed order), so that two documents seeded with the same
faces write the same bytes for the same text; ``record_face`` paints a face as ``render_face``
does and keeps what it wrote (a ``Recording``: the operators, with the areas that run into the
bleed kept as areas, the graphics states the operators name and the QR links), or None for a
face that cannot be replayed (a picture, whose image belongs to its document, or text drawn
through the shaping engine, whose glyph codes are given as it is drawn); ``replay`` writes a
recording into another seeded document in the same printing condition, the areas grown by that
document's bleed: the face is drawn once for press and replayed there (the office sheets replay
the print-shop file's faces), writing what drawing it would have written. A recording whose
graphics state names clash with those of the page it would go on is not replayed (``replay``
says so; the caller draws the face).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics

from dialoogkit.generator.display import Area, Face, Picture, Qr, Text, needs_shaping, paint_area, paint_item


@dataclass(frozen=True)
class Recording:
    """What drawing one face wrote: its operators (an ``Area`` where one was painted, as its size
    depends on the bleed), the graphics states they name (state → name) and the links over its
    QR symbols (address, rectangle in face coordinates)."""

    code: tuple[str | Area, ...]
    states: tuple[tuple[tuple[str, str], str], ...]
    links: tuple[tuple[str, tuple[float, float, float, float]], ...]


def recordable(face: Face) -> bool:
    """A face whose drawing depends on nothing but the fonts' encoding (see module docstring)."""
    return not any(isinstance(item, Picture) or (isinstance(item, Text) and needs_shaping(item))
                   for item in face.items)


def seed_fonts(canvas, faces: list[Face]) -> None:
    """Give every character of the recordable faces' text its code in ``canvas``'s document, font
    by font in the order of their names and character by character in code point order, before
    anything is drawn: two documents seeded alike encode a text alike."""
    used: dict[str, set[str]] = defaultdict(set)
    for face in faces:
        if not recordable(face):
            continue
        for item in face.items:
            if isinstance(item, Text):
                for line in item.block.lines:
                    for _, word, font in line.pieces:
                        used[font].update(word)
                        used[font].add(" ")
    document = canvas._doc
    for name in sorted(used):
        font = pdfmetrics.getFont(name)
        font.splitString("".join(sorted(used[name])), document)
        font.getSubsetInternalName(0, document)


def record_face(canvas, face: Face, bleed: float) -> Recording | None:
    """Paint ``face`` as ``render_face`` does and keep what it wrote, when it can be replayed."""
    start, code = len(canvas._code), []
    for item in face.items:
        at = len(canvas._code)
        paint_item(canvas, item, bleed)
        code.extend((item,) if isinstance(item, Area) else canvas._code[at:])
    if not recordable(face):
        return None
    used = tuple((state, name) for state, name in canvas._extgstate._c.items()
                 if any(f"/{name} gs" in line for line in canvas._code[start:]))
    links = tuple((item.symbol.data, (item.x, item.y, item.x + item.symbol.modules * item.module,
                                      item.y + item.symbol.modules * item.module))
                  for item in face.items if isinstance(item, Qr))
    return Recording(tuple(code), used, links)


def replay(canvas, recording: Recording, bleed: float) -> bool:
    """Write ``recording`` on ``canvas`` (its current transformation places the face), its areas
    grown by ``bleed``; False, and nothing written, when a graphics state it names has another
    name on this page."""
    states = canvas._extgstate._c
    names = {name: state for state, name in states.items()}
    for state, name in recording.states:
        if states.get(state, name) != name or names.get(name, state) != state:
            return False
    for state, name in recording.states:
        states[state] = name
    for part in recording.code:
        if isinstance(part, str):
            canvas._code.append(part)
        else:
            paint_area(canvas, part, bleed)
    if getattr(canvas, "takes_links", True):
        for address, rectangle in recording.links:
            canvas.linkURL(address, rectangle, relative=1, thickness=0)
    return True
