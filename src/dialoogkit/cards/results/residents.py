"""No resident named in anything made after a session: the check ``dialoogkit report`` runs first.

In: loaded results (``cards.results.load.LoadedResults``).
Out: ``check_residents``, a ``NameCheck``: one ``Problem`` per text that holds a suspected name
of a person, a street address or a phone number (its file, line, lesson and field, the words
found and the fix: name a role, or confirm the words under ``not_names:``), and how many texts
were checked (so the report can say it holds no names only because the check ran and found none).

What is checked: every text of the results file (``cards.texts.printed_texts`` walks the
validated model, so a new field is checked without being listed here) except the ``sender:`` and
``addressees:`` blocks (a professional sends the letters and a person may receive them) and the
file's own ``not_names:``; and the deck's texts that reach the report and the letters (the deck's
title, the publication's title and the statements of the lessons the results talk about), located
in the deck's file. The finders are ``cards.results.names`` (deduce and the project's own rules)
and the role rules of ``cards.results.privacy`` for owners and addressees. Not a name: words the
deck itself names (its partners, contacts, region, publishers: ``privacy.known_names``) and words
confirmed under ``not_names:`` in the results file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dialoogkit.cards.messages import split_location, where
from dialoogkit.cards.results.load import LoadedResults
from dialoogkit.cards.results.names import ADDRESS, PERSON, PHONE, Found, find_names
from dialoogkit.cards.results.privacy import is_confirmed, known_names, looks_like_name, owner_values
from dialoogkit.cards.texts import printed_texts
from dialoogkit.cards.yamlsource import PathKey
from dialoogkit.errors import Problem, quoted
from dialoogkit.i18n import say

NOT_CHECKED = ("sender", "addressees", "not_names", "deck")
NOT_TEXT = ("date", "status")  # a date as YYYY-MM-DD, a status word (and the partners' ids)


@dataclass(frozen=True)
class NameCheck:
    """What the check found, and how many texts it read."""

    problems: list[Problem] = field(default_factory=list)
    texts: int = 0

    @property
    def clean(self) -> bool:
        """The check ran (it read texts) and found nothing."""
        return self.texts > 0 and not self.problems


def check_residents(loaded: LoadedResults) -> NameCheck:
    """Check every text that reaches the report (see module docstring)."""
    results = loaded.results
    known = known_names(loaded.deck.deck)
    owners = dict(owner_values(results))
    data = {"lessons": [{"id": lesson.id} for lesson in results.lessons]}
    problems: list[Problem] = []
    texts = 0
    for loc, text in results_texts(loaded):
        texts += 1
        found = [f for f in find_names(text) if _counts(f, text, known, results.not_names)]
        if loc in owners and looks_like_name(text, known) and not is_confirmed(text, 0, len(text), results.not_names) \
                and not any(f.kind == PERSON for f in found):
            found.insert(0, Found(text, PERSON, 0, len(text)))
        if found:
            lesson, field_name = split_location(loc, data)
            problems.append(_problem(loaded.where(*loc), found, lesson, field_name, in_deck=False))
    for loc, text in deck_texts(loaded):
        texts += 1
        found = [f for f in find_names(text) if _counts(f, text, known, results.not_names)]
        if found:
            deck = loaded.deck
            lessons = {"lessons": [{"id": lesson.id} for lesson in deck.deck.lessons]}
            lesson, field_name = split_location(loc, lessons)
            problems.append(_problem(where(loc, deck.origins, str(deck.path)), found, lesson, field_name, in_deck=True))
    return NameCheck(problems, texts)


def results_texts(loaded: LoadedResults) -> list[tuple[PathKey, str]]:
    """The results file's texts that are checked, with their paths."""
    return [(loc, text) for loc, text in printed_texts(loaded.results)
            if loc[0] not in NOT_CHECKED and loc[-1] not in NOT_TEXT and loc[:2] != ("session", "partners")]


def deck_texts(loaded: LoadedResults) -> list[tuple[PathKey, str]]:
    """The deck's texts that reach the report and the letters, with their paths in the deck."""
    deck, results = loaded.deck.deck, loaded.results
    used = {lesson.id for lesson in results.lessons}
    if results.previous is not None:
        used |= set(results.previous.votes) | {item.lesson for item in results.previous.agreements}
    found: list[tuple[PathKey, str]] = [(("title",), deck.title), (("source", "title"), deck.source.title)]
    found += [(("lessons", i, "statement"), lesson.statement) for i, lesson in enumerate(deck.lessons)
              if lesson.id in used]
    return found


def _counts(item: Found, text: str, known: frozenset[str], not_names: list[str]) -> bool:
    """False for what the deck names itself or the file confirms is no name."""
    if " ".join(item.words.lower().split()) in known:
        return False
    return not is_confirmed(text, item.start, item.end, not_names)


def _problem(at: tuple[str, int | None], found: list[Found], lesson: str | None, field_name: str | None,
             in_deck: bool) -> Problem:
    kinds = list(dict.fromkeys(item.kind for item in found))
    words = ", ".join(f"'{quoted(item.words, 60)}' ({say(f'results.names.kind_{item.kind}')})" for item in found)
    fixes = [say(f"results.names.fix_{kind}") for kind in (PERSON, ADDRESS, PHONE) if kind in kinds]
    fixes.append(say("results.names.confirm_deck" if in_deck else "results.names.confirm",
                     example=quoted(found[0].words, 60)))
    return Problem(at[0], at[1], say("results.names.found", words=words), "; ".join(fixes), lesson, field_name)
