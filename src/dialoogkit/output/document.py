"""A reportlab canvas set up the way every dialoogkit PDF needs it.

In: a page size, document facts (title, author, subject, language, the kind of kit file and, for
the print-shop files, the PDF/X output intent) and a file-like target.
Out: a ``Canvas`` with embedded Source Sans Pro as its initial font (so reportlab's unembedded
Helvetica never sneaks in), invariant output (no timestamps or random ids: identical input gives
identical bytes; the creation and modification date are the fixed ``D:20000101000000+00'00'``),
compressed pages, document info and language set, and a document ID. The info names the kind of
kit file (``/DialoogkitKind``: sheets, printshop, canvases, guide), so preflight need not guess.
With an output intent the file identifies itself as PDF/X-1a:2001 (``GTS_PDFXVersion``,
``GTS_PDFXConformance``, ``Trapped /False``, ``/OutputIntents`` in the catalog) and takes no
annotations (``takes_links`` is False: QR codes are not clickable in a file for the press).
Every embedded font subset is named by a tag derived from its font and its glyph set
(``subset_tag``: six letters of a SHA-256, where reportlab writes ``AAAAAA+`` for every first
subset), so two files ganged on one press sheet never carry two different fonts of one name, and
a rebuild gives the same names. ``canvas_maker`` gives the same setup to a platypus document (the
guide).
The canvas keeps the facts of what it wrote (``PdfFacts``: per page its size, boxes, content
stream, graphics states, and whether it placed images or forms; the file's bytes' size and
digest): inside ``collecting_facts()`` every saved file's facts are handed over by kind, so the
build checks its own output without parsing the PDF again (``preflight_facts``).
"""

from __future__ import annotations

import hashlib
import string
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import BinaryIO, Callable, Iterator

from reportlab.pdfbase.pdfdoc import (
    PDFArray, PDFCatalog, PDFDate, PDFDictionary, PDFInfo, PDFName, PDFObjectReference, PDFStream, PDFString,
    PDFTrueTypeFont, PDFZCompress,
)
from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from dialoogkit import __version__
from dialoogkit.generator.fonts import REGULAR, register_fonts
from dialoogkit.output.pdfx import PDFX_CONFORMANCE, PDFX_VERSION, OutputIntent

LANG_TAGS = {"nl": "nl-NL", "en": "en-GB"}
KINDS = ("sheets", "printshop", "canvases", "guide")


@dataclass(frozen=True)
class DocumentInfo:
    """What a PDF says about itself; ``kind`` is one of ``KINDS``, ``intent`` makes it PDF/X."""

    title: str
    author: str
    subject: str
    language: str
    keywords: str = "dialoogkit"
    kind: str = ""
    intent: OutputIntent | None = None


class KitInfo(PDFInfo):
    """reportlab's document info (title, author, dates, ``Trapped``) plus the kind of kit file and
    the PDF/X identification."""

    def __init__(self, document, extra: dict[str, str], identity: str):
        super().__init__()
        self.document = document
        self.extra = extra
        self.identity = identity

    def digest(self, md5object) -> None:
        """reportlab makes the document ID from this digest when the file is written: the info,
        the output intent and every page's content and boxes, so files that differ get
        different IDs and a rebuild gets the same one. It is called once every font subset is
        made and before any object is written: the subsets get their names here."""
        name_subsets(self.document)
        super().digest(md5object)
        for key, value in sorted(self.extra.items()):
            md5object.update(f"{key}={value}".encode())
        md5object.update(self.identity.encode())
        for page in self.document.Pages.pages:
            boxes = [getattr(getattr(page, name, None), "sequence", None) for name in ("TrimBox", "BleedBox")]
            size = (getattr(page, "pagewidth", None), getattr(page, "pageheight", None))
            md5object.update(f"{page.stream}{boxes}{size}".encode("utf-8", "replace"))

    def format(self, document) -> bytes:
        entries = {"Title": PDFString(self.title), "Author": PDFString(self.author),
                   "Subject": PDFString(self.subject), "Keywords": PDFString(self.keywords),
                   "Creator": PDFString(self.creator), "Producer": PDFString(self.producer),
                   "CreationDate": PDFDate(ts=document._timeStamp, dateFormatter=self._dateFormatter),
                   "ModDate": PDFDate(ts=document._timeStamp, dateFormatter=self._dateFormatter),
                   "Trapped": PDFName(self.trapped)}
        entries.update({key: PDFString(value) for key, value in self.extra.items()})
        return PDFDictionary(entries).format(document)


