"""PDF/X-1a checks of a print-shop file: identification, output intent, page boxes, annotations.

In: a pypdf reader (the file) or page, for the files held to print-shop rules (cards-printshop.pdf
and canvases.pdf).
Out: lists of (code, is a warning, message): ``check_identification`` (the Info keys
GTS_PDFXVersion, GTS_PDFXConformance, Trapped, Title and dates; the document ID; one output intent
/GTS_PDFX naming a registered characterization, or carrying a CMYK output profile; no JavaScript or
other actions: an /OpenAction, /AA, named /JavaScript, or an annotation's /A), ``check_structure``
(a file that says it is PDF/X-1a is at most PDF 1.4 and has no object or cross-reference streams),
``check_print_boxes`` (TrimBox and BleedBox on every page, BleedBox within MediaBox, TrimBox within
BleedBox, the bleed even and at most 5 mm and equal to the page) and ``check_annotations`` (no
annotation reaches into the BleedBox); ``has_bleed`` says whether a page has any bleed (none is a
warning of the whole file, given once by ``preflight``).
"""

from __future__ import annotations

import re

from dialoogkit.i18n import say
from dialoogkit.layouts.units import mm
from dialoogkit.output.preflight_spaces import entry, resolved

# Characterizations registered at color.org (https://www.color.org/chardata/drsection1.xalter):
# a file naming one of these needs no embedded output profile.
REGISTERED = re.compile(r"(FOGRA\d{2}L?|GRACoL\w*|CGATS[ .]?21\w*|CGATS TR 00[1-6]|SWOP\w*|JapanColor\w*|JC20\d{4}"
                        r"|IFRA\d{2}|SNAP\w*|CRPC\d)", re.IGNORECASE)
ALLOWED_IN_BLEED = ("/PrinterMark", "/TrapNet")
TOLERANCE = 0.05  # points: box comparisons survive rounding in the writer


def _text(value: object) -> str:
    return str(value) if value is not None else ""


def check_identification(reader) -> list[tuple[str, bool, str]]:
    """The file says it is PDF/X-1a and for which printing condition."""
    found: list[tuple[str, bool, str]] = []
    info = entry(reader.trailer, "/Info", {})
    version, conformance = _text(entry(info, "/GTS_PDFXVersion")), _text(entry(info, "/GTS_PDFXConformance"))
    if not version.startswith("PDF/X-1"):
        found.append(("pdfx_version", False, say("preflight.pdfx_version", found=version[:40] or "-")))
    elif not (version.startswith("PDF/X-1a") or conformance.startswith("PDF/X-1a")):
        found.append(("pdfx_conformance", False, say("preflight.pdfx_conformance", found=conformance[:40] or "-")))
    trapped = _text(entry(info, "/Trapped"))
    if trapped not in ("/True", "/False"):
        found.append(("trapped", False, say("preflight.trapped", found=trapped[:20] or "-")))
    missing = [key[1:] for key in ("/Title", "/CreationDate", "/ModDate") if not _text(entry(info, key))]
    if missing:
        found.append(("info", False, say("preflight.info_missing", keys=", ".join(missing))))
    document_id = entry(reader.trailer, "/ID")
    if not (isinstance(document_id, list) and len(document_id) == 2):
        found.append(("document_id", False, say("preflight.no_document_id")))
    found += check_output_intent(entry(reader.trailer, "/Root", {}))
    found += check_actions(reader)
    return found


ACTION_KEYS = ("/OpenAction", "/AA")
LINK_ACTIONS = ("/URI", "/GoTo", "/GoToR")


def check_actions(reader) -> list[tuple[str, bool, str]]:
    """No JavaScript and no other actions: PDF/X-1a files are for printing, nothing in them runs."""
    catalog = entry(reader.trailer, "/Root", {})
    found = [key[1:] for key in ACTION_KEYS if entry(catalog, key) is not None]
    if entry(entry(catalog, "/Names", {}), "/JavaScript") is not None:
        found.append("JavaScript")
    for number, page in enumerate(reader.pages[:10_000], 1):
        if entry(page, "/AA") is not None:
            found.append(f"AA (page {number})")
        annotations = entry(page, "/Annots", [])
        for ref in (annotations if isinstance(annotations, list) else [])[:10_000]:
            action = entry(entry(ref, "/A", {}), "/S")  # a link (URI, GoTo) is an annotation: check_annotations
            if (action is not None and str(action) not in LINK_ACTIONS) or entry(ref, "/AA") is not None:
                found.append(f"{str(action or '/AA')[1:]} (page {number})")
                break
        if len(found) >= 3:
            break
    if not found:
        return []
    return [("actions", False, say("preflight.actions", what=", ".join(found[:3])))]


def check_structure(data: bytes, reader) -> list[tuple[str, bool, str]]:
    """A file that says it is PDF/X-1a is PDF 1.3 or 1.4 (its header) and keeps its objects and
    cross-reference table as plain text (object streams and cross-reference streams are PDF 1.5)."""
    info = entry(reader.trailer, "/Info", {})
    if not (_text(entry(info, "/GTS_PDFXVersion")).startswith("PDF/X-1")
            or _text(entry(info, "/GTS_PDFXConformance")).startswith("PDF/X-1")):
        return []
    match = re.search(rb"%PDF-(\d)\.(\d)", data[:1024])
    version = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    found = []
    if version > (1, 4):
        found.append(("pdf_version", False, say("preflight.pdf_version", version=f"{version[0]}.{version[1]}")))
    if getattr(reader, "xref_objStm", None) or b"/ObjStm" in data or entry(reader.trailer, "/Type") == "/XRef":
        found.append(("pdf_version", False, say("preflight.object_streams")))
    return found


