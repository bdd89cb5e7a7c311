"""Replace a kit folder whole: build into a staging folder beside it, then switch it in at once.

In: the kit folder to (re)place, e.g. ``output/standaard``.
Out: a ``Stage`` to write files into (and to carry files of the old kit into, by hard link); when
the ``with`` block ends without an error the stage becomes the kit folder in one step, otherwise
it is removed and the old kit stays as it was. At every moment the kit folder is the complete old
kit or the complete new one:

* the switch is one ``renameat2(RENAME_EXCHANGE)`` (Linux 3.15+), called through ctypes, which
  swaps the two folders atomically; the old kit, now at the stage's name, is then deleted;
* where the file system cannot exchange, a two-step switch (old kit aside, stage in) is used,
  with a marker file so that the next build completes a switch that was interrupted between the
  steps;
* a lock file (``.<kit>.lock``, ``flock``) beside the kit folder makes a second build into the same
  folder stop with a clear message; leftovers of a killed build (``.<kit>.staging-*``,
  ``.<kit>.old-*``) are removed by the next build.

Nothing outside the kit folder and its hidden siblings is ever written or deleted: deleting never
follows a symbolic link.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
import signal
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Iterator

from dialoogkit.errors import BusyError, OutputError, describe_os_error, quoted
from dialoogkit.i18n import say

RENAME_EXCHANGE = 2
AT_FDCWD = -100


class Stage:
    """The staging folder of a new kit."""

    def __init__(self, target: Path, folder: Path):
        self.target = target
        self.folder = folder
        self.written: list[PurePosixPath] = []

    def write(self, relative: str, data: bytes) -> Path:
        """Write one file of the new kit (flushed to disk before the switch)."""
        path = self.folder / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "xb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise OutputError(describe_os_error(exc, self.target / relative, reading=False)) from None
        self.written.append(PurePosixPath(relative))
        return path

    def record(self, relative: str) -> None:
        """Count a file that was written into the stage by other means (flushed to disk first)."""
        path = self.folder / relative
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        self.written.append(PurePosixPath(relative))

    def carry(self, relative: PurePosixPath) -> None:
        """Bring a file, folder or link of the old kit into the new one unchanged (hard link, or a
        copy where the file system has none; a symbolic link is copied as a link, never followed)."""
        source, copy = self.target / relative, self.folder / relative
        try:
            copy.parent.mkdir(parents=True, exist_ok=True)
            if source.is_symlink():
                os.symlink(os.readlink(source), copy)
            elif source.is_dir():
                copy.mkdir(exist_ok=True)
            else:
                try:
                    os.link(source, copy, follow_symlinks=False)
                except OSError:
                    shutil.copy2(source, copy, follow_symlinks=False)
        except OSError as exc:
            raise OutputError(describe_os_error(exc, source, reading=True)) from None


@contextmanager
def staged_kit(target: Path) -> Iterator[Stage]:
    """A stage for a new kit at ``target``, switched in when the block ends without error."""
    parent = target.parent
    created = not parent.exists()
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(describe_os_error(exc, parent, reading=False)) from None
    try:
        with _locked(parent / f".{target.name}.lock", target):
            yield from _stage_and_switch(target)
    finally:
        if created and not target.exists():
            _remove_if_empty(parent)


def _stage_and_switch(target: Path) -> Iterator[Stage]:
    """Under the lock: tidy up after earlier builds, stage, and switch in when all went well."""
    recover(target)
    try:
        folder = _make_stage(target)
    except OSError as exc:
        raise OutputError(describe_os_error(exc, target.parent, reading=False)) from None
    try:
        yield Stage(target, folder)
        with _signals_held():  # Ctrl-C or SIGTERM now waits until the switch and its tidying are done
            switch(folder, target)
            remove_tree(folder)
    finally:
        remove_tree(folder)


@contextmanager
def _signals_held() -> Iterator[None]:
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


def switch(stage: Path, target: Path) -> None:
    """Make ``stage`` the folder at ``target`` in one step; the old kit is deleted afterwards."""
    _sync_folder(stage)
    try:
        if not os.path.lexists(target):
            os.rename(stage, target)
        elif not exchange(stage, target):
            _switch_in_two_steps(stage, target)
    except OSError as exc:
        raise OutputError(describe_os_error(exc, target, reading=False)) from None
    _sync_folder(target.parent)


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically (renameat2 RENAME_EXCHANGE); False where that is not supported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _switch_in_two_steps(stage: Path, target: Path) -> None:
    """Old kit aside, stage in; the marker tells the next build how to finish if we die between."""
    marker = _marker(target)
    aside = target.parent / f".{target.name}.old-{stage.name.rsplit('-', 1)[-1]}"
    marker.write_text(stage.name, encoding="utf-8")
    _sync_folder(target.parent)
    os.rename(target, aside)
    os.rename(stage, target)
    marker.unlink()
    remove_tree(aside)


def recover(target: Path) -> None:
    """Finish a two-step switch that was interrupted, then remove every leftover of earlier builds."""
    parent, marker = target.parent, _marker(target)
    if marker.is_file():
        stage = parent / marker.read_text(encoding="utf-8").strip()
        aside = parent / f".{target.name}.old-{stage.name.rsplit('-', 1)[-1]}"
        if not os.path.lexists(target):
            if stage.is_dir() and not stage.is_symlink():
                os.rename(stage, target)
            elif aside.is_dir() and not aside.is_symlink():
                os.rename(aside, target)
        marker.unlink()
    for prefix in (f".{target.name}.staging-", f".{target.name}.old-"):
        for leftover in parent.glob(f"{_escape(prefix)}*"):
            remove_tree(leftover)


def remove_tree(path: Path) -> None:
    """Delete a folder of ours, never following a symbolic link inside it."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def _make_stage(target: Path) -> Path:
    """A new, empty staging folder beside ``target``, with the permissions the user's umask gives
    (``mkdtemp`` would make it private, and reading the umask means changing it for every thread)."""
    for _ in range(100):
        folder = target.parent / f".{target.name}.staging-{secrets.token_hex(4)}"
        try:
            folder.mkdir(0o777)
            return folder
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a staging folder", str(target.parent))


def _marker(target: Path) -> Path:
    return target.parent / f".{target.name}.switching"


def _escape(text: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in text)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def _locked(lock: Path, target: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock`` (made if needed, removed afterwards); a second build into
    the same kit folder stops with ``BusyError``. After locking, the file is checked to be the one
    at ``lock`` still, so removing it never lets two builds in at once."""
    import fcntl

    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except OSError as exc:
            raise OutputError(describe_os_error(exc, lock, reading=False)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise BusyError(say("kit.busy", folder=quoted(target, 120))) from None
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(lock, follow_symlinks=False))
        except OSError:
            same = False
        if same:
            break
        os.close(fd)  # the holder before us removed it: lock the new one
    try:
        yield
    finally:
        try:
            os.unlink(lock)
        except OSError:
            pass
        os.close(fd)
