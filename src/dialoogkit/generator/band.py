"""The coloured band at the top of both card faces: icon, label and lesson number.

In: card content, the card geometry.
Out: display items for the band, or the overflow (points) when the label cannot fit one line (a
label is a headline: it shrinks, it is never hyphenated). White text reversed out of the band is
bold and never under ``REVERSED_MIN_PT`` (9 pt), so it prints clean when the plates shift.
For a right-to-left language the plan mirrors the face (``display.mirror_face``): the icon and label
move to the right, the number to the left.
"""

from __future__ import annotations

from dialoogkit.generator.colours import WHITE, Colour, text_on
from dialoogkit.generator.content import CardContent
from dialoogkit.generator.display import Area, Icon, Item, Text
from dialoogkit.generator.fonts import BOLD
from dialoogkit.generator.shaping import measure
from dialoogkit.generator.textfit import ASCENT, DESCENT, Run, set_text
from dialoogkit.layouts.card import BAND_LABEL_SHARE, REVERSED_MIN_PT, CardGeometry
from dialoogkit.layouts.units import Box


def compose_band(card: CardContent, geo: CardGeometry, label: str) -> tuple[list[Item], float]:
    """Band items with ``label`` at the left and ``number / total`` at the right."""
    colour = Colour.from_hex(card.theme_colour, card.theme_cmyk, card.theme_cmyk_for)
    ink = text_on(colour)
    area = geo.band_text
    reversed_out = ink == WHITE
    size = geo.scale.label_pt * BAND_LABEL_SHARE
    size = max(size, REVERSED_MIN_PT) if reversed_out else size
    number = f"{card.number} / {card.total}"
    number_block = set_text([[Run(number, BOLD)]], size, area.width, card.language)
    icon_size = min(area.height, size * 1.25)
    label_x = area.x + icon_size + size * 0.45
    room = area.right - label_x - number_block.width - size
    overflow = 0.0
    label_text = [[Run(label, BOLD, hyphenate=False)]]
    block = set_text(label_text, size, max(room, 1.0), card.language)
    floor = max(REVERSED_MIN_PT if reversed_out else 7.0, size * 0.7)
    while len(block.lines) > 1 and block.size > floor:
        block = set_text(label_text, max(floor, block.size - 0.25), max(room, 1.0), card.language)
    if len(block.lines) > 1:
        overflow = measure(label, BOLD, block.size) - room
    text_height = (ASCENT + DESCENT) * size
    top = area.y + (area.height + text_height) / 2
    items: list[Item] = [
        Area(geo.band, colour, (True, False, True, True)),
        Icon(card.theme_icon, _icon_box(area, icon_size), ink),
        Text(block, label_x, top - (size - block.size) * ASCENT / 2, ink, name="band"),
        Text(number_block, area.right, top, ink, align="right", name="number"),
    ]
    return items, overflow


def _icon_box(area: Box, size: float) -> Box:
    return Box(area.x, area.y + (area.height - size) / 2, size, size)
