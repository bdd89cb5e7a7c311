"""One results-and-report service for every face: what ``dialoogkit results new`` and
``dialoogkit report`` do, and what the studio's "Na de sessie" page does with the same file.

In: a results file (its path, or its text with the name messages show and the deck of the page),
the output folder, ``strict`` (warnings are errors) and ``force`` (write into a kit folder with
other files); for a new results file: the deck, how the file names it, where it goes and the
previous session's results (``--after``).
Out: ``check_results`` → ``ResultsCheck``: the loaded results (None when they cannot be read), the
problems that refuse a report (the loader's, every suspected resident's name, address or phone
number, and with ``strict`` the warnings), the warnings (owners that look like a name, what the
letters still lack, a stopped agreement without a reason), each suspected name with the words a
person may confirm under ``not_names:`` (``Suspect``), and whether the name finder could run: a
face that must not wait (the studio) asks with ``wait_for_names=False`` and hears
``names_loading`` while the finder loads in the background. ``make_report`` checks the same way,
refuses with every problem at once (``ContentError``) or writes the report files as a build writes
a kit (``output.report.write_report``) → ``ReportResult`` (files, warnings). ``new_results`` and
``start_next_session`` write a new results file (the latter keeps the current one under a dated
name first) through the storage of the command or request (``app.storage``), never over a file
someone else changed.
"""

from __future__ import annotations

import datetime
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dialoogkit.app.storage import (
    StoreConflict,
    current_author,
    current_storage,
    stored_bytes,
    written_by_save,
)
from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.cards.paths import COMMAND_LINE, Gate
from dialoogkit.cards.results.load import LoadedResults, load_results, load_results_text
from dialoogkit.errors import ContentError, DialoogkitError, Problem, quoted
from dialoogkit.i18n import say, speaking_deck


@dataclass(frozen=True)
class Suspect:
    """A suspected name (address, phone number) in one text: the problem that names its field,
    and what a person may confirm is no name (the words found, and the organisation or place
    they belong to, such as "Buurtkamer de Kern" around "Kern")."""

    problem: Problem
    offers: tuple[str, ...]


@dataclass(frozen=True)
class ResultsCheck:
    """What checking a results file found (see module docstring)."""

    loaded: LoadedResults | None
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    suspects: tuple[Suspect, ...] = ()
    names_loading: bool = False  # the name finder was still loading: names not checked yet

    @property
    def ready(self) -> bool:
        """Whether a report can be made from these results as checked."""
        return self.loaded is not None and not self.problems and not self.names_loading


@dataclass(frozen=True)
class ReportResult:
    """The files a report wrote and the warnings it was made with."""

    files: list[Path]
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class NewResults:
    """A new results file: where it is and what it took from the previous session."""

    path: Path
    carried: int = 0  # agreements still to do, copied from the previous session
    previous_date: str | None = None
    kept_as: Path | None = None  # where the previous results file was kept (start_next_session)


# --- checking ------------------------------------------------------------------------------

def read_results(path: str | Path, gate: Gate = COMMAND_LINE, deck: LoadedDeck | None = None) -> LoadedResults:
    """Read and validate the results file at ``path`` (``ContentError`` with every problem);
    warnings are kept for ``check_results``, which applies ``strict``."""
    return load_results(path, strict=False, deck=deck, gate=gate)


def check_results_text(text: str, name: str, *, deck: LoadedDeck | None = None, at: Path | None = None,
                       gate: Gate = COMMAND_LINE, strict: bool = False, wait_for_names: bool = True) -> ResultsCheck:
    """``check_results`` for results written as ``text`` (the studio's file as saved); a file
    that cannot be read is a check with its problems and no results."""
    try:
        loaded = load_results_text(text, name, deck=deck, strict=False, at=at, gate=gate)
    except ContentError as exc:
        return ResultsCheck(None, tuple(exc.problems))
    except DialoogkitError as exc:
        return ResultsCheck(None, (Problem(name, None, exc.format_message(), ""),))
    return check_results(loaded, strict, wait_for_names)


def check_results(loaded: LoadedResults, strict: bool = False, wait_for_names: bool = True) -> ResultsCheck:
    """Every problem and warning of ``loaded`` (see module docstring). A warning at the same
    place as a suspected name is left out: the name says it already, as a problem."""
    with speaking_deck(loaded.deck.language):
        return _check(loaded, strict, wait_for_names)


