"""Preflight: check a PDF the way a print shop would, before anyone prints it.

In: PDF bytes (or a file) and what it is (``printshop``, ``sheets``, ``canvases``, ``guide``;
inferred from the pages when not given).
Out: a list of problems, each naming the page: missing or inconsistent page boxes, fonts that
are not embedded, RGB colour where CMYK was promised, text outside the safe zone, and (with
``qr=True``) QR codes that do not decode, do not equal the address of the link over them, or are
smaller than their minimum size.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pypdf

from dialoogkit.layouts.card import MIN_SAFE_MM
from dialoogkit.layouts.profiles import card_margin_mm
from dialoogkit.layouts.units import mm

SAFE_MM = {"sheets": 10.0, "guide": 10.0, "canvases": 12.0}
QR_MIN_MM = {"printshop": 20.0, "sheets": 20.0, "guide": 20.0, "canvases": 40.0}
_STRING = re.compile(rb"\((?:\\.|[^\\()])*\)|<[0-9A-Fa-f\s]*>", re.S)
_RGB = re.compile(rb"(?:^|\s)(rg|RG)(?=\s|$)")


@dataclass(frozen=True)
class Finding:
    """One problem on one page (1-based)."""

    page: int
    message: str

    def format(self, name: str) -> str:
        return f"{name}: page {self.page}: {self.message}"


def infer_kind(reader: pypdf.PdfReader) -> str:
    """What a PDF is, from its first page: trim box → print shop, landscape → canvases, else sheets."""
    page = reader.pages[0]
    if "/TrimBox" in page and _box(page.trimbox) != _box(page.mediabox):
        return "printshop"
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    return "canvases" if width > height else "sheets"


def _box(box) -> tuple[float, ...]:
    return tuple(round(float(v), 2) for v in (box.left, box.bottom, box.right, box.top))


def check_boxes(reader: pypdf.PdfReader, kind: str) -> list[Finding]:
    """Print-shop pages need TrimBox and BleedBox, the bleed equal on all sides and at most 5 mm."""
    findings = []
    if kind != "printshop":
        return findings
    for number, page in enumerate(reader.pages, 1):
        if "/TrimBox" not in page or "/BleedBox" not in page:
            findings.append(Finding(number, "TrimBox or BleedBox is missing"))
            continue
        media, bleed, trim = _box(page.mediabox), _box(page.bleedbox), _box(page.trimbox)
        margins = [trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]]
        if bleed != media:
            findings.append(Finding(number, f"BleedBox {bleed} differs from the page {media}"))
        if max(margins) - min(margins) > 0.05 or not 0 <= min(margins) <= mm(5) + 0.05:
            findings.append(Finding(number, f"the bleed around the TrimBox is uneven or over 5 mm: {margins}"))
    return findings


def check_fonts(reader: pypdf.PdfReader) -> list[Finding]:
    """Every font must carry its font program (no reliance on the printer's fonts)."""
    findings, seen = [], set()
    for number, page in enumerate(reader.pages, 1):
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font_ref in fonts.values():
            font = font_ref.get_object()
            if font.get("/BaseFont") in seen:
                continue
            seen.add(font.get("/BaseFont"))
            descendants = font.get("/DescendantFonts")
            holder = descendants[0].get_object() if descendants else font
            descriptor = holder.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                findings.append(Finding(number, f"font {font.get('/BaseFont')} is not embedded"))
    return findings


def check_colours(reader: pypdf.PdfReader) -> list[Finding]:
    """No RGB colour operators and no RGB images: the PDFs promise CMYK."""
    findings = []
    for number, page in enumerate(reader.pages, 1):
        contents = page.get_contents()
        data = _STRING.sub(b"()", contents.get_data()) if contents is not None else b""
        if _RGB.search(data):
            findings.append(Finding(number, "RGB colour (rg/RG) is used where CMYK was promised"))
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for name, ref in xobjects.items():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image" and obj.get("/ColorSpace") == "/DeviceRGB":
                findings.append(Finding(number, f"image {name} is RGB where CMYK was promised"))
    return findings


def safe_area(page, kind: str) -> tuple[float, float, float, float]:
    """The rectangle text must stay inside on this page."""
    if kind == "printshop":
        trim = _box(page.trimbox)
        short = min(trim[2] - trim[0], trim[3] - trim[1]) / mm(1)
        inset = mm(max(MIN_SAFE_MM, card_margin_mm(short))) - 0.5
        return trim[0] + inset, trim[1] + inset, trim[2] - inset, trim[3] - inset
    media = _box(page.mediabox)
    factor = max(media[2], media[3]) / mm(420) if kind == "canvases" else 1.0
    inset = mm(SAFE_MM[kind]) * factor - 0.5
    return media[0] + inset, media[1] + inset, media[2] - inset, media[3] - inset


def check_text_zone(reader: pypdf.PdfReader, kind: str) -> list[Finding]:
    """Every text run starts inside the page's safe area."""
    findings = []
    for number, page in enumerate(reader.pages, 1):
        left, bottom, right, top = safe_area(page, kind)
        outside: list[str] = []

        def visit(text, cm, tm, font_dict, font_size, outside=outside):
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if not (left <= x <= right and bottom <= y <= top):
                outside.append(f"'{text.strip()[:30]}' at ({x / mm(1):.1f}, {y / mm(1):.1f}) mm")

        page.extract_text(visitor_text=visit)
        if outside:
            findings.append(Finding(number, f"text outside the safe zone: {outside[0]}"
                                            + (f" and {len(outside) - 1} more" if len(outside) > 1 else "")))
    return findings


def check_qr(data: bytes, reader: pypdf.PdfReader, kind: str, dpi: int = 200) -> list[Finding]:
    """Every link annotation over a QR code: the code decodes to exactly that address, once, and is
    at least its minimum size; no QR code without its link."""
    import pypdfium2 as pdfium
    import zxingcpp

    findings = []
    document = pdfium.PdfDocument(data)
    try:
        for number, page in enumerate(reader.pages, 1):
            links = [(tuple(float(v) for v in a.get_object()["/Rect"]), str(a.get_object()["/A"]["/URI"]))
                     for a in page.get("/Annots", []) if a.get_object().get("/Subtype") == "/Link"]
            height = float(page.mediabox.height)
            scale = dpi / 72.0
            image = document[number - 1].render(scale=scale).to_pil()
            codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            minimum = mm(QR_MIN_MM[kind]) * (max(_box(page.mediabox)[2:]) / mm(420) if kind == "canvases" else 1.0)
            matched = set()
            for code in codes:
                points = [code.position.top_left, code.position.top_right, code.position.bottom_left,
                          code.position.bottom_right]
                xs = [p.x / scale for p in points]
                ys = [height - p.y / scale for p in points]
                cx, cy = sum(xs) / 4, sum(ys) / 4
                link = next((i for i, (r, _) in enumerate(links) if r[0] <= cx <= r[2] and r[1] <= cy <= r[3]), None)
                if link is None:
                    findings.append(Finding(number, f"a QR code ({code.text[:40]}) has no link telling its address"))
                    continue
                matched.add(link)
                if code.text != links[link][1]:
                    findings.append(Finding(number, f"QR code decodes to {code.text!r}, expected {links[link][1]!r}"))
                size = max(xs) - min(xs)
                if size < minimum - mm(0.6):
                    findings.append(Finding(number, f"QR code for {links[link][1]} is {size / mm(1):.1f} mm, "
                                                    f"smaller than {minimum / mm(1):.0f} mm"))
            for index, (_, url) in enumerate(links):
                if index not in matched:
                    findings.append(Finding(number, f"the QR code for {url} could not be read"))
    finally:
        document.close()
    return findings


def preflight(data: bytes, kind: str | None = None, qr: bool = False, text: bool = True) -> tuple[str, list[Finding]]:
    """Run every check on a PDF; returns the kind it was checked as and the findings."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        pages = reader.pages
        if not len(pages):
            return kind or "unknown", [Finding(1, "the PDF has no pages")]
    except (pypdf.errors.PdfReadError, ValueError, OSError) as exc:
        return kind or "unknown", [Finding(1, f"not a readable PDF ({exc})")]
    kind = kind or infer_kind(reader)
    findings = check_boxes(reader, kind) + check_fonts(reader) + check_colours(reader)
    if text:
        findings += check_text_zone(reader, kind)
    if qr:
        findings += check_qr(data, reader, kind)
    return kind, findings


def check_planned_zones(faces, safe) -> list[Finding]:
    """Every planned text and QR box of every face lies inside ``safe`` (a ``Box``): the geometry
    half of the safe-zone check, run on every build at no cost."""
    from dialoogkit.generator.display import Qr, Text

    findings = []
    for number, face in enumerate(faces, 1):
        for item in face.items:
            if isinstance(item, (Text, Qr)) and not safe.contains(item.box, tolerance=0.5):
                findings.append(Finding(number, f"{getattr(item, 'name', '') or 'QR code'} lies outside the safe zone"))
    return findings
