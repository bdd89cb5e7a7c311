"""Shaping, measuring and drawing text in any script: HarfBuzz for the glyphs, bidi for the order.

In: text in logical order with its face (``fonts.REGULAR``, ``SEMIBOLD``, ``BOLD``, ``ITALIC``),
a size in points and, for a line, the paragraph direction (``ltr``/``rtl``).
Out:
- ``measure(text, face, size) -> float``: the width in points. Runs in an Arabic, Hebrew or
  Ethiopic font are measured from HarfBuzz's advances (joined letters are narrower than isolated
  ones); Latin, Cyrillic and Greek runs from the font's widths (``fonts.text_width``: no kerning,
  as before). Widths add up over words: a word is shaped on its own, as letters never join
  across a space.
- ``shape_line(pieces, size, direction, levels=None) -> ShapedLine``: one line of ``(text, face)``
  pieces (joined by single spaces, in logical order: ``line_text``) cut into runs by font and bidi
  level, each run shaped, and the runs placed left to right in visual order (Unicode bidi
  algorithm: Arabic runs right to left, numbers and Latin inside them left to right). ``levels``
  is the line's slice of its paragraph's levels (rule L1 is applied to the line); without it the
  line is resolved on its own. A zero width non-joiner or joiner stays inside its word's run, so
  HarfBuzz shapes the word with it. ``ShapedLine.width`` equals the sum of ``measure`` over the
  words plus the spaces, so a line fitted with ``measure`` fits. ``generator.paragraphs`` shapes
  the lines of a block with their paragraph's levels.
- ``draw_line(canvas, line, x, y)``: paints a shaped line with its left end at ``x`` on baseline
  ``y`` in the current fill colour. Glyphs are drawn by glyph id (``scriptfonts.GlyphFont``), so
  contextual forms and ligatures print; each font is embedded as a subset (/FontFile2) with a
  ToUnicode map from every drawn glyph to its characters. Runs are written in logical order, and
  the glyphs of a right-to-left run in visual order: text extraction (pypdf) and copy/paste give
  the text in logical order.
- ``break_words(text, face, size, width)``: greedy lines at spaces, for text without hyphenation.
- ``needs_engine(text, face)``: whether a text needs this module (a script font, a right-to-left
  character or a fallback font); text that does not can be drawn as before with ``textOut``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Sequence

import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from dialoogkit.generator.fonts import text_width
from dialoogkit.generator.scriptfonts import SHAPED, GlyphFont, register_script_fonts
from dialoogkit.generator.scripts import (
    bidi_levels,
    end_of_line,
    fonts_of,
    plain_characters,
    script_of,
    segment,
    visual_order,
)

PLAIN_FEATURES = {"kern": False, "liga": False, "clig": False, "calt": False}  # Latin as reportlab prints it


@dataclass(frozen=True)
class Glyph:
    """One glyph to draw: its code in its font, its advance and the font's width for the code
    (both in thousandths of the size) and HarfBuzz's offsets (thousandths)."""

    code: int
    advance: float
    width: float
    x_offset: float = 0.0
    y_offset: float = 0.0


@dataclass(frozen=True)
class GlyphRun:
    """A run of one font and one bidi level: its left edge ``x`` from the line's left end and its
    width (points), its characters in logical order and its glyphs left to right."""

    x: float
    width: float
    font: str
    size: float
    text: str
    level: int
    start: int  # index of the run's first character in the line's text
    glyphs: tuple[Glyph, ...]

    @property
    def rtl(self) -> bool:
        return self.level % 2 == 1


@dataclass(frozen=True)
class ShapedLine:
    """A line ready to draw: runs left to right, the line's width and its text in logical order."""

    runs: tuple[GlyphRun, ...]
    width: float
    text: str
    direction: str


_TWINS: dict[str, GlyphFont] = {}
TWIN = "~glyphs"


def glyph_font(font: str) -> str:
    """The font that draws ``font``'s glyphs by id: the script fonts themselves; for Source Sans
    Pro and Noto Sans a twin ``GlyphFont`` of the same file (used for right-to-left runs, where
    brackets mirror). reportlab allows one registered font per face, so twins are kept here."""
    register_script_fonts()
    if font in SHAPED:
        return font
    twin = font + TWIN
    if twin not in _TWINS:
        _TWINS[twin] = GlyphFont(twin, pdfmetrics.getFont(font).face.filename, subset_offset=500)
    return twin


