"""The embedded fonts (Source Sans Pro, TrueType, subset by reportlab) and glyph checks.

In: nothing (the font files come from the ``font-source-sans-pro`` package).
Out: registered reportlab font names (``REGULAR``, ``SEMIBOLD``, ``BOLD``, ``ITALIC``),
``text_width`` with a per-word cache, and ``missing_glyphs`` for characters the font lacks.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "SourceSansPro"
SEMIBOLD = "SourceSansPro-Semibold"
BOLD = "SourceSansPro-Bold"
ITALIC = "SourceSansPro-Italic"

_FILES = {
    REGULAR: "SourceSansPro-Regular.ttf",
    SEMIBOLD: "SourceSansPro-Semibold.ttf",
    BOLD: "SourceSansPro-Bold.ttf",
    ITALIC: "SourceSansPro-It.ttf",
}


def font_folder() -> Path:
    """Where the Source Sans Pro TrueType files are installed."""
    import font_source_sans_pro

    return Path(font_source_sans_pro.font_directory)


@lru_cache(maxsize=1)
def register_fonts() -> tuple[str, ...]:
    """Register the four faces with reportlab once; returns their names."""
    folder = font_folder()
    for name, file in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    return tuple(_FILES)


@lru_cache(maxsize=200_000)
def _unit_width(text: str, font: str) -> float:
    return pdfmetrics.stringWidth(text, font, 1000.0) / 1000.0


def text_width(text: str, font: str, size: float) -> float:
    """Width in points of ``text`` set in ``font`` at ``size``."""
    return _unit_width(text, font) * size


@lru_cache(maxsize=8)
def _charmap(font: str) -> frozenset[int]:
    register_fonts()
    face = pdfmetrics.getFont(font).face
    return frozenset(face.charToGlyph)


def missing_glyphs(text: str, font: str = REGULAR) -> list[str]:
    """Characters of ``text`` that the font cannot draw (they would print as blanks)."""
    charmap = _charmap(font)
    missing: list[str] = []
    for ch in text:
        if ch in "\n" or ord(ch) in charmap:
            continue
        if ch not in missing:
            missing.append(ch)
    return missing


def ascent(font: str, size: float) -> float:
    """Height of the font's capitals above the baseline, in points (for vertical placement)."""
    register_fonts()
    return pdfmetrics.getFont(font).face.ascent / 1000.0 * size * 0.92


def descent(font: str, size: float) -> float:
    """Depth below the baseline (positive), in points."""
    register_fonts()
    return -pdfmetrics.getFont(font).face.descent / 1000.0 * size
