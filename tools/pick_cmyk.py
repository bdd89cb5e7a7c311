"""Pick print CMYK for a screen colour: whole percentages whose print through the shipped profile
is closest (CIEDE2000) to the sRGB colour, within 300 % total area coverage.

In: #RRGGBB colours on the command line.
Out: one line per colour: the hex, ``cmyk: [c, m, y, k]`` for a deck file, and the dE00 reached.

Usage: .venv/bin/python tools/pick_cmyk.py "#1D5C7A" "#7B2D5B"
"""

from __future__ import annotations

import sys
from itertools import product

from dialoogkit.generator import icc


def pick(hex_colour: str) -> tuple[list[int], float]:
    """Start at the ICC conversion and step whole percents while the difference shrinks."""
    rgb = tuple(int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    target = icc.srgb_to_lab(*(ch / 255.0 for ch in rgb))
    current = [round(value * 100) for value in icc.rgb_to_cmyk(rgb)]  # type: ignore[arg-type]
    best = icc.delta_e00(target, icc.cmyk_to_lab(tuple(v / 100 for v in current)))  # type: ignore[arg-type]
    while True:
        moves = [[min(100, max(0, v + d)) for v, d in zip(current, delta)]
                 for delta in product((-1, 0, 1), repeat=4) if any(delta)]
        moves = [move for move in moves if sum(move) <= 300]
        labs = icc.cmyk_to_lab_many([tuple(v / 100 for v in move) for move in moves])  # type: ignore[misc]
        score, move = min((icc.delta_e00(target, lab), move) for lab, move in zip(labs, moves))
        if score >= best - 1e-6:
            return current, best
        current, best = move, score


if __name__ == "__main__":
    for colour in sys.argv[1:]:
        values, difference = pick(colour)
        print(f"{colour}  cmyk: [{', '.join(map(str, values))}]  dE00 {difference:.2f}")
