"""Check a deck as ``dialoogkit check --format F --profile P --start T`` does (the one check of
``app.checking``), and place each problem at the field of the editor it belongs to.

In: the deck file's path (inside the workspace), the gate its paths go through, the preview's
card format and profile, the session start time, the language.
Out: ``Inspection`` (the loaded deck and its card plan when they could be made, every problem of
loading, card fitting, canvases and the guide, and the placeholder warnings), kept in a small
cache that a changed deck, parent or logo file invalidates; ``ProblemView``: a problem with the
text ``dialoogkit check`` prints, the lesson it belongs to and the id of the form field.
"""

from __future__ import annotations

import dataclasses
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from dialoogkit.cards.paths import Gate
from dialoogkit.app.checking import CheckReport, check_deck
from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.errors import DialoogkitError, Problem
from dialoogkit.generator.plan import DeckPlan
from dialoogkit.studio.editmodel import DeckModel

CACHED = 48  # decks × choices: a team editing twenty decks at once keeps each check
_LESSON_ID = re.compile(r"^'(.+?)'")
_LESSON_NUMBER = re.compile(r"(\d+)\s*$")
_INDEX = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class Inspection:
    """The check of a deck (``app.checking.CheckReport``) and the state of the files it read."""

    report: CheckReport
    depends: tuple[tuple[str, int, int], ...] = ()

    @property
    def loaded(self) -> LoadedDeck | None:
        return self.report.loaded

    @property
    def plan(self) -> DeckPlan | None:
        return self.report.plan  # type: ignore[return-value]

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.report.problems

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return self.report.warnings

    @property
    def full(self) -> bool:
        return self.report.full

    @property
    def ready(self) -> bool:
        return self.report.ready


@dataclass(frozen=True)
class ProblemView:
    """A problem as the editor shows it: at a field, in a lesson, and in the list of all."""

    text: str  # "what — how to fix", shown at the field
    full: str  # the whole line of ``dialoogkit check``: file:line: lesson, field: what — fix
    lesson_key: str | None
    field_id: str | None
    area: str  # "deck", "contacts", "lesson" or "other": the editor view that shows it
    warning: bool = False


class Inspector:
    """Checks decks, remembering the last few results (thread-safe)."""

    def __init__(self) -> None:
        self._cache: OrderedDict[tuple, Inspection] = OrderedDict()
        self._lock = threading.Lock()

    def inspect(self, path: Path, version: str, gate: Gate, card_format: str, profile: str, start: str,
                language: str, full: bool = True) -> Inspection:
        """The check of a deck; ``full=False`` checks loading and cards only (what a preview
        needs), and a full check found earlier serves it too."""
        key = (str(path), version, gate, card_format, profile, start, language)
        with self._lock:
            for level in ((True,) if full else (True, False)):
                found = self._cache.get(key + (level,))
                if found is not None and files_unchanged(found.depends):
                    self._cache.move_to_end(key + (level,))
                    return found
        inspection = inspect_deck(path, gate, card_format, profile, start, full)
        with self._lock:
            self._cache[key + (full,)] = inspection
            while len(self._cache) > CACHED:
                self._cache.popitem(last=False)
        return inspection


def inspect_deck(path: Path, gate: Gate, card_format: str, profile: str, start: str,
                 full: bool = True) -> Inspection:
    """The check ``dialoogkit check`` makes (``app.checking.check_deck``), with a problem that
    is not the deck's content (a wrong option) as one more problem, never an exception."""
    try:
        report = check_deck(path, gate, card_format, profile, start, full)
    except DialoogkitError as exc:
        report = CheckReport(None, None, (Problem(str(path), None, exc.format_message()),), (), (path,), full)
    return Inspection(report, file_stats(list(report.files) or [path]))


def file_stats(files: list[Path]) -> tuple[tuple[str, int, int], ...]:
    result = []
    for path in files:
        try:
            info = os.stat(path)
            result.append((str(path), info.st_mtime_ns, info.st_size))
        except OSError:
            result.append((str(path), -1, -1))
    return tuple(result)


def files_unchanged(depends: tuple[tuple[str, int, int], ...]) -> bool:
    return file_stats([Path(name) for name, _, _ in depends]) == depends


# --- problems at fields ----------------------------------------------------------------------

def field_id(field: str | None) -> str | None:
    """``questions[2].text`` → ``f-questions-2-text``: the id of the form field."""
    if not field:
        return None
    return "f-" + _INDEX.sub(lambda m: "." + m.group(1), field).replace(".", "-").strip("-")


def view_problems(problems: tuple[Problem, ...], model: DeckModel | None, shown: Callable[[str], str],
                  warning: bool = False) -> list[ProblemView]:
    """Each problem with its lesson and field (see ``ProblemView``); file names as ``shown`` gives
    them (relative to the workspace)."""
    views = []
    for problem in problems:
        full = dataclasses.replace(problem, file=shown(problem.file)).format()
        text = problem.message + (f" — {problem.hint}" if problem.hint else "")
        key, fid = _place(problem, model)
        area = "other"
        if key is not None:
            area = "lesson"
        elif fid is not None and fid.startswith("f-contacts"):
            area = "contacts"
        elif fid in ("f-title", "f-subtitle", "f-region", "f-language", "f-logo"):
            area = "deck"
        else:
            fid = None
        views.append(ProblemView(text, full, key, fid, area, warning))
    return views


def _place(problem: Problem, model: DeckModel | None) -> tuple[str | None, str | None]:
    fid = field_id(problem.field)
    if not problem.lesson or model is None:
        return None, fid
    match = _LESSON_ID.match(problem.lesson)
    item = model.find_id(match.group(1)) if match else None
    if item is None:
        number = _LESSON_NUMBER.search(problem.lesson)
        included = model.included
        if number and not match and 1 <= int(number.group(1)) <= len(included):
            item = included[int(number.group(1)) - 1]
    return (item.key if item else None), fid


def slot_for(fid: str | None, slots: set[str]) -> str | None:
    """The field (or group of fields) of ``slots`` that shows a problem with id ``fid``."""
    if fid is None:
        return None
    for suffix in ("", "-text", "-title", "-name"):
        if fid + suffix in slots:
            return fid + suffix
    parts = fid.split("-")
    while len(parts) > 2:
        parts.pop()
        candidate = "-".join(parts)
        if candidate in slots:
            return candidate
    return None


def lesson_slots(data: dict) -> set[str]:
    """The ids of the fields (and groups) of a lesson form for this lesson's data."""
    slots = {"f-theme", "f-pillar", "f-statement", "f-explanation", "f-actions", "f-actions-self",
             "f-actions-higher", "f-questions", "f-tips", "f-sources"}
    for n, _ in enumerate(data["questions"], 1):
        slots |= {f"f-questions-{n}", f"f-questions-{n}-text", f"f-questions-{n}-audience"}
    for n, _ in enumerate(data["tips"], 1):
        slots.add(f"f-tips-{n}")
    for n, _ in enumerate(data["sources"], 1):
        slots |= {f"f-sources-{n}", f"f-sources-{n}-title", f"f-sources-{n}-url"}
    return slots


def contact_slots(contacts: list) -> set[str]:
    slots = {"f-contacts"}
    for n, _ in enumerate(contacts, 1):
        slots |= {f"f-contacts-{n}"} | {f"f-contacts-{n}-{key}" for key in ("name", "role", "phone", "email", "url")}
    return slots


DECK_SLOTS = {"f-title", "f-subtitle", "f-region", "f-language", "f-logo"}
