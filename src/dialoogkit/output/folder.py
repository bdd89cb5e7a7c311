"""The output folder of a kit: only dialoogkit's own files may be there, unless forced.

In: the deck's output folder, the deck id, whether ``--force`` was given.
Out: nothing when the folder is new or holds only kit files (stale temporary files of an
interrupted build are removed); an ``OutputError`` naming a foreign file otherwise. After a
build, ``remove_stale`` deletes own files of a rebuilt part that this build did not write again.
"""

from __future__ import annotations

import re
from pathlib import Path

from dialoogkit.errors import OutputError
from dialoogkit.output.atomic import TEMP_PREFIX

KIT_FILES = ("cards-sheets.pdf", "cards-printshop.pdf", "canvases.pdf", "guide.pdf", "manifest.json")
PNG_NAME = re.compile(r"^(card-\d+-(front|back)|canvas-\d+|contact-sheet)\.png$")


def is_own(relative: Path, deck_id: str) -> bool:
    """True for a file name a kit of ``deck_id`` consists of."""
    parts = relative.parts
    if len(parts) == 1:
        return parts[0] in KIT_FILES or parts[0] == f"{deck_id}-kit.zip"
    return len(parts) == 2 and parts[0] == "png" and bool(PNG_NAME.match(parts[1]))


def prepare_folder(folder: Path, deck_id: str, force: bool) -> None:
    """Check that ``folder`` may receive the kit; clear leftovers of interrupted builds."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"'{folder}' is a file, not a folder — choose another output folder with -o")
    if not folder.is_dir():
        return
    foreign = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.name.startswith(TEMP_PREFIX) and path.is_file():
            path.unlink(missing_ok=True)
        elif path.is_dir() and relative == Path("png"):
            continue
        elif not is_own(relative, deck_id):
            foreign.append(relative)
    if foreign and not force:
        raise OutputError(f"'{folder}' holds files dialoogkit did not make (e.g. '{foreign[0]}') — choose another "
                          "folder with -o, or add --force to write the kit there anyway (other files are left alone)")


def remove_stale(folder: Path, written: list[Path], parts: tuple[str, ...]) -> None:
    """Delete PNG images left from an earlier, larger build when the images were rebuilt."""
    if "png" not in parts or not (folder / "png").is_dir():
        return
    keep = {path.resolve() for path in written}
    for path in (folder / "png").iterdir():
        if PNG_NAME.match(path.name) and path.resolve() not in keep:
            path.unlink()
