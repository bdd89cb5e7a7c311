"""Everything one editor page (or one of its parts) shows, gathered from the deck file.

In: the studio, the request (language and print choices), the deck's workspace path, the view
(``deck``, ``lesson``, ``contacts`` or ``print``), the lesson key and the preview tab.
Out: ``EditorState`` (the file, the editor's model of it, the check of it for the preview's format
and profile, the print choices) and ``context``: the template context with the problems placed at
their fields (``errors``: field id → texts), in their lesson (``counts`` for the lesson list) and in
the list of all, and the preview's images and their descriptions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request

from dialoogkit.studio.app import Studio
from dialoogkit.studio.checking import (
    DECK_SLOTS, Inspection, ProblemView, contact_slots, lesson_slots, slot_for, view_problems,
)
from dialoogkit.studio.deckfile import DeckFile, read_deck_file
from dialoogkit.studio.editmodel import DeckModel, LessonItem, build_model
from dialoogkit.studio.printing import PRINT_COOKIE, PrintChoices, from_cookie

VIEWS = ("deck", "lesson", "contacts", "print")
TABS = ("card", "canvas", "guide")
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


@dataclass
class EditorState:
    """One deck as the editor sees it now."""

    rel: str
    path: Path
    deck_file: DeckFile
    model: DeckModel
    inspection: Inspection
    choices: PrintChoices
    view: str = "lesson"
    item: LessonItem | None = None
    tab: str = "card"
    problems: list[ProblemView] = field(default_factory=list)
    warnings: list[ProblemView] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The version of what the previews show (deck, format, profile, files it depends on)."""
        facts = f"{self.deck_file.version}|{self.choices.format_name}|{self.choices.profile}|{self.inspection.depends}"
        return hashlib.sha256(facts.encode()).hexdigest()[:20]


def open_state(studio: Studio, request: Request, rel: str, deck_file: DeckFile | None = None,
               model: DeckModel | None = None, view: str | None = None, lesson: str | None = None,
               tab: str | None = None, choices: PrintChoices | None = None, full: bool = True) -> EditorState:
    """Read the deck (unless given) and check it for the preview's format and profile (the
    remembered print choices unless given)."""
    path = studio.workspace.resolve(rel)
    deck_file = deck_file or read_deck_file(path)
    model = model or build_model(deck_file, studio.workspace)
    choices = choices or from_cookie(request.cookies.get(PRINT_COOKIE))
    language = request.cookies.get("studio_lang") or "nl"
    inspection = studio.inspector.inspect(path, deck_file.version, model.gate, choices.format_name,
                                          choices.profile, choices.start, language, full)
    state = EditorState(rel, path, deck_file, model, inspection, choices)
    state.view = view if view in VIEWS else "lesson"
    state.item = model.find(lesson) if lesson else None
    if state.view == "lesson" and state.item is None:
        state.item = model.included[0] if model.included else (model.lessons[0] if model.lessons else None)
        if state.item is None:
            state.view = "deck"
    state.tab = tab if tab in TABS else "card"
    state.problems = view_problems(inspection.problems, model, studio.workspace.shown)
    state.warnings = view_problems(inspection.warnings, model, studio.workspace.shown, warning=True)
    return state


def editor_url(state: EditorState, view: str | None = None, lesson: str | None = None, anchor: str = "") -> str:
    query = {"deck": state.rel, "view": view or state.view}
    if lesson:
        query["lesson"] = lesson
    return "/edit?" + urlencode(query) + (f"#{anchor}" if anchor else "")


def _errors(state: EditorState, views: list[ProblemView]) -> tuple[dict[str, list[ProblemView]], list[ProblemView]]:
    """Problems of the current view at their fields, and the view's problems without a field."""
    if state.view == "lesson" and state.item is not None:
        slots = lesson_slots(state.item.data)
        mine = [p for p in views if p.area == "lesson" and p.lesson_key == state.item.key]
    elif state.view == "contacts":
        slots = contact_slots(state.model.contacts)
        mine = [p for p in views if p.area == "contacts"]
    elif state.view == "deck":
        slots = set(DECK_SLOTS)
        mine = [p for p in views if p.area == "deck"]
    else:
        return {}, []
    placed: dict[str, list[ProblemView]] = {}
    loose = []
    for problem in mine:
        slot = slot_for(problem.field_id, slots)
        if slot:
            placed.setdefault(slot, []).append(problem)
        else:
            loose.append(problem)
    return placed, loose


