"""The print panel: choose how to print, build the kit, download it.

In: ``POST /action/print`` (the print form's fields; remembered in a cookie), ``POST
/action/build`` (starts ``build_kit`` in the background once the deck has no problem for these
choices), ``GET /build/status?deck=…`` (progress, then the files), ``GET /download?deck=…&file=…``
(a file of the deck's kit in ``output/<deck id>/``) and ``GET /calibrate.pdf?paper=…`` (the
command line's test sheet for the back offset).
Out: HTML fragments of the print panel; the kit's files as downloads.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from dialoogkit.app.building import check_build_options, describe_sheets
from dialoogkit.errors import DialoogkitError
from dialoogkit.output.kitfiles import zip_name
from dialoogkit.studio.app import Studio, render, studio_of, texts
from dialoogkit.studio.editorview import EditorState, context, open_state
from dialoogkit.studio.printing import (
    PRINT_COOKIE, PrintChoices, download_path, from_cookie, kit_files, read_choices, to_options,
)
from dialoogkit.studio.responses import answer, open_edit
from dialoogkit.studio.workspace import OutsideWorkspace

PRINT_SLOTS = ("f-custom", "f-paper", "f-offset_x", "f-offset_y", "f-gutter", "f-bleed", "f-output_intent", "f-canvas_size",
               "f-dpi", "f-start")


class Message:
    """A message at a print field (the shape the field macros read)."""

    warning = False

    def __init__(self, text: str):
        self.text = text


def print_context(studio: Studio, state: EditorState, errors: dict[str, str] | None = None) -> dict:
    """What the print panel shows besides the choices: the field problems and the last build."""
    build = studio.builds.get(state.rel)
    deck_id = build.deck_id if build and build.deck_id else ""
    files = kit_files(build.kit, deck_id) if build and build.finished and not build.error else []
    folder = studio.workspace.shown(build.kit) if build and build.kit else ""
    sheet_lines = describe_sheets(build.sheet) if build and build.finished and build.sheet else []
    return {"print_errors": {f"f-{k}": [Message(v)] for k, v in (errors or {}).items()}, "build": build,
            "files": files, "kit_folder": folder, "zip_file": zip_name(deck_id) if deck_id else "",
            "sheet_lines": sheet_lines, "note_text": lambda note: shown_problem(studio, note)}


def shown_problem(studio: Studio, note) -> str:
    """A build note as ``dialoogkit build`` prints it, a file in it relative to the workspace."""
    file = getattr(note, "file", None)
    return dataclasses.replace(note, file=studio.workspace.shown(file)).format() if file else note.format()


async def print_action(request: Request) -> Response:
    form = await request.form()
    edit = await open_edit(request, form)
    if isinstance(edit, Response):
        return edit
    studio = studio_of(request)
    base = from_cookie(request.cookies.get(PRINT_COOKIE))
    choices, errors = read_choices({k: str(v) for k, v in form.items()}, base)
    shown = choices if not errors else _valid_part(choices, errors, base)
    state = open_state(studio, request, edit.rel, edit.deck_file, edit.model, "print", edit.lesson, edit.tab,
                       choices=shown)
    extra = print_context(studio, state, errors)
    response = answer(request, studio, state, None, None, None, extra_errors=extra["print_errors"],
                      slots=PRINT_SLOTS, **extra)
    response.set_cookie(PRINT_COOKIE, shown.to_cookie(), max_age=365 * 24 * 3600, samesite="strict", httponly=True)
    return response


def _valid_part(choices: PrintChoices, errors: dict[str, str], base: PrintChoices) -> PrintChoices:
    """The choices with each wrong field as it was before (what previews and builds may use)."""
    from dataclasses import replace

    keep = {name: getattr(base, name) for name in errors if hasattr(base, name)}
    if "custom" in errors:
        keep["card_format"] = base.card_format
    return replace(choices, **keep)


async def build_action(request: Request) -> Response:
    form = await request.form()
    edit = await open_edit(request, form)
    if isinstance(edit, Response):
        return edit
    studio = studio_of(request)
    texts(request)  # the request's language, for the library's messages too
    base = from_cookie(request.cookies.get(PRINT_COOKIE))
    choices, errors = read_choices({k: str(v) for k, v in form.items()}, base)
    state = open_state(studio, request, edit.rel, edit.deck_file, edit.model, "print", edit.lesson, edit.tab,
                       choices=choices if not errors else base)
    ctx = context(studio, state, **print_context(studio, state, errors))
    if errors or not state.inspection.ready:
        return render(request, "_build_refused.html", status=422, **ctx)
    options = to_options(choices, studio.output, state.model.gate)
    try:
        check_build_options(options)  # as the build will: a profile is opened through the workspace's gate
    except DialoogkitError as exc:
        ctx.update(print_context(studio, state, {"output_intent": exc.format_message()}))
        return render(request, "_build_refused.html", status=422, **ctx)
    studio.builds.start(edit.rel, state.path, options, state.inspection.loaded.deck.id)
    ctx.update(print_context(studio, state))
    response = render(request, "_build.html", **ctx)
    response.set_cookie(PRINT_COOKIE, choices.to_cookie(), max_age=365 * 24 * 3600, samesite="strict", httponly=True)
    return response


async def build_status(request: Request) -> Response:
    studio = studio_of(request)
    rel = request.query_params.get("deck", "")
    build = studio.builds.get(rel)
    if build is None:
        return Response(status_code=404)
    try:
        state = open_state(studio, request, rel, view="print")
    except OutsideWorkspace:
        return Response(status_code=404)
    except Exception:  # the deck file broke meanwhile: the build's own state still answers
        state = None
    if state is None:
        return Response(status_code=404)
    return render(request, "_build.html", **context(studio, state, **print_context(studio, state)))


async def download(request: Request) -> Response:
    studio = studio_of(request)
    rel = request.query_params.get("deck", "")
    name = request.query_params.get("file", "")
    build = studio.builds.get(rel)
    if build is None or not build.finished or build.error or build.kit is None or not build.deck_id:
        return Response(status_code=404)
    if not studio.may_download_from(build.kit):
        return Response(status_code=404)
    path = download_path(build.kit, build.deck_id, name)
    if path is None:
        return Response(status_code=404)
    kind = "application/zip" if name.endswith(".zip") else \
        "application/json" if name.endswith(".json") else "application/pdf"
    return FileResponse(path, media_type=kind, headers={
        "content-disposition": f"attachment; filename*=UTF-8''{quote(name)}", "cache-control": "no-store"})


async def calibration_sheet(request: Request) -> Response:
    from dialoogkit.errors import DialoogkitError
    from dialoogkit.layouts.formats import parse_paper
    from dialoogkit.output.calibrate import render_calibration

    t = texts(request)
    try:
        pdf = render_calibration(parse_paper(request.query_params.get("paper", "a4")), t.language)
    except DialoogkitError:
        return Response(status_code=404)
    return Response(pdf, media_type="application/pdf",
                    headers={"content-disposition": "attachment; filename=calibrate.pdf", "cache-control": "no-store"})


HEAVY = [  # run in the worker pool (see ``studio.work``)
    Route("/action/print", print_action, methods=["POST"]),
    Route("/action/build", build_action, methods=["POST"]),
    Route("/calibrate.pdf", calibration_sheet, methods=["GET"]),
    Route("/build/status", build_status, methods=["GET"]),  # it opens the deck's state (a check)
]
ROUTES = [  # light: on the loop
    Route("/download", download, methods=["GET"]),
]
