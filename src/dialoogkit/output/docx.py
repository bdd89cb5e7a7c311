"""The report and the letters as editable Word files (``verslag.docx``, ``brief-<to>.docx``),
made with python-docx from the same blocks as their PDFs (``generator.report.blocks``).

In: the blocks, the document's title, author, subject and language, and its footer.
Out: the .docx bytes, identical for identical input (fixed dates in the core properties, the
zip's entries dated 2000-01-01). An A4 page with the PDF's margins; the guide's styles become
Word's own (Title, Subtitle, Heading 1 and 2, Normal, List Bullet), so a user can restyle the
whole file at once; tables are Word tables (the heat map too, its cells shaded as in the PDF,
with white figures on the dark steps), the logo a picture, the lines to write on empty ruled
paragraphs; the footer holds the PDF's footer text and the page number. The font is Arial
(present wherever Word or LibreOffice runs), in the deck's language for the spelling checker.
"""

from __future__ import annotations

import datetime
import io

from dialoogkit.generator.report.blocks import Gap, HeatPicture, Keep, Lines, Logo, Para, Table
from dialoogkit.generator.report.heatmap import shade_of
from dialoogkit.layouts.guidepage import CONTENT_WIDTH, MARGIN, PAGE_HEIGHT, PAGE_WIDTH
from dialoogkit.output.actions import normalise_zip

FIXED_DATE = datetime.datetime(2000, 1, 1, 0, 0, 0)
FONT = "Arial"
LANGUAGES = {"nl": "nl-NL", "en": "en-GB"}
STYLES = {"title": "Title", "subtitle": "Subtitle", "h1": "Heading 1", "h2": "Heading 2", "body": "Normal",
          "small": "Normal", "cell": "Normal", "cellbold": "Normal"}
SIZES = {"small": 9, "cell": 9.5, "cellbold": 9.5}
GREY = "595959"


def render_docx(blocks: list, title: str, author: str, subject: str, language: str, footer: str,
                words: dict[str, str]) -> bytes:
    """The .docx of ``blocks`` (see module docstring)."""
    from docx import Document

    document = Document()
    _set_up(document, language, footer, words)
    for block in _flat(blocks):
        _add(document, block, words)
    props = document.core_properties
    props.title, props.author, props.subject, props.language = title, author, subject, LANGUAGES.get(language,
                                                                                                     language)
    props.last_modified_by, props.comments, props.revision = "dialoogkit", "", 1
    props.created = props.modified = FIXED_DATE
    props.last_printed = FIXED_DATE
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


def _flat(blocks: list) -> list:
    found: list = []
    for block in blocks:
        found += _flat(list(block.blocks)) if isinstance(block, Keep) else [block]
    return found


def _set_up(document, language: str, footer: str, words: dict[str, str]) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    section = document.sections[0]
    section.page_width, section.page_height = Pt(PAGE_WIDTH), Pt(PAGE_HEIGHT)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Pt(MARGIN)
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "List Bullet"):
        style = document.styles[name]
        style.font.name = FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), FONT)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(theme), None)
        lang = style.element.get_or_add_rPr().find(qn("w:lang"))
        if lang is None:
            lang = style.element.get_or_add_rPr().makeelement(qn("w:lang"), {})
            style.element.get_or_add_rPr().append(lang)
        lang.set(qn("w:val"), LANGUAGES.get(language, language))
    document.styles["Normal"].font.size = Pt(10.5)
    paragraph = section.footer.paragraphs[0]
    _run(paragraph, f"{footer}    {words['page']} ", size=8.5, grey=True)
    _page_field(paragraph)


def _add(document, block, words: dict[str, str]) -> None:
    from docx.shared import Pt

    if isinstance(block, Para):
        style = "List Bullet" if block.bullet else STYLES[block.style]
        paragraph = document.add_paragraph(style=style)
        if block.label:
            _run(paragraph, block.label, bold=True)
        _run(paragraph, block.text, size=SIZES.get(block.style), grey=block.style == "small",
             bold=block.style == "cellbold")
    elif isinstance(block, Table):
        _table(document, [[(cell.text, None, cell.style) for cell in row] for row in block.rows], block.widths,
               block.header)
    elif isinstance(block, HeatPicture):
        rows = block.heat.table(words)
        shares = _heat_shares(len(rows[0]), block.heat.compared)
        _table(document, [[(text, vote, "cellbold" if r == 0 else "cell") for text, vote in row]
                          for r, row in enumerate(rows)], shares, True, shaded=True)
    elif isinstance(block, Logo):
        document.add_picture(str(block.path), height=Pt(block.height))
    elif isinstance(block, Lines):
        for _ in range(block.count):
            _ruled(document.add_paragraph())
    elif isinstance(block, Gap):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(max(0.0, block.height - 12))


def _heat_shares(columns: int, compared: bool) -> tuple[float, ...]:
    label, change = (0.38, 0.11) if compared else (0.46, 0.0)
    partners = columns - 1 - (1 if compared else 0)
    return (label, *([(1 - label - change) / max(1, partners)] * partners), *((change,) if compared else ()))


def _table(document, rows: list[list[tuple[str, int | None, str]]], shares: tuple[float, ...], header: bool,
           shaded: bool = False) -> None:
    from docx.shared import Pt

    table = document.add_table(rows=len(rows), cols=len(shares))
    table.style = document.styles["Table Grid"]
    table.autofit = False
    for column, share in zip(table.columns, shares):
        column.width = Pt(CONTENT_WIDTH * share)  # the grid: what LibreOffice lays out by
    for r, row in enumerate(rows):
        for c, (text, vote, style) in enumerate(row):
            cell = table.cell(r, c)
            cell.width = Pt(CONTENT_WIDTH * shares[c])
            paragraph = cell.paragraphs[0]
            dark = shaded and vote is not None and shade_of(vote).r < 0.5
            _run(paragraph, text, size=SIZES.get(style), bold=style == "cellbold", grey=style == "small", white=dark)
            if shaded and c > 0 and r > 0:
                paragraph.alignment = 1  # centred
            if (header and r == 0) or (shaded and vote is not None):
                _shade(cell, "F2F2F2" if r == 0 else _hex(vote))
    if header:
        _repeat_header(table.rows[0])
    document.add_paragraph()


def _run(paragraph, text: str, size: float | None = None, bold: bool = False, grey: bool = False,
         white: bool = False):
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    if grey or white:
        run.font.color.rgb = RGBColor.from_string("FFFFFF" if white else GREY)
    return run


def _hex(vote: int | None) -> str:
    level = round(shade_of(vote).r * 255)
    return f"{level:02X}" * 3


def _shade(cell, fill: str) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    shading = f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'
    cell._tc.get_or_add_tcPr().append(parse_xml(shading))


def _repeat_header(row) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    row._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))


def _ruled(paragraph) -> None:
    """An empty paragraph with a line under it, to write on."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    paragraph.paragraph_format.space_before = Pt(14)
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="4" w:space="1" w:color="BFBFBF"/>'
        '<w:between w:val="single" w:sz="4" w:space="1" w:color="BFBFBF"/></w:pBdr>'))  # one line each, also in a row


def _page_field(paragraph) -> None:
    """The page number, as a field Word and LibreOffice fill in."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    for xml in (f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>',
                f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
                f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>',
                f'<w:r {nsdecls("w")}><w:t>1</w:t></w:r>',
                f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'):
        paragraph._p.append(parse_xml(xml))
