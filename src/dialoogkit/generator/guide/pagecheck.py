"""Check the guide as laid out: no page may hold only its running footer, or only the last rows of
a table that began on an earlier page.

In: what the document drew on each page, as ``Placed`` records (collected by
``output.guide.GuideDocument`` while it lays out the story), the number of pages and the name of
the file for the messages.
Out: ``find_orphan_pages``, a located ``Problem`` per such page, naming the page and how to fix it;
``describe_placement`` turns a drawn flowable into a ``Placed`` record. The rules: a page with no
flowable that draws something (page breaks and spacers draw nothing) is a footer-only page; a page whose only flowables are continued parts of
tables (``styles.TailTable`` marks the parts after a split as ``continued``) is a table-tail page
unless each part repeats its header row and carries at least ``TAIL_LEAST_ROWS`` rows besides it.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import Flowable, Paragraph, Table
from reportlab.platypus.doctemplate import ActionFlowable
from reportlab.platypus.flowables import NullDraw

from dialoogkit.errors import Problem
from dialoogkit.i18n import say

TAIL_LEAST_ROWS = 3  # as the agenda tables: two blocks and the total
HEADINGS = ("h1", "h2", "h2table")


@dataclass(frozen=True)
class Placed:
    """One flowable drawn on a page: a continued table part (with its header rows and all its
    rows), a heading (with its text), or anything else."""

    kind: str  # "table-tail", "heading", "content"
    rows: int = 0
    header_rows: int = 0
    text: str = ""


def describe_placement(flowable: Flowable) -> Placed | None:
    """The record of a drawn flowable; None for what draws nothing (spacers, page breaks, actions)."""
    if isinstance(flowable, (ActionFlowable, NullDraw)):  # page breaks, spacers
        return None
    if isinstance(flowable, Table) and getattr(flowable, "continued", False):
        return Placed("table-tail", len(flowable._cellvalues), flowable.repeatRows)
    if isinstance(flowable, Paragraph) and flowable.style.name in HEADINGS:
        return Placed("heading", text=" ".join(flowable.getPlainText().split()))
    return Placed("content")


def find_orphan_pages(pages: dict[int, list[Placed]], page_count: int, file: str) -> list[Problem]:
    """A problem for every page of ``1..page_count`` that holds only its footer or only a table's
    tail (see module docstring); ``pages`` maps a page number to what was drawn on it, in order."""
    problems: list[Problem] = []
    heading = say("output.guide_page.no_heading")
    for number in range(1, page_count + 1):
        placed = pages.get(number, [])
        if not placed:
            problems.append(Problem(file, None, say("output.guide_page.only_footer", page=number),
                                    say("output.guide_page.only_footer_fix")))
            continue
        tails = [item for item in placed if item.kind == "table-tail"]
        if len(tails) == len(placed) and any(_is_orphan(tail) for tail in tails):
            rows = sum(tail.rows - tail.header_rows for tail in tails)
            word = say("output.guide_page.rows_one" if rows == 1 else "output.guide_page.rows_many")
            problems.append(Problem(file, None, say("output.guide_page.only_rows", page=number,
                                                    rows=f"{rows} {word}", table=heading),
                                    say("output.guide_page.only_rows_fix", least=TAIL_LEAST_ROWS)))
        heading = next((item.text for item in reversed(placed) if item.kind == "heading"), heading)
    return problems


def _is_orphan(tail: Placed) -> bool:
    return tail.header_rows == 0 or tail.rows - tail.header_rows < TAIL_LEAST_ROWS
