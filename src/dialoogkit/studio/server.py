"""Start the studio: take the workspace's address, print it, open the browser, serve.

In: the workspace folder, the host (127.0.0.1 unless ``--host``), a port (None: the workspace's
own, see ``address``; 0: any free one), a token (None: the workspace's kept one), whether to open
the browser, and a function that prints a line.
Out: the studio served by uvicorn until Ctrl-C, at the same address as last time for this
workspace (so an open tab reconnects and a bookmark works): the kept port when it is free, else
the next free one; when this workspace's studio already runs there (the process noted beside the
kept address still runs), its address is shown (and opened) instead of starting a second one. A ``UsageProblem`` for a folder that is not one, a port
that cannot be bound, a token that is too short; ``--host`` without ``--token`` gets a new
token, printed to pass with ``--token``. ``--port`` and ``--token`` are used for this start only.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import socket
import threading
import webbrowser
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from dialoogkit.errors import UsageProblem, quoted
from dialoogkit.i18n import say
from dialoogkit.studio.address import Kept, is_serving, port_candidates, recall, remember

LOOPBACK = "127.0.0.1"
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_\-]{16,128}$")

Echo = Callable[[str], None]


@dataclass
class Place:
    """Where the studio listens (``sock``), or where it already runs (``sock`` None)."""

    port: int
    token: str
    sock: socket.socket | None = None
    kept: Kept | None = None  # the workspace's address to remember, when this start uses it

    @property
    def running(self) -> bool:
        return self.sock is None


def make_token() -> str:
    """A random token for the studio's address (about 190 bits)."""
    return secrets.token_urlsafe(24)


def check_token(token: str) -> str:
    if not TOKEN_PATTERN.match(token):
        raise UsageProblem(say("studio.cli.bad_token"))
    return token


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free one)."""
    try:
        return listen(host, port)
    except OSError as exc:
        raise UsageProblem(say("studio.cli.cannot_bind", host=quoted(host, 60), port=port,
                               reason=(exc.strerror or str(exc)).lower())) from None


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``; ``OSError`` when it cannot be bound."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    if os.name == "nt":  # there SO_REUSEADDR would let two programs share a port: claim it alone
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
    else:  # a restart may take the port again at once, while old connections wind down
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(64)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def address(host: str, port: int, token: str) -> str:
    shown = host if host not in ("0.0.0.0", "::") else socket.gethostname()
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/?token={token}"


def keep(folder: Path, kept: Kept, echo: Echo | None) -> None:
    """Remember the address for the next start; a note (no failure) when that cannot be done."""
    try:
        remember(folder, kept)
    except OSError as exc:
        if echo is not None:
            echo(say("studio.address.not_kept", reason=(exc.strerror or str(exc)).lower()))


def in_use(exc: OSError) -> bool:
    return exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1))


def take_place(folder: Path, host: str, port: int | None, token: str | None, echo: Echo) -> Place:
    """The port and token to serve on (see module docstring). Whether the workspace's studio
    already runs is told by the process noted in the kept address, never by asking whatever
    listens on the port (that would hand the token to it)."""
    keeping = token is None or port is None
    kept = recall(folder) if keeping else None
    own = kept or Kept(make_token())
    chosen = token or own.token
    if port is not None:
        sock = bind(host, port)
    else:
        sock = None
        for candidate in port_candidates(folder, own.port):
            try:
                sock = listen(host, candidate)
                break
            except OSError as exc:
                if in_use(exc) and kept and candidate == kept.port and chosen == kept.token and is_serving(kept):
                    return Place(candidate, chosen)
        if sock is None:
            sock = bind(host, 0)
    place = Place(sock.getsockname()[1], chosen, sock)
    if keeping:
        place.kept = Kept(own.token, place.port if port is None else own.port)
        if kept is None or (kept.token, kept.port) != (place.kept.token, place.kept.port):
            keep(folder, place.kept, echo)
    return place


def open_later(url: str) -> None:
    """Open ``url`` in the user's browser once the server is listening."""
    threading.Timer(0.5, lambda: webbrowser.open(url)).start()


def warm_up_names() -> None:
    """Load the name finder (``deduce``: seconds, a minute or two the very first time) while the
    studio starts, off every request's path, so the first report or name check does not wait:
    the results service's own loader, so a check asked for meanwhile waits for this load."""
    from dialoogkit.app.reporting import warm_names_in_background

    warm_names_in_background()


def run_studio(folder: Path, host: str = LOOPBACK, port: int | None = None, token: str | None = None,
               open_browser: bool = True, echo: Echo = print) -> None:
    """Serve the studio (see module docstring)."""
    if not folder.is_dir():
        raise UsageProblem(say("studio.cli.not_folder", folder=quoted(folder, 120)))
    if token is not None:
        check_token(token)
    if host != LOOPBACK and token is None:
        token = make_token()
        echo(say("studio.cli.shared_token", token=token))
    root = folder.resolve()
    place = take_place(root, host, port, token, echo)
    url = address(host, place.port, place.token)
    if place.running:
        echo(say("studio.address.running", url=url))
        if open_browser:
            webbrowser.open(url)
        return
    serve(root, host, place, url, open_browser, echo)


def serve(root: Path, host: str, place: Place, url: str, open_browser: bool, echo: Echo) -> None:
    """Run uvicorn on the place's socket until Ctrl-C."""
    import uvicorn

    from dialoogkit.studio.app import StudioConfig, create_app

    assert place.sock is not None
    app = create_app(StudioConfig(root, place.token, place.port, host))
    echo(say("studio.cli.serving", folder=quoted(root, 200)))
    echo(say("studio.cli.open", url=url))
    echo(say("studio.cli.stop"))
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False, date_header=False,
                            timeout_keep_alive=5, lifespan="off")
    server = uvicorn.Server(config)
    warm_up_names()  # in a thread of its own
    if open_browser:
        open_later(url)
    if place.kept is not None:  # a second start on this workspace finds this one running
        keep(root, replace(place.kept, pid=os.getpid()), None)
    try:
        server.run(sockets=[place.sock])
    finally:
        place.sock.close()
        now = recall(root) if place.kept is not None else None
        if now is not None and now.pid == os.getpid():
            keep(root, replace(now, pid=None), None)
