"""A team's files as one zip, in and out of the browser.

In: the database, a team id (export) or the team's storage and the bytes of an uploaded zip
(import), and the person importing.
Out: ``zip_team`` (every current file of the team at its own path, byte for byte, in a zip whose
bytes depend only on the files); ``unzip_into_team`` (each deck, results file and logo of the zip
stored as a version by the importer, through ``transfer.import_folder``); ``ArchiveRefused`` with
a message key when the upload is not a zip, too large, or holds a name that would leave its folder
(an absolute path, ``..``, a backslash, a link) — nothing is stored then.
"""

from __future__ import annotations

import io
import re
import stat
import tempfile
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath

from dialoogkit.serve.database import Database
from dialoogkit.serve.store import DatabaseStorage
from dialoogkit.serve.transfer import SUFFIXES, export_folder, import_folder

MAX_ARCHIVE = 50 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024
MAX_MEMBERS = 2000
FIXED_TIME = (2000, 1, 1, 0, 0, 0)


class ArchiveRefused(Exception):
    """An upload that is not stored; ``key`` names the message that says why."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def slug_of(name: str) -> str:
    """``name`` as a file name part: lower case letters, digits and dashes."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60]


def zip_team(db: Database, team_id: str) -> bytes:
    """Every current file of the team in one zip (see module docstring)."""
    with tempfile.TemporaryDirectory(prefix="dialoogkit-export-") as folder:
        written = export_folder(db, team_id, Path(folder))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(written):  # posix paths relative to the team's folder
                info = zipfile.ZipInfo(name, FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (stat.S_IFREG | 0o644) << 16
                archive.writestr(info, (Path(folder) / name).read_bytes())
        return buffer.getvalue()


def unzip_into_team(db: Database, storage: DatabaseStorage, data: bytes, author: str) -> list[str]:
    """Store the zip's decks, results files and logos in the team (see module docstring)."""
    if not data or len(data) > MAX_ARCHIVE:
        raise ArchiveRefused("studio.archive.too_large" if data else "studio.archive.missing")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ArchiveRefused("studio.archive.not_zip") from None
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
        raise ArchiveRefused("studio.archive.too_large")
    with tempfile.TemporaryDirectory(prefix="dialoogkit-import-") as folder:
        root = Path(folder)
        for member in members:
            if member.is_dir():
                continue
            name = member.filename
            pure = PurePosixPath(name)
            mode = member.external_attr >> 16
            if ("\\" in name or "\x00" in name or pure.is_absolute() or ".." in pure.parts
                    or (mode and stat.S_ISLNK(mode))):
                raise ArchiveRefused("studio.archive.outside")
            if pure.suffix.lower() not in SUFFIXES:
                continue
            target = root.joinpath(*pure.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source:
                target.write_bytes(source.read(MAX_UNPACKED + 1))
        return import_folder(db, storage, root, author)
