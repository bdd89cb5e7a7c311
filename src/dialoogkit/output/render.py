"""Draw the parts of a kit and hand each finished file to a store, one file at a time.

In: a loaded deck, the checked ``Settings`` and ``BuildOptions``, a store (name, bytes), a
progress factory and, optionally, a listener for warnings.
Out: calls of the store with ``cards-sheets.pdf``, ``cards-printshop.pdf``, ``canvases.pdf``,
``guide.pdf`` and ``png/…`` for the chosen parts (``RENDERERS`` holds one function per part of
``kitfiles.PARTS``). Everything is planned before anything is drawn, so a content problem stops
the build before the first file; so does a logo that prints below 150 ppi in a print-shop file
(``preflight_logo``: the build refuses what its own preflight would). The print-shop files are
separated for their output intent's printing condition (``icc.separating``); the listener hears
of a theme colour that condition cannot print close to its screen colour (``preflight_colour``)
and of a logo below 150 ppi in the guide (warnings: the build goes on). Each card face is drawn
once, for the print-shop file, which records it (``generator.recording``); the office sheets
replay the recordings when they are separated for the same condition, and the card images
replay them in screen colours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from dialoogkit.cards.guide_texts import guide_labels, guide_language, load_guide_texts
from dialoogkit.cards.labels import labels_for
from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.cards.models import Deck
from dialoogkit.errors import PreflightError, Problem
from dialoogkit.i18n import say
from dialoogkit.generator import icc
from dialoogkit.generator.content import deck_footer, publication_credit
from dialoogkit.generator.pictures import placed_pictures, resolution_warnings
from dialoogkit.generator.plan import DeckPlan, plan_deck
from dialoogkit.generator.posters.plan import PosterPlan, plan_canvases
from dialoogkit.generator.recording import Recordings
from dialoogkit.layouts.posters import safe_area as poster_safe_area
from dialoogkit.layouts.units import mm, to_mm
from dialoogkit.output.options import BuildOptions, Settings
from dialoogkit.output.pdfx import OutputIntent
from dialoogkit.output.canvases import render_canvases
from dialoogkit.output.document import DocumentInfo
from dialoogkit.output.kitfiles import PARTS
from dialoogkit.output.png import export_pngs, screen_canvases_pdf, screen_cards_pdf
from dialoogkit.output.preflight import PreflightNote, check_planned_zones
from dialoogkit.output.preflight_colour import gamut_warnings
from dialoogkit.output.preflight_logo import check_press_logo
from dialoogkit.output.printshop import render_printshop
from dialoogkit.output.sheets import render_sheets, resolve_gutter

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
    recordings: Recordings = field(default_factory=Recordings)  # the print-shop file's faces
    recorded_in: icc.Condition | None = None
    canvases_pdf: bytes | None = None
    warn: Callable[[Problem], None] = lambda problem: None

    @property
    def press_condition(self) -> icc.Condition | None:
        """The printing condition the print-shop files are separated for."""
        return self.settings.intent.separation if self.settings.intent is not None else None

    def printshop_pdf(self) -> bytes:
        if self.printshop is None:
            with icc.separating(self.press_condition) as condition:
                self.printshop = render_printshop(self.cards, mm(self.options.bleed_mm), document_info(
                    self.loaded.deck, "printshop_doc", self.settings.intent), self.step, self.recordings)
                self.recorded_in = condition
        return self.printshop

    def recordings_for_sheets(self) -> Recordings | None:
        """The print-shop file's recordings of the faces, when they were separated as the office
        sheets are (the same printing condition): else none, and the sheets draw every face."""
        return self.recordings if self.recorded_in == icc.current_condition() else None

    def canvas_pdf(self) -> bytes:
        if self.canvases_pdf is None:
            with icc.separating(self.press_condition):
                self.canvases_pdf = render_canvases(self.canvases, self.settings.poster, mm(self.options.bleed_mm),
                                                    document_info(self.loaded.deck, "canvases_doc",
                                                                  self.settings.intent), self.step)
        return self.canvases_pdf


KIT_KINDS = {"cards_doc": "sheets", "printshop_doc": "printshop", "canvases_doc": "canvases", "guide_doc": "guide"}


def document_info(deck: Deck, kind: str, intent: OutputIntent | None = None) -> DocumentInfo:
    """Title, author, subject, language and kind of file for one of the deck's PDFs (``kind`` is
    its label key); ``intent`` makes it a PDF/X file for the press."""
    labels = labels_for(deck)
    title = f"{deck.title} — {labels[kind]}" + (f" ({deck.region})" if deck.region else "")
    return DocumentInfo(title=title, author=", ".join(deck.source.publishers),
                        subject=publication_credit(deck, labels), language=deck.language,
                        kind=KIT_KINDS[kind], intent=intent)


def fail_on(findings: list, name: str, warn: Callable[[Problem], None] | None = None) -> None:
    """Stop the build when a preflight found an error; its warnings (no bleed) go to ``warn``."""
    notes = [finding for finding in findings if getattr(finding, "warning", False)]
    findings = [finding for finding in findings if finding not in notes]
    for note in notes:
        if warn is not None:
            warn(PreflightNote(note.format(name)))
    if findings:
        lines = "\n".join("  " + finding.format(name) for finding in findings[:20])
        raise PreflightError(say("kit.preflight_failed", findings=lines))


def render_parts(loaded: LoadedDeck, settings: Settings, options: BuildOptions, store: Store, progress,
                 warn: Callable[[Problem], None] | None = None) -> None:
    """Plan, then draw the chosen parts in the order of ``PARTS`` (see module docstring); ``warn``
    hears of theme colours the press cannot print close and of a logo below 150 ppi in the guide."""
    count = len(loaded.deck.lessons)
    with progress(count * 9 + 3, say("output.building")) as step:
        job = Job(loaded, settings, options, store, step)
        if warn is not None:
            job.warn = warn
        needs_cards = bool({"cards", "guide", "png"} & set(options.parts))
        if needs_cards:
            job.cards = plan_deck(loaded, settings.card_format, settings.profile, step)
            faces = job.cards.all_faces
            fail_on(check_planned_zones(faces, job.cards.geometry.safe), "cards")
            if "cards" in options.parts:
                refuse_press_logo(job, faces, 1.0, say("pictures.where_cards"))
        if {"canvases", "png"} & set(options.parts):
            job.canvases = plan_canvases(loaded)
            fail_on(check_planned_zones([face for _, face in job.canvases.faces], poster_safe_area()), "canvases")
            if "canvases" in options.parts:
                refuse_press_logo(job, [face for _, face in job.canvases.faces], settings.poster.factor,
                                  say("pictures.where_canvases", size=settings.poster.name.upper()), settings.poster)
        if {"cards", "canvases"} & set(options.parts):
            for problem in gamut_warnings(loaded, job.press_condition):
                job.warn(problem)
        for part in PARTS:
            if part in options.parts:
                RENDERERS[part](job)


def refuse_press_logo(job: Job, faces: list, scale: float, where: str, poster=None) -> None:
    """Stop the build when the deck's logo prints below 150 ppi on ``faces`` (at ``scale``) of a
    print-shop file, saying which canvas size or logo would work."""
    if job.loaded.logo_path is not None:
        check_press_logo(placed_pictures(faces, scale, where), *job.loaded.where("logo"), poster)


def warn_about_logo(job: Job, faces: list, scale: float, where: str) -> None:
    """Tell ``job.warn`` where the deck's logo prints below 150 ppi on ``faces`` (at ``scale``)."""
    if job.loaded.logo_path is not None:
        file, line = job.loaded.where("logo")
        for problem in resolution_warnings(placed_pictures(faces, scale, where), file, line):
            job.warn(problem)


