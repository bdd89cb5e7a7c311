"""Guide paragraphs in any script: right-to-left and complex-script text set by dialoogkit's own
line fitter and drawn through the shaping engine, since platypus draws its paragraphs glyph by
glyph in one font and one direction.

In: plain text (escaped for platypus, as ``styles.para`` makes it), the trusted prefix markup of
our own (``<b>…</b>`` for a label, ``•&nbsp;&nbsp;`` for a bullet) and a ``ParagraphStyle``.
Out: ``needs_script_paragraph``, whether a text needs this route (a character in an Arabic,
Hebrew or Ethiopic font or a fallback font, or a right-to-left paragraph); ``ScriptParagraph``, a
platypus ``Paragraph`` (so the contents, ``keepWithNext`` and the page checks treat it as one)
whose lines come from ``textfit`` (widths from ``shaping.measure``, no hyphenation) and are drawn
with ``shaping.draw_line``, the bidi levels resolved over each paragraph of the whole text (also
when it is split over pages): right-aligned when its first strong character is right to left,
else left-aligned; it splits between lines over pages. ``ScriptContents``: a ``TableOfContents``
whose entries in such scripts are ``ScriptParagraph``s with their page number at the right.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, unescape

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Spacer, Table
from reportlab.platypus.tableofcontents import TableOfContents

from dialoogkit.generator.fonts import BOLD, text_width
from dialoogkit.generator.paragraphs import shape_block
from dialoogkit.generator.scripts import paragraph_direction
from dialoogkit.generator.shaping import draw_line, needs_engine
from dialoogkit.generator.textfit import Line, Run, set_text

_BOLD = re.compile(r"<b>(.*?)</b>", re.S)
NO_HYPHENATION = "zxx"  # "no linguistic content": lines break at spaces only


def _plain(markup: str) -> str:
    return unescape(markup.replace("&nbsp;", "\u00a0").replace("<br/>", "\n"))


def prefix_runs(prefix: str, face: str) -> list[Run]:
    """Our own prefix markup as runs: ``<b>…</b>`` in bold, the rest (a bullet) in ``face``."""
    runs: list[Run] = []
    position = 0
    for match in _BOLD.finditer(prefix):
        if match.start() > position:
            runs.append(Run(_plain(prefix[position:match.start()]), face, hyphenate=False))
        runs.append(Run(_plain(match.group(1)), BOLD, hyphenate=False))
        position = match.end()
    if position < len(prefix):
        runs.append(Run(_plain(prefix[position:]), face, hyphenate=False))
    return [run for run in runs if run.text.strip()]


def needs_script_paragraph(text: str, face: str) -> bool:
    """Whether plain ``text`` must be set as a ``ScriptParagraph``."""
    return needs_engine(text, face) or paragraph_direction(text) == "rtl"


class ScriptParagraph(Paragraph):
    """A paragraph of plain ``text`` (with our own ``prefix`` markup) set and drawn through the
    shaping engine (see the module docstring); ``trailer`` is drawn right-aligned at the far end
    of its last line (a page number in the contents), its right end at ``trailer_at`` (default:
    the paragraph's right edge)."""

    def __init__(self, text: str, style: ParagraphStyle, prefix: str = "", trailer: str = "",
                 lines: tuple[Line, ...] | None = None, trailer_at: float | None = None,
                 around: tuple[tuple[Line, ...], tuple[Line, ...]] = ((), ())):
        super().__init__(prefix + escape(text).replace("\n", "<br/>"), style)
        self.plain_text, self.prefix, self.trailer, self.trailer_at = text, prefix, trailer, trailer_at
        self.runs = prefix_runs(prefix, style.fontName) + [Run(text, style.fontName, hyphenate=False)]
        self.direction = paragraph_direction("".join(run.text for run in self.runs))
        self.fixed_lines = lines
        self.lines: tuple[Line, ...] = lines or ()
        self.around = around  # the lines of the same text before and after these (when split over pages)
        self.width = self.height = 0.0

    def _trailer_room(self) -> float:
        return text_width(self.trailer, self.style.fontName, self.style.fontSize) + self.style.fontSize if self.trailer else 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        style = self.style
        if self.fixed_lines is None:
            block = set_text([self.runs], style.fontSize, max(1.0, availWidth - self._trailer_room()), NO_HYPHENATION,
                             leading=style.leading / style.fontSize)
            self.lines = block.lines
        self.width = availWidth
        self.height = len(self.lines) * style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list:
        self.wrap(availWidth, availHeight)
        fit = int(availHeight // self.style.leading)
        if fit <= 0 or fit >= len(self.lines):
            return [] if fit <= 0 else [self]
        before, after = self.around
        return [ScriptParagraph(self.plain_text, self.style, self.prefix, "", self.lines[:fit],
                                around=(before, self.lines[fit:] + after)),
                ScriptParagraph(self.plain_text, self.style, "", self.trailer, self.lines[fit:],
                                self.trailer_at, around=(before + self.lines[:fit], after))]

    def draw(self) -> None:
        canvas, style = self.canv, self.style
        canvas.saveState()
        canvas.setFillColor(style.textColor)
        right = self.direction == "rtl" or style.alignment == TA_RIGHT
        baseline = self.height - style.fontSize
        before, after = self.around
        shaped_lines = shape_block(before + self.lines + after, style.fontSize, self.direction)
        for shaped in shaped_lines[len(before):len(before) + len(self.lines)]:
            if shaped is not None:
                draw_line(canvas, shaped, self.width - shaped.width if right else 0.0, baseline)
            baseline -= style.leading
        if self.trailer and self.lines:
            canvas.setFont(style.fontName, style.fontSize)
            canvas.drawRightString(self.trailer_at or self.width, baseline + style.leading, self.trailer)
        canvas.restoreState()

    def getPlainText(self, identify=None) -> str:
        return "".join(run.text for run in self.runs)


class ScriptContents(TableOfContents):
    """The guide's contents: entries in a script that needs the shaping engine are set as
    ``ScriptParagraph``s with their page number at the right; the others as reportlab sets them."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        super().wrap(availWidth, availHeight)
        rows = []
        for (level, text, page, key), row in zip(self._lastEntries, self._entry_rows()):
            plain = unescape(text)
            style = self.getLevelStyle(level)
            if not key and needs_script_paragraph(plain, style.fontName):
                number = str(self.formatter(page) if self.formatter else page)
                row = [ScriptParagraph(plain, style, trailer=number, trailer_at=availWidth)]  # where reportlab puts it
            rows.append(row)
        spaced = []
        for (level, _, _, _), row in zip(self._lastEntries, rows):
            style = self.getLevelStyle(level)
            if style.spaceBefore:
                spaced.append([Spacer(1, style.spaceBefore)])
            spaced.append(row)
        if self._lastEntries:
            self._table = Table(spaced, colWidths=(availWidth,), style=self.tableStyle)
            self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height

    def _entry_rows(self) -> list[list]:
        """The table rows reportlab made for the entries (without the spacers before them)."""
        return [row for row in self._table._cellvalues if not isinstance(row[0], Spacer)]
