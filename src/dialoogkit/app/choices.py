"""The choices of a build, as data: one registry that both faces are generated from.

In: the formats, papers, profiles, duplex modes, canvas sizes, limits and defaults that
``layouts`` and ``output`` define (read from them, never restated here).
Out: ``CHOICES`` (one ``Choice`` per option: its name in ``BuildOptions``, its command-line
option, its kind, its values or range and its default), ``choice(name)``, and
``read_choice(choice, text)``: a value as typed (on the command line or in a studio form) checked
against the registry, or a ``UsageProblem`` whose message says the range or the values. The
command line's click options and the studio's print form are both made from ``CHOICES``, so a new
format is one line in ``layouts.formats`` and shows up in both.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from dialoogkit.errors import UsageProblem, quoted
from dialoogkit.i18n import say
from dialoogkit.layouts.formats import CARD_FORMATS, PAPERS
from dialoogkit.layouts.imposition import DUPLEX_MODES, MAX_BACK_OFFSET_MM, MAX_GUTTER_MM
from dialoogkit.layouts.posters import POSTER_SIZES
from dialoogkit.layouts.profiles import PROFILES
from dialoogkit.output.options import MAX_BLEED_MM, BuildOptions
from dialoogkit.output.pdfx import REGISTERED
from dialoogkit.output.budget import MAX_DPI, MIN_DPI

_DECIMAL = re.compile(r"^\s*[+-]?(?:[0-9]{1,6}(?:[.,][0-9]{0,6})?|[.,][0-9]{1,6})\s*$", re.ASCII)


@dataclass(frozen=True)
class Choice:
    """One option of a build. ``kind``: ``pick`` (one of ``values``; with ``open`` another text
    too, checked by the option's own parser), ``number`` (``low``..``high`` in ``unit``),
    ``offset`` (``DX,DY`` in mm, each within ±``high``; read as points), ``time`` (HH:MM) or
    ``flag``."""

    name: str
    option: str
    kind: str
    default: object
    values: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    unit: str = ""
    open: bool = False
    whole: bool = False
    help: str = ""


def _default(name: str) -> object:
    """The default of a ``BuildOptions`` field: the one place defaults are written."""
    return BuildOptions.__dataclass_fields__[name].default


CHOICES: tuple[Choice, ...] = (
    Choice("card_format", "--format", "pick", _default("card_format"), tuple(CARD_FORMATS), open=True,
           help="Card format: " + ", ".join(CARD_FORMATS) + ", or WIDTHxHEIGHT in mm."),
    Choice("profile", "--profile", "pick", _default("profile"), tuple(PROFILES),
           help="Print profile: " + " or ".join(PROFILES) + "."),
    Choice("paper", "--paper", "pick", _default("paper"), tuple(PAPERS),
           help="Paper for cards-sheets.pdf: " + ", ".join(PAPERS) + "."),
    Choice("duplex", "--duplex", "pick", _default("duplex"), DUPLEX_MODES,
           help="How your printer turns the sheet: long-edge or short-edge; none = single-sided, the backs "
                "after the fronts (feed the stack again); fold = front and back side by side, fold on the line."),
    Choice("back_offset", "--back-offset", "offset", _default("back_offset"), low=-MAX_BACK_OFFSET_MM, high=MAX_BACK_OFFSET_MM,
           unit="mm", help="Shift the backs by DX,DY mm to correct your printer (measure with `dialoogkit calibrate`)."),
    Choice("bleed_mm", "--bleed", "number", _default("bleed_mm"), low=0.0, high=MAX_BLEED_MM, unit="mm",
           help="Bleed in mm for cards-printshop.pdf and canvases.pdf (0-5; ask your print shop)."),
    Choice("output_intent", "--output-intent", "pick", _default("output_intent"), tuple(REGISTERED), open=True,
           help="Printing condition of the PDF/X files for the press: a registered name (" + ", ".join(REGISTERED)
                + ") or your print shop's CMYK .icc profile (embedded)."),
    Choice("gutter_mm", "--gutter", "number", _default("gutter_mm"), low=0.0, high=MAX_GUTTER_MM, unit="mm",
           help="Space in mm between the cards on cards-sheets.pdf (0-10; by default the largest up to 3 that keeps "
                "the cards per sheet); backgrounds run into it, so a cut a little off the line leaves no white edge."),
    Choice("canvas_size", "--canvas-size", "pick", _default("canvas_size"), tuple(POSTER_SIZES),
           help="Size of canvases.pdf (scaled from A3 as vector)."),
    Choice("dpi", "--dpi", "number", _default("dpi"), low=MIN_DPI, high=MAX_DPI, whole=True,
           help="Resolution of the PNG images."),
    Choice("start", "--start", "time", _default("start"),
           help="Start time of the session; the guide's agenda times are computed from it."),
)
_BY_NAME = {c.name: c for c in CHOICES}


def choice(name: str) -> Choice:
    """The choice called ``name`` (its field in ``BuildOptions``)."""
    return _BY_NAME[name]


def read_choice(item: Choice, text: str) -> object:
    """The value of ``item`` written as ``text`` (see module docstring); a ``UsageProblem`` says
    what is allowed. An open pick returns the text for the option's own parser."""
    shown = quoted(text, 40)
    if item.kind == "pick":
        value = text.strip()
        known = {name.lower(): name for name in item.values}
        if value.lower() in known:
            return known[value.lower()]
        if item.open and value:
            return value
        raise UsageProblem(say("options.not_one_of", option=item.option, value=shown, values=", ".join(item.values)))
    if item.kind == "number":
        number = _decimal(text)
        if number is None or (item.whole and number != int(number)):
            example = say("cli.number_example_whole" if item.whole else "cli.number_example_decimal")
            raise UsageProblem(say("cli.not_a_number", text=shown, example=example))
        if not item.low <= number <= item.high:
            raise UsageProblem(say("options.out_of_range", option=item.option, value=shown, low=_num(item.low),
                                   high=f"{_num(item.high)} {item.unit}".strip()))
        return int(number) if item.whole else number
    if item.kind == "offset":
        from dialoogkit.layouts.imposition import parse_offset

        return parse_offset(text)  # in points, as BuildOptions takes it; ±MAX_BACK_OFFSET_MM
    if item.kind == "time":
        from dialoogkit.layouts.agenda import parse_start

        parse_start(text)
        return text.strip()
    return bool(text)


def shown_value(item: Choice, value: object) -> str:
    """``value`` of ``item`` written as a person types it (a default in a form or in ``--help``)."""
    if item.kind == "offset":
        return ",".join(_num(v) for v in value)  # type: ignore[union-attr]
    if item.kind == "number":
        return _num(value)  # type: ignore[arg-type]
    return str(value)


def _decimal(text: str) -> float | None:
    """A number written with the digits 0-9, a sign and a point or comma; None otherwise."""
    if not _DECIMAL.match(text):
        return None
    value = float(text.strip().replace(",", "."))
    return value if math.isfinite(value) else None


def _num(value: float | None) -> str:
    return f"{value:g}" if value is not None else ""
