"""The texts of the facilitator guide, per language, with the deck's own sessions merged in.

In: a ``LoadedDeck`` (its language and its ``sessions``).
Out: ``GuideTexts``: purpose, who to invite, ground rules, general tips, printing instructions
and the session formats (bundled ones, replaced by a deck session with the same id, then the
deck's new sessions). The bundled file is validated like a deck: problems name file and line.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from pydantic import Field, ValidationError

from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.cards.messages import translate_error
from dialoogkit.cards.models import ShortText, Session, Text, _Model
from dialoogkit.cards.references import find_session_problems
from dialoogkit.cards.yamlsource import read_yaml
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


def guide_file(language: str) -> Path:
    """The bundled guide texts of ``language``."""
    return Path(str(resources.files("dialoogkit.cards") / "data" / "guide" / f"{language}.yaml"))


def load_guide_texts(loaded: LoadedDeck) -> GuideTexts:
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
    sessions = {session.id: session for session in texts.sessions}
    for session in loaded.deck.sessions:
        sessions[session.id] = session
    return texts.model_copy(update={"sessions": list(sessions.values())})
