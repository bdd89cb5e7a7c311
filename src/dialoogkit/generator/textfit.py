"""Text fitting: measure and wrap text into boxes, with Dutch/English hyphenation. Never draws.

In: paragraphs made of runs (text + font), a box width and height, sizes to try.
Out: ``TextBlock`` values (lines of positioned runs, size, leading, height) that are guaranteed to
fit their box, or the number of points by which the text overflows at the smallest size.
Text is handled as plain characters: nothing is ever interpreted as markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import pyphen

from dialoogkit.generator.fonts import text_width

LEADING = 1.22
PUNCTUATION = "\"'“”‘’«»()[]{}.,;:!?…"
NARROWEST = 0.15  # the narrowest glyph's width, as a fraction of the size
MAX_HYPHENATED = 60  # longer "words" are not real words: they are split where the line ends
ASCENT = 0.92  # room above the first baseline, as a fraction of the size (accented capitals fit)
DESCENT = 0.26  # room below the last baseline
_SPACE = re.compile(r"[^\S\n\u00a0\u202f]+")  # any white space but newlines and no-break spaces


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph set in one font."""

    text: str
    font: str


Paragraph = Sequence[Run]


@dataclass(frozen=True)
class Line:
    """One line of text: pieces of ``(x offset, text, font)`` and its width in points."""

    pieces: tuple[tuple[float, str, str], ...]
    width: float


@dataclass(frozen=True)
class TextBlock:
    """Wrapped text at one size. The first baseline lies ``ascent`` below the block's top; the
    block ends ``DESCENT`` × size below the last baseline."""

    lines: tuple[Line, ...]
    size: float
    leading: float

    @property
    def ascent(self) -> float:
        return ASCENT * self.size

    @property
    def height(self) -> float:
        if not self.lines:
            return 0.0
        return (len(self.lines) - 1) * self.leading + (ASCENT + DESCENT) * self.size

    @property
    def width(self) -> float:
        return max((line.width for line in self.lines), default=0.0)


@lru_cache(maxsize=4)
def hyphenator(language: str) -> pyphen.Pyphen:
    """A pyphen dictionary that leaves at least 3 letters on each side of a break."""
    lang = {"nl": "nl_NL", "en": "en_GB"}.get(language, language)
    return pyphen.Pyphen(lang=lang, left=3, right=3)


def tokenize(paragraphs: Sequence[Paragraph]) -> list[tuple[str, str]]:
    """Words as ``(text, font)``; ``("\\n", "")`` marks a forced line break (between paragraphs
    and at newlines inside a text)."""
    tokens: list[tuple[str, str]] = []
    for p_index, paragraph in enumerate(paragraphs):
        if p_index:
            tokens.append(("\n", ""))
        for run in paragraph:
            for l_index, line in enumerate(run.text.split("\n")):
                if l_index:
                    tokens.append(("\n", ""))
                tokens.extend((word, run.font) for word in _SPACE.split(line) if word)
    return tokens


def _break_points(word: str, hyph: pyphen.Pyphen, most: int) -> list[tuple[str, str]]:
    """Ways to split ``word`` as ``(head incl. hyphen, tail)`` with heads of at most ``most``
    characters, longest head first."""
    options: list[tuple[str, str]] = []
    for i in range(min(len(word) - 1, most), 0, -1):
        if word[i - 1] in "-/–" and i >= 2 and len(word) - i >= 2:
            options.append((word[:i], word[i:]))
    start = len(word) - len(word.lstrip(PUNCTUATION))
    end = len(word.rstrip(PUNCTUATION))
    lead, core, trail = word[:start], word[start:max(start, end)], word[max(start, end):]
    if core.isalpha() and len(core) <= MAX_HYPHENATED:
        for pos in hyph.positions(core):
            if len(lead) + pos + 1 <= most:
                options.append((lead + core[:pos] + "-", core[pos:] + trail))
    options.sort(key=lambda o: -len(o[0]))
    return options


