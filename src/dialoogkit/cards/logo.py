"""Check a deck's logo: a PNG or JPEG inside the folder of the deck file that names it.

In: the logo path as written and the deck file it was written in.
Out: the resolved ``Path`` of the image, or a ``Problem``: a path that leaves the deck's folder
(``..``, absolute, or a symbolic link pointing out), a missing file, a file that is not a PNG or
JPEG image, or an image too small to print sharply.
"""

from __future__ import annotations

from pathlib import Path

from dialoogkit.errors import Problem

MIN_PIXELS = 120
MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def check_logo(written: str, deck_file: str, line: int | None) -> Path | Problem:
    """Resolve and check a logo (see module docstring)."""
    folder = Path(deck_file).parent.resolve()

    def problem(message: str, hint: str) -> Problem:
        return Problem(deck_file, line, message, hint, field="logo")

    if Path(written).is_absolute() or ".." in Path(written).parts:
        return problem(f"the logo '{written}' is outside the deck's folder",
                       "put the image in the same folder as the deck file and write only its name, e.g. logo.png")
    path = (folder / written).resolve()
    if folder != path and folder not in path.parents:
        return problem(f"the logo '{written}' points outside the deck's folder (through a link)",
                       "copy the image itself into the deck's folder")
    if not path.is_file():
        return problem(f"the logo file '{written}' does not exist in {folder}",
                       "check the file name, or remove the `logo:` line")
    if path.stat().st_size > MAX_BYTES:
        return problem(f"the logo '{written}' is larger than {MAX_BYTES // 1024 // 1024} MB", "use a smaller image")
    head = path.read_bytes()[:8]
    kind = next((name for sig, name in SIGNATURES.items() if head.startswith(sig)), None)
    if kind is None:
        return problem(f"the logo '{written}' is not a PNG or JPEG image", "save the logo as .png or .jpg")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return problem(f"the logo '{written}' is damaged or not a readable {kind} image", "save the logo again")
    if min(width, height) < MIN_PIXELS:
        return problem(f"the logo is {width}×{height} pixels: too small to print sharply",
                       f"use an image at least {MIN_PIXELS} pixels high and wide")
    return path
