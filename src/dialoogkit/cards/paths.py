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
from dialoogkit.i18n import say
from dialoogkit.safe_read import Unreadable, check_name, check_regular

ALLOW_PARENT_OPTION = "--allow-parent-folder"


class PathRefused(Exception):
    """A path a deck names that may not be used, with what to do instead. ``kind`` says why, for
    callers that word it their own way: ``missing``, ``outside`` (absolute, ``..`` without
    permission, a link leading out), ``link`` (``..`` through a symbolic link) or ``unreadable``."""

    def __init__(self, reason: str, fix: str, kind: str = "unreadable"):
        super().__init__(reason)
        self.reason = reason
        self.fix = fix
        self.kind = kind


def resolve_named(written: str, deck_file: Path, allow_parent: bool = False) -> Path:
    """The file that ``written`` (from ``deck_file``) names (see module docstring)."""
    shown = quoted(written, 80)
    relative = written.strip().replace("\\", "/")
    try:
        check_name(relative)
    except Unreadable as exc:
        raise PathRefused(say("cards.path.reason", path=shown, reason=exc.reason), exc.fix) from None
    if not relative or relative.startswith("/") or (len(relative) > 1 and relative[1] == ":"):
        raise PathRefused(say("cards.path.absolute", path=shown), say("cards.path.absolute_fix"), "outside")
    parts = Path(relative).parts
    folder = deck_file.parent
    if ".." in parts:
        if not allow_parent:
            raise PathRefused(say("cards.path.parent", path=shown),
                              say("cards.path.parent_fix", option=ALLOW_PARENT_OPTION), "outside")
        _refuse_links(folder, parts, shown)
        target = folder / relative
    else:
        target = folder / relative
        real, inside = os.path.realpath(target), os.path.realpath(folder)
        if os.path.commonpath([real, inside]) != inside:
            raise PathRefused(say("cards.path.link_out", path=shown), say("cards.path.link_out_fix"), "outside")
    try:
        check_regular(target)
    except Unreadable as exc:
        kind = "missing" if exc.reason == say("read.missing") else "unreadable"
        raise PathRefused(say("cards.path.reason", path=shown, reason=exc.reason), exc.fix, kind) from None
    return target


def _refuse_links(folder: Path, parts: tuple[str, ...], shown: str) -> None:
    """With ``../`` allowed, no step of the path may be a symbolic link."""
    current = folder
    for part in parts:
        current = current / part
        if part != ".." and os.path.islink(current):
            raise PathRefused(say("cards.path.through_link", path=shown, part=quoted(part, 40)),
                              say("cards.path.through_link_fix"), "link")
