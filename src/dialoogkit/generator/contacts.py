"""The contacts card: an extra card with the deck's local contacts (wijkteam, meldpunt, …).

In: the deck's contacts, the card geometry and labels.
Out: a front (names, never hyphenated; roles, phone numbers, e-mail and web addresses) and a
back (a QR code per contact with a web address, with its name and short URL), plus an
``Overflow`` per box that does
not fit and a ``QrMisfit`` per address whose QR code has no room; every text is ``Located`` at
its ``contacts[n]`` field.
"""

from __future__ import annotations

from dialoogkit.cards.labels import Labels
from dialoogkit.cards.models import Deck
from dialoogkit.generator.band import compose_band
from dialoogkit.generator.colours import INK, MUTED
from dialoogkit.generator.content import CardContent, footer_text, own_credit_text, short_url
from dialoogkit.generator.display import Face, Item, Qr, Text
from dialoogkit.generator.fonts import BOLD, REGULAR, SEMIBOLD
from dialoogkit.generator.front import SMALL_FLOOR
from dialoogkit.generator.located import Located, Overflow, QrMisfit, fixed, joined, overflow, written
from dialoogkit.generator.qr import QUIET_MODULES, QrTooLong, make_symbol
from dialoogkit.generator.textfit import Run, fit_stack, set_text
from dialoogkit.layouts.card import CardGeometry
from dialoogkit.layouts.units import Box

NEUTRAL_HEX = "#2B3A42"


def contact_card(deck: Deck, labels: Labels) -> CardContent:
    """Band and footer facts for the contacts card (it carries no lesson)."""
    total = len(deck.lessons)
    return CardContent(
        lesson_id="contacts", number=total + 1, total=total, language=deck.language,
        theme_label=fixed(labels["contacts"]), theme_colour=NEUTRAL_HEX, theme_icon="chat", pillar_label=fixed(""),
        statement=fixed(""), explanation=fixed(""), questions=(), source=None, footer=footer_text(deck),
        credit=own_credit_text(deck, labels), labels=labels,
    )


def contact_details(deck: Deck, index: int) -> Located | None:
    """Role, phone, e-mail and short web address of a contact, one per line (None if it has none)."""
    contact = deck.contacts[index]
    lines = [written(text, "contacts", index, field) for field, text in
             (("role", contact.role), ("phone", contact.phone), ("email", contact.email)) if text]
    if contact.url:
        lines.append(written(short_url(contact.url), "contacts", index, "url"))
    if not lines:
        return None
    pieces: list[Located | str] = []
    for line in lines:
        pieces += ["\n", line] if pieces else [line]
    return joined(*pieces)


def compose_contacts(deck: Deck, geo: CardGeometry,
                     labels: Labels) -> tuple[Face, Face, list[Overflow], list[QrMisfit]]:
    """Front and back of the contacts card, what does not fit and which QR codes have no room."""
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
        block = set_text([[Run(text.text, REGULAR, hyphenate=False)]], SMALL_FLOOR, full.width, deck.language)
        items.append(Text(block, full.x, full.y + block.height, MUTED, name="footer"))
        height = max(height, block.height)
    body = Box(full.x, full.y + height + geo.gap, full.width, full.height - height - geo.gap)
    fields = [([[Run(labels["contacts_hint"], SEMIBOLD, hyphenate=False)]], scale.label_pt, SMALL_FLOOR)]
    blocks: list[Located] = []
    for index, contact in enumerate(deck.contacts):
        paragraphs = [[Run(contact.name, BOLD, hyphenate=False)]]
        details = contact_details(deck, index)
        name = written(contact.name, "contacts", index, "name")
        blocks.append(joined(name, "\n", details) if details else name)
        if details:
            paragraphs.append([Run(details.text, REGULAR)])
        fields.append((paragraphs, *scale.body_sizes))
    gap = scale.body_pt * 0.7
    fit = fit_stack(fields, body.width, body.height, [gap] * len(fields), deck.language)
    if not fit.fits:
        overflows.append(overflow(fit.overflow, *blocks, what="contacts"))
    y = body.top
    for index, block in enumerate(fit.blocks):
        front.append(Text(block, body.x, y, MUTED if index == 0 else INK,
                          name="contacts-hint" if index == 0 else f"contact-{index}"))
        y -= block.height + gap
    misfits = _add_codes(back, deck, geo, body, overflows)
    return Face(geo.width, geo.height, tuple(front)), Face(geo.width, geo.height, tuple(back)), overflows, misfits


def _add_codes(back: list[Item], deck: Deck, geo: CardGeometry, body: Box, overflows: list[Overflow]) -> list[QrMisfit]:
    """A QR code per contact with a web address, stacked down the back, with name and short URL."""
    scale = geo.scale
    misfits: list[QrMisfit] = []
    y = body.top
    room = min(geo.qr_max_total, body.height)
    for index, contact in enumerate(deck.contacts):
        if not contact.url:
            continue
        url = written(contact.url, "contacts", index, "url")
        try:
            symbol = make_symbol(contact.url)
        except QrTooLong:
            misfits.append(QrMisfit(url, None, room))
            continue
        module = symbol.module_size(geo.qr_min_symbol, geo.qr_min_module)
        quiet = QUIET_MODULES * module
        size = symbol.modules * module
        if symbol.total_size(module) > room:
            misfits.append(QrMisfit(url, symbol.total_size(module), room))
            continue
        if y - size - 2 * quiet < body.y:
            later = [written(c.url, "contacts", i, "url") for i, c in enumerate(deck.contacts) if c.url and i >= index]
            overflows.append(overflow(body.y - (y - size - 2 * quiet), *later, what="contact_codes"))
            break
        back.append(Qr(symbol, body.x, y - quiet - size, module))
        column_x = body.x + size + quiet + geo.gap * 0.5
        name = written(contact.name, "contacts", index, "name")
        short = written(short_url(contact.url), "contacts", index, "url")
        info = fit_stack([([[Run(name.text, SEMIBOLD, hyphenate=False)]], scale.small_pt, SMALL_FLOOR),
                          ([[Run(short.text, REGULAR)]], scale.small_pt, SMALL_FLOOR)],
                         body.right - column_x, size, [geo.gap * 0.3], deck.language)
        if not info.fits:
            overflows.append(overflow(info.overflow, name, short, what="contact_name"))
        back.append(Text(info.blocks[0], column_x, y - quiet, INK, name=f"contact-name-{index + 1}"))
        back.append(Text(info.blocks[1], column_x, y - quiet - info.blocks[0].height - geo.gap * 0.3, MUTED,
                         name=f"contact-url-{index + 1}"))
        y -= size + 2 * quiet + geo.gap
    return misfits
