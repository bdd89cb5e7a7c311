"""Preflight: check a PDF the way a print shop would, before anyone prints it.

In: PDF bytes (a build's output) or a file path given on the command line, and what it is
(``printshop``, ``sheets``, ``canvases``, ``guide``): given, else from the file's name (a kit
file's name, ``kitfiles.preflight_kind``), else from its Info key ``/DialoogkitKind``; a file
that says neither is checked as its pages suggest, with an error that asks for ``--kind``.
Out: the kind checked as and a list of findings, each naming the page (page 0: the file as a
whole), each an error or a warning. For every file: missing, broken or inconsistent page boxes,
fonts that are not embedded, RGB colour where CMYK was promised, text outside the safe zone
(``text=True``), and (``qr=True``) QR codes that do not decode, do not equal the address of the
link over them, or are smaller than their minimum size. Print-shop files (``printshop``,
``canvases``) are also held to PDF/X-1a (``preflight_pdfx``: identification, output intent,
TrimBox and BleedBox, no annotation in the bleed, no actions, PDF 1.4 at most without object
streams; no bleed at all, or less than ``bleed_mm`` (3 mm unless told), is a warning) and to the
ink rules read from the content streams (``preflight_ink``: device CMYK only, total area
coverage, text colour and smallest size, line widths, image resolution, no transparency, no white
overprint, no transfer function or halftone). Any file, however damaged or
hostile, gives findings, never an exception: reading stays within ``pdfinput.Limits``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from dialoogkit.errors import quoted
from dialoogkit.i18n import say
from dialoogkit.layouts.card import MIN_SAFE_MM
from dialoogkit.layouts.imposition import PRINTABLE_MM
from dialoogkit.layouts.profiles import card_margin_mm
from dialoogkit.layouts.units import mm, to_mm
from dialoogkit.output.kitfiles import preflight_kind
from dialoogkit.output.pdfinput import (LIMITS, CheckTimedOut, Deadline, Limits, PdfProblem, bounded,
                                        describe_error, open_reader)
from dialoogkit.output.pdfium_lock import PDFIUM
from dialoogkit.output.preflight_ink import Tokens, analyse_page

if TYPE_CHECKING:
    import pypdf  # loaded by ``pdfinput`` when a file is read: a build checks its own files without it
from dialoogkit.output.preflight_pdfx import (bleed_of, check_annotations, check_identification, check_print_boxes,
                                              check_structure, has_bleed)
from dialoogkit.output.preflight_qr import canvas_scale, check_qr
from dialoogkit.output.preflight_spaces import MIN_TEXT_PT, ink_findings
from dialoogkit.safe_read import Unreadable, read_regular

KINDS = ("printshop", "sheets", "canvases", "guide")
STRICT = ("printshop", "canvases")  # held to PDF/X-1a and the ink rules
# Text keeps this far from the paper's edge. Office sheets: the printable area (the sheet's small
# print lies in the margin, between that edge and the cards); the guide: its page margin.
SAFE_MM = {"sheets": PRINTABLE_MM, "guide": 10.0, "canvases": 12.0}
BOXES = ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox")
KIND_KEY = "/DialoogkitKind"
DEFAULT_BLEED_MM = 3.0  # what print shops ask for; ``preflight --bleed MM`` may ask for another


@dataclass(frozen=True)
class Finding:
    """One problem on one page (1-based; 0 for the file as a whole): an error, or a warning that
    does not stop a build; ``code`` names the check (``rgb``, ``tac``, ``boxes``, …)."""

    page: int
    message: str
    warning: bool = False
    code: str = ""

    def format(self, name: str) -> str:
        if self.page:
            return say("output.preflight.on_page", name=name, page=self.page, message=self.message)
        return f"{name}: {self.message}"


@dataclass(frozen=True)
class PreflightNote:
    """A preflight warning as the build's listener hears it (``format()`` as a ``Problem`` has)."""

    text: str

    def format(self) -> str:
        return self.text


