"""The studio's address stays the same for a workspace, and a launcher opens it with a double click.

Every start on the same folder gets the same port and token (so an open tab reconnects and a
bookmark works), kept only in the user's own configuration folder, readable by nobody else, never
in the workspace; two workspaces get different ones; ``--port`` and ``--token`` still decide when
given. ``dialoogkit studio --shortcut`` writes a launcher for the platform; the contents for
Linux, macOS and Windows are checked here by running or reading them as each system would.
HOME and XDG_CONFIG_HOME point into the test's own folder, so the real home is never touched."""

from __future__ import annotations

import os
import re
import signal
import socket
import stat
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from dialoogkit.studio import address, launcher, server
from studio_support import studio_env, studio_process

pytestmark = pytest.mark.filterwarnings("ignore:.*httpx.*")


@pytest.fixture()
def home(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / ".config"))
    monkeypatch.delenv("DIALOOGKIT_DESKTOP", raising=False)
    return folder


def workspace(tmp_path: Path, name: str = "werkmap") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return folder


def start(folder: Path, **options) -> server.Place:
    """The place a studio on ``folder`` takes, as ``dialoogkit studio`` takes it (not served)."""
    lines: list[str] = []
    place = server.take_place(folder.resolve(), server.LOOPBACK, options.get("port"), options.get("token"),
                              lines.append)
    assert not lines, lines
    return place


def stop(place: server.Place) -> None:
    if place.sock is not None:
        place.sock.close()


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_the_same_workspace_gets_the_same_address_after_a_restart(tmp_path, home):
    folder = workspace(tmp_path)
    first = start(folder)
    stop(first)
    again = start(folder)
    stop(again)
    assert (again.port, again.token) == (first.port, first.token)
    assert address.PORT_LOW <= first.port <= address.PORT_HIGH
    assert first.port == address.default_port(folder)
    assert len(first.token) >= 32


def test_the_token_is_kept_for_the_user_only_and_not_in_the_workspace(tmp_path, home):
    folder = workspace(tmp_path)
    (folder / "deck.yaml").write_text("extends: standaard\n", encoding="utf-8")
    before = files_in(folder)
    place = start(folder)
    stop(place)
    kept = home / ".config" / "dialoogkit" / "studio"
    files = list(kept.iterdir())
    assert len(files) == 1 and files[0].suffix == ".json"
    assert place.token in files[0].read_text(encoding="utf-8")
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.stat().st_mode) == 0o700
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    assert folder.name not in files[0].name  # named by a hash of the folder, not by the folder
    assert files_in(folder) == before  # nothing written into the (often shared) workspace
    assert place.token not in "".join(p.read_text(encoding="utf-8") for p in folder.rglob("*") if p.is_file())


def test_a_token_file_others_can_read_is_not_trusted(tmp_path, home):
    folder = workspace(tmp_path)
    first = start(folder)
    stop(first)
    path = address.address_file(folder)
    os.chmod(path, 0o644)  # someone could have read it: a new secret
    again = start(folder)
    stop(again)
    assert again.token != first.token and again.port == first.port
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_two_workspaces_get_different_ports_and_tokens(tmp_path, home):
    one, two = workspace(tmp_path, "noord"), workspace(tmp_path, "zuid")
    first, second = start(one), start(two)
    stop(first), stop(second)
    assert first.port != second.port and first.token != second.token
    assert address.default_port(one) != address.default_port(two)
    # the port comes from the folder's real path: a link to it is the same workspace
    link = tmp_path / "link-to-noord"
    link.symlink_to(one)
    assert address.default_port(link) == address.default_port(one)


def test_a_taken_port_falls_back_to_the_next_free_one_and_is_remembered(tmp_path, home):
    folder = workspace(tmp_path)
    wanted = address.default_port(folder)
    other = socket.socket()
    other.bind(("127.0.0.1", wanted))  # another program holds the workspace's port
    other.listen(1)
    try:
        place = start(folder)
        stop(place)
    finally:
        other.close()
    assert place.port == address.port_candidates(folder)[1]
    # next time the port it had is tried first, so open tabs keep working
    again = start(folder)
    stop(again)
    assert again.port == place.port


def test_a_program_on_the_kept_port_is_never_sent_the_token(tmp_path, home):
    folder = workspace(tmp_path)
    first = start(folder)
    stop(first)
    squatter = socket.socket()
    squatter.bind(("127.0.0.1", first.port))  # after a restart someone else holds the port
    squatter.listen(1)
    squatter.setblocking(False)
    try:
        again = start(folder)
        stop(again)
        with pytest.raises(BlockingIOError):
            squatter.accept()  # nobody knocked
    finally:
        squatter.close()
    assert again.port != first.port and again.token == first.token


