"""Card and paper formats: presets by name and custom ``WIDTHxHEIGHT`` sizes in millimetres.

In: a format name (``a6``, ``a6-office``, ``a7``, ``poker``, ``tarot``) or ``WIDTHxHEIGHT`` such as ``90x140``;
a paper name (``a4``, ``letter``, ``a3``).
Out: ``CardFormat`` and ``Paper`` values, or a ``UsageProblem`` saying what is allowed (sizes are
written with the digits 0-9: no ``nan``, exponents or other scripts' digits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dialoogkit.cards.numbers import has_foreign_digits
from dialoogkit.errors import UsageProblem, quoted
from dialoogkit.layouts.presets import look_up
from dialoogkit.i18n import say

MIN_CARD_MM = 50.0
MAX_CARD_MM = 300.0


@dataclass(frozen=True)
class CardFormat:
    """A card's trim size in millimetres (portrait: width <= height is not required)."""

    name: str
    width_mm: float
    height_mm: float
    description: str = ""

    @property
    def short_mm(self) -> float:
        return min(self.width_mm, self.height_mm)


@dataclass(frozen=True)
class Paper:
    """A sheet of paper for home/office printing, portrait, in millimetres."""

    name: str
    width_mm: float
    height_mm: float


CARD_FORMATS: dict[str, CardFormat] = {
    f.name: f
    for f in (
        CardFormat("a6", 105, 148, "A6, 105 × 148 mm (default)"),
        # office A6: four on an A4 sheet, crop marks inside the printable area, with a gutter up to 3 mm
        CardFormat("a6-office", 94, 133, "office A6, 94 × 133 mm: 4 on A4"),
        CardFormat("a7", 74, 105, "A7, 74 × 105 mm"),
        CardFormat("poker", 63, 88, "poker / playing card, 63 × 88 mm"),
        CardFormat("tarot", 70, 120, "tarot, 70 × 120 mm"),
    )
}
DEFAULT_FORMAT = "a6"

PAPERS: dict[str, Paper] = {
    p.name: p for p in (Paper("a4", 210, 297), Paper("letter", 215.9, 279.4), Paper("a3", 297, 420))
}
DEFAULT_PAPER = "a4"

_CUSTOM = re.compile(r"^\s*(\d{1,6}(?:[.,]\d{1,6})?)\s*[x×X*]\s*(\d{1,6}(?:[.,]\d{1,6})?)\s*(?:mm)?\s*$",
                     re.ASCII)


def parse_card_format(text: str) -> CardFormat:
    """A preset by name (case-insensitive) or a custom ``WIDTHxHEIGHT`` in millimetres."""
    key = text.strip().lower()
    if key in CARD_FORMATS:
        return CARD_FORMATS[key]
    match = _CUSTOM.match(key)
    if not match:
        digits = say("layout.with_digits") if has_foreign_digits(text) else ""
        raise UsageProblem(say("layout.unknown_format", text=quoted(text, 40), formats=", ".join(CARD_FORMATS),
                               digits=digits))
    width, height = (float(g.replace(",", ".")) for g in match.groups())
    for side, value in (("width", width), ("height", height)):
        if not MIN_CARD_MM <= value <= MAX_CARD_MM:
            raise UsageProblem(say(f"layout.card_{side}_range", value=f"{value:g}", low=f"{MIN_CARD_MM:g}",
                                   high=f"{MAX_CARD_MM:g}"))
    return CardFormat(f"{width:g}x{height:g}", width, height, f"custom, {width:g} × {height:g} mm")


def parse_paper(text: str) -> Paper:
    """A paper preset by name (case-insensitive)."""
    return look_up(PAPERS, text, "paper")  # the kind of preset, a key of layout.preset
