"""Reference renderings of the design, and the comparison ``tests/test_reference.py`` makes with them.

In: the bundled standard deck, built with the library as A6 cards in the standard profile and A3
canvases (the defaults, stated here so that a change of default does not move the references).
Out (when run as a script): three grayscale PNGs next to this file:

  card-front.png  page 3 of cards-printshop.pdf (front of lesson 1, with bleed), 50 dpi
  card-back.png   page 4 of cards-printshop.pdf (back of lesson 1, with bleed), 50 dpi
  canvas.png      page 1 of canvases.pdf (the canvas of lesson 1, A3 landscape), 30 dpi

Each PNG notes in its metadata the versions of dialoogkit, reportlab, pypdfium2 and Pillow that
made it. Regenerate them deliberately, when the design changes on purpose, and commit them with
that change:

  .venv/bin/python tests/reference/make_references.py

The comparison tolerates what a patch release of reportlab or pdfium may change (antialiasing,
sub-pixel rounding) and fails on a layout change: both images are smoothed with a 1-pixel box
filter, then the mean absolute difference must be at most ``MAX_MEAN_DIFF`` grey levels (of 255)
and at most ``MAX_OFF_SHARE`` of the pixels may differ by more than ``OFF_LEVELS``. Measured on
these images (mean difference in levels; all within 0.1 % of pixels off): pdfium's own grayscale
rendering instead of RGB 0.9 to 1.5, rendering without path antialiasing 0.05 to 0.9, one dpi
more resized back 1.3 to 1.6, edges softened by a 0.5-pixel Gaussian blur 0.5 to 0.8, every grey
4 levels lighter 0.9 to 2.0: all accepted. Rejected: everything moved by 2 pixels (1 mm on a
card, 1.7 mm on the canvas) 2.4 to 11, or by 1 pixel up or down 3.3 to 5.0; the card's safe
margin 0.5 mm wider 4.0 to 4.3; rendering without text antialiasing 2.4 to 3.2. A move of
1 pixel sideways is accepted on a card (1.7, 0.5 mm) and rejected on the canvas (2.3, 0.85 mm).
Measure again with other thresholds or resolutions before changing them.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter, ImageStat
from PIL.PngImagePlugin import PngInfo

REFERENCE_DIR = Path(__file__).resolve().parent
DECK = "standaard"
OPTIONS = {"card_format": "a6", "profile": "standard", "canvas_size": "a3", "bleed_mm": 3.0}
# name: (PDF of the kit, page index from 0, dots per inch)
PAGES: dict[str, tuple[str, int, int]] = {
    "card-front": ("cards-printshop.pdf", 2, 50),  # lesson 1, after the opening card's two pages
    "card-back": ("cards-printshop.pdf", 3, 50),
    "canvas": ("canvases.pdf", 0, 30),
}
BLUR_RADIUS = 1  # box filter, in pixels, applied to both images before comparing
MAX_MEAN_DIFF = 2.0  # grey levels (of 255), mean over all pixels
OFF_LEVELS = 64  # a pixel differing by more than this many levels is "off"
MAX_OFF_SHARE = 0.005  # at most 0.5 % of the pixels may be off
VERSIONED = ("dialoogkit", "reportlab", "pypdfium2", "Pillow")


def reference_path(name: str) -> Path:
    return REFERENCE_DIR / f"{name}.png"


def versions() -> str:
    """``dialoogkit 0.1.0, reportlab 5.1.0, …``: what renders the references."""
    def one(package: str) -> str:
        try:
            return version(package)
        except PackageNotFoundError:
            return "?"

    return ", ".join(f"{package} {one(package)}" for package in VERSIONED)


def build(folder: Path) -> Path:
    """Build the standard deck's cards and canvases into ``folder``; returns the kit's folder."""
    from dialoogkit.output.build import BuildOptions, build_kit

    build_kit(DECK, BuildOptions(output=folder, parts=("cards", "canvases"), **OPTIONS))
    return folder / DECK


def render(pdf: Path, index: int, dpi: int, **options) -> Image.Image:
    """Page ``index`` of ``pdf`` at ``dpi``, as an 8-bit grayscale image (``options``: for
    pypdfium2's ``render``)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[index]
        try:
            bitmap = page.render(scale=dpi / 72.0, **options)
            image = bitmap.to_pil().convert("L")
            bitmap.close()
        finally:
            page.close()
    finally:
        document.close()
    return image


def render_all(kit: Path, **options) -> dict[str, Image.Image]:
    """Every page of ``PAGES`` from the built ``kit`` folder."""
    return {name: render(kit / pdf, index, dpi, **options) for name, (pdf, index, dpi) in PAGES.items()}


def load_reference(name: str) -> Image.Image:
    with Image.open(reference_path(name)) as image:
        return image.convert("L")


@dataclass(frozen=True)
class Comparison:
    """How far an image is from its reference; ``ok``: within the tolerance."""

    size: tuple[tuple[int, int], tuple[int, int]]
    mean: float = 0.0
    off_share: float = 0.0

    @property
    def same_size(self) -> bool:
        return self.size[0] == self.size[1]

    @property
    def ok(self) -> bool:
        return self.same_size and self.mean <= MAX_MEAN_DIFF and self.off_share <= MAX_OFF_SHARE

    def __str__(self) -> str:
        if not self.same_size:
            return f"size {self.size[1][0]}×{self.size[1][1]} px, reference {self.size[0][0]}×{self.size[0][1]} px"
        return (f"mean difference {self.mean:.2f} levels (at most {MAX_MEAN_DIFF}), "
                f"{self.off_share:.2%} of the pixels off by more than {OFF_LEVELS} (at most {MAX_OFF_SHARE:.1%})")


def _smoothed(image: Image.Image) -> Image.Image:
    return image.convert("L").filter(ImageFilter.BoxBlur(BLUR_RADIUS))


def compare(reference: Image.Image, actual: Image.Image) -> Comparison:
    """Compare ``actual`` with ``reference`` after smoothing both (see the module docstring)."""
    size = (reference.size, actual.size)
    if reference.size != actual.size:
        return Comparison(size)
    difference = ImageChops.difference(_smoothed(reference), _smoothed(actual))
    histogram = difference.histogram()
    pixels = reference.width * reference.height
    return Comparison(size, ImageStat.Stat(difference).mean[0], sum(histogram[OFF_LEVELS + 1:]) / pixels)


def difference_image(reference: Image.Image, actual: Image.Image) -> Image.Image:
    """The reference faint, with every difference over a few levels in red (for a person to look at)."""
    width, height = max(reference.width, actual.width), max(reference.height, actual.height)
    ref, act = (Image.new("L", (width, height), 255) for _ in range(2))
    ref.paste(reference.convert("L"))
    act.paste(actual.convert("L"))
    faint = ref.point(lambda v: 160 + v * 95 // 255)
    mask = ImageChops.difference(ref, act).point(lambda v: 255 if v > 8 else 0)
    red = Image.new("RGB", (width, height), (220, 0, 0))
    return Image.composite(red, Image.merge("RGB", (faint, faint, faint)), mask)


def main() -> int:
    made_with = versions()
    with tempfile.TemporaryDirectory() as folder:
        images = render_all(build(Path(folder)))
    for name, image in images.items():
        info = PngInfo()
        info.add_text("Software", made_with)
        info.add_text("Comment", f"dialoogkit reference rendering: {PAGES[name][0]} page {PAGES[name][1] + 1} "
                                 f"at {PAGES[name][2]} dpi, deck {DECK}, {OPTIONS}")
        path = reference_path(name)
        old = load_reference(name) if path.is_file() else None
        image.save(path, format="PNG", optimize=True, pnginfo=info)
        change = "new" if old is None else str(compare(old, image))
        print(f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path} "
              f"({image.width}×{image.height} px; against the previous one: {change})")
    print(f"made with {made_with}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