def test_port_and_token_options_still_decide(tmp_path, home):
    folder = workspace(tmp_path)
    kept = start(folder)
    stop(kept)
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()
    given = start(folder, port=port, token="a-token-given-by-hand-1234")
    stop(given)
    assert (given.port, given.token) == (port, "a-token-given-by-hand-1234")
    again = start(folder)
    stop(again)
    assert (again.port, again.token) == (kept.port, kept.token)  # the options were for that start only


def test_the_session_cookie_stays_valid_after_a_restart(tmp_path, home):
    from starlette.testclient import TestClient

    from dialoogkit.studio.app import StudioConfig, create_app

    folder = workspace(tmp_path)
    place = start(folder)
    stop(place)
    base = f"http://127.0.0.1:{place.port}"
    before = TestClient(create_app(StudioConfig(folder.resolve(), place.token, place.port)), base_url=base)
    assert before.get(f"/?token={place.token}").status_code == 200
    cookies = dict(before.cookies)
    restarted = start(folder)
    stop(restarted)
    after = TestClient(create_app(StudioConfig(folder.resolve(), restarted.token, restarted.port)), base_url=base,
                       cookies=cookies)
    assert after.get("/").status_code == 200  # the open tab's cookie opens the restarted studio
    assert TestClient(create_app(StudioConfig(folder.resolve(), restarted.token, restarted.port)),
                      base_url=base).get("/").status_code == 403  # and nothing else does


def test_the_configuration_folder_of_each_system():
    env = {"HOME": "/home/anna", "XDG_CONFIG_HOME": "/home/anna/.instellingen", "APPDATA": r"C:\Users\anna\AppData"}
    assert address.config_folder(env, "linux") == Path("/home/anna/.instellingen/dialoogkit")
    assert address.config_folder({"HOME": "/home/anna"}, "linux") == Path("/home/anna/.config/dialoogkit")
    assert address.config_folder(env, "darwin") == Path("/home/anna/Library/Application Support/dialoogkit")
    assert address.config_folder(env, "win32") == Path(r"C:\Users\anna\AppData") / "dialoogkit"