def render_cards(job: Job) -> None:
    """``cards-sheets.pdf`` (N-up on paper, duplex-aligned) and ``cards-printshop.pdf``."""
    plan, options = job.cards, job.options
    printshop = job.printshop_pdf()  # each face drawn once, for press; the sheets replay it
    job.store("cards-sheets.pdf", render_sheets(plan, job.settings.paper, options.duplex, options.back_offset,
                                                document_info(job.loaded.deck, "cards_doc"), job.step,
                                                mm(sheet_gutter(job)), job.recordings_for_sheets()))
    job.store("cards-printshop.pdf", printshop)


def sheet_gutter(job: Job) -> float:
    """The gutter (mm) between the cards on ``cards-sheets.pdf`` (``sheets.resolve_gutter``)."""
    card, options = job.settings.card_format, job.options
    return resolve_gutter(card.width_mm, card.height_mm, job.settings.paper, options.gutter_mm, options.duplex)


def render_canvas_part(job: Job) -> None:
    """``canvases.pdf``."""
    job.store("canvases.pdf", job.canvas_pdf())


def render_guide_part(job: Job) -> None:
    """``guide.pdf``: the facilitator guide, whose printing page follows the options of this build."""
    # the guide's modules (platypus and its styles) are loaded only by a build that makes the guide
    from dialoogkit.generator.guide.flowables import FaceThumbnail
    from dialoogkit.generator.guide.printing import count_cards, plan_print_facts
    from dialoogkit.generator.guide.story import build_story
    from dialoogkit.output.guide import render_guide

    loaded, options, settings = job.loaded, job.options, job.settings
    labels = guide_labels(loaded.deck)
    language = guide_language(loaded.deck.language)
    if language != loaded.deck.language:
        job.warn(Problem(*loaded.where("language"), say("output.guide_fallback", deck=loaded.deck.language,
                                                        guide=language), field="language"))
    cards = len(job.cards.printed_faces) if job.cards else count_cards(loaded.deck)
    offset = (to_mm(options.back_offset[0]), to_mm(options.back_offset[1]))
    facts = plan_print_facts(settings.card_format, settings.paper, options.duplex, options.bleed_mm, settings.poster,
                             cards, offset, sheet_gutter(job))
    story = build_story(loaded, load_guide_texts(loaded), job.cards, settings.start, labels, facts)
    for flowable in story:
        if isinstance(flowable, FaceThumbnail):
            warn_about_logo(job, [flowable.face], flowable.scale, say("pictures.where_guide"))
    footer = f"{deck_footer(loaded.deck)} — {labels['guide_doc']}"
    job.store("guide.pdf", render_guide(story, document_info(loaded.deck, "guide_doc"), footer, labels["page"]))
    job.step(len(loaded.deck.lessons))


def render_images(job: Job) -> None:
    """``png/``: card faces, canvases and the contact sheet, each stored as it is made."""
    cards = screen_cards_pdf(job.cards, job.recordings)  # replayed where the print-shop file recorded
    export_pngs(cards, 0.0, screen_canvases_pdf(job.canvases, job.settings.poster),
                job.options.dpi, job.store,  # in the deck's screen colours, not the press's CMYK
                first_card=0 if job.cards is not None and job.cards.opening else 1)
    job.step(len(job.loaded.deck.lessons))


RENDERERS: dict[str, Callable[[Job], None]] = {"cards": render_cards, "canvases": render_canvas_part,
                                               "guide": render_guide_part, "png": render_images}
assert set(RENDERERS) == set(PARTS), "every part of kitfiles.PARTS needs a renderer"
