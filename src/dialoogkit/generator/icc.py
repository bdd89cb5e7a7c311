"""Colour management through ICC profiles: screen colours (sRGB) to the CMYK a press prints,
separated for the printing condition the file is made for.

In: a printing condition (``Condition``: a characterization shipped as a profile, ``FOGRA39`` for
coated or ``FOGRA29`` for uncoated paper, or a print shop's own CMYK profile), made current for a
block of work with ``separating``; sRGB colours (0..255 triples) and CMYK colours (fractions 0..1).
Out: ``rgb_to_cmyk`` (littleCMS through Pillow's ImageCms: sRGB to the current condition's
profile, relative colorimetric, cached per condition, at most ``MAX_TAC`` total area coverage);
CIELAB values of screen colours (``srgb_to_lab``) and of printed ones (``cmyk_to_lab``, through the
current profile, one or many at once); ``gamut_distance`` (how far a screen colour lies
outside what the condition can print, found through the profile's forward table alone);
``grey_k``, the black-only tint that prints a grey at the lightness the profile gives it; and
``two_plates``, the closest colour in at most two plates (for text under 12 pt). The condition
travels with the work as a context variable (as the message language does), never as process
state: a studio request building for FOGRA29 does not change another's colours.

The shipped profiles (``data/icc/FOGRA39-300.icc``, ``data/icc/FOGRA29-300.icc``) are built by
``tools/make_icc.sh`` from Fogra's characterization data (Zlib licence); see ``data/icc/README.txt``.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import Iterator

import numpy as np
from PIL import Image, ImageCms

from dialoogkit.generator.ciede2000 import delta_e00_many

Cmyk = tuple[float, float, float, float]
Lab = tuple[float, float, float]

ICC_FOLDER = Path(__file__).resolve().parent.parent / "data" / "icc"
# The characterizations dialoogkit separates for by name, each with the profile built from its
# openly licensed measurement data (see data/icc/README.txt).
SHIPPED: dict[str, str] = {"FOGRA39": "FOGRA39-300.icc", "FOGRA29": "FOGRA29-300.icc"}
DEFAULT_CONDITION = "FOGRA39"
PROFILE_PATH = ICC_FOLDER / SHIPPED[DEFAULT_CONDITION]
MAX_TAC = 3.0  # 300 % total area coverage: the most ink any colour may put down
PLATE_STEP = 2  # percent: the grid the two-plate search starts on
GAMUT_STEP = 10  # percent: the grid the gamut search starts on

_LOCK = threading.Lock()  # a littleCMS transform caches its last pixel: one caller at a time
_D50 = (0.9642, 1.0, 0.8249)
_SRGB_D50 = ((0.4360747, 0.3850649, 0.1430804),  # sRGB to XYZ, Bradford-adapted to D50 (ICC PCS)
             (0.2225045, 0.7168786, 0.0606169),
             (0.0139322, 0.0971045, 0.7141733))


def condition_key(name: str) -> str:
    """A condition's name as compared: case, spaces, dashes and underscores do not matter."""
    return re.sub(r"[\s_\-]", "", name).upper()


@dataclass(frozen=True)
class Condition:
    """A printing condition colours are separated for. ``name`` identifies its profile (a shipped
    characterization, or ``profile:`` and the digest of a print shop's file); ``characterization``
    is the registered condition it stands for (a shop's FOGRA39 profile says FOGRA39; ``""`` when
    unknown): a deck's ``cmyk`` chosen for that condition prints as it is. ``label`` names it in
    messages."""

    name: str
    characterization: str
    label: str
    data: bytes = field(default=b"", compare=False, repr=False)


def shipped_condition(name: str = DEFAULT_CONDITION) -> Condition:
    """The condition of a shipped profile (``KeyError`` for a name not in ``SHIPPED``)."""
    if name not in SHIPPED:
        raise KeyError(name)
    return Condition(name, name, name)


