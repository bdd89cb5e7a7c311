"""Colour management through ICC profiles: screen colours (sRGB) to the CMYK a press prints.

In: sRGB colours (0..255 triples) and CMYK colours (fractions 0..1).
Out: ``rgb_to_cmyk`` (littleCMS through Pillow's ImageCms: sRGB to the shipped FOGRA39-based
profile, relative colorimetric with black point compensation, cached, at most ``MAX_TAC`` total
area coverage); CIELAB values of screen colours (``srgb_to_lab``) and of printed ones
(``cmyk_to_lab``, through the same profile); ``delta_e00`` (CIEDE2000); ``grey_k``, the black-only
tint that prints a grey at the lightness the profile gives it; and ``two_plates``, the closest
colour in at most two plates (for text under 12 pt).

The profile, ``data/icc/FOGRA39-300.icc``, is built by ``tools/make_icc.sh`` from the FOGRA39
characterization data (Zlib licence); see ``data/icc/README.txt``.
"""

from __future__ import annotations

import math
import threading
from functools import lru_cache
from itertools import combinations
from pathlib import Path

from PIL import Image, ImageCms

Cmyk = tuple[float, float, float, float]
Lab = tuple[float, float, float]

PROFILE_PATH = Path(__file__).resolve().parent.parent / "data" / "icc" / "FOGRA39-300.icc"
MAX_TAC = 3.0  # 300 % total area coverage: the most ink any colour may put down
PLATE_STEP = 2  # percent: the grid the two-plate search starts on

_LOCK = threading.Lock()  # a littleCMS transform caches its last pixel: one caller at a time
_D50 = (0.9642, 1.0, 0.8249)
_SRGB_D50 = ((0.4360747, 0.3850649, 0.1430804),  # sRGB to XYZ, Bradford-adapted to D50 (ICC PCS)
             (0.2225045, 0.7168786, 0.0606169),
             (0.0139322, 0.0971045, 0.7141733))


@lru_cache(maxsize=1)
def print_profile() -> ImageCms.ImageCmsProfile:
    """The shipped CMYK profile."""
    return ImageCms.getOpenProfile(str(PROFILE_PATH))


@lru_cache(maxsize=1)
def _to_cmyk() -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(ImageCms.createProfile("sRGB"), print_profile(), "RGB", "CMYK",
                                   ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                   flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)


@lru_cache(maxsize=1)
def _to_lab() -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(print_profile(), ImageCms.createProfile("LAB", 5000), "CMYK", "LAB",
                                   ImageCms.Intent.RELATIVE_COLORIMETRIC)


def _apply(transform: ImageCms.ImageCmsTransform, image: Image.Image) -> Image.Image:
    with _LOCK:
        return transform.apply(image)


def clamp_tac(cmyk: Cmyk, limit: float = MAX_TAC) -> Cmyk:
    """``cmyk`` with its coloured plates scaled down (black kept) so the total stays within ``limit``."""
    c, m, y, k = cmyk
    colour = c + m + y
    if colour + k <= limit + 1e-9 or colour == 0:
        return cmyk
    share = max(0.0, limit - k) / colour
    return (round(c * share, 4), round(m * share, 4), round(y * share, 4), k)


@lru_cache(maxsize=1024)
def rgb_to_cmyk(rgb: tuple[int, int, int]) -> Cmyk:
    """The CMYK (fractions, 4 decimals) that prints the sRGB colour ``rgb`` (0..255) through the
    shipped profile: relative colorimetric with black point compensation, within ``MAX_TAC``."""
    pixel = _apply(_to_cmyk(), Image.new("RGB", (1, 1), rgb)).getpixel((0, 0))
    return clamp_tac(tuple(round(value / 255.0, 4) for value in pixel))  # type: ignore[arg-type]


def cmyk_to_lab_many(colours: list[Cmyk]) -> list[Lab]:
    """CIELAB (D50, relative to the paper white) of each printed CMYK colour, through the profile."""
    image = Image.new("CMYK", (len(colours), 1))
    image.putdata([tuple(round(min(1.0, max(0.0, v)) * 255) for v in colour) for colour in colours])
    lab = _apply(_to_lab(), image)
    raw = lab.tobytes()  # L 0..255, then a and b as signed bytes
    return [(raw[i] * 100.0 / 255.0, float(_signed(raw[i + 1])), float(_signed(raw[i + 2])))
            for i in range(0, len(raw), 3)]


def _signed(byte: int) -> int:
    return byte - 256 if byte >= 128 else byte


def cmyk_to_lab(cmyk: Cmyk) -> Lab:
    """CIELAB of one printed CMYK colour."""
    return cmyk_to_lab_many([cmyk])[0]


