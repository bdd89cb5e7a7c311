"""Preflight: check a PDF the way a print shop would, before anyone prints it.

In: PDF bytes (a build's output) or a file path given on the command line, and what it is
(``printshop``, ``sheets``, ``canvases``, ``guide``; inferred from the pages when not given).
Out: a list of problems, each naming the page (page 0: the file as a whole): missing, broken or
inconsistent page boxes, fonts that are not embedded, RGB colour where CMYK was promised, text
outside the safe zone, and (with ``qr=True``) QR codes that do not decode, do not equal the
address of the link over them, or are smaller than their minimum size. Any file, however damaged
or hostile, gives findings, never an exception: reading stays within ``pdfinput.Limits``.
"""

from __future__ import annotations

import math
import re
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import pypdf

from dialoogkit.errors import quoted
from dialoogkit.i18n import say
from dialoogkit.layouts.card import MIN_SAFE_MM
from dialoogkit.layouts.profiles import card_margin_mm
from dialoogkit.layouts.units import mm, to_mm
from dialoogkit.output.pdfinput import (LIMITS, CheckTimedOut, Deadline, Limits, PdfProblem, bounded,
                                        describe_error, open_reader)
from dialoogkit.safe_read import Unreadable, read_regular

SAFE_MM = {"sheets": 10.0, "guide": 10.0, "canvases": 12.0}
QR_MIN_MM = {"printshop": 20.0, "sheets": 20.0, "guide": 20.0, "canvases": 40.0}
QR_MIN_PIXELS = 100  # the smallest allowed QR code must be this wide in the rendering to be read
BOXES = ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox")
_STRING = re.compile(rb"\((?:\\.|[^\\()])*\)|<[0-9A-Fa-f\s]*>", re.S)
_RGB = re.compile(rb"(?:^|\s)(rg|RG)(?=\s|$)")


@dataclass(frozen=True)
class Finding:
    """One problem on one page (1-based; 0 for the file as a whole)."""

    page: int
    message: str

    def format(self, name: str) -> str:
        if self.page:
            return say("output.preflight.on_page", name=name, page=self.page, message=self.message)
        return f"{name}: {self.message}"


def preflight(data: bytes, kind: str | None = None, qr: bool = False, text: bool = True,
              limits: Limits = LIMITS) -> tuple[str, list[Finding]]:
    """Run every check on a PDF; returns the kind it was checked as and the findings."""
    findings: list[Finding] = []
    if qr:  # imported before the deadline runs: an import it cut short would leave a module broken
        import pypdfium2  # noqa: F401
        import zxingcpp  # noqa: F401
    try:
        with bounded(limits) as deadline:
            reader = open_reader(data, limits)
            deadline.allow_pages(len(reader.pages))
            kind = kind or infer_kind(reader)
            check_pages(data, reader, kind, qr, text, limits, deadline, findings)
    except PdfProblem as exc:
        findings.append(Finding(0, str(exc)))
    except CheckTimedOut as exc:
        findings.append(Finding(exc.page, timed_out(exc.page, limits)))
    except Exception as exc:  # the last net for a hostile file: a finding, never a traceback
        findings.append(Finding(0, say("output.preflight.not_checked", reason=describe_error(exc, limits))))
    return kind or "unknown", findings


def timed_out(page: int, limits: Limits) -> str:
    """The finding for a check stopped by its deadline (``page`` 0: the file's budget)."""
    if page:
        return say("output.preflight.timed_out_page", seconds=f"{limits.page_seconds:g}")
    return say("output.preflight.timed_out_file")


def preflight_file(path: Path, kind: str | None = None, qr: bool = True,
                   limits: Limits = LIMITS) -> tuple[str | None, list[str]]:
    """Read and check the PDF file at ``path`` (only a regular file, within the size limit); the kind
    it was checked as (None when unreadable) and the problems as lines naming the file."""
    name = quoted(path, 120)
    try:
        data = read_regular(path, limits.file_bytes, "pdf")
    except Unreadable as exc:
        return None, [say("os.could_not_read", path=name, reason=exc.reason, fix=exc.fix)]
    found, findings = preflight(data, kind, qr=qr, limits=limits)
    return found, [finding.format(name) for finding in findings]


