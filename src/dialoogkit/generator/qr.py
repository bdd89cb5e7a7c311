"""QR symbols for source URLs: the module matrix, its printed size, and drawing as one vector path.

In: a URL (kept exactly as written) and the minimum symbol width and module size.
Out: a ``QrSymbol`` (dark-module matrix, error correction M, the mask ``qrcode`` chooses: the
symbol ``qrcode`` makes, without its module-by-module layout) with its size for printing, and
``draw_qr`` which paints it as a single filled path in 100% black (CMYK 0/0/0/100), with a
link over it where the canvas takes links.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.exceptions import DataOverflowError

from dialoogkit.generator.qr_codewords import QrTooLong, codewords, fit_version

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


@lru_cache(maxsize=4096)
def make_symbol(data: str) -> QrSymbol:
    """Encode ``data`` at error correction M in the smallest version that holds it, with the mask
    ``qrcode`` would choose: the same symbol as ``qrcode.QRCode(...).make(fit=True)`` (its data
    segments, ``qr_codewords`` for the codewords, the data laid out once and the eight masks
    scored at once: ``best_mask``)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, box_size=1)
    try:
        code.add_data(data)
        version = fit_version(code.data_list, ERROR_CORRECT_M)
    except (DataOverflowError, ValueError) as exc:
        raise QrTooLong(str(exc)) from None
    layout = _layout(version)
    bits = np.unpackbits(np.frombuffer(bytes(codewords(code.data_list, version, ERROR_CORRECT_M)), dtype=np.uint8))
    unmasked = layout.template.copy()  # function patterns with light format modules, as qrcode scores them
    placed = min(len(bits), len(layout.rows))
    unmasked[layout.rows[:placed], layout.columns[:placed]] = bits[:placed].astype(bool)
    mask = best_mask(unmasked, layout.data)
    symbol = unmasked ^ (_masks(layout.size)[mask] & layout.data)
    final = _format_modules(version, mask)
    symbol[~layout.data] = final[~layout.data]
    return QrSymbol(data, tuple(tuple(row) for row in symbol.tolist()))


def best_mask(unmasked: np.ndarray, data: np.ndarray) -> int:
    """The mask with the lowest penalty (ISO/IEC 18004 7.8.3, as ``qrcode`` scores it: format
    and version modules light, the first of equal scores) for a symbol laid out without mask
    (``data``: where the data modules are)."""
    scores = _penalties(unmasked[None] ^ (_masks(len(unmasked)) & data)).tolist()
    return scores.index(min(scores))


@dataclass(frozen=True)
class _Layout:
    """A version's function patterns (format and version modules light), where its data modules
    are, and the order the data bits are placed in (rows, columns)."""

    size: int
    template: np.ndarray
    data: np.ndarray
    rows: np.ndarray
    columns: np.ndarray


def _blank(version: int, test: bool, mask: int) -> list[list[bool | None]]:
    """The function patterns of ``version`` as ``qrcode`` sets them (None: a data module)."""
    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M, border=0)
    size = code.modules_count = version * 4 + 17
    code.modules = [[None] * size for _ in range(size)]
    for row, column in ((0, 0), (size - 7, 0), (0, size - 7)):
        code.setup_position_probe_pattern(row, column)
    code.setup_position_adjust_pattern()
    code.setup_timing_pattern()
    code.setup_type_info(test, mask)
    if version >= 7:
        code.setup_type_number(test)
    return code.modules


@lru_cache(maxsize=48)
def _layout(version: int) -> _Layout:
    modules = _blank(version, True, 0)
    size = len(modules)
    rows, columns = [], []
    row, step = size - 1, -1
    for right in range(size - 1, 0, -2):  # two columns at a time, upwards then downwards (qrcode's map_data)
        if right <= 6:
            right -= 1  # the vertical timing pattern is skipped
        while True:
            for column in (right, right - 1):
                if modules[row][column] is None:
                    rows.append(row)
                    columns.append(column)
            row += step
            if row < 0 or row >= size:
                row -= step
                step = -step
                break
    data = np.array([[cell is None for cell in line] for line in modules])
    template = np.array([[bool(cell) for cell in line] for line in modules])
    return _Layout(size, template, data, np.array(rows), np.array(columns))


@lru_cache(maxsize=64)
def _format_modules(version: int, mask: int) -> np.ndarray:
    """The function patterns with the real format (and version) information of ``mask``."""
    return np.array([[bool(cell) for cell in line] for line in _blank(version, False, mask)])


@lru_cache(maxsize=64)
def _masks(size: int) -> np.ndarray:
    """The eight mask patterns (True where the mask inverts) for a symbol ``size`` modules wide,
    as an array of shape (8, size, size)."""
    i, j = np.indices((size, size))
    return np.array([
        (i + j) % 2 == 0, i % 2 == 0, j % 3 == 0, (i + j) % 3 == 0, (i // 2 + j // 3) % 2 == 0,
        (i * j) % 2 + (i * j) % 3 == 0, ((i * j) % 2 + (i * j) % 3) % 2 == 0, ((i * j) % 3 + (i + j) % 2) % 2 == 0])


# 1:1:3:1:1 with four light modules after or before it (10111010000, 00001011101), read as bits
_FINDER_LIKE = [sum(int(bit) << k for k, bit in enumerate(pattern)) for pattern in ("10111010000", "00001011101")]


def _penalties(symbols: np.ndarray) -> np.ndarray:
    """The mask penalty of each symbol of ``symbols`` (shape (count, size, size)): runs of five or
    more in a row or column, 2×2 blocks of one colour, finder-like patterns, and the share of dark
    modules away from half."""
    count, size, _ = symbols.shape
    scores = np.zeros(count, dtype=np.int64)
    for grids in (symbols, symbols.transpose(0, 2, 1)):
        edges = np.ones((count, size, size + 1), dtype=bool)
        edges[:, :, 1:-1] = grids[:, :, 1:] != grids[:, :, :-1]
        where = np.flatnonzero(edges)
        runs = np.diff(where)
        long = runs >= 5
        scores += np.bincount(where[:-1][long] // (size * (size + 1)), weights=runs[long] - 2,
                              minlength=count).astype(np.int64)
        if size > 10:
            width = size - 10
            bits = np.zeros((count, size, width), dtype=np.int32)
            for k in range(11):
                bits |= grids[:, :, k:k + width].astype(np.int32) << k
            found = (bits == _FINDER_LIKE[0]) | (bits == _FINDER_LIKE[1])
            scores += 40 * found.sum(axis=(1, 2))
    corner = symbols[:, :-1, :-1]
    blocks = (corner == symbols[:, :-1, 1:]) & (corner == symbols[:, 1:, :-1]) & (corner == symbols[:, 1:, 1:])
    scores += 3 * blocks.sum(axis=(1, 2))
    dark = symbols.sum(axis=(1, 2)).tolist()
    return scores + np.array([int(abs(float(d) / (size ** 2) * 100 - 50) / 5) * 10 for d in dark])


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
