"""Check that the font can print every character of every printed text.

In: a ``LoadedDeck`` and, for the guide, the ``LoadedGuide`` (bundled guide texts).
Out: ``Problem`` objects naming file, line, lesson and field for characters that no bundled font
has (Source Sans Pro, then Noto Sans and Noto's Arabic, Hebrew and Ethiopic faces: see
``scripts.missing_glyphs``), such as emoji or private-use characters, which would otherwise print
as blanks; ``unprintable`` and ``glyph_message``, that check and its words for one text (the
results file's check in ``report.words`` is the same). The texts come from a
walk over the validated models (``cards.texts.printed_texts``): every text field but those marked
as never printed (ids, colours, icon names, file paths). Web addresses are included: their short
form is printed on the cards and in full in the guide. Texts are checked as they print: in NFC
(an "e" with a combining accent prints as "é") and without soft hyphens (they print nothing, or
a hyphen at a line break).
"""

from __future__ import annotations

import unicodedata

from dialoogkit.cards.guide_texts import DECK, GUIDE, LoadedGuide
from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.cards.texts import printed_texts
from dialoogkit.errors import Problem
from dialoogkit.generator.blame import Locator
from dialoogkit.generator.fonts import REGULAR
from dialoogkit.generator.located import Part
from dialoogkit.generator.scripts import missing_glyphs
from dialoogkit.generator.textfit import SOFT_HYPHEN
from dialoogkit.i18n import say


def find_glyph_problems(loaded: LoadedDeck, guide: LoadedGuide | None = None) -> list[Problem]:
    """Every printed text of the deck (and of the bundled guide texts, when given) with characters
    the font cannot print."""
    locator = Locator(loaded, guide)
    parts = [Part(text, loc, DECK) for loc, text in printed_texts(loaded.deck)]
    if loaded.deck.companion_texts is not None:  # the companion's statements and questions, at their own lines
        parts += [Part(text, loc, DECK) for loc, text in loaded.deck.companion_texts.printed()]
    if guide is not None:
        parts += [Part(text, loc, GUIDE) for loc, text in printed_texts(guide.texts)]
    problems = []
    for part in parts:
        missing = unprintable(part.text)
        if missing:
            problems.append(locator.problem(part, *glyph_message(missing)))
    return problems


def unprintable(text: str) -> list[str]:
    """The characters of ``text``, as it prints (NFC, soft hyphens left out), that no font of the
    chain has (each once, in order)."""
    return missing_glyphs(unicodedata.normalize("NFC", text).replace(SOFT_HYPHEN, ""), REGULAR)


def glyph_message(missing: list[str]) -> tuple[str, str]:
    """What is wrong (the first five characters, with their code points) and how to fix it."""
    shown = ", ".join((f"'{ch}' " if ch.isprintable() else "") + f"(U+{ord(ch):04X})" for ch in missing[:5])
    return say("fit.glyphs", shown=shown), say("fit.glyphs_fix")
