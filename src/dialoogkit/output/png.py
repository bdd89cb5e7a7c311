"""PNG export for online whiteboards: one image per card face and per canvas, and a contact sheet.

In: the planned card faces and canvases (``screen_cards_pdf`` and ``screen_canvases_pdf`` paint
them in the deck's screen colours, RGB, into a PDF held in memory: a PNG shows the colours the
deck gives for the screen, not the CMYK made for the press; a face the print-shop file recorded
is replayed in screen colours, ``generator.recording``), a dpi, and a function that stores
one finished image (name, PNG bytes).
Out: ``png/card-00-front.png`` (the opening card, when the deck has one), ``png/card-01-front.png``,
``png/card-01-back.png``, …, ``png/canvas-01.png``, … (names that
sort in deck order) and ``png/contact-sheet.png`` with all fronts at a glance, each handed to the
store as soon as it is made (compressed in worker threads while the next page renders, and
stored in order), so memory holds a few pages at a time whatever the deck's size and the dpi.
Card images show the trim. Every PNG says its resolution (``pHYs``) and carries an sRGB ICC
profile; identical input gives identical bytes. The dpi is checked before any work by
``budget.check_pixel_budget``.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache, partial
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageCms
from reportlab.pdfgen.canvas import Canvas

from dialoogkit.generator.display import Face, render_face
from dialoogkit.generator.fonts import REGULAR, register_fonts
from dialoogkit.generator.recording import Recordings, replay_on_screen, seed_fonts
from dialoogkit.output.pdfium_lock import PDFIUM
from dialoogkit.output.budget import DEFAULT_DPI

CONTACT_WIDTH, CONTACT_COLUMNS, CONTACT_GAP = 1800, 5, 20
ENCODERS = 2  # threads that compress PNGs while the next page renders
IN_FLIGHT = 3  # images rendered but not yet stored, besides the one rendering
PIXELS_IN_FLIGHT = 24_000_000  # and their pixels (3 bytes each), with room for one more like the last
ROWS_AT_ONCE = 256  # rows filtered and compressed at a time: no second copy of a large image

Store = Callable[[str, bytes], object]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FIXED_PROFILE_DATE = struct.pack(">6H", 2000, 1, 1, 0, 0, 0)  # an ICC header's creation date


def export_pngs(cards: bytes | None, bleed_points: float, canvases: bytes | None, dpi: int,
                store: Store, first_card: int = 1) -> None:
    """Render the faces (``cards``: one face per page, ``bleed_points`` cut off every side) and
    canvases to PNG files, storing each as it is made (see module docstring); cards are numbered
    from ``first_card`` (0 when the deck's unnumbered opening card comes first)."""
    store_in_order(store, _png_jobs(cards, bleed_points, canvases, dpi, first_card))


def _png_jobs(cards: bytes | None, bleed_points: float, canvases: bytes | None, dpi: int,
              first_card: int) -> Iterator[tuple[str, Callable[[], bytes], int]]:
    """Each image's name, the encoding that makes its PNG and its pixels, page by page as rendered."""
    if cards is not None:
        thumbs: list[Image.Image] = []
        contact_dpi = float(dpi)
        for index, image in enumerate(render_pages(cards, dpi, bleed_points)):
            side = "front" if index % 2 == 0 else "back"
            if side == "front":
                thumbs.append(_thumbnail(image))
                contact_dpi = dpi * thumbs[-1].width / image.width
            yield f"png/card-{index // 2 + first_card:02d}-{side}.png", partial(_encode_once, image, dpi), _pixels(image)
        sheet = contact_sheet(thumbs)
        yield "png/contact-sheet.png", partial(_encode_once, sheet, round(contact_dpi)), _pixels(sheet)
    if canvases is not None:
        for index, image in enumerate(render_pages(canvases, dpi)):
            yield f"png/canvas-{index + 1:02d}.png", partial(_encode_once, image, dpi), _pixels(image)


def _pixels(image: Image.Image) -> int:
    return image.width * image.height


def store_in_order(store: Store, jobs: Iterable[tuple[str, Callable[[], bytes], int]]) -> None:
    """Run each job's encoding in a worker thread while the next page renders (zlib, numpy and
    PDFium let go of the interpreter) and store the results in job order. At most ``IN_FLIGHT``
    images wait, and only while they and one more of the same size hold under
    ``PIXELS_IN_FLIGHT`` pixels: the largest images are rendered and encoded one at a time."""
    pending: deque[tuple[str, Future[bytes], int]] = deque()
    waiting = 0
    with ThreadPoolExecutor(max_workers=ENCODERS, thread_name_prefix="png") as pool:
        for name, job, pixels in jobs:
            pending.append((name, pool.submit(job), pixels))
            waiting += pixels
            while pending and (len(pending) > IN_FLIGHT or waiting + pixels > PIXELS_IN_FLIGHT):
                done, future, size = pending.popleft()
                store(done, future.result())
                waiting -= size
        while pending:
            done, future, _ = pending.popleft()
            store(done, future.result())


def _encode_once(image: Image.Image, dpi: float) -> bytes:
    """The PNG of ``image``, which is then closed."""
    try:
        return encode_png(image, dpi=dpi)
    finally:
        image.close()


def encode_png(image: Image.Image, compress_level: int = 3, dpi: float | None = None) -> bytes:
    """PNG bytes of an image in sRGB (the profile is embedded), with its resolution when ``dpi`` is
    given. An RGB image is written here: each row as its difference from the row above (PNG's
    "Up" filter: flat colours and straight edges become runs of zeros) and compressed with zlib,
    about twice as fast as Pillow's row-by-row choice of filter, at the same size; any other mode
    goes through Pillow."""
    if image.mode != "RGB":
        buffer = io.BytesIO()
        extra = {"dpi": (dpi, dpi)} if dpi else {}
        image.save(buffer, format="PNG", compress_level=compress_level, icc_profile=srgb_profile(), **extra)
        return buffer.getvalue()
    rows = np.asarray(image).reshape(image.height, image.width * 3)
    compressor = zlib.compressobj(compress_level)
    data = []
    for start in range(0, image.height, ROWS_AT_ONCE):
        block = rows[start:start + ROWS_AT_ONCE]
        filtered = np.empty((len(block), image.width * 3 + 1), dtype=np.uint8)
        filtered[:, 0] = 2  # "Up"; above the first row PNG reads zeros
        if start:
            np.subtract(block[0], rows[start - 1], out=filtered[0, 1:])
        else:
            filtered[0, 1:] = block[0]
        np.subtract(block[1:], block[:-1], out=filtered[1:, 1:])
        data.append(compressor.compress(filtered.tobytes()))
    data.append(compressor.flush())
    chunks = [_chunk(b"IHDR", struct.pack(">IIBBBBB", image.width, image.height, 8, 2, 0, 0, 0)),
              _chunk(b"iCCP", b"ICC Profile\0\0" + zlib.compress(srgb_profile()))]
    if dpi:
        per_metre = int(dpi / 0.0254 + 0.5)
        chunks.append(_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)))
    chunks += [_chunk(b"IDAT", b"".join(data)), _chunk(b"IEND", b"")]
    return PNG_SIGNATURE + b"".join(chunks)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """littleCMS's sRGB profile, with a fixed creation date so identical images give identical files."""
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[24:36] = FIXED_PROFILE_DATE
    return bytes(data)


