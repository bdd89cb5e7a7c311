"""Everything one editor page (or one of its parts) shows, gathered from the deck file.

In: the studio, the request (language and print choices), the deck's workspace path, the view
(``deck``, ``opening``, ``lesson``, ``contacts`` or ``print``), the lesson key, the preview tab and
page.
Out: ``EditorState`` (the file, the editor's model of it, the check of it for the preview's format
and profile, the print choices, the preview's tab: the one place the tab is kept) and
``context``: the template context with the problems placed where they are (``errors``: field id →
texts; a problem at a line of the deck file belongs to the lesson written there), in their lesson
(``counts`` for the lesson list) and in the list of all, and the preview: the card of the view
(the opening card and the contacts card unnumbered, a lesson's card "k of N" with N the lessons),
or the canvas or guide page of the other tabs.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request

from dialoogkit.errors import Problem
from dialoogkit.studio.app import Studio
from dialoogkit.studio.checking import (
    DECK_SLOTS,
    Inspection,
    ProblemView,
    contact_slots,
    field_id,
    lesson_slots,
    slot_for,
    view_problems,
)
from dialoogkit.studio.deckfile import DeckFile, read_deck_file
from dialoogkit.studio.editmodel import (
    OPENING,
    DeckModel,
    LessonItem,
    build_model,
    plain,
    resolve_ref,
)
from dialoogkit.studio.printing import PRINT_COOKIE, PrintChoices, from_cookie

VIEWS = ("deck", OPENING, "lesson", "contacts", "print")
TABS = ("card", "canvas", "guide")
SHEET_PARTS = {"canvas": "canvases", "guide": "guide"}
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
    page: int | None = None  # the canvas or guide page shown; None: the one of the view
    problems: list[ProblemView] = field(default_factory=list)
    warnings: list[ProblemView] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The version of what the previews show (deck, format, profile, files it depends on)."""
        facts = f"{self.deck_file.version}|{self.choices.format_name}|{self.choices.profile}|{self.inspection.depends}"
        return hashlib.sha256(facts.encode()).hexdigest()[:20]


def open_state(studio: Studio, request: Request, rel: str, deck_file: DeckFile | None = None,
               model: DeckModel | None = None, view: str | None = None, lesson: str | None = None,
               tab: str | None = None, choices: PrintChoices | None = None, full: bool = True,
               page: str | int | None = None) -> EditorState:
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
    state.tab = tab if tab in TABS else TABS[0]
    state.page = int(page) if isinstance(page, int) or (isinstance(page, str) and page.isdigit()) else None
    state.problems = place_problems(inspection.problems, model, path, studio.workspace.shown)
    state.warnings = place_problems(inspection.warnings, model, path, studio.workspace.shown, warning=True)
    return state


def editor_url(state: EditorState, view: str | None = None, lesson: str | None = None, anchor: str = "") -> str:
    """The editor page of a view (and lesson), showing the preview tab the page shows now."""
    query = {"deck": state.rel, "view": view or state.view}
    if lesson:
        query["lesson"] = lesson
    if state.tab != TABS[0]:
        query["tab"] = state.tab
    return "/edit?" + urlencode(query) + (f"#{anchor}" if anchor else "")


def opening_slots(opening: dict | None) -> set[str]:
    """The ids of the fields (and groups) of the opening card's form."""
    slots = {"f-opening", "f-opening-title", "f-opening-statement", "f-opening-text", "f-opening-questions",
             "f-opening-source", "f-opening-source-title", "f-opening-source-url"}
    for n, _ in enumerate((opening or {}).get("questions", []), 1):
        slots.add(f"f-opening-questions-{n}")
    return slots


def view_slots(state: EditorState) -> set[str]:
    """The ids of the problem boxes the current view shows."""
    if state.view == "lesson" and state.item is not None:
        return lesson_slots(state.item.data) | ({"f-id"} if state.item.own else set())
    if state.view == "contacts":
        return contact_slots(state.model.contacts)
    if state.view == "deck":
        return set(DECK_SLOTS)
    if state.view == OPENING:
        return opening_slots(state.model.opening)
    return set()


