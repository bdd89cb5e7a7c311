"""The fonts for every script: Source Sans Pro first, Noto (OFL) for what it lacks.

In: nothing (Source Sans Pro comes from ``font-source-sans-pro``; the Noto faces, copied from
Debian's fonts-noto-core with their licence, are package data in ``dialoogkit/data/fonts``).
Out: for each of the four faces of ``fonts`` (``REGULAR``, ``SEMIBOLD``, ``BOLD``, ``ITALIC``) the
ordered fonts that may draw a character (``chain``) and the font preferred for a script
(``font_for_script``); ``has_glyph``; ``register_script_fonts``; and ``GlyphFont``, a reportlab
TrueType font that can draw any glyph HarfBuzz picks (contextual forms, ligatures, marks) by giving
it a code of its own, with a ToUnicode map that gives each such glyph back the text it stands for,
so text extraction and copy/paste yield the characters of the deck.
Noto has no semibold and no italic for Arabic, Hebrew and Ethiopic: semibold takes bold, italic
takes regular, so sizes and the bold/regular hierarchy stay the same in every script.
"""

from __future__ import annotations

import threading

from functools import lru_cache
from importlib import resources
from pathlib import Path

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

from dialoogkit.generator.fonts import BOLD, ITALIC, REGULAR, SEMIBOLD, register_fonts

NOTO = "NotoSans"
NOTO_BOLD = "NotoSans-Bold"
NOTO_ITALIC = "NotoSans-Italic"
ARABIC = "NotoSansArabic"
ARABIC_BOLD = "NotoSansArabic-Bold"
HEBREW = "NotoSansHebrew"
HEBREW_BOLD = "NotoSansHebrew-Bold"
ETHIOPIC = "NotoSansEthiopic"
ETHIOPIC_BOLD = "NotoSansEthiopic-Bold"

_FILES = {
    NOTO: "NotoSans-Regular.ttf", NOTO_BOLD: "NotoSans-Bold.ttf", NOTO_ITALIC: "NotoSans-Italic.ttf",
    ARABIC: "NotoSansArabic-Regular.ttf", ARABIC_BOLD: "NotoSansArabic-Bold.ttf",
    HEBREW: "NotoSansHebrew-Regular.ttf", HEBREW_BOLD: "NotoSansHebrew-Bold.ttf",
    ETHIOPIC: "NotoSansEthiopic-Regular.ttf", ETHIOPIC_BOLD: "NotoSansEthiopic-Bold.ttf",
}
SHAPED = frozenset({ARABIC, ARABIC_BOLD, HEBREW, HEBREW_BOLD, ETHIOPIC, ETHIOPIC_BOLD})  # drawn through HarfBuzz

# face of the deck -> script -> font; "" is every other script (Latin, Cyrillic, Greek, common)
_BY_SCRIPT = {
    REGULAR: {"": REGULAR, "Arab": ARABIC, "Hebr": HEBREW, "Ethi": ETHIOPIC},
    SEMIBOLD: {"": SEMIBOLD, "Arab": ARABIC_BOLD, "Hebr": HEBREW_BOLD, "Ethi": ETHIOPIC_BOLD},
    BOLD: {"": BOLD, "Arab": ARABIC_BOLD, "Hebr": HEBREW_BOLD, "Ethi": ETHIOPIC_BOLD},
    ITALIC: {"": ITALIC, "Arab": ARABIC, "Hebr": HEBREW, "Ethi": ETHIOPIC},
}
_LATIN_FALLBACK = {REGULAR: NOTO, SEMIBOLD: NOTO_BOLD, BOLD: NOTO_BOLD, ITALIC: NOTO_ITALIC}
FACES = tuple(_BY_SCRIPT)


def font_folder() -> Path:
    """Where the bundled Noto TrueType files and their licence are."""
    return Path(str(resources.files("dialoogkit") / "data" / "fonts"))


def face_of(font: str) -> str:
    """The face of the deck (``REGULAR``…) a font name stands for; a script font maps to itself."""
    return font if font in _BY_SCRIPT else REGULAR


def font_for_script(face: str, script: str) -> str:
    """The font that draws ``script`` (an ISO 15924 code such as ``Arab``) in ``face``."""
    table = _BY_SCRIPT[face_of(face)]
    return table.get(script, table[""])


def chain(face: str) -> tuple[str, ...]:
    """Every font that may draw a character in ``face``, in the order they are tried."""
    table = _BY_SCRIPT[face_of(face)]
    return (table[""], _LATIN_FALLBACK[face_of(face)], table["Arab"], table["Hebr"], table["Ethi"])


