"""Plan all canvases of a deck before anything is drawn.

In: a ``LoadedDeck``.
Out: a ``PosterPlan`` (named faces in A3 points: one lesson canvas per lesson, then the overview,
pillars and action plan canvases), or one ``FitError`` naming every text that does not fit and
every address too long for a QR code, each at the file, line and field it was written at (through
the ``Located`` texts of a canvas). A right-to-left deck's canvases are mirrored
(``display.mirror_face``).
"""

from __future__ import annotations

from dataclasses import dataclass

from dialoogkit.cards.labels import labels_for
from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.cards.models import Deck
from dialoogkit.errors import FitError
from dialoogkit.generator.bilingual import overflow_problems
from dialoogkit.generator.blame import Locator, unique
from dialoogkit.generator.display import Face, mirror_face
from dialoogkit.generator.fonts import register_fonts
from dialoogkit.generator.glyphs import find_glyph_problems
from dialoogkit.generator.posters.lesson import compose_lesson_canvas
from dialoogkit.generator.posters.overview import compose_overviews
from dialoogkit.generator.located import QrMisfit, written
from dialoogkit.generator.qr import QrTooLong
from dialoogkit.generator.scripts import is_rtl
from dialoogkit.i18n import say


@dataclass(frozen=True)
class PosterPlan:
    """Every canvas of a deck as ``(name, face)``, in print order."""

    deck: Deck
    faces: tuple[tuple[str, Face], ...]


def plan_canvases(loaded: LoadedDeck) -> PosterPlan:
    """Compose all canvases; raise one ``FitError`` listing everything that does not fit."""
    register_fonts()
    deck = loaded.deck
    labels = labels_for(deck)
    problems = find_glyph_problems(loaded)
    if problems:
        raise FitError(problems)
    locator = Locator(loaded)
    faces: list[tuple[str, Face]] = []
    logo = str(loaded.logo_path) if loaded.logo_path else None
    for index, lesson in enumerate(deck.lessons):
        name = f"lesson-{index + 1:02d}"
        try:
            face, overflows = compose_lesson_canvas(deck, index, labels, logo)
        except QrTooLong:
            url = written(lesson.sources[0].url, "lessons", index, "sources", 0, "url")
            problems.append(locator.qr_problem(QrMisfit(url, None, 0.0), say("fit.where.canvas"), "", surface="canvas"))
            continue
        problems += [problem for over in overflows for problem in
                     overflow_problems(locator, over, say("fit.where.named_canvas", name=name), surface="canvas")]
        faces.append((name, face))
    for name, face, overflows in compose_overviews(deck, labels, logo):
        problems += [locator.overflow_problem(over, say("fit.where.named_canvas", name=name), surface="canvas") for over in overflows]
        faces.append((name, face))
    if problems:
        raise FitError(unique(problems))
    if is_rtl(deck.language):  # a right-to-left deck's canvases are mirrored, like its cards
        faces = [(name, mirror_face(face)) for name, face in faces]
    return PosterPlan(deck, tuple(faces))
