"""Text fitting: measure and wrap text in any script into boxes, with hyphenation where pyphen has the language. Never draws.

In: paragraphs made of runs (text + font; a run may forbid hyphenation: statements, headlines and
names), a box width and height, and the sizes a field may take (largest first).
Out: ``TextBlock`` values (lines of positioned runs, size, leading, height) that are guaranteed to
fit their box, at the largest sizes that fit, or the number of points by which the text overflows
at the smallest size.
Widths come from ``shaping.measure`` (shaped glyphs for Arabic, Hebrew, Ethiopic; else as
``fonts.text_width``). Hyphenation only where pyphen has the language, never in those scripts
(where a word may break: ``hyphenation``). In a stack of fields (``fit_stack``) a field that may
be hyphenated and has a regular size (card body text: the profile's body size) is not hyphenated
down to that size; only below it is it hyphenated, rather than shrunk further.
Text is handled as plain characters: nothing is ever interpreted as markup. It is normalised to
NFC first (a decomposed "e" + U+0301 is measured and printed as "é"); a soft hyphen (U+00AD) is a
break point the author chose: it prints nothing, or a visible hyphen when the line breaks there.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, Sequence

from dialoogkit.generator.fonts import text_width
from dialoogkit.generator.hyphenation import SOFT_HYPHEN, Hyphenator, break_points, force_split, hyphenator, printed
from dialoogkit.generator.shaping import measure as measure_text

LEADING = 1.22
NARROWEST = 0.15  # the narrowest glyph's width, as a fraction of the size
GROW_PRECISION = 0.1  # points: a field grows into the room the others leave to within this
ASCENT = 0.92  # room above the first baseline, as a fraction of the size (accented capitals fit)
DESCENT = 0.26  # room below the last baseline
_SPACE = re.compile(r"[^\S\n\u00a0\u202f]+")  # any white space but newlines and no-break spaces


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph set in one font."""

    text: str
    font: str
    hyphenate: bool = True


Paragraph = Sequence[Run]


class Line(NamedTuple):
    """One line of text: pieces of ``(x offset, text, font)``, its width in points and whether a
    paragraph (or a line of a text with newlines) ends after it, so that drawing can resolve the
    direction of right-to-left text over the whole paragraph (a named tuple: fitting makes many of
    them). The last line of a block always ends its paragraph, whatever it says."""

    pieces: tuple[tuple[float, str, str], ...]
    width: float
    ends_paragraph: bool = False


@dataclass(frozen=True)
class TextBlock:
    """Wrapped text at one size. The first baseline lies ``ascent`` below the block's top; the
    block ends ``DESCENT`` × size below the last baseline."""

    lines: tuple[Line, ...]
    size: float
    leading: float
    cuts: int = 0  # words that may not be hyphenated but were cut because they are wider than a line

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


Token = tuple[str, str, bool]  # (word, font, may be hyphenated); ("\n", "", True) breaks the line


def tokenize(paragraphs: Sequence[Paragraph]) -> list[Token]:
    """Words as ``(text, font, hyphenate)`` in NFC; ``("\\n", "", True)`` marks a forced line
    break (between paragraphs and at newlines inside a text)."""
    tokens: list[Token] = []
    for p_index, paragraph in enumerate(paragraphs):
        if p_index:
            tokens.append(("\n", "", True))
        for run in paragraph:
            text = run.text if unicodedata.is_normalized("NFC", run.text) else unicodedata.normalize("NFC", run.text)
            for l_index, line in enumerate(text.split("\n")):
                if l_index:
                    tokens.append(("\n", "", True))
                tokens.extend((word, run.font, run.hyphenate) for word in _SPACE.split(line) if word)
    return tokens


Measured = tuple[str, str, bool, str, float, float]  # a token, its printed form, its width and its space's at 1 pt