def infer_kind(reader: pypdf.PdfReader) -> str:
    """What a PDF is, from its first page: trim box → print shop, landscape → canvases, else sheets."""
    page = reader.pages[0]
    if box_problems(page, LIMITS):
        return "sheets"
    if "/TrimBox" in page and _box(page.trimbox) != _box(page.mediabox):
        return "printshop"
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    return "canvases" if width > height else "sheets"


def _box(box) -> tuple[float, ...]:
    return tuple(round(float(v), 2) for v in (box.left, box.bottom, box.right, box.top))


def _get(holder: object, key: str, default: object = None) -> object:
    """``holder[key]`` resolved, or ``default`` when ``holder`` is no dictionary or lacks the key."""
    if not isinstance(holder, dict) or key not in holder:
        return default
    value = holder[key]
    return value.get_object() if hasattr(value, "get_object") else value


def check_pages(data: bytes, reader: pypdf.PdfReader, kind: str, qr: bool, text: bool, limits: Limits,
                deadline: Deadline, findings: list[Finding]) -> None:
    """Check page by page, the deadline between pages; a page that breaks a check gets one finding."""
    seen_fonts: set[str] = set()
    document = _open_rendering(data, deadline, findings) if qr else None
    try:
        for number, page in enumerate(reader.pages, 1):
            deadline.start_page(number)
            rendering = (document, number - 1, deadline) if document is not None else None
            findings += [Finding(number, message)
                         for message in check_page(page, kind, seen_fonts, text, rendering, limits)]
    finally:
        if document is not None:
            deadline.held += 1
            try:
                document.close()
            finally:
                deadline.held -= 1


def _open_rendering(data: bytes, deadline: Deadline, findings: list[Finding]):
    import pypdfium2 as pdfium

    try:
        with deadline.holding():
            return pdfium.PdfDocument(data)
    except Exception as exc:
        findings.append(Finding(0, say("output.preflight.not_rendered", reason=describe_error(exc))))
        return None


def check_page(page, kind: str, seen_fonts: set[str], text: bool, rendering, limits: Limits) -> list[str]:
    """All problems of one page; the first error a damaged page raises ends its checks.
    ``rendering`` is (pdfium document, page index, deadline) for the QR check, or None."""
    messages = box_problems(page, limits)
    checks = [lambda: check_fonts(page, seen_fonts), lambda: check_colours(page, limits)]
    if not messages:
        checks.append(lambda: check_boxes(page, kind))
        if text:
            checks.append(lambda: check_text_zone(page, kind))
        if rendering is not None:
            checks.append(lambda: check_qr(page, *rendering, kind=kind, limits=limits))
    for check in checks:
        try:
            messages += check()
        except MemoryError:
            raise
        except Exception as exc:  # a damaged or hostile page
            messages.append(say("output.preflight.not_checked", reason=describe_error(exc, limits)))
            break
    return messages


def box_problems(page, limits: Limits) -> list[str]:
    """Every page has a MediaBox; each of its boxes is four numbers with a size between 0 and the
    largest page a PDF allows."""
    problems = []
    for key in BOXES:
        if key not in page:
            if key == "/MediaBox":
                problems.append(say("output.preflight.no_mediabox"))
            continue
        problem = _box_problem(_get(page, key), limits, key[1:])
        if problem:
            problems.append(problem)
    return problems


def _box_problem(value: object, limits: Limits, box: str) -> str | None:
    if not isinstance(value, list) or len(value) != 4 or not all(isinstance(v, (int, float)) for v in value):
        return say("output.preflight.box_not_numbers", box=box)
    x0, y0, x1, y1 = (float(v) for v in value)
    width, height = abs(x1 - x0), abs(y1 - y0)
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1, width, height)) or not (width > 0 and height > 0):
        return say("output.preflight.box_empty", box=box)
    if max(width, height) > limits.page_points:
        return say("output.preflight.box_too_large", box=box, width=f"{to_mm(width):.4g}",
                   height=f"{to_mm(height):.4g}", limit=f"{to_mm(limits.page_points):.0f}")
    return None


