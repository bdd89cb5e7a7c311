"""One build of a deck's kit, for every face: the files, the build's notes and the sheet count.

In: a deck (bundled name or path), ``BuildOptions`` (made by a face from the registry's choices),
and optionally a progress factory (``progress(total, label)`` → a context giving ``step(n)``).
Out: ``BuildResult``: the files written, the notes the build gave (the logo's resolution, the
preflight's notes such as "no bleed", a guide in English for a deck in another language), the
deck's placeholder warnings, and ``SheetSummary``: how many cards go on one sheet of
``cards-sheets.pdf``, how many sheets to print and a bundled format that uses the paper better
when the chosen one wastes much of it (``describe_sheets`` says it in words). The command line
prints these; the studio shows them. ``check_build_options`` checks the options as the build
will (a print shop's profile opened through the options' gate), so a face can refuse a build
before it starts it in the background.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from dialoogkit.cards.loader import LoadedDeck, load_deck
from dialoogkit.errors import Problem
from dialoogkit.i18n import speaking_deck
from dialoogkit.output.build import build_kit
from dialoogkit.output.collector import fewer_collections
from dialoogkit.output.options import BuildOptions, check_options


@dataclass(frozen=True)
class SheetSummary:
    """Cards per sheet of ``cards-sheets.pdf`` and sheets to print in the ``duplex`` mode (both
    sides, one side with the backs after the fronts, or folded), and a better format (its name and
    cards per sheet) when the paper is half wasted."""

    per_sheet: int
    sheets: int
    paper: str
    duplex: str
    card_format: str
    paper_use: float
    better: str | None = None
    better_per_sheet: int = 0


@dataclass(frozen=True)
class BuildResult:
    """What a build made and said (see module docstring)."""

    files: list[Path]
    notes: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    sheet: SheetSummary | None = None
    language: str | None = None  # the deck's: what a face says about the build is said in it


def build_deck(deck: str | Path, options: BuildOptions, progress=None,
               on_warnings: Callable[[list[Problem]], None] | None = None) -> BuildResult:
    """Build the kit of ``deck`` (see module docstring); ``on_warnings`` hears the deck's
    placeholder warnings before the (long) build starts."""
    check_build_options(options)  # a wrong option is reported before anything else
    with fewer_collections():
        return _build(load_deck(deck, options.gate), options, progress, on_warnings)


def check_build_options(options: BuildOptions) -> None:
    """Nothing when a build may start with ``options``; else the ``UsageProblem`` it would stop with."""
    check_options(options)


def _build(loaded: LoadedDeck, options: BuildOptions, progress,
           on_warnings: Callable[[list[Problem]], None] | None) -> BuildResult:
    from dialoogkit.cards.placeholders import find_warnings

    with speaking_deck(loaded.language):  # what the build says, and ``on_warnings``, in the deck's language
        warnings = find_warnings(loaded)
        if on_warnings is not None:
            on_warnings(warnings)
        notes: list[Problem] = []
        facts: dict = {}
        more = {"progress": progress} if progress is not None else {}  # None: the build's own silence
        files = build_kit(loaded, options, warn=notes.append, facts=facts, **more)
        sheet = summarise_sheets(files, options, _page_count(facts))
    return BuildResult(files, notes, warnings, sheet, loaded.language)


def _page_count(facts: dict) -> int | None:
    """The pages of ``cards-sheets.pdf`` as the build wrote them (``output.document.PdfFacts``)."""
    sheets = facts.get("cards-sheets.pdf")
    return len(sheets.pages) if sheets is not None else None


def summarise_sheets(files: list[Path], options: BuildOptions, pages: int | None = None) -> SheetSummary | None:
    """The sheet count of ``cards-sheets.pdf`` when the build wrote it (see ``SheetSummary``), from
    its page count as the build knows it (``pages``); the file is read only when that is not given."""
    sheets_pdf = next((path for path in files if path.name == "cards-sheets.pdf"), None)
    if sheets_pdf is None:
        return None
    from dialoogkit.output.sheets import measure_sheet_use, paper_title, suggest_format

    settings = check_options(options)
    use = measure_sheet_use(settings.card_format, settings.paper, options.gutter_mm, options.duplex)
    if pages is None:
        from pypdf import PdfReader

        pages = len(PdfReader(sheets_pdf).pages)
    # double-sided, and single-sided with the stack fed again for the backs: two pages a sheet
    sheets = pages // 2 if options.duplex in ("long-edge", "short-edge", "none") else pages
    better = suggest_format(settings.card_format, settings.paper, options.gutter_mm, options.duplex)
    return SheetSummary(use.per_sheet, sheets, paper_title(settings.paper), options.duplex,
                        settings.card_format.name, use.paper_use, better.card_format.name if better else None,
                        better.per_sheet if better else 0)


def describe_sheets(sheet: SheetSummary) -> list[str]:
    """The sheet summary in words (the current message language): cards per sheet and sheets to
    print, then the suggestion of a better format when there is one."""
    from dialoogkit.i18n import say

    def cards(n: int) -> str:
        return say("sheets.card_one" if n == 1 else "sheets.card_many")

    key = {"none": "sheets.summary_single", "fold": "sheets.summary_fold"}.get(sheet.duplex, "sheets.summary_duplex")
    lines = [say(key, per_sheet=sheet.per_sheet, cards=cards(sheet.per_sheet), paper=sheet.paper, sheets=sheet.sheets,
                 sheet_word=say("sheets.sheet_one" if sheet.sheets == 1 else "sheets.sheet_many"))]
    if sheet.better is not None:
        lines.append(say("sheets.suggestion", format=sheet.card_format, use=round(100 * sheet.paper_use),
                         paper=sheet.paper, better=sheet.better, per_sheet=sheet.better_per_sheet,
                         cards=cards(sheet.better_per_sheet)))
    return lines
