"""The words dialoogkit speaks to its users: error and status messages in Dutch and English, from
one message table per language (package data ``data/messages/<language>/*.yaml``, the files of
one language read as one table: ``core.yaml`` for the command line, ``studio.yaml`` for the
browser studio). A deck's card labels are not here (they are deck content).

In: a message key such as ``"file.missing"`` and its named fields; the language choices.
Out: ``say(key, **fields)``, the text in the current language. The language is, in this order:
``--lang`` or the environment variable ``DIALOOGKIT_LANG``, else the language of the deck being
read, else the system locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else English. The choice and
the deck's language are context variables: they belong to one command or one studio request.

The deck's language holds only inside ``speaking_deck``: the loader reads a deck inside its own
scope (so its messages speak the deck's language) and returns the language with the deck; a
service that works on the loaded deck, or a face printing what came back, opens its own scope
with that language. Leaving a scope restores what was before, so reading a deck never changes
the language of anything after it. A message keeps the language it was made in
(``errors.Problem``, ``errors.DialoogkitError``), wherever it is printed later.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from importlib import resources

LANGUAGES = ("en", "nl")
ENV = "DIALOOGKIT_LANG"
# the language travels with the command or the request, never as process state: each studio
# request (an asyncio task, and the worker threads it hands work to) has its own copy
_option: ContextVar[str | None] = ContextVar("dialoogkit_option_language", default=None)
_deck: ContextVar[str | None] = ContextVar("dialoogkit_deck_language", default=None)
_scopes: ContextVar[int] = ContextVar("dialoogkit_deck_scopes", default=0)


def choose_language(language: str | None) -> None:
    """The user's explicit choice (``--lang``, the studio's language) for this command or request;
    None leaves it to the environment and the deck."""
    _option.set(language.lower() if language else None)


@contextmanager
def speaking_deck(language: object = None) -> Iterator[None]:
    """Inside: messages follow the deck language ``language`` (a deck's ``language:``; None: none
    yet, until ``note_deck_language`` hears it) unless the user chose one. On leaving, the deck
    language before the scope comes back."""
    language_token = _deck.set(_known(language))
    scope_token = _scopes.set(_scopes.get() + 1)
    try:
        yield
    finally:
        _scopes.reset(scope_token)
        _deck.reset(language_token)


def note_deck_language(language: object) -> None:
    """The language of the deck being read, heard inside the innermost ``speaking_deck`` scope
    (until it ends); outside any scope it is ignored."""
    known = _known(language)
    if known is not None and _scopes.get():
        _deck.set(known)


def _known(language: object) -> str | None:
    if isinstance(language, str) and language.strip().lower() in LANGUAGES:
        return language.strip().lower()
    return None


def current_language() -> str:
    """The language messages are given in now (see module docstring)."""
    for candidate in (_option.get(), os.environ.get(ENV), _deck.get(), _locale_language()):
        if candidate and candidate.lower()[:2] in LANGUAGES:
            return candidate.lower()[:2]
    return "en"


def say(key: str, /, **fields: object) -> str:
    """The message ``key`` in the current language with ``fields`` filled in (English, then the
    key itself, where a translation is missing)."""
    return say_in(current_language(), key, **fields)


def say_in(language: str, key: str, /, **fields: object) -> str:
    """The message ``key`` in ``language`` (one of ``LANGUAGES``) with ``fields`` filled in."""
    for tried in (language, "en"):
        text = load_table(tried).get(key)
        if text is not None:
            return text.format(**fields) if fields else text
    return key


@lru_cache(maxsize=None)
def load_table(language: str) -> dict[str, str]:
    """The message table of ``language`` (key → text with ``{field}`` placeholders)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's safe loader where it is built in
    table: dict[str, str] = {}
    folder = resources.files("dialoogkit") / "data" / "messages" / language
    for path in sorted((p for p in folder.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        table.update({str(key): str(value) for key, value in _flatten(data)})
    return table


def _flatten(data: dict, prefix: str = ""):
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flatten(value, name + ".")
        else:
            yield name, value


def _locale_language() -> str | None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return value[:2]
    return None
