"""The deck's language belongs to the work on that deck, never to what comes after it.

The loader returns the deck's language (``LoadedDeck.language``) and leaves the language of its
caller as it was; the services that work on a loaded deck speak its language inside, and a face
sets its own lines from what they return. A message keeps the language it was made in, wherever
it is printed later. The command line still speaks a Dutch deck's language (a subprocess without
``DIALOOGKIT_LANG`` and with a locale that names none)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from dialoogkit.cards.loader import load_deck
from dialoogkit.errors import ContentError, Problem
from dialoogkit.i18n import current_language, note_deck_language, speaking_deck

DUTCH_WITH_A_MISTAKE = "extends: standaard\nlanguage: nl\nid: regio-test\ntitle: Regio test\nselect: [1, 99]\n"


@pytest.fixture
def no_language_chosen(monkeypatch):
    """Neither ``--lang``, ``DIALOOGKIT_LANG`` nor the locale decides: only a deck could."""
    for name in ("DIALOOGKIT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


def test_loading_a_dutch_deck_leaves_the_language_as_it_was(no_language_chosen):
    assert current_language() == "en"
    loaded = load_deck("standaard")
    assert loaded.language == "nl"
    assert current_language() == "en"  # the loader returned the language; it did not set it
    with speaking_deck("en"):
        load_deck("standaard")
        assert current_language() == "en"


def test_a_problem_found_while_reading_a_dutch_deck_is_told_in_dutch_after_it(no_language_chosen, tmp_path):
    path = tmp_path / "deck.yaml"
    path.write_text(DUTCH_WITH_A_MISTAKE, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_deck(path)
    assert current_language() == "en"
    error = caught.value
    assert error.language == "nl"
    assert "veld 'select[2]': les '99' staat niet in het deck waarop dit deck voortbouwt" in error.format_message()
    assert caught.value.problems[0].format() == caught.value.format_message()  # formatted again: still Dutch


def test_a_problem_keeps_the_language_it_was_made_in(no_language_chosen):
    with speaking_deck("nl"):
        dutch = Problem("deck.yaml", 3, "iets", lesson="a", field="b")
    english = Problem("deck.yaml", 3, "iets", lesson="a", field="b")
    assert dutch.format() == "deck.yaml:3: les a, veld 'b': iets"
    assert english.format() == "deck.yaml:3: lesson a, field 'b': iets"
    assert dutch == english  # the language is how it is told, not what it says


def test_a_deck_language_outside_any_scope_is_not_heard(no_language_chosen):
    note_deck_language("nl")
    assert current_language() == "en"
    with speaking_deck():
        note_deck_language("nl")
        assert current_language() == "nl"
    assert current_language() == "en"


def test_each_thread_keeps_its_own_deck_language(no_language_chosen):
    """Two studio workers reading decks of different languages at once do not hear each other."""
    heard: dict[str, list[str]] = {"nl": [], "en": []}
    ready = threading.Barrier(2)

    def work(language: str) -> None:
        with speaking_deck(language):
            ready.wait(timeout=10)
            for _ in range(200):
                heard[language].append(current_language())

    threads = [threading.Thread(target=work, args=(language,)) for language in heard]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(heard["nl"]) == {"nl"} and set(heard["en"]) == {"en"}
    assert current_language() == "en"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("DIALOOGKIT_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    environment["LANG"] = "C.UTF-8"
    return subprocess.run([sys.executable, "-m", "dialoogkit", *args], capture_output=True, text=True, cwd=cwd,
                          env=environment, timeout=300)


def test_the_command_line_speaks_the_language_of_the_deck_it_checked(tmp_path):
    dutch = run("check", "standaard", cwd=tmp_path)
    assert dutch.returncode == 0, dutch.stderr
    assert "Alle tekst past op formaat a6" in dutch.stdout
    english = run("check", "standard-en", cwd=tmp_path)
    assert english.returncode == 0, english.stderr
    assert "Every text fits on format a6" in english.stdout
