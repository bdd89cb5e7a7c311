"""The changes the deck editor saves (its page and its deep check are ``routes_page``).

In: the changes, each a POST with the deck, the version the browser showed and the view:
``/action/deck`` (title, subtitle, region, language), ``/action/opening`` (the opening card's
fields, and ``op``: add, remove or move a question, leave the card out, take the parent's again,
or add one), ``/action/lesson`` (a lesson's fields, and ``op`` for a list: add, remove or move a
question, tip or source, or reset the lesson to the parent's text), ``/action/rename`` (a new id
for an own lesson: a slug no other lesson has; the results file ``<deck id>-resultaten.yaml``
beside the deck follows), ``/action/order`` (``op``: up, down, include, exclude, delete or add a
lesson), ``/action/contacts`` and ``/action/logo`` (an uploaded PNG or JPEG, checked like
``dialoogkit check`` checks a logo, or ``op=remove``).
Out: for a change, the parts of the page that follow from it (``responses``); a refused change
names the problem at its field (with the whole check) and saves nothing.
"""

from __future__ import annotations

import secrets
import time
from pathlib import PurePosixPath
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dialoogkit.studio import edits, lessonorder
from dialoogkit.studio.app import texts
from dialoogkit.studio.texts import Texts
from dialoogkit.studio.editmodel import LessonItem, refresh
from dialoogkit.studio.editorview import open_state
from dialoogkit.studio.forms import (
    BLANKS,
    clean,
    operate,
    read_contacts,
    read_lesson,
    read_opening,
)
from dialoogkit.studio.guard import LOGO_LIMIT
from dialoogkit.studio.responses import (
    Edit,
    answer,
    conflict,
    open_edit,
    problem_page,
    save_and_answer,
)
from dialoogkit.studio.results_yaml import ResultsFile
from dialoogkit.studio.workspace import OutsideWorkspace

LOGO_KINDS = {b"\x89PNG\r\n\x1a\n": ".png", b"\xff\xd8\xff": ".jpg"}
LIST_FOCUS = {"questions": "f-questions-{n}-text", "tips": "f-tips-{n}", "sources": "f-sources-{n}-title",
              "contacts": "f-contacts-{n}-name"}


def _list_op(op: str, values: dict, group_names: tuple[str, ...]) -> str | None:
    """Apply ``group:action:number`` to the posted lists; the id of the field to focus."""
    group, _, action = op.partition(":")
    if group not in group_names or group not in values:
        return None
    values[group], number = operate(values[group], action, BLANKS[group])
    return LIST_FOCUS[group].format(n=number) if number else f"f-{group}"


async def deck_action(request: Request) -> Response:
    form = await request.form()
    edit = await open_edit(request, form)
    if isinstance(edit, Response):
        return edit
    values = {key: clean(form.get(key), True) for key in ("title", "subtitle", "region", "language") if key in form}
    if values.get("language") not in (None, "nl", "en"):
        values.pop("language")
    edits.apply_deck_fields(edit.model, values)
    return save_and_answer(request, edit)


async def lesson_action(request: Request) -> Response:
    form = await request.form()
    edit = await open_edit(request, form)
    if isinstance(edit, Response):
        return edit
    item = edit.model.find(edit.lesson)
    if item is None:
        return problem_page(request, "studio.problem.not_found", texts(request)("studio.problem.no_lesson"), status=404)
    op = str(form.get("op") or "")
    values = read_lesson(form)
    focus, main = None, None
    if op == "reset" and not item.own:
        edits.reset_lesson(edit.model, item)
        values, main, focus = {}, "pane", "f-statement"
    elif op:
        focus, main = _list_op(op, values, ("questions", "tips", "sources")), "pane"
    edits.apply_lesson(edit.model, item, values)
    return save_and_answer(request, edit, main, focus)


async def opening_action(request: Request) -> Response:
    form = await request.form()
    edit = await open_edit(request, form)
    if isinstance(edit, Response):
        return edit
    t = texts(request)
    model = edit.model
    edit.view = "opening"
    op = str(form.get("op") or "")
    values = read_opening(form)
    focus, main = None, None
    if op == "leave-out":
        edits.leave_out_opening(model)
        values, main, focus = {}, "pane", "opening-back"
    elif op == "take-parent":
        edits.take_parent_opening(model)
        values, main, focus = {}, "pane", "f-opening-statement"
    elif op == "add":
        edits.add_opening(model, {"title": t("studio.newopening.title"), "statement": t("studio.newopening.statement"),
                                  "text": t("studio.newopening.text"), "questions": [t("studio.newopening.question")],
                                  "source": {"title": t("studio.newopening.source"), "url": _source_url(model)}})
        values, main, focus = {}, "pane", "f-opening-statement"
    elif op.startswith("questions:") and "questions" in values:
        values["questions"], number = operate(values["questions"], op.partition(":")[2], "")
        main, focus = "pane", f"f-opening-questions-{number}" if number else "f-opening-questions"
    edits.apply_opening(model, values)
    return save_and_answer(request, edit, main, focus)


