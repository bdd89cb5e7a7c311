"""QR symbols for source URLs: the module matrix, its printed size, and drawing as one vector path.

In: a URL (kept exactly as written) and the minimum symbol width and module size.
Out: a ``QrSymbol`` (dark-module matrix, error correction M) with its size for printing, and
``draw_qr`` which paints it as a single filled path in 100% black (CMYK 0/0/0/100), with a
link over it where the canvas takes links.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.exceptions import DataOverflowError

QUIET_MODULES = 4


@dataclass(frozen=True)
class QrSymbol:
    """A QR matrix (rows of booleans, ``True`` = dark) without quiet zone."""

    data: str
    rows: tuple[tuple[bool, ...], ...]

    @property
    def modules(self) -> int:
        return len(self.rows)

    def module_size(self, min_symbol: float, min_module: float) -> float:
        """The module size that makes the symbol at least ``min_symbol`` wide with modules of at
        least ``min_module`` (same unit as the arguments)."""
        return max(min_module, min_symbol / self.modules)

    def total_size(self, module: float) -> float:
        """Width of the symbol including its quiet zone on both sides."""
        return (self.modules + 2 * QUIET_MODULES) * module


class QrTooLong(ValueError):
    """The data does not fit in any QR version."""


@lru_cache(maxsize=4096)
def make_symbol(data: str) -> QrSymbol:
    """Encode ``data`` at error correction M in the smallest version that holds it."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, box_size=1)
    code.add_data(data)
    try:
        code.make(fit=True)
    except (DataOverflowError, ValueError) as exc:
        raise QrTooLong(str(exc)) from None
    return QrSymbol(data, tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix()))


@lru_cache(maxsize=4096)
def unit_path(symbol: QrSymbol) -> str:
    """PDF path operators for the dark modules in module units (one ``re`` per run of a row),
    origin at the symbol's lower-left corner; computed once per symbol."""
    n = symbol.modules
    parts: list[str] = []
    for r, row in enumerate(symbol.rows):
        y = n - r - 1
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                parts.append(f"{start} {y} {c - start} 1 re")
            else:
                c += 1
    return "\n".join(parts)


def draw_qr(canvas, symbol: QrSymbol, x: float, y: float, module: float) -> None:
    """Paint the symbol with its lower-left corner (without quiet zone) at ``(x, y)``: one path of
    row runs, filled with 100% black (CMYK 0/0/0/100). The quiet zone is left blank around it.
    The path is written as PDF operators scaled by ``module``, so it is built once per symbol.
    Where the canvas takes links (``takes_links``, set by ``output.document``: the office sheets and
    the guide, not the PDF/X files for the press, which may hold no annotations) a link annotation
    over the symbol makes it clickable on screen and tells preflight which address it must hold."""
    canvas.addLiteral(f"q {module:.5f} 0 0 {module:.5f} {x:.4f} {y:.4f} cm 0 0 0 1 k\n"
                      f"{unit_path(symbol)}\nf\nQ")
    if getattr(canvas, "takes_links", True):
        size = symbol.modules * module
        canvas.linkURL(symbol.data, (x, y, x + size, y + size), relative=1, thickness=0)
