"""The bundled words of "after the session", one file per language (package data
``cards/data/results/<language>.yaml``): role words that are never a person, name particles,
the comments of the results template and the sentences of the report, letters and action list.

In: a language code (``nl`` or ``en``).
Out: ``Wording`` (roles, particles, template comments, report sentences); ``role_words()``, the
role words of every language together (a Dutch session may write "community builder").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from dialoogkit.cards.models import LANGUAGES


@dataclass(frozen=True)
class Wording:
    """The words of one language."""

    language: str
    roles: frozenset[str]
    particles: frozenset[str]
    template: dict[str, str]
    report: dict[str, str]


@lru_cache(maxsize=None)
def load_wording(language: str) -> Wording:
    """The bundled words of ``language`` (English for a language without its own file)."""
    language = language if language in LANGUAGES else "en"
    text = (resources.files("dialoogkit.cards") / "data" / "results" / f"{language}.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return Wording(language, frozenset(str(w).lower() for w in data["roles"]),
                   frozenset(str(w).lower() for w in data["particles"]),
                   {str(k): str(v) for k, v in data["template"].items()},
                   {str(k): str(v) for k, v in data["report"].items()})


@lru_cache(maxsize=None)
def role_words() -> frozenset[str]:
    """The role words of every language."""
    return frozenset().union(*(load_wording(language).roles for language in LANGUAGES))


@lru_cache(maxsize=None)
def name_particles() -> frozenset[str]:
    """The name particles of every language (``van``, ``de``, ``el``, …)."""
    return frozenset().union(*(load_wording(language).particles for language in LANGUAGES))