def measure(tokens: Sequence[Token]) -> list[Measured]:
    """Tokens with their printed form and the widths of it and of a space in its font at 1 pt, so
    that wrapping at any size only multiplies."""
    measured: list[Measured] = []
    for word, font, hyphenate in tokens:
        shown = "\n" if word == "\n" else printed(word)
        unit = 0.0 if word == "\n" else measure_text(shown, font, 1.0)
        measured.append((word, font, hyphenate, shown, unit, text_width(" ", font, 1.0) if font else 0.0))
    return measured


def wrap(tokens: Sequence[Measured], size: float, width: float, hyph: Hyphenator | None) -> tuple[list[Line], int]:
    """Greedy line breaking, with hyphenation (where the token allows it) when a word does not fit
    the rest of a line. Returns the lines and how many words that may not be hyphenated had to be
    cut because they are wider than a whole line."""
    lines: list[Line] = []
    pieces: list[tuple[float, str, str]] = []
    x = 0.0
    cuts = 0
    queue = list(tokens)
    queue.reverse()
    while queue:
        token = queue.pop()
        word, font, hyphenate, shown, unit, space_unit = token
        if word == "\n":
            lines.append(Line(tuple(pieces), x, True))
            pieces, x = [], 0.0
            continue
        if not shown:
            continue
        space = space_unit * size if pieces else 0.0
        if x + space + unit * size <= width:
            pieces.append((x + space, shown, font))
            x += space + unit * size
            continue
        room = width - x - space
        most = int(room / (NARROWEST * size)) + 1  # heads longer than this cannot fit
        for head, tail in break_points(word, hyph if hyphenate else None, most):
            head_width = measure_text(head, font, size)
            if head_width <= room:
                pieces.append((x + space, head, font))
                lines.append(Line(tuple(pieces), x + space + head_width))
                pieces, x = [], 0.0
                queue.append(_measure_one(tail, font, hyphenate))
                break
        else:
            if pieces:
                lines.append(Line(tuple(pieces), x))
                pieces, x = [], 0.0
                queue.append(token)
            else:
                head, tail = force_split(shown, font, size, width)
                cuts += 0 if hyphenate else 1
                lines.append(Line(((0.0, head, font),), measure_text(head, font, size)))
                queue.append(_measure_one(tail, font, hyphenate))
    if pieces:
        lines.append(Line(tuple(pieces), x, True))
    return lines, cuts


@lru_cache(maxsize=50_000)
def _measure_one(word: str, font: str, hyphenate: bool) -> Measured:
    return measure([(word, font, hyphenate)])[0]


def _set_tokens(tokens: Sequence[Measured], size: float, width: float, hyph: Hyphenator | None,
                leading: float = LEADING) -> TextBlock:
    lines, cuts = wrap(tokens, size, width, hyph)
    return TextBlock(tuple(lines), size, round(size * leading, 3), cuts)


def set_text(paragraphs: Sequence[Paragraph], size: float, width: float, language: str,
             leading: float = LEADING) -> TextBlock:
    """Wrap paragraphs at one size into a block of ``width`` points."""
    return _set_tokens(measure(tokenize(paragraphs)), size, width, hyphenator(language), leading)


def preferred_size(sizes: Sequence[float]) -> float | None:
    """The size down to which a field that may be hyphenated is set without hyphenation: the
    regular size of a field of three or more sizes ``(largest, regular, …, smallest)``, for card
    body text the profile's body size (``TypeScale.body_pt``: 10.5 pt on A6); None for a field of
    one or two sizes, which is hyphenated at every size."""
    return sizes[1] if len(sizes) >= 3 else None


def _unhyphenated(tokens: Sequence[Measured]) -> list[Measured]:
    """``tokens`` with hyphenation forbidden: they break at spaces and at the author's soft
    hyphens only, and a word wider than the line counts as cut (so that its field shrinks)."""
    return [(word, font, False, shown, unit, space) for word, font, _, shown, unit, space in tokens]


