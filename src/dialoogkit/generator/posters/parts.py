"""Pieces shared by every canvas: header band, footer with credit, titled writing zones and
single-line text fitting.

In: ``Located`` texts (deck fields or fixed labels), colours and boxes in A3 points.
Out: display items, and an ``Overflow`` (naming the located text) for each text that cannot fit.
Headings, titles and names (deck title, region, credit) are never hyphenated: they shrink; the
deck's logo stands in the footer at least 25 mm high, in its own proportions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dialoogkit.generator.colours import BODY, INK, LINE, MUTED, RULE, Colour, text_on
from dialoogkit.generator.display import Frame, Icon, Item, Picture, Text
from dialoogkit.generator.pictures import image_aspect
from dialoogkit.generator.fonts import BOLD, ITALIC, REGULAR
from dialoogkit.generator.located import Located, Overflow, fixed, overflow
from dialoogkit.generator.linebalance import balance
from dialoogkit.generator.textfit import ASCENT, DESCENT, Run, fit_stack
from dialoogkit.layouts.posters import FOOTER_HEIGHT, LOGO_HEIGHT, content_area, footer_box, header_box
from dialoogkit.layouts.units import Box, mm

HEADING_PT = 28.0
ZONE_TITLE_PT = 24.0
HINT_PT = 14.0
FLOOR_PT = 10.0
NEUTRAL = Colour.from_hex("#2B3A42")

ZONE_FILL = Colour.from_hex("#F4F4F4")


@dataclass
class Sheet:
    """Items of one canvas being composed, what did not fit, and the area between its header and
    footer."""

    items: list[Item] = field(default_factory=list)
    overflows: list[Overflow] = field(default_factory=list)
    area: Box = field(default_factory=content_area)

    def add(self, *items: Item) -> None:
        self.items.extend(items)

    def fit(self, name: str, source: Located, box: Box, size: float, floor: float, language: str,
            colour: Colour = BODY, font: str = REGULAR, runs: list[Run] | None = None,
            hyphenate: bool = True) -> Text:
        """Fit one text into ``box`` (top-left aligned), shrinking to ``floor``; record an overflow
        of ``source``. ``runs`` sets the text in several fonts (default: ``source`` in ``font``,
        hyphenated unless ``hyphenate`` is false). Text that is not hyphenated has its lines
        balanced."""
        runs = runs if runs is not None else [Run(source.text, font, hyphenate)]
        result = fit_stack([([runs], size, floor)], box.width, box.height, [], language)
        if not result.fits:
            self.overflows.append(overflow(result.overflow, source))
        block = balance([runs], result.blocks[0], box.width, language)
        text = Text(block, box.x, box.top, colour, name=name)
        self.items.append(text)
        return text


def one_line_height(size: float) -> float:
    return (ASCENT + DESCENT) * size


def add_header(sheet: Sheet, title: Located, right: Located, colour: Colour, icon: str | None, language: str) -> None:
    """A rounded band inside the safe area with icon, title (≥ 24 pt) and a right-hand label."""
    box = header_box()
    ink = text_on(colour)
    sheet.add(Frame(box, None, colour, radius=mm(3), name="header"))
    pad = mm(7)
    x = box.x + pad
    if icon:
        size = mm(13)
        sheet.add(Icon(icon, Box(x, box.y + (box.height - size) / 2, size, size), ink))
        x += size + mm(5)
    inner = box.height - mm(4)
    right_text = [[Run(right.text, BOLD, hyphenate=False)]]
    fit = fit_stack([(right_text, 24.0, 12.0)], box.width / 3, inner, [], language)
    if not fit.fits:
        sheet.overflows.append(overflow(fit.overflow, right))
    right_block = balance(right_text, fit.blocks[0], box.width / 3, language)
    sheet.add(Text(right_block, box.right - pad, box.y + (box.height + right_block.height) / 2, ink,
                   align="right", name="header-right"))
    title_w = box.right - pad - right_block.width - mm(8) - x
    height = one_line_height(HEADING_PT)
    sheet.fit("header", title, Box(x, box.y + (box.height - height) / 2, title_w, height),
              HEADING_PT, 24.0, language, ink, BOLD, hyphenate=False)


def add_footer(sheet: Sheet, text: Located, language: str, logo: str | None = None) -> None:
    """Deck title, region and the credit to the publication, on one line at the bottom, with the
    deck's logo at the right when it has one (``LOGO_HEIGHT`` high, at most a fifth of the width)."""
    box = footer_box(logo is not None)
    sheet.add(Frame(Box(box.x, box.top - 0.4, box.width, 0.4), None, RULE, name="footer-rule"))
    width = box.width
    if logo:
        aspect = image_aspect(logo)
        logo_w = min(box.width * 0.2, LOGO_HEIGHT * aspect)
        sheet.add(Picture(logo, Box(box.right - logo_w, box.y, logo_w, logo_w / aspect)))
        width -= logo_w + mm(4)
    line = FOOTER_HEIGHT - mm(2)
    sheet.fit("footer", text, Box(box.x, box.y, width, line), 12.0, 9.0, language, MUTED, hyphenate=False)


def add_zone(sheet: Sheet, box: Box, name: str, title: str, hint: str, prompt: Located | None, language: str,
             prompt_label: str = "") -> Box:
    """A writing zone: outlined box with title, hint and an optional printed prompt; returns the
    free area left for sticky notes."""
    sheet.add(Frame(box, LINE, ZONE_FILL, line_width=1.0, radius=mm(3), name=f"zone:{name}"))
    inner = box.inset(mm(5))
    title_text = sheet.fit(f"{name}.title", fixed(title), Box(inner.x, inner.y, inner.width, one_line_height(ZONE_TITLE_PT) * 1.05).moved_to_top(inner.top),
                           ZONE_TITLE_PT, 20.0, language, INK, BOLD, hyphenate=False)
    y = inner.top - title_text.block.height - mm(2)
    if hint:
        hint_text = sheet.fit(f"{name}.hint", fixed(hint), Box(inner.x, y - one_line_height(HINT_PT) * 2.3, inner.width,
                                                        one_line_height(HINT_PT) * 2.3), HINT_PT, FLOOR_PT, language, MUTED)
        y -= hint_text.block.height + mm(2)
    if prompt:
        runs = ([Run(prompt_label, BOLD)] if prompt_label else []) + [Run(prompt.text, ITALIC)]
        limit = inner.height * 0.45
        prompt_text = sheet.fit(f"{name}.prompt", prompt, Box(inner.x, y - limit, inner.width, limit),
                                HINT_PT, FLOOR_PT, language, BODY, runs=runs)
        y -= prompt_text.block.height + mm(2)
    return Box(inner.x, inner.y, inner.width, y - inner.y)


