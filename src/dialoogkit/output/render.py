"""Draw the parts of a kit and hand each finished file to a store, one file at a time.

In: a loaded deck, the checked ``Settings`` and ``BuildOptions``, a store (name, bytes) and a
progress factory.
Out: calls of the store with ``cards-sheets.pdf``, ``cards-printshop.pdf``, ``canvases.pdf``,
``guide.pdf`` and ``png/…`` for the chosen parts (``RENDERERS`` holds one function per part of
``kitfiles.PARTS``). Everything is planned before anything is drawn, so a content problem stops
the build before the first file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from dialoogkit.cards.guide_texts import load_guide_texts
from dialoogkit.cards.labels import load_labels
from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.cards.models import Deck
from dialoogkit.errors import PreflightError
from dialoogkit.i18n import say
from dialoogkit.generator.content import deck_footer, publication_credit
from dialoogkit.generator.guide.printing import count_cards, plan_print_facts
from dialoogkit.generator.guide.story import build_story
from dialoogkit.generator.plan import DeckPlan, plan_deck
from dialoogkit.generator.posters.plan import PosterPlan, plan_canvases
from dialoogkit.layouts.posters import safe_area as poster_safe_area
from dialoogkit.layouts.units import mm, to_mm
from dialoogkit.output.options import BuildOptions, Settings
from dialoogkit.output.canvases import render_canvases
from dialoogkit.output.guide import render_guide
from dialoogkit.output.document import DocumentInfo
from dialoogkit.output.kitfiles import PARTS
from dialoogkit.output.png import export_pngs
from dialoogkit.output.preflight import check_planned_zones
from dialoogkit.output.printshop import render_printshop
from dialoogkit.output.sheets import render_sheets

Store = Callable[[str, bytes], object]


@dataclass
class Job:
    """What the renderers share: the deck, the options, the plans (made once) and the PDFs the
    images are made from."""

    loaded: LoadedDeck
    settings: Settings
    options: BuildOptions
    store: Store
    step: Callable[[int], None]
    cards: DeckPlan | None = None
    canvases: PosterPlan | None = None
    printshop: bytes | None = None
    canvases_pdf: bytes | None = None

    def printshop_pdf(self) -> bytes:
        if self.printshop is None:
            self.printshop = render_printshop(self.cards, mm(self.options.bleed_mm),
                                              document_info(self.loaded.deck, "printshop_doc"), self.step)
        return self.printshop

    def canvas_pdf(self) -> bytes:
        if self.canvases_pdf is None:
            self.canvases_pdf = render_canvases(self.canvases, self.settings.poster,
                                                document_info(self.loaded.deck, "canvases_doc"), self.step)
        return self.canvases_pdf


def document_info(deck: Deck, kind: str) -> DocumentInfo:
    """Title, author, subject and language for one of the deck's PDFs."""
    labels = load_labels(deck.language)
    title = f"{deck.title} — {labels[kind]}" + (f" ({deck.region})" if deck.region else "")
    return DocumentInfo(title=title, author=", ".join(deck.source.publishers),
                        subject=publication_credit(deck, labels), language=deck.language)


def fail_on(findings: list, name: str) -> None:
    """Stop the build when a preflight found something."""
    if findings:
        lines = "\n".join("  " + finding.format(name) for finding in findings[:20])
        raise PreflightError(say("kit.preflight_failed", findings=lines))


def render_parts(loaded: LoadedDeck, settings: Settings, options: BuildOptions, store: Store, progress) -> None:
    """Plan, then draw the chosen parts in the order of ``PARTS`` (see module docstring)."""
    count = len(loaded.deck.lessons)
    with progress(count * 9 + 3, say("output.building")) as step:
        job = Job(loaded, settings, options, store, step)
        needs_cards = bool({"cards", "guide", "png"} & set(options.parts))
        if needs_cards:
            job.cards = plan_deck(loaded, settings.card_format, settings.profile, step)
            faces = [face for pair in job.cards.faces for face in pair]
            fail_on(check_planned_zones(faces, job.cards.geometry.safe), "cards")
        if {"canvases", "png"} & set(options.parts):
            job.canvases = plan_canvases(loaded)
            fail_on(check_planned_zones([face for _, face in job.canvases.faces], poster_safe_area()), "canvases")
        for part in PARTS:
            if part in options.parts:
                RENDERERS[part](job)


def render_cards(job: Job) -> None:
    """``cards-sheets.pdf`` (N-up on paper, duplex-aligned) and ``cards-printshop.pdf``."""
    plan, options = job.cards, job.options
    job.store("cards-sheets.pdf", render_sheets(plan, job.settings.paper, options.duplex, options.back_offset,
                                                document_info(job.loaded.deck, "cards_doc"), job.step))
    job.store("cards-printshop.pdf", job.printshop_pdf())


def render_canvas_part(job: Job) -> None:
    """``canvases.pdf``."""
    job.store("canvases.pdf", job.canvas_pdf())


def render_guide_part(job: Job) -> None:
    """``guide.pdf``: the facilitator guide, whose printing page follows the options of this build."""
    loaded, options, settings = job.loaded, job.options, job.settings
    labels = load_labels(loaded.deck.language)
    cards = len(job.cards.faces) if job.cards else count_cards(loaded.deck)
    offset = (to_mm(options.back_offset[0]), to_mm(options.back_offset[1]))
    facts = plan_print_facts(settings.card_format, settings.paper, options.duplex, options.bleed_mm, settings.poster,
                             cards, offset)
    story = build_story(loaded, load_guide_texts(loaded), job.cards, settings.start, labels, facts)
    footer = f"{deck_footer(loaded.deck)} — {labels['guide_doc']}"
    job.store("guide.pdf", render_guide(story, document_info(loaded.deck, "guide_doc"), footer, labels["page"]))
    job.step(len(loaded.deck.lessons))


def render_images(job: Job) -> None:
    """``png/``: card faces, canvases and the contact sheet, each stored as it is made."""
    export_pngs(job.printshop_pdf(), mm(job.options.bleed_mm), job.canvas_pdf(), job.options.dpi, job.store)
    job.step(len(job.loaded.deck.lessons))


RENDERERS: dict[str, Callable[[Job], None]] = {"cards": render_cards, "canvases": render_canvas_part,
                                               "guide": render_guide_part, "png": render_images}
assert set(RENDERERS) == set(PARTS), "every part of kitfiles.PARTS needs a renderer"
