"""``guide.pdf``: the facilitator guide on A4, with a contents list and page numbers.

In: the story from ``generator.guide.story`` and the document facts.
Out: PDF bytes (embedded fonts, CMYK, invariant output), laid out twice so the contents list
knows every heading's page. After the layout every page is checked (``generator.guide.pagecheck``):
a page that holds only its footer, or only the last rows of a table, is a ``PageLayoutError``
naming the page and the fix.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

from dialoogkit.errors import PageLayoutError
from dialoogkit.generator.colours import MUTED
from dialoogkit.generator.display import draw_string
from dialoogkit.generator.fonts import REGULAR, register_fonts
from dialoogkit.generator.guide.pagecheck import Placed, describe_placement, find_orphan_pages
from dialoogkit.layouts.guidepage import FOOTER, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, frame_box
from dialoogkit.output.document import LANG_TAGS, DocumentInfo, canvas_maker


class GuideDocument(BaseDocTemplate):
    """A4 pages with a footer (deck title and page number); ``h1`` headings go into the contents."""

    def __init__(self, target: io.BytesIO, info: DocumentInfo, footer: str, page_label: str):
        register_fonts()
        super().__init__(target, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), leftMargin=MARGIN, rightMargin=MARGIN,
                         topMargin=MARGIN, bottomMargin=MARGIN + FOOTER, title=info.title, author=info.author, subject=info.subject,
                         creator="dialoogkit", producer="dialoogkit (reportlab)", keywords=[info.keywords],
                         invariant=1, initialFontName=REGULAR, lang=LANG_TAGS.get(info.language, info.language))
        self.footer = footer
        self.page_label = page_label
        self.placed: dict[int, list[Placed]] = {}  # per page, what the last layout pass drew on it
        box = frame_box()
        frame = Frame(box.x, box.y, box.width, box.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    def _decorate(self, canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 8.5)
        canvas.setFillColorCMYK(*MUTED.cmyk)
        draw_string(canvas, self.footer, REGULAR, 8.5, MARGIN, MARGIN)  # a deck title in any script
        canvas.drawRightString(PAGE_WIDTH - MARGIN, MARGIN, f"{self.page_label} {doc.page}")
        canvas.restoreState()

    def beforeDocument(self) -> None:
        self.placed = {}  # each pass of ``multiBuild`` lays out the whole story again

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name == "h1":
            self.notify("TOCEntry", (0, escape(flowable.getPlainText()), self.page))
        placed = describe_placement(flowable)
        if placed is not None:
            self.placed.setdefault(self.page, []).append(placed)


def render_guide(story: list, info: DocumentInfo, footer: str, page_label: str, file: str = "guide.pdf") -> bytes:
    """Lay out the story (twice, for the contents), check its pages and return the PDF's bytes."""
    buffer = io.BytesIO()
    document = GuideDocument(buffer, info, footer, page_label)
    document.multiBuild(story, canvasmaker=canvas_maker(info))
    problems = find_orphan_pages(document.placed, document.page, file)
    if problems:
        raise PageLayoutError(problems)
    return buffer.getvalue()
