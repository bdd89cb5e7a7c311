"""The preview beside the editor: card images, canvases, guide pages, and the format they show.

In: ``GET /preview/card.png?deck=…&card=opening|N&lesson=…&side=front|back`` (``card``: the
opening card, or the index of a lesson's or the contacts card in the plan), ``GET
/preview/sheet.png?deck=…&part=canvases|guide&page=N``, ``GET /preview/panel`` with the editor's
state (``deck``, ``view``, ``lesson``, ``tab``, ``page``: the tab a button asks for replaces the
one the page had, so a request carries one tab) and ``POST /preview/options`` (card format and
profile, remembered in the print choices).
Out: PNG images drawn by the real pipeline (``preview``); a card of a deck that cannot be drawn
now is its last image (marked out of date in the page), or 404; for the panel, the preview and
the editor's state with the new tab (``responses.answer``).
"""

from __future__ import annotations

from dataclasses import replace

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dialoogkit.studio.app import studio_of
from dialoogkit.studio.deckfile import Unparsable
from dialoogkit.studio.editorview import (
    EditorState,
    open_state,
    planned_faces,
    sheet_document,
)
from dialoogkit.studio.preview import CANVAS_WIDTH_PX, GUIDE_WIDTH_PX
from dialoogkit.studio.printing import PRINT_COOKIE, read_choices
from dialoogkit.studio.responses import answer, open_edit
from dialoogkit.studio.work import Stale
from dialoogkit.studio.workspace import OutsideWorkspace

WIDTHS = {"canvases": CANVAS_WIDTH_PX, "guide": GUIDE_WIDTH_PX}


def _png(data: bytes, fresh: bool = True) -> Response:
    cache = "private, max-age=3600" if fresh else "no-store"
    return Response(data, media_type="image/png", headers={"cache-control": cache})


def _state(request: Request) -> EditorState | None:
    studio = studio_of(request)
    query = request.query_params
    try:
        return open_state(studio, request, query.get("deck", ""), view=query.get("view"),
                          lesson=query.get("lesson"), tab=query.get("tab"), page=query.get("page"))
    except (OutsideWorkspace, Unparsable):
        return None


async def card_image(request: Request) -> Response:
    """A card's front or back. Only the deck's cards are checked here (the quick check), so the
    image of a change is drawn without waiting for the canvases and the guide. The drawing runs in
    the worker pool, once per card and deck version however often it is asked for; a drawing
    for a version that a newer request replaced before it started is not made (204)."""
    from dialoogkit.studio.deckfile import version_of
    from dialoogkit.studio.printing import from_cookie
    from dialoogkit.studio.texts import LANGUAGE_COOKIE

    studio = studio_of(request)
    query = request.query_params
    side = query.get("side", "front")
    card = query.get("card", "")
    try:
        path = studio.workspace.resolve(query.get("deck", ""))
        data = path.read_bytes()
    except (OutsideWorkspace, OSError):
        return Response(status_code=404)
    if side not in ("front", "back") or not card:
        return Response(status_code=404)
    choices = from_cookie(request.cookies.get(PRINT_COOKIE))
    language = request.cookies.get(LANGUAGE_COOKIE) or "nl"
    version = version_of(data)
    look = (choices.format_name, choices.profile, choices.start, language)
    try:
        image = await studio.work.run(("card", str(path), version, look, card, side), _draw_card, studio, path,
                                      version, look, query.get("lesson") or None, card, side,
                                      topic=("card", str(path), look, card, side), version=version)
    except Stale:
        return Response(status_code=204)
    return _png(*image) if image is not None else Response(status_code=404)


def _draw_card(studio, path, version: str, look: tuple, lesson: str | None, card: str,
               side: str) -> tuple[bytes, bool] | None:
    """The PNG of one side of a card and whether it is fresh (else the last one drawn)."""
    card_format, profile, start, language = look
    inspection = studio.inspector.inspect(path, version, studio.workspace.gate, card_format, profile, start,
                                          language, full=False)
    remember = (str(path), lesson, card_format, profile)
    faces = planned_faces(inspection.plan, card)
    if faces is not None:
        return studio.previews.card(inspection.plan, faces, side, inspection.loaded.logo_path, remember), True
    old = studio.previews.last_card(remember, side)
    return (old, False) if old is not None else None


async def sheet_image(request: Request) -> Response:
    """A page of the worksheets or the guide, drawn in the worker pool once per page asked for."""
    studio = studio_of(request)
    image = await studio.work.run(("sheet", str(request.url.query), request.cookies.get(PRINT_COOKIE)),
                                  _draw_sheet, request)
    return _png(image) if image is not None else Response(status_code=404)


def _draw_sheet(request: Request) -> bytes | None:
    studio = studio_of(request)
    state = _state(request)
    query = request.query_params
    part, page = query.get("part", ""), query.get("page", "")
    if state is None or part not in WIDTHS or not page.isdigit() or not state.inspection.ready:
        return None
    key, make = sheet_document(studio, state, part)
    return studio.previews.page(key, make, int(page), WIDTHS[part])


async def preview_panel(request: Request) -> Response:
    """The preview for the tab (and page) asked for, with the editor's state that now holds it."""
    studio = studio_of(request)
    state = _state(request)
    if state is None:
        return Response(status_code=404)
    return answer(request, studio, state, "preview", None, None)


async def preview_options(request: Request) -> Response:
    form = await request.form()
    edit = await open_edit(request, form)
    if isinstance(edit, Response):
        return edit
    studio = studio_of(request)
    from dialoogkit.studio.printing import from_cookie

    base = from_cookie(request.cookies.get(PRINT_COOKIE))
    values = {k: str(form.get(k)) for k in ("card_format", "profile") if form.get(k)}
    choices, errors = read_choices(values, base)
    if "custom" in errors:
        choices = replace(choices, card_format=base.card_format)
    state = open_state(studio, request, edit.rel, edit.deck_file, edit.model, edit.view, edit.lesson, edit.tab,
                       choices=choices, page=edit.page)
    response = answer(request, studio, state, None, None, None)
    response.set_cookie(PRINT_COOKIE, choices.to_cookie(), max_age=365 * 24 * 3600, samesite="strict", httponly=True)
    return response


HEAVY = [  # run in the worker pool as a whole (see ``studio.work``)
    Route("/preview/panel", preview_panel, methods=["GET"]),
    Route("/preview/options", preview_options, methods=["POST"]),
]
ROUTES = [  # on the loop: they hand their drawing to the pool themselves, once per image
    Route("/preview/card.png", card_image, methods=["GET"]),
    Route("/preview/sheet.png", sheet_image, methods=["GET"]),
]
