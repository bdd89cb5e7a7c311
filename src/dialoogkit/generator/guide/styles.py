"""Paragraph and table styles of the guide, in Source Sans Pro and CMYK colours.

In: nothing.
Out: ``styles()`` (named ``ParagraphStyle`` values, hyphenated for the deck's language), colours,
and ``para`` which escapes plain text before making a Paragraph (so nothing a deck holds is read
as markup; text in a right-to-left or complex script becomes a ``scriptpara.ScriptParagraph``); ``located_para`` makes one that remembers the ``Located`` text it prints;
``make_table`` sets a table in the guide's style (a ``TailTable``: never only its last row or two
on a page of their own).
"""

from __future__ import annotations

from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib.colors import CMYKColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.platypus import PageBreak, Paragraph, Table, TableStyle

from dialoogkit.generator.colours import BODY, INK, LINE, MUTED, Colour
from dialoogkit.generator.fonts import BOLD, ITALIC, REGULAR, SEMIBOLD, register_fonts
from dialoogkit.generator.guide.scriptpara import ScriptParagraph, needs_script_paragraph, prefix_runs
from dialoogkit.generator.located import Located


def cmyk(colour: Colour) -> CMYKColor:
    """A reportlab CMYK colour for one of ours: its print CMYK (``Colour.cmyk``: greys on the black
    plate only, body and heading text solid black, other colours through the ICC profile)."""
    return CMYKColor(*colour.cmyk)


INK_C, BODY_C, MUTED_C, LINE_C = cmyk(INK), cmyk(BODY), cmyk(MUTED), cmyk(LINE)
PANEL_C = cmyk(Colour.from_hex("#F2F2F2"))
TABLE_BASE = [("FONT", (0, 0), (-1, -1), REGULAR), ("TEXTCOLOR", (0, 0), (-1, -1), INK_C)]  # not Helvetica, not RGB


@lru_cache(maxsize=2)
def styles(language: str) -> dict[str, ParagraphStyle]:
    """Named styles: title, subtitle, h1, h2, h2table (an h2 not kept with what follows), body, small,
    cell, cellbold, contents, toc1."""
    register_fonts()
    registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)
    hyphen = {"nl": "nl_NL", "en": "en_GB"}.get(language)
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=10.5, leading=14.5, textColor=BODY_C,
                          spaceAfter=5, hyphenationLang=hyphen, bulletFontName=REGULAR, uriWasteReduce=0.3)
    made = {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=30, leading=36, textColor=INK_C,
                                spaceAfter=10, hyphenationLang=None),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=15, leading=20, textColor=MUTED_C, spaceAfter=8),
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=20, leading=25, textColor=INK_C,
                             spaceBefore=4, spaceAfter=10, hyphenationLang=None, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=base, fontName=SEMIBOLD, fontSize=13, leading=17, textColor=INK_C,
                             spaceBefore=8, spaceAfter=4, keepWithNext=1),
        "h2table": ParagraphStyle("h2table", parent=base, fontName=SEMIBOLD, fontSize=13, leading=17, textColor=INK_C,
                                  spaceBefore=8, spaceAfter=4),  # kept with its table by ``keep_heading``
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=12, textColor=MUTED_C),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=12.5, spaceAfter=0),
        "cellbold": ParagraphStyle("cellbold", parent=base, fontName=SEMIBOLD, fontSize=9.5, leading=12.5,
                                   spaceAfter=0, textColor=INK_C),
        "contents": ParagraphStyle("contents", parent=base, fontName=BOLD, fontSize=20, leading=25,
                                   textColor=INK_C, spaceAfter=10, hyphenationLang=None),
        "toc1": ParagraphStyle("toc1", parent=base, fontSize=11, leading=17, spaceAfter=0),
    }
    return made


def para(text: str, style: ParagraphStyle, prefix: str = "") -> Paragraph:
    """A Paragraph of plain ``text`` (escaped); ``prefix`` is trusted markup of our own, e.g. a bold label.
    Text that needs shaping or runs right to left is set by the script engine instead."""
    if needs_script_paragraph("".join(run.text for run in prefix_runs(prefix, style.fontName)) + text, style.fontName):
        return ScriptParagraph(text, style, prefix)
    return Paragraph(prefix + escape(text).replace("\n", "<br/>"), style)


def located_para(text: Located, style: ParagraphStyle, prefix: str = "") -> Paragraph:
    """``para`` of a located text; the paragraph keeps it as ``.located``, so a check of the story
    can name the field it came from."""
    paragraph = para(text.text, style, prefix)
    paragraph.located = text
    return paragraph


def bold(text: str) -> str:
    """Trusted markup: ``text`` escaped and set in bold."""
    return f"<b>{escape(text)}</b>"


class TailTable(Table):
    """A table that, split over two pages, carries at least ``least_rows`` rows besides its repeated
    header to the second page: where reportlab would leave fewer (only the total row, say), the
    split moves up and the rest starts on the next page. A table that cannot be split so moves to
    the next page whole. Every part after a split is marked ``continued`` (for ``pagecheck``)."""

    def __init__(self, *args, least_rows: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.least_rows = least_rows
        self.continued = False

    def split(self, availWidth: float, availHeight: float) -> list:  # reportlab's argument names
        parts = super().split(availWidth, availHeight)
        if len(parts) != 2 or self._tail_rows(parts[1]) >= self.least_rows:
            return self._passed_on(parts)
        first = len(self._cellvalues) - self.least_rows  # rows the first page may keep
        if first <= self.repeatRows:
            return []
        parts = super().split(availWidth, sum(self._rowHeights[:first]) + 0.01)
        if len(parts) != 2 or self._tail_rows(parts[1]) < self.least_rows:
            return []
        first_part, rest = self._passed_on(parts)
        return [first_part, PageBreak(), rest]

    @staticmethod
    def _tail_rows(part: Table) -> int:
        return len(part._cellvalues) - part.repeatRows

    def _passed_on(self, parts: list) -> list:
        for index, part in enumerate(parts):
            if isinstance(part, TailTable):
                part.least_rows = self.least_rows
                part.continued = self.continued or index > 0
        return parts


def make_table(rows: list, widths: list[float], header: bool = False, lines: bool = True,
               least_rows: int = 0) -> Table:
    """A table in the guide's style: cells aligned at the top, a rule under each row (``lines``),
    the first row as a shaded header repeated on every page (``header``); split over two pages only
    where the second page gets at least ``least_rows`` rows besides the header (``TailTable``)."""
    table = TailTable(rows, colWidths=widths, hAlign="LEFT", repeatRows=1 if header else 0, least_rows=least_rows)
    style = [*TABLE_BASE, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 4),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]
    if lines:
        style.append(("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE_C))
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), PANEL_C))
    table.setStyle(TableStyle(style))
    return table
