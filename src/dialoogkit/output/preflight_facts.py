"""The build's own preflight of a PDF it just wrote, from what it knows, without parsing the file.

In: the PDF's ``document.PdfFacts`` (per page: size, boxes, content stream, graphics states), its
kind (``sheets``, ``printshop``, ``canvases``), the ``pdfinput.Limits`` and the bleed asked for.
Out: the findings ``preflight.preflight`` would give for the same file in a build (no QR decoding,
no text-zone check: those read the rendered and parsed file, and ``preflight`` runs them when
asked): the bleed warnings from the page boxes, and the ink rules (``preflight_ink``) on each page's
content stream. Each distinct content stream is interpreted once (``ANALYSED`` counts the
interpretations; a face printed on many pages is read once), a QR symbol's path of rectangles as
one rectangle (``without_rectangle_runs``). Identification, structure and
embedded fonts are made so by ``output.document``; they need no check here. ``usable`` says
whether the facts suffice (they do not for a page that draws an image or form XObject, whose
resources only the file holds, nor for a file using a font it does not embed: the full
preflight then reads the file and names the font).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from dialoogkit.i18n import say
from dialoogkit.layouts.units import mm, to_mm
from dialoogkit.output.document import PdfFacts
from dialoogkit.output.pdfinput import LIMITS, Limits
from dialoogkit.output.preflight_ink import Interpreter, State, _MAY_BE_RGB, _STRINGS
from dialoogkit.output.preflight_pdfx import bleed_of, has_bleed
from dialoogkit.output.preflight_spaces import MIN_TEXT_PT, ink_findings
from dialoogkit.output.preflight_tokens import Tokens

STRICT = ("printshop", "canvases")
ANALYSED: Counter[str] = Counter()  # interpretations of content streams, by kind (a seam for tests)


def usable(facts: PdfFacts | None, data: bytes) -> bool:
    """The facts describe exactly ``data``, every font is embedded and no page draws an XObject
    (else the full preflight reads the file and names what it finds)."""
    return (facts is not None and facts.describes(data) and not facts.plain_fonts
            and not any(page.xobjects for page in facts.pages))


def preflight_facts(facts: PdfFacts, kind: str, bleed_mm: float, limits: Limits = LIMITS):
    """The findings of the build's check of a file it wrote (see module docstring), as
    ``preflight.Finding`` values."""
    from dialoogkit.output.preflight import Finding

    strict = kind in STRICT
    findings: list[Finding] = []
    without_bleed, short = 0, []
    known: dict[tuple, list[tuple[str, bool, str]]] = {}
    tokens = Tokens(limits)
    try:
        for number, page in enumerate(facts.pages, 1):
            as_page = page.as_page()
            if strict:
                without_bleed += not has_bleed(as_page)
                bleed = bleed_of(as_page)
                if bleed is not None and has_bleed(as_page) and bleed < mm(bleed_mm) - 0.05:
                    short.append(bleed)
            key = (hashlib.sha256(page.content).digest(), repr(sorted(page.states.items())))
            if key not in known:
                known[key] = _analyse(page.content, as_page["/Resources"], tokens, kind, strict, limits)
            findings += [Finding(number, message, warning, code) for code, warning, message in known[key]]
    finally:
        tokens.close()
    pages = len(facts.pages)
    if without_bleed:
        findings.append(Finding(0, say("preflight.no_bleed", count=without_bleed, pages=pages), warning=True,
                                code="no_bleed"))
    if short:
        findings.append(Finding(0, say("preflight.short_bleed", bleed=f"{to_mm(min(short)):.1f}", count=len(short),
                                       pages=pages, wanted=f"{bleed_mm:g}"), warning=True, code="short_bleed"))
    return findings


def _analyse(content: bytes, resources: dict, tokens: Tokens, kind: str, strict: bool,
             limits: Limits) -> list[tuple[str, bool, str]]:
    """The ink findings of one content stream, as ``preflight_ink.analyse_page`` reads a page: a
    file not held to print-shop rules only where an operator could bring in RGB."""
    interpreter = Interpreter(tokens, strict, limits, None, MIN_TEXT_PT.get(kind, 0.0))
    if strict or _MAY_BE_RGB.search(_STRINGS.sub(b"()", content)):
        ANALYSED[kind] += 1
        content, interpreter.work = without_rectangle_runs(content)
        interpreter.run(content, resources, State())
    return ink_findings(interpreter.ink)


_RECTANGLE_RUN = re.compile(rb"^(?:\d+ \d+ \d+ \d+ re\n){2,}", re.MULTILINE)


def without_rectangle_runs(content: bytes) -> tuple[bytes, int]:
    """``content`` with each run of whole-number rectangles (a QR symbol's path: one per run of
    dark modules) kept as its first, and how many were left out. The interpreter paints nothing
    at ``re`` (the fill after the path is what it checks), so the findings are the same; the left
    out operators still count towards the limit of operators per page."""
    left_out = 0

    def first(match: re.Match[bytes]) -> bytes:
        nonlocal left_out
        run = match.group(0)
        left_out += run.count(b"\n") - 1
        return run[: run.index(b"\n") + 1]

    return _RECTANGLE_RUN.sub(first, content), left_out