def srgb_to_lab(r: float, g: float, b: float) -> Lab:
    """CIELAB (D50) of an sRGB colour with components 0..1, as an ICC colour-managed screen shows it."""
    def linear(ch: float) -> float:
        return ch / 12.92 if ch <= 0.04045 else ((ch + 0.055) / 1.055) ** 2.4
    rgb = [linear(ch) for ch in (r, g, b)]
    xyz = [sum(row[i] * rgb[i] for i in range(3)) / white for row, white in zip(_SRGB_D50, _D50)]

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29
    fx, fy, fz = (f(t) for t in xyz)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def delta_e00(one: Lab, two: Lab) -> float:
    """The CIEDE2000 colour difference between two CIELAB colours (kL = kC = kH = 1)."""
    l1, a1, b1 = one
    l2, a2, b2 = two
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    dh = 0.0
    if c1p * c2p:
        dh = h2p - h1p
        dh = dh - 360 if dh > 180 else dh + 360 if dh < -180 else dh
    dhh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lp, cp = (l1 + l2) / 2, (c1p + c2p) / 2
    hp = h1p + h2p
    if c1p * c2p:
        hp = (h1p + h2p) / 2 if abs(h1p - h2p) <= 180 else (h1p + h2p + 360) / 2 if h1p + h2p < 360 \
            else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hp - 30)) + 0.24 * math.cos(math.radians(2 * hp))
         + 0.32 * math.cos(math.radians(3 * hp + 6)) - 0.20 * math.cos(math.radians(4 * hp - 63)))
    sl = 1 + 0.015 * (lp - 50) ** 2 / math.sqrt(20 + (lp - 50) ** 2)
    sc, sh = 1 + 0.045 * cp, 1 + 0.015 * cp * t
    rt = (-2 * math.sqrt(cp ** 7 / (cp ** 7 + 25 ** 7))
          * math.sin(math.radians(60 * math.exp(-(((hp - 275) / 25) ** 2)))))
    return math.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dhh / sh) ** 2 + rt * (dc / sc) * (dhh / sh))


@lru_cache(maxsize=1)
def _black_ramp() -> list[float]:
    """L* of black-only tints 0, 1/255, …, 1."""
    return [lab[0] for lab in cmyk_to_lab_many([(0.0, 0.0, 0.0, step / 255.0) for step in range(256)])]


@lru_cache(maxsize=256)
def grey_k(value: int) -> float:
    """The black-only tint (0..1, 4 decimals) that prints the sRGB grey ``value`` (0..255) at the
    lightness its ICC conversion prints; greys darker than solid black print as solid black."""
    if value >= 255:
        return 0.0
    target = cmyk_to_lab(rgb_to_cmyk((value, value, value)))[0]
    ramp = _black_ramp()
    for step in range(1, 256):
        if ramp[step] <= target:
            upper, lower = ramp[step - 1], ramp[step]
            share = (upper - target) / (upper - lower) if upper > lower else 1.0
            return round((step - 1 + share) / 255.0, 4)
    return 1.0


def plate_count(cmyk: Cmyk) -> int:
    """How many plates print ink for ``cmyk`` (any ink counts: a press prints even a tiny dot)."""
    return sum(1 for value in cmyk if value > 0)


@lru_cache(maxsize=256)
def two_plates(cmyk: Cmyk) -> Cmyk:
    """The colour in at most two plates that prints closest (CIEDE2000) to ``cmyk``; ``cmyk``
    itself when it already uses two plates or fewer."""
    if plate_count(cmyk) <= 2:
        return cmyk
    target = cmyk_to_lab(cmyk)
    steps = [value / 100.0 for value in range(0, 101, PLATE_STEP)]
    _, pair, coarse = min(_closest(target, pair, [(u, v) for u in steps for v in steps])
                          for pair in combinations(range(4), 2))
    near = [(coarse[pair[0]] + du / 255.0, coarse[pair[1]] + dv / 255.0) for du in range(-6, 7) for dv in range(-6, 7)]
    _, _, found = _closest(target, pair, [(u, v) for u, v in near if 0 <= u <= 1 and 0 <= v <= 1])
    return tuple(round(value, 4) for value in found)  # type: ignore[return-value]


def _closest(target: Lab, pair: tuple[int, int],
             values: list[tuple[float, float]]) -> tuple[float, tuple[int, int], Cmyk]:
    """The colour of ``values`` (amounts on the plates ``pair``) closest to ``target``."""
    candidates: list[Cmyk] = []
    for u, v in values:
        colour = [0.0, 0.0, 0.0, 0.0]
        colour[pair[0]], colour[pair[1]] = u, v
        candidates.append(tuple(colour))  # type: ignore[arg-type]
    labs = cmyk_to_lab_many(candidates)
    return min((delta_e00(target, lab), pair, colour) for lab, colour in zip(labs, candidates))
