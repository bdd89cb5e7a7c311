"""Plan all canvases of a deck before anything is drawn.

In: a ``LoadedDeck``.
Out: a ``PosterPlan`` (named faces in A3 points: one lesson canvas per lesson, then the overview,
pillars and action plan canvases), or one ``FitError`` naming every canvas and field that does
not fit and QR codes too large for a canvas.
"""

from __future__ import annotations

import re
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
    for name, overflow in overflows:
        field, loc = deck_field(loaded, name, index)
        where = f"on canvas '{canvas}'" if canvas else "on its canvas"
        problems.append(Problem(*loaded.where(*loc), f"the text does not fit {where}: it overflows by "
                                f"{to_mm(overflow):.1f} mm even at the smallest allowed size", "shorten it",
                                lesson, field))
    return problems


def deck_field(loaded: LoadedDeck, name: str, index: int | None) -> tuple[str, tuple]:
    """The deck field (as shown to the author, and as a path) behind a canvas text's name."""
    deck = loaded.deck
    lesson = deck.lessons[index] if index is not None else None
    if name == "header" and lesson is not None:
        return f"themes.{lesson.theme}.label", ("themes", lesson.theme, "label")
    if name in ("header-right", "footer", "header"):
        return "title", ("title",)
    numbered = re.match(r"lessons\[(\d+)\]\.(\w+)", name)
    if numbered:
        return name, ("lessons", int(numbered.group(1)) - 1, numbered.group(2))
    if name.startswith("pillars."):
        return name, tuple(name.split("."))
    if name == "table.header":
        return "audiences", ("audiences",)
    if lesson is not None and name in ("self.prompt", "higher.prompt"):
        key = name.split(".")[0]
        return f"actions.{key}", ("lessons", index, "actions", key)
    if lesson is not None and name == "sources[1].title":
        return name, ("lessons", index, "sources", 0, "title")
    if lesson is not None:
        return name, ("lessons", index, name)
    return name, ()
