"""A team's files as one zip, in and out of the browser.

In: the database, a team id (export) or the team's storage and the bytes of an uploaded zip
(import), and the person importing.
Out: ``zip_team`` (every current file of the team at its own path, byte for byte, in a zip whose
bytes depend only on the files); ``unzip_into_team`` (each deck, results file and logo of the zip
stored as a version by the importer, through ``transfer.import_folder``); ``ArchiveRefused`` with
a message key (and the entry it names) when the upload is not a zip, too large, or holds a name
that would leave its folder (an absolute path, ``..``, a backslash, a link), a name too long for a
file system, or a name that would be a file and a folder at once (in the zip, or beside the team's
own files) — nothing is stored then.
"""

from __future__ import annotations

import io
import re
import stat
import tempfile
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath

from dialoogkit.errors import quoted
from dialoogkit.serve.database import Database
from dialoogkit.serve.store import DatabaseStorage
from dialoogkit.serve.transfer import SUFFIXES, export_folder, import_folder

MAX_ARCHIVE = 50 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024
MAX_MEMBERS = 2000
MAX_NAME_PART = 255  # bytes of one folder or file name, as file systems allow
MAX_NAME = 1024  # bytes of a whole name
FIXED_TIME = (2000, 1, 1, 0, 0, 0)


class ArchiveRefused(Exception):
    """An upload that is not stored; ``key`` names the message that says why, ``fields`` fill it
    in (``name``: the entry, shortened)."""

    def __init__(self, key: str, **fields: str):
        super().__init__(key)
        self.key = key
        self.fields = fields


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
    wanted = _wanted_members(members, storage.root)
    with tempfile.TemporaryDirectory(prefix="dialoogkit-import-") as folder:
        root = Path(folder)
        for member, pure in wanted:
            target = root.joinpath(*pure.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source:
                target.write_bytes(source.read(MAX_UNPACKED + 1))
        return import_folder(db, storage, root, author)


def _wanted_members(members: list[zipfile.ZipInfo], team_root: Path) -> list[tuple[zipfile.ZipInfo, PurePosixPath]]:
    """The members an import stores, each with its name, after every name was checked (see the
    module docstring): the first that may not be stored refuses the whole zip."""
    wanted = []
    for member in members:
        if member.is_dir():
            continue
        name = member.filename
        pure = PurePosixPath(name)
        mode = member.external_attr >> 16
        if ("\\" in name or "\x00" in name or pure.is_absolute() or ".." in pure.parts
                or (mode and stat.S_ISLNK(mode))):
            raise ArchiveRefused("studio.archive.outside")
        if pure.suffix.lower() in SUFFIXES:
            wanted.append((member, pure))
    files = {pure for _, pure in wanted}
    for _, pure in wanted:
        shown = quoted(str(pure), 80)
        if len(str(pure).encode()) > MAX_NAME or any(len(part.encode()) > MAX_NAME_PART for part in pure.parts):
            raise ArchiveRefused("studio.archive.name_too_long", name=shown)
        folders = list(pure.parents)[:-1]  # every folder it lies in, without the top
        if any(folder in files or (team_root / folder).is_file() for folder in folders) \
                or (team_root / pure).is_dir():
            raise ArchiveRefused("studio.archive.name_conflict", name=shown)
    return wanted