def font_object(font: str) -> TTFont:
    """The reportlab font object of a registered font or of a twin."""
    return _TWINS[font] if font in _TWINS else pdfmetrics.getFont(font)  # type: ignore[return-value]


@lru_cache(maxsize=16)
def _hb_font(font: str) -> hb.Font:
    return hb.Font(hb.Face(hb.Blob(font_object(font).face._ttf_data)))


def _shape(text: str, font: str, rtl: bool, script: str) -> tuple[Glyph, ...]:
    """HarfBuzz glyphs of ``text`` in ``font`` (a ``GlyphFont``), left to right."""
    drawn: GlyphFont = font_object(font)  # type: ignore[assignment]
    buffer = hb.Buffer()
    buffer.add_codepoints([ord(ch) for ch in text])
    buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    buffer.direction = "rtl" if rtl else "ltr"
    if script not in ("Zyyy", "Zinh", "Zzzz", ""):
        buffer.script = script
    buffer.guess_segment_properties()
    hb_font = _hb_font(font)
    hb.shape(hb_font, buffer, None if font in SHAPED else PLAIN_FEATURES)
    scale = 1000.0 / drawn.face.unitsPerEm
    infos, positions = buffer.glyph_infos, buffer.glyph_positions
    starts = sorted({info.cluster for info in infos}) + [len(text)]
    ends = {start: starts[i + 1] for i, start in enumerate(starts[:-1])}
    glyphs: list[Glyph] = []
    index = 0
    while index < len(infos):  # one cluster at a time, left to right
        cluster = infos[index].cluster
        end = index
        while end < len(infos) and infos[end].cluster == cluster:
            end += 1
        members = list(range(index, end))
        glyphs.extend(_cluster_glyphs(drawn, text[cluster:ends[cluster]], members, infos, positions, scale, rtl))
        index = end
    return tuple(glyphs)


def _cluster_glyphs(drawn: GlyphFont, chars: str, members: list[int], infos, positions, scale: float,
                    rtl: bool) -> list[Glyph]:
    """The glyphs of one cluster, left to right, each mapped to one of its characters in logical
    order; a ligature (fewer glyphs than characters) gets a blank, zero-width glyph for each extra
    character, placed after it in logical order, so every drawn code stands for one character
    (extractors handle one character per code; a glyph for two confuses right-to-left text)."""
    logical = members[::-1] if rtl else members
    made: dict[int, Glyph] = {}
    for rank, member in enumerate(logical):
        text = chars[rank] if rank < len(chars) else ""
        if rank == len(logical) - 1 and len(chars) > len(logical) and drawn.face.charToGlyph.get(32) is None:
            text = chars[rank:]  # no blank glyph to carry the rest: the last glyph stands for it
        code = drawn.code_for(infos[member].codepoint, text)
        pos = positions[member]
        made[member] = Glyph(code, pos.x_advance * scale, drawn.face.getCharWidth(code), pos.x_offset * scale,
                             pos.y_offset * scale)
    extra = []
    blank = drawn.face.charToGlyph.get(32)
    if blank is not None:
        for char in chars[len(logical):]:
            code = drawn.code_for(blank, char)
            extra.append(Glyph(code, 0.0, drawn.face.getCharWidth(code)))
    ordered = [made[member] for member in logical] + extra
    return ordered[::-1] if rtl else ordered


@lru_cache(maxsize=100_000)
def _shaped(text: str, font: str, rtl: bool, script: str) -> tuple[Glyph, ...]:
    return _shape(text, font, rtl, script)


def _run_glyphs(text: str, font: str, level: int, script: str) -> tuple[str, tuple[Glyph, ...]]:
    """The font to draw a run with and its glyphs. Left-to-right runs of Latin fonts keep their
    characters as codes (exactly as ``textOut`` prints them)."""
    if font in SHAPED or level % 2:
        drawn = glyph_font(font)
        return drawn, _shaped(text, drawn, level % 2 == 1, script)
    face = pdfmetrics.getFont(font).face
    return font, tuple(Glyph(ord(ch), face.getCharWidth(ord(ch)), face.getCharWidth(ord(ch))) for ch in text)


