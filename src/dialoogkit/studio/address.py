"""The studio's address for a workspace: the same port and token every time it starts there.

In: the workspace folder (its real path), the user's environment (``HOME``, ``XDG_CONFIG_HOME``,
``APPDATA``) and the platform (``sys.platform``).
Out: ``default_port`` (a port from the workspace's real path, in ``PORT_LOW``…``PORT_HIGH``:
above the well-known services, below the ports the systems hand out for outgoing connections),
``port_candidates`` (the remembered port, then the default one, then the next ones), and the
address kept between starts: ``recall`` gives the ``Kept`` token, port and serving process of a
workspace (None when there is none, or when the file is not safely the user's own), ``remember``
writes it, ``is_serving`` says whether that process still runs. It is
kept in the user's own configuration folder (``config_folder``), never in the workspace (often a
shared network folder): ``<config>/studio/<hash of the real path>.json``, the file 0600 in a
folder 0700. ``remember`` raises ``OSError`` when it cannot be written.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

PORT_LOW = 20000
PORT_HIGH = 31999  # Linux hands out 32768+ for outgoing connections, Windows and macOS 49152+
CANDIDATES = 12  # the default port and the next ones tried when it is taken
MAX_FILE = 4096
FOLDER_MODE = 0o700
FILE_MODE = 0o600


@dataclass(frozen=True)
class Kept:
    """The address a workspace's studio had: its token, its port (None: not yet served) and,
    while it serves, the process that serves it."""

    token: str
    port: int | None = None
    pid: int | None = None


def real_path(folder: Path) -> str:
    """The workspace as one text: its real path (links resolved), in the platform's case rules."""
    return os.path.normcase(str(Path(folder).resolve()))


def workspace_key(folder: Path) -> str:
    """A name for the workspace that says nothing about it: a hash of its real path."""
    return hashlib.sha256(os.fsencode(real_path(folder))).hexdigest()[:32]


def default_port(folder: Path) -> int:
    """The workspace's own port: the same for the same real path, spread over the range."""
    digest = hashlib.sha256(b"dialoogkit-studio-port:" + os.fsencode(real_path(folder))).digest()
    return PORT_LOW + int.from_bytes(digest[:4], "big") % (PORT_HIGH - PORT_LOW + 1)


def port_candidates(folder: Path, remembered: int | None = None) -> list[int]:
    """The ports to try, in order: the one the studio had last time (so an open tab and a
    bookmark keep working), the workspace's default, then the next ones in the range."""
    first = default_port(folder)
    span = PORT_HIGH - PORT_LOW + 1
    ports = [PORT_LOW + (first - PORT_LOW + step) % span for step in range(CANDIDATES)]
    if remembered is not None and 0 < remembered < 65536:
        ports = [remembered] + [p for p in ports if p != remembered]
    return ports


def config_folder(environ: Mapping[str, str] | None = None, platform: str | None = None) -> Path:
    """dialoogkit's folder in the user's configuration: ``%APPDATA%`` on Windows, ``~/Library/
    Application Support`` on macOS, ``$XDG_CONFIG_HOME`` (else ``~/.config``) elsewhere."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    home = Path(environ.get("HOME") or environ.get("USERPROFILE") or Path.home())
    if platform == "win32":
        base = Path(environ["APPDATA"]) if environ.get("APPDATA") else home / "AppData" / "Roaming"
    elif platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        xdg = environ.get("XDG_CONFIG_HOME", "")
        base = Path(xdg) if xdg and os.path.isabs(xdg) else home / ".config"
    return base / "dialoogkit"


def address_file(folder: Path, environ: Mapping[str, str] | None = None) -> Path:
    """Where the address of the workspace ``folder`` is kept."""
    return config_folder(environ) / "studio" / f"{workspace_key(folder)}.json"


def recall(folder: Path, environ: Mapping[str, str] | None = None) -> Kept | None:
    """The address kept for ``folder``; None when there is none, or the file is not a small
    regular file of this user that only this user can read (then a new one is made)."""
    path = address_file(folder, environ)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not _private_file(info):
            return None
        data = os.read(fd, MAX_FILE + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    try:
        content = json.loads(data.decode("utf-8"))
    except ValueError:
        return None
    if not isinstance(content, dict) or not isinstance(content.get("token"), str):
        return None
    port, pid = content.get("port"), content.get("pid")
    return Kept(content["token"], port if isinstance(port, int) and 0 < port < 65536 else None,
                pid if isinstance(pid, int) and pid > 0 else None)


def remember(folder: Path, kept: Kept, environ: Mapping[str, str] | None = None) -> Path:
    """Keep ``kept`` as the address of ``folder`` (see module docstring); returns the file."""
    path = address_file(folder, environ)
    make_private_folder(path.parent)
    content = {"workspace": real_path(folder), "token": kept.token, "port": kept.port, "pid": kept.pid}
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temporary, flags, FILE_MODE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(content, handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def is_serving(kept: Kept) -> bool:
    """Whether the process noted as serving the workspace still runs (on systems that can tell)."""
    if not kept.pid or kept.pid == os.getpid() or os.name != "posix":
        return False
    try:
        os.kill(kept.pid, 0)
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def make_private_folder(folder: Path) -> None:
    """``folder`` (and dialoogkit's folder above it) made if missing, readable only by the user;
    ``OSError`` when it is a link or someone else's."""
    for level, parents in ((folder.parent, True), (folder, False)):
        try:
            level.mkdir(mode=FOLDER_MODE, parents=parents)
        except FileExistsError:
            pass
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise OSError(f"{folder} is not a folder")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise OSError(f"{folder} belongs to someone else")
    if os.name == "posix" and stat.S_IMODE(info.st_mode) != FOLDER_MODE:
        os.chmod(folder, FOLDER_MODE)


def _private_file(info: os.stat_result) -> bool:
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE:
        return False
    if os.name != "posix":
        return True  # %APPDATA% is the user's own; Windows has no mode bits to check
    return info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077 == 0
