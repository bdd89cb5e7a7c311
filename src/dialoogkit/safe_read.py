"""Read a file that a user or a deck names, safely: only a regular file, never more than a limit.

In: a path and a byte limit.
Out: the file's bytes; or ``Unreadable`` carrying a plain reason and a fix when the path is not a
regular file (a folder, a named pipe, a device, a socket), is missing, too large, has a name too
long or cannot be opened. The file is opened without blocking and checked on the open handle, so
a named pipe never hangs and a file swapped for a link after the check is still checked.
Shared by the deck loader, the logo check, ``import`` and ``preflight`` (above the four parts,
like ``errors``).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from dialoogkit.i18n import say

MAX_NAME = 255  # bytes in one path component (Linux NAME_MAX)
MAX_PATH = 1024  # bytes in a whole path


class Unreadable(Exception):
    """Why a file cannot be read, in words for the user, and what to do."""

    def __init__(self, reason: str, fix: str):
        super().__init__(reason)
        self.reason = reason
        self.fix = fix


def describe_kind(mode: int) -> str | None:
    """What a non-regular file is, in plain words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return say("kind.folder")
    if stat.S_ISFIFO(mode):
        return say("kind.fifo")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return say("kind.device")
    if stat.S_ISSOCK(mode):
        return say("kind.socket")
    return say("kind.special")


def check_name(path: Path | str) -> None:
    """Refuse names no file system holds, before asking the file system."""
    encoded = os.fsencode(str(path))
    if len(encoded) > MAX_PATH or any(len(part) > MAX_NAME for part in encoded.split(b"/")):
        raise Unreadable(say("read.name_too_long"), say("read.name_too_long_fix"))
    if b"\x00" in encoded:
        raise Unreadable(say("read.name_nul"), say("read.name_nul_fix"))


def check_regular(path: Path | str) -> os.stat_result:
    """The ``stat`` of ``path`` (links followed) when it is a regular file; ``Unreadable`` otherwise."""
    check_name(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _unreadable(exc) from None
    kind = describe_kind(info.st_mode)
    if kind:
        raise Unreadable(say("read.not_regular", kind=kind, what=say("what.file")),
                         say("read.not_regular_fix", what=say("what.file")))
    return info


def read_regular(path: Path | str, limit: int, what: str = "file") -> bytes:
    """All bytes of the regular file at ``path`` when it holds at most ``limit`` bytes; ``what``
    names the kind of file in messages (``file``, ``deck``, ``logo``, ``table``, ``pdf``)."""
    what = say(f"what.{what}")
    check_name(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _unreadable(exc) from None
    try:
        info = os.fstat(fd)
        kind = describe_kind(info.st_mode)
        if kind:
            raise Unreadable(say("read.not_regular", kind=kind, what=what), say("read.not_regular_fix", what=what))
        if info.st_size > limit:
            raise Unreadable(say("read.too_large", size=_size(info.st_size), limit=_size(limit), what=what),
                             say("read.too_large_fix", what=what))
        chunks, total = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise Unreadable(say("read.too_large", size="?", limit=_size(limit), what=what),
                                 say("read.too_large_fix", what=what))
        return b"".join(chunks)
    except OSError as exc:
        raise _unreadable(exc) from None
    finally:
        os.close(fd)


def _size(count: int) -> str:
    return f"{count // 1024 // 1024} MB" if count >= 10 * 1024 * 1024 else f"{count // 1024} KB"


_REASONS = {
    errno.ENOENT: "missing",
    errno.EACCES: "denied",
    errno.EPERM: "denied",
    errno.EISDIR: "is_folder",
    errno.ENOTDIR: "not_folder",
    errno.ENAMETOOLONG: "name_too_long",
    errno.ELOOP: "loop",
    errno.ENXIO: "no_reader",
}


def _unreadable(exc: OSError) -> Unreadable:
    key = _REASONS.get(exc.errno or 0)
    if key is None:
        return Unreadable((exc.strerror or say("read.other")).lower(), say("read.other_fix"))
    return Unreadable(say(f"read.{key}"), say(f"read.{key}_fix"))
