"""PNG export for online whiteboards: one image per card face and per canvas, and a contact sheet.

In: the bytes of ``cards-printshop.pdf`` (with its bleed) and of ``canvases.pdf``, and a dpi.
Out: ``{file name: PNG bytes}``: ``card-01-front.png``, ``card-01-back.png``, …, ``canvas-01.png``,
…, names that sort in deck order, plus ``contact-sheet.png`` with all fronts at a glance. Card
images are cropped to the trim (the bleed is cut off).
"""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from PIL import Image

DEFAULT_DPI = 150


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue()


def _pages(pdf: bytes, dpi: int, bleed_points: float = 0.0) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    images = []
    try:
        for page in document:
            scale = dpi / 72.0
            crop = (bleed_points,) * 4
            bitmap = page.render(scale=scale, crop=crop)
            images.append(bitmap.to_pil().convert("RGB"))
            page.close()
    finally:
        document.close()
    return images


def export_pngs(printshop: bytes | None, bleed_points: float, canvases: bytes | None,
                dpi: int = DEFAULT_DPI) -> dict[str, bytes]:
    """Render the faces and canvases to PNG files (see module docstring)."""
    files: dict[str, bytes] = {}
    fronts: list[Image.Image] = []
    if printshop is not None:
        for index, image in enumerate(_pages(printshop, dpi, bleed_points)):
            side = "front" if index % 2 == 0 else "back"
            files[f"card-{index // 2 + 1:02d}-{side}.png"] = _png(image)
            if side == "front":
                fronts.append(image)
        files["contact-sheet.png"] = _png(contact_sheet(fronts))
    if canvases is not None:
        for index, image in enumerate(_pages(canvases, dpi)):
            files[f"canvas-{index + 1:02d}.png"] = _png(image)
    return files


def contact_sheet(fronts: list[Image.Image], columns: int = 5, width: int = 1800) -> Image.Image:
    """All fronts side by side on a light grey sheet, in deck order."""
    if not fronts:
        return Image.new("RGB", (width, 100), (240, 240, 240))
    gap = 20
    cell_w = (width - gap * (columns + 1)) // columns
    cell_h = round(cell_w * fronts[0].height / fronts[0].width)
    rows = -(-len(fronts) // columns)
    sheet = Image.new("RGB", (width, rows * (cell_h + gap) + gap), (240, 240, 240))
    for index, image in enumerate(fronts):
        thumb = image.resize((cell_w, cell_h), Image.Resampling.LANCZOS)
        sheet.paste(thumb, (gap + (index % columns) * (cell_w + gap), gap + (index // columns) * (cell_h + gap)))
    return sheet
