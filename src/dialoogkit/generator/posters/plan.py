"""Plan all canvases of a deck before anything is drawn.

In: a ``LoadedDeck``.
Out: a ``PosterPlan`` (named faces in A3 points: one lesson canvas per lesson, then the overview,
pillars and action plan canvases), or one ``FitError`` naming every canvas and field that does
not fit and QR codes too large for a canvas.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialoogkit.cards.labels import load_labels
from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.cards.models import Deck
from dialoogkit.errors import FitError, Problem
from dialoogkit.generator.display import Face
from dialoogkit.generator.fonts import register_fonts
from dialoogkit.generator.glyphs import find_glyph_problems
from dialoogkit.generator.posters.lesson import compose_lesson_canvas
from dialoogkit.generator.posters.overview import compose_overviews
from dialoogkit.generator.qr import QrTooLong
from dialoogkit.layouts.units import to_mm


@dataclass(frozen=True)
class PosterPlan:
    """Every canvas of a deck as ``(name, face)``, in print order."""

    deck: Deck
    faces: tuple[tuple[str, Face], ...]


def plan_canvases(loaded: LoadedDeck) -> PosterPlan:
    """Compose all canvases; raise one ``FitError`` listing everything that does not fit."""
    register_fonts()
    deck = loaded.deck
    labels = load_labels(deck.language)
    problems = find_glyph_problems(loaded)
    if problems:
        raise FitError(problems)
    faces: list[tuple[str, Face]] = []
    logo = str(loaded.logo_path) if loaded.logo_path else None
    for index, lesson in enumerate(deck.lessons):
        name = f"lesson-{index + 1:02d}"
        try:
            face, overflows = compose_lesson_canvas(deck, lesson, index + 1, labels, logo)
        except QrTooLong:
            problems.append(Problem(*loaded.where("lessons", index, "sources", 0, "url"),
                                    "the address is too long for any QR code", "use a shorter address",
                                    f"'{lesson.id}' (canvas {name})", "sources[1].url"))
            continue
        problems.extend(_overflow_problems(loaded, overflows, f"'{lesson.id}' (canvas {name})", index))
        faces.append((name, face))
    for name, face, overflows in compose_overviews(deck, labels, logo):
        problems.extend(_overflow_problems(loaded, overflows, None, None, name))
        faces.append((name, face))
    if problems:
        raise FitError(problems)
    return PosterPlan(deck, tuple(faces))


def _overflow_problems(loaded: LoadedDeck, overflows: list, lesson: str | None, index: int | None,
                       canvas: str = "") -> list[Problem]:
    problems = []
    for field, overflow in overflows:
        loc: tuple = ("lessons", index, field) if index is not None else ()
        where = f"on canvas '{canvas}'" if canvas else "on its canvas"
        problems.append(Problem(*(loaded.where(*loc) if loc else (str(loaded.path), None)),
                                f"the text does not fit {where}: it overflows by {to_mm(overflow):.1f} mm "
                                "even at the smallest allowed size", "shorten it", lesson, field))
    return problems
