"""The pixel budget of the images a build writes, checked before any work (a light module: the
choices of a build are read from it when the command line starts).

In: a dpi and the pages to render (name → size in points).
Out: ``DEFAULT_DPI``, ``MIN_DPI``, ``MAX_DPI``, ``MAX_PIXELS``; ``check_pixel_budget`` refuses a dpi
out of range or one that makes an image larger than ``MAX_PIXELS``, naming the largest dpi that fits.
"""

from __future__ import annotations

from dialoogkit.errors import UsageProblem
from dialoogkit.i18n import say

DEFAULT_DPI = 150
MIN_DPI, MAX_DPI = 36, 600
MAX_PIXELS = 50_000_000  # one image: about 150 MB while it is encoded


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
