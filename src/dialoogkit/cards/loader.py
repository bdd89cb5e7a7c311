"""Load a deck: find it, resolve what it extends, validate it and report every problem at once.

In: a bundled deck name or a path to a deck file.
Out: a ``LoadedDeck`` (the validated ``Deck``, the file it came from, the chain of decks it
extends, and where each value was written; the texts of its ``companion`` deck noted on the deck,
see ``cards.companion``; ``language``, the deck's language for the messages of whatever works on
it next), or a ``ContentError`` listing every problem as ``file:line: lesson 'x', field 'y':
what — fix``. The loader's own messages speak the deck's language as soon as it has read it;
reading a deck changes the language of nothing after it (``i18n.speaking_deck``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from dialoogkit.cards.bundled import resolve_deck
from dialoogkit.cards.companion import load_companion
from dialoogkit.cards.extends import resolve_extends
from dialoogkit.cards.labels import find_label_problems
from dialoogkit.cards.logo import check_logo
from dialoogkit.cards.messages import translate_error, where
from dialoogkit.cards.models import Deck
from dialoogkit.cards.paths import COMMAND_LINE, Gate
from dialoogkit.cards.provenance import find_own_lessons
from dialoogkit.cards.references import find_reference_problems, find_session_problems
from dialoogkit.cards.yamlsource import Origins
from dialoogkit.errors import ContentError, Problem
from dialoogkit.i18n import speaking_deck


@dataclass(frozen=True)
class LoadedDeck:
    """A validated deck with the file it came from and where each value was written."""

    deck: Deck
    path: Path
    origins: Origins
    chain: tuple[str, ...] = ()
    logo_path: Path | None = None

    @property
    def language(self) -> str:
        """The deck's language: messages about it are given in it unless the user chose one
        (``with i18n.speaking_deck(loaded.language)``)."""
        return self.deck.language

    @property
    def sources(self) -> tuple[str, ...]:
        """Every file the deck was read from: its own, what it extends, its logo, and its companion
        deck with what that extends and its logo. Nothing may write over them while it is open."""
        companion = self.deck.companion_texts
        return (str(self.path), *self.chain, *((str(self.logo_path),) if self.logo_path else ()),
                *(companion.sources if companion is not None else ()))

    def where(self, *loc: str | int) -> tuple[str, int | None]:
        """``(file, line)`` of a value, or of its nearest parent (files differ along ``extends``)."""
        return where(loc, self.origins, str(self.path))

    def line_of(self, *loc: str | int) -> int | None:
        """The line of a value in the file it was written in."""
        return self.where(*loc)[1]


def load_deck(name_or_path: str | Path, gate: Gate = COMMAND_LINE) -> LoadedDeck:
    """Find, read and validate a deck (see module docstring); every file it names (``extends``,
    ``logo``, ``companion``) is opened through ``gate`` (``cards.paths``)."""
    with speaking_deck():
        path = resolve_deck(str(name_or_path))
        return validate_file(path, gate)


def validate_file(path: Path, gate: Gate = COMMAND_LINE, as_companion: bool = False) -> LoadedDeck:
    """Read the deck file at ``path``, apply what it extends, and validate the result; with its
    ``companion`` deck matched to it (``as_companion``: the file is itself a companion, read in
    the main deck's message language, and its own ``companion`` is ignored)."""
    file = str(path)
    data, origins, chain = resolve_extends(path, gate=gate, language_known=as_companion)
    problems: list[Problem] = []
    deck = None
    try:
        deck = Deck.model_validate(data)
    except ValidationError as exc:
        problems.extend(translate_error(err, Deck, data, origins, file) for err in exc.errors())
    problems.extend(find_reference_problems(data, origins, file))
    problems.extend(find_session_problems(data, origins, file))
    problems.extend(find_label_problems(data, origins, file))
    logo_path = None
    if deck is not None and deck.logo:
        logo = check_logo(deck.logo, *where(("logo",), origins, file), gate)
        if isinstance(logo, Problem):
            problems.append(logo)
        else:
            logo_path = logo
    if problems:
        problems.sort(key=lambda p: (p.file != file, p.file, p.line or 0))
        raise ContentError(problems)
    assert deck is not None
    deck.note_own_lessons(find_own_lessons(deck, origins))
    if deck.companion and not as_companion:
        companion, companion_origins = load_companion(deck, origins, file, gate, _read_companion)
        deck.note_companion(companion)
        origins = {**origins, **companion_origins}
    return LoadedDeck(deck, path, origins, chain, logo_path)


def _read_companion(path: Path, gate: Gate) -> LoadedDeck:
    return validate_file(path, gate, as_companion=True)
