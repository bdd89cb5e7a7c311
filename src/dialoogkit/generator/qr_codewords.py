"""The codewords of a QR symbol: the version that holds the data, its data codewords and their
Reed-Solomon error correction, interleaved in the order they are placed.

In: the data segments ``qrcode`` makes of a text (``QRCode.add_data``: its numeric, alphanumeric
and byte segments) and the error correction level.
Out: ``fit_version`` (the smallest version, 1 to 40, as ``QRCode.best_fit`` finds it) and
``codewords`` (the bytes ``qrcode.util.create_data`` gives for that version), both the same as
``qrcode``'s, made with a bit accumulator and Galois-field log tables instead of a bit-by-bit
buffer and polynomial objects (a tenth of the time). ``QrTooLong`` when no version holds the
data.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

from qrcode import base, util
from qrcode.LUT import rsPoly_LUT


class QrTooLong(ValueError):
    """The data does not fit in any QR version."""


class Bits:
    """A bit buffer with the one method a ``qrcode`` data segment writes with (``put``)."""

    def __init__(self) -> None:
        self.value = 0
        self.length = 0

    def put(self, number: int, length: int) -> None:
        self.value = (self.value << length) | (number & ((1 << length) - 1))
        self.length += length

    def __len__(self) -> int:
        return self.length


def _written(segments: list, version: int) -> Bits:
    """The segments as they are written for ``version``: mode, length, data."""
    sizes = util.mode_sizes_for_version(version)
    bits = Bits()
    for segment in segments:
        bits.put(segment.mode, 4)
        bits.put(len(segment), sizes[segment.mode])
        segment.write(bits)
    return bits


def fit_version(segments: list, level: int) -> int:
    """The smallest version that holds ``segments`` at error correction ``level`` (the length
    fields grow at versions 10 and 27, so a guess is checked again at the version it gives)."""
    start = 1
    while True:
        sizes = util.mode_sizes_for_version(start)
        version = bisect_left(util.BIT_LIMIT_TABLE[level], len(_written(segments, start)), start)
        if version == 41:
            raise QrTooLong("the data does not fit in a QR symbol of version 40")
        if sizes is util.mode_sizes_for_version(version):
            return version
        start = version


def codewords(segments: list, version: int, level: int) -> list[int]:
    """Data and error correction codewords of ``segments`` in ``version``, interleaved by block."""
    bits = _written(segments, version)
    blocks = base.rs_blocks(version, level)
    limit = sum(block.data_count * 8 for block in blocks)
    if bits.length > limit:
        raise QrTooLong(f"the data needs {bits.length} bits, version {version} holds {limit}")
    bits.put(0, min(limit - bits.length, 4))  # terminator
    if bits.length % 8:
        bits.put(0, 8 - bits.length % 8)
    for index in range((limit - bits.length) // 8):
        bits.put(util.PAD0 if index % 2 == 0 else util.PAD1, 8)
    data = list(bits.value.to_bytes(bits.length // 8, "big"))
    data_blocks, ec_blocks, offset = [], [], 0
    for block in blocks:
        chunk = data[offset:offset + block.data_count]
        offset += block.data_count
        data_blocks.append(chunk)
        ec_blocks.append(correction(chunk, block.total_count - block.data_count))
    return _interleaved(data_blocks) + _interleaved(ec_blocks)


def _interleaved(blocks: list[list[int]]) -> list[int]:
    longest = max(len(block) for block in blocks)
    return [block[i] for i in range(longest) for block in blocks if i < len(block)]


def correction(data: list[int], count: int) -> list[int]:
    """The ``count`` Reed-Solomon codewords of ``data``: the remainder of data·x^count divided by
    the generator polynomial, over GF(256) with QR's polynomial."""
    products = _generator_products(count)
    remainder = [0] * count
    for byte in data:
        factor = byte ^ remainder[0]
        remainder = remainder[1:] + [0]
        if factor:
            remainder = [r ^ p for r, p in zip(remainder, products[factor])]
    return remainder


@lru_cache(maxsize=None)
def _generator_products(count: int) -> tuple[tuple[int, ...], ...]:
    """For each byte value, the generator polynomial's coefficients after its leading 1 times it
    (every error correction count of every QR version has its polynomial in ``rsPoly_LUT``)."""
    coefficients = rsPoly_LUT[count]
    logs = [base.glog(c) for c in coefficients[1:]]
    return ((0,) * count,) + tuple(tuple(base.gexp(g + base.glog(factor)) for g in logs) for factor in range(1, 256))
