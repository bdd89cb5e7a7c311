"""Plan a whole deck: fit every card's texts and encode every QR code before anything is drawn.

In: a ``LoadedDeck``, a ``CardFormat`` and a print ``Profile``.
Out: a ``DeckPlan`` (front and back ``Face`` per lesson, then the contacts card, and the opening
card apart, since it is not one of the numbered lessons), or one ``FitError``
that lists every text that does not fit, missing glyphs and QR codes that are too large, each
located at the file, line and field it was written at (through the ``Located`` texts of a card;
a box holding a text and its translation from the deck's ``companion`` names both). The faces of
a deck in a right-to-left language are mirrored (``display.mirror_face``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from dialoogkit.cards.labels import labels_for
from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.cards.models import Deck
from dialoogkit.errors import FitError, Problem
from dialoogkit.generator.back import QrTooBig, compose_back
from dialoogkit.generator.bilingual import overflow_problems
from dialoogkit.generator.blame import Locator, unique
from dialoogkit.generator.contacts import compose_contacts
from dialoogkit.generator.content import CardContent, gather_card
from dialoogkit.generator.display import Face, mirror_face
from dialoogkit.generator.fonts import register_fonts
from dialoogkit.generator.glyphs import find_glyph_problems
from dialoogkit.generator.front import compose_front
from dialoogkit.generator.located import QrMisfit
from dialoogkit.generator.opening import gather_opening, unnumbered
from dialoogkit.generator.qr import QrTooLong
from dialoogkit.generator.scripts import is_rtl
from dialoogkit.layouts.card import CardGeometry, card_geometry
from dialoogkit.layouts.formats import CardFormat
from dialoogkit.layouts.profiles import Profile, type_scale
from dialoogkit.i18n import say


@dataclass(frozen=True)
class DeckPlan:
    """Every card face of a deck, fitted and ready to draw in any output."""

    deck: Deck
    card_format: CardFormat
    profile: Profile
    geometry: CardGeometry
    faces: tuple[tuple[Face, Face], ...]  # a pair per lesson, in order, then the contacts card
    opening: tuple[Face, Face] | None = None  # the opening card, printed before the lessons

    @property
    def printed_faces(self) -> tuple[tuple[Face, Face], ...]:
        """Every card in print order: the opening card first, then the lessons and contacts."""
        return ((self.opening,) if self.opening else ()) + self.faces

    @property
    def all_faces(self) -> list[Face]:
        """Every printed face, front then back, card by card in print order."""
        return [face for pair in self.printed_faces for face in pair]


def plan_deck(loaded: LoadedDeck, card_format: CardFormat, profile: Profile,
              progress: Callable[[int], None] | None = None) -> DeckPlan:
    """Fit all cards; raise one ``FitError`` naming every card and field that does not fit."""
    register_fonts()
    deck = loaded.deck
    labels = labels_for(deck)
    geo = card_geometry(card_format, type_scale(card_format, profile))
    faces: list[tuple[Face, Face]] = []
    problems = find_glyph_problems(loaded)
    if problems:
        raise FitError(problems)
    locator = Locator(loaded)
    logo = str(loaded.logo_path) if loaded.logo_path else None
    opening = None
    if deck.opening is not None:
        opened = compose_card(locator, gather_opening(deck, labels, logo), geo, card_format)
        if isinstance(opened, list):
            problems.extend(opened)
        else:
            opening = (unnumbered(opened[0]), unnumbered(opened[1]))
    for index in range(len(deck.lessons)):
        card = gather_card(deck, index, labels, logo)
        faces_or_problems = compose_card(locator, card, geo, card_format)
        if isinstance(faces_or_problems, list):
            problems.extend(faces_or_problems)
        else:
            faces.append(faces_or_problems)
        if progress:
            progress(1)
    if deck.contacts:
        front, back, overflows, misfits = compose_contacts(deck, geo, labels)
        where = say("fit.where.contacts_card", format=card_format.name)
        problems += [locator.overflow_problem(over, where, say("fit.fix.fewer_contacts"), geo.scale.body_min_pt)
                     for over in overflows]
        problems += [locator.qr_problem(misfit, say("fit.where.contacts_card", format=card_format.name),
                                        say("fit.fix.larger_format_than", format=card_format.name))
                     for misfit in misfits]
        faces.append((mirror_face(front), mirror_face(back)) if is_rtl(deck.language) else (front, back))
    if problems:
        raise FitError(unique(problems))
    return DeckPlan(deck, card_format, profile, geo, tuple(faces), opening)


def compose_card(locator: Locator, card: CardContent, geo: CardGeometry,
                 card_format: CardFormat) -> tuple[Face, Face] | list[Problem]:
    """The front and back of one card, or the located problems of what does not fit."""
    try:
        front, front_over = compose_front(card, geo)
        back, back_over = compose_back(card, geo)
    except (QrTooBig, QrTooLong) as exc:
        assert card.source_url is not None
        misfit = QrMisfit(card.source_url, exc.needed if isinstance(exc, QrTooBig) else None,
                          exc.room if isinstance(exc, QrTooBig) else geo.qr_max_total)
        return [locator.qr_problem(misfit, say("fit.where.card"),
                                   say("fit.fix.larger_format_than", format=card_format.name))]
    where = say("fit.where.format_card", format=card_format.name)
    fix = say("fit.fix.larger_format")
    problems = [problem for over in front_over + back_over
                for problem in overflow_problems(locator, over, where, fix, geo.scale.body_min_pt)]
    if problems:
        return problems
    return (mirror_face(front), mirror_face(back)) if is_rtl(card.language) else (front, back)  # right to left: mirrored
