"""The report of a session as the studio offers it: the files ``dialoogkit report`` writes, read
back from the kit folder, so they are still there after a restart.

In: the workspace's output folder (``output/``), the deck id, the results a report was made from.
Out: (the report is made by the results-and-report service, ``app.reporting.make_report``, as
``dialoogkit report`` makes it) ``find_report`` gives the ``Report`` found in
``output/<deck id>/na-de-sessie/`` (None when there is none): its files in the order the page
lists them, each letter's addressee where the results name it, and when it was made; ``file_label`` says in words what a file is; ``report_bytes``
reads one of its files and ``zip_report`` puts all of them in one zip. Only regular files with
the names a report has are offered; no link is followed.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dialoogkit.cards.results.load import LoadedResults
from dialoogkit.output.kitfiles import REPORT_FOLDER, part_of
from dialoogkit.safe_read import Unreadable, read_regular

ORDER = ("verslag.pdf", "verslag.docx", "stippen.png", "acties.xlsx", "acties.csv")
LETTER_KINDS = (".pdf", ".docx")
MAX_FILE = 200 * 1024 * 1024
ZIP_DATE = (2000, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Report:
    """The report files in a kit folder."""

    folder: Path
    deck_id: str
    names: tuple[str, ...]
    letters: dict[str, str]  # file name → addressee, for the letters (PDF and .docx) the results name
    made: float  # when the report was written (seconds since the epoch)

    @property
    def zip_name(self) -> str:
        return f"{self.deck_id}-na-de-sessie.zip"

    @property
    def key(self) -> str:
        """Changes with every new report (so the browser fetches the new picture)."""
        return hashlib.sha256(f"{self.made}:{','.join(self.names)}".encode()).hexdigest()[:16]


def letter_names(loaded: LoadedResults) -> dict[str, str]:
    """The letters' file names (PDF and .docx) with their addressees, named as ``render_report``
    names them."""
    from dialoogkit.generator.report.letter import letter_slug

    taken: set[str] = set()
    names: dict[str, str] = {}
    for to in loaded.results.addressees():
        slug = letter_slug(to, taken)
        names.update({f"brief-{slug}{kind}": to for kind in LETTER_KINDS})
    return names


def report_folder(output: Path, deck_id: str) -> Path | None:
    """``output/<deck id>/na-de-sessie`` when each step of it is a real folder (no link)."""
    folder = output
    for step in (None, deck_id, REPORT_FOLDER):
        folder = folder if step is None else folder / step
        try:
            info = os.lstat(folder)
        except OSError:
            return None
        if not stat.S_ISDIR(info.st_mode):
            return None
    return folder


def find_report(output: Path, deck_id: str, letters: dict[str, str] | None = None) -> Report | None:
    """The report in ``output/<deck id>/na-de-sessie/`` (see module docstring)."""
    folder = report_folder(output, deck_id)
    if folder is None:
        return None
    found: dict[str, float] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if is_report_file(entry.name, deck_id) and entry.is_file(follow_symlinks=False):
                    found[entry.name] = entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return None
    if "verslag.pdf" not in found:
        return None
    letters = letters or {}
    known = [name for name in letters if name in found]
    names = [n for n in ORDER if n in found] + known + sorted(n for n in found if n not in ORDER and n not in known)
    return Report(folder, deck_id, tuple(names), {n: letters[n] for n in known}, found["verslag.pdf"])


def file_label(t: Callable[..., str], name: str, letters: dict[str, str]) -> str:
    """What a report file is, in words for its download link: a letter names its addressee;
    a file the message table has no words for is shown by its name."""
    editable = name.endswith(".docx")
    if name in letters:
        return t("studio.results.file_letter_docx" if editable else "studio.results.file_letter", to=letters[name])
    if name.startswith("brief-"):
        return t("studio.results.file_letter_plain_docx" if editable else "studio.results.file_letter_plain")
    key = "studio.results.file_" + name.replace(".", "_")
    label = t(key)
    return name if label == key else label


def is_report_file(name: str, deck_id: str) -> bool:
    return "/" not in name and "\\" not in name and part_of(f"{REPORT_FOLDER}/{name}", deck_id) == "report"


def report_bytes(report: Report, name: str) -> bytes | None:
    """The bytes of one file of the report; None when it is not one (or not a regular file)."""
    if name not in report.names:
        return None
    path = report.folder / name
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        return read_regular(path, MAX_FILE)
    except (OSError, Unreadable):
        return None


def zip_report(report: Report) -> bytes:
    """All files of a report in one zip, in the folder ``na-de-sessie/`` (same bytes for the same files)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in report.names:
            data = report_bytes(report, name)
            if data is None:
                continue
            info = zipfile.ZipInfo(f"{REPORT_FOLDER}/{name}", ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
