"""The preview beside the editor: card images, canvases, guide pages, and the format they show.

In: ``GET /preview/card.png?deck=…&card=N&lesson=…&side=front|back``, ``GET /preview/sheet.png?
deck=…&part=canvases|guide&page=N``, ``GET /preview/panel?deck=…&view=…&lesson=…&tab=…`` (the
preview's content for a tab) and ``POST /preview/options`` (card format and profile, remembered in
the print choices).
Out: PNG images drawn by the real pipeline (``preview``); a card of a deck that cannot be drawn
now is its last image (marked out of date in the page), or 404; HTML for the panel.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dialoogkit.studio.app import render, studio_of, texts
from dialoogkit.studio.deckfile import Unparsable
from dialoogkit.studio.editorview import EditorState, context, open_state
from dialoogkit.studio.preview import CANVAS_WIDTH_PX, GUIDE_WIDTH_PX, document_key, page_count, render_part
from dialoogkit.studio.printing import PRINT_COOKIE, read_choices, to_options
from dialoogkit.studio.responses import answer, open_edit
from dialoogkit.studio.workspace import OutsideWorkspace

PARTS = {"canvases": ("canvases", CANVAS_WIDTH_PX), "guide": ("guide", GUIDE_WIDTH_PX)}


def _png(data: bytes, fresh: bool = True) -> Response:
    cache = "private, max-age=3600" if fresh else "no-store"
    return Response(data, media_type="image/png", headers={"cache-control": cache})


def _state(request: Request) -> EditorState | None:
    studio = studio_of(request)
    query = request.query_params
    try:
        return open_state(studio, request, query.get("deck", ""), view=query.get("view"),
                          lesson=query.get("lesson"), tab=query.get("tab"))
    except (OutsideWorkspace, Unparsable):
        return None


async def card_image(request: Request) -> Response:
    """A card's front or back. Only the deck's cards are checked here (the quick check), so the
    image of a change is drawn without waiting for the canvases and the guide."""
    from dialoogkit.studio.deckfile import version_of
    from dialoogkit.studio.printing import from_cookie
    from dialoogkit.studio.texts import LANGUAGE_COOKIE

    studio = studio_of(request)
    query = request.query_params
    side = query.get("side", "front")
    number = query.get("card", "")
    try:
        path = studio.workspace.resolve(query.get("deck", ""))
        data = path.read_bytes()
    except (OutsideWorkspace, OSError):
        return Response(status_code=404)
    if side not in ("front", "back") or not number.isdigit():
        return Response(status_code=404)
    choices = from_cookie(request.cookies.get(PRINT_COOKIE))
    inspection = studio.inspector.inspect(path, version_of(data), studio.workspace.gate,
                                          choices.format_name, choices.profile, choices.start,
                                          request.cookies.get(LANGUAGE_COOKIE) or "nl", full=False)
    index = int(number)
    remember = (str(path), query.get("lesson") or None, choices.format_name, choices.profile)
    plan = inspection.plan
    if plan is not None and index < len(plan.faces):
        return _png(studio.previews.card(plan, index, side, inspection.loaded.logo_path, remember))
    old = studio.previews.last_card(remember, side)
    return _png(old, fresh=False) if old is not None else Response(status_code=404)


def _options(state: EditorState):
    """The build options the preview's canvases and guide are drawn with (no output is written)."""
    return to_options(state.choices, Path("output"), state.model.gate)


def _document(studio, state: EditorState, part: str):
    """The cache key of a deck's canvases or guide, and the function that draws it."""
    options = _options(state)
    key = document_key(state.key, part, options)
    loaded = state.inspection.loaded
    return key, (lambda: render_part(loaded, options, part))


async def sheet_image(request: Request) -> Response:
    studio = studio_of(request)
    state = _state(request)
    query = request.query_params
    part, page = query.get("part", ""), query.get("page", "")
    if state is None or part not in PARTS or not page.isdigit() or not state.inspection.ready:
        return Response(status_code=404)
    key, make = _document(studio, state, part)
    image = studio.previews.page(key, make, int(page), PARTS[part][1])
    return _png(image) if image is not None else Response(status_code=404)


def sheet_context(studio, state: EditorState, t, page: int) -> dict | None:
    """The canvas or guide page the preview shows, with the pager's links."""
    if state.tab not in ("canvas", "guide") or not state.inspection.ready:
        return None
    part = "canvases" if state.tab == "canvas" else "guide"
    key, make = _document(studio, state, part)
    count = page_count(studio.previews.document(key, make))
    lessons = len(state.model.included)
    if page < 0:
        page = state.item.number - 1 if part == "canvases" and state.item and state.item.number else 0
    page = max(0, min(page, count - 1))

    def link(number: int) -> str | None:
        if not 0 <= number < count:
            return None
        return "/preview/panel?" + urlencode({"deck": state.rel, "view": state.view, "tab": state.tab, "page": number,
                                              "lesson": state.item.key if state.item else ""})

    if part == "canvases":
        names = [t("studio.preview.canvas_lesson", number=n) for n in range(1, lessons + 1)]
        names += [t("studio.preview.canvas_overview"), t("studio.preview.canvas_pillars"), t("studio.preview.canvas_plan")]
        label = names[page] if page < len(names) else str(page + 1)
    else:
        label = t("studio.preview.guide_page", page=page + 1, count=count)
    url = "/preview/sheet.png?" + urlencode({"deck": state.rel, "part": part, "page": page, "v": key})
    caption = t("studio.preview.sheet_of", number=page + 1, count=count)
    return {"url": url, "label": label, "caption": caption, "previous": link(page - 1), "next": link(page + 1)}


async def preview_panel(request: Request) -> Response:
    studio = studio_of(request)
    state = _state(request)
    if state is None:
        return Response(status_code=404)
    t = texts(request)
    page = request.query_params.get("page", "")
    sheet = sheet_context(studio, state, t, int(page) if page.isdigit() else -1)
    return render(request, "_preview.html", t=t, **context(studio, state, sheet=sheet))


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
    state = open_state(studio, request, edit.rel, edit.deck_file, edit.model, edit.view, edit.lesson, "card",
                       choices=choices)
    response = answer(request, studio, state, None, None, None, sheet=None)
    response.set_cookie(PRINT_COOKIE, choices.to_cookie(), max_age=365 * 24 * 3600, samesite="strict", httponly=True)
    return response


ROUTES = [
    Route("/preview/card.png", card_image, methods=["GET"]),
    Route("/preview/sheet.png", sheet_image, methods=["GET"]),
    Route("/preview/panel", preview_panel, methods=["GET"]),
    Route("/preview/options", preview_options, methods=["POST"]),
]
