"""The workspace: the folder whose deck files the studio reads and writes, and nothing outside it.

In: the workspace folder; paths as a browser sends them (relative, posix, untrusted).
Out: ``Workspace.resolve`` (the real path of a file inside the workspace, or ``OutsideWorkspace``:
absolute paths, ``..``, hidden names, a symbolic link that leads out, anything but a regular
file), ``list_decks`` (the YAML files in the folder and its subfolders one level down, each with
its title and state: ready, with problems, or unreadable with the reason) and
``new_deck_file`` (a fresh ``<name>/deck.yaml`` that does not exist yet).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from dialoogkit.cards.paths import Gate

DECK_SUFFIXES = (".yaml", ".yml")
SKIP_FOLDERS = frozenset({"output", "node_modules", "__pycache__", "venv", "env"})
MAX_LISTED = 200
MAX_RELATIVE = 512


class OutsideWorkspace(Exception):
    """A path the studio may not use; ``reason`` says why in plain words (a message key)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class DeckEntry:
    """A YAML file of the workspace as the start page lists it."""

    relative: str
    title: str | None = None
    lessons: int | None = None
    extends: str | None = None
    problems: list[str] = field(default_factory=list)
    unreadable: bool = False


@dataclass(frozen=True)
class Workspace:
    """The workspace folder (resolved once, when the studio starts)."""

    root: Path

    @classmethod
    def open(cls, folder: Path) -> "Workspace":
        return cls(Path(os.path.realpath(folder)))

    @property
    def gate(self) -> Gate:
        """The gate every path a deck or results file names goes through here: ``../`` may climb
        between the workspace's folders, but nothing resolves outside the workspace."""
        return Gate(allow_parent=True, root=self.root)

    def contains(self, path: Path | str) -> bool:
        """Whether the real location of ``path`` lies inside the workspace."""
        real = os.path.realpath(path)
        return os.path.commonpath([real, str(self.root)]) == str(self.root)

    def resolve(self, relative: str, suffixes: tuple[str, ...] = DECK_SUFFIXES, must_exist: bool = True) -> Path:
        """The real path of the workspace file ``relative`` (see module docstring)."""
        text = (relative or "").strip()
        if not text or len(text) > MAX_RELATIVE or "\x00" in text or "\\" in text:
            raise OutsideWorkspace("studio.path.invalid")
        pure = PurePosixPath(text)
        if pure.is_absolute() or text.startswith("~"):
            raise OutsideWorkspace("studio.path.absolute")
        if any(part in ("..", ".") for part in pure.parts) or any(part.startswith(".") for part in pure.parts):
            raise OutsideWorkspace("studio.path.outside")
        if suffixes and pure.suffix.lower() not in suffixes:
            raise OutsideWorkspace("studio.path.not_deck")
        candidate = self.root.joinpath(*pure.parts)
        if not self.contains(candidate):
            raise OutsideWorkspace("studio.path.link_out")
        real = Path(os.path.realpath(candidate))
        if must_exist:
            try:
                mode = os.stat(real).st_mode
            except OSError:
                raise OutsideWorkspace("studio.path.missing") from None
            if not stat.S_ISREG(mode):
                raise OutsideWorkspace("studio.path.not_file")
        return real

    def relative(self, path: Path | str) -> str:
        """``path`` relative to the workspace, in posix form (for links and messages)."""
        return PurePosixPath(Path(os.path.realpath(path)).relative_to(self.root)).as_posix()

    def shown(self, path: Path | str) -> str:
        """``path`` as a message shows it: relative inside the workspace, else as given."""
        try:
            return self.relative(path) if self.contains(path) else str(path)
        except ValueError:
            return str(path)

    def deck_files(self) -> list[Path]:
        """YAML files in the workspace and its subfolders one level down (no hidden ones, no links
        that lead out, not ``output/``), sorted, at most ``MAX_LISTED``."""
        found: list[Path] = []
        for folder in [self.root] + self._subfolders():
            try:
                names = sorted(os.listdir(folder))
            except OSError:
                continue
            for name in names:
                path = folder / name
                if name.startswith(".") or not name.lower().endswith(DECK_SUFFIXES):
                    continue
                if path.is_symlink() and not self.contains(path):
                    continue
                if path.is_file():
                    found.append(path)
                if len(found) >= MAX_LISTED:
                    return found
        return found

    def _subfolders(self) -> list[Path]:
        try:
            entries = sorted(os.scandir(self.root), key=lambda e: e.name)
        except OSError:
            return []
        return [Path(e.path) for e in entries if not e.name.startswith(".") and e.name not in SKIP_FOLDERS
                and e.is_dir(follow_symlinks=False)]

    def new_deck_file(self, slug: str) -> Path:
        """``<slug>/deck.yaml`` in the workspace, with ``-2``, ``-3``… when the folder exists."""
        base = slug or "deck"
        for number in range(1, 1000):
            name = base if number == 1 else f"{base}-{number}"
            folder = self.root / name
            if not os.path.lexists(folder):
                return folder / "deck.yaml"
        raise OutsideWorkspace("studio.path.no_name")