def place_problems(problems: tuple[Problem, ...], model: DeckModel, path: Path, shown: Any,
                   warning: bool = False) -> list[ProblemView]:
    """Each problem at the part of the editor it is about: a problem found at a line of this deck
    file belongs to the lesson (or the opening card) written there, so of two lessons with the
    same id the second is flagged; the opening card's problems go to its own view."""
    views = view_problems(problems, model, shown, warning)
    placed = []
    for problem, view in zip(problems, views):
        part = part_at_line(model, problem.line) if problem.line and _same_file(problem.file, path) else None
        if part == OPENING or (part is None and (problem.field or "").split(".")[0] == OPENING
                               and not problem.lesson):
            view = dataclasses.replace(view, lesson_key=None, area=OPENING, field_id=field_id(problem.field))
        elif part is not None and model.find(part) is not None:
            view = dataclasses.replace(view, lesson_key=part, area="lesson", field_id=field_id(problem.field))
        placed.append(view)
    return placed


def part_at_line(model: DeckModel, line: int) -> str | None:
    """What line ``line`` (counting from 1) of the deck file belongs to: a lesson's key (an own
    lesson, or the ``override`` entry of a parent lesson), ``OPENING``, or None."""
    found = None
    for start, part in _parts(model):
        if start > line - 1:
            break
        found = part
    return found


def _parts(model: DeckModel) -> list[tuple[int, str | None]]:
    """Where each part of the file as saved starts (line counting from 0) and what it is, in file
    order. The lines are those of the file's text (read again: the document in memory may hold
    changes whose lines are not known yet)."""
    from dialoogkit.studio.deckfile import make_yaml

    text = model.deck_file.text
    if model.line_parts is not None and model.line_parts[0] == text:
        return model.line_parts[1]
    try:
        document = make_yaml(model.deck_file.indent).load(text)
    except Exception:  # noqa: BLE001 - a text that cannot be read has no parts to point at
        document = None
    anchors: list[tuple[int, str | None]] = []
    if isinstance(document, dict) and hasattr(document, "lc"):
        parents = [item.parent_data for item in sorted(model.lessons, key=lambda i: i.index) if not item.own]
        for key in document:
            anchors.append((document.lc.key(key)[0], OPENING if key == "opening" else None))
            value = document[key]
            if key == "lessons" and isinstance(value, list) and hasattr(value, "lc"):
                anchors += [(value.lc.item(index)[0], f"o:{index}") for index in range(len(value))]
            elif key == "override" and isinstance(value, dict) and hasattr(value, "lc") and model.extends is not None:
                anchors += [(value.lc.key(ref)[0], resolve_ref(plain(ref), parents, [])) for ref in value]
    anchors.sort(key=lambda anchor: anchor[0])
    model.line_parts = (text, anchors)
    return anchors


def _same_file(file: str | None, path: Path) -> bool:
    try:
        return file is not None and Path(file).resolve() == path.resolve()
    except OSError:
        return False


def _errors(state: EditorState, views: list[ProblemView]) -> tuple[dict[str, list[ProblemView]], list[ProblemView]]:
    """Problems of the current view at their fields, and the view's problems without a field."""
    slots = view_slots(state)
    if state.view == "lesson" and state.item is not None:
        mine = [p for p in views if p.area == "lesson" and p.lesson_key == state.item.key]
    elif state.view in ("contacts", "deck", OPENING):
        mine = [p for p in views if p.area == state.view]
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
        slots = (lesson_slots(item.data) | ({"f-id"} if item.own else set())) if item else set()
        return editor_url(state, "lesson", problem.lesson_key, slot_for(anchor, slots) or "")
    slots = {"contacts": contact_slots(state.model.contacts), OPENING: opening_slots(state.model.opening)}.get(
        problem.area, DECK_SLOTS)
    return editor_url(state, problem.area, None, slot_for(anchor, slots) or "")


@dataclass(frozen=True)
class PreviewCard:
    """The card the preview shows: which (``opening``, ``lesson`` or ``contacts``), where the plan
    has its faces (``ref``: ``opening`` or the index into the plan's faces), the key its last
    image is remembered by, and its number among the lessons (the opening and contacts cards
    have none)."""

    kind: str
    ref: str
    key: str
    number: int | None = None


