"""The companion language on cards and canvases: its sizes, its side, its ink and its overflows.

In: the texts of a deck's ``companion`` (``CardContent.companion_*``, located under
``("lessons", i, "companion", …)``), the sizes of the text they translate, and ``Overflow``
records of boxes that hold both languages.
Out: the companion's sizes (a share of the sizes of the text it translates, never under the
body's floor), its runs (never hyphenated: pyphen may not know its language; lines break at
spaces), ``companion_text`` (a ``Text`` on the side its language reads from: right-aligned for a
right-to-left language, with its language and direction), and ``overflow_problems``: a box
holding both languages that does not fit gives a problem for each language, each naming its own
file, line and field and pointing at the other text as the other way out.
"""

from __future__ import annotations

from typing import Sequence

from dialoogkit.cards.companion import is_companion_path
from dialoogkit.errors import Problem
from dialoogkit.generator.blame import Locator, excerpt
from dialoogkit.generator.colours import Colour
from dialoogkit.generator.display import Text
from dialoogkit.generator.located import Located, Overflow
from dialoogkit.generator.scripts import is_rtl
from dialoogkit.generator.textfit import Run, TextBlock
from dialoogkit.i18n import say

STATEMENT_SHARE = 0.7  # the companion statement: this share of the statement's sizes
QUESTION_SHARE = 0.85  # a question's translation: this share of the question's sizes
GAP_SHARE = 0.35  # the space between a text and its translation: this share of the translation's size


def companion_sizes(sizes: Sequence[float], share: float, floor: float) -> tuple[float, ...]:
    """``sizes`` (largest first) scaled by ``share``, none under ``floor``."""
    return tuple(max(floor, round(size * share, 1)) for size in sizes)


def companion_runs(text: Located, face: str) -> list[list[Run]]:
    """The paragraphs of a companion text: one run, never hyphenated."""
    return [[Run(text.text, face, hyphenate=False)]]


def direction_of(language: str) -> str:
    """``rtl`` for a language written from right to left, else ``ltr``."""
    return "rtl" if is_rtl(language) else "ltr"


def companion_text(block: TextBlock, language: str, left: float, right: float, top: float, colour: Colour,
                   name: str) -> Text:
    """A companion block placed on the side its language starts: at ``right``, right-aligned, for a
    right-to-left language, else at ``left``."""
    if direction_of(language) == "rtl":
        return Text(block, right, top, colour, align="right", name=name, direction="rtl")
    return Text(block, left, top, colour, name=name, direction="ltr")  # its own direction: kept when a face is mirrored


def is_companion(text: Located) -> bool:
    """Whether a printed text was written in the companion deck."""
    return any(is_companion_path(part.loc) for part in text.parts)


def overflow_problems(locator: Locator, over: Overflow, where: str, other_fix: str = "",
                      floor_pt: float | None = None, surface: str | None = "card") -> list[Problem]:
    """The problems of one overflowing box: one, as for any box, when it holds one language; when
    it holds both, one located in each deck file, each offering the other text as a way out."""
    ours = tuple(text for text in over.texts if not is_companion(text))
    theirs = tuple(text for text in over.texts if is_companion(text))
    if not ours or not theirs:
        return [locator.overflow_problem(over, where, other_fix, floor_pt, surface)]

    def fix(key: str, texts: tuple[Located, ...]) -> str:
        longest = max(texts, key=lambda text: len(text.text))
        return say(key, text=excerpt(longest.text)) + (say("fit.or", fix=other_fix) if other_fix else "")

    return [locator.overflow_problem(Overflow(over.points, ours, over.what), where,
                                     fix("companion.shorten_translation", theirs), floor_pt, surface),
            locator.overflow_problem(Overflow(over.points, theirs, over.what), where,
                                     fix("companion.shorten_original", ours), floor_pt, surface)]
