"""The dot votes of a session as a heat map: lessons (rows) × partners (columns), readable in
black and white.

In: validated results, their deck, the width to fill (points) and the report words.
Out: a ``HeatMap``: the ``Face`` to draw (a display list, vector in the report and rendered to
``stippen.png``), its ``cells`` as numbers (row, lesson, partner, vote, and the vote of the
previous session), so tests and callers read the values from the plan, and ``table()``, the same
map as rows of text (for the report's editable .docx). Each cell shows its number; its shade is
one of ``VOTE_MAX`` grey steps on the black plate only (darker is higher), with white figures on
the dark steps. An empty cell (no dot) is white with a dash. When the results hold the previous
session's dots (``previous:``), each cell of a lesson that had dots then also says what it was
("was 2") and a last column
gives how the lesson's total moved ("+3", "−1", "0"; "nieuw" when it had no dots last time).
A legend of the steps sits under the table.
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
WAS_SIZE = 7.5


@dataclass(frozen=True)
class HeatCell:
    """One cell: the lesson's row (0-based) and deck number, the partner, the vote (None: no dot)
    and the vote of the previous session (None: no dot then, or no previous session)."""

    row: int
    lesson: str
    number: int
    partner: str
    value: int | None
    box: Box
    shade: Colour
    before: int | None = None


@dataclass(frozen=True)
class HeatMap:
    face: Face
    cells: tuple[HeatCell, ...]
    heads: tuple[str, ...] = ()  # the corner, the partners' labels (and the change column)
    labels: tuple[str, ...] = ()  # per row: number and statement
    changes: tuple[str, ...] = ()  # per row: how its total moved (only after a previous session)
    compared: bool = False  # whether the previous session's dots are shown

    def values(self) -> dict[tuple[str, str], int | None]:
        """``(lesson id, partner id) → vote`` of every cell."""
        return {(cell.lesson, cell.partner): cell.value for cell in self.cells}

    def table(self, words: dict[str, str]) -> list[list[tuple[str, int | None]]]:
        """The map as rows of ``(text, vote)`` cells (vote None for a label), the heads first."""
        rows: list[list[tuple[str, int | None]]] = [[(head, None) for head in self.heads]]
        for row, label in enumerate(self.labels):
            cells = [cell for cell in self.cells if cell.row == row]
            had = any(cell.before is not None for cell in cells)
            line = [(label, None)] + [(cell_text(cell, words, self.compared and had), cell.value) for cell in cells]
            rows.append(line + ([(self.changes[row], None)] if self.compared else []))
        return rows


def cell_text(cell: HeatCell, words: dict[str, str], compared: bool) -> str:
    """The figure of a cell, and what it was when the map compares (and the lesson had dots then)."""
    text = str(cell.value) if cell.value is not None else DASH
    if compared:
        text += " " + was_text(cell.before, words)
    return text


def was_text(before: int | None, words: dict[str, str]) -> str:
    return words["heat_was"].format(value=before if before is not None else DASH)


def total_change(now: list[int | None], before: list[int | None], words: dict[str, str]) -> str:
    """How the total of a lesson's dots moved: ``+3``, ``−1``, ``0``, or new."""
    if not any(v is not None for v in before):
        return words["heat_new"] if any(v is not None for v in now) else DASH
    change = sum(v or 0 for v in now) - sum(v or 0 for v in before)
    return f"+{change}" if change > 0 else f"−{-change}" if change < 0 else "0"


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
    earlier = results.previous.votes if results.previous is not None else None
    compared = earlier is not None
    label_w = width * (0.40 if compared else 0.46)
    change_w = width * 0.09 if compared else 0.0
    cell_w = (width - label_w - change_w) / max(1, len(partners))
    head_texts = [words["heat_lesson"], *(audience.label for _, audience in partners)]
    head_texts += [words["heat_change"]] if compared else []
    heads = [_block(text, (change_w if compared and i == len(head_texts) - 1 else cell_w) - 2 * PAD, language,
                    SEMIBOLD, hyphenate=False) for i, text in enumerate(head_texts[1:], 1)]
    head_h = max([ROW_MIN] + [block.height + 2 * PAD for block in heads])
    label_texts = [f"{numbers[lesson.id]}  {' '.join(statements[lesson.id].split())}" for lesson in results.lessons]
    labels = [_block(text, label_w - 2 * PAD, language, REGULAR, f"{numbers[lesson.id]}  ")
              for text, lesson in zip(label_texts, results.lessons)]
    row_min = ROW_MIN + (mm(3) if compared else 0)
    rows = [max(row_min, block.height + 2 * PAD) for block in labels]
    changes = tuple(total_change([lesson.votes.get(p) for p, _ in partners],
                                 [(earlier or {}).get(lesson.id, {}).get(p) for p, _ in partners], words)
                    for lesson in results.lessons) if compared else ()
    legend_h = mm(12)
    height = head_h + sum(rows) + legend_h
    items: list[Item] = []
    cells: list[HeatCell] = []
    top = height
    corner = _block(words["heat_lesson"], label_w - 2 * PAD, language, SEMIBOLD)
    items.append(Text(corner, PAD, top - (head_h - corner.height) / 2, INK, name="head"))
    for column, block in enumerate(heads):
        x, w = label_w + column * cell_w, cell_w if column < len(partners) else change_w
        items.append(Text(block, x + (w - block.width) / 2, top - (head_h - block.height) / 2, INK, name="head"))
    top -= head_h
    items.append(Rule(0, top, width, top, INK, 0.8))
    for row, (lesson, block, row_h) in enumerate(zip(results.lessons, labels, rows)):
        items.append(Text(block, PAD, top - (row_h - block.height) / 2, INK, name="label"))
        for column, (partner, _) in enumerate(partners):
            value = lesson.votes.get(partner)
            before = (earlier or {}).get(lesson.id, {}).get(partner)
            box = Box(label_w + column * cell_w, top - row_h, cell_w, row_h)
            cells.append(HeatCell(row, lesson.id, numbers[lesson.id], partner, value, box, shade_of(value), before))
            items.append(Frame(Box(box.x + 1, box.y + 1, box.width - 2, box.height - 2), None, shade_of(value),
                               name="cell"))
            figure = str(value) if value is not None else DASH
            if compared and (earlier or {}).get(lesson.id):
                upper = Box(box.x, box.y + box.height * 0.38, box.width, box.height * 0.62)
                lower = Box(box.x, box.y, box.width, box.height * 0.45)
                items.append(_centred(figure, upper, figure_colour(value), language))
                items.append(_centred(was_text(before, words), lower, figure_colour(value), language, WAS_SIZE,
                                      REGULAR))
            else:
                items.append(_centred(figure, box, figure_colour(value), language))
        if compared:
            box = Box(label_w + len(partners) * cell_w, top - row_h, change_w, row_h)
            items.append(_centred(changes[row], box, INK, language, NUMBER_SIZE - 1))
        top -= row_h
        items.append(Rule(0, top, width, top, LINE, 0.5))
    items += _legend(words, width, legend_h, language)
    return HeatMap(Face(width, height, tuple(items)), tuple(cells), tuple(head_texts), tuple(label_texts), changes,
                   compared)


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


def _centred(text: str, box: Box, colour: Colour, language: str, size: float = NUMBER_SIZE, font: str = BOLD) -> Text:
    block = set_text([[Run(text, font, hyphenate=False)]], size, box.width, language)
    return Text(block, box.x + (box.width - block.width) / 2, box.y + (box.height + block.height) / 2, colour,
                name="figure")
