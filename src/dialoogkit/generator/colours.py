"""Colours: deck colours as #RRGGBB, turned into CMYK for print, with WCAG contrast checks.

In: hex colours from a deck.
Out: CMYK tuples for reportlab, relative luminance and contrast ratios, and the readable text
colour (white or ink) for a coloured band.
"""

from __future__ import annotations

from dataclasses import dataclass

Cmyk = tuple[float, float, float, float]


@dataclass(frozen=True)
class Colour:
    """An sRGB colour with components 0..1."""

    r: float
    g: float
    b: float

    @classmethod
    def from_hex(cls, text: str) -> Colour:
        text = text.lstrip("#")
        return cls(*(int(text[i:i + 2], 16) / 255.0 for i in (0, 2, 4)))

    @property
    def cmyk(self) -> Cmyk:
        """Naive conversion that keeps greys on the black plate only."""
        k = 1.0 - max(self.r, self.g, self.b)
        if k >= 1.0:
            return (0.0, 0.0, 0.0, 1.0)
        if abs(self.r - self.g) < 1e-6 and abs(self.g - self.b) < 1e-6:
            return (0.0, 0.0, 0.0, round(k, 4))
        return tuple(round((1.0 - ch - k) / (1.0 - k), 4) for ch in (self.r, self.g, self.b)) + (round(k, 4),)  # type: ignore[return-value]

    @property
    def luminance(self) -> float:
        """WCAG relative luminance."""
        def lin(ch: float) -> float:
            return ch / 12.92 if ch <= 0.03928 else ((ch + 0.055) / 1.055) ** 2.4
        return 0.2126 * lin(self.r) + 0.7152 * lin(self.g) + 0.0722 * lin(self.b)


def contrast(a: Colour, b: Colour) -> float:
    """WCAG contrast ratio between two colours (1..21)."""
    hi, lo = sorted((a.luminance, b.luminance), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


WHITE = Colour(1.0, 1.0, 1.0)
BLACK = Colour(0.0, 0.0, 0.0)
INK = Colour.from_hex("#1A1A1A")
BODY = Colour.from_hex("#2E2E2E")
MUTED = Colour.from_hex("#595959")
RULE = Colour.from_hex("#BFBFBF")


def text_on(background: Colour) -> Colour:
    """White, ink or pure black on ``background``: the first that reaches 4.5:1, else the better of
    white and black (one of those two always reaches 4.58:1)."""
    for candidate in (WHITE, INK):
        if contrast(candidate, background) >= 4.5:
            return candidate
    return WHITE if contrast(WHITE, background) >= contrast(BLACK, background) else BLACK


def accent_on_white(colour: Colour) -> Colour:
    """The colour itself for text on white when it reaches 4.5:1, else ink."""
    return colour if contrast(colour, WHITE) >= 4.5 else INK
LINE = Colour.from_hex("#8C8C8C")


def tint(colour: Colour, share: float) -> Colour:
    """``colour`` mixed with white: ``share`` 1 is the colour itself, 0 is white (for pictures
    printed behind nothing, in a light shade of the theme colour)."""
    return Colour(*(1.0 - (1.0 - ch) * share for ch in (colour.r, colour.g, colour.b)))
