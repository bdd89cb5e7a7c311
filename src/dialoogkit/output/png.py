"""PNG export for online whiteboards: one image per card face and per canvas, and a contact sheet.

In: the bytes of ``cards-printshop.pdf`` (with its bleed) and of ``canvases.pdf``, a dpi, and a
function that stores one finished image (name, PNG bytes).
Out: ``png/card-01-front.png``, ``png/card-01-back.png``, …, ``png/canvas-01.png``, … (names that
sort in deck order) and ``png/contact-sheet.png`` with all fronts at a glance, each handed to the
store as soon as it is made, so memory holds one page at a time whatever the deck's size and the
dpi. Card images are cropped to the trim (the bleed is cut off). ``check_pixel_budget`` refuses,
before any work, a dpi that would make one image larger than ``MAX_PIXELS``.
"""

from __future__ import annotations

import io
from typing import Callable, Iterable, Iterator

import pypdfium2 as pdfium
from PIL import Image

from dialoogkit.errors import UsageProblem
from dialoogkit.i18n import say

DEFAULT_DPI = 150
MIN_DPI, MAX_DPI = 36, 600
MAX_PIXELS = 50_000_000  # one image: about 150 MB while it is encoded
CONTACT_WIDTH, CONTACT_COLUMNS, CONTACT_GAP = 1800, 5, 20

Store = Callable[[str, bytes], object]


def check_pixel_budget(dpi: int, pages: dict[str, tuple[float, float]]) -> None:
    """Refuse a dpi out of range, or one that makes an image of ``pages`` (name → size in points)
    larger than the pixel budget; the message names the budget and the largest dpi that fits."""
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise UsageProblem(say("options.dpi_range", dpi=dpi, low=MIN_DPI, high=MAX_DPI))
    for name, (width, height) in pages.items():
        pixels = (width / 72 * dpi) * (height / 72 * dpi)
        if pixels > MAX_PIXELS:
            fits = int((MAX_PIXELS / (width / 72 * height / 72)) ** 0.5)
            raise UsageProblem(say("options.dpi_budget", dpi=dpi, images=name, megapixels=f"{pixels / 1e6:.0f}",
                                   budget=MAX_PIXELS // 1_000_000, fits=fits))


def export_pngs(printshop: bytes | None, bleed_points: float, canvases: bytes | None, dpi: int,
                store: Store) -> None:
    """Render the faces and canvases to PNG files, storing each as it is made (see module docstring)."""
    if printshop is not None:
        thumbs: list[Image.Image] = []
        for index, image in enumerate(render_pages(printshop, dpi, bleed_points)):
            side = "front" if index % 2 == 0 else "back"
            store(f"png/card-{index // 2 + 1:02d}-{side}.png", encode_png(image))
            if side == "front":
                thumbs.append(_thumbnail(image))
            image.close()
        store("png/contact-sheet.png", encode_png(contact_sheet(thumbs)))
    if canvases is not None:
        for index, image in enumerate(render_pages(canvases, dpi)):
            store(f"png/canvas-{index + 1:02d}.png", encode_png(image))
            image.close()


def encode_png(image: Image.Image, compress_level: int = 3) -> bytes:
    """PNG bytes of an image."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=compress_level)
    return buffer.getvalue()


def render_pages(pdf: bytes, dpi: float | None = None, bleed_points: float = 0.0, width_px: int | None = None,
                 pages: Iterable[int] | None = None) -> Iterator[Image.Image]:
    """One RGB image per page (all, or ``pages``), rendered only when asked for: at ``dpi``, or
    ``width_px`` wide; ``bleed_points`` cut off every side."""
    document = pdfium.PdfDocument(pdf)
    try:
        for index in pages if pages is not None else range(len(document)):
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
