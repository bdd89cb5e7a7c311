"""Balanced lines for statements and headlines: the same words on the same number of lines, with
the line lengths as even as possible (greedy wrapping fills the first lines and leaves a word or
two on the last).

In: the paragraphs of a text that is not hyphenated, the ``TextBlock`` greedy wrapping made of
it, and the width of its box.
Out: a ``TextBlock`` of the same size and number of lines, every line within the width.
"""

from __future__ import annotations

from typing import Sequence

from dialoogkit.generator.fonts import text_width
from dialoogkit.generator.shaping import measure
from dialoogkit.generator.textfit import SOFT_HYPHEN, Line, Paragraph, TextBlock, tokenize


def balance(paragraphs: Sequence[Paragraph], block: TextBlock, width: float, language: str) -> TextBlock:
    """``block`` (unhyphenated text of one paragraph) broken into the same number of lines, each
    within ``width``, with the line lengths as even as possible: the least sum of squared room
    left on the lines. Text with forced breaks, soft hyphens, hyphenated runs or cut words is
    returned as it is (``language`` is that of the text; balancing does not depend on it yet)."""
    tokens = tokenize(paragraphs)
    count = len(block.lines)
    if count < 2 or block.cuts or any(hyph or word == "\n" or SOFT_HYPHEN in word for word, _, hyph in tokens):
        return block
    size = block.size
    widths = [measure(word, font, size) for word, font, _ in tokens]
    spaces = [text_width(" ", font, size) for _, font, _ in tokens]

    def line_width(first: int, end: int) -> float:
        return sum(widths[first:end]) + sum(spaces[first + 1:end])

    # best[lines][end]: (cost, start of the last line) for the first ``end`` words in ``lines`` lines
    best: list[dict[int, tuple[float, int]]] = [{0: (0.0, 0)}]
    for lines in range(1, count + 1):
        row: dict[int, tuple[float, int]] = {}
        for end in range(lines, len(tokens) + 1):
            for first, (cost, _) in best[lines - 1].items():
                if first < end and (used := line_width(first, end)) <= width:
                    total = cost + (width - used) ** 2
                    if end not in row or total < row[end][0]:
                        row[end] = (total, first)
        best.append(row)
    if len(tokens) not in best[count]:
        return block
    breaks, end = [], len(tokens)
    for lines in range(count, 0, -1):
        first = best[lines][end][1]
        breaks.append((first, end))
        end = first
    result = []
    for first, end in reversed(breaks):
        pieces, x = [], 0.0
        for index in range(first, end):
            x += spaces[index] if index > first else 0.0
            pieces.append((x, tokens[index][0], tokens[index][1]))
            x += widths[index]
        result.append(Line(tuple(pieces), x))
    return TextBlock(tuple(result), size, block.leading)
