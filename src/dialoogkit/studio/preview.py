"""Preview images from the real pipeline: a card's front and back, a canvas, a page of the guide.

In: an ``Inspection`` (the loaded deck and its card plan for the chosen format and profile), a
card's front and back as planned (a lesson's, the contacts card's or the opening card's), the
build options that shape canvases and the guide.
Out: PNG bytes. A card's two faces are drawn as the kit's ``png/`` images are
(``output.png.face_pngs``: the trim, in the deck's screen colours), rasterised with pypdfium2; canvases and
the guide come from ``render_parts``, the build's own renderer, with a store that keeps the PDF in
memory. Images are cached by what they show (the faces as planned, the logo file's state), so an
edit re-draws only the card it changed; the caches are bounded in bytes. When a deck cannot be
planned, the last image drawn of the card is offered, marked as out of date.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import threading
from collections import OrderedDict
from contextlib import nullcontext
from typing import Callable

import pypdfium2 as pdfium

from dialoogkit.generator.plan import DeckPlan
from dialoogkit.output.pdfium_lock import PDFIUM
from dialoogkit.output.png import encode_png, face_pngs, render_pages

CARD_WIDTH_PX = 520
CANVAS_WIDTH_PX = 1400
GUIDE_WIDTH_PX = 900
IMAGE_BUDGET = 12 * 1024 * 1024  # about 300 card images
PDF_BUDGET = 24 * 1024 * 1024  # a few guides and canvases


class ByteCache:
    """A least-recently-used cache bounded by the bytes it holds (thread-safe)."""

    def __init__(self, budget: int):
        self.budget = budget
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: str, value: bytes) -> None:
        with self._lock:
            if key in self._items:
                self._size -= len(self._items.pop(key))
            self._items[key] = value
            self._size += len(value)
            while self._size > self.budget and len(self._items) > 1:
                _, old = self._items.popitem(last=False)
                self._size -= len(old)

    @property
    def size(self) -> int:
        return self._size


def _file_state(path: object) -> str:
    try:
        info = os.stat(str(path))
        return f"{info.st_mtime_ns}:{info.st_size}"
    except OSError:
        return "-"


def rasterise(pdf: bytes, width_px: int, pages: list[int] | None = None) -> list[bytes]:
    """PNG images of the PDF's pages (all, or ``pages``), each ``width_px`` wide."""
    return [encode_png(image, compress_level=1) for image in render_pages(pdf, width_px=width_px, pages=pages)]


def page_count(pdf: bytes) -> int:
    with PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            return len(document)
        finally:
            document.close()


class Previews:
    """The studio's preview images (see module docstring)."""

    def __init__(self) -> None:
        self.images = ByteCache(IMAGE_BUDGET)
        self.pdfs = ByteCache(PDF_BUDGET)
        self._last: dict[tuple, str] = {}
        self._lock = threading.Lock()
        self._drawing: dict[str, threading.Event] = {}  # card images being drawn now, by key

    def faces_key(self, plan: DeckPlan, faces: tuple, logo: object) -> str:
        """What a card's images depend on: its planned faces, format, profile and logo file."""
        digest = hashlib.sha256(repr(faces).encode("utf-8", "surrogatepass"))
        digest.update(f"{plan.card_format}|{plan.profile.name}|{_file_state(logo)}|{CARD_WIDTH_PX}".encode())
        return digest.hexdigest()[:32]

    def card(self, plan: DeckPlan, faces: tuple, side: str, logo: object, remember: tuple) -> bytes:
        """The PNG of one side (``front`` or ``back``) of the card with ``faces`` (front, back) as
        ``plan`` has them; ``remember`` names the card for ``last_card`` (deck, card, format,
        profile)."""
        key = self.faces_key(plan, faces, logo)
        image = self.images.get(f"{key}:{side}")
        if image is None:
            image = self._draw_once(key, plan, faces, side)

        with self._lock:
            self._last[remember] = key
            if len(self._last) > 2000:
                self._last.pop(next(iter(self._last)))
        return image

    def _draw_once(self, key: str, plan: DeckPlan, faces: tuple, side: str) -> bytes:
        """Draw both sides of a card, or wait for the drawing of them that runs already (the
        editor starts it as soon as a change is saved; the browser's request for the image then
        waits for it instead of drawing it again)."""
        with self._lock:
            running = self._drawing.get(key)
            if running is None:
                self._drawing[key] = threading.Event()
        if running is not None:
            running.wait(30)
            image = self.images.get(f"{key}:{side}")
            if image is not None:
                return image
        try:
            geo = plan.geometry  # as the kit's png/ images: the trim, in the deck's screen colours
            front, back = face_pngs(faces, (geo.width, geo.height), width_px=CARD_WIDTH_PX, compress_level=1)
            self.images.put(f"{key}:front", front)
            self.images.put(f"{key}:back", back)
            return front if side == "front" else back
        finally:
            if running is None:
                with self._lock:
                    self._drawing.pop(key).set()

    def last_card(self, remember: tuple, side: str) -> bytes | None:
        """The last image drawn of a card, for when the deck cannot be drawn now."""
        with self._lock:
            key = self._last.get(remember)
        return self.images.get(f"{key}:{side}") if key else None

    def document(self, key: str, make: Callable[[], bytes]) -> bytes:
        """A whole PDF (canvases or guide), made once per ``key``."""
        pdf = self.pdfs.get(key)
        if pdf is None:
            pdf = make()
            self.pdfs.put(key, pdf)
        return pdf

    def page(self, key: str, make: Callable[[], bytes], index: int, width_px: int) -> bytes | None:
        """One page of a whole PDF as PNG (None when it has no such page)."""
        image = self.images.get(f"{key}:page{index}:{width_px}")
        if image is not None:
            return image
        pdf = self.document(key, make)
        if not 0 <= index < page_count(pdf):
            return None
        image = rasterise(pdf, width_px, [index])[0]
        self.images.put(f"{key}:page{index}:{width_px}", image)
        return image


def render_part(loaded, options, part: str) -> bytes:
    """``canvases.pdf`` or ``guide.pdf`` of a deck, drawn by the build's renderer into memory."""
    from dialoogkit.output.options import check_options
    from dialoogkit.output.render import render_parts

    files: dict[str, bytes] = {}
    options = dataclasses.replace(options, parts=(part,))
    render_parts(loaded, check_options(options), options, lambda name, data: files.__setitem__(name, data),
                 lambda total, label: nullcontext(lambda n: None))
    return files[f"{part}.pdf"]


def document_key(inspection_key: str, part: str, options) -> str:
    """The cache key of a deck's canvases or guide for the options that shape them."""
    facts = (options.card_format, options.profile, options.paper, options.duplex, options.back_offset,
             options.bleed_mm, options.canvas_size, options.start) if part == "guide" else (options.canvas_size,)
    return hashlib.sha256(f"{inspection_key}|{part}|{facts}".encode()).hexdigest()[:32]