def _force_split(word: str, font: str, size: float, width: float) -> tuple[str, str]:
    """Split a word with no allowed break so that its head fills ``width`` (last resort). Widths
    are summed per character (reportlab applies no kerning), so very long words stay cheap."""
    total = 0.0
    for index, char in enumerate(word):
        total += text_width(char, font, size)
        if total > width:
            return word[: max(1, index)], word[max(1, index):]
    return word, ""


def wrap(tokens: Sequence[tuple[str, str]], size: float, width: float, hyph: pyphen.Pyphen) -> list[Line]:
    """Greedy line breaking with hyphenation when a word does not fit the rest of a line."""
    lines: list[Line] = []
    pieces: list[tuple[float, str, str]] = []
    x = 0.0

    def flush() -> None:
        nonlocal pieces, x
        lines.append(Line(tuple(pieces), x))
        pieces, x = [], 0.0

    queue = list(tokens)
    queue.reverse()
    while queue:
        word, font = queue.pop()
        if word == "\n":
            flush()
            continue
        space = text_width(" ", font, size) if pieces else 0.0
        if len(word) * NARROWEST * size <= width - x - space:  # else it cannot fit: skip measuring
            w = text_width(word, font, size)
            if x + space + w <= width:
                pieces.append((x + space, word, font))
                x += space + w
                continue
        room = width - x - space
        most = int(room / (NARROWEST * size)) + 1  # heads longer than this cannot fit
        for head, tail in _break_points(word, hyph, most):
            if text_width(head, font, size) <= room:
                pieces.append((x + space, head, font))
                x += space + text_width(head, font, size)
                flush()
                queue.append((tail, font))
                break
        else:
            if pieces:
                flush()
                queue.append((word, font))
            else:
                head, tail = _force_split(word, font, size, width)
                pieces.append((0.0, head, font))
                x = text_width(head, font, size)
                flush()
                queue.append((tail, font))
    if pieces:
        flush()
    return lines


def set_text(paragraphs: Sequence[Paragraph], size: float, width: float, language: str,
             leading: float = LEADING) -> TextBlock:
    """Wrap paragraphs at one size into a block of ``width`` points."""
    lines = wrap(tokenize(paragraphs), size, width, hyphenator(language))
    return TextBlock(tuple(lines), size, round(size * leading, 3))


def lines_height(size: float, lines: int, leading: float = LEADING) -> float:
    """The height of a block of ``lines`` lines at ``size`` (a hair more, for float safety)."""
    return (lines - 1) * size * leading + (ASCENT + DESCENT) * size + 0.01


@dataclass(frozen=True)
class Fit:
    """The result of fitting: the blocks (one per field) and the overflow in points (0 if it fits)."""

    blocks: tuple[TextBlock, ...]
    overflow: float

    @property
    def fits(self) -> bool:
        return self.overflow <= 0.0


def fit_stack(fields: Sequence[tuple[Sequence[Paragraph], float, float]], width: float, height: float,
              gaps: Sequence[float], language: str, steps: int = 24) -> Fit:
    """Fit several fields stacked in one box, shrinking all of them together.

    ``fields`` holds ``(paragraphs, largest size, smallest size)``; ``gaps[i]`` is the space after
    field ``i`` in points. Sizes fall together from their largest toward their floors in ``steps``
    steps; the first step that fits wins. Smaller text never takes more lines, so fitting is
    monotone: more text never gets a larger size.
    """
    gap_total = sum(gaps[: max(0, len(fields) - 1)])
    best: tuple[TextBlock, ...] = ()
    for step in range(steps + 1):
        t = step / steps
        blocks = tuple(
            set_text(paragraphs, round(top - (top - floor) * t, 2), width, language)
            for paragraphs, top, floor in fields
        )
        total = sum(b.height for b in blocks) + gap_total
        best = blocks
        if total <= height:
            return Fit(blocks, 0.0)
    return Fit(best, sum(b.height for b in best) + gap_total - height)
