"""A deck's ``companion:``: the same lessons in a second language, printed smaller beside the first.

In: a validated ``Deck`` whose ``companion`` names a deck file (a path relative to the file that
wrote ``companion:``, resolved like ``extends``: inside the deck's folder, ``../`` only with
``--allow-parent-folder``, no symbolic link out), where each value was written, and a function
that reads and validates a deck file as a companion (``loader.validate_file``).
Out: a ``Companion`` (its language and file, and per lesson of the main deck, in the main deck's
order, the companion's statement and questions) plus the origins of those texts under
``("lessons", i, "companion", …)`` of the main deck, so a problem with a printed companion text
names its own file and line (``field 'companion.statement'``); or a ``ContentError``: the file is
missing or refused, is this deck itself, is not a valid deck (its own problems follow), is in the
same language, lacks lessons of the main deck (matched by id; all listed, with where the main
deck wrote them), has a lesson with another number of questions (matched by position), or has a
statement or question identical to the main deck's (an ``override`` forgotten: still untranslated).
The companion's explanations, actions and tips are never printed: cards stay readable.
A companion's own ``companion:`` (inherited when it extends the main deck) is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from dialoogkit.cards.messages import locate, where
from dialoogkit.cards.models import Deck
from dialoogkit.cards.paths import Gate, PathRefused
from dialoogkit.cards.yamlsource import Origins, PathKey
from dialoogkit.errors import ContentError, Problem, quoted
from dialoogkit.i18n import say

if TYPE_CHECKING:
    from dialoogkit.cards.loader import LoadedDeck

KEY = "companion"  # the deck field, and the step in a lesson's path under which its texts are located


@dataclass(frozen=True)
class CompanionLesson:
    """The texts of one lesson in the companion's language."""

    statement: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Companion:
    """The companion deck's texts, one ``CompanionLesson`` per lesson of the main deck, in order."""

    language: str
    file: str
    lessons: tuple[CompanionLesson, ...]
    sources: tuple[str, ...] = ()  # the files the companion was read from (``LoadedDeck.sources``)

    def printed(self) -> Iterator[tuple[PathKey, str]]:
        """Every printed companion text with its path in the main deck (see module docstring)."""
        for index, lesson in enumerate(self.lessons):
            yield statement_path(index), lesson.statement
            for number, text in enumerate(lesson.questions):
                yield question_path(index, number), text


def statement_path(index: int) -> PathKey:
    """Where the companion statement of lesson ``index`` of the main deck is located."""
    return ("lessons", index, KEY, "statement")


def question_path(index: int, number: int) -> PathKey:
    """Where the companion translation of question ``number`` of lesson ``index`` is located."""
    return ("lessons", index, KEY, "questions", number, "text")


def is_companion_path(loc: PathKey | None) -> bool:
    """Whether a path names a companion text (see ``statement_path``)."""
    return loc is not None and len(loc) > 2 and loc[0] == "lessons" and loc[2] == KEY


def load_companion(deck: Deck, origins: Origins, file: str, gate: Gate,
                   read: Callable[[Path, Gate], LoadedDeck]) -> tuple[Companion, Origins]:
    """Read, check and match the companion deck of ``deck`` (see module docstring)."""
    assert deck.companion is not None
    at_file, line = where((KEY,), origins, file)
    lead = (at_file, line)
    path = _resolve(deck.companion, Path(at_file), lead, gate)
    shown = quoted(deck.companion, 80)
    if path.resolve() == Path(file).resolve():
        raise ContentError([Problem(*lead, say("companion.itself", path=shown), say("companion.itself_fix"),
                                    field=KEY)])
    try:
        other = read(path, gate)
    except ContentError as exc:
        raise ContentError([Problem(*lead, say("companion.invalid", path=shown, count=len(exc.problems)),
                                    say("companion.invalid_fix"), field=KEY)] + exc.problems) from None
    if other.deck.language == deck.language:
        raise ContentError([Problem(*lead, say("companion.same_language", path=shown, language=deck.language),
                                    say("companion.same_language_fix", language=deck.language), field=KEY)])
    return _match(deck, origins, file, other)


