"""The "after the session" page of a deck: fill in its results file, check it, make the report.

In: ``GET /results?deck=…`` (the page: the form filled from ``<deck id>-resultaten.yaml`` beside
the deck, or the offer to make that file, empty or after a previous session's results file of
this deck), ``POST /results/new`` (``after``: that previous file; writes the commented template
as ``dialoogkit results new [--after]`` does), ``POST /results/next`` (keeps the page's file under
a dated name and starts the next session after it), ``POST /results/save`` (the form's fields and
``op``: the button pressed, ``save``, ``add:…``, ``remove:…``, ``confirm:<words>`` (the words are
no name: added under ``not_names:``) or ``report``, or ``autosave`` while typing; with ``strict``)
and ``GET /results/file?deck=…&file=…`` (a file of the report, or all of them as a zip).
Out: the page (problems of the check at their fields, a suspected name with its words and the
offer to confirm it is none; 422 when a report was asked for and refused, naming the fields of
suspected names; 409 when the file changed on disk, with what was typed kept). For ``autosave``
the same page with the parts that follow from the save marked to be swapped in place
(``hx-swap-oob``: the version, the status, the problems at every field, the report's state, the
list of addressees when the points' ``to:`` changed it), so the field being typed in is never
replaced; on a conflict saving while typing stops until the Save button is pressed (which then
keeps what was typed) or the page is loaded again. Checking and the report are the
results-and-report service's (``app.reporting``), exactly as ``dialoogkit report`` checks and
writes; while its name finder loads, the page says so and asks again, and the report waits.
Every write goes through the request's storage. Paths come from the deck's workspace path and its
id (and a previous file from the workspace's list), never straight from the request.
"""

from __future__ import annotations

import dataclasses
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dialoogkit.app.reporting import (
    ResultsCheck,
    check_results_text,
    make_report,
    new_results,
    read_results,
    refuse_writing_over_sources,
    start_next_session,
)
from dialoogkit.cards.loader import load_deck
from dialoogkit.cards.results.load import LoadedResults
from dialoogkit.cards.results.scaffold import SUFFIX
from dialoogkit.errors import ContentError, DialoogkitError
from dialoogkit.studio.app import render, studio_of, texts
from dialoogkit.studio.deckfile import Conflict
from dialoogkit.studio.responses import problem_page
from dialoogkit.studio.results_blocks import confirm_word
from dialoogkit.studio.results_form import (
    ResultsForm,
    form_from_document,
    form_from_post,
    identity_rows,
    operate,
    write_form,
)
from dialoogkit.studio.results_report import (
    find_report,
    letter_names,
    report_bytes,
    zip_report,
)
from dialoogkit.studio.results_view import (
    Page,
    form_context,
    page_context,
    previous_files,
    report_refusal,
    saved_notice,
)
from dialoogkit.studio.results_yaml import (
    ResultsFile,
    Unparsable,
    read_results_file,
    save_results_file,
)
from dialoogkit.studio.workspace import OutsideWorkspace