@lru_cache(maxsize=200_000)
def _unit_measure(text: str, face: str) -> float:
    register_script_fonts()
    total, plain, plain_font = 0.0, "", ""
    for run in segment(text, face):
        if run.font_key in SHAPED:
            total += sum(g.advance for g in _shaped(run.text, run.font_key, run.direction == "rtl", run.script)) / 1000.0
        elif run.font_key == plain_font:
            plain += run.text
        else:
            total += text_width(plain, plain_font, 1.0) if plain else 0.0
            plain, plain_font = run.text, run.font_key
    # neighbouring runs of one Latin font are measured as one string: Latin text measures exactly
    # as ``fonts.text_width`` measured it before
    return total + (text_width(plain, plain_font, 1.0) if plain else 0.0)


def measure(text: str, face: str, size: float) -> float:
    """Width in points of ``text`` (logical order) set in ``face`` at ``size``; for text in the
    face's own font exactly ``fonts.text_width(text, face, 1.0) * size``, as textfit computes."""
    return _unit_measure(text, face) * size


def needs_engine(text: str, face: str) -> bool:
    """Whether ``text`` has a character that the face's own font cannot print as before: one in a
    script font or a fallback font, or a right-to-left one."""
    register_script_fonts()
    if plain_characters(face).issuperset(text):
        return False
    return any(font != face for font in fonts_of(text, face)) or any(
        script_of(ch) in ("Arab", "Hebr") for ch in text)


def line_text(pieces: Sequence[tuple[str, str]]) -> tuple[str, list[str]]:
    """The text of a line of ``(text, face)`` pieces, joined by single spaces, and the face of
    each of its characters."""
    text, faces = "", []
    for index, (piece, face) in enumerate(pieces):
        joiner = " " if index and text and piece else ""
        text += joiner + piece
        faces.extend([face] * (len(joiner) + len(piece)))
    return text, faces


def shape_line(pieces: Sequence[tuple[str, str]], size: float, direction: str,
               levels: Sequence[int] | None = None) -> ShapedLine:
    """One line of ``(text, face)`` pieces in logical order, shaped and placed (see module doc);
    ``levels``, one per character of the joined line, are its slice of its paragraph's levels
    (``paragraphs.shape_block``), else the line is resolved as a paragraph of its own."""
    register_script_fonts()
    text, faces = line_text(pieces)
    base = 1 if direction == "rtl" else 0
    if levels is None:
        levels = bidi_levels(text, direction)
    elif len(levels) != len(text):
        raise ValueError(f"shape_line: {len(levels)} levels for a line of {len(text)} characters")
    else:
        levels = end_of_line(text, list(levels), base)
    chars: list[tuple[str, int, str]] = []  # (font, level, script) of each character
    position = 0
    for run_face, run_start, run_end in _face_spans(faces):
        for run in segment(text[run_start:run_end], run_face):
            for offset in range(len(run.text)):
                chars.append((run.font_key, levels[position], run.script))
                position += 1
    runs: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or chars[index][:2] != chars[start][:2]:
            runs.append((start, index))
            start = index
    shaped = []
    for start, end in runs:
        font, level, script = chars[start]
        drawn, glyphs = _run_glyphs(text[start:end], font, level, script)
        width = sum(g.advance for g in glyphs) * size / 1000.0
        shaped.append(GlyphRun(0.0, width, drawn, size, text[start:end], level, start, glyphs))
    placed, x = [], 0.0
    for index in visual_order([run.level for run in shaped]):
        run = shaped[index]
        placed.append(GlyphRun(x, run.width, run.font, size, run.text, run.level, run.start, run.glyphs))
        x += run.width
    return ShapedLine(tuple(placed), x, text, direction)


def _face_spans(faces: list[str]) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for index, face in enumerate(faces):
        if spans and spans[-1][0] == face:
            spans[-1] = (face, spans[-1][1], index + 1)
        else:
            spans.append((face, index, index + 1))
    return spans


