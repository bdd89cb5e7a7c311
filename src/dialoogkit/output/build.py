"""``dialoogkit build``: load a deck, plan its cards and canvases, draw the kit, preflight it and
switch it in whole.

In: a deck name or path and ``BuildOptions`` (parts, format, profile, paper, duplex, back offset,
bleed, canvas size, dpi, start time, output folder).
Out: in ``<output>/<deck id>/`` the files of ``kitfiles.FILES``: ``cards-sheets.pdf``,
``cards-printshop.pdf``, ``canvases.pdf``, ``guide.pdf``, ``png/`` and, for a whole kit,
``manifest.json`` and ``<deck>-kit.zip``; the list of files written. Every option is checked before
any work; the kit is made in a staging folder and switched in at the end (``staging``), so the
kit folder always holds the complete old kit or the complete new one. A build of some parts
(``--only``) keeps the other parts' files and removes the manifest and zip, which describe a
whole kit; files dialoogkit did not make (kept with ``--force``) are carried over untouched, and so
is ``na-de-sessie/`` (made by ``dialoogkit report``), which a whole kit's manifest and zip list.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path
from typing import Callable, ContextManager

from dialoogkit.cards.loader import LoadedDeck, load_deck
from dialoogkit.errors import Problem
from dialoogkit.i18n import speaking_deck
from dialoogkit.layouts.units import mm
from dialoogkit.output.collector import fewer_collections
from dialoogkit.output.document import PdfFacts, collecting_facts
from dialoogkit.output.folder import survey_kit
from dialoogkit.output.kit import make_manifest, write_zip
from dialoogkit.output.kitfiles import KEPT, MANIFEST, PARTS, part_of, preflight_kind, zip_name
from dialoogkit.output.options import BuildOptions, Settings, check_options
from dialoogkit.output.preflight import preflight
from dialoogkit.output.render import fail_on, render_parts
from dialoogkit.output.staging import Stage, staged_kit

__all__ = ["BuildOptions", "PARTS", "build_cards", "build_kit"]

WHOLE_KIT = frozenset({"cards", "canvases"})  # with these, a build makes a whole kit (manifest, zip)

ProgressFactory = Callable[[int, str], ContextManager[Callable[[int], None]]]


def _no_progress(total: int, label: str) -> ContextManager[Callable[[int], None]]:
    return nullcontext(lambda n: None)


def build_kit(deck: str | Path | LoadedDeck, options: BuildOptions, progress: ProgressFactory = _no_progress,
              warn: Callable[[Problem], None] | None = None, facts: dict[str, PdfFacts] | None = None) -> list[Path]:
    """Build the chosen parts of ``deck``'s kit (a name or path, or the deck already loaded);
    returns the paths written (see module docstring). ``warn`` hears of what is worth fixing but
    does not stop the build (a logo below 150 ppi); ``facts``, when given, receives the
    ``PdfFacts`` of each PDF written (by file name): what the build knows of its files (pages,
    boxes), so nothing need read them again. Its messages speak the deck's language (unless the
    user chose one)."""
    settings = check_options(options)
    with fewer_collections():
        loaded = deck if isinstance(deck, LoadedDeck) else load_deck(deck, options.gate)
        with speaking_deck(loaded.language):
            return _build_loaded(loaded, settings, options, progress, warn, facts)


def _build_loaded(loaded: LoadedDeck, settings: Settings, options: BuildOptions, progress: ProgressFactory,
                  warn: Callable[[Problem], None] | None, facts: dict[str, PdfFacts] | None) -> list[Path]:
    target = options.output / loaded.deck.id
    whole = WHOLE_KIT <= set(options.parts)
    with staged_kit(target) as stage:
        old = survey_kit(target, loaded.deck.id, options.force)
        with collecting_facts() as known:
            store = lambda name, data: _store(stage, name, data, options.preflight_qr, warn,  # noqa: E731
                                              options.bleed_mm, known, facts)
            render_parts(loaded, settings, options, store, progress, warn)
        if not whole:
            for path in old.files_of(set(PARTS) - set(options.parts)):
                stage.carry(path)
        for path in old.files_of(set(KEPT)):  # na-de-sessie/ of `dialoogkit report`: kept by every build
            stage.carry(path)
        for path in old.foreign:
            stage.carry(path)
        if whole:
            _write_manifest_and_zip(stage, loaded, options, [str(path) for path in old.files_of(set(KEPT))])
    return [target / path for path in stage.written]


# The only image a kit places is the deck's logo: the build already downsampled it and refused it
# where it prints below 150 ppi (``preflight_logo``); between 150 and 250 ppi the preflight's note
# is not repeated.
LOGO_CODES = frozenset({"image_modest"})


def _store(stage: Stage, name: str, data: bytes, qr: bool, warn: Callable[[Problem], None] | None = None,
           bleed_mm: float = 3.0, known: dict[str, PdfFacts] | None = None,
           facts: dict[str, PdfFacts] | None = None) -> None:
    """Preflight a PDF in memory against the bleed it was built with (an error stops the build, a
    warning goes to ``warn``), then write it into the stage. The checks read what the canvas
    noted while writing the file (``known``: ``PdfFacts`` by kind), not the file parsed again,
    unless the QR codes are to be decoded (``--preflight``); the facts go on to ``facts``."""
    kind = preflight_kind(name)
    if kind:
        found = (known or {}).get(kind)
        found = found if found is not None and found.describes(data) else None
        _, findings = preflight(data, kind, qr=qr, text=qr, bleed_mm=bleed_mm, facts=found)
        fail_on([finding for finding in findings if finding.code not in LOGO_CODES], name, warn)
        if facts is not None and found is not None:
            facts[name] = found
    stage.write(name, data)


def _write_manifest_and_zip(stage: Stage, loaded: LoadedDeck, options: BuildOptions, kept: list[str]) -> None:
    own = [str(path) for path in stage.written if part_of(path, loaded.deck.id)] + kept
    stage.write(MANIFEST, make_manifest(stage.folder, own, _deck_facts(loaded), _option_facts(options)))
    name = zip_name(loaded.deck.id)
    write_zip(stage.folder, own + [MANIFEST], stage.folder / name)
    stage.record(name)


def _deck_facts(loaded: LoadedDeck) -> dict:
    companion = loaded.deck.companion_texts
    return {"id": loaded.deck.id, "title": loaded.deck.title, "language": loaded.deck.language,
            "region": loaded.deck.region, "lessons": len(loaded.deck.lessons),
            "file": Path(loaded.chain[0]).name, "extends": [Path(p).name for p in loaded.chain[1:]],
            **({"companion": {"file": Path(companion.file).name, "language": companion.language}} if companion else {})}


def _option_facts(options: BuildOptions) -> dict:
    return {"format": options.card_format, "profile": options.profile, "paper": options.paper,
            "duplex": options.duplex, "back_offset_mm": [round(v / mm(1), 2) for v in options.back_offset],
            "bleed_mm": options.bleed_mm, "gutter_mm": options.gutter_mm,
            "output_intent": Path(options.output_intent).name, "canvas_size": options.canvas_size,
            "dpi": options.dpi, "start": options.start, "parts": list(options.parts)}


def build_cards(deck: str | Path, options: BuildOptions, progress: ProgressFactory = _no_progress) -> list[Path]:
    """Build only the card PDFs of ``deck`` (``cards-sheets.pdf`` and ``cards-printshop.pdf``)."""
    return build_kit(deck, replace(options, parts=("cards",)), progress)