def check_output_intent(catalog: object) -> list[tuple[str, bool, str]]:
    """Exactly one /GTS_PDFX output intent, naming a registered characterization or carrying a
    CMYK output profile."""
    intents = entry(catalog, "/OutputIntents", [])
    pdfx = [resolved(i) for i in (intents if isinstance(intents, list) else []) if entry(i, "/S") == "/GTS_PDFX"]
    if not pdfx:
        return [("output_intent", False, say("preflight.no_output_intent"))]
    if len(pdfx) > 1:
        return [("output_intent", False, say("preflight.output_intents", count=len(pdfx)))]
    intent = pdfx[0]
    identifier = _text(entry(intent, "/OutputConditionIdentifier")).strip()
    if not identifier:
        return [("output_intent", False, say("preflight.no_condition"))]
    profile = entry(intent, "/DestOutputProfile")
    if profile is None:
        if REGISTERED.fullmatch(identifier):
            return []
        return [("output_intent", False, say("preflight.unregistered_condition", name=identifier[:60]))]
    try:
        header = profile.get_data()[:20]
    except Exception:  # a damaged profile stream
        header = b""
    if header[12:16] != b"prtr" or header[16:20] != b"CMYK":
        return [("output_intent", False, say("preflight.profile_not_cmyk", name=identifier[:60]))]
    return []


def _box(page, key: str) -> tuple[float, float, float, float] | None:
    value = entry(page, key)
    if not isinstance(value, list) or len(value) != 4:
        return None
    x0, y0, x1, y1 = (float(v) for v in value)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _media(page) -> tuple[float, float, float, float]:
    box = page.mediabox
    return float(box.left), float(box.bottom), float(box.right), float(box.top)


def _within(inner, outer) -> bool:
    return (inner[0] >= outer[0] - TOLERANCE and inner[1] >= outer[1] - TOLERANCE
            and inner[2] <= outer[2] + TOLERANCE and inner[3] <= outer[3] + TOLERANCE)


def _rounded(box) -> list[float]:
    return [round(v, 2) for v in box]


def check_print_boxes(page) -> list[tuple[str, bool, str]]:
    """TrimBox and BleedBox present and nested in the MediaBox; the bleed even, at most 5 mm, and
    the whole page."""
    trim, bleed, media = _box(page, "/TrimBox"), _box(page, "/BleedBox"), _media(page)
    if trim is None or bleed is None:
        return [("boxes", False, say("output.preflight.no_trim_or_bleed"))]
    if not _within(bleed, media):
        return [("boxes", False, say("preflight.bleed_outside_media", bleed=_rounded(bleed), media=_rounded(media)))]
    if not _within(trim, bleed):
        return [("boxes", False, say("preflight.trim_outside_bleed", trim=_rounded(trim), bleed=_rounded(bleed)))]
    found = []
    if max(abs(a - b) for a, b in zip(bleed, media)) > TOLERANCE:
        found.append(("boxes", False, say("output.preflight.bleed_not_page", bleed=tuple(_rounded(bleed)),
                                          page=tuple(_rounded(media)))))
    margins = [trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]]
    if max(margins) - min(margins) > TOLERANCE or max(margins) > mm(5) + TOLERANCE:
        found.append(("boxes", False, say("output.preflight.bleed_uneven", margins=[round(m, 2) for m in margins])))
    return found


def bleed_of(page) -> float | None:
    """The narrowest bleed (points) of a page: the least distance from TrimBox to BleedBox."""
    trim, bleed = _box(page, "/TrimBox"), _box(page, "/BleedBox")
    if trim is None or bleed is None:
        return None
    return min(trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])


def has_bleed(page) -> bool:
    """The page's BleedBox reaches beyond its TrimBox (a page without these boxes counts as
    having bleed: ``check_print_boxes`` reports it)."""
    trim, bleed = _box(page, "/TrimBox"), _box(page, "/BleedBox")
    if trim is None or bleed is None:
        return True
    return max(abs(a - b) for a, b in zip(trim, bleed)) > TOLERANCE


def check_annotations(page) -> list[tuple[str, bool, str]]:
    """No annotation (a link, a note, a form field) lies inside the BleedBox: PDF/X allows only
    printer's marks and trap networks there."""
    area = _box(page, "/BleedBox") or _box(page, "/TrimBox") or _media(page)
    annotations = entry(page, "/Annots", [])
    inside = []
    for ref in (annotations if isinstance(annotations, list) else [])[:10_000]:
        annotation = resolved(ref)
        subtype = _text(entry(annotation, "/Subtype"))
        rect = entry(annotation, "/Rect")
        if subtype in ALLOWED_IN_BLEED or not isinstance(rect, list) or len(rect) != 4:
            continue
        try:
            x0, y0, x1, y1 = (float(v) for v in rect)
        except (TypeError, ValueError):
            continue
        if min(x0, x1) < area[2] and max(x0, x1) > area[0] and min(y0, y1) < area[3] and max(y0, y1) > area[1]:
            inside.append(subtype[1:] or "?")
    if not inside:
        return []
    return [("annotation", False, say("preflight.annotation_in_bleed", count=len(inside), kind=inside[0][:30]))]
