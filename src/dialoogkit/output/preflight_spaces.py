"""Colour as a print shop reads it: what a PDF colour space is, and the ink a colour puts on paper.

In: a colour space as a content stream names it (``/DeviceCMYK``, or a name in the page's
``/ColorSpace`` resources; pypdf objects) and the components of a colour.
Out: ``Space`` (its kind, its number of components and a label for messages), ``resolve_space``,
``cmyk_of`` (the CMYK ink of a device colour), ``plates`` and ``looks_black``, the numbers the
rules use, and ``ink_findings``: what ``preflight_ink`` saw on a page, as findings. The kinds:
``cmyk`` and ``gray`` (device colour, what PDF/X-1a wants), ``spot``
(Separation or DeviceN with a CMYK or gray alternate), ``rgb`` (DeviceRGB, CalRGB, ICCBased with
3 components, and anything indexed into or standing in for RGB), ``other`` (ICCBased with 1 or 4
components, Lab, CalGray: device-independent colour that PDF/X-1a does not allow), ``pattern``.

The text rule, as a prepress checker applies it: a text colour *looks black* when it is a tint
of K alone of at least 80 % (meant black, printed grey), or a rich black: K of at least 80 % with
all of C, M and Y under it, or all four at least 50 %. Such text must be pure K (0/0/0/100), or
it prints grey or out of register. A dark colour of K and one or two other plates (C 34 K 89) is
a colour, not a black, and is left to the plate rule. Text under 12 pt may use at most two plates
(a plate counts from 0.5 %), since a third cannot register on thin strokes. Total area coverage
(C + M + Y + K) may be at most 300 %. Stroked lines are at least 0.25 pt wide (width 0, a
hairline, is an error). Images print at 150 ppi or more (under 250 ppi: a warning). Text is at
least ``MIN_TEXT_PT`` of its kind of file, whatever its colour. White (no ink) never overprints:
on press it would leave what lies beneath. No graphics state sets a transfer function or a
halftone: the press applies its own.
"""

from __future__ import annotations

from typing import NamedTuple

from dialoogkit.generator.colours import BLACK_K, PLATE_MIN, RICH_BLACK, looks_black  # noqa: F401 (one rule)
from dialoogkit.i18n import say

TAC_LIMIT = 3.0  # total area coverage, 300 %
MIN_LINE_PT = 0.25  # stroked lines, after the transformation matrix
MIN_PPI, GOOD_PPI = 150.0, 250.0  # images below MIN_PPI are an error, below GOOD_PPI a warning
SMALL_TEXT_PT = 12.0  # text under this size: at most MAX_SMALL_TEXT_PLATES plates
MIN_TEXT_PT = {"printshop": 5.0, "canvases": 6.0}  # the smallest text a print shop accepts, per kind of file
MAX_SMALL_TEXT_PLATES = 2
PURE_K = (0.0, 0.0, 0.0, 1.0)
Cmyk = tuple[float, float, float, float]


class Space(NamedTuple):
    """A colour space: ``kind`` (see the module docstring), components, label for messages."""

    kind: str
    n: int
    label: str


CMYK = Space("cmyk", 4, "DeviceCMYK")
RGB = Space("rgb", 3, "DeviceRGB")
GRAY = Space("gray", 1, "DeviceGray")
PATTERN = Space("pattern", 0, "Pattern")
DEVICE = {"/DeviceCMYK": CMYK, "/CMYK": CMYK, "/DeviceRGB": RGB, "/RGB": RGB, "/DeviceGray": GRAY, "/G": GRAY,
          "/Pattern": PATTERN}
_DEPTH = 6  # an Indexed space over a Separation over …: deeper is a damaged file


def resolved(value: object) -> object:
    """``value`` with an indirect reference followed (anything else as it is)."""
    return value.get_object() if hasattr(value, "get_object") else value


def entry(holder: object, key: str, default: object = None) -> object:
    """``holder[key]`` resolved, or ``default`` when ``holder`` is no dictionary or lacks the key."""
    holder = resolved(holder)
    if not isinstance(holder, dict) or key not in holder:
        return default
    return resolved(holder[key])


def resolve_space(operand: object, resources: object, depth: int = 0) -> Space:
    """The colour space a ``cs``/``CS`` operand, an image's ``/ColorSpace`` or a shading's names."""
    operand = resolved(operand)
    if isinstance(operand, str):
        name = str(operand)
        if name in DEVICE:
            return DEVICE[name]
        found = entry(entry(resources, "/ColorSpace", {}), name)
        if found is None or depth >= _DEPTH:
            return Space("other", 0, f"undefined colour space {name[:40]}")
        return resolve_space(found, resources, depth + 1)
    if isinstance(operand, list) and operand and depth < _DEPTH:
        return _family(str(resolved(operand[0])), operand, resources, depth)
    return Space("other", 0, "unreadable colour space")


