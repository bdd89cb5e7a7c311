"""The team server's gate: who is asking, in which team, and whether their role allows it.

In: each HTTP request (ASGI scope, headers, body), the database, the trusted proxies' addresses.
Out: the request passed on to the server's own pages (sign-in, people, audit log, history, team
switch, ``/healthz``, ``/readyz``, the static files) or to the studio of the visitor's team, run
with that team's storage and the visitor as author; or refused before any route runs:
- a ``Remote-User`` header is removed unless the request comes from a trusted proxy (then it names
  the account: single sign-on);
- no valid session (and no trusted ``Remote-User``): a page is sent to ``/signin``, anything else
  gets 401;
- a POST from another site (``Origin`` not this server's, or neither ``Origin`` nor a same-origin
  ``Sec-Fetch-Site``): 403;
- a role that may not do this (``roles.allows``): 403 with the role named;
- a body larger than its route allows: 413.
Every response carries the studio's security headers; each request is logged as one JSON line
without personal data (``logs``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Awaitable, Callable
from urllib.parse import quote

import anyio

from dialoogkit.app.storage import using_storage
from dialoogkit.i18n import choose_language
from dialoogkit.serve import roles
from dialoogkit.serve.logs import log_request
from dialoogkit.studio.guard import (
    FORM_LIMIT, HEADERS, UPLOAD_LIMITS, TooLarge, limited_receive, read_cookie, read_headers, send_refusal,
)
from dialoogkit.studio.texts import LANGUAGE_COOKIE, pick_language
from dialoogkit.studio.visitor import Visitor, using_visitor

SESSION_COOKIE = "dialoogkit_session"
TEAM_COOKIE = "dialoogkit_team"  # the team in use for a single-sign-on visitor (no session row)
PUBLIC_PATHS = frozenset({"/signin", "/language", "/healthz", "/readyz", "/favicon.ico"})
SITE_PATHS = frozenset({"/signout", "/team", "/people", "/people/add", "/people/role", "/people/remove", "/audit",
                        "/history", "/history/restore", "/export.zip", "/import"})
SERVE_LIMITS = {"/import": 50 * 1024 * 1024 + 64 * 1024}  # a team's zip of decks and logos

Scope = dict
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]
Identify = Callable[[str | None, str | None, str | None], Visitor | None]


# headers only a proxy may set: removed from every request that does not come from a trusted proxy
PROXY_HEADERS = frozenset({b"remote-user", b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host"})


@dataclass(frozen=True)
class Doors:
    """What the gate sends a request to."""

    site: Callable  # the server's own pages (an ASGI app)
    team_app: Callable[[str], tuple[Callable, object]]  # team id → (its studio app, its storage)
    identify: Identify  # (session token, remote user, team cookie) → the visitor, or None


class ServeGate:
    """ASGI middleware enforcing the module docstring."""

    def __init__(self, doors: Doors, trusted_proxies: frozenset[str]):
        self.doors = doors
        self.trusted = trusted_proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.doors.site(scope, receive, send)
            return
        if scope["type"] != "http":
            return
        began = time.perf_counter()
        status = {"code": 500, "role": ""}

        async def logged(message: dict) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message = {**message, "headers": list(message.get("headers", [])) + HEADERS}
            await send(message)

        try:
            await self._route(self._trusted_scope(scope), receive, logged, status)
        finally:
            log_request(scope.get("method", ""), scope.get("path", ""), status["code"], status["role"],
                        (time.perf_counter() - began) * 1000)

    def _trusted_scope(self, scope: Scope) -> Scope:
        """``scope`` without the headers only a proxy may set (``Remote-User``, ``X-Forwarded-*``)
        unless a trusted proxy sent it: a client cannot claim a user, an address or HTTPS."""
        client = (scope.get("client") or ("", 0))[0]
        if client in self.trusted:
            return scope
        headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() not in PROXY_HEADERS]
        return {**scope, "headers": headers}

    async def _route(self, scope: Scope, receive: Receive, send: Send, status: dict) -> None:
        headers = read_headers(scope)
        language = read_cookie(headers, LANGUAGE_COOKIE)
        choose_language(pick_language(language))
        path, method = scope.get("path", "/"), scope.get("method", "GET")
        if method not in roles.SAFE_METHODS and cross_site(headers, scope):
            await send_refusal(send, 403, "studio.refused.cross_site", language)
            return
        limit = SERVE_LIMITS.get(path) or UPLOAD_LIMITS.get(path, FORM_LIMIT)
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            await send_refusal(send, 413, "studio.guard.too_large", language)
            return
        receive = limited_receive(receive, limit)
        if path in PUBLIC_PATHS or path.startswith("/static/"):
            await self._pass(self.doors.site, scope, receive, send, language)
            return
        visitor = await anyio.to_thread.run_sync(self.doors.identify, read_cookie(headers, SESSION_COOKIE),
                                                 headers.get("remote-user"), read_cookie(headers, TEAM_COOKIE))
        if visitor is None:
            await self._ask_sign_in(scope, send, method, language)
            return
        status["role"] = visitor.role
        if not roles.allows(visitor.role, method, path):
            await send_refusal_role(send, visitor, language)
            return
        with using_visitor(visitor):
            if path in SITE_PATHS:
                await self._pass(self.doors.site, scope, receive, send, language)
                return
            app, storage = self.doors.team_app(visitor.team_id)
            await anyio.to_thread.run_sync(storage.sync)  # another server process may have saved
            with using_storage(storage, author=visitor.email):
                await self._pass(app, scope, receive, send, language)

    async def _pass(self, app: Callable, scope: Scope, receive: Receive, send: Send, language: str | None) -> None:
        started = False

        async def noted(message: dict) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await app(scope, receive, noted)
        except TooLarge:
            if not started:
                await send_refusal(send, 413, "studio.guard.too_large", language)

    async def _ask_sign_in(self, scope: Scope, send: Send, method: str, language: str | None) -> None:
        if method in roles.SAFE_METHODS:
            query = scope.get("query_string", b"").decode("latin-1")
            target = scope.get("path", "/") + (f"?{query}" if query else "")
            location = "/signin?next=" + quote(target, safe="")
            await send({"type": "http.response.start", "status": 303,
                        "headers": [(b"location", location.encode("latin-1")), (b"cache-control", b"no-store"),
                                    (b"content-length", b"0")]})
            await send({"type": "http.response.body", "body": b""})
            return
        await send_refusal(send, 401, "studio.signin.needed", language)


def cross_site(headers: dict[str, str], scope: Scope) -> bool:
    """Whether a changing request may come from another site: its ``Origin`` is not this server's
    address (scheme and ``Host``), or, without ``Origin``, ``Sec-Fetch-Site`` is not same-origin."""
    origin = headers.get("origin")
    host = headers.get("host", "").lower()
    if origin is not None:
        forwarded = headers.get("x-forwarded-proto", "")
        schemes = {scope.get("scheme", "http"), forwarded} - {""}
        return origin.lower() not in {f"{scheme}://{host}" for scheme in schemes}
    return headers.get("sec-fetch-site") not in ("same-origin", "none")


async def send_refusal_role(send: Send, visitor: Visitor, language: str | None) -> None:
    """403: what this visitor's role may not do, in their language."""
    import html

    from dialoogkit.studio.guard import send_page
    from dialoogkit.studio.texts import texts_for

    t = texts_for(pick_language(language))
    title = html.escape(t("studio.refused.title"))
    text = html.escape(t("studio.refused.role", role=t(f"studio.account.role.{visitor.role}")))
    body = (f'<!doctype html><html lang="{t.language}"><head><meta charset="utf-8"><title>{title}</title></head>'
            f'<body><h1>{title}</h1><p>{text}</p><p><a href="/">{html.escape(t("studio.app.name"))}</a></p>'
            f'</body></html>')
    await send_page(send, 403, body.encode(), b"text/html; charset=utf-8")
