"""``dialoogkit preview``: the front and back of one card as PNG images, made in a moment.

In: a deck name or path, the lesson (number from 1, or id) and ``PreviewOptions`` (card format,
print profile, dpi, the folder to write into, the gate the deck's paths go through).
Out: two PNG files, ``<deck>-card-03-front.png`` and ``<deck>-card-03-back.png``, each written
atomically, the size of the card's trim at the dpi, in the deck's screen colours (sRGB profile
and dpi in the file); their paths. Only this one card is planned
(fitted, its characters and QR code checked) and drawn, with its number "3 / 10" as in the whole
deck: each face goes on a page of a small PDF in memory, which pypdfium2 turns into pixels, the
way the kit's ``png/`` images are made. A text that does not fit is a ``FitError`` located like
in a build; options are checked before the deck is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dialoogkit.cards.paths import COMMAND_LINE, Gate
from dialoogkit.cards.labels import labels_for
from dialoogkit.cards.loader import LoadedDeck, load_deck
from dialoogkit.cards.show import find_lesson
from dialoogkit.errors import FitError, Problem
from dialoogkit.generator.blame import Locator, unique
from dialoogkit.generator.content import CardContent, gather_card
from dialoogkit.generator.display import Face
from dialoogkit.generator.fonts import REGULAR, register_fonts
from dialoogkit.generator.plan import compose_card
from dialoogkit.generator.located import Located
from dialoogkit.generator.scripts import missing_glyphs
from dialoogkit.i18n import say, speaking_deck
from dialoogkit.layouts.card import CardGeometry, card_geometry
from dialoogkit.layouts.formats import DEFAULT_FORMAT, CardFormat, parse_card_format
from dialoogkit.layouts.profiles import DEFAULT_PROFILE, Profile, parse_profile, type_scale
from dialoogkit.layouts.units import mm
from dialoogkit.output.atomic import write_atomic
from dialoogkit.output.budget import DEFAULT_DPI, check_pixel_budget
from dialoogkit.output.png import face_pngs


@dataclass(frozen=True)
class PreviewOptions:
    """How to preview: the defaults are those of a build."""

    card_format: str = DEFAULT_FORMAT
    profile: str = DEFAULT_PROFILE
    dpi: int = DEFAULT_DPI
    folder: Path = field(default_factory=lambda: Path("."))
    gate: Gate = COMMAND_LINE


def preview_card(deck: str | Path, lesson: str, options: PreviewOptions) -> tuple[Path, Path]:
    """Write the front and back of ``lesson``'s card as PNG (see module docstring)."""
    card_format, profile = parse_card_format(options.card_format), parse_profile(options.profile)
    check_pixel_budget(options.dpi, {say("options.card_images"): (mm(card_format.width_mm), mm(card_format.height_mm))})
    loaded = load_deck(deck, options.gate)
    with speaking_deck(loaded.language):
        index = find_lesson(loaded, lesson)
        front, back, geo = plan_card(loaded, index, card_format, profile)
    images = face_pngs((front, back), (geo.width, geo.height), options.dpi)
    digits = max(2, len(str(len(loaded.deck.lessons))))
    stem = f"{loaded.deck.id}-card-{index + 1:0{digits}d}"
    return (write_atomic(options.folder / f"{stem}-front.png", images[0]),
            write_atomic(options.folder / f"{stem}-back.png", images[1]))


def plan_card(loaded: LoadedDeck, index: int, card_format: CardFormat,
              profile: Profile) -> tuple[Face, Face, CardGeometry]:
    """Fit the card of lesson ``index`` as a build would; ``FitError`` names what does not fit."""
    register_fonts()
    deck = loaded.deck
    geo = card_geometry(card_format, type_scale(card_format, profile))
    card = gather_card(deck, index, labels_for(deck), str(loaded.logo_path) if loaded.logo_path else None)
    locator = Locator(loaded)
    problems = _glyph_problems(locator, card)
    if problems:
        raise FitError(problems)
    faces = compose_card(locator, card, geo, card_format)
    if isinstance(faces, list):
        raise FitError(unique(faces))
    return faces[0], faces[1], geo


def _glyph_problems(locator: Locator, card: CardContent) -> list[Problem]:
    """Characters of this card's texts that the font cannot print."""
    texts: list[Located] = [card.theme_label, card.pillar_label, card.statement, card.explanation, card.footer,
                            card.credit]
    texts += [text for question in card.questions for text in (question.audience, question.text)]
    texts += [text for text in (card.source_title, card.source_url, card.companion_statement) if text is not None]
    texts += list(card.companion_questions)
    problems = []
    for part in (part for text in texts for part in text.parts if part.loc is not None):
        missing = missing_glyphs(part.text, REGULAR)  # no bundled font has them
        if missing:
            shown = ", ".join((f"'{ch}' " if ch.isprintable() else "") + f"(U+{ord(ch):04X})" for ch in missing[:5])
            problems.append(locator.problem(part, say("output.preview.glyphs", characters=shown),
                                            say("output.preview.glyphs_fix")))
    return unique(problems)
