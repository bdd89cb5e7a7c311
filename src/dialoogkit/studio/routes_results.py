"""The "after the session" page of a deck: fill in its results file, check it, make the report.

In: ``GET /results?deck=…`` (the page: the form filled from ``<deck id>-resultaten.yaml`` beside
the deck, or the offer to make that file), ``POST /results/new`` (writes the commented template,
as ``dialoogkit results new`` does), ``POST /results/save`` (the form's fields and ``op``: the
button pressed, ``save``, ``add:…``, ``remove:…`` or ``report``, or ``autosave`` while typing;
with ``strict``) and ``GET /results/file?deck=…&file=…`` (a file of the report, or all of them as
a zip).
Out: the page (problems of the check at their fields; 422 when a report was asked for and refused;
409 when the file changed on disk, with what was typed kept). For ``autosave`` the same page with
the parts that follow from the save marked to be swapped in place (``hx-swap-oob``: the version,
the status, the problems, the report's state), so the field being typed in is never replaced; on
a conflict saving while typing stops until the Save button is pressed (which then keeps what was
typed) or the page is loaded again. The file is always saved (backup, atomic), then checked as
``dialoogkit report`` checks it; the report is made only from a file without problems and written into
``output/<deck id>/na-de-sessie/`` in the workspace exactly as ``dialoogkit report`` writes it;
its downloads are read from there (so they survive a restart). Paths come from the deck's
workspace path and its id, never from the request.
"""

from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dialoogkit.cards.paths import Gate
from dialoogkit.cards.loader import LoadedDeck, load_deck
from dialoogkit.cards.results.load import LoadedResults, load_results_text
from dialoogkit.cards.results.scaffold import SUFFIX, scaffold_results
from dialoogkit.errors import ContentError, DialoogkitError, Problem
from dialoogkit.studio.app import render, studio_of, texts
from dialoogkit.studio.deckfile import Conflict
from dialoogkit.studio.responses import problem_page
from dialoogkit.studio.results_form import (
    ResultsForm, form_from_document, form_from_post, identity_rows, operate, place_problems, write_form,
)
from dialoogkit.studio.results_report import (
    Report, file_label, find_report, letter_names, make_report, report_bytes, zip_report,
)
from dialoogkit.studio.results_yaml import ResultsFile, Unparsable, read_results_file, save_results_file
from dialoogkit.studio.workspace import OutsideWorkspace

