"""The report and the letters as plain blocks, written once and set twice: as PDF (platypus
flowables, ``to_flowables``) and as an editable Word file (``output.docx``), so both hold the same
paragraphs in the same order.

In: blocks made by ``story``, ``letter`` and ``followup``; for the PDF the deck's language.
Out: the block types (``Para``: a paragraph in a named style, maybe a bullet and a bold label;
``Table`` of ``Cell`` rows with relative widths; ``HeatPicture``: the dot-vote map; ``Logo``;
``Lines`` to write on; ``Gap``; ``Keep``: blocks kept on one page) and ``to_flowables``. Every
text is plain (escaped by ``guide.styles.para``); the bold label is our own or the deck's text.
Styles are the guide's: title, subtitle, h1, h2, body, small, cell, cellbold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from reportlab.platypus import Flowable, KeepTogether, Spacer

from dialoogkit.generator.display import Face, Picture
from dialoogkit.generator.guide.flowables import FaceThumbnail
from dialoogkit.generator.guide.styles import LINE_C, bold, make_table, para, styles
from dialoogkit.generator.pictures import image_aspect
from dialoogkit.generator.report.heatmap import HeatMap
from dialoogkit.layouts.guidepage import CONTENT_WIDTH
from dialoogkit.layouts.units import Box, mm

BULLET = "•&nbsp;&nbsp;"


@dataclass(frozen=True)
class Para:
    text: str
    style: str = "body"
    bullet: bool = False
    label: str = ""  # set in bold before the text


@dataclass(frozen=True)
class Cell:
    text: str
    style: str = "cell"


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]  # shares of the text width
    header: bool = False


@dataclass(frozen=True)
class HeatPicture:
    heat: HeatMap


@dataclass(frozen=True)
class Logo:
    path: Path
    height: float = mm(16)  # points


@dataclass(frozen=True)
class Lines:
    count: int = 3


@dataclass(frozen=True)
class Gap:
    height: float  # points


@dataclass(frozen=True)
class Keep:
    blocks: tuple = field(default_factory=tuple)


Block = Union[Para, Table, HeatPicture, Logo, Lines, Gap, Keep]


def texts_of(blocks: list) -> list[str]:
    """Every paragraph's text in order, label first (what a reader of either file sees)."""
    found: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            found.append(block.label + block.text)
        elif isinstance(block, Table):
            found += [cell.text for row in block.rows for cell in row]
        elif isinstance(block, Keep):
            found += texts_of(list(block.blocks))
    return found


class WritingLines(Flowable):
    """``count`` ruled lines to write on, across the page."""

    def __init__(self, count: int = 3, gap: float = mm(9)):
        super().__init__()
        self.count, self.gap = count, gap

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.count * self.gap

    def draw(self) -> None:
        self.canv.setStrokeColor(LINE_C)
        self.canv.setLineWidth(0.5)
        for line in range(self.count):
            self.canv.line(0, line * self.gap + 1, self.width, line * self.gap + 1)


def to_flowables(blocks: list, language: str) -> list:
    """The PDF's flowables of ``blocks``."""
    s = styles(language)
    flowables: list = []
    for block in blocks:
        if isinstance(block, Para):
            prefix = (BULLET if block.bullet else "") + (bold(block.label) if block.label else "")
            flowables.append(para(block.text, s[block.style], prefix))
        elif isinstance(block, Table):
            rows = [[para(cell.text, s[cell.style]) for cell in row] for row in block.rows]
            flowables.append(make_table(rows, [CONTENT_WIDTH * share for share in block.widths], block.header))
        elif isinstance(block, HeatPicture):
            flowables.append(FaceThumbnail(block.heat.face, block.heat.face.width, outline=False))
        elif isinstance(block, Logo):
            width = block.height * image_aspect(str(block.path))
            face = Face(width, block.height, (Picture(str(block.path), Box(0, 0, width, block.height)),))
            thumbnail = FaceThumbnail(face, width, outline=False)
            thumbnail.hAlign = "LEFT"
            flowables.append(thumbnail)
        elif isinstance(block, Lines):
            flowables.append(WritingLines(block.count))
        elif isinstance(block, Gap):
            flowables.append(Spacer(1, block.height))
        elif isinstance(block, Keep):
            flowables.append(KeepTogether(to_flowables(list(block.blocks), language)))
    return flowables