def _check(loaded: LoadedResults, strict: bool, wait_for_names: bool) -> ResultsCheck:
    from dialoogkit.cards.results.gaps import find_gaps

    warnings = list(loaded.warnings) + find_gaps(loaded)
    if not wait_for_names and not names_ready() and warm_names_in_background():
        return _with_strict(loaded, [], warnings, (), strict, names_loading=True)
    suspects = find_suspects(loaded)
    problems = [suspect.problem for suspect in suspects]
    named = {_place(p) for p in problems}
    warnings = [w for w in warnings if _place(w) not in named]
    return _with_strict(loaded, problems, warnings, tuple(suspects), strict)


def _with_strict(loaded: LoadedResults, problems: list[Problem], warnings: list[Problem],
                 suspects: tuple[Suspect, ...], strict: bool, names_loading: bool = False) -> ResultsCheck:
    if strict and warnings:
        problems = sorted(problems + warnings, key=lambda p: (p.file != loaded.file, p.line or 0))
        warnings = []
    return ResultsCheck(loaded, tuple(problems), tuple(warnings), suspects, names_loading)


def _place(problem: Problem) -> tuple:
    return problem.file, problem.line, problem.lesson, problem.field


def find_suspects(loaded: LoadedResults) -> list[Suspect]:
    """The name check of ``dialoogkit report`` (``cards.results.residents``), each problem with
    the words a person may confirm."""
    from dialoogkit.cards.messages import split_location
    from dialoogkit.cards.results.residents import check_residents, results_texts

    problems = check_residents(loaded).problems
    data = {"lessons": [{"id": lesson.id} for lesson in loaded.results.lessons]}
    texts = {(*loaded.where(*loc), *split_location(loc, data)): text for loc, text in results_texts(loaded)}
    return [Suspect(p, confirm_offers(texts.get(_place(p), ""), loaded)) for p in problems]


def confirm_offers(text: str, loaded: LoadedResults) -> tuple[str, ...]:
    """What may be confirmed as no name in ``text``: every suspected person's name still counted
    (the whole text for an owner the role rules flag), also widened to the place or organisation
    word written before it ("Buurtkamer de Kern" for "Kern"); addresses and phone numbers are
    left out, never confirmed."""
    from dialoogkit.cards.results.names import PERSON, find_names, load_rules
    from dialoogkit.cards.results.privacy import is_confirmed, known_names

    if not text:
        return ()
    known = known_names(loaded.deck.deck)
    not_names = loaded.results.not_names
    found = [f for f in find_names(text) if " ".join(f.words.lower().split()) not in known
             and not is_confirmed(text, f.start, f.end, not_names)]
    offers: list[str] = []
    for item in found:
        if item.kind != PERSON:  # a street with its number, a phone number: left out, not confirmed
            continue
        wider = widen_to_place(text, item.start, item.end, load_rules().place_words)
        offers += [wider, item.words] if wider else [item.words]
    if not found:  # an owner the role rules flag: the whole text
        offers.append(text.strip())
    return tuple(dict.fromkeys(" ".join(offer.split()) for offer in offers if offer.strip()))[:4]


_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_LINKS = {"de", "het", "'t", "den", "der", "van", "the", "of"}


def widen_to_place(text: str, start: int, end: int, place_words: frozenset[str]) -> str | None:
    """``text[start:end]`` with the words before it up to a place or organisation word
    ("Buurtkamer de Kern"), or None when no such word stands right before it."""
    before = list(_WORD.finditer(text[:start]))[-3:]
    for index in range(len(before) - 1, -1, -1):
        word = before[index].group().lower()
        if word in place_words:
            return text[before[index].start():end]
        if word not in _LINKS:
            return None
    return None


# --- the report ----------------------------------------------------------------------------

def make_report(loaded: LoadedResults, output: Path, *, strict: bool = False, force: bool = False,
                on_preparing: Callable[[], None] | None = None) -> ReportResult:
    """Check ``loaded`` and write its report into ``<output>/<deck id>/na-de-sessie/`` (see module
    docstring); ``on_preparing`` hears that the name finder builds its tables first (minutes)."""
    from dialoogkit.cards.results import names
    from dialoogkit.output.report import write_report

    if on_preparing is not None and not names.is_ready() and not names.tables_built():
        on_preparing()
    check = check_results(loaded, strict)
    if check.problems:
        raise ContentError(list(check.problems))
    with speaking_deck(loaded.deck.language):
        return ReportResult(write_report(loaded, output, force), list(check.warnings))


# --- the name finder -----------------------------------------------------------------------

_warming: threading.Thread | None = None
_warming_failed = False  # the last load failed: a check then loads it itself, and says why it cannot
_warming_guard = threading.Lock()


def names_ready() -> bool:
    """Whether the name finder is loaded in this process (a check then takes milliseconds)."""
    from dialoogkit.cards.results.names import is_ready

    return is_ready()