def check_boxes(page, kind: str) -> list[str]:
    """Print-shop pages need TrimBox and BleedBox, the bleed equal on all sides and at most 5 mm."""
    if kind != "printshop":
        return []
    if "/TrimBox" not in page or "/BleedBox" not in page:
        return [say("output.preflight.no_trim_or_bleed")]
    findings = []
    media, bleed, trim = _box(page.mediabox), _box(page.bleedbox), _box(page.trimbox)
    margins = [trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]]
    if bleed != media:
        findings.append(say("output.preflight.bleed_not_page", bleed=bleed, page=media))
    if max(margins) - min(margins) > 0.05 or not 0 <= min(margins) <= mm(5) + 0.05:
        findings.append(say("output.preflight.bleed_uneven", margins=[round(m, 2) for m in margins]))
    return findings


def check_fonts(page, seen: set[str]) -> list[str]:
    """Every font must carry its font program (no reliance on the printer's fonts)."""
    findings = []
    fonts = _get(_get(page, "/Resources", {}), "/Font", {})
    for font_ref in (fonts.values() if isinstance(fonts, dict) else ()):
        font = font_ref.get_object()
        name = str(_get(font, "/BaseFont", ""))
        if name in seen:
            continue
        seen.add(name)
        descendants = _get(font, "/DescendantFonts")
        holder = descendants[0].get_object() if isinstance(descendants, list) and descendants else font
        descriptor = _get(holder, "/FontDescriptor", {})
        if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            findings.append(say("output.preflight.font_not_embedded", font=quoted(name, 60)))
    return findings


