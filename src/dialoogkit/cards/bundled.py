"""Bundled decks (package data), looked up by name, then as a path.

In: a deck name such as ``standaard`` or a path to a deck file.
Out: the path of the deck file, or a ``UsageProblem`` listing what exists.
"""

from __future__ import annotations

import difflib
import os
from importlib import resources
from pathlib import Path

from dialoogkit.errors import InputError, UsageProblem, quoted
from dialoogkit.i18n import say
from dialoogkit.safe_read import Unreadable, check_regular

DEFAULT_DECK = "standaard"


def decks_folder() -> Path:
    """The folder holding the bundled deck files."""
    return Path(str(resources.files("dialoogkit.cards") / "data" / "decks"))


def list_bundled() -> list[str]:
    """Names of the bundled decks, sorted."""
    return sorted(p.stem for p in decks_folder().glob("*.yaml"))


def bundled_file(name: str) -> Path | None:
    """The file of the bundled deck called ``name`` (no folder, no ``.yaml``), or None."""
    if not name or name not in list_bundled():
        return None
    return decks_folder() / f"{name}.yaml"


def resolve_deck(name_or_path: str) -> Path:
    """Find a bundled deck by name, else treat the argument as a path to a deck file."""
    bundled = bundled_file(name_or_path)
    if bundled is not None:
        return bundled
    path = Path(name_or_path)
    try:
        check_regular(path)
        return path
    except Unreadable as exc:
        shown = quoted(name_or_path, 120)
        if os.path.isdir(path):
            raise UsageProblem(say("cards.deck.is_folder", path=shown)) from None
        if os.path.lexists(path) or exc.reason == say("read.name_too_long"):
            raise InputError(say("os.could_not_read", path=shown, reason=exc.reason, fix=exc.fix)) from None
    names = list_bundled()
    guess = difflib.get_close_matches(name_or_path, names, n=1)
    shown, decks = quoted(name_or_path, 120), ", ".join(names)
    if guess:
        raise UsageProblem(say("cards.deck.not_found_guess", name=shown, guess=guess[0], decks=decks))
    raise UsageProblem(say("cards.deck.not_found", name=shown, decks=decks))