def _family(family: str, array: list, resources: object, depth: int) -> Space:
    if family == "/ICCBased":
        n = entry(array[1], "/N") if len(array) > 1 else None
        n = n if isinstance(n, int) else 0
        if n == 3:
            return Space("rgb", 3, "ICCBased RGB")
        return Space("other", n, "ICCBased CMYK" if n == 4 else "ICCBased gray" if n == 1 else "ICCBased")
    if family == "/CalRGB":
        return Space("rgb", 3, "CalRGB")
    if family in ("/Lab", "/CalGray"):
        return Space("other", 3 if family == "/Lab" else 1, family[1:])
    if family in ("/Separation", "/DeviceN") and len(array) >= 3:
        names = resolved(array[1])
        n = len(names) if isinstance(names, list) else 1
        alternate = resolve_space(array[2], resources, depth + 1)
        label = f"{family[1:]} {str(names)[:40]}"
        if alternate.kind == "rgb":
            return Space("rgb", n, f"{label} with an RGB alternate")
        if alternate.kind == "other":
            return Space("other", n, f"{label} with a {alternate.label} alternate")
        return Space("spot", n, label)
    if family == "/Indexed" and len(array) >= 2:
        base = resolve_space(array[1], resources, depth + 1)
        if base.kind in ("rgb", "other"):
            return Space(base.kind, 1, f"Indexed {base.label}")
        return Space("indexed", 1, f"Indexed {base.label}")
    if family == "/Pattern":
        return PATTERN
    if family in DEVICE:  # [/DeviceRGB], written as an array
        return DEVICE[family]
    return Space("other", 0, f"colour space {family[:40]}")


def initial_colour(space: Space) -> tuple[float, ...]:
    """The colour ``cs``/``CS`` sets with a space: black for device spaces, full tint for spots."""
    if space.kind == "cmyk":
        return PURE_K
    if space.kind in ("gray", "rgb"):
        return (0.0,) * max(space.n, 1)
    return (1.0,) * max(space.n, 1)


def cmyk_of(space: Space, values: tuple[float, ...]) -> Cmyk | None:
    """The CMYK ink of a DeviceCMYK or DeviceGray colour (each component 0..1), else None."""
    if space.kind == "cmyk" and len(values) >= 4:
        return tuple(min(max(v, 0.0), 1.0) for v in values[:4])  # type: ignore[return-value]
    if space.kind == "gray" and values:
        return (0.0, 0.0, 0.0, 1.0 - min(max(values[0], 0.0), 1.0))
    return None


def plates(cmyk: Cmyk) -> int:
    """How many printing plates a colour puts ink on."""
    return sum(v >= PLATE_MIN for v in cmyk)


def is_pure_k(cmyk: Cmyk) -> bool:
    return all(abs(a - b) < 0.001 for a, b in zip(cmyk, PURE_K))


def percent(cmyk: Cmyk) -> str:
    """``C 100 M 100 Y 50 K 100`` for messages."""
    return " ".join(f"{plate} {round(v * 100):g}" for plate, v in zip("CMYK", cmyk))


def ink_findings(ink) -> list[tuple[str, bool, str]]:
    """The problems of one page as (code, is a warning, message)."""
    found: list[tuple[str, bool, str]] = []
    for (kind, use), label in ink.spaces.items():
        where = _use(use)
        if kind == "rgb":
            found.append(("rgb", False, say("preflight.rgb_colour", space=label, use=where)))
        else:
            found.append(("not_device", False, say("preflight.not_device_colour", space=label, use=where)))
    if ink.tac is not None:
        found.append(("tac", False, say("preflight.tac", total=f"{ink.tac[0] * 100:.0f}", colour=percent(ink.tac[1]))))
    if ink.small_text is not None:
        size, cmyk = ink.small_text
        found.append(("text_plates", False, say("preflight.text_plates", size=f"{size:.1f}", count=plates(cmyk),
                                                colour=percent(cmyk))))
    if ink.grey_text is not None:
        size, cmyk = ink.grey_text
        found.append(("text_not_pure_k", False, say("preflight.text_not_pure_k", size=f"{size:.1f}",
                                                     colour=percent(cmyk))))
    if ink.thinnest is not None:
        if ink.thinnest <= 0:
            found.append(("hairline", False, say("preflight.hairline", minimum=MIN_LINE_PT)))
        else:
            found.append(("thin_line", False, say("preflight.thin_line", width=f"{ink.thinnest:.3g}",
                                                  minimum=MIN_LINE_PT)))
    if ink.images:
        ppi, name, width, height = min(ink.images)
        low = ppi < MIN_PPI
        found.append(("image_low" if low else "image_modest", not low,
                      say("preflight.image_resolution" if low else "preflight.image_resolution_modest",
                          image=name[:40], ppi=f"{ppi:.0f}", width=width, height=height,
                          minimum=f"{MIN_PPI:.0f}", good=f"{GOOD_PPI:.0f}")))
    if ink.transparency:
        found.append(("transparency", False, say("preflight.transparency", what=", ".join(ink.transparency[:3]))))
    if ink.tiny_text is not None:
        size, (minimum,) = ink.tiny_text
        found.append(("text_size", False, say("preflight.text_size", size=f"{size:.1f}", minimum=f"{minimum:g}")))
    if ink.white_overprint:
        found.append(("white_overprint", False, say("preflight.white_overprint", use=_use(
            {"text": "text", "fill": "fill", "line": "stroke"}[ink.white_overprint]))))
    if ink.transfer:
        found.append(("transfer", False, say("preflight.transfer", keys=", ".join(ink.transfer))))
    return found


def _use(use: str) -> str:
    return {"fill": say("preflight.use_fill"), "stroke": say("preflight.use_stroke"), "text": say("preflight.use_text"),
            "image": say("preflight.use_image"), "shading": say("preflight.use_shading")}[use]
