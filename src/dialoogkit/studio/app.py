"""The studio application: its shared state, its templates and its routes behind the gate.

In: a ``StudioConfig`` (workspace folder, token, the host and port the server listens on).
Out: ``create_app`` → an ASGI application (Starlette behind ``guard.Gate``); ``make_routes`` (the
routes over one ``Studio``, for a gate of another kind: a team server's sign-in); ``Studio`` (the
workspace, the checker, the previews and the builds, shared by the routes); ``render`` and
``texts`` for the routes. The studio keeps no deck state of its own: every page reads the deck
files; what it remembers are caches and running builds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from dialoogkit.studio.checking import Inspector
from dialoogkit.studio.guard import Gate, GateKeys, allowed_hosts
from dialoogkit.studio.preview import Previews
from dialoogkit.studio.printing import Builds, panel_choices
from dialoogkit.studio.visitor import current_visitor
from dialoogkit.studio.texts import LANGUAGE_COOKIE, Texts, pick_language, texts_for
from dialoogkit.studio.work import Workers, off_loop
from dialoogkit.studio.workspace import Workspace

STATIC = Path(__file__).resolve().parent / "static"


@dataclass(frozen=True)
class StudioConfig:
    """How the studio was started."""

    workspace: Path
    token: str
    port: int
    host: str = "127.0.0.1"


@dataclass
class Studio:
    """What the routes share."""

    config: StudioConfig
    workspace: Workspace
    templates: Environment
    inspector: Inspector = field(default_factory=Inspector)
    previews: Previews = field(default_factory=Previews)
    builds: Builds = field(default_factory=Builds)
    reports: dict[str, Any] = field(default_factory=dict)  # deck path → its last report (routes_results)
    work: Workers = field(default_factory=Workers)  # checking, drawing and reports, off the event loop
    kits: Path | None = None  # where built kits may be downloaded from, when not ``output`` (a team server's queue)

    @property
    def output(self) -> Path:
        """Where builds write their kits: ``output/`` in the workspace, as the command line does."""
        return self.workspace.root / "output"

    def may_download_from(self, kit: Path) -> bool:
        """Whether ``kit`` is a folder this studio's builds write (nothing else is ever served)."""
        import os

        root = os.path.realpath(self.kits or self.output)
        return os.path.commonpath([os.path.realpath(kit), root]) == root


def make_templates() -> Environment:
    environment = Environment(loader=PackageLoader("dialoogkit.studio", "templates"), autoescape=True,
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    environment.globals["print_panel"] = panel_choices()  # what the print form offers: the registry's
    environment.globals["visitor"] = current_visitor  # who is signed in, on a team server
    environment.filters["upper_first"] = lambda name: (name, name.upper() if len(name) <= 3 else name.capitalize())
    environment.filters["as_option"] = lambda name: (name, name)
    environment.filters["num"] = lambda value: f"{value:g}"
    return environment


def studio_of(request: Request) -> Studio:
    return request.app.state.studio


def texts(request: Request) -> Texts:
    """The interface texts in the language of this request (cookie; Dutch by default)."""
    return texts_for(pick_language(request.cookies.get(LANGUAGE_COOKIE)))


def render(request: Request, name: str, status: int = 200, headers: dict[str, str] | None = None,
           **context: Any) -> HTMLResponse:
    """A template as an HTML response, with ``t`` (texts), ``request`` and ``url`` available."""
    studio = studio_of(request)
    t = context.pop("t", None) or texts(request)
    html = studio.templates.get_template(name).render(t=t, request=request, **context)
    response = HTMLResponse(html, status_code=status, headers=headers)
    response.headers["cache-control"] = "no-store"
    return response


def create_app(config: StudioConfig) -> Gate:
    """The studio as an ASGI application (see module docstring)."""
    app = make_routes(Studio(config, Workspace.open(config.workspace), make_templates()))
    keys = GateKeys(config.token, allowed_hosts(config.host, config.port), config.port)
    return Gate(app, keys)


def make_routes(studio: Studio) -> Starlette:
    """The studio's routes over ``studio`` (its workspace, builds and caches), without a gate: the
    local studio puts its token gate in front, a team server its sign-in."""
    from dialoogkit.studio import (
        routes_edit,
        routes_page,
        routes_preview,
        routes_print,
        routes_results,
        routes_start,
    )

    heavy = [*routes_start.HEAVY, *routes_page.ROUTES, *routes_edit.ROUTES, *routes_preview.HEAVY,
             *routes_print.HEAVY, *routes_results.ROUTES]
    routes = [Route(route.path, off_loop(route.endpoint), methods=route.methods, name=route.name) for route in heavy]
    routes += [*routes_start.ROUTES, *routes_preview.ROUTES, *routes_print.ROUTES,
              Route("/favicon.ico", lambda request: FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")),
              Mount("/static", app=StaticFiles(directory=STATIC), name="static")]
    app = Starlette(routes=routes)
    app.state.studio = studio
    return app
