"""Colours: deck colours as #RRGGBB for the screen, with the CMYK to print them, and WCAG checks.

In: hex colours from a deck, optionally with the deck's own CMYK for print.
Out: ``Colour`` values: their screen components (``rgb``, for PNGs and contrast) and the CMYK to
print (``cmyk``: the deck's own values, else the ICC conversion through the shipped
FOGRA39-based profile, see ``icc``; greys print on the black plate only, body and heading text
in solid black); ``text_cmyk`` for text of a given size (under 12 pt never in more than two
plates); relative luminance, contrast ratios and the readable text colour for a coloured band.
Contrast is always computed from the screen colours.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from dialoogkit.generator import icc

Cmyk = tuple[float, float, float, float]

SMALL_TEXT_PT = 12.0  # text under this size is never printed in more than two plates
TWO_PLATE_TOLERANCE = 5.0  # dE00: a small text that two plates cannot print this close prints black
SOLID_BLACK: Cmyk = (0.0, 0.0, 0.0, 1.0)


@dataclass(frozen=True)
class Colour:
    """An sRGB colour with components 0..1 (what a screen shows) and, optionally, the CMYK
    (fractions 0..1) a designer chose for print."""

    r: float
    g: float
    b: float
    print_cmyk: Cmyk | None = None

    @classmethod
    def from_hex(cls, text: str, cmyk: Sequence[float] | None = None) -> Colour:
        """The colour ``#RRGGBB``; ``cmyk`` gives its print values in percent (0..100)."""
        text = text.lstrip("#")
        chosen = tuple(round(value / 100.0, 4) for value in cmyk) if cmyk is not None else None
        return cls(*(int(text[i:i + 2], 16) / 255.0 for i in (0, 2, 4)), print_cmyk=chosen)  # type: ignore[arg-type]

    @property
    def rgb(self) -> tuple[float, float, float]:
        """The screen colour, components 0..1."""
        return (self.r, self.g, self.b)

    @property
    def rgb255(self) -> tuple[int, int, int]:
        return (round(self.r * 255), round(self.g * 255), round(self.b * 255))

    @property
    def hex(self) -> str:
        return "#{:02X}{:02X}{:02X}".format(*self.rgb255)

    @property
    def neutral(self) -> bool:
        """A grey (white and black included): printed on the black plate only."""
        return abs(self.r - self.g) < 1e-6 and abs(self.g - self.b) < 1e-6

    @property
    def cmyk(self) -> Cmyk:
        """The CMYK to print: the chosen values, else black only for a grey (at the lightness the
        profile prints it; never through the conversion, which makes pure black 290 % ink), else
        the ICC conversion of the screen colour. Never above 300 % in total."""
        if self.print_cmyk is not None:
            return icc.clamp_tac(self.print_cmyk)
        if self.neutral:
            return (0.0, 0.0, 0.0, icc.grey_k(self.rgb255[0]))
        return icc.rgb_to_cmyk(self.rgb255)

    def text_cmyk(self, size: float) -> Cmyk:
        """The CMYK for text of ``size`` points: ``cmyk``, but text under ``SMALL_TEXT_PT`` in at most
        two plates (the closest two-plate colour, or solid black when none comes within
        ``TWO_PLATE_TOLERANCE``), so misregistration cannot blur it."""
        cmyk = self.cmyk
        if size >= SMALL_TEXT_PT or icc.plate_count(cmyk) <= 2:
            return cmyk
        return _small_text_cmyk(cmyk)

    @property
    def luminance(self) -> float:
        """WCAG relative luminance."""
        def lin(ch: float) -> float:
            return ch / 12.92 if ch <= 0.03928 else ((ch + 0.055) / 1.055) ** 2.4
        return 0.2126 * lin(self.r) + 0.7152 * lin(self.g) + 0.0722 * lin(self.b)


@lru_cache(maxsize=256)
def _small_text_cmyk(cmyk: Cmyk) -> Cmyk:
    two = icc.two_plates(cmyk)
    if icc.delta_e00(icc.cmyk_to_lab(two), icc.cmyk_to_lab(cmyk)) <= TWO_PLATE_TOLERANCE:
        return two
    return SOLID_BLACK


def overprints(cmyk: Cmyk) -> bool:
    """Solid black: printed over what lies beneath (no white gap when plates shift)."""
    return cmyk == SOLID_BLACK


def contrast(a: Colour, b: Colour) -> float:
    """WCAG contrast ratio between two colours (1..21), from their screen colours."""
    hi, lo = sorted((a.luminance, b.luminance), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


WHITE = Colour(1.0, 1.0, 1.0)
BLACK = Colour(0.0, 0.0, 0.0)
INK = Colour.from_hex("#1A1A1A", (0, 0, 0, 100))  # headings: solid black in print
BODY = Colour.from_hex("#2E2E2E", (0, 0, 0, 100))  # body text: solid black in print
MUTED = Colour.from_hex("#595959")
RULE = Colour.from_hex("#BFBFBF")
LINE = Colour.from_hex("#8C8C8C")


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


def tint(colour: Colour, share: float) -> Colour:
    """``colour`` mixed with white: ``share`` 1 is the colour itself, 0 is white (for pictures
    printed behind nothing, in a light shade of the theme colour). On screen the mix of light, in
    print a tint of each plate."""
    print_tint = tuple(round(value * share, 4) for value in colour.cmyk)
    return Colour(*(1.0 - (1.0 - ch) * share for ch in (colour.r, colour.g, colour.b)),
                  print_cmyk=print_tint)  # type: ignore[arg-type]