KINDS = {".pdf": "application/pdf", ".png": "image/png", ".csv": "text/csv; charset=utf-8", ".zip": "application/zip",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def open_page(request: Request, rel: str) -> Page | Response:
    """The deck at ``rel`` and its results file, or a page saying why not."""
    studio = studio_of(request)
    t = texts(request)
    try:
        deck_path = studio.workspace.resolve(rel)
    except OutsideWorkspace as exc:
        return problem_page(request, "studio.problem.not_found", t(exc.reason), status=404)
    gate = studio.workspace.gate
    try:
        loaded = load_deck(deck_path, gate)
    except DialoogkitError as exc:
        problems = getattr(exc, "problems", None)
        lines = [dataclasses.replace(p, file=studio.workspace.shown(p.file)).format() for p in problems] \
            if problems else [exc.format_message()]
        return problem_page(request, "studio.results.deck_problems_title", t("studio.results.deck_problems"),
                            lines, 409)
    results_rel = (PurePosixPath(rel).parent / f"{loaded.deck.id}{SUFFIX}").as_posix()
    try:
        results_path = studio.workspace.resolve(results_rel, must_exist=False)
    except OutsideWorkspace as exc:
        return problem_page(request, "studio.problem.not_found", t(exc.reason), status=404)
    try:  # a deck named <id>-resultaten.yaml, or a companion by that name: never saved over
        refuse_writing_over_sources(loaded, results_path)
    except DialoogkitError:
        return problem_page(request, "studio.results.is_source_title",
                            t("studio.results.is_source", id=loaded.deck.id, file=results_rel), status=409)
    return Page(rel, deck_path, loaded, results_rel, results_path, gate)


def check_text(text: str, page: Page, strict: bool = False) -> ResultsCheck:
    """What ``dialoogkit report`` finds in the results ``text``, without waiting for the name finder."""
    return check_results_text(text, page.results_rel, deck=page.loaded, at=page.results_path, gate=page.gate,
                              strict=strict, wait_for_names=False)


def letters_of(loaded: LoadedResults | None) -> dict[str, str] | None:
    return letter_names(loaded) if loaded is not None else None


async def results_page(request: Request) -> Response:
    page = open_page(request, request.query_params.get("deck", ""))
    if isinstance(page, Response):
        return page
    t = texts(request)
    if not page.results_path.exists():
        return render(request, "results.html", **page_context(request, page, missing=True,
                                                              previous_files=previous_files(request, page)))
    try:
        results = read_results_file(page.results_path, page.results_rel)
    except Unparsable as exc:
        return _unreadable(request, page, exc)
    form = form_from_document(results.document, page.loaded.deck)
    check = check_text(results.text, page)
    notice = made_notice(t, page, request.query_params.get("made"), request.query_params.get("kept", ""))
    context = page_context(request, page, letters_of(check.loaded), version=results.version, notice=notice,
                           **form_context(request, form, identity_rows(form), check))
    return render(request, "results.html", **context)


def made_notice(t, page: Page, made: str | None, kept: str) -> tuple[str, str] | None:
    """The line after the results file was made: empty, or after the previous session (kept as…)."""
    if not made:
        return None
    text = t("studio.results.made_after" if made == "after" else "studio.results.made", file=page.results_path.name)
    if made == "after" and kept.endswith(SUFFIX.rsplit(".", 1)[-1]) and "/" not in kept:
        text += " " + t("studio.results.kept_as", file=kept)
    return "ok", text


def _unreadable(request: Request, page: Page, exc: Unparsable, status: int = 409) -> Response:
    lines = [p.format() for p in exc.problems]
    return render(request, "results.html", status=status, **page_context(request, page, unreadable=lines))


async def new_results_file(request: Request) -> Response:
    """Make the page's results file: empty, or after a previous results file of this deck."""
    form = await request.form()
    page = open_page(request, str(form.get("deck") or ""))
    if isinstance(page, Response):
        return page
    link = "/results?" + urlencode({"deck": page.rel})
    if page.results_path.exists():
        return RedirectResponse(link, status_code=303)
    t = texts(request)
    after_rel = str(form.get("after") or "")
    try:
        after = None
        if after_rel:
            if after_rel not in dict(previous_files(request, page)):
                return problem_page(request, "studio.results.not_made", t("studio.results.after_unknown"), status=404)
            after = read_results(studio_of(request).workspace.resolve(after_rel), page.gate, page.loaded)
        new_results(page.loaded, str(page.deck_path), page.results_path, after=after)
    except ContentError as exc:
        lines = [dataclasses.replace(p, file=studio_of(request).workspace.shown(p.file)).format() for p in exc.problems]
        return problem_page(request, "studio.results.not_made", t("studio.results.not_made"), lines, 409)
    except (DialoogkitError, OutsideWorkspace) as exc:
        reason = exc.format_message() if isinstance(exc, DialoogkitError) else t(exc.reason)
        return problem_page(request, "studio.results.not_made", reason or t("studio.results.not_made"), status=409)
    return RedirectResponse(link + ("&made=after" if after is not None else "&made=1"), status_code=303)


async def next_session(request: Request) -> Response:
    """Keep the page's results file under a dated name and start the next session after it."""
    form = await request.form()
    page = open_page(request, str(form.get("deck") or ""))
    if isinstance(page, Response):
        return page
    t = texts(request)
    try:
        results = read_results_file(page.results_path, page.results_rel)
    except Unparsable as exc:
        return _unreadable(request, page, exc)
    if results.version != str(form.get("version") or ""):
        return problem_page(request, "studio.results.not_made", t("studio.results.next_changed"), status=409)
    try:
        made = start_next_session(page.results_path, page.loaded, str(page.deck_path), page.gate)
    except ContentError as exc:
        lines = [dataclasses.replace(p, file=studio_of(request).workspace.shown(p.file)).format() for p in exc.problems]
        return problem_page(request, "studio.results.not_made", t("studio.results.next_refused"), lines, 409)
    except DialoogkitError as exc:
        return problem_page(request, "studio.results.not_made", exc.format_message(), status=409)
    kept = made.kept_as.name if made.kept_as is not None else ""
    return RedirectResponse("/results?" + urlencode({"deck": page.rel, "made": "after", "kept": kept}), status_code=303)


async def save_results(request: Request) -> Response:
    posted = await request.form()
    page = open_page(request, str(posted.get("deck") or ""))
    if isinstance(page, Response):
        page.headers["HX-Refresh"] = "true"  # htmx loads the whole page again: it says why
        return page
    t = texts(request)
    deck = page.loaded.deck
    op = str(posted.get("op") or "save")
    # a save while typing, or the report asked again by itself while the name finder loaded:
    # only the parts that follow from it are swapped in, never a field
    auto = op == "autosave" or (op == "report" and posted.get("waiting") == "1")
    strict = posted.get("strict") == "1"
    sent_version = str(posted.get("version") or "")
    form = form_from_post(posted, [str(v) for v in posted.getlist("partners")], deck)
    focus = operate(form, op) if op.startswith(("add:", "remove:")) else None
    confirmed = confirm_word(form, op.partition(":")[2]) if op.startswith("confirm:") else None
    if not page.results_path.exists():
        missing = page_context(request, page, missing=True, previous_files=previous_files(request, page))
        return _refresh_if(auto, render(request, "results.html", status=409, **missing))
    try:
        results = read_results_file(page.results_path, page.results_rel)
    except Unparsable as exc:
        return _refresh_if(auto, _unreadable(request, page, exc))
    rows = write_form(results.document, form, deck)
    try:
        save_results_file(results, sent_version)
    except Conflict:
        notice = ("error", t("studio.results.conflict"))
        # what was typed stays; pressing Save once more keeps it (the page now has the file's
        # version), and saving while typing stops until then, so nothing is overwritten unasked
        context = page_context(request, page, version=results.version, notice=notice, autosave_off=auto,
                               focus=None if auto else "notice", strict=strict, oob=auto,
                               **form_context(request, form, rows, None))
        return render(request, "results.html", status=409, **context)
    except DialoogkitError as exc:
        notice = ("error", t("studio.results.not_saved", reason=exc.format_message()))
        context = page_context(request, page, version=sent_version, notice=notice, oob=auto,
                               focus=None if auto else "notice", strict=strict, **form_context(request, form, rows, None))
        return render(request, "results.html", status=500, **context)
    check = check_text(results.text, page, strict and op == "report")
    notice = saved_notice(t, check)
    if confirmed:
        notice = ("ok" if notice[0] == "ok" else notice[0], t("studio.results.confirmed", words=confirmed) + " " + notice[1])
        focus = "notice"
    status, extra = 200, {}
    if op == "report":
        status, extra = await _make_report(request, page, results, check, strict, form, rows)
        focus = "report-title"
    shown = form_context(request, form, rows, check, extra.pop("report_problems", None))
    context = page_context(request, page, letters_of(check.loaded), version=results.version, notice=notice,
                           focus=None if auto else focus, strict=strict, oob=auto, **shown, **extra)
    return render(request, "results.html", status=status, **context)


def _refresh_if(auto: bool, response: Response) -> Response:
    """A save while typing swaps in nothing but its parts: for a whole page, htmx loads it again."""
    if auto:
        response.headers["HX-Refresh"] = "true"
    return response


async def _make_report(request: Request, page: Page, results: ResultsFile, check: ResultsCheck, strict: bool,
                       form: ResultsForm, rows: dict[str, list[int]]) -> tuple[int, dict[str, Any]]:
    """Make the report of the saved file into the kit folder with the service, as ``dialoogkit
    report`` does (see module docstring); the status and what the page shows."""
    t = texts(request)
    studio = studio_of(request)
    if not check.ready or check.loaded is None:
        refusal = report_refusal(t, check, page, form, rows)
        return (202 if check.names_loading else 422), {**refusal, "report_waiting": check.names_loading}
    try:
        make_report(check.loaded, studio.output, strict=strict)
    except ContentError as exc:  # found while writing: a letter longer than a page
        return 422, {"report_error": t("studio.results.report_refused"), "report_problems": exc.problems}
    except DialoogkitError as exc:
        return 422, {"report_error": exc.format_message()}
    report = find_report(studio.output, page.loaded.deck.id)
    if report is not None:
        studio.reports[page.rel] = (results.version, report.made)
    return 200, {}


async def report_file(request: Request) -> Response:
    page = open_page(request, request.query_params.get("deck", ""))
    if isinstance(page, Response):
        return Response(status_code=404)
    name = request.query_params.get("file", "")
    report = find_report(studio_of(request).output, page.loaded.deck.id)
    if report is None:
        return Response(status_code=404)
    data = zip_report(report) if name == report.zip_name else report_bytes(report, name)
    if data is None:
        return Response(status_code=404)
    kind = KINDS.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")
    disposition = "inline" if request.query_params.get("inline") == "1" and kind == "image/png" else "attachment"
    plain = "".join(ch for ch in name if ch.isascii() and ch.isprintable() and ch not in '"\\') or "download"
    return Response(data, media_type=kind, headers={
        "content-disposition": f"{disposition}; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}",
        "cache-control": "no-store"})


ROUTES = [
    Route("/results", results_page, methods=["GET"]),
    Route("/results/new", new_results_file, methods=["POST"]),
    Route("/results/next", next_session, methods=["POST"]),
    Route("/results/save", save_results, methods=["POST"]),
    Route("/results/file", report_file, methods=["GET"]),
]
