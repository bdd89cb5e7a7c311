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
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_name(path: Path | str) -> None:
    """Refuse names no file system holds, before asking the file system."""
    encoded = os.fsencode(str(path))
    if len(encoded) > MAX_PATH or any(len(part) > MAX_NAME for part in encoded.split(b"/")):
        raise Unreadable("the name is too long", "use a shorter file or folder name")
    if b"\x00" in encoded:
        raise Unreadable("the name contains a NUL character", "give the real file name")


def check_regular(path: Path | str) -> os.stat_result:
    """The ``stat`` of ``path`` (links followed) when it is a regular file; ``Unreadable`` otherwise."""
    check_name(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _unreadable(exc) from None
    kind = describe_kind(info.st_mode)
    if kind:
        raise Unreadable(f"it is {kind}, not a file", "give the path of a file")
    return info


def read_regular(path: Path | str, limit: int, what: str = "file") -> bytes:
    """All bytes of the regular file at ``path`` when it holds at most ``limit`` bytes."""
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
            raise Unreadable(f"it is {kind}, not a {what}", f"give the path of a {what}")
        if info.st_size > limit:
            raise Unreadable(f"it is {_size(info.st_size)}, larger than the {_size(limit)} a {what} may be",
                             f"check that this is a {what}")
        chunks, total = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise Unreadable(f"it is larger than the {_size(limit)} a {what} may be", f"check that this is a {what}")
        return b"".join(chunks)
    except OSError as exc:
        raise _unreadable(exc) from None
    finally:
        os.close(fd)


def _size(count: int) -> str:
    return f"{count // 1024 // 1024} MB" if count >= 10 * 1024 * 1024 else f"{count // 1024} KB"


_REASONS = {
    errno.ENOENT: ("it does not exist", "check the path and the spelling"),
    errno.EACCES: ("permission denied", "check the file's permissions"),
    errno.EPERM: ("permission denied", "check the file's permissions"),
    errno.EISDIR: ("it is a folder, not a file", "give the path of a file"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "check the path"),
    errno.ENAMETOOLONG: ("the name is too long", "use a shorter file or folder name"),
    errno.ELOOP: ("the path has a loop of symbolic links", "give the real path"),
    errno.ENXIO: ("it is a device or a pipe nobody writes to", "give the path of a file"),
}


def _unreadable(exc: OSError) -> Unreadable:
    reason, fix = _REASONS.get(exc.errno or 0, ((exc.strerror or "it cannot be read").lower(),
                                                "check the path, the disk and the permissions"))
    return Unreadable(reason, fix)
