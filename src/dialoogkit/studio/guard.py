"""The studio's gate: every request must come from the user's own browser, for this studio.

In: each HTTP request (ASGI scope, headers, body) and the studio's secret token and addresses.
Out: the request passed on, or refused before any route runs: a wrong ``Host`` header (DNS
rebinding) 403; a POST whose ``Origin`` is another site (or, without ``Origin``, whose
``Sec-Fetch-Site`` is not same-origin, or that carries neither header) 403; no valid session cookie 403; a body larger than its
route allows 413 (checked on ``Content-Length`` and while reading). The token in the printed
address (``?token=…``) is exchanged once for an HttpOnly, SameSite=Strict cookie and the browser is
sent on to the same page without it, always a path on the studio itself. Every response carries headers that keep the page from
being framed, sniffed or leaking its address (Content-Security-Policy: scripts and styles only
from the studio itself), and a ``Server-Timing`` header with the time the studio spent on it. The
request's language (its cookie) is set here for everything the request says (a context variable).
"""

from __future__ import annotations

import hashlib
import hmac
import html
import time
from dataclasses import dataclass
from typing import Awaitable, Callable
from urllib.parse import parse_qsl, quote, urlencode

from starlette.exceptions import HTTPException
from starlette.requests import cookie_parser

from dialoogkit.i18n import choose_language
from dialoogkit.studio.texts import LANGUAGE_COOKIE, pick_language, texts_for

