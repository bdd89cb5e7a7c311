"""The geometry of one card face: trim, safe zone, band and gaps, in points.

In: a ``CardFormat`` and its ``TypeScale``.
Out: a ``CardGeometry`` with the fixed regions of front and back; the flowing parts (statement,
explanation, questions) are placed by the generator inside the boxes given here.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialoogkit.layouts.formats import CardFormat
from dialoogkit.layouts.profiles import TypeScale
from dialoogkit.layouts.units import Box, mm

MIN_SAFE_MM = 4.0
QR_MIN_SYMBOL_MM = 20.0
QR_MIN_MODULE_MM = 0.5
LOGO_SHARE = 0.115  # a footer logo is this share of the card's short side high: 12 mm on A6
LOGO_MM = (8.0, 16.0)  # and never lower or higher than these (mm)
REVERSED_MIN_PT = 9.0  # white text reversed out of the band: never smaller (bold), so it prints clean
BAND_LABEL_SHARE = 1.05  # the band's label is this share of the type scale's label size


@dataclass(frozen=True)
class CardGeometry:
    """Fixed regions of a card face (points, origin lower-left of the trim)."""

    width: float
    height: float
    margin: float
    band_height: float
    gap: float
    scale: TypeScale

    @property
    def trim(self) -> Box:
        return Box(0.0, 0.0, self.width, self.height)

    @property
    def safe(self) -> Box:
        """Everything that is text lies inside this box."""
        return self.trim.inset(self.margin)

    @property
    def band(self) -> Box:
        """The coloured band across the top (runs into the bleed on three sides)."""
        return Box(0.0, self.height - self.band_height, self.width, self.band_height)

    @property
    def band_text(self) -> Box:
        """Where the band's label, icon and number sit: inside both band and safe zone."""
        top = self.height - self.margin
        bottom = self.height - self.band_height + self.gap * 0.8
        return Box(self.safe.x, bottom, self.safe.width, top - bottom)

    @property
    def body(self) -> Box:
        """The safe area below the band."""
        top = self.height - self.band_height - self.gap
        return Box(self.safe.x, self.safe.y, self.safe.width, top - self.safe.y)

    @property
    def logo_height(self) -> float:
        """The height of the deck's logo in the footer of a front (12 mm on A6)."""
        low, high = LOGO_MM
        return mm(max(low, min(high, LOGO_SHARE * min(self.width, self.height) / mm(1.0))))

    @property
    def qr_min_symbol(self) -> float:
        return mm(QR_MIN_SYMBOL_MM)

    @property
    def qr_min_module(self) -> float:
        return mm(QR_MIN_MODULE_MM)

    @property
    def qr_max_total(self) -> float:
        """The largest QR (with quiet zone) the back can hold."""
        return min(self.safe.width * 0.62, self.body.height * 0.48)


def card_geometry(card: CardFormat, scale: TypeScale) -> CardGeometry:
    """Regions for ``card`` set in ``scale``: band tall enough for one label line plus padding."""
    margin = mm(max(MIN_SAFE_MM, scale.margin_mm))
    gap = mm(2.0 + card.short_mm / 60.0)
    band_text = max(scale.label_pt, REVERSED_MIN_PT / BAND_LABEL_SHARE) * 1.45  # room for a 9 pt reversed label
    band_height = margin + band_text + gap * 1.6
    return CardGeometry(mm(card.width_mm), mm(card.height_mm), margin, band_height, gap, scale)
