"""Load a results file: read it, find its deck, validate it against the deck, check privacy.

In: a results file's path, or its YAML text with the file name to show (the studio's form); the
deck may be given (a ``LoadedDeck``), else it is found from the file's ``deck:`` field: a bundled
deck name, or a deck file's path relative to the results file's folder, opened through the gate
(``cards.paths``: ``../`` only when the ``Gate`` allows it, never outside its root).
Out: ``LoadedResults`` (the validated ``Results``, the deck, where each value was written, the
privacy warnings and the sender's logo), or one ``ContentError`` listing every problem as
``file:line: lesson 'x', field 'y': what — fix``: unknown keys and lesson ids with "did you mean"
(also in the ``previous:`` block), dates that do not exist, votes outside 1..5, partners that are
not the deck's audiences, a ``sender.logo`` that is no image beside the file (``cards.logo``,
through the gate). With ``strict`` the privacy warnings are errors too.
"""

from __future__ import annotations

import difflib
import os
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dialoogkit.cards.bundled import list_bundled
from dialoogkit.cards.loader import LoadedDeck, load_deck
from dialoogkit.cards.logo import check_logo
from dialoogkit.cards.messages import lesson_label, list_choices, translate_error, where
from dialoogkit.cards.models import Deck
from dialoogkit.cards.paths import COMMAND_LINE, Gate, PathRefused
from dialoogkit.cards.results.model import VOTE_MAX, Results
from dialoogkit.cards.results.privacy import find_privacy_warnings
from dialoogkit.cards.yamlsource import Origins, PathKey, parse_yaml, read_text
from dialoogkit.errors import ContentError, DialoogkitError, Problem, quoted
from dialoogkit.i18n import say, speaking_deck


@dataclass(frozen=True)
class LoadedResults:
    """A validated results file with its deck and where each value was written."""

    results: Results
    file: str
    origins: Origins
    deck: LoadedDeck
    warnings: list[Problem] = field(default_factory=list)
    logo_path: Path | None = None  # the sender's logo, checked; else the letters use the deck's

    def where(self, *loc: str | int) -> tuple[str, int | None]:
        """``(file, line)`` of a value, or of its nearest parent."""
        return where(loc, self.origins, self.file)


def load_results(path: str | Path, strict: bool = False, deck: LoadedDeck | None = None,
                 gate: Gate = COMMAND_LINE) -> LoadedResults:
    """Read and validate the results file at ``path`` (see module docstring)."""
    path = Path(path)
    return load_results_text(read_text(path), str(path), deck=deck, strict=strict, at=path, gate=gate)


def load_results_text(text: str, name: str, deck: LoadedDeck | None = None, strict: bool = False,
                      at: Path | None = None, gate: Gate = COMMAND_LINE) -> LoadedResults:
    """Validate results written as YAML ``text``; ``name`` is the file name problems show and
    ``at`` the file a deck path is relative to (default: ``name``). With ``deck`` given and
    ``at`` known, ``deck:`` must name that deck (the studio's page is for one deck)."""
    data, origins = parse_yaml(text, name)
    if not isinstance(data, dict):
        raise ContentError([Problem(name, 1, say("results.load.not_block"), say("results.load.not_block_fix"))])
    problems: list[Problem] = []
    if deck is None:
        deck = _find_deck(data, origins, name, Path(name) if at is None else at, gate, problems)
    elif at is not None:
        problems += _other_deck(data, origins, name, at, gate, deck)
    with speaking_deck(deck.language) if deck is not None else nullcontext():  # messages in the deck's language
        return _validate(data, origins, name, deck, problems, strict, at, gate)


def _validate(data: dict, origins: Origins, name: str, deck: LoadedDeck | None, problems: list[Problem],
              strict: bool, at: Path | None, gate: Gate) -> LoadedResults:
    results = None
    try:
        results = Results.model_validate(data)
    except ValidationError as exc:
        problems += [_translate(error, data, origins, name) for error in exc.errors()]
    if deck is not None:
        problems += find_deck_problems(data, origins, name, deck.deck)
    logo = _sender_logo(results, origins, name, Path(name) if at is None else at, gate)
    if isinstance(logo, Problem):
        problems.append(logo)
    if problems:
        problems.sort(key=lambda p: (p.file != name, p.line or 0))
        raise ContentError(_unique(problems))
    assert results is not None and deck is not None
    warnings = find_privacy_warnings(results, deck.deck, origins, name)
    if strict and warnings:
        raise ContentError(warnings)
    return LoadedResults(results, name, origins, deck, warnings, logo)


