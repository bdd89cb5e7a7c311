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
``canvas_maker`` gives the same setup to a platypus document (the guide).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import BinaryIO, Callable

from reportlab.pdfbase.pdfdoc import (
    PDFArray, PDFCatalog, PDFDate, PDFDictionary, PDFInfo, PDFName, PDFStream, PDFString, PDFZCompress,
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
        different IDs and a rebuild gets the same one."""
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


class PdfxCatalog(PDFCatalog):
    """reportlab's catalog writes only the keys it knows; this one also writes ``OutputIntents``."""

    __NoDefault__ = PDFCatalog.__NoDefault__ + ["OutputIntents"]


# Streams are written binary, Flate only. reportlab's default also ASCII85-encodes every stream (in
# pure Python where its accelerator is missing): measured, 13% of a 300-card build, and files a
# quarter larger. PDF/X-1a and every reader take binary streams. Every kit PDF is made through
# this module, so it is set here, once.
rl_config.useA85 = 0


def open_canvas(target: BinaryIO, page_size: tuple[float, float], info: DocumentInfo) -> Canvas:
    """A canvas writing to ``target`` with fonts, invariance, info and language set."""
    register_fonts()
    canvas = Canvas(
        target, pagesize=page_size, invariant=1, pageCompression=1,
        initialFontName=REGULAR, initialFontSize=10, lang=LANG_TAGS.get(info.language, info.language),
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