KINDS = {".pdf": "application/pdf", ".png": "image/png", ".csv": "text/csv; charset=utf-8", ".zip": "application/zip",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
DATE_FORMATS = {"nl": "%d-%m-%Y", "en": "%Y-%m-%d"}


@dataclass
class Page:
    """The deck a results page is for, and where its results file lives."""

    rel: str
    deck_path: Path
    loaded: LoadedDeck
    results_rel: str
    results_path: Path
    gate: Gate


@dataclass
class Shown:
    """A problem as the field macros show it."""

    text: str
    warning: bool


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
    return Page(rel, deck_path, loaded, results_rel, results_path, gate)


def check_text(text: str, page: Page, strict: bool = False) -> tuple[list[Problem], list[Problem], LoadedResults | None]:
    """The problems and warnings ``dialoogkit report`` finds in the results ``text``."""
    try:
        loaded = load_results_text(text, page.results_rel, deck=page.loaded, strict=strict, at=page.results_path,
                                   gate=page.gate)
    except ContentError as exc:
        return exc.problems, [], None
    except DialoogkitError as exc:
        return [Problem(page.results_rel, None, exc.format_message(), "")], [], None
    return [], loaded.warnings, loaded


def shown_text(problem: Problem, t) -> str:
    """A problem as it stands next to its field: line, what is wrong, what to do."""
    text = problem.message + (f" — {problem.hint}" if problem.hint else "")
    return (t("studio.results.at_line", line=problem.line) + ": " + text) if problem.line else text


def page_context(request: Request, page: Page, letters: dict[str, str] | None = None, **extra: Any) -> dict[str, Any]:
    """What the results template needs besides the form; ``letters`` names the addressees of the
    report's letters (from the results, when they can be read)."""
    studio = studio_of(request)
    t = texts(request)
    deck = page.loaded.deck
    context = {
        "rel": page.rel, "deck": deck, "deck_title": deck.title, "results_rel": page.results_rel,
        "file_name": page.results_path.name, "editor_link": "/edit?" + urlencode({"deck": page.rel, "view": "deck"}),
        "print_link": "/edit?" + urlencode({"deck": page.rel, "view": "print"}),
        "file_link": lambda name, inline=False: "/results/file?" + urlencode(
            {"deck": page.rel, "file": name, **({"inline": "1"} if inline else {})}),
        "status_options": [(s, t(f"studio.results.status_{s}")) for s in ("open", "started", "done")],
        "errors": {}, "listed": [], "focus": None, "notice": None, "missing": False, "unreadable": [],
        "form": None, "version": "", "report": None, "report_fresh": False, "strict": False,
        "zip_name": f"{deck.id}-na-de-sessie.zip", "report_error": None, "oob": False, "autosave_off": False,
        "file_label": file_label,
        "report_made": "", "report_folder": "",
    }
    context.update(extra)
    report = find_report(studio.output, deck.id, letters)
    context["report"] = report
    if report is not None:
        context["report_made"] = made_text(t, report.made)
        context["report_folder"] = studio.workspace.shown(report.folder)
        context["report_fresh"] = is_fresh(request, page, report, context["version"])
    return context


def made_text(t, made: float) -> str:
    """When a report was made: the time today, else the date and the time."""
    when = time.localtime(made)
    if time.strftime("%Y-%m-%d", when) == time.strftime("%Y-%m-%d"):
        return t("studio.results.report_made", time=time.strftime("%H:%M:%S", when))
    return t("studio.results.report_made_on", date=time.strftime(DATE_FORMATS.get(t.language, "%Y-%m-%d"), when),
             time=time.strftime("%H:%M", when))


def is_fresh(request: Request, page: Page, report: Report, version: str) -> bool:
    """Whether the report was made from the results as they are now: the version this studio made
    it from, else (made before a restart, or by ``dialoogkit report``) not older than the file."""
    made_from = studio_of(request).reports.get(page.rel)
    if made_from is not None and made_from[1] == report.made:
        return not version or made_from[0] == version
    try:
        return report.made >= os.stat(page.results_path).st_mtime
    except OSError:
        return True


def form_context(request: Request, form: ResultsForm, rows: dict[str, list[int]], problems: list[Problem],
                 warnings: list[Problem]) -> dict[str, Any]:
    t = texts(request)
    studio = studio_of(request)
    placed, listed = place_problems(problems, warnings, form, rows)
    errors = {slot: [Shown(shown_text(p, t), warning) for p, warning in items] for slot, items in placed.items()}
    summary = [(dataclasses.replace(p, file=studio.workspace.shown(p.file)).format(), slot, warning)
               for p, slot, warning in listed]
    return {"form": form, "errors": errors, "listed": summary,
            "problem_count": len(problems), "warning_count": len(warnings)}


async def results_page(request: Request) -> Response:
    page = open_page(request, request.query_params.get("deck", ""))
    if isinstance(page, Response):
        return page
    t = texts(request)
    if not page.results_path.exists():
        return render(request, "results.html", **page_context(request, page, missing=True))
    try:
        results = read_results_file(page.results_path, page.results_rel)
    except Unparsable as exc:
        return _unreadable(request, page, exc)
    form = form_from_document(results.document, page.loaded.deck)
    problems, warnings, loaded = await run_in_threadpool(check_text, results.text, page)
    notice = ("ok", t("studio.results.made", file=page.results_path.name)) \
        if request.query_params.get("made") == "1" else None
    context = page_context(request, page, letters_of(loaded), version=results.version, notice=notice,
                           **form_context(request, form, identity_rows(form), problems, warnings))
    return render(request, "results.html", **context)


def letters_of(loaded: LoadedResults | None) -> dict[str, str] | None:
    return letter_names(loaded) if loaded is not None else None


def _unreadable(request: Request, page: Page, exc: Unparsable, status: int = 409) -> Response:
    lines = [p.format() for p in exc.problems]
    return render(request, "results.html", status=status, **page_context(request, page, unreadable=lines))


async def new_results(request: Request) -> Response:
    form = await request.form()
    page = open_page(request, str(form.get("deck") or ""))
    if isinstance(page, Response):
        return page
    link = "/results?" + urlencode({"deck": page.rel})
    if page.results_path.exists():
        return RedirectResponse(link, status_code=303)
    try:
        scaffold_results(page.loaded, str(page.deck_path), page.results_path)
    except DialoogkitError as exc:
        t = texts(request)
        return problem_page(request, "studio.results.not_made", exc.format_message() or t("studio.results.not_made"))
    return RedirectResponse(link + "&made=1", status_code=303)


async def save_results(request: Request) -> Response:
    posted = await request.form()
    page = open_page(request, str(posted.get("deck") or ""))
    if isinstance(page, Response):
        page.headers["HX-Refresh"] = "true"  # htmx loads the whole page again: it says why
        return page
    t = texts(request)
    deck = page.loaded.deck
    op = str(posted.get("op") or "save")
    auto = op == "autosave"
    strict = posted.get("strict") == "1"
    sent_version = str(posted.get("version") or "")
    form = form_from_post(posted, [str(v) for v in posted.getlist("partners")], deck)
    focus = operate(form, op) if op.startswith(("add:", "remove:")) else None
    if not page.results_path.exists():
        missing = page_context(request, page, missing=True)
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
                               **form_context(request, form, rows, [], []))
        return render(request, "results.html", status=409, **context)
    except DialoogkitError as exc:
        notice = ("error", t("studio.results.not_saved", reason=exc.format_message()))
        context = page_context(request, page, version=sent_version, notice=notice, oob=auto,
                               focus=None if auto else "notice", strict=strict,
                               **form_context(request, form, rows, [], []))
        return render(request, "results.html", status=500, **context)
    problems, warnings, loaded = await run_in_threadpool(check_text, results.text, page)
    notice = saved_notice(t, problems, warnings)
    status, extra = 200, {}
    if op == "report":
        status, extra = await _make_report(request, page, results, problems, strict)
        focus = "report-title"
        if extra.get("report_problems"):
            problems = extra.pop("report_problems")
            warnings = []
        loaded = extra.pop("loaded", loaded)
    context = page_context(request, page, letters_of(loaded), version=results.version, notice=notice,
                           focus=None if auto else focus, strict=strict, oob=auto,
                           **form_context(request, form, rows, problems, warnings), **extra)
    return render(request, "results.html", status=status, **context)


