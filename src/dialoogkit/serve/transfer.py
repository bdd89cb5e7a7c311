"""Moving a team's files in and out of the database: a folder of decks, results and logos.

In: an open ``Database``; for an import the team's ``DatabaseStorage``, a folder made with the
command line or the local studio, and the author ("" for an import by IT); for an export a team
id and a destination folder.
Out: ``import_folder`` stores every deck or results file (``*.yaml``, ``*.yml``) and logo
(``.png``, ``.jpg``, ``.jpeg``) under the folder as a version, at the same relative path (hidden
files and folders, ``output/`` folders, ``*.bak`` files and symbolic links are skipped; a file
whose bytes are already current stores nothing); returns the paths stored. ``export_folder``
writes the current version of every file of the team, byte for byte; returns the paths written.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select

from dialoogkit.errors import InputError, quoted
from dialoogkit.i18n import say
from dialoogkit.output.atomic import write_atomic
from dialoogkit.safe_read import Unreadable, read_regular
from dialoogkit.serve.database import Database
from dialoogkit.serve.models import FileVersion, StoredFile
from dialoogkit.serve.store import DatabaseStorage, relative_path

SUFFIXES = (".yaml", ".yml", ".png", ".jpg", ".jpeg")
SKIPPED_FOLDERS = ("output",)
MAX_FILE = 50 * 1024 * 1024


def find_importable(folder: Path) -> list[str]:
    """The posix paths, relative to ``folder`` and sorted, of the files an import stores."""
    found: list[str] = []
    for current, folders, files in os.walk(folder, followlinks=False):
        here = Path(current)
        folders[:] = sorted(name for name in folders
                            if not name.startswith(".") and name not in SKIPPED_FOLDERS
                            and not (here / name).is_symlink())
        for name in files:
            path = here / name
            if name.startswith(".") or name.endswith(".bak") or path.is_symlink() or not path.is_file():
                continue
            if path.suffix.lower() in SUFFIXES:
                found.append(path.relative_to(folder).as_posix())
    return sorted(found)


def import_folder(db: Database, storage: DatabaseStorage, folder: Path, author: str = "", *,
                  actor: str | None = None) -> list[str]:
    """Store the folder's decks, results and logos in the team (see module docstring); the audit
    log names ``actor`` (default: the author)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(say("serve.transfer.not_folder", folder=quoted(folder, 120)))
    stored: list[str] = []
    for relative in find_importable(folder):
        try:
            data = read_regular(folder / relative, MAX_FILE)
        except Unreadable as exc:
            raise InputError(say("serve.transfer.unreadable", path=quoted(folder / relative, 120),
                                 reason=exc.reason, fix=exc.fix)) from None
        current = storage.current_bytes(relative)
        if storage.replace(storage.root / relative, data, read=current, author=author, action="import",
                           actor=actor):
            stored.append(relative)
    return stored


def export_folder(db: Database, team_id: str, folder: Path) -> list[str]:
    """Write the current version of every file of the team into ``folder`` (made when missing)."""
    folder = Path(folder).absolute()
    folder.mkdir(parents=True, exist_ok=True)
    with db.session(read_only=True) as session:
        heads = session.execute(select(FileVersion.id, StoredFile.path)
                                .join(StoredFile, StoredFile.id == FileVersion.file_id)
                                .where(StoredFile.team_id == team_id, FileVersion.number == StoredFile.current_number)
                                .order_by(StoredFile.path)).all()
    written: list[str] = []
    for version_id, path in heads:
        target = folder / relative_path(folder, path)
        with db.session(read_only=True) as session:
            data = session.scalar(select(FileVersion.data).where(FileVersion.id == version_id))
        write_atomic(target, data)
        written.append(path)
    return written