def subset_tag(font_name: str, program: bytes, codes: str) -> str:
    """Six capital letters for a font subset, from the font's name, the subset's font program
    (its glyphs) and its code map: different subsets get different tags, the same subset the same."""
    digest = hashlib.sha256(b"\0".join((font_name.encode("utf-8", "replace"), program,
                                        codes.encode("utf-8", "replace")))).digest()
    return "".join(string.ascii_uppercase[byte % 26] for byte in digest[:6])


def name_subsets(document) -> None:
    """Rename every TrueType subset reportlab made (``AAAAAA+Name``, ``AAAAAB+Name``, …) to
    ``subset_tag(…)+Name``: its font dictionary, its descriptor and its ToUnicode map."""
    objects = document.idToObject
    for font in [obj for obj in objects.values() if isinstance(obj, PDFTrueTypeFont)]:
        old = str(font.BaseFont)
        prefix, plus, name = old.partition("+")
        descriptor = _resolve(objects, getattr(font, "FontDescriptor", None))
        program = _resolve(objects, descriptor.dict.get("FontFile2")) if descriptor is not None else None
        cmap = _resolve(objects, getattr(font, "ToUnicode", None))
        if not plus or len(prefix) != 6 or program is None or cmap is None:
            continue
        new = f"{subset_tag(name, bytes(program.content), str(cmap.content))}+{name}"
        font.BaseFont = new
        descriptor.dict["FontName"] = PDFName(new)
        cmap.content = cmap.content.replace(old, new)


def _resolve(objects: dict, value: object) -> object:
    """The object a reportlab reference names (or the value itself)."""
    return objects.get(value.name) if isinstance(value, PDFObjectReference) else value


class PdfxCatalog(PDFCatalog):
    """reportlab's catalog writes only the keys it knows; this one also writes ``OutputIntents``."""

    __NoDefault__ = PDFCatalog.__NoDefault__ + ["OutputIntents"]


# Streams are written binary, Flate only. reportlab's default also ASCII85-encodes every stream (in
# pure Python where its accelerator is missing): measured, 13% of a 300-card build, and files a
# quarter larger. PDF/X-1a and every reader take binary streams. Every kit PDF is made through
# this module, so it is set here, once.
rl_config.useA85 = 0


@dataclass(frozen=True)
class PageFacts:
    """One page as the canvas wrote it: size, boxes (None where not set), the content stream
    (before compression), its graphics states (name → entries, as a PDF reader sees them) and
    whether it draws an image or form XObject (the build's own check then reads the file)."""

    width: float
    height: float
    trim: tuple[float, ...] | None
    bleed: tuple[float, ...] | None
    content: bytes
    states: dict[str, dict[str, object]]
    xobjects: bool

    def as_page(self) -> dict[str, object]:
        """The page as a dictionary the preflight's box and ink checks read like a parsed page."""
        page: dict[str, object] = {"/MediaBox": [0.0, 0.0, self.width, self.height],
                                   "/Resources": {"/ExtGState": self.states}}
        if self.trim is not None:
            page["/TrimBox"] = list(self.trim)
        if self.bleed is not None:
            page["/BleedBox"] = list(self.bleed)
        return page


@dataclass
class PdfFacts:
    """What the build knows of a PDF it wrote: its kind, pages, and the size and SHA-256 of the
    bytes, so the facts are used only for those very bytes."""

    kind: str
    pages: list[PageFacts] = field(default_factory=list)
    size: int = -1
    digest: str = ""
    plain_fonts: list[str] = field(default_factory=list)  # fonts used but not embedded (Helvetica)

    def describes(self, data: bytes) -> bool:
        return len(data) == self.size and hashlib.sha256(data).hexdigest() == self.digest


_COLLECTOR: ContextVar[dict[str, PdfFacts] | None] = ContextVar("dialoogkit_pdf_facts", default=None)


@contextmanager
def collecting_facts() -> Iterator[dict[str, PdfFacts]]:
    """Within this block each kit PDF saved hands its ``PdfFacts`` to the dictionary yielded (by
    kind; a later file of a kind replaces the earlier one)."""
    found: dict[str, PdfFacts] = {}
    token = _COLLECTOR.set(found)
    try:
        yield found
    finally:
        _COLLECTOR.reset(token)


_TRUE = {"true": True, "false": False}


