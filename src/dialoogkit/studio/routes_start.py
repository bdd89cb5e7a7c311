"""The start page: the workspace's decks and the bundled decks, a new deck from a bundled deck
or from a table, and the language switch.

In: ``GET /`` (``?parent=`` preselects a bundled deck), ``POST /new`` (parent, title, region),
``POST /new/table`` (an uploaded CSV, TSV, text or XLSX table, title, language) and
``POST /language`` (the language and the page to return to).
Out: the start page (with the problems of a form at its fields, status 422), or a redirect to
the editor of the new deck (303); the language cookie.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dialoogkit.cards.bundled import DEFAULT_DECK, list_bundled
from dialoogkit.cards.models import check_characters
from dialoogkit.errors import ContentError, DialoogkitError
from dialoogkit.studio.app import render, studio_of, texts
from dialoogkit.studio.catalogue import TABLE_SUFFIXES, bundled_decks, import_deck, list_decks, make_deck
from dialoogkit.studio.forms import clean
from dialoogkit.studio.guard import TABLE_LIMIT
from dialoogkit.studio.texts import LANGUAGE_COOKIE, pick_language
from dialoogkit.studio.workspace import OutsideWorkspace

MAX_TITLE = 300


async def start_page(request: Request) -> Response:
    return _start(request, {"parent": request.query_params.get("parent", "")})


def _start(request: Request, form: dict[str, Any], status: int = 200, **errors: Any) -> Response:
    studio = studio_of(request)
    decks = bundled_decks()
    context = {"decks": list_decks(studio.workspace), "workspace": str(studio.workspace.root),
               "bundled_decks": decks, "bundled": [(d.name, f"{d.title} ({d.name})") for d in decks],
               "default_parent": DEFAULT_DECK, "form": form, "new_errors": errors.get("new_errors", {}),
               "import_errors": errors.get("import_errors", []),
               "errors": {**errors.get("new_field_errors", {}), **errors.get("import_field_errors", {})}, "focus": None,
               "colour": lambda value: value}
    return render(request, "start.html", status=status, **context)


class _Message:
    """A message shown at a start page field (the shape the field macros read)."""

    warning = False

    def __init__(self, text: str):
        self.text = text


def _check_title(title: str, t, required: bool = True) -> str | None:
    if not title:
        return t("studio.new.title_missing") if required else None
    if len(title) > MAX_TITLE:
        return t("studio.new.title_long", limit=MAX_TITLE)
    try:
        check_characters(title)
    except ValueError as exc:
        return str(exc)
    return None


async def new_deck(request: Request) -> Response:
    t = texts(request)
    form = await request.form()
    values = {"parent": clean(form.get("parent"), True), "title": clean(form.get("title"), True),
              "region": clean(form.get("region"), True)}
    field_errors: dict[str, list[_Message]] = {}
    if values["parent"] not in list_bundled():
        field_errors["f-parent"] = [_Message(t("studio.new.parent_unknown"))]
    for key, fid, required in (("title", "f-new-title", True), ("region", "f-new-region", False)):
        problem = _check_title(values[key], t, required)
        if problem:
            field_errors[fid] = [_Message(problem)]
    if field_errors:
        return _start(request, values, 422, new_field_errors=field_errors)
    studio = studio_of(request)
    try:
        path = make_deck(studio.workspace, values["parent"], values["title"], values["region"], t)
    except (DialoogkitError, OutsideWorkspace) as exc:
        message = t(exc.reason) if isinstance(exc, OutsideWorkspace) else exc.format_message()
        return _start(request, values, 422, new_errors={"general": [message]})
    return _to_editor(studio.workspace.relative(path))


async def import_table(request: Request) -> Response:
    t = texts(request)
    form = await request.form(max_files=1, max_fields=20, max_part_size=64 * 1024)
    upload = form.get("table")
    values = {"import_title": clean(form.get("title"), True), "language": clean(form.get("language"), True)}
    language = values["language"] if values["language"] in ("nl", "en") else "nl"
    field_errors: dict[str, list[_Message]] = {}
    if upload is None or isinstance(upload, str) or not upload.filename:
        field_errors["f-table"] = [_Message(t("studio.import.missing"))]
    elif not upload.filename.lower().endswith(TABLE_SUFFIXES):
        field_errors["f-table"] = [_Message(t("studio.import.kind"))]
    problem = _check_title(values["import_title"], t, required=False)
    if problem:
        field_errors["f-import-title"] = [_Message(problem)]
    if field_errors:
        return _start(request, values, 422, import_field_errors=field_errors)
    data = await upload.read(TABLE_LIMIT + 1)
    if len(data) > TABLE_LIMIT:
        return _start(request, values, 413, import_field_errors={"f-table": [_Message(t("studio.guard.too_large"))]})
    studio = studio_of(request)
    try:
        path, _ = import_deck(studio.workspace, data, upload.filename, values["import_title"], language)
    except ContentError as exc:
        return _start(request, values, 422, import_errors=[p.format() for p in exc.problems])
    except DialoogkitError as exc:
        return _start(request, values, 422, import_errors=[exc.format_message()])
    except OutsideWorkspace as exc:
        return _start(request, values, 422, import_errors=[t(exc.reason)])
    return _to_editor(studio.workspace.relative(path))


def _to_editor(relative: str) -> Response:
    from urllib.parse import urlencode

    return RedirectResponse("/edit?" + urlencode({"deck": relative, "view": "deck"}), status_code=303)


async def switch_language(request: Request) -> Response:
    form = await request.form()
    language = pick_language(str(form.get("language") or ""))
    target = str(form.get("next") or "/")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="strict", httponly=True)
    return response


HEAVY = [  # run in the worker pool (see ``studio.work``)
    Route("/new", new_deck, methods=["POST"]),
    Route("/new/table", import_table, methods=["POST"]),
]
ROUTES = [  # light: on the loop
    Route("/", start_page, methods=["GET"]),
    Route("/language", switch_language, methods=["POST"]),
]
