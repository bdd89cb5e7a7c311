"""Plan a whole deck: fit every card's texts and encode every QR code before anything is drawn.

In: a ``LoadedDeck``, a ``CardFormat`` and a print ``Profile``.
Out: a ``DeckPlan`` (front and back ``Face`` per lesson, then the contacts card), or one ``FitError``
that lists every card and field that does not fit, missing glyphs and QR codes that are too large.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from dialoogkit.cards.labels import load_labels
from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.cards.models import Deck
from dialoogkit.errors import FitError, Problem
from dialoogkit.generator.back import QrTooBig, compose_back
from dialoogkit.generator.contacts import compose_contacts
from dialoogkit.generator.content import CardContent, gather_card
from dialoogkit.generator.display import Face
from dialoogkit.generator.fonts import register_fonts
from dialoogkit.generator.glyphs import find_glyph_problems
from dialoogkit.generator.front import compose_front
from dialoogkit.generator.qr import QrTooLong


def shorten(text: str, limit: int = 70) -> str:
    """A long address cut in the middle, for messages."""
    return text if len(text) <= limit else text[: limit // 2] + "…" + text[-limit // 2:]
from dialoogkit.layouts.card import CardGeometry, card_geometry
from dialoogkit.layouts.formats import CardFormat
from dialoogkit.layouts.profiles import Profile, type_scale
from dialoogkit.layouts.units import to_mm


@dataclass(frozen=True)
class DeckPlan:
    """Every card face of a deck, fitted and ready to draw in any output."""

    deck: Deck
    card_format: CardFormat
    profile: Profile
    geometry: CardGeometry
    faces: tuple[tuple[Face, Face], ...]


def plan_deck(loaded: LoadedDeck, card_format: CardFormat, profile: Profile,
              progress: Callable[[int], None] | None = None) -> DeckPlan:
    """Fit all cards; raise one ``FitError`` naming every card and field that does not fit."""
    register_fonts()
    deck = loaded.deck
    labels = load_labels(deck.language)
    geo = card_geometry(card_format, type_scale(card_format, profile))
    faces: list[tuple[Face, Face]] = []
    problems = find_glyph_problems(loaded)
    if problems:
        raise FitError(problems)
    for index, lesson in enumerate(deck.lessons):
        card = gather_card(deck, lesson, index + 1, labels, str(loaded.logo_path) if loaded.logo_path else None)
        faces_or_problems = _compose(loaded, card, geo, card_format, index)
        if isinstance(faces_or_problems, list):
            problems.extend(faces_or_problems)
        else:
            faces.append(faces_or_problems)
        if progress:
            progress(1)
    if deck.contacts:
        front, back, overflows = compose_contacts(deck, geo, labels)
        problems.extend(Problem(*loaded.where("contacts"),
                                f"the contacts do not fit on a {card_format.name} card: they overflow by "
                                f"{to_mm(over):.1f} mm", "list fewer contacts, or choose a larger --format",
                                field=field) for field, over in overflows)
        faces.append((front, back))
    if problems:
        raise FitError(problems)
    return DeckPlan(deck, card_format, profile, geo, tuple(faces))


def _compose(loaded: LoadedDeck, card: CardContent, geo: CardGeometry, card_format: CardFormat,
             index: int) -> tuple[Face, Face] | list[Problem]:
    label = f"'{card.lesson_id}' (card {card.number})"
    try:
        front, front_over = compose_front(card, geo)
        back, back_over = compose_back(card, geo)
    except (QrTooBig, QrTooLong) as exc:
        needed = f"needs {to_mm(exc.needed):.0f} mm but the card has room for {to_mm(exc.room):.0f} mm" \
            if isinstance(exc, QrTooBig) else "is too long for any QR code"
        return [Problem(*loaded.where("lessons", index, "sources", 0, "url"),
                        f"the QR code for {shorten(card.source.url)} {needed}",
                        f"use a shorter address or a larger --format than {card_format.name}",
                        label, "sources[1].url")]
    problems = []
    for field, overflow in front_over + back_over:
        problems.append(Problem(
            *_where_field(loaded, index, field),
            f"the text does not fit on a {card_format.name} card: it overflows by {to_mm(overflow):.1f} mm "
            f"even at the smallest allowed size ({geo.scale.body_min_pt:g} pt)",
            "shorten it, or choose a larger --format", label, field))
    return problems if problems else (front, back)


def _where_field(loaded: LoadedDeck, index: int, field: str) -> tuple[str, int | None]:
    if field in ("title", "source.title"):
        return loaded.where(*field.split("."))
    if field == "theme.label":
        return loaded.where("themes", loaded.deck.lessons[index].theme, "label")
    if field == "sources[1].title":
        return loaded.where("lessons", index, "sources", 0, "title")
    return loaded.where("lessons", index, field)
