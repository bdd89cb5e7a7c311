"""What is in a kit folder before a build: dialoogkit's own files by part, and everything else.

In: the deck's kit folder, the deck id, whether ``--force`` was given.
Out: an ``OldKit`` (own files per part, and the foreign entries that ``--force`` carries into the
new kit untouched), or an ``OutputError``: the kit folder is a file or a symbolic link, it holds
files dialoogkit did not make and ``--force`` was not given, or a foreign entry (a link, a folder)
sits where the kit writes one of its own files. Nothing is followed: a symbolic link inside the
folder is an entry of its own, never a way out.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterator

from dialoogkit.errors import OutputError, describe_os_error, quoted
from dialoogkit.i18n import say
from dialoogkit.output.atomic import TEMP_PREFIX
from dialoogkit.output.kitfiles import FOLDERS, part_of


@dataclass
class OldKit:
    """The kit folder as found: own files by part, foreign entries (files, links, folders)."""

    own: dict[str, list[PurePosixPath]] = field(default_factory=dict)
    foreign: list[PurePosixPath] = field(default_factory=list)

    def files_of(self, parts: set[str]) -> list[PurePosixPath]:
        """The own files of ``parts``, in a stable order."""
        return sorted(path for part in parts for path in self.own.get(part, []))


def survey_kit(folder: Path, deck_id: str, force: bool) -> OldKit:
    """Look at the kit folder (see module docstring)."""
    if folder.is_symlink():
        raise OutputError(say("kit.folder_is_link", folder=quoted(folder, 120)))
    if folder.exists() and not folder.is_dir():
        raise OutputError(say("kit.folder_is_file", folder=quoted(folder, 120)))
    kit = OldKit()
    if not folder.is_dir():
        return kit
    try:
        for relative, kind in _entries(folder, PurePosixPath()):
            part = part_of(relative, deck_id)
            if kind == "file" and part is not None:
                kit.own.setdefault(part, []).append(relative)
            elif kind == "dir" and str(relative) in FOLDERS:
                continue
            elif relative.name.startswith(TEMP_PREFIX):
                continue  # a temporary file of an interrupted build of an older version: dropped
            else:
                if part is not None or (kind != "dir" and str(relative) in FOLDERS):
                    raise OutputError(say("kit.in_the_way", path=quoted(folder / relative, 120),
                                          kind=say(f"kit.entry_{kind.replace(' ', '_')}")))
                kit.foreign.append(relative)
    except OSError as exc:
        raise OutputError(describe_os_error(exc, exc.filename or folder, reading=True)) from None
    files = [path for path in kit.foreign if not (folder / path).is_dir() or (folder / path).is_symlink()]
    if files and not force:
        raise OutputError(say("kit.foreign_files", folder=quoted(folder, 120), example=quoted(files[0], 80)))
    return kit


def _entries(folder: Path, relative: PurePosixPath) -> Iterator[tuple[PurePosixPath, str]]:
    """Every entry below ``folder`` as (relative path, "file" | "dir" | "link"), parents first,
    without following symbolic links."""
    with os.scandir(folder / relative) as scan:
        entries = sorted(scan, key=lambda entry: entry.name)
    for entry in entries:
        path = relative / entry.name
        if entry.is_symlink():
            yield path, "link"
        elif entry.is_dir(follow_symlinks=False):
            yield path, "dir"
            yield from _entries(folder, path)
        else:
            yield path, "file" if entry.is_file(follow_symlinks=False) else "special file"

