"""The lesson canvas: one A3 poster per lesson to work on at the table.

In: a deck, the index of one of its lessons, and the label table.
Out: a ``Face`` in A3 points: header (theme icon and label, lesson number matching the card,
pillar), statement (and below it, smaller, the statement in the language of the deck's
``companion``) and explanation, the source's QR code (symbol ≥ 40 mm) with title and short
URL, the zones "Herkennen we dit?", "Zelf oppakken" and "Hoger niveau" (with the deck's example
action as a prompt, or an invitation to fill one in), and an agreements table; overflows name the
``Located`` deck text that does not fit.
"""

from __future__ import annotations

from dialoogkit.cards.companion import statement_path
from dialoogkit.cards.labels import Labels
from dialoogkit.cards.models import Deck
from dialoogkit.generator.bilingual import GAP_SHARE, STATEMENT_SHARE, companion_runs, companion_sizes, companion_text
from dialoogkit.generator.colours import BODY, INK, MUTED, LINE, Colour, accent_on_white
from dialoogkit.generator.content import footer_text, lesson_credit, url_to_fit
from dialoogkit.generator.display import Face, Frame, Qr, Rule, Text
from dialoogkit.generator.fonts import BOLD, REGULAR, SEMIBOLD
from dialoogkit.generator.located import fixed, joined, overflow, written
from dialoogkit.generator.posters.parts import Sheet, add_footer, add_header, add_zone, one_line_height
from dialoogkit.generator.qr import QUIET_MODULES, make_symbol
from dialoogkit.generator.linebalance import balance
from dialoogkit.generator.textfit import Run, fit_stack
from dialoogkit.layouts.posters import A3_HEIGHT, A3_WIDTH, QR_MIN_SYMBOL_MM, lesson_regions
from dialoogkit.layouts.units import Box, mm

STATEMENT_PT = (40.0, 20.0)
EXPLANATION_PT = (20.0, 12.0)
TABLE_ROWS = 4


def compose_lesson_canvas(deck: Deck, index: int, labels: Labels, logo: str | None = None) -> tuple[Face, list]:
    """Lay out the canvas of lesson ``index`` (0-based); returns the face and its ``Overflow`` list."""
    sheet = Sheet()
    language = deck.language
    lesson = deck.lessons[index]
    theme = deck.themes[lesson.theme]
    colour = Colour.from_hex(theme.colour, theme.cmyk, deck.cmyk_condition)
    pillar = deck.pillars[lesson.pillar]
    add_header(sheet, joined(written(theme.label, "themes", lesson.theme, "label"), f" · {labels['pillar']}: ",
                             written(pillar.label, "pillars", lesson.pillar, "label")),
               fixed(f"{labels['lesson']} {index + 1} / {len(deck.lessons)}"), colour, theme.icon, language)
    regions = lesson_regions(logo is not None)
    _add_text_column(sheet, deck, index, regions.text_column, colour, labels)
    add_zone(sheet, regions.recognise, "recognise", labels["recognise"], labels["recognise_hint"], None, language)
    for key, box in (("self", regions.self_zone), ("higher", regions.higher_zone)):
        action = lesson.actions.own if key == "self" else lesson.actions.higher
        prompt, label = ((written(action, "lessons", index, "actions", key), labels["example"] + " ") if action
                         else (fixed(labels["fill_in"]), ""))
        add_zone(sheet, box, key, labels[key], "", prompt, language, prompt_label=label)
    _add_agreements(sheet, regions.agreements, labels, language)
    add_footer(sheet, joined(footer_text(deck), " — ", lesson_credit(deck, index, labels)), language, logo)
    return Face(A3_WIDTH, A3_HEIGHT, tuple(sheet.items)), sheet.overflows