def _sender_logo(results: Results | None, origins: Origins, name: str, at: Path, gate: Gate) -> Path | Problem | None:
    """The sender's logo, checked as a deck's logo is (beside the results file, through the gate)."""
    if results is None or results.sender is None or not results.sender.logo:
        return None
    file, line = where(("sender", "logo"), origins, name)
    found = check_logo(results.sender.logo, str(at), line, gate)
    if isinstance(found, Problem):
        return Problem(file, found.line, found.message, found.hint, None, "sender.logo")
    return found


def _find_deck(data: dict, origins: Origins, name: str, at: Path, gate: Gate,
               problems: list[Problem]) -> LoadedDeck | None:
    """The deck the ``deck:`` field names, opened through ``gate``; a deck that cannot be found or
    may not be opened is a problem at that line, quoting the path as written (the deck's own
    problems are reported as they are, in the deck's file)."""
    value = _deck_value(data)
    if value is None:
        return None  # the model reports the missing or wrong field
    file, line = where(("deck",), origins, name)
    try:
        return load_deck(gate.open_deck_name(value, at), gate)
    except ContentError:
        raise
    except PathRefused as exc:
        problems.append(_refused(exc, value, file, line))
    except DialoogkitError as exc:
        problems.append(Problem(file, line, say("results.load.deck_missing", deck=quoted(value, 80),
                                                reason=exc.format_message()), say("results.load.deck_missing_fix"),
                                None, "deck"))
    return None


def _other_deck(data: dict, origins: Origins, name: str, at: Path, gate: Gate, deck: LoadedDeck) -> list[Problem]:
    """A problem when ``deck:`` names another deck than ``deck`` (or one the gate refuses)."""
    value = _deck_value(data)
    if value is None:
        return []
    file, line = where(("deck",), origins, name)
    try:
        named = gate.open_deck_name(value, at)
    except PathRefused as exc:
        return [_refused(exc, value, file, line)]
    if os.path.realpath(named) == os.path.realpath(deck.path):
        return []
    return [Problem(file, line, say("results.load.deck_other", deck=quoted(value, 80), page=deck.deck.id),
                    say("results.load.deck_other_fix", expected=quoted(os.path.relpath(deck.path, at.parent), 80)),
                    None, "deck")]


def _deck_value(data: dict) -> str | None:
    value = data.get("deck")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _refused(exc: PathRefused, value: str, file: str, line: int | None) -> Problem:
    """The gate's refusal of ``deck:`` as a problem at its line; a missing name gets "did you mean"."""
    fix = exc.fix
    if exc.kind == "missing":
        guess = difflib.get_close_matches(value, list_bundled(), n=1)
        fix = (say("cards.common.did_you_mean", guess=guess[0]) + " " if guess else "") + say(
            "results.load.deck_missing_fix")
    return Problem(file, line, say("results.load.deck_refused", reason=exc.reason), fix, None, "deck")


def find_deck_problems(data: dict, origins: Origins, file: str, deck: Deck) -> list[Problem]:
    """Lesson ids, vote partners and partners at the table that the deck does not know."""
    problems: list[Problem] = []
    partners = list(deck.audiences)
    session = data.get("session")
    if isinstance(session, dict) and isinstance(session.get("partners"), list):
        for i, partner in enumerate(session["partners"]):
            if isinstance(partner, str) and partner not in deck.audiences:
                problems.append(_unknown(("session", "partners", i), partner, partners, "results.load.partner",
                                         data, origins, file, deck.id))
    lessons = data.get("lessons")
    if not isinstance(lessons, list):
        return problems
    ids = [lesson.id for lesson in deck.lessons]
    seen: dict[str, int] = {}
    for i, item in enumerate(lessons):
        if not isinstance(item, dict):
            continue
        lesson_id = item.get("id")
        if isinstance(lesson_id, str) and lesson_id not in ids:
            problems.append(_unknown(("lessons", i, "id"), lesson_id, ids, "results.load.lesson", data, origins,
                                     file, deck.id, list_choices(ids)))
        elif isinstance(lesson_id, str) and lesson_id in seen:
            line = where(("lessons", i, "id"), origins, file)
            problems.append(Problem(*line, say("results.load.lesson_twice", first=seen[lesson_id]),
                                    say("results.load.lesson_twice_fix"), lesson_label(data, i), "id"))
        if isinstance(lesson_id, str):
            seen.setdefault(lesson_id, where(("lessons", i, "id"), origins, file)[1] or 0)
        votes = item.get("votes")
        if isinstance(votes, dict):
            problems += [_unknown(("lessons", i, "votes", key), key, partners, "results.load.vote_partner", data,
                                  origins, file, deck.id) for key in votes if key not in deck.audiences]
    return problems + _previous_problems(data, origins, file, deck)


