"""Canvas (poster) sizes and the fixed regions of the canvases, as numbers in A3 points.

In: a canvas size name (``a3`` default, ``a2``, ``a1``, ``a0``).
Out: ``PosterSize`` (page size and the factor by which the A3 design is scaled as vector),
``placement`` (that factor and where the scaled design sits on the sheet) and
``lesson_regions``: the boxes of header, text column, writing zones and agreements table of a
lesson canvas, designed on A3 landscape (420 × 297 mm); the footer grows to hold a deck's logo
25 mm high.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialoogkit.layouts.presets import look_up
from dialoogkit.layouts.units import Box, mm

A3_WIDTH = mm(420)
A3_HEIGHT = mm(297)
MARGIN = mm(12)
GAP = mm(6)
HEADER_HEIGHT = mm(26)
FOOTER_HEIGHT = mm(9)
LOGO_HEIGHT = mm(25)  # a deck's logo in a canvas footer: large enough to recognise across a room
LOGO_FOOTER_HEIGHT = LOGO_HEIGHT + mm(2)
QR_MIN_SYMBOL_MM = 40.0


@dataclass(frozen=True)
class PosterSize:
    """A landscape poster size; the A3 design is scaled by ``factor`` (vector, nothing blurs)."""

    name: str
    width_mm: float
    height_mm: float

    @property
    def page(self) -> tuple[float, float]:
        return mm(self.width_mm), mm(self.height_mm)

    @property
    def factor(self) -> float:
        return min(mm(self.width_mm) / A3_WIDTH, mm(self.height_mm) / A3_HEIGHT)


def placement(size: PosterSize) -> tuple[float, float, float]:
    """``(factor, dx, dy)``: the A3 design scaled by ``factor`` with its lower-left corner at
    ``(dx, dy)`` on the sheet, centred (A0 is not exactly 4 × A3)."""
    width, height = size.page
    factor = size.factor
    return factor, (width - A3_WIDTH * factor) / 2, (height - A3_HEIGHT * factor) / 2


POSTER_SIZES: dict[str, PosterSize] = {
    s.name: s for s in (PosterSize("a3", 420, 297), PosterSize("a2", 594, 420),
                        PosterSize("a1", 841, 594), PosterSize("a0", 1189, 841))
}
DEFAULT_POSTER = "a3"


def parse_poster_size(text: str) -> PosterSize:
    """A poster size by name (case-insensitive)."""
    return look_up(POSTER_SIZES, text, "canvas size")


def safe_area() -> Box:
    """Everything on a canvas lies inside this box (A3 points)."""
    return Box(MARGIN, MARGIN, A3_WIDTH - 2 * MARGIN, A3_HEIGHT - 2 * MARGIN)


def header_box() -> Box:
    safe = safe_area()
    return Box(safe.x, safe.top - HEADER_HEIGHT, safe.width, HEADER_HEIGHT)


def footer_box(logo: bool = False) -> Box:
    """The footer along the bottom: one line of text, taller when it holds the deck's logo."""
    safe = safe_area()
    return Box(safe.x, safe.y, safe.width, LOGO_FOOTER_HEIGHT if logo else FOOTER_HEIGHT)


def content_area(logo: bool = False) -> Box:
    """Between header and footer (``logo``: the footer holds the deck's logo)."""
    safe = safe_area()
    bottom = safe.y + footer_box(logo).height + GAP
    top = safe.top - HEADER_HEIGHT - GAP
    return Box(safe.x, bottom, safe.width, top - bottom)


@dataclass(frozen=True)
class LessonRegions:
    """Boxes of a lesson canvas: the text column on the left, writing zones on the right."""

    text_column: Box
    recognise: Box
    self_zone: Box
    higher_zone: Box
    agreements: Box


def lesson_regions(logo: bool = False) -> LessonRegions:
    """Left column 36% for statement, explanation and QR; right: "Herkennen we dit?" across,
    "Zelf oppakken" and "Hoger niveau" side by side (each fits two 76 mm sticky notes), and the
    agreements table along the bottom (``logo``: the footer holds the deck's logo)."""
    area = content_area(logo)
    column_w = area.width * 0.36
    text_column = Box(area.x, area.y, column_w, area.height)
    right_x = area.x + column_w + GAP
    right_w = area.right - right_x
    table_h = mm(52)
    agreements = Box(right_x, area.y, right_w, table_h)
    zones_top = area.top
    zones_bottom = area.y + table_h + GAP
    zone_h = (zones_top - zones_bottom - GAP) / 2
    recognise = Box(right_x, zones_top - zone_h, right_w, zone_h)
    half = (right_w - GAP) / 2
    self_zone = Box(right_x, zones_bottom, half, zone_h)
    higher_zone = Box(right_x + half + GAP, zones_bottom, half, zone_h)
    return LessonRegions(text_column, recognise, self_zone, higher_zone, agreements)


def columns(area: Box, count: int, gap: float = GAP) -> list[Box]:
    """``count`` equal columns side by side in ``area``."""
    width = (area.width - gap * (count - 1)) / count
    return [Box(area.x + i * (width + gap), area.y, width, area.height) for i in range(count)]
