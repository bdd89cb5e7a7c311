"""The deck's logo as the print-shop preflight will see it, checked before anything is drawn, so
a build refuses what its own preflight refuses.

In: the pictures of the planned faces of a print-shop file (``pictures.Placement``: the logo file
and the size it prints at, in points), the deck file and line that name the logo, and for the
canvases the chosen canvas size.
Out: ``check_press_logo`` raises a ``ContentError`` when the logo prints below
``preflight_spaces.MIN_PPI`` in ``cards-printshop.pdf`` or ``canvases.pdf`` (the resolution
``preflight`` computes from the embedded image and its placed size, which the build embeds at no
more than 300 ppi and never enlarges): the problem names the logo file, the size it prints at,
where, and its effective ppi; the fix names every canvas size at which it prints sharp enough
and the pixels a logo needs at the size chosen. ``sharp_sizes`` lists those canvas sizes.
"""

from __future__ import annotations

import math
import os

from dialoogkit.errors import ContentError, Problem, quoted
from dialoogkit.generator.pictures import (MM_PER_INCH, POINTS_PER_INCH, Placement, effective_ppi,
                                          image_aspect)
from dialoogkit.i18n import say
from dialoogkit.layouts.posters import POSTER_SIZES, PosterSize
from dialoogkit.output.preflight_spaces import MIN_PPI


def needed_pixels(placement: Placement) -> int:
    """The width in pixels a logo needs to print ``placement`` at ``MIN_PPI`` in both directions."""
    aspect = image_aspect(placement.path)
    wide = placement.width / POINTS_PER_INCH * MIN_PPI
    high = placement.height / POINTS_PER_INCH * MIN_PPI
    return math.ceil(max(wide, high * aspect) - 1e-6)


def lowest(placements: list[Placement]) -> Placement | None:
    """The placement that prints the logo at the lowest resolution, when it is below ``MIN_PPI``."""
    worst = min(placements, key=effective_ppi, default=None)
    return worst if worst is not None and effective_ppi(worst) < MIN_PPI else None


def sharp_sizes(placements: list[Placement], chosen: PosterSize) -> list[str]:
    """The canvas sizes at which every placement (planned at ``chosen``) prints at ``MIN_PPI`` or more."""
    found = []
    for size in POSTER_SIZES.values():
        ratio = size.factor / chosen.factor
        scaled = [Placement(p.path, p.width * ratio, p.height * ratio, p.where) for p in placements]
        if lowest(scaled) is None:
            found.append(size.name)
    return found


def check_press_logo(placements: list[Placement], file: str, line: int | None,
                     poster: PosterSize | None = None) -> None:
    """Refuse a logo that prints below ``MIN_PPI`` in a print-shop file (see module docstring);
    ``poster`` is the canvas size when ``placements`` are on the canvases."""
    worst = lowest(placements)
    if worst is None:
        return
    ppi = effective_ppi(worst)
    width_mm = worst.width / POINTS_PER_INCH * MM_PER_INCH
    height_mm = worst.height / POINTS_PER_INCH * MM_PER_INCH
    message = say("pictures.press_low_ppi", path=quoted(os.path.basename(worst.path)), width=f"{width_mm:.0f}",
                  height=f"{height_mm:.0f}", where=worst.where, ppi=f"{ppi:.0f}", minimum=f"{MIN_PPI:.0f}")
    pixels = needed_pixels(worst)
    sizes = sharp_sizes(placements, poster) if poster is not None else []
    if sizes:
        fix = say("pictures.press_low_ppi_sizes", sizes=", ".join(f"--canvas-size {s}" for s in sizes),
                  pixels=pixels, size=poster.name.upper())
    else:
        fix = say("pictures.press_low_ppi_logo", pixels=pixels, minimum=f"{MIN_PPI:.0f}")
    raise ContentError([Problem(file, line, message, fix, field="logo")])