def screen_pdf(faces: Iterable[Face], page: tuple[float, float], factor: float = 1.0,
               recordings: Recordings | None = None) -> bytes:
    """A PDF (in memory, never written) with each face on its own ``page``, scaled by ``factor``
    and centred, painted in the screen colours: replayed from its press recording where
    ``recordings`` has one (this PDF's fonts then seeded as the recording file's were)."""
    register_fonts()
    faces = list(faces)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=page, invariant=1, pageCompression=0, initialFontName=REGULAR,
                    initialFontSize=10)
    if recordings is not None:
        seed_fonts(canvas, recordings.seed)
    for face in faces:
        canvas.saveState()
        canvas.translate((page[0] - face.width * factor) / 2, (page[1] - face.height * factor) / 2)
        canvas.scale(factor, factor)
        recording = recordings.faces.get(id(face)) if recordings is not None else None
        if recording is not None:
            replay_on_screen(canvas, recording)
        else:
            render_face(canvas, face, screen=True)
        canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def face_pngs(faces: Sequence[Face], page: tuple[float, float], dpi: float | None = None,
              width_px: int | None = None, compress_level: int = 3) -> list[bytes]:
    """Faces as PNG images in the screen colours, each on a ``page`` (a card's trim): the one way
    a card face becomes an image, for the kit's ``png/``, ``dialoogkit preview`` and the studio
    (which asks for a fixed width and quick compression)."""
    pdf = screen_pdf(faces, page)
    return [encode_png(image, compress_level, dpi=dpi if width_px is None else None)
            for image in render_pages(pdf, dpi, width_px=width_px)]


