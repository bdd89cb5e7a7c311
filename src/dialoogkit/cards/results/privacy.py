"""Privacy by design: no resident is named in a results file.

Owners of agreements, roles of residents and addressees of higher-level points are roles or
organisations. A value there that is none of the deck's audiences (id or label), no organisation
the deck names (contacts, region, publishers) and holds no known role word (bundled, per language:
bewonerscommissie, wijkagent, buurtteam, corporatie, gemeente, …), and that looks like a person's
name (one to three capitalised words, with particles such as "van der" or initials such as "J."
between them; "Jan en Fatima" is two names) is reported, unless the file's ``not_names:`` confirms
it is none (``is_confirmed``: the words lie inside one of the confirmed words as they occur in the
text). Words of organisations and places (``names.yaml``: buurtkamer, fonds, …) count as roles.

In: validated ``Results``, the deck it belongs to, the line map and the file name.
Out: one warning ``Problem`` per such value, naming file, line, lesson and field (the studio
shows them while typing; ``dialoogkit report`` refuses them with the other suspected names,
``cards.results.residents``).
"""

from __future__ import annotations

import re

from dialoogkit.cards.messages import split_location, where
from dialoogkit.cards.models import Deck
from dialoogkit.cards.results.model import Results
from dialoogkit.cards.results.names import load_rules
from dialoogkit.cards.results.wording import name_particles, role_words
from dialoogkit.cards.yamlsource import Origins, PathKey
from dialoogkit.errors import Problem, quoted
from dialoogkit.i18n import say

_SEPARATORS = re.compile(r"\s*(?:,|&|/|\+|\ben\b|\band\b)\s*", re.IGNORECASE)
_INITIAL = re.compile(r"^[^\W\d_]\.$")


def find_privacy_warnings(results: Results, deck: Deck, origins: Origins, file: str) -> list[Problem]:
    """A warning for every owner, role or addressee that looks like a person's name."""
    known = known_names(deck)
    data = {"lessons": [{"id": lesson.id} for lesson in results.lessons]}
    warnings = []
    for loc, value in owner_values(results):
        if not looks_like_name(value, known) or is_confirmed(value, 0, len(value), results.not_names):
            continue
        lesson, field = split_location(loc, data)
        warnings.append(Problem(*where(loc, origins, file), say("results.privacy.name", value=quoted(value, 60)),
                                say("results.privacy.name_fix"), lesson, field))
    return warnings


def owner_values(results: Results) -> list[tuple[PathKey, str]]:
    """Every value that names a role or an organisation, with its path in the file."""
    found: list[tuple[PathKey, str]] = [(("session", "residents", i, "role"), group.role)
                                        for i, group in enumerate(results.session.residents)]
    for i, lesson in enumerate(results.lessons):
        found += [(("lessons", i, "agreements", j, "who"), agreement.who)
                  for j, agreement in enumerate(lesson.agreements) if agreement.who]
        found += [(("lessons", i, "higher", j, "to"), point.to) for j, point in enumerate(lesson.higher)]
    return found


def known_names(deck: Deck) -> frozenset[str]:
    """What the deck names (lower case): its audiences, contacts, region and publishers."""
    names = set(deck.audiences) | {audience.label for audience in deck.audiences.values()}
    names |= {contact.name for contact in deck.contacts} | {c.role for c in deck.contacts if c.role}
    names |= set(deck.source.publishers) | ({deck.region} if deck.region else set())
    return frozenset(_simple(name) for name in names)


def looks_like_name(value: str, known: frozenset[str] = frozenset()) -> bool:
    """True when ``value`` may be a person's name (see module docstring)."""
    if _simple(value) in known:
        return False
    words = [word.strip(".,;:()'\"") for word in value.split()]
    roles = role_words() | load_rules().place_words
    if any(part.lower() in roles for word in words for part in word.split("-") if part):
        return False
    return any(_is_name(part) for part in _SEPARATORS.split(value) if part.strip())


def is_confirmed(text: str, start: int, end: int, not_names: list[str]) -> bool:
    """Whether ``text[start:end]`` lies inside a place where one of ``not_names`` occurs in ``text``
    (case and spaces ignored, whole words only)."""
    for words in not_names:
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(word) for word in words.split()) + r"(?!\w)"
        if any(m.start() <= start and end <= m.end() for m in re.finditer(pattern, text, re.IGNORECASE)):
            return True
    return False


def _is_name(part: str) -> bool:
    words = part.split()
    particles = name_particles()
    named = [w for w in words if not (w.lower() in particles and len(words) > 1)]
    if not 1 <= len(named) <= 3:
        return False
    return all(_capitalised(word) or _INITIAL.match(word) for word in named) and any(_capitalised(w) for w in named)


def _capitalised(word: str) -> bool:
    """``Jan``, ``El-Amrani``, ``O'Neill``: a capital, then lower-case letters (not ``GGD``)."""
    letters = [ch for ch in word if ch.isalpha()]
    if len(letters) < 2 or not letters[0].isupper() or not all(ch.isalpha() or ch in "-'’" for ch in word):
        return False
    return any(ch.islower() for ch in letters[1:]) and not any(ch.isupper() for ch in letters[1:2])


def _simple(text: str) -> str:
    return " ".join(text.lower().split())