def preflight(data: bytes, kind: str | None = None, qr: bool = False, text: bool = True,
              limits: Limits = LIMITS, name: str | None = None,
              bleed_mm: float = DEFAULT_BLEED_MM, facts=None) -> tuple[str, list[Finding]]:
    """Run every check on a PDF (``name``: its file name, which may tell its kind; ``bleed_mm``:
    the bleed a print-shop file should have); returns the kind it was checked as and the findings.
    A build passes the ``document.PdfFacts`` of a file it just wrote: without the QR and text
    checks, the file is then checked from those facts (``preflight_facts``), not parsed again."""
    if facts is not None and kind and not qr and not text:
        from dialoogkit.output.preflight_facts import preflight_facts, usable

        if usable(facts, data):
            return kind, preflight_facts(facts, kind, bleed_mm, limits)
    findings: list[Finding] = []
    if qr:  # imported before the deadline runs: an import it cut short would leave a module broken
        import pypdfium2  # noqa: F401
        import zxingcpp  # noqa: F401
    try:
        with bounded(limits) as deadline:
            reader = open_reader(data, limits)
            deadline.allow_pages(len(reader.pages))
            kind = kind or known_kind(reader, name, findings)
            if kind in STRICT:
                findings += [Finding(0, message, warning, code)
                             for code, warning, message in check_identification(reader) + check_structure(data, reader)]
            check_pages(data, reader, kind, qr, text, limits, deadline, findings, bleed_mm)
    except PdfProblem as exc:
        findings.append(Finding(0, str(exc), code="file"))
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


def preflight_file(path: Path, kind: str | None = None, qr: bool = True, limits: Limits = LIMITS,
                   bleed_mm: float = DEFAULT_BLEED_MM) -> tuple[str | None, list[str], list[str]]:
    """Read and check the PDF file at ``path`` (only a regular file, within the size limit); the kind
    it was checked as (None when unreadable), the errors and the warnings as lines naming the file."""
    name = quoted(path, 120)
    try:
        data = read_regular(path, limits.file_bytes, "pdf")
    except Unreadable as exc:
        return None, [say("os.could_not_read", path=name, reason=exc.reason, fix=exc.fix)], []
    found, findings = preflight(data, kind, qr=qr, limits=limits, name=PurePath(path).name, bleed_mm=bleed_mm)
    return (found, [f.format(name) for f in findings if not f.warning],
            [f.format(name) for f in findings if f.warning])


def known_kind(reader: pypdf.PdfReader, name: str | None, findings: list[Finding]) -> str:
    """The kind a kit file's name says, else the one its Info key /DialoogkitKind says; else the
    kind its pages suggest, with an error asking for --kind."""
    by_name = preflight_kind(PurePath(name).name) if name else None
    if by_name:
        return by_name
    said = str(_get(_get(reader.trailer, "/Info", {}), KIND_KEY, ""))
    if said in KINDS:
        return said
    guessed = infer_kind(reader)
    findings.append(Finding(0, say("preflight.kind_unknown", kind=guessed, kinds=", ".join(KINDS)), code="kind"))
    return guessed


def infer_kind(reader: pypdf.PdfReader) -> str:
    """A guess from the first page, for a file that does not say what it is: a TrimBox smaller than
    the page → print shop, landscape → canvases, else sheets."""
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
    holder = holder.get_object() if hasattr(holder, "get_object") else holder
    if not isinstance(holder, dict) or key not in holder:
        return default
    value = holder[key]
    return value.get_object() if hasattr(value, "get_object") else value


@dataclass
class Context:
    """What the checks of every page of one file share."""

    kind: str
    text: bool
    limits: Limits
    deadline: Deadline
    tokens: Tokens
    seen_fonts: set[str]
    rendering: object = None  # the pdfium document, for the QR check


