"""Texts that carry the place they were written, so a problem with a composed text names the real
field.

In: the pieces a printed text is composed of: deck fields (with their path in the deck, or in the
bundled guide file) and fixed labels of dialoogkit ("Pijler: ", " · ", "3 / 10").
Out: ``Located`` texts (the printed string plus its parts and their paths), ``Overflow`` records
(a box whose texts do not fit: by how much, and which texts share it) and ``QrMisfit`` records (an
address whose QR code has no room). ``blame`` turns them into located problems.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialoogkit.cards.guide_texts import DECK
from dialoogkit.cards.yamlsource import PathKey


@dataclass(frozen=True)
class Part:
    """A piece of a printed text: written at ``loc`` in the deck (``root`` DECK) or in the bundled
    guide file (``root`` GUIDE), or a fixed label of dialoogkit when ``loc`` is None."""

    text: str
    loc: PathKey | None = None
    root: str = DECK


@dataclass(frozen=True)
class Located:
    """A printed text made of parts, each knowing where it was written."""

    parts: tuple[Part, ...]

    @property
    def text(self) -> str:
        return "".join(part.text for part in self.parts)

    def __str__(self) -> str:
        return self.text


def written(text: str, *loc: str | int, root: str = DECK) -> Located:
    """The text of one field, written at ``loc``."""
    return Located((Part(text, tuple(loc), root),))


def fixed(text: str) -> Located:
    """A fixed label or a computed text (lesson number, clock time): no author wrote it."""
    return Located((Part(text),))


def joined(*pieces: Located | str) -> Located:
    """Pieces set one after another; plain strings are fixed labels."""
    parts: list[Part] = []
    for piece in pieces:
        parts.extend(piece.parts if isinstance(piece, Located) else (Part(piece),))
    return Located(tuple(parts))


def separated(pieces: list[Located], separator: str) -> Located:
    """Pieces with ``separator`` between them (e.g. publishers joined by ", ")."""
    between: list[Located | str] = []
    for index, piece in enumerate(pieces):
        between += [separator, piece] if index else [piece]
    return joined(*between)


@dataclass(frozen=True)
class Overflow:
    """A box whose texts do not fit even at the smallest allowed size: by ``points``; ``texts`` are
    the texts sharing the box (the one to shorten is chosen among them); ``what`` names them."""

    points: float
    texts: tuple[Located, ...]
    what: str = "text"


def overflow(points: float, *texts: Located, what: str = "text") -> Overflow:
    """An ``Overflow`` of ``texts`` by ``points``."""
    return Overflow(points, tuple(texts), what)


@dataclass(frozen=True)
class QrMisfit:
    """A web address whose QR code cannot be printed at the minimum size: too long for any QR code
    (``needed`` is None), or ``needed`` points wide (with its quiet zone) where ``room`` is left."""

    url: Located
    needed: float | None
    room: float