def _set_field(tokens: Sequence[Measured], whole: Sequence[Measured], preferred: float | None, floor: float,
               size: float, width: float, hyph: Hyphenator | None) -> TextBlock:
    """A field of ``fit_stack`` at ``size``: at its preferred size and above set from ``whole``
    (its tokens unhyphenated), never hyphenated; below it, and at its floor (where it cannot
    shrink further), hyphenated, unless whole words take no more lines and cut no more words."""
    if preferred is None or hyph is None or not any(token[2] for token in tokens):
        return _set_tokens(tokens, size, width, hyph)
    plain = _set_tokens(whole, size, width, hyph)
    if size >= preferred and size > floor:
        return plain
    hyphenated = _set_tokens(tokens, size, width, hyph)
    return plain if len(plain.lines) <= len(hyphenated.lines) and plain.cuts <= hyphenated.cuts else hyphenated


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


Field = tuple  # (paragraphs, size, size, ...): the sizes a field may take, largest first


def _size_at(knots: Sequence[float], u: float) -> float:
    """The size at ``u`` (0 = first knot, 1 = last) on the piecewise linear path through ``knots``."""
    if len(knots) == 1:
        return knots[0]
    position = u * (len(knots) - 1)
    index = min(int(position), len(knots) - 2)
    high, low = knots[index], knots[index + 1]
    return round(high - (high - low) * (position - index), 2)


def _capped(knots: tuple[float, ...], tokens: Sequence[Measured], width: float) -> tuple[float, ...]:
    """``knots`` no larger than the size at which the widest word that may not be broken fills
    ``width`` (but never under the smallest knot): such text shrinks to fit its widest word by
    itself, without making the other fields of its stack smaller."""
    unit = max((unit for word, _, hyph, _, unit, _ in tokens if not hyph and SOFT_HYPHEN not in word),
               default=0.0)
    if unit <= 0.0:
        return knots
    cap = math.floor(width / unit * 100.0) / 100.0
    return tuple(max(knots[-1], min(size, cap)) for size in knots)


def grow(fit: Fit, index: int, paragraphs: Sequence[Paragraph], largest: float, width: float, height: float,
         gaps: Sequence[float], language: str) -> Fit:
    """``fit`` with field ``index`` (set from ``paragraphs``) as large as it can be, up to
    ``largest``, on no more lines, while the other fields keep their sizes and all still fit
    ``height`` (the statement takes what its lines leave over)."""
    blocks = list(fit.blocks)
    block = blocks[index]
    if not fit.fits or block.size >= largest:
        return fit
    tokens, hyph = measure(tokenize(paragraphs)), hyphenator(language)
    largest = _capped((largest, block.size), tokens, width)[0]
    others = sum(b.height for i, b in enumerate(blocks) if i != index) + sum(gaps[: max(0, len(blocks) - 1)])
    lines = len(block.lines)
    tallest = (height - others) / ((lines - 1) * LEADING + ASCENT + DESCENT)  # the size that fills the height
    low, high = block.size, min(largest, math.floor(tallest * 100.0) / 100.0)
    filled = math.floor(block.size * width / max(block.width, 1e-6) * 100.0) / 100.0  # its widest line fills the width
    size = min(high, filled) if filled > low else high  # first the same breaks, as large as they go; then beyond
    while size > low:
        trial = _set_tokens(tokens, size, width, hyph)
        if len(trial.lines) <= lines and not trial.cuts and trial.height + others <= height:
            low, block = size, trial
        else:
            high = size
        if high - low < GROW_PRECISION:
            break
        size = round((low + high) / 2, 2)
    blocks[index] = block
    return Fit(tuple(blocks), 0.0)


def _first_guess(knots: Sequence[float], last: int, most: int, room: float, needed: float) -> int:
    """The step at which text that needs ``needed`` points of height at the first step might fill
    ``room``: its height goes roughly with the square of its size (more lines, each taller). The
    guess is at most ``most`` (the first knot), so that a fit at a middle size is always tried."""
    target = knots[0] * math.sqrt(max(room, 1.0) / max(needed, 1.0))
    for step in range(1, most + 1):
        if _size_at(knots, step / last) <= target:
            return step
    return most