def _literal(data: bytes) -> str:
    out = []
    for byte in data:
        char = chr(byte)
        if char in "()\\":
            out.append("\\" + char)
        elif 32 <= byte < 127:
            out.append(char)
        else:
            out.append(f"\\{byte:03o}")
    return "(" + "".join(out) + ")"


def _number(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _run_operators(canvas, run: GlyphRun, x: float, y: float) -> list[str]:
    """PDF text operators for one run, glyphs left to right: ``TJ`` arrays whose numbers move each
    glyph from the font's width to HarfBuzz's advance and offset; ``Ts`` lifts marks."""
    font = font_object(run.font)
    doc = canvas._doc
    codes = "".join(chr(g.code) for g in run.glyphs)
    pieces = []  # (subset, one byte) per glyph
    for subset, data in font.splitString(codes, doc):
        pieces.extend((subset, bytes([b])) for b in data)
    ops = [f"1 0 0 1 {_number(x)} {_number(y)} Tm"]
    current_subset, items, rise = None, [], 0.0

    def flush() -> None:
        if items:
            ops.append("[" + " ".join(items) + "] TJ")
            items.clear()

    for glyph, (subset, byte) in zip(run.glyphs, pieces):
        if subset != current_subset:
            flush()
            ops.append(f"{font.getSubsetInternalName(subset, doc)} {_number(run.size)} Tf")
            current_subset = subset
        lift = glyph.y_offset * run.size / 1000.0
        if lift != rise:
            flush()
            ops.append(f"{_number(lift)} Ts")
            rise = lift
        if glyph.x_offset:
            items.append(_number(-glyph.x_offset))
        items.append(_literal(byte))
        adjust = glyph.width - glyph.advance + glyph.x_offset
        if abs(adjust) > 1e-6:
            items.append(_number(adjust))
    flush()
    if rise:
        ops.append("0 Ts")
    return ops


def _strong_first(run: GlyphRun) -> tuple[GlyphRun, ...]:
    """A right-to-left run that starts (at its left end) with neutral glyphs, such as the colon
    after "السكان", as two pieces: the rest first, then those glyphs. Extractors read a right-to-left
    stretch from its first strong character on; a neutral seen before it would be read as if it
    came first when the text before it ran left to right."""
    if not run.rtl:
        return (run,)
    texts = getattr(font_object(run.font), "texts", {})
    lead = 0
    while lead < len(run.glyphs) and not any(
            unicodedata.bidirectional(ch) in ("R", "AL") for ch in texts.get(run.glyphs[lead].code, chr(run.glyphs[lead].code))):
        lead += 1
    if lead == 0 or lead == len(run.glyphs):
        return (run,)
    width = sum(g.advance for g in run.glyphs[:lead]) * run.size / 1000.0
    return (replace(run, x=run.x + width, width=run.width - width, glyphs=run.glyphs[lead:]),
            replace(run, width=width, glyphs=run.glyphs[:lead]))


def draw_line(canvas, line: ShapedLine, x: float, y: float) -> None:
    """Paint ``line`` with its left end at ``x`` on baseline ``y`` in the canvas's fill colour.
    Runs are written in logical order; each run's glyphs left to right (a right-to-left run's
    leading neutral glyphs after the rest: see ``_strong_first``)."""
    ops = ["BT"]
    for run in sorted(line.runs, key=lambda r: r.start):
        for piece in _strong_first(run):
            ops.extend(_run_operators(canvas, piece, x + piece.x, y))
    ops.append("ET")
    canvas.addLiteral("\n".join(ops))


def break_words(text: str, face: str, size: float, width: float) -> list[str]:
    """Greedy line breaking at spaces (no hyphenation), with widths from ``measure``: the lines of
    ``text`` in logical order. textfit breaks the same way for a language pyphen does not know."""
    lines: list[str] = []
    current, used = "", 0.0
    space = measure(" ", face, size)
    for word in text.split():
        wide = measure(word, face, size)
        if current and used + space + wide > width:
            lines.append(current)
            current, used = "", 0.0
        current, used = (current + " " + word, used + space + wide) if current else (word, wide)
    if current:
        lines.append(current)
    return lines
