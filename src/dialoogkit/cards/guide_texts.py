"""The texts of the facilitator guide, per language, with the deck's own sessions merged in.

In: a ``LoadedDeck`` (its language and its ``sessions``).
Out: a ``LoadedGuide``: the bundled ``GuideTexts`` (purpose, who to invite, ground rules, general
tips, printing instructions, session formats) with the file and lines they were written at, and
the sessions the guide prints (bundled ones, replaced by a deck session with the same id, then the
deck's new sessions), each with the file and path it came from. The bundled file is validated like
a deck: problems name file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import Field, ValidationError

from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.cards.messages import translate_error, where
from dialoogkit.cards.models import ShortText, Session, Text, _Model
from dialoogkit.cards.references import find_session_problems
from dialoogkit.cards.yamlsource import Origins, PathKey, read_yaml
from dialoogkit.errors import ContentError


class Invitee(_Model):
    who: ShortText
    why: Text


class PrintStep(_Model):
    title: ShortText
    text: Text


class GuideTexts(_Model):
    """Everything the guide says besides the lessons."""

    purpose: list[Text] = Field(min_length=1)
    invite: list[Invitee] = Field(min_length=1)
    ground_rules: list[Text] = Field(min_length=1)
    tips: list[Text] = Field(min_length=1)
    printing: list[PrintStep] = Field(min_length=1)
    sessions: list[Session] = Field(min_length=1)


GUIDE = "guide"  # texts of the bundled guide file
DECK = "deck"  # texts of the deck (and the decks it extends)


@dataclass(frozen=True)
class LoadedGuide:
    """The bundled guide texts as written in ``file`` (lines in ``origins``), and the sessions the
    guide prints: ``session_sources[i]`` says where ``sessions[i]`` was written, as ``(GUIDE, path
    in the guide file)`` or ``(DECK, path in the deck)``."""

    texts: GuideTexts
    file: str
    origins: Origins
    sessions: tuple[Session, ...]
    session_sources: tuple[tuple[str, PathKey], ...]

    def where(self, *loc: str | int) -> tuple[str, int | None]:
        """``(file, line)`` of a path in the bundled guide file."""
        return where(loc, self.origins, self.file)


def guide_file(language: str) -> Path:
    """The bundled guide texts of ``language``."""
    return Path(str(resources.files("dialoogkit.cards") / "data" / "guide" / f"{language}.yaml"))


def load_guide_texts(loaded: LoadedDeck) -> LoadedGuide:
    """Bundled guide texts for the deck's language, with the deck's sessions merged in."""
    path = guide_file(loaded.deck.language)
    data, origins = read_yaml(path)
    problems = list(find_session_problems(data, origins, str(path))) if isinstance(data, dict) else []
    try:
        texts = GuideTexts.model_validate(data)
    except ValidationError as exc:
        problems += [translate_error(err, GuideTexts, data, origins, str(path)) for err in exc.errors()]
    if problems:
        raise ContentError(problems)
    sessions: dict[str, tuple[Session, tuple[str, PathKey]]] = {
        session.id: (session, (GUIDE, ("sessions", i))) for i, session in enumerate(texts.sessions)}
    for i, session in enumerate(loaded.deck.sessions):
        sessions[session.id] = (session, (DECK, ("sessions", i)))
    return LoadedGuide(texts, str(path), origins, tuple(s for s, _ in sessions.values()),
                       tuple(source for _, source in sessions.values()))