def profile_condition(data: bytes, label: str, characterization: str = "") -> Condition:
    """The condition of a print shop's CMYK output profile (its bytes), shown as ``label``."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    return Condition(f"profile:{digest}", characterization, label, data)


_current: ContextVar[Condition] = ContextVar("dialoogkit_print_condition",
                                            default=shipped_condition(DEFAULT_CONDITION))


def current_condition() -> Condition:
    """The condition colours are separated for now (``FOGRA39`` unless ``separating`` says)."""
    return _current.get()


@contextmanager
def separating(condition: Condition | None) -> Iterator[Condition]:
    """Separate for ``condition`` inside the block (None: keep the current one)."""
    if condition is None:
        yield current_condition()
        return
    token = _current.set(condition)
    try:
        yield condition
    finally:
        _current.reset(token)


def print_profile() -> ImageCms.ImageCmsProfile:
    """The profile of the current condition."""
    return _profile(current_condition())


@lru_cache(maxsize=8)
def _profile(condition: Condition) -> ImageCms.ImageCmsProfile:
    if condition.data:
        return ImageCms.ImageCmsProfile(io.BytesIO(condition.data))
    return ImageCms.getOpenProfile(str(ICC_FOLDER / SHIPPED[condition.name]))


def check_profile(data: bytes) -> None:
    """Raise ``ImageCms.PyCMSError`` (or ``OSError``) when littleCMS cannot convert through ``data``."""
    profile = ImageCms.ImageCmsProfile(io.BytesIO(data))
    ImageCms.buildTransform(ImageCms.createProfile("sRGB"), profile, "RGB", "CMYK",
                            ImageCms.Intent.RELATIVE_COLORIMETRIC)


@lru_cache(maxsize=8)
def _to_cmyk(condition: Condition, compensate: bool = False) -> ImageCms.ImageCmsTransform:
    """sRGB to the condition, relative colorimetric: a colour the paper can print keeps its
    measured look (black point compensation would shift every dark flat colour, by ΔE00 4 to 5 on
    uncoated paper); with ``compensate`` black point compensation, which scales lightness from
    the screen's black to the paper's (for greys, printed as a black tint at that lightness)."""
    flags = ImageCms.Flags.BLACKPOINTCOMPENSATION if compensate else ImageCms.Flags.NONE
    return ImageCms.buildTransform(ImageCms.createProfile("sRGB"), _profile(condition), "RGB", "CMYK",
                                   ImageCms.Intent.RELATIVE_COLORIMETRIC, flags=flags)


@lru_cache(maxsize=8)
def _to_lab(condition: Condition) -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(_profile(condition), ImageCms.createProfile("LAB", 5000), "CMYK", "LAB",
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


def rgb_to_cmyk(rgb: tuple[int, int, int]) -> Cmyk:
    """The CMYK (fractions, 4 decimals) that prints the sRGB colour ``rgb`` (0..255) in the current
    condition: relative colorimetric, within ``MAX_TAC``."""
    return _rgb_to_cmyk(tuple(rgb), current_condition())  # type: ignore[arg-type]


@lru_cache(maxsize=2048)
def _rgb_to_cmyk(rgb: tuple[int, int, int], condition: Condition) -> Cmyk:
    pixel = _apply(_to_cmyk(condition), Image.new("RGB", (1, 1), rgb)).getpixel((0, 0))
    return clamp_tac(tuple(round(value / 255.0, 4) for value in pixel))  # type: ignore[arg-type]


def cmyk_to_lab_many(colours: list[Cmyk]) -> list[Lab]:
    """CIELAB (D50, relative to the paper white) of each printed CMYK colour, through the current
    condition's profile."""
    return [tuple(row) for row in cmyk_to_lab_array(np.array(colours, dtype=float).reshape(-1, 4)).tolist()]


def cmyk_to_lab_array(colours: np.ndarray) -> np.ndarray:
    """``cmyk_to_lab_many`` for an array of shape (n, 4): an array of shape (n, 3)."""
    levels = np.rint(np.clip(colours, 0.0, 1.0) * 255).astype(np.uint8)
    image = Image.frombytes("CMYK", (len(levels), 1), levels.tobytes())
    raw = np.frombuffer(_apply(_to_lab(current_condition()), image).tobytes(), dtype=np.uint8).reshape(-1, 3)
    lab = raw.view(np.int8).astype(float)  # L 0..255, then a and b as signed bytes
    lab[:, 0] = raw[:, 0] * 100.0 / 255.0
    return lab


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