def fit_stack(fields: Sequence[Field], width: float, height: float, gaps: Sequence[float], language: str,
              steps: int = 24) -> Fit:
    """Fit several fields stacked in one box at the largest sizes that fit.

    ``fields`` holds ``(paragraphs, largest, …, smallest)``: the sizes a field may take, e.g.
    ``(paragraphs, 28, 20, 12)`` grows up to 28 pt and shrinks down to 12 pt, and passes 20 pt on
    the way, so that whenever the fields fit at their middle sizes they get at least those.
    ``gaps[i]`` is the space after field ``i`` in points. All fields move together along their
    sizes in ``steps`` steps per stretch between two sizes; the largest step that fits wins. It is
    found from a first guess (height goes with the square of the size), then where the heights'
    straight line meets the box, then by bisection: fitting is monotone (smaller text never takes
    more lines, so more text never gets a larger size). A field that may not be hyphenated does
    not fit while one of its words is wider than the line, unless that is so even at the smallest
    size; its sizes are first capped so that its widest word fits the line. A field of three or
    more sizes that may be hyphenated is set without hyphenation down to its regular size (see
    ``preferred_size``) and hyphenated only below it, rather than shrunk further.
    """
    gap_total = sum(gaps[: max(0, len(fields) - 1)])
    hyph = hyphenator(language)
    prepared = [(tokens, _capped(tuple(field[1:]), tokens, width))
                for tokens, field in ((measure(tokenize(field[0])), field) for field in fields)]
    rules = [(_unhyphenated(tokens), preferred_size(field[1:]), field[-1])
             for (tokens, _), field in zip(prepared, fields)]
    stretches = max((len(knots) - 1 for _, knots in prepared), default=1) or 1
    last = steps * stretches
    tried: dict[int, tuple[tuple[TextBlock, ...], float, bool]] = {}
    made: dict[tuple[int, float], TextBlock] = {}  # a field keeps its size along some stretches

    def block_at(index: int, size: float) -> TextBlock:
        if (index, size) not in made:
            made[index, size] = _set_field(prepared[index][0], *rules[index], size, width, hyph)
        return made[index, size]

    def attempt(step: int) -> bool:
        if step not in tried:
            blocks = tuple(block_at(index, _size_at(knots, step / last)) for index, (_, knots) in enumerate(prepared))
            excess = sum(b.height for b in blocks) + gap_total - height
            shrinkable_cuts = any(b.cuts and b.size > knots[-1] for b, (_, knots) in zip(blocks, prepared))
            tried[step] = (blocks, excess, excess <= 0 and not shrinkable_cuts)
        return tried[step][2]

    if attempt(0):
        return Fit(tried[0][0], 0.0)
    fails, found = 0, -1
    guess = _first_guess(prepared[0][1], last, min(steps, last), height - gap_total, tried[0][1] + height - gap_total)
    if attempt(guess):
        found = guess
    else:
        fails = guess
    for knot in range(1, stretches + 1):  # else the first stretch that ends in a fit
        if found >= 0 or knot * steps <= fails:
            continue
        if attempt(knot * steps):
            found = knot * steps
            break
        fails = knot * steps
    if found < 0:  # not even at the smallest sizes (or only with words cut that may not be)
        blocks, excess, _ = tried[last]
        return Fit(blocks, max(0.0, excess))
    over, under = tried[fails][1], tried[found][1]
    if found - fails > 1 and over > 0:  # first where the heights' straight line crosses the box, then its neighbour
        guess = min(found - 1, max(fails + 1, fails + round((found - fails) * over / (over - under))))
        if attempt(guess):
            found, neighbour = guess, guess - 1
        else:
            fails, neighbour = guess, guess + 1
        if fails < neighbour < found:
            if attempt(neighbour):
                found = neighbour
            else:
                fails = neighbour
    while found - fails > 1:
        middle = (fails + found) // 2
        if attempt(middle):
            found = middle
        else:
            fails = middle
    return Fit(tried[found][0], 0.0)
