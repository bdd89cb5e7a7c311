"""Start the studio: bind a port, print the address with its token, open the browser, serve.

In: the workspace folder, the host (127.0.0.1 unless ``--host``), a port (0: a free one), a token
(None: a random one), whether to open the browser, and a function that prints a line.
Out: the studio served by uvicorn until Ctrl-C; a ``UsageProblem`` for a folder that is not one,
a port that cannot be bound, a token that is too short, or ``--host`` without ``--token`` (then a
generated token is printed to pass with ``--token``).
"""

from __future__ import annotations

import re
import secrets
import socket
import threading
import webbrowser
from pathlib import Path
from typing import Callable

from dialoogkit.errors import UsageProblem, quoted
from dialoogkit.i18n import say

LOOPBACK = "127.0.0.1"
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_\-]{16,128}$")


def make_token() -> str:
    """A random token for the studio's address (about 190 bits)."""
    return secrets.token_urlsafe(24)


def check_token(token: str) -> str:
    if not TOKEN_PATTERN.match(token):
        raise UsageProblem(say("studio.cli.bad_token"))
    return token


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UsageProblem(say("studio.cli.cannot_bind", host=quoted(host, 60), port=port,
                               reason=(exc.strerror or str(exc)).lower())) from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def address(host: str, port: int, token: str) -> str:
    shown = host if host not in ("0.0.0.0", "::") else socket.gethostname()
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/?token={token}"


def run_studio(folder: Path, host: str = LOOPBACK, port: int = 0, token: str | None = None,
               open_browser: bool = True, echo: Callable[[str], None] = print) -> None:
    """Serve the studio (see module docstring)."""
    import uvicorn

    from dialoogkit.studio.app import StudioConfig, create_app

    if not folder.is_dir():
        raise UsageProblem(say("studio.cli.not_folder", folder=quoted(folder, 120)))
    if host != LOOPBACK and token is None:
        token = make_token()
        echo(say("studio.cli.shared_token", token=token))
    token = check_token(token) if token is not None else make_token()
    sock = bind(host, port)
    port = sock.getsockname()[1]
    app = create_app(StudioConfig(folder.resolve(), token, port, host))
    url = address(host, port, token)
    echo(say("studio.cli.serving", folder=quoted(folder.resolve(), 200)))
    echo(say("studio.cli.open", url=url))
    echo(say("studio.cli.stop"))
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False, date_header=False,
                            timeout_keep_alive=5, lifespan="off")
    server = uvicorn.Server(config)
    if open_browser:
        threading.Timer(0.5, lambda: webbrowser.open(url)).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
