"""The editor page, and the deep check that completes a page or an answer built on the quick check.

In: ``GET /edit?deck=…&view=…&lesson=…&tab=…`` and ``GET /check`` with the editor's state
(``deck``, ``view``, ``lesson``, ``tab``, ``page``) and the ``version`` the deep check is for.
Out: the editor page. It shows the whole check (canvases and guide too) when one is remembered
for this version of the deck (``Inspector``), and the quick check (loading and card fitting)
otherwise; then its ``#deep-check`` element asks for the rest (``editor.js``). The canvas and
guide tabs and the print view need the whole check, so they always open with it. For
``/check``: the whole check's problems at their fields, in the list and in the lesson list (and
the canvas or guide preview) as an answer swapped out of band (``responses.answer``); 204 when
the deck has a newer version than the one asked for (a newer change answers for itself).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dialoogkit.studio.app import render, studio_of, texts
from dialoogkit.studio.deckfile import Unparsable
from dialoogkit.studio.editorview import TABS, context, open_state
from dialoogkit.studio.responses import answer, problem_page
from dialoogkit.studio.workspace import OutsideWorkspace


def whole_check_first(view: str | None, tab: str | None) -> bool:
    """Whether a page opens with the whole check: the canvas and guide tabs draw from it, and
    the print view offers the build only when it finds nothing."""
    return view == "print" or (tab in TABS and tab != TABS[0])


async def editor_page(request: Request) -> Response:
    from dialoogkit.studio.routes_print import print_context

    studio = studio_of(request)
    t = texts(request)
    query = request.query_params
    rel = query.get("deck", "")
    view, tab = query.get("view"), query.get("tab")
    try:
        state = open_state(studio, request, rel, view=view, lesson=query.get("lesson"), tab=tab,
                           full=whole_check_first(view, tab))
    except OutsideWorkspace as exc:
        return problem_page(request, "studio.problem.not_found", t(exc.reason), status=404)
    except Unparsable as exc:
        lines = [p.format().replace(str(studio.workspace.root) + "/", "") for p in exc.problems]
        return problem_page(request, "studio.problem.unreadable", t("studio.problem.unreadable_text"), lines)
    ctx = context(studio, state, main="page", **print_context(studio, state))
    return render(request, "editor.html", **ctx)


async def deep_check(request: Request) -> Response:
    """The whole check (canvases and guide too) of the version a page or a change showed with
    the quick check: the problems at their fields, in the list and in the lesson list."""
    from dialoogkit.studio.routes_print import print_context

    studio = studio_of(request)
    query = request.query_params
    try:
        state = open_state(studio, request, query.get("deck", ""), view=query.get("view"),
                           lesson=query.get("lesson"), tab=query.get("tab"), page=query.get("page"))
    except (OutsideWorkspace, Unparsable):
        return Response(status_code=204)
    if state.deck_file.version != query.get("version"):
        return Response(status_code=204)  # a newer edit answers for itself
    extra = print_context(studio, state) if state.view == "print" else {}
    return answer(request, studio, state, "checks", None, None, **extra)


ROUTES = [
    Route("/edit", editor_page, methods=["GET"]),
    Route("/check", deep_check, methods=["GET"]),
]
