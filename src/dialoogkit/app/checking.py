"""One check of a deck, for every face: what ``dialoogkit check`` prints and the studio shows.

In: a deck (bundled name or path), the gate its paths go through, and the choices that change
what fits: card format, print profile and the session's start time (the guide's agenda).
Out: ``CheckReport``: the loaded deck and its card plan when they could be made, every problem of
loading, card fitting, canvases and the guide (each once, in that order), the placeholder
warnings, and the files the check read (so a face can tell when to check again). ``full=False``
checks loading and the cards only (what a card preview needs). A problem with the deck's content
is in ``problems``; a wrong option or a deck that cannot be found is raised (exit status 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from dialoogkit.app.choices import choice
from dialoogkit.cards.loader import LoadedDeck, load_deck
from dialoogkit.cards.paths import COMMAND_LINE, Gate
from dialoogkit.errors import ContentError, FitError, Problem
from dialoogkit.i18n import speaking_deck

if TYPE_CHECKING:
    from dialoogkit.layouts.formats import CardFormat
    from dialoogkit.layouts.profiles import Profile


@dataclass(frozen=True)
class CheckReport:
    """What checking a deck found (see module docstring)."""

    loaded: LoadedDeck | None
    plan: object | None  # generator.plan.DeckPlan
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()
    files: tuple[Path, ...] = ()
    full: bool = True

    @property
    def language(self) -> str | None:
        """The deck's language (None when it did not load: its problems carry the language)."""
        return self.loaded.language if self.loaded is not None else None

    @property
    def ready(self) -> bool:
        """Whether the deck can be built as checked."""
        return self.loaded is not None and self.plan is not None and not self.problems


def check_deck(deck: str | Path, gate: Gate = COMMAND_LINE, card_format: str | None = None,
               profile: str | None = None, start: str | None = None, full: bool = True) -> CheckReport:
    """Load, plan and check ``deck`` (see module docstring); options left out take the registry's
    defaults, so every face checks the same thing when nothing is chosen. Its messages speak the
    deck's language (unless the user chose one)."""
    try:
        loaded = load_deck(deck, gate)
    except ContentError as exc:
        return CheckReport(None, None, tuple(exc.problems), (), (Path(str(deck)),), full)
    return check_loaded(loaded, card_format, profile, start, full)


def check_loaded(loaded: LoadedDeck, card_format: str | None = None, profile: str | None = None,
                 start: str | None = None, full: bool = True) -> CheckReport:
    """``check_deck`` of a deck already loaded."""
    from dialoogkit.layouts.formats import parse_card_format
    from dialoogkit.layouts.profiles import parse_profile

    fmt = parse_card_format(card_format or str(choice("card_format").default))
    prof = parse_profile(profile or str(choice("profile").default))
    start = start or str(choice("start").default)
    with speaking_deck(loaded.language):
        return _check_loaded(loaded, fmt, prof, start, full)


def _check_loaded(loaded: LoadedDeck, fmt: CardFormat, prof: Profile, start: str, full: bool) -> CheckReport:
    from dialoogkit.generator.guide.story import check_guide
    from dialoogkit.generator.plan import plan_deck
    from dialoogkit.generator.posters.plan import plan_canvases

    problems: list[Problem] = []

    def collect(step: Callable[[], object]) -> object:
        try:
            return step()
        except FitError as exc:
            problems.extend(p for p in exc.problems if p not in problems)
        except ContentError as exc:
            problems.extend(p for p in exc.problems if p not in problems)
        return None

    plan = collect(lambda: plan_deck(loaded, fmt, prof))
    if full:
        collect(lambda: plan_canvases(loaded))
        collect(lambda: check_guide(loaded, start))
    files = tuple(Path(p) for p in loaded.chain) + ((loaded.logo_path,) if loaded.logo_path else ())
    return CheckReport(loaded, plan, tuple(problems), tuple(find_deck_warnings(loaded)), files, full)  # warnings: cheap


def find_deck_warnings(loaded: LoadedDeck) -> list[Problem]:
    """Texts still marked as placeholders (``(invullen)``): warnings, errors only with ``--strict``."""
    from dialoogkit.cards.placeholders import find_warnings

    return list(find_warnings(loaded))


def raise_problems(report: CheckReport, strict: bool = False) -> None:
    """Raise the report's problems (and with ``strict`` its warnings) as one ``ContentError``."""
    problems = list(report.problems) + (list(report.warnings) if strict else [])
    if problems:
        raise ContentError(problems)

