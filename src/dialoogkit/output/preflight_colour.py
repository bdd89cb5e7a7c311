"""The deck's theme colours as the press prints them: a warning for each that the printing
condition cannot print close to its screen colour.

In: a loaded deck and the printing condition of the print-shop files (``icc.Condition``).
Out: ``gamut_warnings``: a ``Problem`` (a warning; the build goes on) for every theme whose band
prints more than ``MAX_DELTA_E`` (CIEDE2000) from its screen colour in that condition, naming the
theme, its colour, the condition and the ΔE00, at the deck line that gives the colour. A colour
inside the condition's gamut prints within that limit (relative colorimetric conversion); one
outside it cannot, whatever CMYK is chosen.
"""

from __future__ import annotations

from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.errors import Problem
from dialoogkit.generator import icc
from dialoogkit.generator.colours import Colour, print_delta_e
from dialoogkit.i18n import say

MAX_DELTA_E = 3.0  # CIEDE2000: a difference this small is hard to see side by side


def gamut_warnings(loaded: LoadedDeck, condition: icc.Condition | None) -> list[Problem]:
    """One warning per theme of ``loaded`` that prints more than ``MAX_DELTA_E`` from its screen
    colour in ``condition`` (None: the default condition)."""
    deck = loaded.deck
    problems = []
    with icc.separating(condition) as current:
        for key, theme in deck.themes.items():
            colour = Colour.from_hex(theme.colour, theme.cmyk, deck.cmyk_condition)
            delta_e = print_delta_e(colour)
            if delta_e <= MAX_DELTA_E:
                continue
            file, line = loaded.where("themes", key, "colour")
            problems.append(Problem(file, line, say("colour.out_of_gamut", theme=key, colour=colour.hex,
                                                    condition=current.label, delta=f"{delta_e:.1f}",
                                                    limit=f"{MAX_DELTA_E:g}"),
                                    say("colour.out_of_gamut_fix", condition=current.characterization or current.label),
                                    field=f"themes.{key}.colour"))
    return problems
