"""The one table of the files a kit consists of: name, the part that makes it, its preflight kind.

In: a file's path relative to the kit folder and the deck id.
Out: ``FILES`` (the table), ``PARTS`` (the parts a build can make, in build order; what
``--only`` offers), ``KEPT`` (parts made by another command, ``dialoogkit report``'s
``na-de-sessie/``, which every build carries over and a whole build lists in its manifest), ``part_of`` (which part made a file, None for a file dialoogkit did not make)
and ``preflight_kind``. The build, the folder check, ``--only`` and the CLI's choices all read
this table, so a new file is added here once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath


@dataclass(frozen=True)
class KitFile:
    """One file (or family of files) of a kit."""

    pattern: str  # a regular expression on the relative path; {deck} stands for the deck id
    part: str  # the part that makes it; "kit" for the manifest and zip of a whole kit
    kind: str | None = None  # preflight kind of a PDF
    example: str = ""  # the name as the README and the build summary show it

    def matches(self, relative: str, deck_id: str) -> bool:
        pattern = self.pattern.replace("{deck}", re.escape(deck_id))
        return re.fullmatch(pattern, relative) is not None


FILES: tuple[KitFile, ...] = (
    KitFile(r"cards-sheets\.pdf", "cards", "sheets", "cards-sheets.pdf"),
    KitFile(r"cards-printshop\.pdf", "cards", "printshop", "cards-printshop.pdf"),
    KitFile(r"canvases\.pdf", "canvases", "canvases", "canvases.pdf"),
    KitFile(r"guide\.pdf", "guide", "guide", "guide.pdf"),
    KitFile(r"png/(card-\d+-(front|back)|canvas-\d+|contact-sheet)\.png", "png", None, "png/"),
    KitFile(r"na-de-sessie/(verslag\.(pdf|docx)|stippen\.png|acties\.xlsx|acties\.csv|brief-[a-z0-9-]+\.(pdf|docx))",
            "report", None, "na-de-sessie/"),
    KitFile(r"manifest\.json", "kit", None, "manifest.json"),
    KitFile(r"{deck}-kit\.zip", "kit", None, "<deck>-kit.zip"),
)
KEPT: tuple[str, ...] = ("report",)  # made by `dialoogkit report`; every build keeps them and lists them
PARTS: tuple[str, ...] = tuple(dict.fromkeys(f.part for f in FILES if f.part != "kit" and f.part not in KEPT))
REPORT_FOLDER = "na-de-sessie"
FOLDERS = ("png", REPORT_FOLDER)
MANIFEST = "manifest.json"


def part_of(relative: str | PurePosixPath, deck_id: str) -> str | None:
    """The part that makes the file at ``relative`` (a posix path in the kit), or None."""
    text = str(relative)
    return next((f.part for f in FILES if f.matches(text, deck_id)), None)


def preflight_kind(relative: str) -> str | None:
    """The preflight kind of a kit PDF, or None for files without a preflight."""
    return next((f.kind for f in FILES if f.kind and f.matches(relative, "")), None)


def zip_name(deck_id: str) -> str:
    """The name of the whole kit's zip."""
    return f"{deck_id}-kit.zip"
