"""Load a deck: find it, read its YAML, validate it and report every problem at once.

In: a bundled deck name or a path to a deck file.
Out: a ``LoadedDeck`` (the validated ``Deck``, where it came from, its line map), or a
``ContentError`` listing every problem as ``file:line: lesson 'x', field 'y': what — fix``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from dialoogkit.cards.bundled import resolve_deck
from dialoogkit.cards.messages import describe_value, locate, translate_error
from dialoogkit.cards.models import Deck
from dialoogkit.cards.references import find_reference_problems
from dialoogkit.cards.yamlsource import LineMap, read_yaml
from dialoogkit.errors import ContentError, Problem


@dataclass(frozen=True)
class LoadedDeck:
    """A validated deck with the file it came from and where each value stands in it."""

    deck: Deck
    path: Path
    lines: LineMap

    def line_of(self, *loc: str | int) -> int | None:
        """The line of a value in the deck file, or of its nearest parent."""
        return locate(loc, self.lines)


def load_deck(name_or_path: str | Path) -> LoadedDeck:
    """Find, read and validate a deck (see module docstring)."""
    path = resolve_deck(str(name_or_path))
    return validate_file(path)


def validate_file(path: Path) -> LoadedDeck:
    """Read and validate the deck file at ``path``."""
    file = str(path)
    data, lines = read_yaml(path)
    if not isinstance(data, dict):
        raise ContentError([Problem(file, 1, f"expected a deck (a block of fields such as `title:` and `lessons:`), "
                                             f"found {describe_value(data)}",
                                    "start the file with `id:`, `title:` and `lessons:` at the left margin")])
    problems: list[Problem] = []
    deck = None
    try:
        deck = Deck.model_validate(data)
    except ValidationError as exc:
        problems.extend(translate_error(err, Deck, data, lines, file) for err in exc.errors())
    problems.extend(find_reference_problems(data, lines, file))
    if problems:
        problems.sort(key=lambda p: (p.line or 0))
        raise ContentError(problems)
    assert deck is not None
    return LoadedDeck(deck, path, lines)