def _previous_problems(data: dict, origins: Origins, file: str, deck: Deck) -> list[Problem]:
    """Lesson ids and partners of the ``previous:`` block that the deck does not know."""
    previous = data.get("previous")
    if not isinstance(previous, dict):
        return []
    ids, partners = [lesson.id for lesson in deck.lessons], list(deck.audiences)
    problems: list[Problem] = []
    votes = previous.get("votes")
    for lesson_id, row in (votes.items() if isinstance(votes, dict) else []):
        if isinstance(lesson_id, str) and lesson_id not in ids:
            problems.append(_unknown(("previous", "votes", lesson_id), lesson_id, ids, "results.load.lesson", data,
                                     origins, file, deck.id, list_choices(ids)))
        for key in (row if isinstance(row, dict) else {}):
            if isinstance(key, str) and key not in deck.audiences:
                problems.append(_unknown(("previous", "votes", lesson_id, key), key, partners,
                                         "results.load.vote_partner", data, origins, file, deck.id))
    agreements = previous.get("agreements")
    for j, item in enumerate(agreements if isinstance(agreements, list) else []):
        lesson_id = item.get("lesson") if isinstance(item, dict) else None
        if isinstance(lesson_id, str) and lesson_id not in ids:
            problems.append(_unknown(("previous", "agreements", j, "lesson"), lesson_id, ids, "results.load.lesson",
                                     data, origins, file, deck.id, list_choices(ids)))
    return problems


def _unknown(loc: PathKey, value: str, options: list[str], key: str, data: Any, origins: Origins, file: str,
             deck_id: str, choices: str | None = None) -> Problem:
    """``value`` is not one of ``options``: say so, with "did you mean" and the choices."""
    guess = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    hint = say("cards.common.did_you_mean", guess=guess[0]) + " " if guess else ""
    hint += say("results.load.choices", choices=choices or ", ".join(options))
    lesson = lesson_label(data, int(loc[1])) if loc[0] == "lessons" else None
    shown = ".".join(str(p) if isinstance(p, str) else f"[{p + 1}]" for p in (loc[2:] if lesson else loc))
    return Problem(*where(loc, origins, file), say(key, value=quoted(value, 60), deck=deck_id), hint, lesson,
                   shown.replace(".[", "["))


def _translate(error: dict, data: Any, origins: Origins, file: str) -> Problem:
    """A pydantic error as a located problem; a vote out of range says what a vote is."""
    problem = translate_error(error, Results, data, origins, file)
    loc = tuple(error["loc"])
    if error["type"] == "extra_forbidden" and len(loc) == 1:  # the deck's extends/select/override do not apply
        keys = [info.alias or key for key, info in Results.model_fields.items()]
        guess = difflib.get_close_matches(str(loc[0]), keys, n=1, cutoff=0.6)
        hint = say("cards.common.did_you_mean", guess=guess[0]) if guess else say("cards.schema.unknown_key_fix")
        return Problem(problem.file, problem.line, problem.message,
                       say("cards.schema.allowed_here", hint=hint, keys=", ".join(keys)))
    if error["type"] in ("greater_than_equal", "less_than_equal") and len(loc) >= 4 and loc[2] == "votes":
        shown = quoted(error.get("input"), 20)
        return Problem(problem.file, problem.line, say("results.load.vote_range", found=shown, most=VOTE_MAX),
                       say("results.load.vote_range_fix", most=VOTE_MAX), problem.lesson, problem.field)
    return problem


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