def check_pages(data: bytes, reader: pypdf.PdfReader, kind: str, qr: bool, text: bool, limits: Limits,
                deadline: Deadline, findings: list[Finding], bleed_mm: float = DEFAULT_BLEED_MM) -> None:
    """Check page by page, the deadline between pages; a page that breaks a check gets one finding.
    A print-shop file without bleed on any page, or with less than ``bleed_mm``, gets one warning."""
    context = Context(kind, text, limits, deadline, Tokens(limits), set())
    context.rendering = _open_rendering(data, deadline, findings) if qr else None
    without_bleed, short = 0, []
    try:
        for number, page in enumerate(reader.pages, 1):
            deadline.start_page(number)
            if kind in STRICT and not box_problems(page, limits):
                without_bleed += not has_bleed(page)
                bleed = bleed_of(page)
                if bleed is not None and has_bleed(page) and bleed < mm(bleed_mm) - 0.05:
                    short.append(bleed)
            findings += check_page(page, number, context)  # after: pypdf's page.trimbox sets a missing one
    finally:
        context.tokens.close()
        if context.rendering is not None:
            deadline.held += 1
            try:
                with PDFIUM:
                    context.rendering.close()
            finally:
                deadline.held -= 1
    if without_bleed:
        findings.append(Finding(0, say("preflight.no_bleed", count=without_bleed, pages=len(reader.pages)),
                                warning=True, code="no_bleed"))
    if short:
        findings.append(Finding(0, say("preflight.short_bleed", bleed=f"{to_mm(min(short)):.1f}", count=len(short),
                                       pages=len(reader.pages), wanted=f"{bleed_mm:g}"), warning=True,
                                code="short_bleed"))


def _open_rendering(data: bytes, deadline: Deadline, findings: list[Finding]):
    import pypdfium2 as pdfium

    try:
        with deadline.holding(), PDFIUM:
            return pdfium.PdfDocument(data)
    except Exception as exc:
        findings.append(Finding(0, say("output.preflight.not_rendered", reason=describe_error(exc))))
        return None


def check_page(page, number: int, context: Context) -> list[Finding]:
    """All problems of one page; the first error a damaged page raises ends its checks."""
    kind, limits = context.kind, context.limits
    found = [("box", False, message) for message in box_problems(page, limits)]
    checks = [lambda: _errors(check_fonts(page, context.seen_fonts), "font")]
    if not found:
        if kind in STRICT:
            checks += [lambda: check_print_boxes(page), lambda: check_annotations(page)]
        if context.text:
            checks.append(lambda: _errors(check_text_zone(page, kind), "text_zone"))
        if context.rendering is not None:
            checks.append(lambda: _errors(locked_qr(page, context.rendering, number - 1, context.deadline, kind=kind,
                                                   limits=limits), "qr"))
    checks.append(lambda: ink_findings(analyse_page(page, context.tokens, kind in STRICT, limits, context.deadline,
                                                    MIN_TEXT_PT.get(kind, 0.0))))
    for check in checks:
        try:
            found += check()
        except MemoryError:
            raise
        except Exception as exc:  # a damaged or hostile page
            found.append(("damaged", False, say("output.preflight.not_checked", reason=describe_error(exc, limits))))
            break
    return [Finding(number, message, warning, code) for code, warning, message in found]


def _errors(messages: list[str], code: str) -> list[tuple[str, bool, str]]:
    return [(code, False, message) for message in messages]


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


def safe_area(page, kind: str) -> tuple[float, float, float, float]:
    """The rectangle text must stay inside on this page."""
    if kind == "printshop":
        trim = _box(page.trimbox)
        short = min(trim[2] - trim[0], trim[3] - trim[1]) / mm(1)
        inset = mm(max(MIN_SAFE_MM, card_margin_mm(short))) - 0.5
        return trim[0] + inset, trim[1] + inset, trim[2] - inset, trim[3] - inset
    media = _box(page.trimbox if kind == "canvases" and "/TrimBox" in page else page.mediabox)
    factor = canvas_scale(page) if kind == "canvases" else 1.0
    inset = mm(SAFE_MM.get(kind, 10.0)) * factor - 0.5
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


def locked_qr(*args, **kwargs):
    """``check_qr`` holding PDFium's lock (it renders the page with PDFium)."""
    with PDFIUM:
        return check_qr(*args, **kwargs)