def screen_cards_pdf(plan, recordings: Recordings | None = None) -> bytes:
    """Every card face of a ``DeckPlan`` in print order, front then back, a page the size of the
    trim (the faces the print-shop file recorded replayed from ``recordings``)."""
    geo = plan.geometry
    return screen_pdf(plan.all_faces, (geo.width, geo.height), 1.0, recordings)


def screen_canvases_pdf(plan, size) -> bytes:
    """Every canvas of a ``PosterPlan`` on a page of the ``PosterSize``, scaled from A3."""
    return screen_pdf((face for _, face in plan.faces), size.page, size.factor)


def render_pages(pdf: bytes, dpi: float | None = None, bleed_points: float = 0.0, width_px: int | None = None,
                 pages: Iterable[int] | None = None) -> Iterator[Image.Image]:
    """One RGB image per page (all, or ``pages``), rendered only when asked for: at ``dpi``, or
    ``width_px`` wide; ``bleed_points`` cut off every side."""
    with PDFIUM:
        document = pdfium.PdfDocument(pdf)
        count = len(document)
    try:
        for index in pages if pages is not None else range(count):
            with PDFIUM:
                page = document[index]
                try:
                    scale = width_px / page.get_width() if width_px else (dpi or DEFAULT_DPI) / 72.0
                    bitmap = page.render(scale=scale, crop=(bleed_points,) * 4, rev_byteorder=True)
                    image = bitmap.to_pil()
                    image.load()
                    bitmap.close()
                finally:
                    page.close()
            yield image if image.mode == "RGB" else image.convert("RGB")
    finally:
        with PDFIUM:
            document.close()


def _cell_size(width: int, height: int) -> tuple[int, int]:
    cell_w = (CONTACT_WIDTH - CONTACT_GAP * (CONTACT_COLUMNS + 1)) // CONTACT_COLUMNS
    return cell_w, round(cell_w * height / width)


def _thumbnail(image: Image.Image) -> Image.Image:
    return image.resize(_cell_size(image.width, image.height), Image.Resampling.LANCZOS)


def contact_sheet(thumbs: list[Image.Image]) -> Image.Image:
    """All front thumbnails side by side on a light grey sheet, in deck order."""
    if not thumbs:
        return Image.new("RGB", (CONTACT_WIDTH, 100), (240, 240, 240))
    cell_w, cell_h = thumbs[0].size
    gap, columns = CONTACT_GAP, CONTACT_COLUMNS
    rows = -(-len(thumbs) // columns)
    sheet = Image.new("RGB", (CONTACT_WIDTH, rows * (cell_h + gap) + gap), (240, 240, 240))
    for index, thumb in enumerate(thumbs):
        sheet.paste(thumb, (gap + (index % columns) * (cell_w + gap), gap + (index // columns) * (cell_h + gap)))
    return sheet