@lru_cache(maxsize=8)
def _black_ramp(condition: Condition) -> list[float]:
    """L* of black-only tints 0, 1/255, …, 1 in ``condition`` (the current one)."""
    return [lab[0] for lab in cmyk_to_lab_many([(0.0, 0.0, 0.0, step / 255.0) for step in range(256)])]


def grey_k(value: int) -> float:
    """The black-only tint (0..1, 4 decimals) that prints the sRGB grey ``value`` (0..255) at the
    lightness its ICC conversion with black point compensation prints in the current condition;
    greys darker than solid black print as solid black."""
    return _grey_k(value, current_condition())


@lru_cache(maxsize=1024)
def _grey_k(value: int, condition: Condition) -> float:
    if value >= 255:
        return 0.0
    pixel = _apply(_to_cmyk(condition, True), Image.new("RGB", (1, 1), (value, value, value))).getpixel((0, 0))
    target = cmyk_to_lab(tuple(v / 255.0 for v in pixel))[0]  # type: ignore[arg-type]
    ramp = _black_ramp(condition)
    for step in range(1, 256):
        if ramp[step] <= target:
            upper, lower = ramp[step - 1], ramp[step]
            share = (upper - target) / (upper - lower) if upper > lower else 1.0
            return round((step - 1 + share) / 255.0, 4)
    return 1.0


def plate_count(cmyk: Cmyk) -> int:
    """How many plates print ink for ``cmyk`` (any ink counts: a press prints even a tiny dot)."""
    return sum(1 for value in cmyk if value > 0)


def two_plates(cmyk: Cmyk) -> Cmyk:
    """The colour in at most two plates that prints closest (CIEDE2000) to ``cmyk`` in the current
    condition; ``cmyk`` itself when it already uses two plates or fewer."""
    return _two_plates(cmyk, current_condition())


@lru_cache(maxsize=1024)
def _two_plates(cmyk: Cmyk, condition: Condition) -> Cmyk:
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
    return min((difference, pair, colour) for difference, colour in zip(_differences(target, candidates), candidates))


def gamut_distance(rgb: tuple[int, int, int]) -> float:
    """How far (CIEDE2000) the sRGB colour ``rgb`` lies from the nearest colour the current
    condition prints within ``MAX_TAC``: found by searching CMYK through the profile's forward
    (CMYK to Lab) table alone, so it does not trust the conversion it is used to judge. About 0
    (within the profile's precision) for a colour inside the gamut."""
    return _gamut_distance(tuple(rgb), current_condition())  # type: ignore[arg-type]


@lru_cache(maxsize=256)
def _gamut_distance(rgb: tuple[int, int, int], condition: Condition) -> float:
    target = srgb_to_lab(*(ch / 255.0 for ch in rgb))
    steps = [value / 100.0 for value in range(0, 101, GAMUT_STEP)]
    grid = [(c, m, y, k) for c in steps for m in steps for y in steps for k in steps if c + m + y + k <= MAX_TAC]
    best = min(zip(_differences(target, grid), grid))
    step = GAMUT_STEP / 100.0
    while step > 0.004:  # refine around the best: halve the step until it is under half a percent
        step /= 2
        around = [tuple(min(1.0, max(0.0, v + d * step)) for v, d in zip(best[1], move))
                  for move in _MOVES]
        around = [colour for colour in around if sum(colour) <= MAX_TAC]
        best = min([best] + list(zip(_differences(target, around), around)))
    return best[0]


def _differences(target: Lab, colours: list[Cmyk]) -> list[float]:
    """CIEDE2000 of each printed CMYK colour from ``target``."""
    return delta_e00_many(target, cmyk_to_lab_array(np.array(colours, dtype=float).reshape(-1, 4))).tolist()


_MOVES = [(a, b, c, d) for a in (-1, 0, 1) for b in (-1, 0, 1) for c in (-1, 0, 1) for d in (-1, 0, 1)]