def warm_names_in_background() -> bool:
    """Start loading the name finder in a thread of its own, unless it is loaded or loading;
    whether it is loading now (False: loaded, or its last load failed)."""
    global _warming
    with _warming_guard:
        if names_ready() or _warming_failed:
            return False
        if _warming is None or not _warming.is_alive():
            _warming = threading.Thread(target=_warm, daemon=True, name="dialoogkit-names")
            _warming.start()
        return True


def _warm() -> None:
    global _warming_failed
    from dialoogkit.cards.results.names import warm_up

    try:
        warm_up()
    except Exception:  # noqa: BLE001 — the next check loads it itself and says what is wrong
        _warming_failed = True


# --- a new results file --------------------------------------------------------------------

def new_results(deck: LoadedDeck, deck_arg: str, output: Path | None = None, *, force: bool = False,
                after: LoadedResults | None = None, replacing: bytes | None = None) -> NewResults:
    """Write the commented results file for ``deck`` (after the previous session ``after``) as
    ``dialoogkit results new`` does, through the storage; ``replacing``: the bytes of the file
    this one replaces (``force`` replaces whatever is there)."""
    from dialoogkit.cards.results.carry import carried_agreements, check_lessons
    from dialoogkit.cards.results.scaffold import deck_reference, render_template, results_target

    target = results_target(deck.deck.id, output)
    if after is not None:
        check_lessons(after, deck.deck)
    refuse_writing_over_sources(deck, target)
    if target.is_dir():
        raise DialoogkitError(say("results.new.is_folder", path=quoted(target, 120)))
    current = _current(target)
    if current is not None and not force and replacing is None:
        raise DialoogkitError(say("results.new.exists", path=quoted(target, 120)))
    same_folder = after is not None and os.path.realpath(Path(after.file).parent) == os.path.realpath(target.parent)
    text = render_template(deck, deck_reference(deck, deck_arg, target), target.name, after, same_folder)
    _store(target, text.encode("utf-8"), replacing if replacing is not None else current)
    if after is None:
        return NewResults(target)
    return NewResults(target, len(carried_agreements(after.results)), after.results.session.date)


def refuse_writing_over_sources(deck: LoadedDeck, target: Path) -> None:
    """A ``DialoogkitError`` when saving a results file as ``target`` would write over a file
    ``deck`` was read from (``LoadedDeck.sources``: the deck, what it extends, its logo, its
    companion and what that is read from), as the file or as the backup a save keeps of it: not
    even ``--force`` replaces them. Compared as files (links, hard links, other spellings)."""
    for written in written_by_save(target):
        if any(_same_file(written, Path(source)) for source in deck.sources):
            raise DialoogkitError(say("results.new.is_deck", path=quoted(written, 120)))


def _same_file(first: Path, second: Path) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:  # one of them is not there (yet): the same only by name
        return os.path.realpath(first) == os.path.realpath(second)


def start_next_session(results_path: Path, deck: LoadedDeck, deck_arg: str, gate: Gate = COMMAND_LINE) -> NewResults:
    """Keep the results file at ``results_path`` as ``<name>-<session date>.yaml`` beside it (its
    date, else today's) and start a new one there after it: the studio's "next session"."""
    current = _current(results_path)
    if current is None:
        raise DialoogkitError(say("results.new.missing", path=quoted(results_path, 120)))
    previous = read_results(results_path, gate, deck)
    date = previous.results.session.date or datetime.date.today().isoformat()
    kept = keep_name(results_path, date)
    _store(kept, current, None)
    made = new_results(deck, deck_arg, results_path, after=read_results(kept, gate, deck), replacing=current)
    return NewResults(made.path, made.carried, made.previous_date, kept)


def keep_name(path: Path, date: str) -> Path:
    """``standaard-resultaten.yaml`` → ``standaard-resultaten-2025-03-14.yaml`` (``-2``… when taken)."""
    for number in range(1, 100):
        name = f"{path.stem}-{date}" + (f"-{number}" if number > 1 else "") + path.suffix
        if not os.path.lexists(path.with_name(name)):
            return path.with_name(name)
    raise DialoogkitError(say("results.new.exists", path=quoted(path.with_name(f"{path.stem}-{date}{path.suffix}"), 120)))


def _current(path: Path) -> bytes | None:
    try:
        return stored_bytes(path)
    except StoreConflict:
        raise DialoogkitError(say("results.new.is_folder", path=quoted(path, 120))) from None


def _store(path: Path, data: bytes, read: bytes | None) -> None:
    try:
        current_storage().replace(path, data, read=read, author=current_author())
    except StoreConflict:
        raise DialoogkitError(say("results.new.changed", path=quoted(path, 120))) from None
