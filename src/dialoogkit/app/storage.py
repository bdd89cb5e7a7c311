"""Where decks, results files and their logos are kept: one interface for every face.

In: a path inside the storage's root (the folder the loader and the path gate read), the bytes a
face wants to write, and the bytes it last read (so nobody writes over a version someone else
saved), with the author of the change.
Out: ``Storage`` (the interface), ``FolderStorage`` (plain files: the command line and the local
studio; the previous bytes kept as ``<name>.bak``), ``StoreConflict`` (nothing written), and the
storage of the current command or request: ``current_storage()`` and ``using_storage(...)``, a
context variable, so a team server sets a database store per request without touching the faces,
the loader or the path gate.

A store may keep more than files (a database keeps every version with its author and time), but
it always leaves the current bytes of each file under ``root``: the loader, ``extends:``,
``logo:`` and ``companion:`` resolve through the same gate everywhere.
"""

from __future__ import annotations

import contextvars
import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from dialoogkit.output.atomic import write_atomic

BACKUP_SUFFIX = ".bak"


class StoreConflict(Exception):
    """The stored bytes are not the ones the writer read: nothing was written."""


@dataclass(frozen=True)
class StoredVersion:
    """One kept version of a file: its number (1 = oldest), author, time (ISO 8601, UTC) and bytes."""

    number: int
    author: str
    saved_at: str
    data: bytes


class Storage(Protocol):
    """What a face needs to keep decks and results (see module docstring)."""

    root: Path

    def replace(self, path: Path, data: bytes, *, read: bytes | None, author: str = "") -> bool:
        """Write ``data`` at ``path`` when the stored bytes are still ``read`` (``None``: the file
        must not exist yet), else ``StoreConflict``; returns whether anything changed."""
        ...

    def versions(self, path: Path) -> list[StoredVersion]:
        """The kept versions of ``path``, oldest first, the current one last."""
        ...


class FolderStorage:
    """Plain files under ``root``; the version before the last save is kept as ``<name>.bak``."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root is not None else Path("/")
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def replace(self, path: Path, data: bytes, *, read: bytes | None, author: str = "") -> bool:
        with self._lock(path):
            current = _current_bytes(path)
            if current != read:
                raise StoreConflict(str(path))
            if current == data:
                return False
            if current is not None:
                keep_backup(path)
            write_atomic(path, data)
            return True

    def versions(self, path: Path) -> list[StoredVersion]:
        found: list[StoredVersion] = []
        for candidate in (path.with_name(path.name + BACKUP_SUFFIX), path):
            try:
                data = _current_bytes(candidate)
            except StoreConflict:
                continue
            if data is not None:
                found.append(StoredVersion(len(found) + 1, "", "", data))
        return found

    def _lock(self, path: Path) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(str(path), threading.Lock())


def _current_bytes(path: Path) -> bytes | None:
    """The bytes of the regular file at ``path``; ``None`` when nothing is there, ``StoreConflict``
    when something else is (a link, a folder: never written over)."""
    if not os.path.lexists(path):
        return None
    if path.is_symlink() or not path.is_file():
        raise StoreConflict(str(path))
    return path.read_bytes()


def written_by_save(path: Path) -> tuple[Path, ...]:
    """The files a save of ``path`` writes: ``path`` and the backup it keeps of what was there."""
    return path, path.with_name(path.name + BACKUP_SUFFIX)


def keep_backup(path: Path) -> None:
    """Keep the file as it is now as ``<name>.bak``: a second name for the same bytes (a hard
    link, switched in atomically), so no copy is written; a copy where links are not possible."""
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.bak-tmp")
    try:
        os.link(path, temp)
        os.replace(temp, backup)
    except OSError:
        try:
            os.unlink(temp)
        except OSError:
            pass
        write_atomic(backup, path.read_bytes())


_FILES = FolderStorage()
_current: contextvars.ContextVar[Storage] = contextvars.ContextVar("dialoogkit_storage", default=_FILES)
_author: contextvars.ContextVar[str] = contextvars.ContextVar("dialoogkit_author", default="")


def current_storage() -> Storage:
    """The storage of this command or request (plain files unless a server said otherwise)."""
    return _current.get()


def current_author() -> str:
    """Who makes the changes of this command or request (empty: the person at this computer)."""
    return _author.get()


def stored_bytes(path: Path) -> bytes | None:
    """The current bytes of ``path`` as a writer must name them in ``Storage.replace``."""
    return _current_bytes(path)


@contextmanager
def using_storage(storage: Storage, author: str = "") -> Iterator[Storage]:
    """Run a block (a request, a command) against ``storage``, its changes made by ``author``."""
    token = _current.set(storage)
    named = _author.set(author)
    try:
        yield storage
    finally:
        _author.reset(named)
        _current.reset(token)
