"""The contacts card: an extra card with the deck's local contacts (wijkteam, meldpunt, …).

In: the deck's contacts, the card geometry and labels.
Out: a front (names, roles, phone numbers, e-mail and web addresses) and a back (a QR code per
contact with a web address, with its name and short URL), plus overflows ``(field, points)``.
"""

from __future__ import annotations

from dialoogkit.cards.labels import Labels
from dialoogkit.cards.models import Contact, Deck
from dialoogkit.generator.band import compose_band
from dialoogkit.generator.colours import INK, MUTED
from dialoogkit.generator.content import CardContent, deck_footer, publication_credit, short_url
from dialoogkit.generator.display import Face, Qr, Text
from dialoogkit.generator.fonts import BOLD, REGULAR, SEMIBOLD
from dialoogkit.generator.front import SMALL_FLOOR, Overflow
from dialoogkit.generator.qr import QUIET_MODULES, make_symbol
from dialoogkit.generator.textfit import Run, fit_stack, set_text
from dialoogkit.layouts.card import CardGeometry
from dialoogkit.layouts.units import Box

NEUTRAL_HEX = "#2B3A42"


def contact_card(deck: Deck, labels: Labels) -> CardContent:
    """Band and footer facts for the contacts card (it carries no lesson)."""
    total = len(deck.lessons)
    return CardContent(
        lesson_id="contacts", number=total + 1, total=total, language=deck.language,
        theme_label=labels["contacts"], theme_colour=NEUTRAL_HEX, theme_icon="chat", pillar_label="",
        statement="", explanation="", questions=(), source=None, footer=deck_footer(deck),
        credit=publication_credit(deck, labels), labels=labels,
    )


def _lines(contact: Contact) -> str:
    parts = [contact.role, contact.phone, contact.email, short_url(contact.url) if contact.url else None]
    return "\n".join(p for p in parts if p)


def compose_contacts(deck: Deck, geo: CardGeometry, labels: Labels) -> tuple[Face, Face, list[Overflow]]:
    """Front and back of the contacts card."""
    card = contact_card(deck, labels)
    scale = geo.scale
    overflows: list[Overflow] = []
    front, _ = compose_band(card, geo, labels["contacts"])
    front = [item for item in front if getattr(item, "name", "") != "number"]
    back, _ = compose_band(card, geo, labels["contacts"])
    back = [item for item in back if getattr(item, "name", "") != "number"]
    full = geo.body
    height = 0.0
    for items, text in ((front, card.footer), (back, card.credit)):
        block = set_text([[Run(text, REGULAR)]], SMALL_FLOOR, full.width, deck.language)
        items.append(Text(block, full.x, full.y + block.height, MUTED, name="footer"))
        height = max(height, block.height)
    body = Box(full.x, full.y + height + geo.gap, full.width, full.height - height - geo.gap)
    fields = [([[Run(labels["contacts_hint"], SEMIBOLD)]], scale.label_pt, SMALL_FLOOR)]
    for contact in deck.contacts:
        paragraphs = [[Run(contact.name, BOLD)]]
        if _lines(contact):
            paragraphs.append([Run(_lines(contact), REGULAR)])
        fields.append((paragraphs, scale.body_pt, scale.body_min_pt))
    gap = scale.body_pt * 0.7
    fit = fit_stack(fields, body.width, body.height, [gap] * len(fields), deck.language)
    if not fit.fits:
        overflows.append(("contacts", fit.overflow))
    y = body.top
    for index, block in enumerate(fit.blocks):
        front.append(Text(block, body.x, y, MUTED if index == 0 else INK,
                          name="contacts-hint" if index == 0 else f"contact-{index}"))
        y -= block.height + gap
    y = body.top
    for index, contact in enumerate(c for c in deck.contacts if c.url):
        symbol = make_symbol(contact.url)
        module = symbol.module_size(geo.qr_min_symbol, geo.qr_min_module)
        quiet = QUIET_MODULES * module
        size = symbol.modules * module
        if y - size - 2 * quiet < body.y:
            overflows.append(("contacts", body.y - (y - size - 2 * quiet)))
            break
        back.append(Qr(symbol, body.x, y - quiet - size, module))
        column_x = body.x + size + quiet + geo.gap * 0.5
        info = fit_stack([([[Run(contact.name, SEMIBOLD)]], scale.small_pt, SMALL_FLOOR),
                          ([[Run(short_url(contact.url), REGULAR)]], scale.small_pt, SMALL_FLOOR)],
                         body.right - column_x, size, [geo.gap * 0.3], deck.language)
        if not info.fits:
            overflows.append((f"contacts[{index + 1}].name", info.overflow))
        back.append(Text(info.blocks[0], column_x, y - quiet, INK, name=f"contact-name-{index + 1}"))
        back.append(Text(info.blocks[1], column_x, y - quiet - info.blocks[0].height - geo.gap * 0.3, MUTED,
                         name=f"contact-url-{index + 1}"))
        y -= size + 2 * quiet + geo.gap
    return Face(geo.width, geo.height, tuple(front)), Face(geo.width, geo.height, tuple(back)), overflows
