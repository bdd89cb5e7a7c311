"""The "after the session" page of a deck: fill in its results file, check it, make the report.

In: ``GET /results?deck=…`` (the page: the form filled from ``<deck id>-resultaten.yaml`` beside
the deck, or the offer to make that file), ``POST /results/new`` (writes the commented template,
as ``dialoogkit results new`` does), ``POST /results/save`` (the form's fields and the button
pressed: ``save``, ``add:…``, ``remove:…`` or ``report``; with ``strict``) and ``GET
/results/file?deck=…&file=…`` (a file of the last report made, or all of them as a zip).
Out: the page (problems of the check at their fields; 422 when a report was asked for and refused;
409 when the file changed on disk, with what was typed kept); the report's files as downloads. The file is
always saved (backup, atomic), then checked as ``dialoogkit report`` checks it; the report is
made only from a file without problems. Paths come from the deck's workspace path and its id,
never from the request.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import time
import zipfile
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
from dialoogkit.studio.results_yaml import ResultsFile, Unparsable, read_results_file, save_results_file
from dialoogkit.studio.workspace import OutsideWorkspace

KINDS = {".pdf": "application/pdf", ".png": "image/png", ".csv": "text/csv; charset=utf-8", ".zip": "application/zip",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
ZIP_DATE = (2000, 1, 1, 0, 0, 0)


@dataclass
class Page:
    """The deck a results page is for, and where its results file lives."""

    rel: str
    deck_path: Path
    loaded: LoadedDeck
    results_rel: str
    results_path: Path
    gate: Gate


@dataclass(frozen=True)
class Report:
    """The files of the last report made for a deck (kept in memory for the downloads)."""

    version: str
    files: dict[str, bytes]
    letters: dict[str, str]  # file name → addressee
    made: str
    strict: bool
    deck_id: str

    @property
    def zip_name(self) -> str:
        return f"{self.deck_id}-na-de-sessie.zip"

    @property
    def key(self) -> str:
        return hashlib.sha256(self.files.get("stippen.png", b"")).hexdigest()[:16]


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


def page_context(request: Request, page: Page, **extra: Any) -> dict[str, Any]:
    """What the results template needs besides the form."""
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
        "zip_name": f"{deck.id}-na-de-sessie.zip", "report_error": None,
    }
    report = studio.reports.get(page.rel)
    if report is not None:
        context["report"] = report
    context.update(extra)
    if context["report"] is not None and context["version"]:
        context["report_fresh"] = context["report"].version == context["version"]
    return context


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
    problems, warnings, _ = check_text(results.text, page)
    notice = ("ok", t("studio.results.made", file=page.results_path.name)) \
        if request.query_params.get("made") == "1" else None
    context = page_context(request, page, version=results.version, notice=notice,
                           **form_context(request, form, identity_rows(form), problems, warnings))
    return render(request, "results.html", **context)


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
    studio = studio_of(request)
    deck = page.loaded.deck
    op = str(posted.get("op") or "save")
    strict = posted.get("strict") == "1"
    form = form_from_post(posted, [str(v) for v in posted.getlist("partners")], deck)
    focus = operate(form, op) if op.startswith(("add:", "remove:")) else None
    if not page.results_path.exists():
        return render(request, "results.html", status=409, **page_context(request, page, missing=True))
    try:
        results = read_results_file(page.results_path, page.results_rel)
    except Unparsable as exc:
        return _unreadable(request, page, exc)
    rows = write_form(results.document, form, deck)
    status, notice = 200, None
    try:
        save_results_file(results, str(posted.get("version") or ""))
    except Conflict:
        notice = ("error", t("studio.results.conflict"))
        context = page_context(request, page, version=results.version, notice=notice, focus="notice", strict=strict,
                               **form_context(request, form, rows, [], []))
        return render(request, "results.html", status=409, **context)
    except DialoogkitError as exc:
        notice = ("error", t("studio.results.not_saved", reason=exc.format_message()))
        context = page_context(request, page, version=str(posted.get("version") or ""), notice=notice,
                               focus="notice", strict=strict, **form_context(request, form, rows, [], []))
        return render(request, "results.html", status=500, **context)
    problems, warnings, _ = check_text(results.text, page)
    now = time.strftime("%H:%M:%S")
    if problems:  # saved all the same (as the editor does): the problems stand at their fields
        notice = ("error", t("studio.results.saved_problems", time=now, count=len(problems)))
    elif warnings:
        notice = ("warn", t("studio.results.saved_warnings", time=now, count=len(warnings)))
    else:
        notice = ("ok", t("studio.results.saved", time=now))
    extra: dict[str, Any] = {}
    if op == "report":
        status, extra = await _make_report(request, page, results, problems, strict)
        focus = "report-title"
        if extra.get("report_problems"):
            problems = extra.pop("report_problems")
            warnings = []
    context = page_context(request, page, version=results.version, notice=notice, focus=focus, strict=strict,
                           **form_context(request, form, rows, problems, warnings), **extra)
    if op == "report" and status == 200:
        context["report"] = studio.reports.get(page.rel)
        context["report_fresh"] = True
    return render(request, "results.html", status=status, **context)


async def _make_report(request: Request, page: Page, results: ResultsFile, problems: list[Problem],
                       strict: bool) -> tuple[int, dict[str, Any]]:
    """Make the report of the saved file (see module docstring); the status and what the page shows."""
    from dialoogkit.output.report import render_report

    t = texts(request)
    if problems:
        return 422, {"report_error": t("studio.results.report_refused")}
    found, _, loaded = check_text(results.text, page, strict)
    if loaded is None:
        return 422, {"report_error": t("studio.results.report_refused"), "report_problems": found}
    try:
        files = await run_in_threadpool(render_report, loaded)
    except ContentError as exc:
        return 422, {"report_error": t("studio.results.report_refused"), "report_problems": exc.problems}
    except DialoogkitError as exc:
        return 422, {"report_error": exc.format_message()}
    named = {name.rsplit("/", 1)[-1]: data for name, data in files.items()}
    studio_of(request).reports[page.rel] = Report(results.version, named, letter_names(loaded),
                                                  time.strftime("%H:%M:%S"), strict, page.loaded.deck.id)
    return 200, {}


def letter_names(loaded: LoadedResults) -> dict[str, str]:
    """The letters' file names with their addressees, named as ``render_report`` names them."""
    from dialoogkit.generator.report.letter import letter_slug

    taken: set[str] = set()
    return {f"brief-{letter_slug(to, taken)}.pdf": to for to in loaded.results.addressees()}


async def report_file(request: Request) -> Response:
    studio = studio_of(request)
    rel = request.query_params.get("deck", "")
    name = request.query_params.get("file", "")
    report = studio.reports.get(rel)
    if report is None:
        return Response(status_code=404)
    if name == report.zip_name:
        data = zip_report(report)
    elif name in report.files:
        data = report.files[name]
    else:
        return Response(status_code=404)
    kind = KINDS.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")
    disposition = "inline" if request.query_params.get("inline") == "1" and kind == "image/png" else "attachment"
    plain = "".join(ch for ch in name if ch.isascii() and ch.isprintable() and ch not in '"\\') or "download"
    return Response(data, media_type=kind, headers={
        "content-disposition": f"{disposition}; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}",
        "cache-control": "no-store"})


def zip_report(report: Report) -> bytes:
    """All files of a report in one zip, in the folder ``na-de-sessie/`` (same bytes every time)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in report.files.items():
            info = zipfile.ZipInfo(f"na-de-sessie/{name}", ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


ROUTES = [
    Route("/results", results_page, methods=["GET"]),
    Route("/results/new", new_results, methods=["POST"]),
    Route("/results/save", save_results, methods=["POST"]),
    Route("/results/file", report_file, methods=["GET"]),
]
