"""``dialoogkit build``: load a deck, plan its cards, draw the PDFs and write them atomically.

In: a deck name or path and ``BuildOptions`` (format, profile, paper, duplex, back offset, bleed,
output folder).
Out: ``cards-sheets.pdf`` and ``cards-printshop.pdf`` in ``<output>/<deck id>/``; the list of files
written. Nothing is written unless every card fits and every PDF was drawn in full.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, ContextManager

from dialoogkit.cards.labels import load_labels
from dialoogkit.cards.loader import load_deck
from dialoogkit.errors import UsageProblem
from dialoogkit.generator.content import publication_credit
from dialoogkit.generator.plan import DeckPlan, plan_deck
from dialoogkit.layouts.formats import DEFAULT_FORMAT, DEFAULT_PAPER, parse_card_format, parse_paper
from dialoogkit.layouts.profiles import DEFAULT_PROFILE, parse_profile
from dialoogkit.layouts.units import mm
from dialoogkit.output.atomic import write_atomic
from dialoogkit.output.document import DocumentInfo
from dialoogkit.output.printshop import render_printshop
from dialoogkit.output.sheets import render_sheets

SHEETS_FILE = "cards-sheets.pdf"
PRINTSHOP_FILE = "cards-printshop.pdf"
MAX_BLEED_MM = 5.0

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
    output: Path = field(default_factory=lambda: Path("output"))


def _no_progress(total: int, label: str) -> ContextManager[Callable[[int], None]]:
    return nullcontext(lambda n: None)


def document_info(plan: DeckPlan, kind: str) -> DocumentInfo:
    """Title, author, subject and language for one of the deck's PDFs."""
    deck = plan.deck
    labels = load_labels(deck.language)
    title = f"{deck.title} — {labels[kind]}" + (f" ({deck.region})" if deck.region else "")
    return DocumentInfo(title=title, author=", ".join(deck.source.publishers),
                        subject=publication_credit(deck, labels), language=deck.language)


def build_cards(deck: str | Path, options: BuildOptions, progress: ProgressFactory = _no_progress) -> list[Path]:
    """Build the card PDFs of ``deck``; returns the paths written."""
    if not 0.0 <= options.bleed_mm <= MAX_BLEED_MM:
        raise UsageProblem(f"bleed {options.bleed_mm:g} mm is out of range — use 0 to {MAX_BLEED_MM:g} mm "
                           "(ask your print shop; 3 mm is common)")
    card_format = parse_card_format(options.card_format)
    profile = parse_profile(options.profile)
    paper = parse_paper(options.paper)
    loaded = load_deck(deck)
    count = len(loaded.deck.lessons)
    with progress(count * 5, "Building cards") as step:
        plan = plan_deck(loaded, card_format, profile, step)
        sheets = render_sheets(plan, paper, options.duplex, options.back_offset,
                               document_info(plan, "cards_doc"), step)
        printshop = render_printshop(plan, mm(options.bleed_mm), document_info(plan, "printshop_doc"), step)
    folder = options.output / plan.deck.id
    return [write_atomic(folder / SHEETS_FILE, sheets), write_atomic(folder / PRINTSHOP_FILE, printshop)]
