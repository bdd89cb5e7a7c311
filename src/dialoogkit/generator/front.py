"""The front of a card: band, pillar, statement (large, bold), explanation and footer.

In: ``CardContent`` and the card's ``CardGeometry``.
Out: a ``Face`` whose text all lies in the safe zone, plus an ``Overflow`` (with the located texts)
for every box whose text does not fit even at the smallest allowed sizes.

The composition is the same on every format and profile, made to be read from across a table:
the statement at the top in the largest size that fits (never hyphenated, its lines balanced),
the explanation anchored above the footer, and the room between them holding the theme's icon
large, in a light shade of the theme colour, as the card's picture. Statement and explanation
grow up to the type scale's maxima and shrink down to its floors together, and never come out
smaller than their regular sizes when those fit. A deck with a ``companion`` has the statement
in the second language right below the statement, smaller (``bilingual``), fitted in the same
stack; the explanation is printed in the deck's language only.
"""

from __future__ import annotations

from dialoogkit.generator.band import compose_band
from dialoogkit.generator.bilingual import GAP_SHARE, STATEMENT_SHARE, companion_runs, companion_sizes, companion_text
from dialoogkit.generator.colours import BODY, INK, MUTED, RULE, Colour, accent_on_white, tint
from dialoogkit.generator.content import CardContent
from dialoogkit.generator.display import Face, Icon, Item, Picture, Rule, Text
from dialoogkit.generator.pictures import image_aspect
from dialoogkit.generator.fonts import BOLD, REGULAR, SEMIBOLD
from dialoogkit.generator.located import Overflow, overflow
from dialoogkit.generator.linebalance import balance
from dialoogkit.generator.textfit import Run, fit_stack, grow, lines_height
from dialoogkit.layouts.card import CardGeometry
from dialoogkit.layouts.units import Box

SMALL_FLOOR = 7.0
PILLAR_LINES = 2
LOGO_WIDTH_SHARE = 0.4  # a logo takes at most this share of the footer's width
PICTURE_SHADE = 0.22  # the picture's colour: this share of the theme colour, the rest white
PICTURE_LARGEST = 0.36  # the picture is at most this share of the body's width wide
PICTURE_SMALLEST = 0.14  # below this share of the body's width there is no picture


def compose_front(card: CardContent, geo: CardGeometry) -> tuple[Face, list[Overflow]]:
    """Lay out the front; statement and explanation take the largest sizes that fit together."""
    scale = geo.scale
    items, band_overflow = compose_band(card, geo, card.theme_label.text)
    overflows: list[Overflow] = [overflow(band_overflow, card.theme_label)] if band_overflow > 0 else []
    colour = Colour.from_hex(card.theme_colour, card.theme_cmyk, card.theme_cmyk_for)
    accent = accent_on_white(colour)
    body = geo.body

    pillar_fit = fit_stack([([[Run(card.pillar_label.text, SEMIBOLD, hyphenate=False)]], scale.label_pt, SMALL_FLOOR)],
                           body.width, lines_height(scale.label_pt, PILLAR_LINES), [], card.language)
    pillar = pillar_fit.blocks[0]
    if not pillar_fit.fits:
        overflows.append(overflow(pillar_fit.overflow, card.pillar_label))
    items.append(Text(pillar, body.x, body.top, accent, name="pillar"))
    footer_top = _add_footer(items, overflows, card, geo)

    top = body.top - pillar.height - geo.gap
    bottom = footer_top + geo.gap * 1.4
    gap = geo.gap * 1.6
    statement_text = [[Run(card.statement.text, BOLD, hyphenate=False)]]
    translation = card.companion_statement  # the statement in the companion's language, smaller, below it
    companion_sizes_ = companion_sizes(scale.statement_sizes, STATEMENT_SHARE, scale.body_min_pt)
    companion = [(companion_runs(translation, REGULAR), *companion_sizes_)] if translation else []
    gaps = [companion_sizes_[1] * GAP_SHARE] * len(companion) + [gap]
    fit = fit_stack([(statement_text, *scale.statement_sizes), *companion,
                     ([[Run(card.explanation.text, REGULAR)]], *scale.body_sizes)],
                    body.width, top - bottom, gaps, card.language)
    fit = grow(fit, 0, statement_text, scale.statement_max_pt, body.width, top - bottom, gaps, card.language)
    statement, *translated, explanation = fit.blocks
    statement = balance(statement_text, statement, body.width, card.language)
    if not fit.fits:
        alone = statement.height - (top - bottom)
        overflows.append(overflow(alone, card.statement) if alone > 0
                         else overflow(fit.overflow, card.explanation, *([translation] if translation else [])))
    items.append(Text(statement, body.x, top, INK, name="statement"))
    below = top - statement.height
    for block in translated:
        assert translation is not None and card.companion_language is not None
        block = balance(companion[0][0], block, body.width, card.companion_language)
        items.append(companion_text(block, card.companion_language, body.x, body.right, below - gaps[0], BODY,
                                    "companion-statement"))
        below -= gaps[0] + block.height
    rule_y = below - gap / 2
    items.append(Rule(body.x, rule_y, body.x + min(body.width, 16 * 2.835), rule_y, accent, 1.2))
    explanation_top = min(below - gap, bottom + explanation.height)
    _add_picture(items, card.theme_icon, tint(colour, PICTURE_SHADE), body, rule_y - geo.gap, explanation_top + geo.gap)
    items.append(Text(explanation, body.x, explanation_top, BODY, name="explanation"))
    return Face(geo.width, geo.height, tuple(items)), overflows


def _add_footer(items: list[Item], overflows: list[Overflow], card: CardContent, geo: CardGeometry) -> float:
    """Deck title (and region) at the bottom left, the logo at the bottom right, a rule above;
    returns the top of the footer."""
    scale, body = geo.scale, geo.body
    logo_height = lines_height(scale.small_pt, 2)
    logo_width = 0.0
    if card.logo:
        aspect = image_aspect(card.logo)
        logo_width = min(body.width * LOGO_WIDTH_SHARE, geo.logo_height * aspect)
        logo_height = logo_width / aspect
        items.append(Picture(card.logo, Box(body.right - logo_width, body.y, logo_width, logo_height)))
    text_width = body.width - (logo_width + geo.gap if logo_width else 0.0)
    footer_fit = fit_stack([([[Run(card.footer.text, REGULAR, hyphenate=False)]], scale.small_pt, SMALL_FLOOR)],
                           text_width, lines_height(scale.small_pt, 2), [], card.language)
    footer = footer_fit.blocks[0]
    if not footer_fit.fits:
        overflows.append(overflow(footer_fit.overflow, card.footer))
    footer_top = body.y + max(footer.height, logo_height if logo_width else 0.0)
    items.append(Rule(body.x, footer_top + geo.gap * 0.6, body.right, footer_top + geo.gap * 0.6, RULE, 0.4))
    items.append(Text(footer, body.x, body.y + footer.height, MUTED, name="footer"))
    return footer_top


def _add_picture(items: list[Item], icon: str, colour: Colour, body: Box, top: float, bottom: float) -> None:
    """The theme icon as large as the room between ``top`` and ``bottom`` allows, centred in that
    room; none when the room is too small."""
    size = min(body.width * PICTURE_LARGEST, top - bottom)
    if size < body.width * PICTURE_SMALLEST:
        return
    y = (top + bottom - size) / 2
    items.append(Icon(icon, Box(body.x + (body.width - size) / 2, y, size, size), colour))