def saved_notice(t, problems: list[Problem], warnings: list[Problem]) -> tuple[str, str]:
    """The status line after a save: saved, and how many problems or warnings remain."""
    now = time.strftime("%H:%M:%S")
    if problems:  # saved all the same (as the editor does): the problems stand at their fields
        return "error", t("studio.results.saved_problems", time=now, count=len(problems))
    if warnings:
        return "warn", t("studio.results.saved_warnings", time=now, count=len(warnings))
    return "ok", t("studio.results.saved", time=now)


def _refresh_if(auto: bool, response: Response) -> Response:
    """A save while typing swaps in nothing but its parts: for a whole page, htmx loads it again."""
    if auto:
        response.headers["HX-Refresh"] = "true"
    return response


async def _make_report(request: Request, page: Page, results: ResultsFile, problems: list[Problem],
                       strict: bool) -> tuple[int, dict[str, Any]]:
    """Make the report of the saved file into the kit folder (see module docstring); the status
    and what the page shows."""
    t = texts(request)
    studio = studio_of(request)
    if problems:
        return 422, {"report_error": t("studio.results.report_refused")}
    found, _, loaded = check_text(results.text, page, strict)
    if loaded is None:
        return 422, {"report_error": t("studio.results.report_refused"), "report_problems": found}
    try:
        await run_in_threadpool(make_report, loaded, studio.output)
    except ContentError as exc:
        return 422, {"report_error": t("studio.results.report_refused"), "report_problems": exc.problems}
    except DialoogkitError as exc:
        return 422, {"report_error": exc.format_message()}
    report = find_report(studio.output, page.loaded.deck.id)
    if report is not None:
        studio.reports[page.rel] = (results.version, report.made)
    return 200, {"loaded": loaded}


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
    Route("/results/new", new_results, methods=["POST"]),
    Route("/results/save", save_results, methods=["POST"]),
    Route("/results/file", report_file, methods=["GET"]),
]
