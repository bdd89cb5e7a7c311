"""Shared fixtures: card builds and deck plans, each made once per test session.

``browser``: a Debian Chromium (Playwright) for the browser tests of a module.
``built(deck, **options)`` builds a deck's card PDFs with ``BuildOptions(**options)`` into a
session temp folder and returns ``<output>/<deck id>``; the same arguments give the same folder
without building again. ``planned(deck, card_format, profile)`` returns the ``DeckPlan``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Messages follow the user's language (--lang, DIALOOGKIT_LANG, the deck's language, the locale).
# The tests read English messages unless they ask for Dutch; subprocesses inherit this.
os.environ["DIALOOGKIT_LANG"] = "en"

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUILD_FIXTURES = FIXTURES / "build"


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    from dialoogkit.cards.loader import load_deck
    from dialoogkit.output.build import BuildOptions, build_cards

    cache: dict[tuple, Path] = {}

    def build(deck: str | Path = "standaard", **options) -> Path:
        key = (str(deck), tuple(sorted(options.items())))
        if key not in cache:
            out = tmp_path_factory.mktemp("build")
            written = build_cards(deck, BuildOptions(output=out, **options))
            folder = out / load_deck(deck).deck.id
            assert {folder / "cards-sheets.pdf", folder / "cards-printshop.pdf"} <= set(written)
            cache[key] = folder
        return cache[key]

    return build


@pytest.fixture(scope="session")
def planned():
    from dialoogkit.cards.loader import load_deck
    from dialoogkit.generator.plan import plan_deck
    from dialoogkit.layouts.formats import parse_card_format
    from dialoogkit.layouts.profiles import parse_profile

    cache: dict[tuple, object] = {}

    def plan(deck: str | Path = "standaard", card_format: str = "a6", profile: str = "standard"):
        key = (str(deck), card_format, profile)
        if key not in cache:
            cache[key] = plan_deck(load_deck(deck), parse_card_format(card_format), parse_profile(profile))
        return cache[key]

    return plan


@pytest.fixture(scope="module")
def browser():
    from studio_support import chromium_path

    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield chromium
        chromium.close()
