"""A reportlab canvas set up the way every dialoogkit PDF needs it.

In: a page size, document facts (title, author, subject, language) and a file-like target.
Out: a ``Canvas`` with embedded Source Sans Pro as its initial font (so reportlab's unembedded
Helvetica never sneaks in), invariant output (no timestamps or random ids: identical input gives
identical bytes), compressed pages, and document info and language set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from reportlab.pdfgen.canvas import Canvas

from dialoogkit import __version__
from dialoogkit.generator.fonts import REGULAR, register_fonts

LANG_TAGS = {"nl": "nl-NL", "en": "en-GB"}


@dataclass(frozen=True)
class DocumentInfo:
    """What a PDF says about itself."""

    title: str
    author: str
    subject: str
    language: str
    keywords: str = "dialoogkit"


def open_canvas(target: BinaryIO, page_size: tuple[float, float], info: DocumentInfo) -> Canvas:
    """A canvas writing to ``target`` with fonts, invariance, info and language set."""
    register_fonts()
    canvas = Canvas(
        target, pagesize=page_size, invariant=1, pageCompression=1,
        initialFontName=REGULAR, initialFontSize=10, lang=LANG_TAGS.get(info.language, info.language),
    )
    canvas.setTitle(info.title)
    canvas.setAuthor(info.author)
    canvas.setSubject(info.subject)
    canvas.setKeywords(info.keywords)
    canvas.setCreator(f"dialoogkit {__version__}")
    canvas.setProducer(f"dialoogkit {__version__} (reportlab)")
    return canvas