def test_a_second_start_on_a_running_workspace_shows_the_running_studio(tmp_path):
    folder = workspace(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    with studio_process(folder, home) as url:
        result = subprocess.run([sys.executable, "-m", "dialoogkit", "studio", str(folder), "--no-browser"],
                                capture_output=True, text=True, timeout=60, env=studio_env(home, DIALOOGKIT_LANG="nl"))
        assert result.returncode == 0, result.stderr
        assert f"De studio voor deze map draait al. Open dit adres in je browser: {url}" in result.stdout
        assert address.recall(folder, studio_env(home)).pid is not None
    assert address.recall(folder, studio_env(home)).pid is None  # stopped: the next start serves again


# ---- the launcher -------------------------------------------------------------------------

AWKWARD = "/srv/gedeeld/Wijk \"Oost\" $HOME 100% `echo` \\ café"


def unquote_desktop_exec(value: str) -> list[str]:
    """The arguments of a desktop entry's Exec value, read as the freedesktop.org spec says: first
    the string escapes of the value, then double-quoted arguments with backslash escapes."""
    value = re.sub(r"\\(.)", lambda m: {"s": " ", "n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), value)
    value = value.replace("%%", "%")
    arguments, current, quoted, index = [], "", False, 0
    while index < len(value):
        char = value[index]
        if quoted and char == "\\" and index + 1 < len(value):
            current += value[index + 1]
            index += 2
            continue
        if char == '"':
            quoted = not quoted
        elif char == " " and not quoted:
            arguments.append(current)
            current = ""
        else:
            current += char
        index += 1
    return arguments + [current]


def entry_of(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def sample(command: tuple[str, ...] = ("/opt/dialoogkit env/bin/dialoogkit",)) -> launcher.Launcher:
    return launcher.Launcher(command, AWKWARD, "dialoogkit studio — Wijk Oost", "Open de studio", "/opt/icon.svg")


def test_the_linux_launcher_is_a_desktop_entry_that_runs_the_studio_for_the_workspace():
    text = launcher.desktop_entry(sample())
    assert text.startswith("[Desktop Entry]\n")
    entry = entry_of(text)
    assert entry["Type"] == "Application" and entry["Terminal"] == "false"
    assert entry["Name"] == "dialoogkit studio — Wijk Oost" and entry["Icon"] == "/opt/icon.svg"
    assert unquote_desktop_exec(entry["Exec"]) == ["/opt/dialoogkit env/bin/dialoogkit", "studio", AWKWARD]


def test_the_macos_launcher_is_a_shell_script_that_runs_the_studio_for_the_workspace(tmp_path):
    recorder = tmp_path / "record-arguments"
    recorder.write_text('#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > "$RECORD"\n', encoding="utf-8")
    recorder.chmod(0o755)
    folder = tmp_path / "Wijk \"Oost\" $HOME 100% `echo` café"
    folder.mkdir()
    script = launcher.command_script(launcher.Launcher((str(recorder),), str(folder), "n", "c"))
    assert script.startswith("#!/bin/sh\n")
    path = tmp_path / "launch.command"
    path.write_text(script, encoding="utf-8")
    record = tmp_path / "arguments.txt"
    result = subprocess.run(["/bin/sh", str(path)], env={**os.environ, "RECORD": str(record)}, capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert record.read_text(encoding="utf-8").splitlines() == ["studio", str(folder)]


def test_the_windows_launcher_is_a_batch_file_that_runs_the_studio_for_the_workspace():
    text = launcher.cmd_script(launcher.Launcher((r"C:\Program Files\dialoogkit\Scripts\dialoogkit.exe",),
                                                 r"\\server\gedeeld\Wijk Oost 100%", "dialoogkit studio — Wijk Oost",
                                                 "Open de studio"))
    lines = text.split("\r\n")
    assert lines[0] == "@echo off" and text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert (r'"C:\Program Files\dialoogkit\Scripts\dialoogkit.exe" studio "\\server\gedeeld\Wijk Oost 100%%"'
            in lines)
    assert r'pushd "\\server\gedeeld\Wijk Oost 100%%"' in lines


def test_the_platform_decides_the_kind_of_launcher():
    assert launcher.kind_for("linux")[0] == ".desktop"
    assert launcher.kind_for("darwin")[0] == ".command"
    assert launcher.kind_for("win32")[0] == ".cmd"


def test_the_shortcut_option_writes_a_launcher_on_the_desktop_and_stops(tmp_path):
    folder = workspace(tmp_path, "Wijk Oost")
    home = tmp_path / "home"
    desktop = home / "Bureaublad"
    desktop.mkdir(parents=True)
    result = subprocess.run([sys.executable, "-m", "dialoogkit", "studio", str(folder), "--shortcut"],
                            capture_output=True, text=True, timeout=60,
                            env=studio_env(home, DIALOOGKIT_LANG="nl", PATH="/usr/bin:/bin"))
    assert result.returncode == 0, result.stderr
    made = desktop / "dialoogkit-studio-wijk-oost.desktop"
    assert f"Snelkoppeling gemaakt: {made}" in result.stdout
    assert made.stat().st_mode & stat.S_IXUSR
    entry = entry_of(made.read_text(encoding="utf-8"))
    assert entry["Terminal"] == "false"
    command = unquote_desktop_exec(entry["Exec"])
    assert command[-2:] == ["studio", str(folder.resolve())]
    assert os.path.isabs(command[0]) and os.access(command[0], os.X_OK)
    assert not (home / ".config" / "dialoogkit").exists()  # it started no studio

    # a double click: the desktop runs the Exec line, and the studio for that folder answers
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=studio_env(home, DIALOOGKIT_LANG="nl"), cwd=entry["Path"])
    try:
        url = None
        for _ in range(10):
            found = re.search(r"http://\S+", process.stdout.readline())
            if found:
                url = found.group(0)
                break
        assert url, process.stderr.read() if process.poll() is not None else "no address"
        with urllib.request.urlopen(url, timeout=30) as answer:
            assert answer.status == 200
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)


def test_the_desktop_folder_is_found_as_the_system_names_it(tmp_path):
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    (home / "Werkblad").mkdir()
    (home / "Desktop").mkdir()
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "PATH": str(tmp_path / "no-programs")}
    assert launcher.desktop_folder(environ=env, platform="linux") == home / "Desktop"
    (home / ".config" / "user-dirs.dirs").write_text('XDG_DESKTOP_DIR="$HOME/Werkblad"\n', encoding="utf-8")
    assert launcher.desktop_folder(environ=env, platform="linux") == home / "Werkblad"
    assert launcher.desktop_folder(environ={**env, "DIALOOGKIT_DESKTOP": str(tmp_path)}, platform="linux") == tmp_path
    assert launcher.desktop_folder(Path("/elders"), environ=env, platform="linux") == Path("/elders")
    (home / "Desktop").rmdir()
    (home / ".config" / "user-dirs.dirs").unlink()
    (home / "Bureaublad").mkdir()
    assert launcher.desktop_folder(environ=env, platform="linux") == home / "Bureaublad"


def test_without_a_desktop_the_shortcut_says_what_to_do(tmp_path):
    folder = workspace(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    result = subprocess.run([sys.executable, "-m", "dialoogkit", "studio", str(folder), "--shortcut"],
                            capture_output=True, text=True, timeout=60,
                            env=studio_env(home, DIALOOGKIT_LANG="nl", PATH="/usr/bin:/bin"))
    assert result.returncode == 2 and "--desktop" in result.stderr
    made = subprocess.run([sys.executable, "-m", "dialoogkit", "studio", str(folder), "--shortcut", "--desktop",
                           str(tmp_path)], capture_output=True, text=True, timeout=60,
                          env=studio_env(home, DIALOOGKIT_LANG="nl"))
    assert made.returncode == 0 and (tmp_path / "dialoogkit-studio-werkmap.desktop").is_file()
