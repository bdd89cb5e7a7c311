"""A team's decks, results files and logos kept in the database, every save a version.

In: an open ``Database``, a team id and the team's folder (``team_folder(data_dir, team_id)``);
paths inside that folder (absolute, or relative to it) with the bytes a face writes, the bytes it
read and the author.
Out: ``DatabaseStorage``, the ``dialoogkit.app.storage.Storage`` of a team server: ``replace``
stores a new version (``StoreConflict`` when someone else saved first: never a lost save, across
threads and server processes alike) and then leaves the current bytes under ``root``, where the
loader and the path gate read them; ``versions``; ``sync`` brings ``root`` up to date with saves
made by other server processes (one small query when nothing changed, remembered per process, so
a storage made per request is as cheap as a kept one). ``PathRefused`` for any path outside
``root``. ``relative_path`` gives the stored (posix) form of a path.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path, PurePosixPath

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dialoogkit.app.storage import StoreConflict, StoredVersion
from dialoogkit.output.atomic import write_atomic
from dialoogkit.serve.accounts import add_entry
from dialoogkit.serve.database import Database
from dialoogkit.serve.models import FileVersion, StoredFile, utc_now
from dialoogkit.serve.problems import PathRefused

MAX_PATH = 1024
# (database URL, team id, root) -> the newest version id written to that root by this process: shared
# by every DatabaseStorage of the process, so a storage made per request syncs cheaply too
_SEEN_REVISIONS: dict[tuple[str, str, str], int] = {}


def team_folder(data_dir: Path, team_id: str) -> Path:
    """``<data>/teams/<team_id>/work``, made (mode 0o700) when missing."""
    if not team_id or not all(c in "0123456789abcdef" for c in team_id):
        raise PathRefused(team_id)
    folder = Path(data_dir) / "teams" / team_id / "work"
    for part in (Path(data_dir), Path(data_dir) / "teams", folder.parent, folder):
        part.mkdir(mode=0o700, exist_ok=True)
    return folder


def relative_path(root: Path, path: Path | str) -> str:
    """The posix path of ``path`` relative to ``root`` (``path`` absolute, or relative to ``root``);
    ``PathRefused`` when it leaves ``root`` (``..``, another folder, a symbolic link on the way)."""
    text = os.fspath(path)
    if not text or "\x00" in text or "\\" in text:
        raise PathRefused(path)
    candidate = Path(text)
    if candidate.is_absolute():
        candidate = Path(os.path.normpath(candidate))
        try:
            candidate = candidate.relative_to(root)
        except ValueError:
            raise PathRefused(path) from None
    parts = PurePosixPath(candidate.as_posix()).parts
    if not parts or any(part in ("", ".", "..") for part in parts) or candidate.is_absolute():
        raise PathRefused(path)
    relative = "/".join(parts)
    if len(relative.encode("utf-8")) > MAX_PATH:
        raise PathRefused(path)
    walked = root
    for part in parts:
        walked = walked / part
        if walked.is_symlink():
            raise PathRefused(path)
    return relative


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class DatabaseStorage:
    """The storage of one team (see module docstring). One instance may serve many threads."""

    def __init__(self, database: Database, team_id: str, root: Path):
        self.database = database
        self.team_id = team_id
        self.root = Path(root).resolve()
        self._given_root = Path(root).absolute()
        self._seen_key = (database.url, team_id, str(self.root))

    # -- the Storage protocol --------------------------------------------------------------

    def replace(self, path: Path, data: bytes, *, read: bytes | None, author: str = "",
                action: str = "save", actor: str | None = None) -> bool:
        """Store ``data`` as the next version of ``path`` when its current version is ``read``
        (``None``: no version yet), else ``StoreConflict``; unchanged bytes store nothing
        (returns False). The audit log gets ``action`` by ``actor`` (default: the author, or
        "system" when there is none)."""
        relative = self.stored_path(path)
        target = self.root / relative
        now = utc_now()
        try:
            with self.database.session() as session:
                stored = self._locked_file(session, relative)
                current = self._current_version(session, stored)
                if (current.sha256 if current else None) != (digest(read) if read is not None else None):
                    raise StoreConflict(str(path))
                if current is not None and current.sha256 == digest(data):
                    return False
                if stored is None:
                    stored = StoredFile(team_id=self.team_id, path=relative, current_number=0)
                    session.add(stored)
                    session.flush()  # a second writer of the same new file fails here (unique)
                self._add_version(session, stored, data, author, now)
                add_entry(session, self.team_id, actor or author or "system", action, relative, now)
                session.flush()
                # the bytes reach root while the row is still locked, so files are written in the order
                # the versions were stored; should the commit fail, the old bytes are put back
                try:
                    write_atomic(target, data)
                    session.commit()
                except BaseException:
                    self._put_back(target, read)
                    raise
        except IntegrityError:
            raise StoreConflict(str(path)) from None
        return True

    def versions(self, path: Path) -> list[StoredVersion]:
        """Every stored version of ``path``, oldest first, with author and time (ISO 8601, UTC)."""
        relative = self.stored_path(path)
        with self.database.session(read_only=True) as session:
            rows = session.scalars(select(FileVersion).join(StoredFile, StoredFile.id == FileVersion.file_id)
                                   .where(StoredFile.team_id == self.team_id, StoredFile.path == relative)
                                   .order_by(FileVersion.number))
            return [StoredVersion(v.number, v.author, v.saved_at.isoformat(timespec="seconds"), v.data) for v in rows]

    # -- more than the protocol ------------------------------------------------------------

    def current_bytes(self, path: Path | str) -> bytes | None:
        """The bytes of the current version of ``path`` in the database (None: never stored)."""
        relative = self.stored_path(path)
        with self.database.session(read_only=True) as session:
            stored = session.scalar(select(StoredFile).where(StoredFile.team_id == self.team_id,
                                                             StoredFile.path == relative))
            current = self._current_version(session, stored)
            return current.data if current is not None else None

    def stored_path(self, path: Path | str) -> str:
        """The posix path of ``path`` inside the team's folder, as stored; ``PathRefused`` outside it."""
        if Path(path).is_absolute() and self._given_root != self.root:
            try:
                path = self.root / Path(os.path.normpath(path)).relative_to(self._given_root)
            except ValueError:
                pass
        return relative_path(self.root, path)

    def sync(self) -> int:
        """Write to ``root`` every file whose current version is not what is on disk (saves made by
        another server process); returns how many were written. When no version was stored for
        the team since the last call, nothing is read."""
        revision = self._revision()
        if revision == _SEEN_REVISIONS.get(self._seen_key):
            return 0
        written = 0
        # a write transaction: no other process stores a version of this team's files meanwhile,
        # so what is written here is never older than what a save wrote
        with self.database.session() as session:
            files = select(StoredFile.id).where(StoredFile.team_id == self.team_id)
            if self.database.dialect == "postgresql":
                files = files.with_for_update(read=True)
            session.execute(files).all()
            wanted = session.execute(select(FileVersion.id, StoredFile.path, FileVersion.sha256)
                                     .join(StoredFile, StoredFile.id == FileVersion.file_id)
                                     .where(StoredFile.team_id == self.team_id,
                                            FileVersion.number == StoredFile.current_number)).all()
            for version_id, relative, sha in wanted:
                try:
                    target = self.root / relative_path(self.root, relative)
                except PathRefused:
                    continue  # a link put in the way on disk: never written through
                if _disk_digest(target) == sha:
                    continue
                write_atomic(target, session.get(FileVersion, version_id).data)
                written += 1
            revision = session.scalar(self._revision_query()) or 0
        _SEEN_REVISIONS[self._seen_key] = revision
        return written

    # -- inside ----------------------------------------------------------------------------

    def _locked_file(self, session: Session, relative: str) -> StoredFile | None:
        query = select(StoredFile).where(StoredFile.team_id == self.team_id, StoredFile.path == relative)
        if self.database.dialect == "postgresql":
            query = query.with_for_update()
        return session.scalar(query)

    @staticmethod
    def _current_version(session: Session, stored: StoredFile | None) -> FileVersion | None:
        if stored is None or not stored.current_number:
            return None
        return session.scalar(select(FileVersion).where(FileVersion.file_id == stored.id,
                                                        FileVersion.number == stored.current_number))

    @staticmethod
    def _add_version(session: Session, stored: StoredFile, data: bytes, author: str, now: datetime) -> None:
        last = session.scalar(select(func.max(FileVersion.number)).where(FileVersion.file_id == stored.id)) or 0
        session.add(FileVersion(file_id=stored.id, number=last + 1, author=author, saved_at=now,
                                sha256=digest(data), data=data))
        stored.current_number = last + 1

    def _revision_query(self):
        return (select(func.max(FileVersion.id)).join(StoredFile, StoredFile.id == FileVersion.file_id)
                .where(StoredFile.team_id == self.team_id))

    def _revision(self) -> int:
        with self.database.session(read_only=True) as session:
            return session.scalar(self._revision_query()) or 0

    @staticmethod
    def _put_back(target: Path, previous: bytes | None) -> None:
        try:
            if previous is None:
                target.unlink(missing_ok=True)
            else:
                write_atomic(target, previous)
        except Exception:  # noqa: BLE001 - the failure being raised matters more; sync repairs root
            pass


def _disk_digest(path: Path) -> str | None:
    try:
        if path.is_symlink() or not path.is_file():
            return None
        return digest(path.read_bytes())
    except OSError:
        return None
