"""The options of a build, parsed and checked before any work.

In: ``BuildOptions`` as the command line or the studio sets them.
Out: ``Settings`` (card format, profile, paper, canvas size, start time, PDF/X output intent as
parsed objects), or a
``UsageProblem`` (exit status 2) naming the option and the range it must be in: unknown parts,
a bleed, gutter or back offset out of range or not a number, a dpi that would make an image larger than
the pixel budget.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from dialoogkit.cards.paths import COMMAND_LINE, Gate
from dialoogkit.errors import UsageProblem, quoted
from dialoogkit.i18n import say
from dialoogkit.layouts.agenda import DEFAULT_START, parse_start
from dialoogkit.layouts.imposition import AUTO_GUTTER_MM, MAX_GUTTER_MM
from dialoogkit.layouts.formats import DEFAULT_FORMAT, DEFAULT_PAPER, CardFormat, Paper, parse_card_format, parse_paper
from dialoogkit.layouts.posters import DEFAULT_POSTER, PosterSize, parse_poster_size
from dialoogkit.layouts.profiles import DEFAULT_PROFILE, Profile, parse_profile
from dialoogkit.layouts.units import mm
from dialoogkit.output.kitfiles import PARTS
from dialoogkit.output.pdfx import DEFAULT_INTENT, OutputIntent, parse_output_intent
from dialoogkit.output.budget import DEFAULT_DPI, check_pixel_budget

MAX_BLEED_MM = 5.0
DEFAULT_GUTTER_MM = AUTO_GUTTER_MM  # the sheets take the largest gutter up to this that keeps the cards per sheet


@dataclass(frozen=True)
class BuildOptions:
    """How to build: every field has the default a facilitator would want."""

    card_format: str = DEFAULT_FORMAT
    profile: str = DEFAULT_PROFILE
    paper: str = DEFAULT_PAPER
    duplex: str = "long-edge"
    back_offset: tuple[float, float] = (0.0, 0.0)
    bleed_mm: float = 3.0
    output_intent: str = DEFAULT_INTENT  # a registered characterization name or an .icc path
    gutter_mm: float = DEFAULT_GUTTER_MM
    canvas_size: str = DEFAULT_POSTER
    dpi: int = DEFAULT_DPI
    start: str = DEFAULT_START
    parts: tuple[str, ...] = PARTS
    force: bool = False
    preflight_qr: bool = False
    gate: Gate = COMMAND_LINE
    output: Path = field(default_factory=lambda: Path("output"))


@dataclass(frozen=True)
class Settings:
    """The options, parsed and checked."""

    card_format: CardFormat
    profile: Profile
    paper: Paper
    poster: PosterSize
    start: int
    intent: OutputIntent | None = None  # PDF/X output intent of cards-printshop.pdf and canvases.pdf


def check_options(options: BuildOptions) -> Settings:
    """Parse and check every option before any work; a wrong one is a ``UsageProblem`` (exit 2)."""
    unknown = [part for part in options.parts if part not in PARTS]
    if unknown:
        raise UsageProblem(say("options.unknown_part", part=quoted(unknown[0]), parts=", ".join(PARTS)))
    if not (math.isfinite(options.bleed_mm) and 0.0 <= options.bleed_mm <= MAX_BLEED_MM):
        raise UsageProblem(say("options.bleed_range", bleed=f"{options.bleed_mm:g}", limit=f"{MAX_BLEED_MM:g}"))
    if not (math.isfinite(options.gutter_mm) and 0.0 <= options.gutter_mm <= MAX_GUTTER_MM):
        raise UsageProblem(say("sheets.gutter_range", gutter=f"{options.gutter_mm:g}", limit=f"{MAX_GUTTER_MM:g}"))
    if not all(math.isfinite(v) for v in options.back_offset):
        raise UsageProblem(say("options.back_offset"))
    settings = Settings(parse_card_format(options.card_format), parse_profile(options.profile),
                        parse_paper(options.paper), parse_poster_size(options.canvas_size), parse_start(options.start),
                        intent=parse_output_intent(options.output_intent, options.gate))
    if "png" in options.parts:
        card = (mm(settings.card_format.width_mm), mm(settings.card_format.height_mm))
        check_pixel_budget(options.dpi, {say("options.card_images"): card, say("options.canvas_images", size=options.canvas_size.upper()): settings.poster.page})
    return settings
