"""The dot votes of a session as a heat map: lessons (rows) × partners (columns), readable in
black and white.

In: validated results, their deck, the width to fill (points) and the report words.
Out: a ``HeatMap``: the ``Face`` to draw (a display list, vector in the report and rendered to
``stippen.png``) and its ``cells`` as numbers (row, lesson, partner, vote), so tests and callers
read the values from the plan. Each cell shows its number; its shade is one of ``VOTE_MAX`` grey
steps on the black plate only (darker is higher), with white figures on the dark steps. An empty
cell (no dot) is white with a dash. A legend of the steps sits under the table.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialoogkit.cards.models import Deck
from dialoogkit.cards.results.model import VOTE_MAX, Results
from dialoogkit.generator.colours import INK, LINE, MUTED, WHITE, Colour
from dialoogkit.generator.display import Face, Frame, Item, Rule, Text
from dialoogkit.generator.fonts import BOLD, REGULAR, SEMIBOLD, register_fonts
from dialoogkit.generator.textfit import Run, TextBlock, set_text
from dialoogkit.layouts.units import Box, mm

SHADES = (0.92, 0.78, 0.60, 0.40, 0.18)  # grey levels (1 = white) of votes 1..VOTE_MAX
assert len(SHADES) == VOTE_MAX
DASH = "–"
LABEL_SIZE = 9.0
NUMBER_SIZE = 12.0
PAD = mm(1.6)
ROW_MIN = mm(9)


@dataclass(frozen=True)
class HeatCell:
    """One cell: the lesson's row (0-based) and deck number, the partner, the vote (None: no dot)."""

    row: int
    lesson: str
    number: int
    partner: str
    value: int | None
    box: Box
    shade: Colour


@dataclass(frozen=True)
class HeatMap:
    face: Face
    cells: tuple[HeatCell, ...]

    def values(self) -> dict[tuple[str, str], int | None]:
        """``(lesson id, partner id) → vote`` of every cell."""
        return {(cell.lesson, cell.partner): cell.value for cell in self.cells}


def shade_of(value: int | None) -> Colour:
    """The grey of a vote (white for no dot)."""
    if value is None:
        return WHITE
    level = SHADES[value - 1]
    return Colour(level, level, level)


def figure_colour(value: int | None) -> Colour:
    """White figures on the two darkest steps, ink elsewhere, muted for the dash."""
    if value is None:
        return MUTED
    return WHITE if SHADES[value - 1] < 0.5 else INK


def plan_heatmap(results: Results, deck: Deck, width: float, words: dict[str, str]) -> HeatMap:
    """The heat map of ``results`` (see module docstring), ``width`` points wide."""
    register_fonts()
    language = deck.language
    numbers = {lesson.id: i + 1 for i, lesson in enumerate(deck.lessons)}
    statements = {lesson.id: lesson.statement for lesson in deck.lessons}
    partners = list(deck.audiences.items())
    label_w = width * 0.46
    cell_w = (width - label_w) / max(1, len(partners))
    heads = [_block(audience.label, cell_w - 2 * PAD, language, SEMIBOLD, hyphenate=False) for _, audience in partners]
    head_h = max([ROW_MIN] + [block.height + 2 * PAD for block in heads])
    labels = [_block(f"{numbers[lesson.id]}  {' '.join(statements[lesson.id].split())}", label_w - 2 * PAD,
                     language, REGULAR, f"{numbers[lesson.id]}  ") for lesson in results.lessons]
    rows = [max(ROW_MIN, block.height + 2 * PAD) for block in labels]
    legend_h = mm(12)
    height = head_h + sum(rows) + legend_h
    items: list[Item] = []
    cells: list[HeatCell] = []
    top = height
    corner = _block(words["heat_lesson"], label_w - 2 * PAD, language, SEMIBOLD)
    items.append(Text(corner, PAD, top - (head_h - corner.height) / 2, INK, name="head"))
    for column, block in enumerate(heads):
        x = label_w + column * cell_w
        items.append(Text(block, x + (cell_w - block.width) / 2, top - (head_h - block.height) / 2, INK, name="head"))
    top -= head_h
    items.append(Rule(0, top, width, top, INK, 0.8))
    for row, (lesson, block, row_h) in enumerate(zip(results.lessons, labels, rows)):
        items.append(Text(block, PAD, top - (row_h - block.height) / 2, INK, name="label"))
        for column, (partner, _) in enumerate(partners):
            value = lesson.votes.get(partner)
            box = Box(label_w + column * cell_w, top - row_h, cell_w, row_h)
            cells.append(HeatCell(row, lesson.id, numbers[lesson.id], partner, value, box, shade_of(value)))
            items.append(Frame(Box(box.x + 1, box.y + 1, box.width - 2, box.height - 2), None, shade_of(value),
                               name="cell"))
            items.append(_centred(str(value) if value is not None else DASH, box, figure_colour(value), language))
        top -= row_h
        items.append(Rule(0, top, width, top, LINE, 0.5))
    items += _legend(words, width, legend_h, language)
    return HeatMap(Face(width, height, tuple(items)), tuple(cells))


def _legend(words: dict[str, str], width: float, height: float, language: str) -> list[Item]:
    """The grey steps 1..VOTE_MAX with their numbers, and the dash for no dot."""
    size = mm(6)
    y = (height - size) / 2
    items: list[Item] = []
    x = width - (VOTE_MAX + 1) * (size + mm(1.5))
    for value in [*range(1, VOTE_MAX + 1), None]:
        box = Box(x, y, size, size)
        items.append(Frame(box, LINE if value is None else None, shade_of(value), line_width=0.4, name="legend"))
        items.append(_centred(str(value) if value is not None else DASH, box, figure_colour(value), language, 9.0))
        x += size + mm(1.5)
    return items


def _block(text: str, width: float, language: str, font: str, bold_prefix: str = "",
           hyphenate: bool = True) -> TextBlock:
    runs = [Run(bold_prefix, BOLD, hyphenate=False), Run(text[len(bold_prefix):], font)] if bold_prefix else \
        [Run(text, font, hyphenate)]
    return set_text([runs], LABEL_SIZE, width, language)


def _centred(text: str, box: Box, colour: Colour, language: str, size: float = NUMBER_SIZE) -> Text:
    block = set_text([[Run(text, BOLD, hyphenate=False)]], size, box.width, language)
    return Text(block, box.x + (box.width - block.width) / 2, box.y + (box.height + block.height) / 2, colour,
                name="figure")
