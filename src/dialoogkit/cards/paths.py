"""The one gate for every path a file names: ``extends``, ``logo``, ``companion`` in a deck and
``deck`` in a results file.

In: the path as written, the file that names it, and a ``Gate``: whether ``../`` may lead out of
that file's folder (``--allow-parent-folder``) and, for the studio, the folder nothing may leave
(its workspace), over a ``FileStore`` (the folders on this machine; a team server's database can
stand in its place, resolving the same names among its own files).
Out: the path (as joined, for messages) of a regular file inside the naming file's folder
(symbolic links followed only while they stay inside), or ``PathRefused`` saying why in words
that quote the path as written (never the file's contents): absolute, ``..`` without permission,
a link that leads out, leaving the workspace, a folder, a named pipe, a device, a missing file or
a name too long. With permission, ``../`` may go up, but never through a symbolic link.
``open_deck_name`` also accepts the name of a bundled deck. The model marks every path-typed
field with ``FILE_REFERENCE`` (see ``cards.models``), and the only way to open one is this gate.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from dialoogkit.errors import quoted
from dialoogkit.i18n import say
from dialoogkit.safe_read import Unreadable, check_name, check_regular

ALLOW_PARENT_OPTION = "--allow-parent-folder"
DECK_SUFFIXES = (".yaml", ".yml")
PSEUDO_FOLDERS = ("/proc", "/sys", "/dev")  # files there look regular but are the system's own


class FileReference:
    """Marks a model field whose value names another file: put it in the field's ``Annotated``.
    ``kind`` is ``deck`` (a bundled deck name or a deck file) or ``file`` (a file only)."""

    def __init__(self, kind: str):
        self.kind = kind

    def __repr__(self) -> str:
        return f"FILE_REFERENCE({self.kind})"


DECK_REFERENCE = FileReference("deck")
FILE_REFERENCE = FileReference("file")


class PathRefused(Exception):
    """A path a file names that may not be used, with what to do instead. ``kind`` says why, for
    callers that word it their own way: ``missing``, ``outside`` (absolute, ``..`` without
    permission, a link leading out, leaving the workspace), ``link`` (``..`` through a symbolic
    link) or ``unreadable``."""

    def __init__(self, reason: str, fix: str, kind: str = "unreadable"):
        super().__init__(reason)
        self.reason = reason
        self.fix = fix
        self.kind = kind


class FileStore(Protocol):
    """Where named files live: what the gate asks of them."""

    def is_link(self, path: Path) -> bool: ...

    def real(self, path: Path) -> Path: ...

    def check_regular(self, path: Path) -> None: ...


class FolderStore:
    """The folders of this machine."""

    def is_link(self, path: Path) -> bool:
        return os.path.islink(path)

    def real(self, path: Path) -> Path:
        return Path(os.path.realpath(path))

    def check_regular(self, path: Path) -> None:
        check_regular(path)


@dataclass(frozen=True)
class Gate:
    """The rules for every path a file names (see module docstring): ``allow_parent`` lets
    ``../`` lead out of the naming file's folder; ``root``, when set, is a folder no path may
    leave, whatever else is allowed (the studio's workspace)."""

    allow_parent: bool = False
    root: Path | None = None
    store: FileStore = field(default_factory=FolderStore, compare=False, repr=False)

    def resolve(self, written: str, naming_file: Path) -> Path:
        """The file that ``written`` (from ``naming_file``) names."""
        return resolve_named(written, naming_file, self)

    def open_deck_name(self, written: str, naming_file: Path) -> Path:
        """A bundled deck's file for a bundled name, else the file ``written`` names."""
        from dialoogkit.cards.bundled import bundled_file

        bundled = bundled_file(written.strip())
        if bundled is not None:
            return bundled
        if not written.strip().lower().endswith(DECK_SUFFIXES):
            raise PathRefused(say("cards.path.not_deck", path=quoted(written, 80)), say("cards.path.not_deck_fix"))
        return self.resolve(written, naming_file)


COMMAND_LINE = Gate()


def resolve_named(written: str, naming_file: Path, gate: Gate = COMMAND_LINE) -> Path:
    """The file that ``written`` (from ``naming_file``) names under ``gate`` (see module docstring)."""
    shown, named_by = quoted(written, 80), quoted(naming_file.name, 60)
    store = gate.store
    relative = written.strip().replace("\\", "/")
    try:
        check_name(relative)
    except Unreadable as exc:
        raise PathRefused(say("cards.path.reason", path=shown, reason=exc.reason), exc.fix) from None
    if not relative or relative.startswith("/") or (len(relative) > 1 and relative[1] == ":"):
        raise PathRefused(say("cards.path.absolute", path=shown, file=named_by),
                          say("cards.path.absolute_fix", file=named_by), "outside")
    parts = Path(relative).parts
    folder = naming_file.parent
    target = folder / relative
    if ".." in parts:
        if not gate.allow_parent:
            raise PathRefused(say("cards.path.parent", path=shown, file=named_by),
                              say("cards.path.parent_fix", option=ALLOW_PARENT_OPTION, file=named_by), "outside")
        _refuse_links(store, folder, parts, shown)
    elif not _inside(store.real(target), store.real(folder)):
        raise PathRefused(say("cards.path.link_out", path=shown, file=named_by),
                          say("cards.path.link_out_fix", file=named_by), "outside")
    real = store.real(target)
    if any(_inside(real, Path(folder)) for folder in PSEUDO_FOLDERS):
        raise PathRefused(say("cards.path.reason", path=shown, reason=say("kind.special")),
                          say("read.not_regular_fix", what=say("what.file")), "outside")
    if gate.root is not None and not _inside(real, store.real(gate.root)):
        raise PathRefused(say("cards.path.outside_root", path=shown), say("cards.path.outside_root_fix"), "outside")
    try:
        store.check_regular(target)
    except Unreadable as exc:
        kind = "missing" if exc.reason == say("read.missing") else "unreadable"
        raise PathRefused(say("cards.path.reason", path=shown, reason=exc.reason), exc.fix, kind) from None
    return target


def _inside(path: Path, folder: Path) -> bool:
    return os.path.commonpath([path, folder]) == str(folder)


def _refuse_links(store: FileStore, folder: Path, parts: tuple[str, ...], shown: str) -> None:
    """With ``../`` allowed, no step of the path may be a symbolic link: not a name it goes into,
    and not a folder it climbs out of (``..`` out of a linked folder climbs from the link's target,
    not from where the path seems to lead)."""
    current = folder
    for part in parts:
        if part == ".." and store.is_link(current):
            raise PathRefused(say("cards.path.through_link", path=shown, part=quoted(current.name, 40)),
                              say("cards.path.through_link_fix"), "link")
        current = current.parent if part == ".." else current / part
        if part != ".." and store.is_link(current):
            raise PathRefused(say("cards.path.through_link", path=shown, part=quoted(part, 40)),
                              say("cards.path.through_link_fix"), "link")
