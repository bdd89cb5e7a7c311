"""What the "after the session" page shows besides the form's values: the problems at their
fields (a suspected name with what may be confirmed as no name), the status line, the report's
state and the previous results files a new session can start after.

In: the request, the ``Page`` (the deck and where its results file lives), the form and the
``app.reporting.ResultsCheck`` of the saved file.
Out: ``page_context`` (what ``results.html`` needs), ``form_context`` (problems at their fields
and in a list), ``saved_notice`` (the status line after a save), ``report_refusal`` (why no
report was made, naming the fields), ``previous_files`` (results files of this deck in the
workspace, newest session first).
"""

from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request

from dialoogkit.app.reporting import ResultsCheck
from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.cards.paths import Gate
from dialoogkit.errors import Problem
from dialoogkit.studio.app import studio_of, texts
from dialoogkit.studio.results_blocks import field_label
from dialoogkit.studio.results_form import (
    STATUSES,
    ResultsForm,
    place_problems,
    slot_of,
)
from dialoogkit.studio.results_report import Report, file_label, find_report

DATE_FORMATS = {"nl": "%d-%m-%Y", "en": "%Y-%m-%d"}
MAX_PREVIOUS = 30


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
    """A problem as the field macros show it; ``offers``: words a person may confirm are no name."""

    text: str
    warning: bool
    offers: tuple[str, ...] = ()


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
        "status_options": [(s, t(f"studio.results.status_{s}")) for s in STATUSES],
        "errors": {}, "listed": [], "focus": None, "notice": None, "missing": False, "unreadable": [],
        "form": None, "version": "", "report": None, "report_fresh": False, "strict": False,
        "zip_name": f"{deck.id}-na-de-sessie.zip", "report_error": None, "oob": False, "autosave_off": False,
        "file_label": file_label, "report_made": "", "report_folder": "", "names_loading": False,
        "previous_files": [], "report_fields": [], "report_waiting": False, "lesson_numbers": {lesson.id: n for n, lesson in enumerate(deck.lessons, 1)},
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


def form_context(request: Request, form: ResultsForm, rows: dict[str, list[int]], check: ResultsCheck | None,
                 problems: list[Problem] | None = None) -> dict[str, Any]:
    """The problems of ``check`` (or ``problems``) at their fields and in the list at the top."""
    t = texts(request)
    studio = studio_of(request)
    problems = list(check.problems) if problems is None and check is not None else list(problems or [])
    warnings = list(check.warnings) if check is not None else []
    offers = {s.problem: s.offers for s in check.suspects} if check is not None else {}
    placed, listed = place_problems(problems, warnings, form, rows)
    errors = {slot: [Shown(shown_text(p, t), warning, () if warning else offers.get(p, ())) for p, warning in items]
              for slot, items in placed.items()}
    summary = [(dataclasses.replace(p, file=studio.workspace.shown(p.file)).format(), slot, warning)
               for p, slot, warning in listed]
    return {"form": form, "errors": errors, "listed": summary, "problem_count": len(problems),
            "warning_count": len(warnings), "names_loading": bool(check and check.names_loading)}


def saved_notice(t, check: ResultsCheck) -> tuple[str, str]:
    """The status line after a save: saved, and how many problems or warnings remain."""
    now = time.strftime("%H:%M:%S")
    if check.problems:  # saved all the same (as the editor does): the problems stand at their fields
        return "error", t("studio.results.saved_problems", time=now, count=len(check.problems))
    if check.names_loading:
        return "warn", t("studio.results.saved_names_loading", time=now)
    if check.warnings:
        return "warn", t("studio.results.saved_warnings", time=now, count=len(check.warnings))
    return "ok", t("studio.results.saved", time=now)


def report_refusal(t, check: ResultsCheck, page: Page, form: ResultsForm,
                   rows: dict[str, list[int]]) -> dict[str, Any]:
    """Why the report was not made: the name finder still loading, a suspected name (naming the
    fields, each a link to its field), or the problems at the top of the page."""
    if check.names_loading:
        return {"report_error": t("studio.results.names_loading")}
    if check.suspects:
        fields = {field_label(s.problem, page.loaded.deck, t): slot_of(s.problem, form, rows) for s in check.suspects}
        return {"report_error": t("studio.results.report_refused_names", fields="; ".join(fields)),
                "report_fields": [(label, slot) for label, slot in fields.items() if slot]}
    return {"report_error": t("studio.results.report_refused")}


def previous_files(request: Request, page: Page) -> list[tuple[str, str]]:
    """The results files of this deck in the workspace (not the page's own), as (path relative to
    the workspace, what the list shows), the newest session first."""
    from dialoogkit.cards.yamlsource import read_yaml

    studio = studio_of(request)
    found: list[tuple[str, str, str]] = []
    for path in studio.workspace.deck_files():
        if os.path.realpath(path) == os.path.realpath(page.results_path) or path.name.endswith(".bak"):
            continue
        try:
            data, _ = read_yaml(path)
            named = data.get("deck") if isinstance(data, dict) and not ({"extends", "id"} & set(data)) else None
            if not isinstance(named, str) or \
                    os.path.realpath(page.gate.open_deck_name(named.strip(), path)) != os.path.realpath(page.deck_path):
                continue
        except Exception:  # not readable, or not a results file of this deck: not offered
            continue
        session = data.get("session") if isinstance(data.get("session"), dict) else {}
        date = str(session.get("date") or "")
        rel = studio.workspace.relative(path)
        found.append((date, rel, f"{rel} ({date})" if date else rel))
        if len(found) >= MAX_PREVIOUS:
            break
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [(rel, label) for _, rel, label in found]
