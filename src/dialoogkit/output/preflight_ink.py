"""Ink analysis of a PDF page from its content streams, without rendering anything.

In: a pypdf page, whether the file is held to print-shop rules (``strict``: cards-printshop.pdf
and canvases.pdf), the ``pdfinput.Limits`` and the running ``Deadline``.
Out: ``analyse_page`` gives a ``PageInk`` (what was painted, and how;
``preflight_spaces.ink_findings`` turns it into findings). A page of a file not held to print-shop
rules (the sheets, the guide) is only interpreted when its content has an operator that can bring
in RGB (rg, cs, Do, …). A small interpreter reads the page's content stream (tokenised by
pikepdf/qpdf, only the operators that matter: ``preflight_tokens``), keeps the graphics state
stack (q/Q), the transformation matrix (cm), the text state and overprint, and descends into form XObjects (Do, with their
/Matrix), within ``Limits.form_depth``, ``Limits.state_depth``, ``Limits.page_operators``,
``Limits.stream_tokens`` per stream and the deadline. At each painting operator it notes the
colour space (RGB anywhere; in strict files also ICC-based, Lab and other non-device colour), the
total area coverage of CMYK colour, the colour and effective size (font size × text matrix × CTM)
of text shown (and text under the file's smallest text size, ``min_text``), the effective width of
stroked lines, the resolution of images at their placed size, transparency (which PDF/X-1a
forbids), white set to overprint (it vanishes on press) and transfer functions or halftones in a
graphics state (which override the press's own). The rules themselves are in ``preflight_spaces``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import pikepdf

from dialoogkit.i18n import say
from dialoogkit.output.pdfinput import Deadline, Limits, PdfProblem, whole
from dialoogkit.output.preflight_tokens import Tokens
from dialoogkit.output.preflight_spaces import (CMYK, GOOD_PPI, GRAY, MAX_SMALL_TEXT_PLATES, MIN_LINE_PT, PLATE_MIN,
                                                RGB, SMALL_TEXT_PT, TAC_LIMIT, Space, cmyk_of, initial_colour,
                                                is_pure_k, entry, looks_black, plates, resolve_space)

FILLS, STROKES = {"f", "F", "f*", "B", "B*", "b", "b*"}, {"S", "s", "B", "B*", "b", "b*"}
TEXT_SHOWS = {"Tj", "TJ", "'", '"'}
_STRINGS = re.compile(rb"\((?:\\.|[^\\()])*\)|<[0-9A-Fa-f\s]*>", re.S)
_MAY_BE_RGB = re.compile(rb"(?:^|[\s\]>)])(?:rg|RG|cs|CS|Do|sh|ID)(?=[\s/\[<(]|$)")  # the operators RGB needs
IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
Matrix = tuple[float, float, float, float, float, float]


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF row-vector convention: the new CTM of ``m cm`` is m × CTM)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def thinnest_scale(m: Matrix) -> float:
    """The smallest factor by which ``m`` scales a length (its smaller singular value)."""
    a, b, c, d = m[:4]
    p, q = (a * a + b * b + c * c + d * d) / 2, abs(a * d - b * c)
    return q / math.sqrt(max(p + math.sqrt(max(p * p - q * q, 0.0)), 1e-300)) if q else 0.0


@dataclass
class State:
    """The graphics state the checks need."""

    ctm: Matrix = IDENTITY
    fill_space: Space = GRAY
    fill: tuple[float, ...] = (0.0,)
    stroke_space: Space = GRAY
    stroke: tuple[float, ...] = (0.0,)
    width: float = 1.0
    font_size: float = 0.0
    render: int = 0
    fill_overprint: bool = False
    stroke_overprint: bool = False

    def copy(self) -> State:
        return State(self.ctm, self.fill_space, self.fill, self.stroke_space, self.stroke, self.width,
                     self.font_size, self.render, self.fill_overprint, self.stroke_overprint)


@dataclass
class PageInk:
    """What one page paints, as far as the checks care: the first or worst case of each problem."""

    spaces: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, use) → space label
    tac: tuple[float, tuple] | None = None  # the largest coverage over the limit, and its colour
    small_text: tuple[float, tuple] | None = None  # the smallest text in too many plates
    grey_text: tuple[float, tuple] | None = None  # black-looking text that is not pure K
    thinnest: float | None = None  # the thinnest stroke under MIN_LINE_PT (0: hairline)
    images: list[tuple[float, str, int, int]] = field(default_factory=list)  # ppi, name, pixels
    transparency: list[str] = field(default_factory=list)
    tiny_text: tuple[float, tuple] | None = None  # the smallest text under the file's minimum size
    white_overprint: str = ""  # what paints white with overprint on ("text", "fill", "line")
    transfer: list[str] = field(default_factory=list)  # transfer functions and halftones set


def _numbers(operands) -> list[float]:
    return [float(v) for v in operands]


def _flag(value: object) -> bool | None:
    """A PDF boolean (pypdf's ``BooleanObject``) as a bool, or None for anything else."""
    value = getattr(value, "value", value)
    return value if isinstance(value, bool) else None


def _object_key(obj: object) -> object:
    ref = getattr(obj, "indirect_reference", None)
    return (ref.idnum, ref.generation) if ref is not None else id(obj)


class Interpreter:
    """Runs the content streams of one page (and its forms) and fills a ``PageInk``."""

    def __init__(self, tokens: Tokens, strict: bool, limits: Limits, deadline: Deadline | None,
                 min_text: float = 0.0):
        self.tokens, self.strict, self.limits, self.deadline = tokens, strict, limits, deadline
        self.min_text = min_text
        self.ink = PageInk()
        self.work = 0
        self.forms: list[object] = []
        self.seen: dict[tuple, tuple | None] = {}  # colours (and text sizes) already checked

    def run(self, data: bytes, resources: object, state: State) -> None:
        """Interpret one content stream with ``resources``, starting from ``state``."""
        stack: list[State] = []
        tm = IDENTITY
        handlers = HANDLERS
        for operands, operator in self.tokens.parse(data):
            self.work += 1
            if not self.work & 1023:
                if self.work > self.limits.page_operators:
                    raise PdfProblem(say("preflight.too_many_operators", limit=whole(self.limits.page_operators)))
                if self.deadline is not None:
                    self.deadline.check()
            name = str(operator)
            if name == "q":
                if len(stack) >= self.limits.state_depth:
                    raise PdfProblem(say("preflight.states_too_deep", limit=self.limits.state_depth))
                stack.append(state)
                state = state.copy()
            elif name == "Q":
                if stack:
                    state = stack.pop()
            elif name == "BT":
                tm = IDENTITY
            elif name == "Tm":
                try:
                    tm = tuple(_numbers(operands))[:6]  # type: ignore[assignment]
                except (TypeError, ValueError):
                    pass
            elif name in TEXT_SHOWS:
                self.text(state, tm)
            elif name == "INLINE IMAGE":
                self.inline_image(state, operands[0], resources)
            else:
                handler = handlers.get(name)
                if handler is not None:
                    try:
                        handler(self, state, operands, resources)
                    except (TypeError, ValueError, IndexError, ArithmeticError):
                        pass  # an operator with the wrong operands paints nothing

    # --- state ------------------------------------------------------------------------------

    def concat(self, state: State, operands, resources) -> None:
        m = tuple(_numbers(operands))
        if len(m) == 6 and all(math.isfinite(v) for v in m):
            state.ctm = multiply(m, state.ctm)  # type: ignore[arg-type]

    def line_width(self, state: State, operands, resources) -> None:
        state.width = abs(float(operands[0]))

    def graphics_state(self, state: State, operands, resources) -> None:
        gs = entry(entry(resources, "/ExtGState", {}), str(operands[0]), {})
        width = entry(gs, "/LW")
        if isinstance(width, (int, float)):
            state.width = abs(float(width))
        if self.strict:
            for key in ("/CA", "/ca"):
                alpha = entry(gs, key)
                if isinstance(alpha, (int, float)) and alpha < 1:
                    self.note_transparency(f"{key[1:]} {float(alpha):g}")
            smask, blend = entry(gs, "/SMask"), entry(gs, "/BM")
            if smask is not None and smask != "/None":
                self.note_transparency("SMask")
            if blend is not None and str(blend) not in ("/Normal", "/Compatible", "['/Normal']"):
                self.note_transparency(f"blend mode {str(blend)[:20]}")
            self.note_transfer(gs)
        stroke_op, fill_op = _flag(entry(gs, "/OP")), _flag(entry(gs, "/op"))
        if stroke_op is not None:
            state.stroke_overprint = stroke_op
            state.fill_overprint = stroke_op if fill_op is None else state.fill_overprint
        if fill_op is not None:
            state.fill_overprint = fill_op

    def note_transfer(self, gs: object) -> None:
        """A transfer function (/TR, /TR2 other than /Default) or a halftone (/HT) in a graphics
        state: it changes what the press's own calibration would print."""
        for key in ("/TR", "/TR2", "/HT"):
            value = entry(gs, key)
            if value is not None and str(value) != "/Default" and key[1:] not in self.ink.transfer:
                self.ink.transfer.append(key[1:])

    def font(self, state: State, operands, resources) -> None:
        state.font_size = float(operands[1])

    def render_mode(self, state: State, operands, resources) -> None:
        state.render = int(operands[0])

    def set_space(self, state: State, operands, resources, stroke: bool) -> None:
        space = resolve_space(str(operands[0]), resources)
        if stroke:
            state.stroke_space, state.stroke = space, initial_colour(space)
        else:
            state.fill_space, state.fill = space, initial_colour(space)

    def set_colour(self, state: State, operands, resources, stroke: bool) -> None:
        values = tuple(float(v) for v in operands if not isinstance(v, pikepdf.Object))
        if stroke:
            state.stroke = values
        else:
            state.fill = values

    def device(self, state: State, operands, space: Space, stroke: bool) -> None:
        values = tuple(_numbers(operands))
        if stroke:
            state.stroke_space, state.stroke = space, values
        else:
            state.fill_space, state.fill = space, values

    # --- painting ---------------------------------------------------------------------------

    def paint(self, state: State, operator: str) -> None:
        if operator in FILLS:
            self.colour(state.fill_space, state.fill, "fill")
            self.white_overprint(state.fill_space, state.fill, state.fill_overprint, "fill")
        if operator in STROKES:
            self.colour(state.stroke_space, state.stroke, "stroke")
            self.white_overprint(state.stroke_space, state.stroke, state.stroke_overprint, "line")
            if self.strict:
                width = state.width * thinnest_scale(state.ctm)
                if width < MIN_LINE_PT - 1e-6 and (self.ink.thinnest is None or width < self.ink.thinnest):
                    self.ink.thinnest = width

    def colour(self, space: Space, values: tuple[float, ...], use: str) -> tuple | None:
        """Note the colour space of a paint, and the coverage of CMYK colour; the CMYK ink."""
        key = (space, values, use)
        if key in self.seen:
            return self.seen[key]
        self.seen[key] = cmyk = self.check_colour(space, values, use)
        return cmyk

    def check_colour(self, space: Space, values: tuple[float, ...], use: str) -> tuple | None:
        if space.kind == "rgb" or (self.strict and space.kind == "other"):
            self.ink.spaces.setdefault((space.kind, use), space.label)
        cmyk = cmyk_of(space, values)
        if cmyk is not None and self.strict:
            total = sum(cmyk)
            if total > TAC_LIMIT + 0.005 and (self.ink.tac is None or total > self.ink.tac[0]):
                self.ink.tac = (total, cmyk)
        return cmyk

    def white_overprint(self, space: Space, values: tuple[float, ...], overprint: bool, use: str) -> None:
        """White (no ink) painted with overprint on: the press prints what lies under it instead."""
        if not (overprint and self.strict) or self.ink.white_overprint:
            return
        cmyk = cmyk_of(space, values)
        if cmyk is not None and max(cmyk) < PLATE_MIN:
            self.ink.white_overprint = use

    def text(self, state: State, tm: Matrix) -> None:
        if state.render in (3, 7):  # invisible text
            return
        size = abs(state.font_size) * math.hypot(*multiply(tm, state.ctm)[2:4]) if len(tm) == 6 else 0.0
        key = (state.render, state.fill_space, state.fill, state.stroke_space, state.stroke, round(size, 2),
               state.fill_overprint, state.stroke_overprint)
        if key in self.seen:
            return
        self.seen[key] = None
        if self.strict and size < self.min_text - 1e-6 and (self.ink.tiny_text is None or size < self.ink.tiny_text[0]):
            self.ink.tiny_text = (size, (self.min_text,))
        uses = []
        if state.render in (0, 2, 4, 6):
            uses.append((state.fill_space, state.fill, state.fill_overprint))
        if state.render in (1, 2, 5, 6):
            uses.append((state.stroke_space, state.stroke, state.stroke_overprint))
        for space, values, overprint in uses:
            self.white_overprint(space, values, overprint, "text")
            cmyk = self.colour(space, values, "text")
            if cmyk is None or not self.strict:
                continue
            if size < SMALL_TEXT_PT and plates(cmyk) > MAX_SMALL_TEXT_PLATES:
                if self.ink.small_text is None or size < self.ink.small_text[0]:
                    self.ink.small_text = (size, cmyk)
            if looks_black(cmyk) and not is_pure_k(cmyk) and self.ink.grey_text is None:
                self.ink.grey_text = (size, cmyk)

    def shading(self, state: State, operands, resources) -> None:
        shading = entry(entry(resources, "/Shading", {}), str(operands[0]), {})
        self.colour(resolve_space(entry(shading, "/ColorSpace"), resources), (), "shading")

    def draw(self, state: State, operands, resources) -> None:
        name = str(operands[0])
        xobject = entry(entry(resources, "/XObject", {}), name)
        subtype = entry(xobject, "/Subtype")
        if subtype == "/Image":
            self.image(state, xobject, name, resources)
        elif subtype == "/Form":
            self.form(state, xobject, resources)

    def image(self, state: State, image: object, name: str, resources) -> None:
        if getattr(entry(image, "/ImageMask"), "value", None) is True:
            self.colour(state.fill_space, state.fill, "fill")  # a stencil painted in the fill colour
            return
        space = resolve_space(entry(image, "/ColorSpace", "/DeviceGray"), resources)
        self.colour(space, (), "image")
        if self.strict and (entry(image, "/SMask") is not None or entry(image, "/SMaskInData", 0)):
            self.note_transparency("image SMask")
        self.resolution(state, entry(image, "/Width"), entry(image, "/Height"), name)

    def inline_image(self, state: State, image, resources) -> None:
        if image.image_mask:
            self.colour(state.fill_space, state.fill, "fill")
            return
        self.colour(resolve_space(str(image.colorspace or "/DeviceGray"), resources), (), "image")
        self.resolution(state, image.width, image.height, "BI")

    def resolution(self, state: State, width: object, height: object, name: str) -> None:
        if not self.strict or not isinstance(width, int) or not isinstance(height, int):
            return
        a, b, c, d = state.ctm[:4]
        across, up = math.hypot(a, b), math.hypot(c, d)
        if across <= 0 or up <= 0:
            return
        ppi = min(width * 72.0 / across, height * 72.0 / up)
        if ppi < GOOD_PPI:
            self.ink.images.append((ppi, name, width, height))

    def form(self, state: State, form: object, resources) -> None:
        key = _object_key(form)
        if key in self.forms:
            raise PdfProblem(say("preflight.form_loop"))
        if len(self.forms) >= self.limits.form_depth:
            raise PdfProblem(say("preflight.forms_too_deep", limit=self.limits.form_depth))
        matrix = entry(form, "/Matrix")
        inner = state.copy()
        if isinstance(matrix, list) and len(matrix) == 6:
            m = tuple(float(v) for v in matrix)
            if all(math.isfinite(v) for v in m):
                inner.ctm = multiply(m, state.ctm)  # type: ignore[arg-type]
        if self.strict and entry(entry(form, "/Group", {}), "/S") == "/Transparency":
            self.note_transparency("transparency group")
        self.forms.append(key)
        try:
            self.run(self.tokens.decode(form), entry(form, "/Resources", resources), inner)
        finally:
            self.forms.pop()

    def note_transparency(self, what: str) -> None:
        if what not in self.ink.transparency:
            self.ink.transparency.append(what)


def _painter(operator: str):
    return lambda self, state, operands, resources: self.paint(state, operator)


def _space(stroke: bool):
    return lambda self, state, operands, resources: self.set_space(state, operands, resources, stroke)


def _colour(stroke: bool):
    return lambda self, state, operands, resources: self.set_colour(state, operands, resources, stroke)


def _device(space: Space, stroke: bool):
    return lambda self, state, operands, resources: self.device(state, operands, space, stroke)


HANDLERS = {
    "cm": Interpreter.concat, "w": Interpreter.line_width, "gs": Interpreter.graphics_state,
    "Tf": Interpreter.font, "Tr": Interpreter.render_mode, "sh": Interpreter.shading, "Do": Interpreter.draw,
    "cs": _space(False), "CS": _space(True), "sc": _colour(False), "scn": _colour(False), "SC": _colour(True),
    "SCN": _colour(True), "g": _device(GRAY, False), "G": _device(GRAY, True), "rg": _device(RGB, False),
    "RG": _device(RGB, True), "k": _device(CMYK, False), "K": _device(CMYK, True),
    **{op: _painter(op) for op in FILLS | STROKES},
}


def analyse_page(page, tokens: Tokens, strict: bool, limits: Limits, deadline: Deadline | None = None,
                 min_text: float = 0.0) -> PageInk:
    """Interpret ``page``'s content (see the module docstring); text under ``min_text`` points is
    noted in a strict file."""
    interpreter = Interpreter(tokens, strict, limits, deadline, min_text)
    resources = entry(page, "/Resources", {})
    if strict and entry(entry(page, "/Group", {}), "/S") == "/Transparency":
        interpreter.note_transparency("transparency group")
    data = tokens.page_content(page)
    if strict or _MAY_BE_RGB.search(_STRINGS.sub(b"()", data)):  # else: no colour but device gray/CMYK
        interpreter.run(data, resources, State())
    return interpreter.ink
