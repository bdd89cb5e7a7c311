"""Shared helpers of the studio tests: a workspace with a hand-written deck, a signed-in test
client, a studio served on a free port of 127.0.0.1 in a thread, and the browser check.

In: pytest's ``tmp_path``.
Out: ``Studio`` (workspace folder, TestClient with the session cookie, helpers to post a change
with the current version), ``serve`` (a context manager that runs the real server and stops it),
``chromium_path`` (Debian's Chromium, or a skip — a failure under CI=true).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

TOKEN = "test-token-0123456789abcdef"
PORT = 8766
HAND_WRITTEN = """\
# Regio Noord: our own deck (written by hand).
extends: standaard
id: regio-noord
title: Samen wonen in Noord   # on every card
region: Regio Noord
select: [actieve-bewoners, 6, 9]
override:
  actieve-bewoners:
    # our own words
    statement: Actieve buren vind je niet vanzelf in Noord
"""

# A regional deck with one lesson of its own (``eigen-inzicht-1``) beside a standard one.
OWN = """\
extends: standaard
id: regio-noord
title: Samen wonen in Noord
select: [actieve-bewoners, eigen-inzicht-1]
lessons:
  - id: eigen-inzicht-1
    theme: beide
    pillar: mensen
    statement: Een buurtkamer opent deuren
    explanation: Waar buren elkaar zien, ontstaat vertrouwen.
    questions:
      - text: Waar zien wij elkaar nu?
      - text: Wie heeft de sleutel?
      - text: Wat is de eerste stap?
    sources:
      - title: Gemengd wonen
        url: https://www.hu.nl/onderzoek/projecten/gemengd-wonen-lessen-uit-de-praktijk
"""


@dataclass
class Studio:
    """A workspace and a client signed in to a studio on it."""

    folder: Path
    client: object
    port: int = PORT

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def version(self, relative: str = "noord/deck.yaml") -> str:
        return hashlib.sha256((self.folder / relative).read_bytes()).hexdigest()

    def text(self, relative: str = "noord/deck.yaml") -> str:
        return (self.folder / relative).read_text(encoding="utf-8")

    def post(self, path: str, data: dict, deck: str = "noord/deck.yaml", files=None, **headers):
        """POST a change with the deck's current version, as the browser does."""
        fields = {"deck": deck, "version": self.version(deck), "view": "lesson", "tab": "card", **data}
        return self.client.post(path, data=fields, files=files, headers={"Origin": self.origin, **headers})


def make_workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "werkmap"
    (folder / "noord").mkdir(parents=True)
    (folder / "noord" / "deck.yaml").write_text(HAND_WRITTEN, encoding="utf-8")
    return folder


def signed_in(folder: Path, port: int = PORT) -> Studio:
    """A TestClient for a studio on ``folder`` that has exchanged the token for its cookie."""
    warnings.filterwarnings("ignore", message=".*httpx.*", category=DeprecationWarning)
    from starlette.testclient import TestClient

    from dialoogkit.studio.app import StudioConfig, create_app

    client = TestClient(create_app(StudioConfig(folder, TOKEN, port)), base_url=f"http://127.0.0.1:{port}")
    response = client.get(f"/?token={TOKEN}")
    assert response.status_code == 200
    return Studio(folder, client, port)


@contextmanager
def serve(folder: Path):
    """The real studio server (uvicorn) on a free port of 127.0.0.1, in a thread; stopped after."""
    import uvicorn

    from dialoogkit.studio.app import StudioConfig, create_app
    from dialoogkit.studio.server import bind

    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    app = create_app(StudioConfig(folder, TOKEN, port))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(200):  # at most 10 s
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "the studio did not start"
    try:
        yield f"http://127.0.0.1:{port}", port
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


def chromium_path() -> str:
    """Debian's Chromium for Playwright; without it the browser tests skip, but fail under CI."""
    path = os.environ.get("DIALOOGKIT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    problem = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = "playwright is not installed (pip install -e '.[test]')"
    if problem is None and not os.path.isfile(path):
        problem = f"no Chromium at {path} (apt-get install chromium, or set DIALOOGKIT_CHROMIUM)"
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser test needs a browser under CI: {problem}")
        pytest.skip(problem)
    return path


def studio_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a studio started as a person starts it, with its own home folder, so
    nothing touches the real one (the address it keeps goes to ``home/.config``)."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("XDG_CONFIG_HOME", "APPDATA", "DIALOOGKIT_DESKTOP", "XDG_DESKTOP_DIR")}
    env.update({"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "PYTHONUNBUFFERED": "1",
                "BROWSER": "true", **extra})
    return env


@contextmanager
def studio_process(folder: Path, home: Path, *options: str):
    """``dialoogkit studio FOLDER --no-browser`` in its own process, as from the command line
    (the workspace's own port and kept token); yields the address it printed, with its token.
    Stopped with Ctrl-C (SIGINT) after, as a person stops it."""
    import re
    import signal
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-m", "dialoogkit", "studio", str(folder), "--no-browser", *options],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=studio_env(home, DIALOOGKIT_LANG="nl"))
    try:
        url = None
        for _ in range(10):
            line = process.stdout.readline()
            found = re.search(r"http://\S+", line)
            if found:
                url = found.group(0)
                break
            if not line:
                break
        assert url, f"the studio printed no address: {process.stderr.read() if process.poll() is not None else ''}"
        yield url
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
