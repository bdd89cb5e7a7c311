"""The back of a card: band with "Gespreksvragen", the questions with their audience, the source's
QR code with its title and short URL, and the credit to the publication. A deck with a
``companion`` has each question followed by its translation, smaller and muted (``bilingual``),
fitted in the same stack.

In: ``CardContent`` and the card's ``CardGeometry``.
Out: a ``Face`` plus an ``Overflow`` (with the located texts) per box that does not fit; a QR code
that cannot fit raises ``QrTooBig``.
"""

from __future__ import annotations

from dialoogkit.generator.band import compose_band
from dialoogkit.generator.bilingual import GAP_SHARE, QUESTION_SHARE, companion_runs, companion_sizes, companion_text
from dialoogkit.generator.colours import BODY, MUTED, Colour, accent_on_white
from dialoogkit.generator.content import CardContent, url_to_fit
from dialoogkit.generator.display import Face, Qr, Text
from dialoogkit.generator.fonts import REGULAR, SEMIBOLD
from dialoogkit.generator.front import SMALL_FLOOR
from dialoogkit.generator.located import Overflow, fixed, overflow
from dialoogkit.generator.qr import QUIET_MODULES, make_symbol
from dialoogkit.generator.textfit import Run, fit_stack, lines_height
from dialoogkit.layouts.card import CardGeometry
from dialoogkit.layouts.units import to_mm


QUESTION_SPREAD = 1.2  # room left over widens the space between questions up to this many body sizes


class QrTooBig(ValueError):
    """The source URL needs a larger QR code than the card can hold."""

    def __init__(self, needed: float, room: float):
        super().__init__(f"{to_mm(needed):.1f} mm > {to_mm(room):.1f} mm")
        self.needed = needed
        self.room = room


def compose_back(card: CardContent, geo: CardGeometry) -> tuple[Face, list[Overflow]]:
    """Lay out the back; the questions take the largest sizes that fit together above the QR row,
    and room left over sets them further apart."""
    assert card.source is not None and card.source_title is not None, "a lesson card always has a source"
    scale = geo.scale
    items, band_overflow = compose_band(card, geo, card.labels["questions"])
    overflows: list[Overflow] = [overflow(band_overflow, fixed(card.labels["questions"]))] if band_overflow > 0 else []
    accent = accent_on_white(Colour.from_hex(card.theme_colour, card.theme_cmyk, card.theme_cmyk_for))
    body = geo.body

    credit_fit = fit_stack([([[Run(card.credit.text, REGULAR, hyphenate=False)]], scale.small_pt, SMALL_FLOOR)], body.width,
                           lines_height(scale.small_pt, 3), [], card.language)
    credit = credit_fit.blocks[0]
    if not credit_fit.fits:
        overflows.append(overflow(credit_fit.overflow, card.credit))
    items.append(Text(credit, body.x, body.y + credit.height, MUTED, name="credit"))

    symbol = make_symbol(card.source.url)
    module = symbol.module_size(geo.qr_min_symbol, geo.qr_min_module)
    total = symbol.total_size(module)
    if total > geo.qr_max_total:
        raise QrTooBig(total, geo.qr_max_total)
    quiet = QUIET_MODULES * module
    row_bottom = body.y + credit.height + geo.gap
    symbol_size = symbol.modules * module
    items.append(Qr(symbol, body.x, row_bottom + quiet, module))

    column_x = body.x + symbol_size + quiet + geo.gap * 0.5
    column_w = body.right - column_x
    column_top = row_bottom + quiet + symbol_size
    url_text = url_to_fit(card.source.url, column_w, scale.small_pt)
    column = fit_stack(
        [([[Run(card.labels["source"], SEMIBOLD)]], scale.small_pt, SMALL_FLOOR),
         ([[Run(card.source_title.text, REGULAR, hyphenate=False)]], scale.small_pt, SMALL_FLOOR),
         ([[Run(url_text, REGULAR)]], scale.small_pt, SMALL_FLOOR)],
        column_w, symbol_size, [geo.gap * 0.2, geo.gap * 0.4], card.language,
    )
    if not column.fits:
        overflows.append(overflow(column.overflow, card.source_title))
    label, title, url = column.blocks
    y = column_top
    items.append(Text(label, column_x, y, accent, name="source-label"))
    y -= label.height + geo.gap * 0.2
    items.append(Text(title, column_x, y, BODY, name="source-title"))
    y -= title.height + geo.gap * 0.4
    items.append(Text(url, column_x, y, MUTED, name="source-url"))

    top = body.top
    bottom = row_bottom + total - quiet + geo.gap
    fields = [([[Run(q.audience.text + ":", SEMIBOLD, hyphenate=False), Run(q.text.text, REGULAR)]], *scale.body_sizes)
              for q in card.questions]
    translations = card.companion_questions  # each question followed by its translation, smaller and muted
    sizes = companion_sizes(scale.body_sizes, QUESTION_SHARE, scale.body_min_pt)
    if translations:
        fields = [field for pair in zip(fields, ((companion_runs(t, REGULAR), *sizes) for t in translations))
                  for field in pair]
    per = 2 if translations else 1
    spacing = scale.body_pt * 0.55
    gaps = [sizes[1] * GAP_SHARE if per == 2 and index % 2 == 0 else spacing for index in range(len(fields))]
    fit = fit_stack(fields, body.width, top - bottom, gaps, card.language)
    if not fit.fits:
        overflows.append(overflow(fit.overflow, *(q.printed for q in card.questions), *translations, what="questions"))
    free = top - bottom - sum(block.height for block in fit.blocks) - sum(gaps[: len(fit.blocks) - 1])
    count = len(fit.blocks) // per
    if fit.fits and count > 1:  # questions set apart, each a clear turn in the conversation
        spacing += min(free / count, scale.body_pt * QUESTION_SPREAD)
    y = top
    for index, block in enumerate(fit.blocks):
        if per == 2 and index % 2:
            assert card.companion_language is not None
            items.append(companion_text(block, card.companion_language, body.x, body.right, y, MUTED,
                                        f"companion-question-{index // 2 + 1}"))
            y -= block.height + spacing
        else:
            items.append(Text(block, body.x, y, BODY, name=f"question-{index // per + 1}"))
            y -= block.height + (gaps[index] if per == 2 else spacing)
    return Face(geo.width, geo.height, tuple(items)), overflows
