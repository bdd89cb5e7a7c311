"""The QR check of preflight: render a page with pdfium and read its QR codes with zxing.

In: a pypdf page, the pdfium document and page index, the preflight kind, the ``pdfinput.Limits``
and the running ``Deadline``.
Out: ``check_qr`` gives the problems as messages: a QR code that does not decode, that decodes
to another address than the link over it, that has no link (in the sheets and the guide; the
PDF/X files of the print shop carry no links), or that is smaller than its minimum size;
``page_links`` the web links of a page; ``render_within`` renders a page within the deadline
(pdfium pauses between drawing steps to ask).
"""

from __future__ import annotations

import math
from contextlib import nullcontext

from dialoogkit.errors import quoted
from dialoogkit.i18n import say
from dialoogkit.layouts.units import mm, to_mm
from dialoogkit.output.pdfinput import LIMITS, Deadline, Limits, PdfProblem

QR_MIN_MM = {"printshop": 20.0, "sheets": 20.0, "guide": 20.0, "canvases": 40.0}
UNLINKED = ("printshop", "canvases")  # PDF/X files: no link annotations, so a QR code needs none
QR_MIN_PIXELS = 100  # the smallest allowed QR code must be this wide in the rendering to be read


def _box(box) -> tuple[float, ...]:
    return tuple(round(float(v), 2) for v in (box.left, box.bottom, box.right, box.top))


def _get(holder: object, key: str, default: object = None) -> object:
    if not isinstance(holder, dict) or key not in holder:
        return default
    value = holder[key]
    return value.get_object() if hasattr(value, "get_object") else value


def canvas_scale(page) -> float:
    """How much larger than A3 a canvas page is (its TrimBox, else its MediaBox): the canvases are
    drawn for A3 and scaled as vector."""
    box = page.trimbox if "/TrimBox" in page else page.mediabox
    return max(float(box.width), float(box.height)) / mm(420)


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
    minimum = mm(QR_MIN_MM.get(kind, 20.0)) * (canvas_scale(page) if kind == "canvases" else 1.0)
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
        if link is None and kind not in UNLINKED:
            findings.append(say("output.preflight.qr_without_link", text=quoted(code.text, 40)))
            continue
        if link is not None:
            matched.add(link)
        expected = quoted(links[link][1] if link is not None else code.text, 80)
        if link is not None and code.text != links[link][1]:
            findings.append(say("output.preflight.qr_wrong", found=quoted(code.text, 80), expected=expected))
        size = max(xs) - min(xs)
        if size < minimum - tolerance:
            findings.append(say("output.preflight.qr_small", address=expected, size=f"{size / mm(1):.1f}",
                                minimum=f"{minimum / mm(1):.0f}"))
    for index, (_, url) in enumerate(links):
        if index not in matched:
            findings.append(say("output.preflight.qr_unread", address=quoted(url, 80)))
    return findings