class KitCanvas(Canvas):
    """reportlab's canvas that notes the ``PageFacts`` of every page it shows and, when a
    collector is open, hands the file's ``PdfFacts`` over when it is saved."""

    def __init__(self, *args, kind: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.facts = PdfFacts(kind)

    def showPage(self) -> None:
        stream = "\n".join(self._psCommandsBeforePage + [self._preamble] + self._code + [" "]
                           + self._psCommandsAfterPage)
        states = {f"/{name}": {f"/{key}": _TRUE.get(value, value) if isinstance(value, str) else value}
                  for (key, value), name in self._extgstate._c.items()}
        self.facts.pages.append(PageFacts(
            self._pagesize[0], self._pagesize[1], _box_of(getattr(self, "_trimBox", None)),
            _box_of(getattr(self, "_bleedBox", None)), stream.encode("latin-1", "replace"), states,
            bool(self._formsinuse)))
        super().showPage()

    def save(self) -> None:
        self.facts.plain_fonts = sorted(name for name in self._doc.fontMapping if not _embeds(name))
        super().save()
        found = _COLLECTOR.get()
        target = self._filename
        if found is not None and self.facts.kind and hasattr(target, "getvalue"):
            data = target.getvalue()
            self.facts.size, self.facts.digest = len(data), hashlib.sha256(data).hexdigest()
            found[self.facts.kind] = self.facts


def _embeds(font_name: str) -> bool:
    """The font is a TrueType font, which reportlab always embeds (as a subset)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    try:
        return isinstance(pdfmetrics.getFont(font_name), TTFont)
    except KeyError:
        return False


def _box_of(box) -> tuple[float, ...] | None:
    return tuple(float(v) for v in box) if box else None


def open_canvas(target: BinaryIO, page_size: tuple[float, float], info: DocumentInfo) -> Canvas:
    """A canvas writing to ``target`` with fonts, invariance, info and language set (a
    ``KitCanvas``: it keeps the facts of what it writes)."""
    register_fonts()
    canvas = KitCanvas(
        target, pagesize=page_size, invariant=1, pageCompression=1,
        initialFontName=REGULAR, initialFontSize=10, lang=LANG_TAGS.get(info.language, info.language),
        kind=info.kind,
    )
    describe(canvas, info)
    canvas.setTitle(info.title)
    canvas.setAuthor(info.author)
    canvas.setSubject(info.subject)
    canvas.setKeywords(info.keywords)
    canvas.setCreator(f"dialoogkit {__version__}")
    canvas.setProducer(f"dialoogkit {__version__} (reportlab)")
    return canvas


def describe(canvas: Canvas, info: DocumentInfo) -> None:
    """Give ``canvas`` the kit's document info (kind, PDF/X keys) and, with an output intent, the
    PDF/X catalog entry; call before anything is drawn (title and author are set after)."""
    extra = {"DialoogkitKind": info.kind} if info.kind else {}
    canvas.takes_links = info.intent is None
    if info.intent is not None:
        extra |= {"GTS_PDFXVersion": PDFX_VERSION, "GTS_PDFXConformance": PDFX_CONFORMANCE}
        _add_output_intent(canvas, info.intent)
    kit_info = KitInfo(canvas._doc, extra, _identity(info.intent))
    kit_info.trapped = "False"  # PDF/X: no trapping was done (True or False, never Unknown)
    canvas._doc.info = kit_info


def _identity(intent: OutputIntent | None) -> str:
    if intent is None:
        return ""
    profile = hashlib.sha256(intent.profile).hexdigest() if intent.profile else ""
    return f"{intent.identifier}|{intent.condition}|{intent.info}|{profile}"


def canvas_maker(info: DocumentInfo) -> Callable[..., Canvas]:
    """A ``canvasmaker`` for platypus documents: reportlab's canvas, described by ``info``."""

    def make(*args, **kwargs) -> Canvas:
        canvas = Canvas(*args, **kwargs)
        describe(canvas, info)
        return canvas

    return make


def _add_output_intent(canvas: Canvas, intent: OutputIntent) -> None:
    """The ``/OutputIntents`` array of a PDF/X file, with the profile embedded as
    ``DestOutputProfile`` when the intent has one (a registered name needs none)."""
    document = canvas._doc
    entry = {"Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFX"),
             "OutputConditionIdentifier": PDFString(intent.identifier),
             "OutputCondition": PDFString(intent.condition), "Info": PDFString(intent.info)}
    if intent.registry:
        entry["RegistryName"] = PDFString(intent.registry)
    if intent.profile:
        stream = PDFStream(PDFDictionary({"N": 4}), intent.profile, filters=[PDFZCompress])
        entry["DestOutputProfile"] = document.Reference(stream, "DestOutputProfile")
    document.Catalog.__class__ = PdfxCatalog  # the same object: the document's references to it hold
    document.Catalog.OutputIntents = PDFArray([PDFDictionary(entry)])
