"""Check the guide's story against a page before it is laid out: what cannot be split over two
pages must fit on one.

In: the story's flowables (paragraphs made by ``located_para`` carry the ``Located`` text they
print as ``.located``), the room of the guide's frame and a ``Locator``.
Out: a ``Problem`` for every table row taller than a page (reportlab splits tables only between
rows, and would stop the layout with a LayoutError), located at the deck or guide field whose text
makes the row tall.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from reportlab.platypus import Flowable, KeepTogether, Table

from dialoogkit.errors import Problem
from dialoogkit.generator.blame import Locator
from dialoogkit.generator.located import Located
from dialoogkit.layouts.guidepage import room
from dialoogkit.layouts.units import to_mm
from dialoogkit.i18n import say

CELL_PADDING = 12.0  # left + right padding of a table cell (reportlab's default 6 pt each)


def find_page_problems(story: list, locator: Locator) -> list[Problem]:
    """Every table row of ``story`` that is taller than the guide's page."""
    width, height = room()
    problems = []
    for table in _tables(story):
        problems += _row_problems(table, width, height, locator)
    return problems


def _tables(flowables: Iterable) -> Iterator[Table]:
    for flowable in flowables:
        if isinstance(flowable, Table):
            yield flowable
        elif isinstance(flowable, KeepTogether):
            yield from _tables(flowable._content)
        elif isinstance(flowable, (list, tuple)):
            yield from _tables(flowable)


def _row_problems(table: Table, width: float, height: float, locator: Locator) -> list[Problem]:
    table.wrap(width, height)
    heights = list(table._rowHeights)
    header = sum(heights[: table.repeatRows])
    problems = []
    for index, row_height in enumerate(heights):
        limit = height - (header if index >= table.repeatRows else 0.0)
        if row_height <= limit:
            continue
        text = _tallest_text(table, index)
        message = say("fit.guide_row", needed=f"{to_mm(row_height):.0f}", room=f"{to_mm(limit):.0f}")
        hint = say("fit.guide_row_fix")
        part = locator.culprit((text,)) if text is not None else None
        problems.append(locator.problem(part, message, hint, surface=None))
    return problems


def _tallest_text(table: Table, row: int) -> Located | None:
    """The located text that takes the most height in a row."""
    best: tuple[float, Located] | None = None
    for column, cell in enumerate(table._cellvalues[row]):
        width = max(1.0, table._colWidths[column] - CELL_PADDING)
        for flowable in _flat(cell):
            text = getattr(flowable, "located", None)
            if isinstance(text, Located):
                tall = flowable.wrap(width, 1e9)[1]
                if best is None or tall > best[0]:
                    best = (tall, text)
    return best[1] if best else None


def _flat(cell: object) -> list[Flowable]:
    if isinstance(cell, (list, tuple)):
        return [f for item in cell for f in _flat(item)]
    return [cell] if isinstance(cell, Flowable) else []
