"""The guide's printing page, following the options the kit was built with.

In: the card format, paper, duplex mode, bleed, canvas size and back offset of a build (and a gutter
between the cards, 0 until the imposition has one), the number of cards, the bundled printing
texts (templates, see ``cards.guide_texts``) and the label table.
Out: ``PrintFacts`` (cards per sheet from the imposition's slot plan, with ``fold`` the gutterfold's;
sheets of paper needed: one per sheet of fronts in every mode, as ``none`` feeds the printed stack
again; …) and the printing page's flowables: every step whose condition holds, with the lines whose
condition holds and their ``{fields}`` filled in (a paragraph each), in plain words for a facilitator
(never a command-line option); a step with a ``picture`` shows its drawing (``printpictures``) to
the left of its lines. The page starts on a fresh page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportlab.platypus import Flowable, PageBreakIfNotEmpty, Table, TableStyle

from dialoogkit.cards.guide_texts import GUIDE, PRINT_FIELDS, LoadedGuide
from dialoogkit.cards.labels import Labels
from dialoogkit.cards.models import Deck
from dialoogkit.generator.guide.printpictures import PICTURE_WIDTH, PrintPicture
from dialoogkit.generator.guide.styles import TABLE_BASE, located_para
from dialoogkit.generator.located import Located, fixed, written
from dialoogkit.layouts.formats import CARD_FORMATS, DEFAULT_FORMAT, DEFAULT_PAPER, CardFormat, Paper
from dialoogkit.layouts.formats import parse_card_format, parse_paper
from dialoogkit.layouts.imposition import CLEAN_CUT_GUTTER_MM, plan_sheet
from dialoogkit.layouts.posters import DEFAULT_POSTER, PosterSize, parse_poster_size
from dialoogkit.layouts.guidepage import room
from dialoogkit.layouts.units import mm

DEFAULT_DUPLEX = "long-edge"  # as ``BuildOptions``: what ``dialoogkit check`` describes
DEFAULT_BLEED_MM = 3.0
NBSP = "\u00a0"  # keeps "63 × 88 mm" and "5 vellen" on one line


@dataclass(frozen=True)
class PrintFacts:
    """What the printing page states about one build of a kit."""

    format_name: str
    width_mm: float
    height_mm: float
    paper: str
    cards: int
    cards_per_sheet: int
    sheets: int  # sheets of paper: fronts and backs share a sheet (``none``: the stack is fed again)
    pdf_pages: int  # pages of cards-sheets.pdf: fronts, then backs (alternating, or all fronts first;
    # with ``fold`` one page per sheet, each front beside its back)
    duplex: str
    bleed_mm: float
    canvas_size: str
    canvas_width_mm: float
    canvas_height_mm: float
    back_offset_mm: tuple[float, float] = (0.0, 0.0)
    gutter_mm: float = 0.0


def count_cards(deck: Deck) -> int:
    """The cards of a deck: the opening card when it has one, one per lesson, and the contacts card
    when the deck has contacts."""
    return (1 if deck.opening else 0) + len(deck.lessons) + (1 if deck.contacts else 0)


def plan_print_facts(card_format: CardFormat, paper: Paper, duplex: str, bleed_mm: float, poster: PosterSize,
                     cards: int, back_offset_mm: tuple[float, float] = (0.0, 0.0),
                     gutter_mm: float = 0.0) -> PrintFacts:
    """The facts of a build; cards per sheet come from the same slot plan as ``cards-sheets.pdf``."""
    fold = duplex == "fold"
    sheet = plan_sheet(mm(card_format.width_mm), mm(card_format.height_mm), mm(paper.width_mm), mm(paper.height_mm),
                       mm(gutter_mm), fold=fold)
    fronts = math.ceil(cards / sheet.per_sheet)
    return PrintFacts(card_format.name, card_format.width_mm, card_format.height_mm, paper.name, cards,
                      sheet.per_sheet, fronts, fronts if fold else 2 * fronts, duplex, bleed_mm,
                      poster.name, poster.width_mm, poster.height_mm, back_offset_mm, gutter_mm)


def default_print_facts(deck: Deck) -> PrintFacts:
    """The facts of a build with every option at its default."""
    return plan_print_facts(parse_card_format(DEFAULT_FORMAT), parse_paper(DEFAULT_PAPER), DEFAULT_DUPLEX,
                            DEFAULT_BLEED_MM, parse_poster_size(DEFAULT_POSTER), count_cards(deck))


def find_conditions(facts: PrintFacts) -> set[str]:
    """The ``when:`` conditions that hold for ``facts``."""
    held = {facts.duplex}
    if facts.duplex in ("long-edge", "short-edge"):
        held.add("duplex")
    if facts.duplex != "fold" and any(round(value, 2) for value in facts.back_offset_mm):
        held.add("back-offset")  # a fold prints front and back in one pass: no offset is applied
    if facts.gutter_mm > 0:
        held.add("gutter")
    if facts.gutter_mm < CLEAN_CUT_GUTTER_MM - 1e-6:
        held.add("narrow-gutter")
    held.add("bleed" if facts.bleed_mm > 0 else "no-bleed")
    held.add("canvas-a3" if facts.canvas_size == "a3" else "canvas-large")
    return held


def fill_fields(facts: PrintFacts, labels: Labels, language: str) -> dict[str, str]:
    """The text of every field a printing line may hold, in the deck's language."""
    def number(value: float) -> str:
        text = f"{round(value, 2) + 0.0:g}".replace("-", "−")  # a minus sign, not a hyphen
        return text.replace(".", ",") if language == "nl" else text

    def counted(count: int, noun: str) -> str:
        return f"{count}{NBSP}{labels[noun + ('_one' if count == 1 else '_many')]}"

    def pages(first: int, last: int) -> str:
        return f"{labels['pdf_page_one']}{NBSP}{first}" if first == last else \
            f"{labels['pdf_page_many']}{NBSP}{first}–{last}"

    size = NBSP.join((number(facts.width_mm), "×", number(facts.height_mm), "mm"))
    preset = facts.format_name in CARD_FORMATS
    shown = facts.format_name.upper() if facts.format_name.startswith("a") else facts.format_name
    fields = {
        "paper": facts.paper.upper() if facts.paper.startswith("a") else facts.paper.capitalize(),
        "format": f"{shown}{NBSP}({size})" if preset else size,
        "size": size,
        "per_sheet": counted(facts.cards_per_sheet, "card"),
        "cards": counted(facts.cards, "card"),
        "sheets": counted(facts.sheets, "sheet"),
        "front_pages": pages(1, facts.pdf_pages // 2),
        "back_pages": pages(facts.pdf_pages // 2 + 1, facts.pdf_pages),
        "offset_x": number(facts.back_offset_mm[0]),
        "offset_y": number(facts.back_offset_mm[1]),
        "gutter": number(facts.gutter_mm),
        "bleed": number(facts.bleed_mm),
        "canvas": facts.canvas_size.upper(),
        "canvas_size": NBSP.join((number(facts.canvas_width_mm), "×", number(facts.canvas_height_mm), "mm")),
    }
    assert set(fields) == set(PRINT_FIELDS), "every field of guide_texts.PRINT_FIELDS needs a value"
    return fields


def printing_page(guide: LoadedGuide, facts: PrintFacts, labels: Labels, language: str, s: dict) -> list[Flowable]:
    """The printing instructions for ``facts``, on a page of their own."""
    held = find_conditions(facts)
    fields = fill_fields(facts, labels, language)
    story: list[Flowable] = [PageBreakIfNotEmpty(), located_para(fixed(labels["printing_title"]), s["h1"])]
    for i, step in enumerate(guide.texts.printing):
        if step.when is not None and step.when not in held:
            continue
        lines: list[Located] = [written(line.text.format_map(fields), "printing", i, "text", j, root=GUIDE)
                                for j, line in enumerate(step.text) if line.when is None or line.when in held]
        if not lines:
            continue
        story.append(located_para(written(step.title, "printing", i, "title", root=GUIDE), s["h2"]))
        paragraphs = [located_para(line, s["body"]) for line in lines]
        story += [_beside(PrintPicture(step.picture, labels), paragraphs)] if step.picture else paragraphs
    return story


def _beside(picture: PrintPicture, paragraphs: list) -> Table:
    """A drawing with the step's paragraphs to its right (one row: kept on one page)."""
    gap = mm(4)
    table = Table([[picture, paragraphs]], colWidths=[PICTURE_WIDTH + gap, room()[0] - PICTURE_WIDTH - gap],
                  hAlign="LEFT")
    table.setStyle(TableStyle([*TABLE_BASE, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 2)]))
    return table
