"""The front of a card: band, pillar, statement (large, bold), explanation and footer.

In: ``CardContent`` and the card's ``CardGeometry``.
Out: a ``Face`` whose text all lies in the safe zone, plus an ``Overflow`` (with the located texts)
for every box whose text does not fit even at the smallest allowed sizes.
"""

from __future__ import annotations

from dialoogkit.generator.band import compose_band
from dialoogkit.generator.colours import BODY, INK, MUTED, RULE, Colour, accent_on_white
from dialoogkit.generator.content import CardContent
from dialoogkit.generator.display import Face, Picture, Rule, Text, image_aspect
from dialoogkit.layouts.units import Box
from dialoogkit.generator.fonts import BOLD, REGULAR, SEMIBOLD
from dialoogkit.generator.located import Overflow, overflow
from dialoogkit.generator.textfit import Run, fit_stack, lines_height
from dialoogkit.layouts.card import CardGeometry

SMALL_FLOOR = 7.0
PILLAR_LINES = 2


def compose_front(card: CardContent, geo: CardGeometry) -> tuple[Face, list[Overflow]]:
    """Lay out the front; statement and explanation shrink together until they fit."""
    scale = geo.scale
    items, band_overflow = compose_band(card, geo, card.theme_label.text)
    overflows: list[Overflow] = [overflow(band_overflow, card.theme_label)] if band_overflow > 0 else []
    accent = accent_on_white(Colour.from_hex(card.theme_colour))
    body = geo.body

    pillar_fit = fit_stack([([[Run(card.pillar_label.text, SEMIBOLD)]], scale.label_pt, SMALL_FLOOR)], body.width,
                           lines_height(scale.label_pt, PILLAR_LINES), [], card.language)
    pillar = pillar_fit.blocks[0]
    if not pillar_fit.fits:
        overflows.append(overflow(pillar_fit.overflow, card.pillar_label))
    items.append(Text(pillar, body.x, body.top, accent, name="pillar"))

    logo_height = lines_height(scale.small_pt, 2)
    logo_width = 0.0
    if card.logo:
        logo_width = min(body.width * 0.35, logo_height * image_aspect(card.logo))
        logo_height = logo_width / image_aspect(card.logo)
        items.append(Picture(card.logo, Box(body.right - logo_width, body.y, logo_width, logo_height)))
    text_width = body.width - (logo_width + geo.gap if logo_width else 0.0)
    footer_fit = fit_stack([([[Run(card.footer.text, REGULAR)]], scale.small_pt, SMALL_FLOOR)], text_width,
                           lines_height(scale.small_pt, 2), [], card.language)
    footer = footer_fit.blocks[0]
    if not footer_fit.fits:
        overflows.append(overflow(footer_fit.overflow, card.footer))
    footer_top = body.y + max(footer.height, logo_height if logo_width else 0.0)
    items.append(Rule(body.x, footer_top + geo.gap * 0.6, body.right, footer_top + geo.gap * 0.6, RULE, 0.4))
    items.append(Text(footer, body.x, body.y + footer.height, MUTED, name="footer"))

    top = body.top - pillar.height - geo.gap
    bottom = footer_top + geo.gap * 1.4
    gap = geo.gap * 1.6
    fit = fit_stack(
        [([[Run(card.statement.text, BOLD)]], scale.statement_pt, scale.statement_min_pt),
         ([[Run(card.explanation.text, REGULAR)]], scale.body_pt, scale.body_min_pt)],
        body.width, top - bottom, [gap], card.language,
    )
    statement, explanation = fit.blocks
    if not fit.fits:
        alone = statement.height - (top - bottom)
        overflows.append(overflow(alone, card.statement) if alone > 0 else overflow(fit.overflow, card.explanation))
    items.append(Text(statement, body.x, top, INK, name="statement"))
    rule_y = top - statement.height - gap / 2
    items.append(Rule(body.x, rule_y, body.x + min(body.width, 16 * 2.835), rule_y, accent, 1.2))
    items.append(Text(explanation, body.x, top - statement.height - gap, BODY, name="explanation"))
    return Face(geo.width, geo.height, tuple(items)), overflows

