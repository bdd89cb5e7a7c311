"""A launcher on the user's desktop that opens the studio for one workspace with a double click.

In: the workspace folder, the desktop folder (``--desktop``, else ``DIALOOGKIT_DESKTOP``, else the
system's: ``xdg-user-dir DESKTOP`` or ``user-dirs.dirs`` on Linux, then ``~/Desktop``, then
``~/Bureaublad``) and the platform (``sys.platform``).
Out: ``write_launcher`` writes ``dialoogkit-studio-<folder>.<kind>`` there and returns its path:
a ``.desktop`` entry on Linux (``Exec`` with the absolute path of the dialoogkit executable and of
the workspace, ``Terminal=false``), a ``.command`` shell script on macOS (executable) and a
``.cmd`` on Windows. Each content comes from one function per platform (``desktop_entry``,
``command_script``, ``cmd_script``) so every platform's file can be checked on any of them.
``UsageProblem`` when there is no desktop folder, ``OutputError`` when the file cannot be written.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

from dialoogkit.errors import UsageProblem, quoted
from dialoogkit.i18n import say

DESKTOP_ENV = "DIALOOGKIT_DESKTOP"
ICON = Path(__file__).resolve().parent / "static" / "favicon.svg"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DESKTOP_QUOTED = re.compile(r'(["`$\\])')


@dataclass(frozen=True)
class Launcher:
    """What a launcher starts, and how it is named."""

    command: tuple[str, ...]  # the dialoogkit executable (or the Python that runs it), absolute
    workspace: str  # absolute
    name: str
    comment: str
    icon: str = ""


def one_line(text: str) -> str:
    """``text`` without line breaks or other control characters (a name on one line)."""
    return _CONTROL.sub(" ", text).strip()


def desktop_argument(text: str) -> str:
    """One ``Exec`` argument of a desktop entry: quoted, with the spec's escapes for a quoted
    argument (``" ` $ \\``), then the string escape of every backslash, and ``%`` doubled."""
    quoted_text = '"' + _DESKTOP_QUOTED.sub(r"\\\1", text) + '"'
    return quoted_text.replace("\\", "\\\\").replace("%", "%%")


def desktop_string(text: str) -> str:
    return one_line(text).replace("\\", "\\\\")


def desktop_entry(launcher: Launcher) -> str:
    """The ``.desktop`` file for Linux desktops (freedesktop.org Desktop Entry)."""
    exec_line = " ".join(desktop_argument(part) for part in (*launcher.command, "studio", launcher.workspace))
    lines = ["[Desktop Entry]", "Version=1.0", "Type=Application",
             f"Name={desktop_string(launcher.name)}", f"Comment={desktop_string(launcher.comment)}",
             f"Exec={exec_line}", f"Path={desktop_string(launcher.workspace)}", "Terminal=false",
             "StartupNotify=false", "Categories=Office;"]
    if launcher.icon:
        lines.append(f"Icon={desktop_string(launcher.icon)}")
    return "\n".join(lines) + "\n"


def command_script(launcher: Launcher) -> str:
    """The ``.command`` file for macOS: a shell script Finder opens in Terminal."""
    command = " ".join(shlex.quote(part) for part in (*launcher.command, "studio", launcher.workspace))
    return (f"#!/bin/sh\n# {one_line(launcher.name)}: {one_line(launcher.comment)}\n"
            f"cd {shlex.quote(launcher.workspace)} || exit 1\nexec {command}\n")


def cmd_argument(text: str) -> str:
    """One argument of a Windows batch file: quoted, ``%`` doubled (a path holds no ``"``)."""
    return '"' + text.replace('"', "").replace("%", "%%") + '"'


def cmd_script(launcher: Launcher) -> str:
    """The ``.cmd`` file for Windows: runs the studio in a console window (close it to stop);
    ``pushd`` because the workspace may be a network share (``\\\\server\\share``)."""
    command = " ".join([*(cmd_argument(part) for part in launcher.command), "studio", cmd_argument(launcher.workspace)])
    title = one_line(launcher.name).replace("%", "%%")
    for special in "^&|<>":
        title = title.replace(special, "^" + special)
    lines = ["@echo off", "chcp 65001 >nul", f"title {title}", f"rem {one_line(launcher.comment).replace('%', '%%')}",
             f"pushd {cmd_argument(launcher.workspace)}", command, "if errorlevel 1 pause"]
    return "\r\n".join(lines) + "\r\n"


KINDS: dict[str, tuple[str, Callable[[Launcher], str]]] = {
    "linux": (".desktop", desktop_entry),
    "darwin": (".command", command_script),
    "win32": (".cmd", cmd_script),
}


def kind_for(platform: str) -> tuple[str, Callable[[Launcher], str]]:
    """The launcher's file suffix and content function for ``platform`` (other Unixes: Linux's)."""
    return KINDS.get(platform, KINDS["linux"])


def dialoogkit_command(platform: str | None = None) -> tuple[str, ...]:
    """The absolute command that runs dialoogkit: the script that runs now, else the one installed
    beside this Python, else the one on PATH, else this Python with ``-m dialoogkit``."""
    platform = sys.platform if platform is None else platform
    names = ("dialoogkit.exe",) if platform == "win32" else ("dialoogkit",)
    running = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    beside = Path(sys.executable).parent
    candidates = ([running] if running is not None and running.name in names else []) + \
        [beside / name for name in names] + [beside / "Scripts" / name for name in names]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return (os.path.abspath(candidate),)
    found = shutil.which("dialoogkit")
    if found:
        return (os.path.abspath(found),)
    return (os.path.abspath(sys.executable), "-m", "dialoogkit")


def xdg_desktop(environ: Mapping[str, str], home: Path) -> Path | None:
    """The desktop folder Linux desktops use: ``xdg-user-dir DESKTOP``, else the
    ``XDG_DESKTOP_DIR`` line of ``user-dirs.dirs``; None when it names only the home folder."""
    found: str | None = None
    program = shutil.which("xdg-user-dir", path=environ.get("PATH"))
    if program:
        try:
            result = subprocess.run([program, "DESKTOP"], capture_output=True, text=True, timeout=5,
                                    env=dict(environ), check=False)
            found = result.stdout.strip() or None
        except (OSError, subprocess.SubprocessError):
            found = None
    if found is None:
        config = environ.get("XDG_CONFIG_HOME") or str(home / ".config")
        try:
            text = (Path(config) / "user-dirs.dirs").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        match = re.search(r'^\s*XDG_DESKTOP_DIR\s*=\s*"([^"]*)"', text, re.MULTILINE)
        if match:
            found = match.group(1).replace("$HOME", str(home))
    if not found or not os.path.isabs(found):
        return None
    path = Path(found)
    return None if path == home else path


def desktop_folder(given: Path | None = None, environ: Mapping[str, str] | None = None,
                   platform: str | None = None) -> Path | None:
    """Where the launcher goes (see module docstring); None when no such folder exists."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if given is not None:
        return given
    if environ.get(DESKTOP_ENV):
        return Path(environ[DESKTOP_ENV])
    home = Path(environ.get("HOME") or environ.get("USERPROFILE") or Path.home())
    candidates: list[Path | None] = []
    if platform == "win32":
        candidates += [Path(environ[key]) / "Desktop" for key in ("OneDrive", "USERPROFILE") if environ.get(key)]
    elif platform != "darwin":
        candidates.append(xdg_desktop(environ, home))
    candidates += [home / "Desktop", home / "Bureaublad"]
    return next((path for path in candidates if path is not None and path.is_dir()), None)


def launcher_name(workspace: Path) -> str:
    """The launcher's file name without suffix: ``dialoogkit-studio-<folder>`` in plain letters."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", workspace.name).strip("-").lower()[:40]
    return "dialoogkit-studio" + (f"-{slug}" if slug else "")


def describe(workspace: Path) -> Launcher:
    """The launcher of ``workspace`` for this installation of dialoogkit."""
    shown = workspace.name or str(workspace)
    return Launcher(dialoogkit_command(), str(workspace), say("studio.launcher.name", folder=shown),
                    say("studio.launcher.comment", folder=str(workspace)), str(ICON) if ICON.is_file() else "")


def write_launcher(workspace: Path, desktop: Path | None = None, platform: str | None = None) -> Path:
    """Write the launcher of ``workspace`` on the desktop (see module docstring)."""
    from dialoogkit.output.atomic import write_atomic

    platform = sys.platform if platform is None else platform
    root = workspace.resolve()
    if not root.is_dir():
        raise UsageProblem(say("studio.cli.not_folder", folder=quoted(workspace, 120)))
    folder = desktop_folder(desktop, platform=platform)
    if folder is None or not folder.is_dir():
        raise UsageProblem(say("studio.launcher.no_desktop", folder=quoted(folder or "~/Desktop", 120)))
    suffix, content = kind_for(platform)
    path = folder / (launcher_name(root) + suffix)
    write_atomic(path, content(describe(root)).encode("utf-8"))
    if suffix != ".cmd":
        os.chmod(path, stat.S_IMODE(os.stat(path).st_mode) | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    if suffix == ".desktop":
        trust(path)
    return path


def trust(path: Path) -> None:
    """Mark a desktop entry as trusted where GNOME asks for it (``gio``); nothing if it cannot."""
    program = shutil.which("gio")
    if not program:
        return
    try:
        subprocess.run([program, "set", str(path), "metadata::trusted", "true"], capture_output=True, timeout=5,
                       check=False)
    except (OSError, subprocess.SubprocessError):
        pass
