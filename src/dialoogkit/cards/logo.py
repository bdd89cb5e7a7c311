"""Check a deck's logo: a PNG or JPEG inside the folder of the deck file that names it, that
decodes in full within a bounded size.

In: the logo path as written and the deck file (and line) it was written in.
Out: the resolved ``Path`` of the image, or a ``Problem``: a path the gate (``cards.paths``)
refuses (absolute, ``..`` without permission, a symbolic link pointing out), anything but a regular file, a file that is
not a PNG or JPEG image, an image whose header claims more than ``MAX_PIXELS`` (checked before
decoding: no decompression bombs), an image whose data does not match its header (truncated,
damaged), or an image too small to print sharply. What passes here decodes at build time.
"""

from __future__ import annotations

import io
from pathlib import Path

from dialoogkit.cards.paths import COMMAND_LINE, Gate, PathRefused
from dialoogkit.errors import Problem, quoted
from dialoogkit.i18n import say
from dialoogkit.safe_read import Unreadable, read_regular

MIN_PIXELS = 120
MAX_PIXELS = 40_000_000
MAX_BYTES = 10 * 1024 * 1024
# Every 8×8 block of a JPEG costs at least about half a bit, even when it is all one colour, so
# a file with fewer bytes than this per pixel cannot hold the image its header claims (libjpeg
# would fill the missing part silently).
MIN_JPEG_PIXELS_PER_BYTE = 1024
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def check_logo(written: str, deck_file: str, line: int | None, gate: Gate = COMMAND_LINE) -> Path | Problem:
    """Resolve (through ``gate``) and check a logo (see module docstring)."""
    shown = quoted(written)

    def problem(message: str, hint: str) -> Problem:
        return Problem(deck_file, line, message, hint, field="logo")

    try:
        path = gate.resolve(written, Path(deck_file))
        data = read_regular(path, MAX_BYTES, "logo")
    except PathRefused as exc:
        if exc.kind == "missing":
            return problem(say("cards.logo.missing", path=shown), say("cards.logo.missing_fix"))
        return problem(say("cards.logo.refused", reason=exc.reason),
                       exc.fix)
    except Unreadable as exc:
        return problem(say("cards.logo.unreadable", path=shown, reason=exc.reason), exc.fix)
    kind = next((name for sig, name in SIGNATURES.items() if data.startswith(sig)), None)
    if kind is None:
        return problem(say("cards.logo.not_image", path=shown), say("cards.logo.not_image_fix"))
    size = _decoded_size(data, shown)
    if isinstance(size, str):
        return problem(size, say("cards.logo.damaged_fix"))
    width, height = size
    if width * height > MAX_PIXELS:
        return problem(say("cards.logo.too_big", width=width, height=height, limit=MAX_PIXELS // 1_000_000),
                       say("cards.logo.too_big_fix"))
    if min(width, height) < MIN_PIXELS:
        return problem(say("cards.logo.too_small", width=width, height=height),
                       say("cards.logo.too_small_fix", min=MIN_PIXELS))
    return path.resolve()


def _decoded_size(data: bytes, shown: str) -> tuple[int, int] | str:
    """The size of the image after decoding it in full, or what is wrong with it (a message naming
    the logo as ``shown``). The size its header claims is checked first, so a lying header never
    makes us allocate its pixels."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS or width <= 0 or height <= 0:
                    return (width, height)
                if image.format == "JPEG" and len(data) < width * height / MIN_JPEG_PIXELS_PER_BYTE:
                    return say("cards.logo.too_little_data", path=shown)
                image.load()
                return image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return say("cards.logo.claims_too_big", path=shown, limit=MAX_PIXELS // 1_000_000)
    except UnidentifiedImageError:
        return say("cards.logo.unreadable_image", path=shown)
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
        if "truncat" in str(exc).lower():
            return say("cards.logo.truncated", path=shown)
        return say("cards.logo.mismatch", path=shown)
