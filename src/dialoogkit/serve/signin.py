"""Signing in and out of a team server, choosing the team in use, and knowing who asks.

In: the sign-in form (e-mail, password, the page to go back to), the session cookie, a trusted
proxy's ``Remote-User`` header, the team chosen.
Out: ``make_identify(db)`` (session token, remote user, team cookie → ``Visitor`` or ``None``), the
routes ``GET/POST /signin``, ``POST /signout`` and ``POST /team``. Failed sign-ins are limited per
client address (``Attempts``; behind a trusted proxy the address it forwards) on top of the
account's own lock after repeated failures (in ``accounts``); wrong address and wrong password get
the same words.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from dialoogkit.serve.accounts import (
    end_session, record, session_for, start_session, switch_team, teams_of, verify_sign_in,
    account_for_remote_user,
)
from dialoogkit.serve.database import Database
from dialoogkit.serve.models import utc_now
from dialoogkit.serve.problems import SignInRefused
from dialoogkit.studio.guard import own_path
from dialoogkit.studio.visitor import Visitor, current_visitor

SESSION_COOKIE = "dialoogkit_session"
TEAM_COOKIE = "dialoogkit_team"
ATTEMPTS_PER_WINDOW = 20
WINDOW_SECONDS = 300.0


class Attempts:
    """Failed sign-ins per client address in a sliding window (one server process's count): a
    place that keeps guessing is slowed down, a right password never counts."""

    def __init__(self, limit: int = ATTEMPTS_PER_WINDOW, window: float = WINDOW_SECONDS):
        self.limit, self.window = limit, window
        self._failed: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, address: str, now: float | None = None) -> bool:
        """Whether ``address`` may try now (fewer than ``limit`` failures in the window)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            failed = self._failed.get(address)
            while failed and failed[0] <= now - self.window:
                failed.popleft()
            return not failed or len(failed) < self.limit

    def fail(self, address: str, now: float | None = None) -> None:
        """Count one failed sign-in from ``address``."""
        with self._lock:
            self._failed.setdefault(address, deque()).append(time.monotonic() if now is None else now)


def client_address(request: Request, trusted: frozenset[str]) -> str:
    """The address a request comes from: behind a trusted proxy the last address it added to
    ``X-Forwarded-For`` (the one it saw), else the connection's own."""
    peer = (request.client.host if request.client else "") or "?"
    if peer in trusted:
        forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1][:64]
    return peer


def make_identify(db: Database) -> Callable[[str | None, str | None, str | None], Visitor | None]:
    """Who a request comes from: its session, or a trusted proxy's ``Remote-User`` (then the team
    cookie picks the team among the account's); ``None`` when nobody is signed in."""

    def identify(token: str | None, remote_user: str | None, team_cookie: str | None) -> Visitor | None:
        now = utc_now()
        if token:
            info = session_for(db, token, now)
            if info is not None:
                teams = tuple((team.id, team.name) for team, _ in teams_of(db, info.account_id))
                return Visitor(info.email, info.account_id, info.team_id, info.team_name, info.role, teams)
        if remote_user:
            account = account_for_remote_user(db, remote_user)
            if account is None:
                return None
            memberships = teams_of(db, account.id)
            if not memberships:
                return None
            team, role = next(((t, r) for t, r in memberships if t.id == team_cookie), memberships[0])
            return Visitor(account.email, account.id, team.id, team.name, role,
                           tuple((t.id, t.name) for t, _ in memberships))
        return None

    return identify


def signin_routes(db: Database, attempts: Attempts, render: Callable[..., Response],
                  trusted: frozenset[str] = frozenset()) -> list:
    """The routes of this module, over ``db``; ``render(request, template, status, **context)``;
    ``trusted``: the proxies whose ``X-Forwarded-For`` names the client."""
    from starlette.routing import Route

    async def show(request: Request) -> Response:
        return render(request, "signin.html", next=_next(request.query_params.get("next")), message=None,
                      email="")

    async def sign_in(request: Request) -> Response:
        form = await request.form()
        email, password = str(form.get("email", ""))[:320], str(form.get("password", ""))[:1024]
        target = _next(str(form.get("next", "/")))
        client = client_address(request, trusted)
        if not attempts.allow(client):
            return render(request, "signin.html", status=429, next=target, message="studio.signin.slow_down",
                          email=email)
        try:
            account = await run_in_threadpool(verify_sign_in, db, email, password, utc_now())
        except SignInRefused as refused:
            attempts.fail(client)
            key = "studio.signin.locked" if refused.reason == "locked" else "studio.signin.wrong"
            return render(request, "signin.html", status=401, next=target, message=key, email=email)
        memberships = await run_in_threadpool(teams_of, db, account.id)
        if not memberships:
            return render(request, "signin.html", status=403, next=target, message="studio.signin.no_team",
                          email=email)
        chosen = request.cookies.get(TEAM_COOKIE)
        team = next((t for t, _ in memberships if t.id == chosen), memberships[0][0])
        token = await run_in_threadpool(start_session, db, account.id, team.id, utc_now())
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=_secure(request), path="/")
        return response

    async def sign_out(request: Request) -> Response:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            await run_in_threadpool(end_session, db, token)
        response = RedirectResponse("/signin", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    async def choose_team(request: Request) -> Response:
        form = await request.form()
        team_id = str(form.get("team", ""))[:64]
        visitor = current_visitor()
        if visitor is None or team_id not in {id for id, _ in visitor.teams}:
            return render(request, "refused.html", status=403, message="studio.refused.team")
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            await run_in_threadpool(switch_team, db, token, team_id)
        await run_in_threadpool(record, db, team_id, visitor.email, "switch-team", team_id, utc_now())
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(TEAM_COOKIE, team_id, httponly=True, samesite="lax", secure=_secure(request), path="/")
        return response

    return [Route("/signin", show, methods=["GET"]), Route("/signin", sign_in, methods=["POST"]),
            Route("/signout", sign_out, methods=["POST"]), Route("/team", choose_team, methods=["POST"])]


def _next(target: str | None) -> str:
    """Where to go after signing in: a path on this server only."""
    text = (target or "/").strip()
    if not text.startswith("/") or text.startswith("//") or "\\" in text or "\n" in text or "\r" in text:
        return "/"
    path, _, query = text.partition("?")
    return own_path(path) + (f"?{query}" if query and len(query) < 2000 else "")


def _secure(request: Request) -> bool:
    """Whether the browser reached us over HTTPS (directly or through the proxy), so the cookie
    goes only over HTTPS too."""
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"
