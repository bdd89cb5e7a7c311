"""QR symbols: the mask dialoogkit picks without laying the symbol out eight times is the mask
``qrcode`` picks, so every symbol is the one ``qrcode`` makes; each one decodes to its address."""

from __future__ import annotations

import random
import string

import numpy as np
import pytest
import qrcode
import zxingcpp
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

from dialoogkit.generator.qr import QrTooLong, make_symbol

ALPHABET = string.ascii_letters + string.digits + "/-_.?&=%é"


def addresses() -> list[str]:
    """Short and long addresses (versions 1 to 20: version 7 and up carry version information),
    numeric and alphanumeric data, and bytes outside ASCII."""
    rng = random.Random(18004)
    found = ["https://www.aedes.nl/", "x", "0123456789" * 3, "HELLO WORLD 123", "https://example.org/ü/ß"]
    for length in (5, 17, 40, 80, 130, 200, 300, 420, 600):
        found += ["https://example.org/" + "".join(rng.choice(ALPHABET) for _ in range(length)) for _ in range(12)]
    return found


def qrcode_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, box_size=1)
    code.add_data(data)
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


def test_every_symbol_is_the_one_qrcode_makes():
    sizes = set()
    for data in addresses():
        symbol = make_symbol.__wrapped__(data)
        assert symbol.rows == qrcode_matrix(data), data
        sizes.add(symbol.modules)
    assert min(sizes) == 21 and max(sizes) >= 97  # version 1 up to version 20


@pytest.mark.parametrize("data", ["https://www.aedes.nl/", "https://example.org/" + "a/b-c" * 60])
def test_a_symbol_decodes_to_its_address(data):
    symbol = make_symbol.__wrapped__(data)
    pixels = np.kron(~np.array(symbol.rows), np.ones((6, 6), dtype=bool))
    image = Image.fromarray(np.pad(pixels, 24, constant_values=True).astype(np.uint8) * 255)
    assert [result.text for result in zxingcpp.read_barcodes(image)] == [data]


def test_data_too_long_for_any_version_is_refused():
    with pytest.raises(QrTooLong):
        make_symbol.__wrapped__("x" * 3000)


def test_error_correction_codewords_are_those_qrcode_computes():
    """Every error correction count QR uses, on random data of every block length in use."""
    from qrcode import base
    from qrcode.util import BitBuffer, create_bytes

    from dialoogkit.generator.qr_codewords import correction

    rng = random.Random(7)
    shapes = {(block.data_count, block.total_count - block.data_count)
              for version in range(1, 41) for level in range(4) for block in base.rs_blocks(version, level)}
    assert len({ec for _, ec in shapes}) == 13
    for data_count, ec_count in sorted(shapes):
        data = [rng.randrange(256) for _ in range(data_count)]
        buffer = BitBuffer()
        for byte in data:
            buffer.put(byte, 8)
        expected = create_bytes(buffer, [base.RSBlock(data_count + ec_count, data_count)])[data_count:]
        assert correction(data, ec_count) == expected, (data_count, ec_count)