def _resolve(written: str, deck_file: Path, lead: tuple[str, int | None], gate: Gate) -> Path:
    shown = quoted(written, 80)
    if not written.strip().lower().endswith((".yaml", ".yml")):
        raise ContentError([Problem(*lead, say("companion.not_yaml", path=shown), say("companion.not_yaml_fix"),
                                    field=KEY)])
    try:
        return gate.resolve(written, deck_file)
    except PathRefused as exc:
        if exc.kind == "missing":
            problem = Problem(*lead, say("companion.missing", path=shown),
                              say("companion.missing_fix", folder=quoted(str(deck_file.parent), 80)), field=KEY)
        else:
            problem = Problem(*lead, say("companion.unusable", reason=exc.reason), exc.fix, field=KEY)
        raise ContentError([problem]) from None


def _match(deck: Deck, origins: Origins, file: str, other: LoadedDeck) -> tuple[Companion, Origins]:
    """Each lesson of ``deck`` with the companion lesson of the same id, questions by position."""
    by_id = {lesson.id: index for index, lesson in enumerate(other.deck.lessons)}
    missing = [index for index, lesson in enumerate(deck.lessons) if lesson.id not in by_id]
    problems: list[Problem] = []
    if missing:
        listed = ", ".join(_lesson_where(deck, origins, file, index) for index in missing)
        problems.append(Problem(*other.where("lessons"), say("companion.lacks", count=len(missing), lessons=listed),
                                say("companion.lacks_fix", file=quoted(Path(file).name, 60)), field="lessons"))
    lessons: list[CompanionLesson] = []
    extra: Origins = {}
    for index, lesson in enumerate(deck.lessons):
        if lesson.id not in by_id:
            continue
        theirs = other.deck.lessons[by_id[lesson.id]]
        at = ("lessons", by_id[lesson.id])
        if len(theirs.questions) != len(lesson.questions):
            problems.append(Problem(*other.where(*at, "questions"),
                                    say("companion.questions", ours=len(lesson.questions), theirs=len(theirs.questions),
                                        main=_lesson_where(deck, origins, file, index)),
                                    say("companion.questions_fix", id=lesson.id), f"'{lesson.id}'", "questions"))
            continue
        same = [field for field, ours, their in [("statement", lesson.statement, theirs.statement)] + [
            (f"questions[{n + 1}].text", q.text, t.text) for n, (q, t) in enumerate(zip(lesson.questions,
                                                                                        theirs.questions))]
            if ours.strip() == their.strip()]
        if same:
            problems.append(Problem(*other.where(*at), say("companion.untranslated", fields=", ".join(same),
                                                           main=_lesson_where(deck, origins, file, index)),
                                    say("companion.untranslated_fix", id=lesson.id), f"'{lesson.id}'", same[0]))
            continue
        lessons.append(CompanionLesson(theirs.statement, tuple(q.text for q in theirs.questions)))
        for loc, origin in other.origins.items():
            if loc[:2] == at and len(loc) > 2 and loc[2] in ("statement", "questions"):
                extra[("lessons", index, KEY) + loc[2:]] = origin
        for key in ("statement", "questions"):  # a value the companion inherited keeps its nearest parent's line
            origin = locate(at + (key,), other.origins)
            if origin is not None:
                extra.setdefault(("lessons", index, KEY, key), origin)
    if problems:
        raise ContentError(problems)
    return Companion(other.deck.language, str(other.path), tuple(lessons), other.sources), extra


def _lesson_where(deck: Deck, origins: Origins, file: str, index: int) -> str:
    """``'id' (card 3, main.yaml:14)``: a lesson of the main deck and where its id was written."""
    at_file, line = where(("lessons", index, "id"), origins, file)
    if at_file != file:  # a lesson taken from the deck it extends: where this deck selects its lessons
        at_file, line = where(("lessons",), origins, file)
    place = Path(at_file).name + (f":{line}" if line else "")
    return say("companion.lesson_at", id=deck.lessons[index].id, number=index + 1, place=place)