FORM_LIMIT = 512 * 1024
LOGO_LIMIT = 10 * 1024 * 1024 + 64 * 1024
TABLE_LIMIT = 5 * 1024 * 1024 + 64 * 1024
UPLOAD_LIMITS = {"/action/logo": LOGO_LIMIT, "/new/table": TABLE_LIMIT}
SAFE_METHODS = ("GET", "HEAD")
HEADERS = [
    (b"content-security-policy", b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                 b"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]

Scope = dict
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


class TooLarge(HTTPException):
    """A request body went over its limit while it was read (answered with 413)."""

    def __init__(self) -> None:
        super().__init__(413)


@dataclass(frozen=True)
class GateKeys:
    """What the gate checks against."""

    token: str
    hosts: frozenset[str]  # allowed Host headers, with port
    port: int

    @property
    def cookie_name(self) -> str:
        return f"dialoogkit_studio_{self.port}"

    @property
    def session(self) -> str:
        """The cookie's value: derived from the token, never the token itself."""
        return hmac.new(self.token.encode(), b"dialoogkit-studio-session", hashlib.sha256).hexdigest()

    @property
    def origins(self) -> frozenset[str]:
        return frozenset(f"http://{host}" for host in self.hosts)


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """Host headers a browser sends for this studio: the loopback names, and the ``--host`` given."""
    names = {"127.0.0.1", "localhost", "[::1]"}
    if host not in ("127.0.0.1", "localhost", "0.0.0.0", "::", ""):
        names.add(f"[{host}]" if ":" in host else host)
    if host in ("0.0.0.0", "::"):
        import socket

        names.add(socket.gethostname().lower())
        try:
            names |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
        except OSError:
            pass
    return frozenset(f"{name.lower()}:{port}" for name in names)


class Gate:
    """ASGI middleware that enforces the checks of the module docstring."""

    def __init__(self, app, keys: GateKeys):
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            return
        headers = read_headers(scope)
        language = read_cookie(headers, LANGUAGE_COOKIE)
        refusal = self._refusal(scope, headers)
        if refusal:
            await send_refusal(send, 403, refusal, language)
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
        if "token" in query:
            await self._exchange(scope, query, send, language)
            return
        if not hmac.compare_digest((read_cookie(headers, self.keys.cookie_name) or "").encode(), self.keys.session.encode()):
            await send_refusal(send, 403, "studio.guard.no_session", language)
            return
        limit = UPLOAD_LIMITS.get(scope.get("path", ""), FORM_LIMIT)
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            await send_refusal(send, 413, "studio.guard.too_large", language)
            return
        choose_language(pick_language(language))  # this request's language, for every message it gives
        await self._pass(scope, limited_receive(receive, limit), send, language)

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> str | None:
        if headers.get("host", "").lower() not in self.keys.hosts:
            return "studio.guard.wrong_host"
        if scope.get("method", "GET") not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin is not None and origin.lower() not in self.keys.origins:
                return "studio.guard.cross_site"
            if origin is None and headers.get("sec-fetch-site") not in ("same-origin", "none"):
                return "studio.guard.cross_site"  # neither header: no browser of ours sent it
        return None

    async def _exchange(self, scope: Scope, query: dict[str, str], send: Send, language: str | None) -> None:
        """Swap a valid ``?token=`` for the session cookie and reload the page without it."""
        if not hmac.compare_digest(query.pop("token").encode(), self.keys.token.encode()):
            await send_refusal(send, 403, "studio.guard.bad_token", language)
            return
        target = own_path(scope.get("path", "/")) + (f"?{urlencode(query)}" if query else "")
        t = texts_for(pick_language(language))
        body = (f'<!doctype html><html lang="{t.language}"><head><meta charset="utf-8">'
                f'<meta http-equiv="refresh" content="0;url={html.escape(target)}">'
                f'<title>{html.escape(t("studio.app.name"))}</title></head><body><p>'
                f'<a href="{html.escape(target)}">{html.escape(t("studio.guard.continue"))}</a></p></body></html>')
        cookie = f"{self.keys.cookie_name}={self.keys.session}; Path=/; HttpOnly; SameSite=Strict"
        await send_page(send, 200, body.encode(), b"text/html; charset=utf-8", [(b"set-cookie", cookie.encode())])

    async def _pass(self, scope: Scope, receive: Receive, send: Send, language: str | None) -> None:
        started = False
        began = time.perf_counter()

        async def send_with_headers(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                spent = f"app;dur={(time.perf_counter() - began) * 1000:.1f}".encode()
                message = {**message, "headers": list(message.get("headers", [])) + HEADERS +
                           [(b"server-timing", spent)]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except TooLarge:
            if not started:
                await send_refusal(send, 413, "studio.guard.too_large", language)


def own_path(path: str) -> str:
    """``path`` as an address on this studio only: every character but letters, digits and
    ``/-._~`` percent-encoded (a backslash too, which browsers read as a slash) and one leading
    slash, so ``//host`` or ``/\\host`` can never send the browser to another site."""
    return "/" + quote(path.lstrip("/\\"), safe="/-._~")


def limited_receive(receive: Receive, limit: int) -> Receive:
    """``receive`` that raises ``TooLarge`` once the body passes ``limit`` bytes."""
    seen = 0

    async def wrapped() -> dict:
        nonlocal seen
        message = await receive()
        if message.get("type") == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge()
        return message

    return wrapped


ONCE = ("host", "origin", "sec-fetch-site")  # a browser sends each once
REPEATED = "\x00repeated"  # what two different ones are read as: no host, origin or site


def read_headers(scope: Scope) -> dict[str, str]:
    """The request's headers by lower-case name. Cookie headers are joined, as HTTP/2 splits them;
    two different ``Host``, ``Origin`` or ``Sec-Fetch-Site`` headers (which no browser sends) are
    read as ``REPEATED``, so the check never hears only the one it would let through."""
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope.get("headers", []):
        name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
        if name in headers and name in ONCE and headers[name] != value:
            value = REPEATED
        elif name in headers and name == "cookie":
            value = f"{headers[name]}; {value}"
        headers[name] = value
    return headers


def read_cookie(headers: dict[str, str], name: str) -> str | None:
    """The value of cookie ``name``, read as browsers write the header: a cookie of another site on
    the same host that the strict parser of ``http.cookies`` cannot read (``prefs={"a":1}``,
    ``note=hello world``) never hides ours (``SimpleCookie`` drops everything after it)."""
    raw = headers.get("cookie")
    return cookie_parser(raw).get(name) if raw else None


async def send_refusal(send: Send, status: int, key: str, language: str | None) -> None:
    """A short page in the user's language saying why the request was refused."""
    t = texts_for(pick_language(language))
    title = html.escape(t("studio.guard.refused_title"))
    body = (f'<!doctype html><html lang="{t.language}"><head><meta charset="utf-8"><title>{title}</title></head>'
            f'<body><h1>{title}</h1><p>{html.escape(t(key))}</p></body></html>')
    await send_page(send, status, body.encode(), b"text/html; charset=utf-8")


async def send_page(send: Send, status: int, body: bytes, kind: bytes, extra: list | None = None) -> None:
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
               (b"cache-control", b"no-store")] + HEADERS + (extra or [])
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