def check_new_id(edit: Edit, item: LessonItem, new_id: str) -> str | None:
    """Why ``new_id`` cannot be the id of the own lesson ``item`` (a message key), or None."""
    from pydantic import TypeAdapter, ValidationError

    from dialoogkit.cards.models import Slug

    try:
        TypeAdapter(Slug).validate_python(new_id)
    except ValidationError:
        return "studio.rename.not_slug"
    if any(other.lesson_id == new_id for other in edit.model.lessons if other is not item):
        return "studio.rename.taken"
    return None


async def rename_action(request: Request) -> Response:
    """A new id for one of the deck's own lessons; the deck's ``select`` and its results file
    follow."""
    from dialoogkit.studio.catalogue import slug_of
    from dialoogkit.studio.deckfile import Conflict, save_deck_file

    form = await request.form()
    edit = await open_edit(request, form)
    if isinstance(edit, Response):
        return edit
    t = texts(request)
    item = edit.model.find(edit.lesson)
    if item is None or not item.own:
        return problem_page(request, "studio.problem.not_found", t("studio.problem.no_lesson"), status=404)
    new_id = clean(form.get("id"), True)
    if new_id == item.lesson_id:
        return save_and_answer(request, edit)
    refused = check_new_id(edit, item, new_id)
    results = _results_file(edit)
    if refused is None and isinstance(results, str):
        refused = results
    if refused:
        message = t(refused, id=new_id, example=slug_of(new_id), file=_results_name(edit))
        return _field_problem(request, edit, "lesson", "f-id", message)
    old = item.lesson_id
    edits.rename_lesson(edit.model, item, new_id)
    try:
        save_deck_file(edit.deck_file, edit.version)
    except Conflict:
        return conflict(request, edit)
    status = t("studio.status.saved", time=time.strftime("%H:%M:%S"))
    if results is not None and edits.rename_in_results(results.document, old, new_id):
        from dialoogkit.studio.results_yaml import save_results_file

        try:
            save_results_file(results, results.version)
            status += " " + t("studio.rename.results_too", file=_results_name(edit))
        except Conflict:
            status += " " + t("studio.rename.results_changed", file=_results_name(edit))
    refresh(edit.model)
    state = open_state(edit.studio, request, edit.rel, edit.deck_file, edit.model, "lesson", item.key, edit.tab,
                       full=False, page=edit.page)
    return answer(request, edit.studio, state, None, None, status)


def _results_name(edit: Edit) -> str:
    """The results file of the deck, relative to the workspace (``<deck id>-resultaten.yaml``)."""
    from dialoogkit.cards.results.scaffold import SUFFIX

    return (PurePosixPath(edit.rel).parent / f"{edit.model.text('id')}{SUFFIX}").as_posix()


def _results_file(edit: Edit) -> ResultsFile | str | None:
    """The deck's results file read for a change, None when there is none, or the message key
    saying it cannot be read (then nothing is renamed)."""
    from dialoogkit.studio.results_yaml import Unparsable as ResultsUnparsable
    from dialoogkit.studio.results_yaml import read_results_file

    try:
        path = edit.studio.workspace.resolve(_results_name(edit))
    except OutsideWorkspace:
        return None
    try:
        return read_results_file(path, _results_name(edit))
    except ResultsUnparsable:
        return "studio.rename.results_unreadable"


async def contacts_action(request: Request) -> Response:
    form = await request.form()
    edit = await open_edit(request, form)
    if isinstance(edit, Response):
        return edit
    values = {"contacts": read_contacts(form)}
    op = str(form.get("op") or "")
    focus = _list_op(op, values, ("contacts",)) if op else None
    edits.apply_contacts(edit.model, values["contacts"])
    return save_and_answer(request, edit, "pane" if op else None, focus)


async def order_action(request: Request) -> Response:
    form = await request.form()
    edit = await open_edit(request, form)
    if isinstance(edit, Response):
        return edit
    t = texts(request)
    kind, _, key = str(form.get("op") or "").partition("|")
    model = edit.model
    focus, lesson, redirect = None, None, None
    if kind in ("up", "down"):
        moved = lessonorder.move(model, key, -1 if kind == "up" else 1)
        number = next((i.number for i in model.included if i.key == key), None)
        at_end = number in (1, len(model.included))
        focus = f"{kind}-{key}" if moved and not at_end else f"{'down' if kind == 'up' else 'up'}-{key}"
    elif kind == "include":
        lessonorder.include(model, key)
        focus = f"drop-{key}"
    elif kind == "exclude":
        lessonorder.exclude(model, key)
        focus = f"take-{key}"
    elif kind == "delete":
        item = model.find(key)
        if item is not None and item.own:
            lessonorder.remove_own_lesson(model, item)
            if edit.lesson == key or (edit.lesson or "").startswith("o:"):
                lesson, redirect = "", "deleted"
        focus = "add-lesson"
    elif kind == "add":
        content = {"id_base": t("studio.newlesson.id"), "statement": t("studio.newlesson.statement"),
                   "explanation": t("studio.newlesson.explanation"),
                   "questions": [{"text": t("studio.newlesson.question", number=n)} for n in (1, 2, 3)],
                   "sources": [{"title": t("studio.newlesson.source"), "url": _source_url(model)}]}
        lesson, redirect = lessonorder.add_own_lesson(model, content), "added"
    if redirect:
        target = "/edit?" + urlencode({"deck": edit.rel, "view": "lesson", "lesson": lesson or ""})
        target += "#f-statement" if redirect == "added" else ""
        return save_and_answer(request, edit, "sidebar", focus, lesson, headers={"HX-Redirect": target})
    return save_and_answer(request, edit, "sidebar", focus)


