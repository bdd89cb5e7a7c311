"""``dialoogkit serve``: the studio for a whole organisation, at one address.

In: a ``ServeConfig`` (database URL, data folder, host, port, trusted proxies, build processes).
Out: ``create_server`` → the ASGI application: the gate (``gate.ServeGate``) in front of the
server's own pages (sign-in, people, audit log, history, ``/healthz``, ``/readyz``, the static
files) and one studio per team (``TeamStudios``: the local studio's routes over the team's folder,
its database storage and the build queue); ``run_server`` serves it with uvicorn until stopped,
with the build workers started beside it (lower priority than requests).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from dialoogkit.serve.database import Database, is_current, is_reachable, open_database
from dialoogkit.serve.gate import Doors, ServeGate
from dialoogkit.serve.logs import set_up_logging
from dialoogkit.serve.queue import QueuedBuilds, kits_folder
from dialoogkit.serve.signin import Attempts, make_identify, signin_routes
from dialoogkit.serve.store import DatabaseStorage, team_folder
from dialoogkit.serve.team_pages import team_routes
from dialoogkit.studio.routes_start import switch_language
from dialoogkit.studio.app import STATIC, Studio, StudioConfig, make_routes, make_templates, texts
from dialoogkit.studio.work import Workers
from dialoogkit.studio.workspace import Workspace


@dataclass(frozen=True)
class ServeConfig:
    """How ``dialoogkit serve`` was started."""

    database_url: str
    data: Path
    host: str = "127.0.0.1"
    port: int = 8080
    trusted_proxies: frozenset[str] = field(default_factory=frozenset)
    build_processes: int = 1


class AuthoredBuilds:
    """A team's build queue, with the signed-in person of each request as the build's author."""

    def __init__(self, db: Database, team_id: str, data: Path):
        self.db, self.team_id, self.data = db, team_id, data

    def _queue(self) -> QueuedBuilds:
        from dialoogkit.app.storage import current_author

        return QueuedBuilds(self.db, self.team_id, self.data, current_author() or None)

    def get(self, deck: str):
        return self._queue().get(deck)

    def start(self, deck: str, path: Path, options, deck_id: str):
        return self._queue().start(deck, path, options, deck_id)


class TeamStudios:
    """One studio per team, made when the team is first visited: the local studio's routes over the
    team's folder, with its database storage and the build queue. The checker, the previews and
    the worker pool are shared by every team (their caches are keyed by each team's own paths)."""

    def __init__(self, db: Database, config: ServeConfig):
        self.db, self.config = db, config
        self.templates = make_templates()
        self.work = Workers()
        self._made: dict[str, tuple[Starlette, DatabaseStorage]] = {}
        self._lock = threading.Lock()

    def get(self, team_id: str) -> tuple[Starlette, DatabaseStorage]:
        with self._lock:
            made = self._made.get(team_id)
            if made is None:
                root = team_folder(self.config.data, team_id)
                storage = DatabaseStorage(self.db, team_id, root)
                studio = Studio(StudioConfig(root, token="", port=self.config.port, host=self.config.host),
                                Workspace.open(root), self.templates, work=self.work,
                                builds=AuthoredBuilds(self.db, team_id, self.config.data),  # type: ignore[arg-type]
                                kits=kits_folder(self.config.data, team_id))
                made = self._made[team_id] = (make_routes(studio), storage)
            return made

    def storage_of(self, team_id: str) -> DatabaseStorage:
        return self.get(team_id)[1]


def create_server(config: ServeConfig, db: Database | None = None,
                  on_start: Callable[[], None] | None = None, on_stop: Callable[[], None] | None = None) -> ServeGate:
    """The team server as an ASGI application (see module docstring)."""
    db = db or open_database(config.database_url)
    teams = TeamStudios(db, config)
    environment = make_templates()
    from jinja2 import ChoiceLoader, PackageLoader

    environment.loader = ChoiceLoader([PackageLoader("dialoogkit.serve", "templates"),
                                       PackageLoader("dialoogkit.studio", "templates")])

    def render(request: Request, name: str, status: int = 200, **context: Any) -> Response:
        html = environment.get_template(name).render(t=texts(request), request=request, **context)
        return HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"})

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        reachable = await run_in_threadpool(is_reachable, db)
        current = reachable and await run_in_threadpool(is_current, db)
        if not reachable:
            return PlainTextResponse("database unreachable", status_code=503)
        if not current:
            return PlainTextResponse("database migrations not current: run dialoogkit serve", status_code=503)
        return PlainTextResponse("ready")

    routes = [*signin_routes(db, Attempts(), render, config.trusted_proxies), *team_routes(db, teams.storage_of, render),
              Route("/healthz", healthz), Route("/readyz", readyz),
              Route("/language", switch_language, methods=["POST"]),
              Route("/favicon.ico", lambda request: FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")),
              Mount("/static", app=StaticFiles(directory=STATIC), name="static")]
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if on_start:
            on_start()
        try:
            yield
        finally:
            if on_stop:
                on_stop()
            teams.work.close()

    site = Starlette(routes=routes, lifespan=lifespan)
    doors = Doors(site=site, team_app=teams.get, identify=make_identify(db))
    return ServeGate(doors, config.trusted_proxies)


def run_server(config: ServeConfig, echo: Callable[[str], None]) -> None:
    """Serve until Ctrl-C (or SIGTERM), with ``config.build_processes`` build workers."""
    import uvicorn

    from dialoogkit.serve.workers import BuildPool

    set_up_logging()
    db = open_database(config.database_url)
    pool = BuildPool(config.database_url, config.data, processes=config.build_processes)  # requeues what a stop left

    app = create_server(config, db, on_start=pool.start, on_stop=pool.stop)
    echo(f"http://{config.host}:{config.port}/")
    uvicorn.run(app, host=config.host, port=config.port, log_level="warning", access_log=False,
                server_header=False, date_header=False, proxy_headers=False)
