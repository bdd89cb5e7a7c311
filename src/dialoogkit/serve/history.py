"""The history of a team's files: the versions, what changed between two, and restoring one.

In: an open ``Database``, a team id, a file's path in the team's folder (posix, relative, e.g.
``samen-wonen/deck.yaml``), version numbers (1 = oldest) and, to restore, the team's
``DatabaseStorage`` and the author.
Out: ``list_versions`` (``VersionInfo`` rows, oldest first, without their bytes),
``version_bytes``, ``compare(old, new)`` (``FieldChange`` rows: for YAML decks and results field
by field, with a dotted place such as ``lessons[3].statement``; any other file as a whole), and
``restore`` (the old bytes saved as a new version: history is never rewritten).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml
from sqlalchemy import func, select

from dialoogkit.serve import problems
from dialoogkit.serve.database import Database
from dialoogkit.serve.models import FileVersion, StoredFile
from dialoogkit.serve.store import DatabaseStorage


@dataclass(frozen=True)
class VersionInfo:
    """One version of a file: number, author ("" for an import), time (UTC), size and SHA-256."""

    number: int
    author: str
    saved_at: datetime
    size: int
    sha256: str
    current: bool


@dataclass(frozen=True)
class FieldChange:
    """One changed field: its place (``lessons[3].statement``; "" for the whole file) and the old
    and new values (None where the field is absent)."""

    place: str
    old: object
    new: object


def list_versions(db: Database, team_id: str, path: str) -> list[VersionInfo]:
    """The versions of the team's file ``path``, oldest first (empty when there is none)."""
    with db.session(read_only=True) as session:
        rows = session.execute(
            select(FileVersion.number, FileVersion.author, FileVersion.saved_at, func.length(FileVersion.data),
                   FileVersion.sha256, StoredFile.current_number)
            .join(StoredFile, StoredFile.id == FileVersion.file_id)
            .where(StoredFile.team_id == team_id, StoredFile.path == str(path))
            .order_by(FileVersion.number)).all()
    return [VersionInfo(number, author, saved_at, size or 0, sha, number == current)
            for number, author, saved_at, size, sha, current in rows]


def version_bytes(db: Database, team_id: str, path: str, number: int) -> bytes | None:
    """The bytes of version ``number`` of the team's file ``path`` (None: no such version)."""
    with db.session(read_only=True) as session:
        return session.scalar(select(FileVersion.data).join(StoredFile, StoredFile.id == FileVersion.file_id)
                              .where(StoredFile.team_id == team_id, StoredFile.path == str(path),
                                     FileVersion.number == number))


def compare(old: bytes, new: bytes) -> list[FieldChange]:
    """What changed from ``old`` to ``new``: field by field when both are YAML mappings or lists
    (in document order), else one change for the whole file (its text, or its size in bytes)."""
    before, after = _parse(old), _parse(new)
    if before is None or after is None:
        if old == new:
            return []
        return [FieldChange("", _whole(old), _whole(new))]
    changes: list[FieldChange] = []
    _walk("", before, after, changes)
    return changes


def restore(db: Database, storage: DatabaseStorage, path: Path | str, number: int, author: str) -> int:
    """Save version ``number`` of ``path`` again as the newest version (by ``author``); returns the
    number of the current version afterwards (unchanged when it already had those bytes).
    ``StoreConflict`` when someone saved meanwhile; ``AccountProblem`` for a missing version."""
    relative = storage.stored_path(path)
    old = version_bytes(db, storage.team_id, relative, number)
    if old is None:
        raise problems.no_version(relative, number)
    current = storage.current_bytes(relative)
    storage.replace(storage.root / relative, old, read=current, author=author, action="restore")
    versions = list_versions(db, storage.team_id, relative)
    return versions[-1].number if versions else 0


_ABSENT = object()


def _parse(data: bytes) -> object | None:
    try:
        value = yaml.safe_load(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return None
    return value if isinstance(value, (dict, list)) else None


def _whole(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return f"{len(data)} bytes"


def _walk(place: str, old: object, new: object, changes: list[FieldChange]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        keys = list(old) + [key for key in new if key not in old]
        for key in keys:
            _walk(f"{place}.{key}" if place else str(key), old.get(key, _ABSENT), new.get(key, _ABSENT), changes)
    elif isinstance(old, list) and isinstance(new, list):
        for index in range(max(len(old), len(new))):
            _walk(f"{place}[{index}]", old[index] if index < len(old) else _ABSENT,
                  new[index] if index < len(new) else _ABSENT, changes)
    elif old != new or type(old) is not type(new):
        changes.append(FieldChange(place, None if old is _ABSENT else old, None if new is _ABSENT else new))
