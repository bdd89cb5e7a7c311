"""Colours: deck colours as #RRGGBB for the screen, with the CMYK to print them, and WCAG checks.

In: hex colours from a deck, optionally with the deck's own CMYK for print and the printing
condition that CMYK was chosen for (FOGRA39 unless the deck says otherwise).
Out: ``Colour`` values: their screen components (``rgb``, for PNGs and contrast) and the CMYK to
print in the current printing condition (``cmyk``, see ``icc.separating``: the deck's own values
when they were chosen for that condition, else the ICC conversion of the screen colour through
the condition's profile; greys print on the black plate only, body and heading text in solid
black in every condition); ``text_cmyk`` for text of a given size (under 12 pt never in more than
two plates); ``print_delta_e`` (how far the printed colour lies from the screen colour); relative luminance, contrast ratios and the readable text
colour for a coloured band. Contrast is always computed from the screen colours.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from dialoogkit.generator.ciede2000 import delta_e00
from dialoogkit.generator import icc

Cmyk = tuple[float, float, float, float]

SMALL_TEXT_PT = 12.0  # text under this size is never printed in more than two plates
TWO_PLATE_TOLERANCE = 5.0  # dE00: a small text that two plates cannot print this close prints black
SOLID_BLACK: Cmyk = (0.0, 0.0, 0.0, 1.0)
PLATE_MIN = 0.005  # a component from 0.5 % prints a plate
BLACK_K = 0.8  # text with this much K (or a rich black) is meant black: it prints in solid black
RICH_BLACK = 0.5


@dataclass(frozen=True)
class Colour:
    """An sRGB colour with components 0..1 (what a screen shows) and, optionally, the CMYK
    (fractions 0..1) a designer chose for print in the condition ``chosen_for`` (None: in every
    condition, as solid black is); ``tint_of`` makes it a tint (share 0..1) of another colour's
    print colour."""

    r: float
    g: float
    b: float
    print_cmyk: Cmyk | None = None
    chosen_for: str | None = icc.DEFAULT_CONDITION
    tint_of: tuple[Colour, float] | None = None

    @classmethod
    def from_hex(cls, text: str, cmyk: Sequence[float] | None = None,
                 chosen_for: str | None = icc.DEFAULT_CONDITION) -> Colour:
        """The colour ``#RRGGBB``; ``cmyk`` gives its print values in percent (0..100) for the
        printing condition ``chosen_for``."""
        text = text.lstrip("#")
        chosen = tuple(round(value / 100.0, 4) for value in cmyk) if cmyk is not None else None
        return cls(*(int(text[i:i + 2], 16) / 255.0 for i in (0, 2, 4)), print_cmyk=chosen,  # type: ignore[arg-type]
                   chosen_for=chosen_for)

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
        """The CMYK to print in the current condition: the chosen values when chosen for it, else
        black only for a grey (at the lightness the profile prints it; never through the
        conversion, which makes pure black 290 % ink), else the ICC conversion of the screen
        colour. Never above 300 % in total."""
        if self.tint_of is not None:
            base, share = self.tint_of
            return tuple(round(value * share, 4) for value in base.cmyk)  # type: ignore[return-value]
        if self.print_cmyk is not None and self.applies_here():
            return icc.clamp_tac(self.print_cmyk)
        if self.neutral:
            return (0.0, 0.0, 0.0, icc.grey_k(self.rgb255[0]))
        return icc.rgb_to_cmyk(self.rgb255)

    def applies_here(self) -> bool:
        """The chosen CMYK was chosen for the current condition (or for every condition)."""
        if self.chosen_for is None:
            return True
        wanted = icc.current_condition().characterization
        return bool(wanted) and icc.condition_key(self.chosen_for) == icc.condition_key(wanted)

    def text_cmyk(self, size: float) -> Cmyk:
        """The CMYK for text of ``size`` points: ``cmyk``, but solid black for a colour that prints
        as a black (``looks_black``: a near-black text colour is meant black, and a rich black
        blurs when the plates shift), and text under ``SMALL_TEXT_PT`` in at most two plates (the closest two-plate colour, or solid black when none comes within
        ``TWO_PLATE_TOLERANCE``), so misregistration cannot blur it."""
        cmyk = self.cmyk
        if looks_black(cmyk):
            return SOLID_BLACK
        if size >= SMALL_TEXT_PT or icc.plate_count(cmyk) <= 2:
            return cmyk
        return _small_text_cmyk(cmyk)

    @property
    def luminance(self) -> float:
        """WCAG relative luminance."""
        def lin(ch: float) -> float:
            return ch / 12.92 if ch <= 0.03928 else ((ch + 0.055) / 1.055) ** 2.4
        return 0.2126 * lin(self.r) + 0.7152 * lin(self.g) + 0.0722 * lin(self.b)


def _small_text_cmyk(cmyk: Cmyk) -> Cmyk:
    return _small_text_in(cmyk, icc.current_condition())


@lru_cache(maxsize=1024)
def _small_text_in(cmyk: Cmyk, condition: icc.Condition) -> Cmyk:
    two = icc.two_plates(cmyk)
    if delta_e00(icc.cmyk_to_lab(two), icc.cmyk_to_lab(cmyk)) <= TWO_PLATE_TOLERANCE:
        return two
    return SOLID_BLACK


def looks_black(cmyk: Cmyk) -> bool:
    """A colour a prepress checker reads as black: a tint of K alone of at least ``BLACK_K``, K of
    at least ``BLACK_K`` over all three other plates, or all four at least ``RICH_BLACK``."""
    others = [v >= PLATE_MIN for v in cmyk[:3]]
    return (cmyk[3] >= BLACK_K and (not any(others) or all(others))) or min(cmyk) >= RICH_BLACK


def overprints(cmyk: Cmyk) -> bool:
    """Solid black: printed over what lies beneath (no white gap when plates shift)."""
    return cmyk == SOLID_BLACK


def contrast(a: Colour, b: Colour) -> float:
    """WCAG contrast ratio between two colours (1..21), from their screen colours."""
    hi, lo = sorted((a.luminance, b.luminance), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


WHITE = Colour(1.0, 1.0, 1.0)
BLACK = Colour(0.0, 0.0, 0.0)
INK = Colour.from_hex("#1A1A1A", (0, 0, 0, 100), chosen_for=None)  # headings: solid black in every condition
BODY = Colour.from_hex("#2E2E2E", (0, 0, 0, 100), chosen_for=None)  # body text: solid black in every condition
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
    print a tint of each plate of the colour as the current condition prints it."""
    return Colour(*(1.0 - (1.0 - ch) * share for ch in (colour.r, colour.g, colour.b)),  # type: ignore[arg-type]
                  tint_of=(colour, share))


def print_delta_e(colour: Colour) -> float:
    """How far (CIEDE2000) ``colour`` prints from its screen colour in the current condition."""
    return delta_e00(icc.srgb_to_lab(*colour.rgb), icc.cmyk_to_lab(colour.cmyk))
