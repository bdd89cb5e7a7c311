"""Right-to-left text ordered by paragraph: the lines of a fitted block, shaped with the bidi levels
of the paragraph they belong to.

In: the lines of a block as the fitter laid them out (``textfit.Line``: pieces ``(x, text, font)``
and whether a paragraph ends after the line), a size in points and the paragraph direction.
Out: ``shape_block(lines, size, direction)``: one ``shaping.ShapedLine`` per line (None for an
empty line). The bidi levels are resolved once per paragraph, over all its lines joined by spaces
in logical order (``scripts.bidi_levels``), so neutrals at a line's end (the comma after a Latin
name, a closing bracket) and numbers are resolved as in the whole sentence; each line is then
shaped with its slice of those levels, rule L1 and the visual order (L2) per line. A paragraph
ends after a line that says so, at a newline of the text and after the last line of the block.
"""

from __future__ import annotations

from typing import Protocol, Sequence

from dialoogkit.generator.scripts import bidi_levels
from dialoogkit.generator.shaping import ShapedLine, line_text, shape_line


class LaidLine(Protocol):
    """A line as the fitter lays it out (``textfit.Line``): its pieces ``(x, text, font)`` and
    whether a paragraph ends after it."""

    @property
    def pieces(self) -> tuple[tuple[float, str, str], ...]: ...

    @property
    def ends_paragraph(self) -> bool: ...


def shape_block(lines: Sequence[LaidLine], size: float, direction: str) -> list[ShapedLine | None]:
    """The lines of a block, each shaped with its slice of its paragraph's levels (see the module
    docstring); None for an empty line."""
    shaped: list[ShapedLine | None] = []
    paragraph: list[list[tuple[str, str]]] = []
    for number, line in enumerate(lines):
        paragraph.append([(word, font) for _, word, font in line.pieces])
        if line.ends_paragraph or number == len(lines) - 1:
            shaped.extend(_shape_paragraph(paragraph, size, direction))
            paragraph = []
    return shaped


def _shape_paragraph(lines: list[list[tuple[str, str]]], size: float, direction: str) -> list[ShapedLine | None]:
    """The lines of one paragraph, as ``(text, face)`` pieces, shaped with their slices of the
    levels of the paragraph's text (the lines joined by single spaces)."""
    texts = [line_text(pieces)[0] for pieces in lines]
    levels = bidi_levels(" ".join(texts), direction, line_end=False)
    shaped: list[ShapedLine | None] = []
    start = 0
    for pieces, text in zip(lines, texts, strict=True):
        shaped.append(shape_line(pieces, size, direction, levels[start:start + len(text)]) if text else None)
        start += len(text) + 1
    return shaped