def check_colours(page, limits: Limits) -> list[str]:
    """No RGB colour operators and no RGB images: the PDFs promise CMYK."""
    findings = []
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    if len(data) > limits.stream_bytes:
        raise PdfProblem(say("output.preflight.content_too_large", size=len(data) // 1024 // 1024))
    if _RGB.search(_STRING.sub(b"()", data)):
        findings.append(say("output.preflight.rgb_colour"))
    xobjects = _get(_get(page, "/Resources", {}), "/XObject", {})
    for name, ref in (xobjects.items() if isinstance(xobjects, dict) else ()):
        obj = ref.get_object()
        if _get(obj, "/Subtype") == "/Image" and _get(obj, "/ColorSpace") == "/DeviceRGB":
            findings.append(say("output.preflight.rgb_image", image=quoted(name, 40)))
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


def check_text_zone(page, kind: str) -> list[str]:
    """Every text run starts inside the page's safe area."""
    left, bottom, right, top = safe_area(page, kind)
    outside: list[dict[str, str]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if not (left <= x <= right and bottom <= y <= top):
            outside.append({"text": quoted(text.strip(), 30), "x": f"{x / mm(1):.1f}", "y": f"{y / mm(1):.1f}"})

    page.extract_text(visitor_text=visit)
    if not outside:
        return []
    if len(outside) == 1:
        return [say("output.preflight.text_outside", **outside[0])]
    return [say("output.preflight.text_outside_more", count=len(outside) - 1, **outside[0])]


def page_links(page) -> list[tuple[tuple[float, ...], str]]:
    """The web links of a page: rectangle and address."""
    links = []
    annotations = _get(page, "/Annots", [])
    for ref in (annotations if isinstance(annotations, list) else ()):
        annotation = ref.get_object()
        action = _get(annotation, "/A", {})
        if _get(annotation, "/Subtype") == "/Link" and "/URI" in action:
            rect = _get(annotation, "/Rect")
            links.append((tuple(float(v) for v in rect[:4]), str(_get(action, "/URI"))))
    return links


def render_scale(width: float, height: float, dpi: int, pixels: int) -> float:
    """Points to pixels at ``dpi``, lowered so that a ``width`` × ``height`` page fits ``pixels``."""
    scale = dpi / 72.0
    area = width * height * scale * scale
    return scale * math.sqrt(pixels / area) if area > pixels else scale


def render_within(rendered, scale: float, deadline: Deadline | None = None):
    """The pdfium page ``rendered`` at ``scale`` as a PIL image. pdfium renders progressively and
    asks between drawing steps whether to pause: once the deadline has passed it stops, and
    ``CheckTimedOut`` is raised, so no page can keep pdfium busy past the deadline."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    width, height = math.ceil(rendered.get_width() * scale), math.ceil(rendered.get_height() * scale)
    bitmap = pdfium.PdfBitmap.new_native(width, height, format=pdfium_c.FPDFBitmap_BGR)
    bitmap.fill_rect((255, 255, 255, 255), 0, 0, width, height)

    def late(_) -> bool:
        return deadline is not None and deadline.remaining() <= 0

    pause = pdfium_c.IFSDK_PAUSE(version=1)
    pause.NeedToPauseNow = type(pause.NeedToPauseNow)(late)
    try:
        status = pdfium_c.FPDF_RenderPageBitmap_Start(bitmap, rendered, 0, 0, width, height, 0,
                                                      pdfium_c.FPDF_ANNOT, pause)
        while status == pdfium_c.FPDF_RENDER_TOBECONTINUED:
            if deadline is not None:
                deadline.check()
            status = pdfium_c.FPDF_RenderPage_Continue(rendered, pause)
    finally:
        pdfium_c.FPDF_RenderPage_Close(rendered)
    if status != pdfium_c.FPDF_RENDER_DONE:
        raise PdfProblem(say("output.preflight.pdfium_failed"))
    return bitmap.to_pil()


def check_qr(page, document, index: int, deadline: Deadline | None = None, kind: str = "sheets",
             limits: Limits = LIMITS, dpi: int = 200) -> list[str]:
    """Every link annotation over a QR code: the code decodes to exactly that address, once, and is
    at least its minimum size; no QR code without its link. ``document`` is the pdfium document,
    ``index`` the page's index in it; the deadline is held while pdfium and zxing work."""
    import zxingcpp

    findings = []
    links = page_links(page)
    height = float(page.mediabox.height)
    minimum = mm(QR_MIN_MM[kind]) * (max(_box(page.mediabox)[2:]) / mm(420) if kind == "canvases" else 1.0)
    with deadline.holding() if deadline is not None else nullcontext():
        rendered = document[index]
        width_pt, height_pt = rendered.get_size()
        scale = render_scale(width_pt, height_pt, dpi, limits.pixels)
        if minimum * scale < QR_MIN_PIXELS:
            return [say("output.preflight.page_too_large_for_qr", width=f"{to_mm(width_pt):.4g}",
                        height=f"{to_mm(height_pt):.4g}", pixels=f"{limits.pixels / 1e6:g}")]
        try:
            image = render_within(rendered, scale, deadline)
            codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        except Exception as exc:  # pdfium or zxing: a page too complex, or too little memory
            raise PdfProblem(say("output.preflight.page_not_rendered", kind=type(exc).__name__,
                                 detail=quoted(exc, 80))) from None
        del image
    tolerance = max(mm(0.6), 2.0 / scale)
    matched = set()
    for code in codes:
        points = [code.position.top_left, code.position.top_right, code.position.bottom_left,
                  code.position.bottom_right]
        xs = [p.x / scale for p in points]
        ys = [height - p.y / scale for p in points]
        cx, cy = sum(xs) / 4, sum(ys) / 4
        link = next((i for i, (r, _) in enumerate(links) if r[0] <= cx <= r[2] and r[1] <= cy <= r[3]), None)
        if link is None:
            findings.append(say("output.preflight.qr_without_link", text=quoted(code.text, 40)))
            continue
        matched.add(link)
        expected = quoted(links[link][1], 80)
        if code.text != links[link][1]:
            findings.append(say("output.preflight.qr_wrong", found=quoted(code.text, 80), expected=expected))
        size = max(xs) - min(xs)
        if size < minimum - tolerance:
            findings.append(say("output.preflight.qr_small", address=expected, size=f"{size / mm(1):.1f}",
                                minimum=f"{minimum / mm(1):.0f}"))
    for index, (_, url) in enumerate(links):
        if index not in matched:
            findings.append(say("output.preflight.qr_unread", address=quoted(url, 80)))
    return findings


def check_planned_zones(faces, safe) -> list[Finding]:
    """Every planned text and QR box of every face lies inside ``safe`` (a ``Box``): the geometry
    half of the safe-zone check, run on every build at no cost."""
    from dialoogkit.generator.display import Qr, Text

    findings = []
    for number, face in enumerate(faces, 1):
        for item in face.items:
            if isinstance(item, (Text, Qr)) and not safe.contains(item.box, tolerance=0.5):
                item_name = getattr(item, "name", "") or say("output.preflight.qr_item")
                findings.append(Finding(number, say("output.preflight.outside_zone", item=item_name)))
    return findings
