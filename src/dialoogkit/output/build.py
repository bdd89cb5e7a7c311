"""``dialoogkit build``: load a deck, plan its cards and canvases, draw the PDFs, write them atomically.

In: a deck name or path and ``BuildOptions`` (parts, format, profile, paper, duplex, back offset,
bleed, canvas size, output folder).
Out: ``cards-sheets.pdf``, ``cards-printshop.pdf`` and ``canvases.pdf`` in ``<output>/<deck id>/``;
the list of files written. Nothing is written unless every part was planned and drawn in full.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, ContextManager

from dialoogkit.cards.labels import load_labels
from dialoogkit.cards.loader import load_deck
from dialoogkit.errors import UsageProblem
from dialoogkit.generator.content import publication_credit
from dialoogkit.cards.models import Deck
from dialoogkit.generator.plan import plan_deck
from dialoogkit.generator.posters.plan import plan_canvases
from dialoogkit.layouts.formats import DEFAULT_FORMAT, DEFAULT_PAPER, parse_card_format, parse_paper
from dialoogkit.layouts.posters import DEFAULT_POSTER, parse_poster_size
from dialoogkit.layouts.profiles import DEFAULT_PROFILE, parse_profile
from dialoogkit.layouts.units import mm
from dialoogkit.output.atomic import write_atomic
from dialoogkit.output.canvases import render_canvases
from dialoogkit.output.document import DocumentInfo
from dialoogkit.output.printshop import render_printshop
from dialoogkit.output.sheets import render_sheets

SHEETS_FILE = "cards-sheets.pdf"
PRINTSHOP_FILE = "cards-printshop.pdf"
CANVASES_FILE = "canvases.pdf"
MAX_BLEED_MM = 5.0
PARTS = ("cards", "canvases")

ProgressFactory = Callable[[int, str], ContextManager[Callable[[int], None]]]


@dataclass(frozen=True)
class BuildOptions:
    """How to build: every field has the default a facilitator would want."""

    card_format: str = DEFAULT_FORMAT
    profile: str = DEFAULT_PROFILE
    paper: str = DEFAULT_PAPER
    duplex: str = "long-edge"
    back_offset: tuple[float, float] = (0.0, 0.0)
    bleed_mm: float = 3.0
    canvas_size: str = DEFAULT_POSTER
    parts: tuple[str, ...] = PARTS
    output: Path = field(default_factory=lambda: Path("output"))


def _no_progress(total: int, label: str) -> ContextManager[Callable[[int], None]]:
    return nullcontext(lambda n: None)


def document_info(deck: Deck, kind: str) -> DocumentInfo:
    """Title, author, subject and language for one of the deck's PDFs."""
    labels = load_labels(deck.language)
    title = f"{deck.title} — {labels[kind]}" + (f" ({deck.region})" if deck.region else "")
    return DocumentInfo(title=title, author=", ".join(deck.source.publishers),
                        subject=publication_credit(deck, labels), language=deck.language)


def build_kit(deck: str | Path, options: BuildOptions, progress: ProgressFactory = _no_progress) -> list[Path]:
    """Build the chosen parts of ``deck``'s kit; returns the paths written. Every part is planned
    and drawn before the first file is written, so a problem anywhere writes nothing."""
    unknown = [part for part in options.parts if part not in PARTS]
    if unknown:
        raise UsageProblem(f"unknown part '{unknown[0]}' — use one of {', '.join(PARTS)}")
    if not 0.0 <= options.bleed_mm <= MAX_BLEED_MM:
        raise UsageProblem(f"bleed {options.bleed_mm:g} mm is out of range — use 0 to {MAX_BLEED_MM:g} mm "
                           "(ask your print shop; 3 mm is common)")
    card_format = parse_card_format(options.card_format)
    profile = parse_profile(options.profile)
    paper = parse_paper(options.paper)
    poster_size = parse_poster_size(options.canvas_size)
    loaded = load_deck(deck)
    count = len(loaded.deck.lessons)
    files: dict[str, bytes] = {}
    with progress(count * 7 + 3, "Building") as step:
        if "cards" in options.parts:
            plan = plan_deck(loaded, card_format, profile, step)
            files[SHEETS_FILE] = render_sheets(plan, paper, options.duplex, options.back_offset,
                                               document_info(loaded.deck, "cards_doc"), step)
            files[PRINTSHOP_FILE] = render_printshop(plan, mm(options.bleed_mm),
                                                     document_info(loaded.deck, "printshop_doc"), step)
        if "canvases" in options.parts:
            posters = plan_canvases(loaded)
            files[CANVASES_FILE] = render_canvases(posters, poster_size,
                                                   document_info(loaded.deck, "canvases_doc"), step)
    folder = options.output / loaded.deck.id
    return [write_atomic(folder / name, data) for name, data in files.items()]


def build_cards(deck: str | Path, options: BuildOptions, progress: ProgressFactory = _no_progress) -> list[Path]:
    """Build only the card PDFs of ``deck`` (``cards-sheets.pdf`` and ``cards-printshop.pdf``)."""
    return build_kit(deck, replace(options, parts=("cards",)), progress)
