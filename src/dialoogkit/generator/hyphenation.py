"""Where a word may break at a line end: pyphen's hyphenation, hyphens the author wrote, soft hyphens.

In: a word (as printed, or with soft hyphens U+00AD the author put in), a pyphen dictionary (or
None: no hyphenation) and how many characters a head may have.
Out: ``break_points``: the ways to split the word as ``(head with its hyphen, tail)``, longest head
first; ``force_split``: a last-resort split of a word with no allowed break, so that its head fills
a width. ``hyphenator(language)`` gives pyphen's dictionary for a language, or None where pyphen
does not have it (such text wraps at spaces only), and never for Arabic, Hebrew or Ethiopic words
(a hyphen is no break mark in those scripts). Used by ``textfit``, which decides when a text may
be hyphenated at all (statements never; card body text only below its preferred size).
"""

from __future__ import annotations

from functools import lru_cache

import pyphen

from dialoogkit.generator.fonts import text_width
from dialoogkit.generator.scripts import hyphenation_language, script_of
from dialoogkit.generator.shaping import measure as measure_text
from dialoogkit.generator.shaping import needs_engine

PUNCTUATION = "\"'“”‘’«»()[]{}.,;:!?…"
MAX_HYPHENATED = 60  # longer "words" are not real words: they are split where the line ends
SOFT_HYPHEN = "\u00ad"
UNHYPHENATED_SCRIPTS = frozenset({"Arab", "Hebr", "Ethi"})  # a hyphen is no break mark in these scripts


class Hyphenator:
    """pyphen's dictionary for a language, leaving at least 3 letters on each side of a break; read
    on the first word it hyphenates (reading takes a tenth of a second, and text that fits at its
    preferred size is never hyphenated)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._dictionary: pyphen.Pyphen | None = None

    def positions(self, word: str) -> list[int]:
        """Where ``word`` may be hyphenated (pyphen's ``positions``)."""
        if self._dictionary is None:
            self._dictionary = pyphen.Pyphen(lang=self.lang, left=3, right=3)
        return self._dictionary.positions(word)


@lru_cache(maxsize=8)
def hyphenator(language: str) -> Hyphenator | None:
    """The hyphenation dictionary of ``language``; None for a language pyphen does not have (its
    text wraps at spaces only)."""
    lang = hyphenation_language(language)
    return Hyphenator(lang) if lang else None


def printed(word: str) -> str:
    """A word as printed: without its soft hyphens."""
    return word.replace(SOFT_HYPHEN, "") if SOFT_HYPHEN in word else word


def break_points(word: str, hyph: Hyphenator | None, most: int) -> list[tuple[str, str]]:
    """Ways to split ``word`` as ``(printed head incl. hyphen, tail)`` with heads of at most
    ``most`` characters, longest head first. A word with soft hyphens breaks only there; without
    ``hyph`` (no hyphenation) a word breaks nowhere else."""
    return [option for option in _all_break_points(word, hyph) if len(option[0]) <= most]


@lru_cache(maxsize=50_000)
def _all_break_points(word: str, hyph: Hyphenator | None) -> tuple[tuple[str, str], ...]:
    """Every way to split ``word`` (see ``break_points``), longest head first; the same words
    end lines again and again while fitting tries sizes, so this is cached."""
    options: list[tuple[str, str]] = []
    if SOFT_HYPHEN in word:
        for i, char in enumerate(word):
            head, tail = printed(word[:i]), word[i + 1:]
            if char == SOFT_HYPHEN and head and printed(tail):
                options.append((head + "-", tail))
        return tuple(options[::-1])
    if hyph is None:
        return ()
    for i in range(len(word) - 1, 0, -1):
        if word[i - 1] in "-/–" and i >= 2 and len(word) - i >= 2:
            options.append((word[:i], word[i:]))
    start = len(word) - len(word.lstrip(PUNCTUATION))
    end = len(word.rstrip(PUNCTUATION))
    lead, core, trail = word[:start], word[start:max(start, end)], word[max(start, end):]
    if core.isalpha() and len(core) <= MAX_HYPHENATED and not any(script_of(ch) in UNHYPHENATED_SCRIPTS for ch in core):
        for pos in hyph.positions(core):
            options.append((lead + core[:pos] + "-", core[pos:] + trail))
    options.sort(key=lambda o: -len(o[0]))
    return tuple(options)


def force_split(word: str, font: str, size: float, width: float) -> tuple[str, str]:
    """Split a word with no allowed break so that its head fills ``width`` (last resort). Widths
    are summed per character (reportlab applies no kerning), so very long words stay cheap; a
    word in a shaped script is measured head by head (its letters change form when joined)."""
    shaped = needs_engine(word, font)
    total = 0.0
    for index, char in enumerate(word):
        total = measure_text(word[: index + 1], font, size) if shaped else total + text_width(char, font, size)
        if total > width:
            return word[: max(1, index)], word[max(1, index):]
    return word, ""
