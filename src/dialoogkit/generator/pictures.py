"""A deck's logo as it is embedded in a PDF: upright, flattened on white, in CMYK, and no larger than
300 ppi at the size it prints; and a warning where it would print below 150 ppi.

In: the image path and the ``Picture`` box it is drawn into, on a reportlab canvas whose
transformation says how large the box prints (a canvas scaled to A0 prints it larger); for the
warning, the pictures of planned faces and the scale each set of faces prints at.
Out: ``draw_picture`` (the image resampled to ``TARGET_PPI`` of its printed box, never enlarged,
converted from its own or the sRGB profile to the current printing condition's profile, relative
colorimetric with black point compensation, or kept RGB for the screen; made once per image
file and pixel size),
``image_aspect`` (width / height as printed, from the header), ``placed_pictures`` and
``resolution_warnings``: a ``Problem`` naming the logo file, the size it prints at (mm), where, and
its effective ppi, for every place it prints below ``MIN_PPI``.
"""

from __future__ import annotations

import io
import math
import os
import threading
from dataclasses import dataclass
from functools import lru_cache

from dialoogkit.errors import Problem, quoted
from dialoogkit.i18n import say

TARGET_PPI = 300  # what a print shop asks for: finer detail than this never reaches the paper
MIN_PPI = 150  # below this a photo or a logo prints visibly soft
POINTS_PER_INCH = 72.0
MM_PER_INCH = 25.4
EXIF_ORIENTATION = 0x0112
TURNED = (5, 6, 7, 8)  # EXIF orientations that turn the image a quarter: width and height swap

_LOCK = threading.Lock()  # a littleCMS transform is not to be shared between threads at once


@lru_cache(maxsize=8)
def image_aspect(path: str) -> float:
    """Width divided by height of the image at ``path`` as it prints: upright, after its EXIF
    orientation (read from the header, without decoding the pixels)."""
    width, height = upright_size(path)
    return width / height


@lru_cache(maxsize=8)
def upright_size(path: str) -> tuple[int, int]:
    """The pixel size of the image at ``path`` once turned upright by its EXIF orientation."""
    from PIL import Image

    with Image.open(path) as image:
        width, height = image.size
        if image.getexif().get(EXIF_ORIENTATION) in TURNED:
            width, height = height, width
    return width, height


def printed_size(canvas, width: float, height: float) -> tuple[float, float]:
    """How large a box of ``width`` × ``height`` (user units) prints on ``canvas`` now, in points."""
    ox, oy = canvas.absolutePosition(0, 0)
    xx, xy = canvas.absolutePosition(1, 0)
    yx, yy = canvas.absolutePosition(0, 1)
    return width * math.hypot(xx - ox, xy - oy), height * math.hypot(yx - ox, yy - oy)


def pixels_for(path: str, width: float, height: float) -> tuple[int, int]:
    """The pixel size to embed an image printed ``width`` × ``height`` points at: ``TARGET_PPI``,
    but never more than the image has."""
    source_w, source_h = upright_size(path)
    want_w = math.ceil(width / POINTS_PER_INCH * TARGET_PPI - 1e-6)
    want_h = math.ceil(height / POINTS_PER_INCH * TARGET_PPI - 1e-6)
    if want_w >= source_w or want_h >= source_h:
        return source_w, source_h
    return max(1, want_w), max(1, want_h)


def draw_picture(canvas, picture, screen: bool = False) -> None:
    """Draw ``picture`` (a ``display.Picture``) at 300 ppi of the size its box prints on ``canvas``;
    in CMYK for print, or with ``screen`` in RGB as the file is (for images on screen)."""
    box = picture.box
    pixels = pixels_for(picture.path, *printed_size(canvas, box.width, box.height))
    canvas.drawImage(prepared_image(picture.path, pixels, screen), box.x, box.y, box.width, box.height)


def prepared_image(path: str, pixels: tuple[int, int], screen: bool = False):
    """The image at ``path`` prepared for reportlab at ``pixels`` (see module docstring); made
    again when the file changes (the studio keeps running while a logo is replaced)."""
    from dialoogkit.generator.icc import current_condition

    stat = os.stat(path)
    return _prepared(path, stat.st_mtime_ns, stat.st_size, pixels, screen, None if screen else current_condition())


