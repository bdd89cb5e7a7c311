"""Which lessons a deck wrote itself, so credit goes where it is due.

In: a validated ``Deck`` and where each of its values was written (the merged origins of its
``extends`` chain).
Out: ``own_lessons``: the ids of the lessons credited to the deck (title and region) rather than
to the publication in ``source``. A lesson carries the publication's credit when it was written
in the same file as the ``source`` it would be credited to (a bundled deck's lessons, or a deck
of one file that names its own source); a lesson added by a deck file that extends another and
does not name a source of its own is that deck's own work.
"""

from __future__ import annotations

from dialoogkit.cards.messages import locate
from dialoogkit.cards.models import Deck
from dialoogkit.cards.yamlsource import Origins


def find_own_lessons(deck: Deck, origins: Origins) -> frozenset[str]:
    """The ids of the lessons of ``deck`` that were not written beside the credited publication."""
    source = locate(("source", "title"), origins)
    own: set[str] = set()
    for index, lesson in enumerate(deck.lessons):
        written = locate(("lessons", index, "id"), origins)
        if source is None or written is None or written.file != source.file:
            own.add(lesson.id)
    return frozenset(own)
