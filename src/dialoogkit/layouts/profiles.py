"""Print profiles: the type sizes a deck is set in, and the floors fitting may shrink to.

In: a profile name (``standard`` or ``large-print``) and a card format.
Out: a ``TypeScale`` in points for that card (statement, body, small print, the maxima text may
grow to where there is room, the floors fitting may shrink to) and margins.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialoogkit.layouts.presets import look_up
from dialoogkit.layouts.formats import CardFormat


@dataclass(frozen=True)
class Profile:
    """How large text is set: ``body_min_pt`` is the floor that fitting never goes under."""

    name: str
    body_min_pt: float
    body_base_pt: float | None
    description: str


@dataclass(frozen=True)
class TypeScale:
    """Type sizes (points) and the safe margin (mm) for one card format under one profile.

    Statement and body text take the largest size that fits between ``*_max_pt`` and
    ``*_min_pt``, and pass the regular size (``statement_pt``, ``body_pt``) on the way."""

    statement_pt: float
    statement_min_pt: float
    body_pt: float
    body_min_pt: float
    small_pt: float
    label_pt: float
    margin_mm: float
    statement_max_pt: float
    body_max_pt: float

    @property
    def statement_sizes(self) -> tuple[float, float, float]:
        """The statement's sizes for fitting, largest first: it grows up to its maximum where there
        is room, and passes its regular size on the way down to its floor."""
        return (self.statement_max_pt, self.statement_pt, self.statement_min_pt)

    @property
    def body_sizes(self) -> tuple[float, float, float]:
        """The body's sizes for fitting, largest first (see ``statement_sizes``). The regular size
        is also the preferred one: body text is not hyphenated down to it, and hyphenated only
        below it rather than shrunk further (``textfit.preferred_size``)."""
        return (self.body_max_pt, self.body_pt, self.body_min_pt)


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile("standard", 7.0, None, "body 8.5–12 pt by card size, up to 13 pt where a card has room, "
                "never under 7 pt (default)"),
        Profile("large-print", 14.0, 14.0, "large print: body at least 14 pt, for readers with low vision"),
    )
}
DEFAULT_PROFILE = "standard"


def parse_profile(text: str) -> Profile:
    """A profile by name (case-insensitive)."""
    return look_up(PROFILES, text, "print profile")


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def card_margin_mm(short_mm: float) -> float:
    """The safe margin of a card whose short side is ``short_mm``: 4.5 to 7 mm."""
    return _clamp(short_mm / 17.0, 4.5, 7.0)


def growth(short_mm: float) -> float:
    """How far text may grow beyond its regular size on a card whose short side is ``short_mm``:
    0 on a 50 mm card, rising to 1 on A6 (105 mm) and larger. Small cards hold few words per line,
    so their statements grow less (a line of a statement keeps about 16 letters or more); body
    text grows with the square root of this, as its lines hold many words even on small cards."""
    return _clamp((short_mm - 50.0) / 55.0, 0.0, 1.0)


def type_scale(card: CardFormat, profile: Profile) -> TypeScale:
    """Sizes that grow with the card's short side: A6 gets 10.5 pt body and 20 pt statements,
    growing up to 13 pt and 28 pt where the card has room (statement/body maxima: A7 21.2/11,
    poker 18.9/10.2, tarot 20.3/10.7; large print on A6 37.4/17.4)."""
    body = _clamp(7.0 + card.short_mm / 30.0, 8.0, 12.0)
    if profile.body_base_pt is not None:
        body = max(body, profile.body_base_pt)
    statement = round(body * 1.9, 1)
    small = max(7.0, round(body * 0.78, 1)) if profile.body_base_pt is None else body
    return TypeScale(
        statement_pt=statement,
        statement_min_pt=max(profile.body_min_pt + 1.0, round(statement * 0.6, 1)),
        body_pt=round(body, 1),
        body_min_pt=profile.body_min_pt,
        small_pt=small,
        label_pt=max(7.0, round(body * 0.85, 1)) if profile.body_base_pt is None else body,
        margin_mm=card_margin_mm(card.short_mm),
        statement_max_pt=round(body * (1.9 + 0.77 * growth(card.short_mm)), 1),
        body_max_pt=round(body * (1.0 + 0.24 * growth(card.short_mm) ** 0.5), 1),
    )