def _link(state: EditorState, problem: ProblemView) -> str | None:
    if problem.area == "other":
        return None
    anchor = problem.field_id or ""
    if problem.area == "lesson":
        item = state.model.find(problem.lesson_key)
        slots = lesson_slots(item.data) if item else set()
        return editor_url(state, "lesson", problem.lesson_key, slot_for(anchor, slots) or "")
    slots = contact_slots(state.model.contacts) if problem.area == "contacts" else DECK_SLOTS
    return editor_url(state, problem.area, None, slot_for(anchor, slots) or "")


def card_index(state: EditorState) -> tuple[int | None, str | None]:
    """The card the preview shows: the lesson's, the contacts card, or the first; with its key."""
    model = state.model
    if state.view == "contacts":
        return (len(model.included) if model.contacts else None), "contacts"
    item = state.item if state.item is not None and state.item.included else None
    if item is None and state.view != "lesson" and model.included:
        item = model.included[0]
    return (item.number - 1, item.key) if item and item.number else (None, None)


def preview_context(studio: Studio, state: EditorState) -> dict[str, Any]:
    """The preview's images (URLs, descriptions, whether they are out of date)."""
    index, card_key = card_index(state)
    choices = state.choices
    remember = (str(state.path), card_key, choices.format_name, choices.profile)
    plan = state.inspection.plan
    fresh = plan is not None and index is not None and index < len(plan.faces)
    stale = not fresh and index is not None and studio.previews.last_card(remember, "front") is not None
    version = studio.previews.card_key(plan, index, state.inspection.loaded.logo_path) if fresh else state.key
    query = {"deck": state.rel, "card": index if index is not None else "", "lesson": card_key or "",
             "v": version}
    urls = {side: "/preview/card.png?" + urlencode({**query, "side": side}) for side in ("front", "back")}
    total = len(state.model.included) + (1 if state.model.contacts else 0)
    width, height = _card_size(choices.format_name)
    return {"width": width, "height": height, "index": index, "card_key": card_key, "fresh": fresh, "stale": stale, "urls": urls, "total": total,
            "canvas_count": len(state.model.included) + 3 if state.inspection.loaded else 0}


def _card_size(name: str) -> tuple[int, int]:
    """The width and height an image of a card is given before it loads (its shape)."""
    from dialoogkit.errors import DialoogkitError
    from dialoogkit.layouts.formats import parse_card_format

    try:
        fmt = parse_card_format(name)
    except DialoogkitError:
        return 260, 367
    return 260, round(260 * fmt.height_mm / fmt.width_mm)


def context(studio: Studio, state: EditorState, **extra: Any) -> dict[str, Any]:
    """The template context of the editor page and its parts (see module docstring)."""
    placed, loose = _errors(state, state.problems + state.warnings)
    counts: dict[str, int] = {}
    for problem in state.problems:
        if problem.lesson_key:
            counts[problem.lesson_key] = counts.get(problem.lesson_key, 0) + 1
    model = state.model
    summary = [(p, _link(state, p)) for p in state.problems]
    todo = [(p, _link(state, p)) for p in state.warnings]
    return {
        "state": state, "model": model, "item": state.item, "view": state.view, "rel": state.rel,
        "version": state.deck_file.version, "errors": placed, "loose": loose, "counts": counts,
        "summary": summary, "todo": todo, "choices": state.choices, "preview": preview_context(studio, state),
        "themes": model.choices("themes"),
        "theme_options": [(key, label) for key, label, _ in model.choices("themes")],
        "pillar_options": [(key, label) for key, label, _ in model.choices("pillars")],
        "audience_options": [(key, label) for key, label, _ in model.choices("audiences")], "languages": LANGUAGE_NAMES, "editor_url": editor_url,
        "colour": safe_colour, "deck_title": model.text("title") or state.rel, "focus": None,
        "values": state.item.data if state.item else None, "contacts": model.contacts,
        "save_status": None, "sheet": None, "print_errors": {}, "build": None, "files": [], "kit_folder": "",
        "zip_file": "", "main": None, **extra,
    }


def safe_colour(value: Any) -> str:
    """A theme colour for an SVG swatch: ``#RRGGBB`` or grey."""
    text = str(value or "")
    return text if len(text) == 7 and text[0] == "#" and all(c in "0123456789abcdefABCDEF" for c in text[1:]) \
        else "#767676"
