"""Resolve a path that a deck names (its ``extends`` parent, its ``logo``) without leaving its folder.

In: the path as written in the deck, the deck file that names it, and whether ``../`` may lead
out of the deck's folder (``--allow-parent-folder``).
Out: the path (as joined, for messages) of a regular file inside the deck's folder (symbolic links followed, but only
when they stay inside), or ``PathRefused`` saying why in words that quote the path as written
(never the file's contents): absolute, ``..`` without permission, a link that leads out, a
folder, a named pipe, a device, a missing file or a name too long. With permission, ``../`` may go
up, but never through a symbolic link.
"""

from __future__ import annotations

import os
from pathlib import Path

from dialoogkit.errors import quoted
from dialoogkit.safe_read import Unreadable, check_name, check_regular

ALLOW_PARENT_OPTION = "--allow-parent-folder"


class PathRefused(Exception):
    """A path a deck names that may not be used, with what to do instead."""

    def __init__(self, reason: str, fix: str):
        super().__init__(reason)
        self.reason = reason
        self.fix = fix


def resolve_named(written: str, deck_file: Path, allow_parent: bool = False) -> Path:
    """The file that ``written`` (from ``deck_file``) names (see module docstring)."""
    shown = quoted(written, 80)
    relative = written.strip().replace("\\", "/")
    try:
        check_name(relative)
    except Unreadable as exc:
        raise PathRefused(f"'{shown}': {exc.reason}", exc.fix) from None
    if not relative or relative.startswith("/") or (len(relative) > 1 and relative[1] == ":"):
        raise PathRefused(f"'{shown}' is outside the deck's folder (an absolute path)",
                          "write the file name relative to the deck file, e.g. logo.png or ../regio.yaml")
    parts = Path(relative).parts
    folder = deck_file.parent
    if ".." in parts:
        if not allow_parent:
            raise PathRefused(f"'{shown}' leads outside the deck's folder",
                              "put the file in the deck's folder, or add " + ALLOW_PARENT_OPTION +
                              " to the command to allow ../ on purpose")
        _refuse_links(folder, parts, shown)
        target = folder / relative
    else:
        target = folder / relative
        real, inside = os.path.realpath(target), os.path.realpath(folder)
        if os.path.commonpath([real, inside]) != inside:
            raise PathRefused(f"'{shown}' is a link that leads outside the deck's folder",
                              "copy the file itself into the deck's folder")
    try:
        check_regular(target)
    except Unreadable as exc:
        raise PathRefused(f"'{shown}': {exc.reason}", exc.fix) from None
    return target


def _refuse_links(folder: Path, parts: tuple[str, ...], shown: str) -> None:
    """With ``../`` allowed, no step of the path may be a symbolic link."""
    current = folder
    for part in parts:
        current = current / part
        if part != ".." and os.path.islink(current):
            raise PathRefused(f"'{shown}' goes through a symbolic link ({quoted(part, 40)})",
                              "a path with ../ may not pass a symbolic link: give the real path")