def preview_card(state: EditorState) -> PreviewCard | None:
    """The card of the current view: the opening card, a lesson's card, the contacts card, or
    the first lesson's card; None when the view has no card."""
    model = state.model
    if state.view == OPENING:
        return PreviewCard(OPENING, OPENING, OPENING) if model.opening else None
    if state.view == "contacts":
        return PreviewCard("contacts", str(len(model.included)), "contacts") if model.contacts else None
    item = state.item if state.item is not None and state.item.included else None
    if item is None and state.view != "lesson" and model.included:
        item = model.included[0]
    if item is None or not item.number:
        return None
    return PreviewCard("lesson", str(item.number - 1), item.key, item.number)


def planned_faces(plan: Any, ref: str) -> tuple | None:
    """The front and back a plan has for a card ``ref`` (``opening`` or an index), or None."""
    if plan is None:
        return None
    if ref == OPENING:
        return plan.opening
    return plan.faces[int(ref)] if ref.isdigit() and int(ref) < len(plan.faces) else None


def preview_context(studio: Studio, state: EditorState) -> dict[str, Any]:
    """The preview's images (URLs, descriptions, whether they are out of date)."""
    card = preview_card(state)
    choices = state.choices
    remember = (str(state.path), card.key if card else None, choices.format_name, choices.profile)
    plan = state.inspection.plan
    faces = planned_faces(plan, card.ref) if card else None
    fresh = faces is not None
    stale = not fresh and card is not None and studio.previews.last_card(remember, "front") is not None
    version = studio.previews.faces_key(plan, faces, state.inspection.loaded.logo_path) if fresh else state.key
    if fresh:  # the browser asks for the front image next: start drawing it now, beside this answer
        studio.work.start(studio.previews.card, plan, faces, "front", state.inspection.loaded.logo_path, remember)
    query = {"deck": state.rel, "card": card.ref if card else "", "lesson": card.key if card else "", "v": version}
    urls = {side: "/preview/card.png?" + urlencode({**query, "side": side}) for side in ("front", "back")}
    width, height = _card_size(choices.format_name)
    return {"width": width, "height": height, "card": card, "fresh": fresh, "stale": stale, "urls": urls,
            "total": len(state.model.included), "sheet": sheet_context(studio, state)}


def sheet_context(studio: Studio, state: EditorState) -> dict[str, Any] | None:
    """The canvas or guide page the preview's other tabs show (None on the card tab, or when the
    deck cannot be drawn): its image, which one it is, and the pages before and after it."""
    from dialoogkit.studio.preview import page_count

    if state.tab == "card" or not (state.inspection.full and state.inspection.ready):
        return None
    part = SHEET_PARTS[state.tab]
    key, make = sheet_document(studio, state, part)
    count = page_count(studio.previews.document(key, make))
    page = state.page
    if page is None:
        page = state.item.number - 1 if part == "canvases" and state.item and state.item.number else 0
    page = max(0, min(page, count - 1))
    lessons = len(state.model.included)
    url = "/preview/sheet.png?" + urlencode({"deck": state.rel, "part": part, "page": page, "v": key})
    return {"url": url, "part": part, "page": page, "count": count, "lessons": lessons,
            "extra": page - lessons if part == "canvases" and page >= lessons else None,
            "previous": page - 1 if page > 0 else None, "next": page + 1 if page + 1 < count else None}


def sheet_document(studio: Studio, state: EditorState, part: str) -> tuple[str, Callable[[], bytes]]:
    """The cache key of a deck's canvases or guide, and the function that draws it."""
    from dialoogkit.studio.preview import document_key, render_part
    from dialoogkit.studio.printing import to_options

    options = to_options(state.choices, Path("output"), state.model.gate)
    loaded = state.inspection.loaded
    return document_key(state.key, part, options), (lambda: render_part(loaded, options, part))


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
        part = problem.lesson_key or (OPENING if problem.area == OPENING else None)
        if part:
            counts[part] = counts.get(part, 0) + 1
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
        "opening": model.opening, "save_status": None, "print_errors": {}, "build": None, "files": [], "kit_folder": "",
        "zip_file": "", "main": None, "quiet": False, **extra,
    }


def safe_colour(value: Any) -> str:
    """A theme colour for an SVG swatch: ``#RRGGBB`` or grey."""
    text = str(value or "")
    return text if len(text) == 7 and text[0] == "#" and all(c in "0123456789abcdefABCDEF" for c in text[1:]) \
        else "#767676"