class GlyphFont(TTFont):
    """A TrueType font whose glyphs can be drawn by glyph id. ``code_for(glyph, text)`` gives the
    code to draw: the character itself when the glyph is its nominal glyph, else a code from the
    supplementary private use area that reportlab's subsetter maps to the glyph; the ToUnicode map
    of the embedded subset maps that code to ``text`` (the characters of the glyph's cluster)."""

    FIRST_CODE = 0xF0000

    def __init__(self, name: str, filename: str, subset_offset: int = 0):
        super().__init__(name, filename)
        self.subset_offset = subset_offset  # a twin of a registered font gets other subset tags
        self.cmap = frozenset(self.face.charToGlyph)  # before any code of our own is added
        self._codes: dict[tuple[int, str], int] = {}
        self.texts: dict[int, str] = {}
        self._lock = threading.Lock()

    def code_for(self, glyph: int, text: str) -> int:
        if len(text) == 1 and ord(text) in self.cmap and self.face.charToGlyph[ord(text)] == glyph:
            return ord(text)
        code = self._codes.get((glyph, text))
        if code is None:
            with self._lock:  # faces are drawn in threads at once (studio previews, builds)
                code = self._codes.get((glyph, text))
                if code is None:
                    code = self.FIRST_CODE + len(self._codes)
                    face = self.face
                    face.charToGlyph[code] = glyph
                    face.charWidths[code] = face.hmetrics[glyph][0] * 1000.0 / face.unitsPerEm
                    self.texts[code] = text
                    self._codes[(glyph, text)] = code
        return code

    def addObjects(self, doc) -> None:
        """As ``TTFont.addObjects``, with a ToUnicode map that knows the codes of drawn glyphs."""
        state = self._assignState(doc)
        state.frozen = 1
        for n, subset in enumerate(state.subsets):
            internal = self.getSubsetInternalName(n, doc)[1:]
            base = (b"".join((SUBSETN(n + self.subset_offset), b"+", self.face.name, self.face.subfontNameX))).decode("pdfdoc")
            pdf_font = pdfdoc.PDFTrueTypeFont()
            pdf_font.__Comment__ = "Font %s subset %d" % (self.fontName, n)
            pdf_font.Name = internal
            pdf_font.BaseFont = base
            pdf_font.FirstChar = 0
            pdf_font.LastChar = len(subset) - 1
            pdf_font.Widths = pdfdoc.PDFArray(list(map(self.face.getCharWidth, subset)))
            stream = pdfdoc.PDFStream()
            stream.content = self._to_unicode(base, subset)
            if doc.compression:
                stream.filters = [pdfdoc.PDFZCompress]
            pdf_font.ToUnicode = doc.Reference(stream, "toUnicodeCMap:" + base)
            pdf_font.FontDescriptor = self.face.addSubsetObjects(doc, base, subset)
            doc.Reference(pdf_font, internal)
            doc.idToObject["BasicFonts"].dict[internal] = pdf_font
        del self.state[doc]

    def _to_unicode(self, name: str, subset: list[int]) -> str:
        def utf16(text: str) -> str:
            return text.encode("utf-16-be").hex().upper()

        pairs = [f"<{i:02X}> <{utf16(self.texts.get(code, chr(code)))}>" for i, code in enumerate(subset)]
        return "\n".join([
            "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
            f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
            f"/CMapName /{name} def", "/CMapType 2 def",
            "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
            f"{len(pairs)} beginbfchar", *pairs, "endbfchar",
            "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
        ])


@lru_cache(maxsize=1)
def register_script_fonts() -> tuple[str, ...]:
    """Register Source Sans Pro and the Noto faces with reportlab once; returns the Noto names."""
    register_fonts()
    folder = font_folder()
    for name, file in _FILES.items():
        font = GlyphFont(name, str(folder / file)) if name in SHAPED else TTFont(name, str(folder / file))
        pdfmetrics.registerFont(font)
    return tuple(_FILES)


@lru_cache(maxsize=32)
def coverage(font: str) -> frozenset[int]:
    """The characters ``font`` has a glyph for (its cmap as read, not codes added for drawing)."""
    register_script_fonts()
    found = pdfmetrics.getFont(font)
    return found.cmap if isinstance(found, GlyphFont) else frozenset(found.face.charToGlyph)


def has_glyph(font: str, char: str) -> bool:
    return ord(char) in coverage(font)