def cmyk_image(path: str, pixels: tuple[int, int] | None = None):
    """The image at ``path`` upright, flattened on white and in print CMYK, at ``pixels`` (default:
    all the pixels it has)."""
    return prepared_image(path, pixels or upright_size(path))


@lru_cache(maxsize=16)
def _prepared(path: str, mtime_ns: int, size: int, pixels: tuple[int, int], screen: bool, condition=None):
    """The image as ``prepared_image`` describes it; ``condition`` (the printing condition its CMYK
    is separated for) only keys the cache."""
    from PIL import Image, ImageOps
    from reportlab.lib.utils import ImageReader

    with Image.open(path) as source:
        source.draft("RGB", (max(pixels), max(pixels)))  # JPEG: decode at a reduced size, still >= pixels
        upright = ImageOps.exif_transpose(source)
        profile = source.info.get("icc_profile")
        rgba = upright.convert("RGBA")
    flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    flat.alpha_composite(rgba)
    rgb = flat.convert("RGB")
    if rgb.size != pixels:
        rgb = rgb.resize(pixels, Image.Resampling.LANCZOS)
    return ImageReader(rgb if screen else _to_print_cmyk(rgb, profile))


def _to_print_cmyk(rgb, profile: bytes | None):
    """``rgb`` in the CMYK of the current printing condition's profile, from the image's own
    profile (or sRGB)."""
    from PIL import ImageCms

    from dialoogkit.generator.icc import current_condition, print_profile

    source = ImageCms.createProfile("sRGB")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        except (OSError, ValueError, TypeError):
            pass  # a damaged embedded profile: the image is taken as sRGB, as a browser would
    try:
        transform = ImageCms.buildTransform(source, print_profile(), "RGB", "CMYK",
                                            ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                            flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
    except ImageCms.PyCMSError:  # a profile that is not for RGB images
        transform = _srgb_transform(current_condition())
    with _LOCK:
        return transform.apply(rgb)


@lru_cache(maxsize=4)
def _srgb_transform(condition):
    from PIL import ImageCms

    from dialoogkit.generator.icc import print_profile

    return ImageCms.buildTransform(ImageCms.createProfile("sRGB"), print_profile(), "RGB", "CMYK",
                                   ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                   flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)


@dataclass(frozen=True)
class Placement:
    """A picture as it prints: its file, its size in points and where (as a warning says it)."""

    path: str
    width: float
    height: float
    where: str


def placed_pictures(faces, scale: float, where: str) -> list[Placement]:
    """Every picture on ``faces`` (``display.Face``) printed at ``scale`` times its planned size."""
    from dialoogkit.generator.display import Picture  # display draws through this module

    return [Placement(item.path, item.box.width * scale, item.box.height * scale, where)
            for face in faces for item in face.items if isinstance(item, Picture)]


def effective_ppi(placement: Placement) -> float:
    """Pixels per inch of the image at the size it prints (the coarser of the two directions)."""
    width, height = upright_size(placement.path)
    return min(width / (placement.width / POINTS_PER_INCH), height / (placement.height / POINTS_PER_INCH))


def resolution_warnings(placements: list[Placement], file: str, line: int | None) -> list[Problem]:
    """One warning per place where a picture prints below ``MIN_PPI``, for its largest print
    there; ``file`` and ``line`` say where the deck names the logo."""
    largest: dict[tuple[str, str], Placement] = {}
    for placement in placements:
        key = (placement.path, placement.where)
        if key not in largest or placement.width > largest[key].width:
            largest[key] = placement
    problems = []
    for placement in largest.values():
        ppi = effective_ppi(placement)
        if ppi >= MIN_PPI:
            continue
        width_mm = placement.width / POINTS_PER_INCH * MM_PER_INCH
        height_mm = placement.height / POINTS_PER_INCH * MM_PER_INCH
        needed = math.ceil(placement.width / POINTS_PER_INCH * TARGET_PPI)
        problems.append(Problem(file, line, say("pictures.low_ppi", path=quoted(os.path.basename(placement.path)),
                                                width=f"{width_mm:.0f}", height=f"{height_mm:.0f}",
                                                where=placement.where, ppi=f"{ppi:.0f}", minimum=MIN_PPI),
                                say("pictures.low_ppi_fix", pixels=needed, target=TARGET_PPI), field="logo"))
    return problems