def _add_text_column(sheet: Sheet, deck: Deck, index: int, column: Box, colour: Colour, labels: Labels) -> None:
    language = deck.language
    lesson = deck.lessons[index]
    at = ("lessons", index)
    source = lesson.sources[0]
    symbol = make_symbol(source.url)
    module = symbol.module_size(mm(QR_MIN_SYMBOL_MM), mm(0.5))
    size = symbol.modules * module
    quiet = QUIET_MODULES * module
    qr_x, qr_y = column.x + quiet, column.y + quiet
    sheet.add(Qr(symbol, qr_x, qr_y, module))
    info_x = qr_x + size + quiet + mm(3)
    info = Box(info_x, qr_y, column.right - info_x, size)
    result = fit_stack(
        [([[Run(labels["scan_hint"], SEMIBOLD)]], 14.0, 10.0),
         ([[Run(source.title, REGULAR, hyphenate=False)]], 14.0, 10.0),
         ([[Run(url_to_fit(source.url, info.width, 12.0), REGULAR)]], 12.0, 9.0)],
        info.width, info.height, [mm(1.5), mm(1.5)], language)
    if not result.fits:
        sheet.overflows.append(overflow(result.overflow, written(source.title, *at, "sources", 0, "title")))
    y = info.top
    for block, name, ink in zip(result.blocks, ("source-label", "source-title", "source-url"),
                                (accent_on_white(colour), BODY, MUTED)):
        sheet.add(Text(block, info.x, y, ink, name=name))
        y -= block.height + mm(1.5)
    top_box = Box(column.x, column.y + size + 2 * quiet + mm(6), column.width,
                  column.top - (column.y + size + 2 * quiet + mm(6)))
    gap = mm(7)
    statement_text = [[Run(lesson.statement, BOLD, hyphenate=False)]]
    companion = deck.companion_texts  # the statement in the companion's language, smaller, below it
    translation = written(companion.lessons[index].statement, *statement_path(index)) if companion else None
    sizes = companion_sizes(STATEMENT_PT, STATEMENT_SHARE, EXPLANATION_PT[-1])
    fields = [(companion_runs(translation, REGULAR), *sizes)] if translation else []
    gaps = [sizes[0] * GAP_SHARE] * len(fields) + [gap]
    result = fit_stack([(statement_text, *STATEMENT_PT), *fields,
                        ([[Run(lesson.explanation, REGULAR)]], *EXPLANATION_PT)],
                       top_box.width, top_box.height, gaps, language)
    statement, *translated, explanation = result.blocks
    statement = balance(statement_text, statement, top_box.width, language)
    if not result.fits:
        alone = statement.height - top_box.height
        sheet.overflows.append(overflow(alone, written(lesson.statement, *at, "statement")) if alone > 0
                               else overflow(result.overflow, written(lesson.explanation, *at, "explanation"),
                                             *([translation] if translation else [])))
    sheet.add(Text(statement, top_box.x, top_box.top, INK, name="statement"))
    below = top_box.top - statement.height
    for block in translated:
        assert companion is not None
        block = balance(fields[0][0], block, top_box.width, companion.language)
        sheet.add(companion_text(block, companion.language, top_box.x, top_box.right, below - gaps[0], BODY,
                                 "companion-statement"))
        below -= gaps[0] + block.height
    rule_y = below - gap / 2
    sheet.add(Rule(top_box.x, rule_y, top_box.x + mm(30), rule_y, accent_on_white(colour), 2.0))
    sheet.add(Text(explanation, top_box.x, below - gap, BODY, name="explanation"))


def _add_agreements(sheet: Sheet, box: Box, labels: Labels, language: str) -> None:
    """Title "Afspraken" and a table Wie – Wat – Wanneer with empty rows to write in."""
    title_h = one_line_height(24.0) * 1.05
    sheet.fit("agreements.title", fixed(f"{labels['agreements']}: {labels['who']} – {labels['what']} – "
                                        f"{labels['when']}"),
              Box(box.x, box.top - title_h, box.width, title_h), 24.0, 18.0, language, INK, BOLD, hyphenate=False)
    table = Box(box.x, box.y, box.width, box.height - title_h - mm(2))
    sheet.add(Frame(table, LINE, None, line_width=1.0, name="zone:agreements"))
    widths = (0.25, 0.55, 0.20)
    head_h = one_line_height(14.0) + mm(3)
    row_h = (table.height - head_h) / TABLE_ROWS
    x = table.x
    for fraction, key in zip(widths, ("who", "what", "when")):
        width = table.width * fraction
        sheet.fit(f"agreements.{key}", fixed(labels[key]),
                  Box(x + mm(2), table.top - head_h + mm(1), width - mm(4), head_h - mm(2)), 14.0, 11.0, language,
                  MUTED, SEMIBOLD, hyphenate=False)
        if x > table.x:
            sheet.add(Rule(x, table.y, x, table.top, LINE, 0.6))
        x += width
    for row in range(TABLE_ROWS):
        y = table.top - head_h - row * row_h
        sheet.add(Rule(table.x, y, table.right, y, LINE, 0.6))
