"""The answers the editor's routes share: open a deck for a change, save it, and answer with the
parts of the page that follow from the change.

In: a request with the form fields every editor request carries (``deck``, ``version``,
``view``, ``lesson``, ``tab``, ``page``).
Out: ``open_edit`` (the deck file and its model, or an answer: the file left the workspace 404,
cannot be parsed 409 with the loader's words, or changed since the browser read it 409),
``save_and_answer`` (saves, then answers with ``_update.html``: the new version, the save status,
the problems at their fields, the lesson list and the preview, from the quick check, with a new
``#deep-check`` that asks for the whole check (``routes_page``); only the version and the status
when nothing changed), ``answer`` (the same for any state; an answer that shows problems always
replaces ``#deep-check``, empty when its check was whole, so an older deep check never lands on
it), ``problem_page``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from dialoogkit.studio.app import Studio, render, studio_of, texts
from dialoogkit.studio.deckfile import (
    Conflict,
    DeckFile,
    Unparsable,
    read_deck_file,
    save_deck_file,
)
from dialoogkit.studio.editmodel import DeckModel, build_model, refresh
from dialoogkit.studio.editorview import EditorState, context, open_state, view_slots
from dialoogkit.studio.printing import PrintChoices
from dialoogkit.studio.workspace import OutsideWorkspace


@dataclass
class Edit:
    """A deck opened for one change."""

    studio: Studio
    rel: str
    version: str
    deck_file: DeckFile
    model: DeckModel
    view: str
    lesson: str | None
    tab: str
    page: str | None = None


def problem_page(request: Request, title_key: str, message: str, problems: list[str] | None = None,
                 status: int = 422) -> Response:
    t = texts(request)
    return render(request, "problem.html", status=status, title=t(title_key), message=message,
                  problems=problems or [], t=t)


async def open_edit(request: Request, form: Any) -> Edit | Response:
    """The deck a change is for, checked to be the version the browser showed."""
    studio = studio_of(request)
    t = texts(request)
    rel = str(form.get("deck") or "")
    try:
        path = studio.workspace.resolve(rel)
        deck_file = read_deck_file(path)
    except OutsideWorkspace as exc:
        return problem_page(request, "studio.problem.not_found", t(exc.reason), status=404)
    except Unparsable as exc:
        lines = [p.format().replace(str(studio.workspace.root) + "/", "") for p in exc.problems]
        return problem_page(request, "studio.problem.unreadable", t("studio.problem.unreadable_text"), lines, 409)
    edit = Edit(studio, rel, str(form.get("version") or ""), deck_file, build_model(deck_file, studio.workspace),
                str(form.get("view") or "lesson"), str(form.get("lesson") or "") or None, str(form.get("tab") or "card"),
                str(form.get("page") or "") or None)
    if deck_file.version != edit.version:
        return conflict(request, edit)
    return edit


def conflict(request: Request, edit: Edit) -> Response:
    """Nothing was saved: the file on disk is not the version the browser edited."""
    state = open_state(edit.studio, request, edit.rel, edit.deck_file, edit.model, edit.view, edit.lesson, edit.tab,
                       page=edit.page)
    ctx = context(edit.studio, state, conflict=True, main=None, slots=[])
    ctx["version"] = edit.version  # keep the old version: every later change is refused too, until a reload
    return render(request, "_update.html", status=409, headers={"HX-Reswap": "none"}, **ctx)


def save_and_answer(request: Request, edit: Edit, main: str | None = None, focus: str | None = None,
                    lesson: str | None = None, extra_errors: dict | None = None,
                    choices: PrintChoices | None = None, headers: dict[str, str] | None = None) -> Response:
    """Save the changed document and answer with what follows from it (see module docstring)."""
    t = texts(request)
    try:
        save_deck_file(edit.deck_file, edit.version)
    except Conflict:
        return conflict(request, edit)
    refresh(edit.model)
    model = edit.model
    state = open_state(edit.studio, request, edit.rel, edit.deck_file, model, edit.view,
                       lesson if lesson is not None else edit.lesson, edit.tab, choices=choices, full=False,
                       page=edit.page)
    status = t("studio.status.saved", time=time.strftime("%H:%M:%S"))
    # a change that changed nothing (a field left after its text was saved) leaves the page as it
    # is, so a button clicked meanwhile is not swapped out before its own request is sent
    quiet = edit.deck_file.version == edit.version and main is None and not extra_errors and not choices
    return answer(request, edit.studio, state, main, focus, status, extra_errors, headers, quiet=quiet)


def answer(request: Request, studio: Studio, state: EditorState, main: str | None, focus: str | None,
           status: str | None, extra_errors: dict | None = None, headers: dict[str, str] | None = None,
           slots: tuple[str, ...] | None = None, **extra: Any) -> Response:
    """``_update.html`` for ``state``: ``main`` is the part the request targets (``pane``,
    ``sidebar``, ``preview`` or None), the rest is swapped out of band; ``slots`` are the
    problem boxes to refresh (those of the view's fields unless given)."""
    ctx = context(studio, state, focus=focus, main=main, save_status=status, conflict=False,
                  slots=sorted(_slots(state)) if slots is None else list(slots), **extra)
    for key, messages in (extra_errors or {}).items():
        ctx["errors"] = {**ctx["errors"], key: ctx["errors"].get(key, []) + messages}
    return render(request, "_update.html", headers=headers, **ctx)


def _slots(state: EditorState) -> set[str]:
    return view_slots(state)
