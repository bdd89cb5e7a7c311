"""Located problems for printed texts: which file, line, lesson and field an author should change.

In: the loaded deck (and the loaded guide texts, for guide texts), ``Located`` texts and
``Overflow`` records from the composers.
Out: ``Problem`` objects (``file:line: lesson 'x', field 'y': what — fix``) naming the part of a
composed text to change: among the texts of a box, a part written in the deck's own file comes
before one inherited through ``extends``, then the longest part. An item appended to a parent's
list (``questions+``) is named at its own line, with the hint that ``questions:`` replaces the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialoogkit.cards.extends import APPEND_KEYS
from dialoogkit.cards.guide_texts import GUIDE, LoadedGuide
from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.cards.yamlsource import PathKey
from dialoogkit.errors import Problem
from dialoogkit.generator.located import Located, Overflow, Part, QrMisfit
from dialoogkit.layouts.units import to_mm
from dialoogkit.i18n import say


def field_name(loc: PathKey) -> str | None:
    """A path as the author reads it: ``questions[2].text``, ``pillars.mensen.label``."""
    name = ""
    for key in loc:
        name += f"[{key + 1}]" if isinstance(key, int) else ("." if name else "") + str(key)
    return name or None


def excerpt(text: str, limit: int = 40) -> str:
    """The start of a text for a message: one line, control characters shown as '?'."""
    line = "".join(ch if ch.isprintable() else "?" for ch in " ".join(text.split()))
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Locator:
    """Maps the parts of printed texts to files, lines, lessons and fields."""

    deck: LoadedDeck
    guide: LoadedGuide | None = None

    def where(self, part: Part) -> tuple[str, int | None]:
        """``(file, line)`` where the part was written (the deck file, without a line, for labels)."""
        if part.loc is None:
            return str(self.deck.path), None
        if part.root == GUIDE and self.guide is not None:
            return self.guide.where(*part.loc)
        return self.deck.where(*part.loc)

    def names(self, part: Part, surface: str | None = "card") -> tuple[str | None, str | None]:
        """Lesson label (``'id' (card 3)``) and field name of a part; no lesson for deck fields."""
        loc = part.loc
        if loc is None:
            return None, None
        lessons = self.deck.deck.lessons
        if part.root != GUIDE and len(loc) >= 2 and loc[0] == "lessons" and isinstance(loc[1], int) \
                and loc[1] < len(lessons):
            label = f"'{lessons[loc[1]].id}'" + (f" ({say('fit.surface.' + surface)} {loc[1] + 1})" if surface else "")
            return label, field_name(loc[2:])
        return None, field_name(loc)

    def culprit(self, texts: tuple[Located, ...]) -> Part | None:
        """The part to change: written in the deck's own file first, then the longest."""
        own = str(self.deck.path)
        candidates = [part for text in texts for part in text.parts if part.loc is not None]
        if not candidates:
            return max((part for text in texts for part in text.parts), key=lambda p: len(p.text), default=None)
        return max(candidates, key=lambda p: (self.where(p)[0] == own, len(p.text)))

    def appended_to(self, part: Part) -> str | None:
        """The list key (``questions``) when the part is an item added to a list written in another
        file (a parent's list extended with ``questions+``), else None."""
        loc = part.loc
        if loc is None or part.root == GUIDE:
            return None
        positions = [i for i, key in enumerate(loc) if isinstance(key, int)]
        if not positions or positions[-1] == 0 or loc[positions[-1] - 1] not in APPEND_KEYS.values():
            return None  # only lists a deck can append to (questions+, sources+)
        cut = positions[-1]
        if self.deck.where(*loc[:cut])[0] == self.where(part)[0]:
            return None
        return str(loc[cut - 1])

    def problem(self, part: Part | None, message: str, hint: str, surface: str | None = "card") -> Problem:
        """A problem located at ``part`` (the deck file without a line when there is none)."""
        if part is None:
            return Problem(str(self.deck.path), None, message, hint)
        lesson, field = self.names(part, surface)
        return Problem(*self.where(part), message, hint, lesson, field)

    def overflow_problem(self, overflow: Overflow, where: str, other_fix: str = "", floor_pt: float | None = None,
                         surface: str | None = "card") -> Problem:
        """``… does not fit {where}: it overflows by X mm …`` located at the part to shorten."""
        part = self.culprit(overflow.texts)
        size = f" ({floor_pt:g} pt)" if floor_pt else ""
        amount = say("fit.amount", mm=f"{to_mm(overflow.points):.1f}", size=size)
        several = len(overflow.texts) > 1
        what = say(f"fit.what.{overflow.what}")
        message = say("fit.overflow_several" if several else "fit.overflow_one", what=what, where=where, amount=amount)
        if part is None or part.loc is None:
            shown = f" '{excerpt(part.text)}'" if part is not None and part.text.strip() else ""
            message = say("fit.overflow_label", label=shown, where=where, amount=amount)
            hint = other_fix or say("fit.label_fix")
        else:
            hint = say("fit.shorten_one_of", text=excerpt(part.text)) if several else say("fit.shorten")
            if other_fix:
                hint += say("fit.or", fix=other_fix)
            key = self.appended_to(part)
            if key:
                hint += say("fit.replace_list", list=key)
        return self.problem(part, message, hint, surface)

    def qr_problem(self, misfit: QrMisfit, where: str, other_fix: str, surface: str | None = "card") -> Problem:
        """The QR code of an address that is too long for any QR code, or too large for its room."""
        part = self.culprit((misfit.url,))
        shown = excerpt(misfit.url.text, 60)
        if misfit.needed is None:
            message = say("fit.qr_too_long", address=shown)
            other_fix = ""
        else:
            message = say("fit.qr_no_room", address=shown, needed=f"{to_mm(misfit.needed):.0f}", where=where,
                          room=f"{to_mm(misfit.room):.0f}")
        hint = say("fit.shorter_address") + (say("fit.or", fix=other_fix) if other_fix else "")
        return self.problem(part, message, hint, surface)


def unique(problems: list[Problem]) -> list[Problem]:
    """Problems in order, one per place (a deck field too long for every card is reported once)."""
    seen: dict[tuple, Problem] = {}
    for problem in problems:
        seen.setdefault((problem.file, problem.line, problem.lesson, problem.field, problem.line is None
                         and problem.message), problem)
    return list(seen.values())
