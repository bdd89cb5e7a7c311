"""``dialoogkit build``: load a deck, plan its cards and canvases, draw the kit, preflight it and
write it atomically.

In: a deck name or path and ``BuildOptions`` (parts, format, profile, paper, duplex, back offset,
bleed, canvas size, dpi, start time, output folder).
Out: in ``<output>/<deck id>/``: ``cards-sheets.pdf``, ``cards-printshop.pdf``, ``canvases.pdf``,
``guide.pdf``, ``png/`` and, for a whole kit, ``manifest.json`` and ``<deck>-kit.zip``; the list of
files written. Nothing is written unless every part was planned, drawn and preflighted in full.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, ContextManager

from dialoogkit.cards.guide_texts import load_guide_texts
from dialoogkit.cards.labels import load_labels
from dialoogkit.cards.loader import LoadedDeck, load_deck
from dialoogkit.cards.models import Deck
from dialoogkit.errors import PreflightError, UsageProblem
from dialoogkit.generator.content import deck_footer, publication_credit
from dialoogkit.generator.guide.story import build_story
from dialoogkit.generator.plan import plan_deck
from dialoogkit.generator.posters.plan import plan_canvases
from dialoogkit.layouts.agenda import DEFAULT_START, parse_start
from dialoogkit.layouts.formats import (
    DEFAULT_FORMAT,
    DEFAULT_PAPER,
    parse_card_format,
    parse_paper,
)
from dialoogkit.layouts.posters import DEFAULT_POSTER, parse_poster_size
from dialoogkit.layouts.posters import safe_area as poster_safe_area
from dialoogkit.layouts.profiles import DEFAULT_PROFILE, parse_profile
from dialoogkit.layouts.units import mm
from dialoogkit.output.atomic import write_atomic
from dialoogkit.output.canvases import render_canvases
from dialoogkit.output.document import DocumentInfo
from dialoogkit.output.folder import prepare_folder, remove_stale
from dialoogkit.output.guide import render_guide
from dialoogkit.output.kit import make_manifest, make_zip
from dialoogkit.output.png import DEFAULT_DPI, export_pngs
from dialoogkit.output.preflight import check_planned_zones, preflight
from dialoogkit.output.printshop import render_printshop
from dialoogkit.output.sheets import render_sheets

SHEETS_FILE = "cards-sheets.pdf"
PRINTSHOP_FILE = "cards-printshop.pdf"
CANVASES_FILE = "canvases.pdf"
GUIDE_FILE = "guide.pdf"
MANIFEST_FILE = "manifest.json"
MAX_BLEED_MM = 5.0
PARTS = ("cards", "canvases", "guide", "png")

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
    dpi: int = DEFAULT_DPI
    start: str = DEFAULT_START
    parts: tuple[str, ...] = PARTS
    force: bool = False
    preflight_qr: bool = False
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
    and drawn before the first file is written, so a problem anywhere writes nothing. A whole kit
    (cards and canvases) also gets ``manifest.json`` and ``<deck>-kit.zip``."""
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
    start = parse_start(options.start)
    if not 36 <= options.dpi <= 600:
        raise UsageProblem(f"--dpi {options.dpi} is out of range — use 36 to 600 (150 is plenty for a whiteboard)")
    loaded = load_deck(deck)
    folder = options.output / loaded.deck.id
    prepare_folder(folder, loaded.deck.id, options.force)
    count = len(loaded.deck.lessons)
    files: dict[str, bytes] = {}
    png = "png" in options.parts
    with progress(count * 9 + 3, "Building") as step:
        if "cards" in options.parts or "guide" in options.parts or png:
            plan = plan_deck(loaded, card_format, profile, step)
            faces = [face for pair in plan.faces for face in pair]
            _fail_on(check_planned_zones(faces, plan.geometry.safe), "cards")
            if "cards" in options.parts or png:
                printshop = render_printshop(plan, mm(options.bleed_mm),
                                             document_info(loaded.deck, "printshop_doc"), step)
            if "cards" in options.parts:
                files[SHEETS_FILE] = render_sheets(plan, paper, options.duplex, options.back_offset,
                                                   document_info(loaded.deck, "cards_doc"), step)
                files[PRINTSHOP_FILE] = printshop
        if "canvases" in options.parts or png:
            posters = plan_canvases(loaded)
            _fail_on(check_planned_zones([face for _, face in posters.faces], poster_safe_area()), "canvases")
            canvases = render_canvases(posters, poster_size, document_info(loaded.deck, "canvases_doc"), step)
            if "canvases" in options.parts:
                files[CANVASES_FILE] = canvases
        if "guide" in options.parts:
            files[GUIDE_FILE] = _render_guide(loaded, plan, start)
            step(count)
        if png:
            images = export_pngs(printshop, mm(options.bleed_mm), canvases, options.dpi)
            files.update({f"png/{name}": data for name, data in images.items()})
            step(count)
    run_preflight(files, options.preflight_qr)
    if {"cards", "canvases"} <= set(options.parts):
        files[MANIFEST_FILE] = make_manifest(files, _deck_facts(loaded), _option_facts(options))
        files[f"{loaded.deck.id}-kit.zip"] = make_zip(files)
    written = [write_atomic(folder / name, data) for name, data in files.items()]
    remove_stale(folder, written, options.parts)
    return written


KINDS = {SHEETS_FILE: "sheets", PRINTSHOP_FILE: "printshop", CANVASES_FILE: "canvases", GUIDE_FILE: "guide"}


def run_preflight(files: dict[str, bytes], qr: bool) -> None:
    """Boxes, fonts and colours of every PDF about to be written (and QR codes when asked);
    a finding stops the build before anything is written."""
    for name, data in files.items():
        if name in KINDS:
            _, findings = preflight(data, KINDS[name], qr=qr, text=qr)
            _fail_on(findings, name)


def _fail_on(findings: list, name: str) -> None:
    if findings:
        lines = "\n".join("  " + finding.format(name) for finding in findings[:20])
        raise PreflightError(f"preflight failed, nothing was written:\n{lines}")


def _render_guide(loaded: LoadedDeck, plan, start: int) -> bytes:
    labels = load_labels(loaded.deck.language)
    story = build_story(loaded, load_guide_texts(loaded), plan, start, labels)
    footer = f"{deck_footer(loaded.deck)} — {labels['guide_doc']}"
    return render_guide(story, document_info(loaded.deck, "guide_doc"), footer, labels["page"])


def _deck_facts(loaded: LoadedDeck) -> dict:
    return {"id": loaded.deck.id, "title": loaded.deck.title, "language": loaded.deck.language,
            "region": loaded.deck.region, "lessons": len(loaded.deck.lessons),
            "file": Path(loaded.chain[0]).name, "extends": [Path(p).name for p in loaded.chain[1:]]}


def _option_facts(options: BuildOptions) -> dict:
    return {"format": options.card_format, "profile": options.profile, "paper": options.paper,
            "duplex": options.duplex, "back_offset_mm": [round(v / mm(1), 2) for v in options.back_offset],
            "bleed_mm": options.bleed_mm, "canvas_size": options.canvas_size, "dpi": options.dpi,
            "start": options.start,
            "parts": list(options.parts)}


def build_cards(deck: str | Path, options: BuildOptions, progress: ProgressFactory = _no_progress) -> list[Path]:
    """Build only the card PDFs of ``deck`` (``cards-sheets.pdf`` and ``cards-printshop.pdf``)."""
    return build_kit(deck, replace(options, parts=("cards",)), progress)
