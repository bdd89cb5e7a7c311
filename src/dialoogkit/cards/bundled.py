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
from dialoogkit.safe_read import Unreadable, check_regular

DEFAULT_DECK = "standaard"


def decks_folder() -> Path:
    """The folder holding the bundled deck files."""
    return Path(str(resources.files("dialoogkit.cards") / "data" / "decks"))


def list_bundled() -> list[str]:
    """Names of the bundled decks, sorted."""
    return sorted(p.stem for p in decks_folder().glob("*.yaml"))


def resolve_deck(name_or_path: str) -> Path:
    """Find a bundled deck by name, else treat the argument as a path to a deck file."""
    bundled = decks_folder() / f"{name_or_path}.yaml"
    if "/" not in name_or_path and "\\" not in name_or_path and bundled.is_file():
        return bundled
    path = Path(name_or_path)
    try:
        check_regular(path)
        return path
    except Unreadable as exc:
        if os.path.isdir(path):
            raise UsageProblem(f"'{quoted(name_or_path, 120)}' is a folder — give the deck's .yaml file inside it") from None
        if os.path.lexists(path) or "too long" in exc.reason:
            raise InputError(f"could not read {quoted(name_or_path, 120)}: {exc.reason} — {exc.fix}") from None
    names = list_bundled()
    guess = difflib.get_close_matches(name_or_path, names, n=1)
    hint = f" Did you mean '{guess[0]}'?" if guess else ""
    raise UsageProblem(
        f"no bundled deck and no file named '{quoted(name_or_path, 120)}'.{hint} "
        f"Bundled decks: {', '.join(names)}; or give the path of a deck .yaml file."
    )