def _source_url(model) -> str:
    """A real address to start a new lesson's source with: the deck's publication, else the
    first lesson's source."""
    source = model.value("source")
    if isinstance(source, dict) and isinstance(source.get("url"), str) and source["url"].startswith("http"):
        return source["url"]
    for item in model.lessons:
        for entry in item.data["sources"]:
            if entry["url"].startswith("http"):
                return entry["url"]
    return "https://www.valente.nl"


async def logo_action(request: Request) -> Response:
    t = texts(request)
    form = await request.form(max_files=1, max_fields=20, max_part_size=64 * 1024)
    edit = await open_edit(request, form)
    if isinstance(edit, Response):
        return edit
    edit.view = "deck"
    if str(form.get("op") or "") == "remove":
        edits.set_logo(edit.model, None)
        return save_and_answer(request, edit, "pane", "f-logo")
    upload = form.get("logo")
    if upload is None or isinstance(upload, str) or not upload.filename:
        return _logo_problem(request, edit, t("studio.logo.missing"))
    data = await upload.read(LOGO_LIMIT + 1)
    if len(data) > LOGO_LIMIT:
        return _logo_problem(request, edit, t("studio.logo.too_large"), 413)
    suffix = next((s for signature, s in LOGO_KINDS.items() if data.startswith(signature)), None)
    if suffix is None:
        return _logo_problem(request, edit, t("studio.logo.not_image"))
    problem = _store_logo(edit, data, suffix, t)
    if problem:
        return _logo_problem(request, edit, problem)
    edits.set_logo(edit.model, "logo" + suffix)
    return save_and_answer(request, edit, "pane", "f-logo")


def _store_logo(edit: Edit, data: bytes, suffix: str, t: Texts) -> str | None:
    """Write the upload beside the deck as ``logo.png``/``logo.jpg`` once it passes the logo check
    (the old file kept as ``.bak``); the check's words when it does not."""
    from dialoogkit.cards.logo import check_logo
    from dialoogkit.app.storage import StoreConflict, current_author, current_storage, stored_bytes
    from dialoogkit.errors import Problem

    folder = edit.deck_file.path.parent
    temp = folder / f".studio-logo-{secrets.token_hex(6)}{suffix}"
    try:
        temp.write_bytes(data)
        result = check_logo(temp.name, str(edit.deck_file.path), None)
        if isinstance(result, Problem):
            return result.message.replace(temp.name, "logo" + suffix) + (f" — {result.hint}" if result.hint else "")
        target = folder / ("logo" + suffix)
        try:
            current_storage().replace(target, data, read=stored_bytes(target), author=current_author())
        except StoreConflict:
            return t("studio.logo.blocked", name=target.name)
        return None
    finally:
        temp.unlink(missing_ok=True)


def _logo_problem(request: Request, edit: Edit, message: str, status: int = 422) -> Response:
    return _field_problem(request, edit, "deck", "f-logo", message, status, main="pane")


class FieldMessage:
    """A refusal shown at a field like a problem of the check."""

    warning = False

    def __init__(self, text: str):
        self.text = text


def _field_problem(request: Request, edit: Edit, view: str, field: str, message: str, status: int = 422,
                   main: str | None = None) -> Response:
    """Nothing saved: ``message`` at ``field`` (and the rest of the page as it is)."""
    state = open_state(edit.studio, request, edit.rel, edit.deck_file, edit.model, view, edit.lesson, edit.tab,
                       page=edit.page)
    status_text = texts(request)("studio.edit.not_saved")
    response = answer(request, edit.studio, state, main, field, status_text, {field: [FieldMessage(message)]})
    response.status_code = status
    return response


ROUTES = [
    Route("/action/deck", deck_action, methods=["POST"]),
    Route("/action/opening", opening_action, methods=["POST"]),
    Route("/action/lesson", lesson_action, methods=["POST"]),
    Route("/action/rename", rename_action, methods=["POST"]),
    Route("/action/contacts", contacts_action, methods=["POST"]),
    Route("/action/order", order_action, methods=["POST"]),
    Route("/action/logo", logo_action, methods=["POST"]),
]
