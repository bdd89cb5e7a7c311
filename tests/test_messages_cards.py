"""Messages about decks and tables in the user's language (cards.yaml and tables.yaml).

The language is ``--lang`` or ``DIALOOGKIT_LANG``, else the deck's language (its ``language:``,
else that of the deck it extends), else the system locale, else English. The command line runs in a
subprocess without ``DIALOOGKIT_LANG`` (which conftest.py sets for the session) wherever the deck
or the locale should decide.
"""

from __future__ import annotations

import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

from dialoogkit.i18n import LANGUAGES, choose_language, load_table

SRC = Path(__file__).resolve().parents[1] / "src" / "dialoogkit"
CORPUS = Path(__file__).resolve().parent / "corpus"
KEY_TEXT = re.compile(r"""["']((?:cards|tables)\.[a-z0-9_]+\.[a-z0-9_.]+)["']""")

DUTCH_DECK = """\
extends: standaard
language: nl
id: regio-test
title: Regio test
select: [1, 99]
"""
ENGLISH_DECK = DUTCH_DECK.replace("extends: standaard\nlanguage: nl", "extends: standard-en\nlanguage: en")


def run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """``python -m dialoogkit ARGS`` with no language chosen but ``env``."""
    environment = {k: v for k, v in os.environ.items() if k not in ("DIALOOGKIT_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    environment.update(env)
    return subprocess.run([sys.executable, "-m", "dialoogkit", *args], capture_output=True, text=True, cwd=cwd,
                          env=environment, timeout=120)


def deck(folder: Path, text: str, name: str = "deck.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the tables


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_every_key_named_in_the_cards_code_is_in_both_tables():
    """Keys written out in full, also those chosen at run time (``"...one" if n == 1 else "...many"``)."""
    named = {key for path in (SRC / "cards").glob("*.py") for key in KEY_TEXT.findall(path.read_text("utf-8"))}
    assert len(named) > 200
    for language in LANGUAGES:
        missing = sorted(named - set(load_table(language)))
        assert not missing, f"{language}: {missing}"


def test_counted_words_have_a_singular_and_a_plural():
    table = load_table("en")
    for word in ("lesson", "question", "source", "theme", "pillar", "audience"):
        assert {f"cards.count.{word}_one", f"cards.count.{word}_many"} <= set(table)


def test_no_message_has_a_field_named_key():
    """``say(key, **fields)`` takes the key itself as ``key``: a field of that name cannot be filled."""
    for language in LANGUAGES:
        for name, text in load_table(language).items():
            assert "key" not in placeholders(text), name


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_parser_words_in_the_deck_messages(language):
    jargon = re.compile(r"\b(scalar|mapping|token|node|block end|indicator|simple key|flow (sequence|mapping)|"
                        r"stream|anchor point|sequence)\b", re.IGNORECASE)
    for name, text in load_table(language).items():
        if name.startswith(("cards.", "tables.")):
            assert not jargon.search(text), f"{language}: {name}: {text}"


@pytest.fixture()
def dutch():
    choose_language("nl")
    yield
    choose_language(None)


ENGLISH_WORDS = re.compile(r"\b(the|is not|must|found|expected|should|write|remove|line|field|lesson|with)\b")


def test_every_corpus_problem_is_told_in_dutch(dutch):
    """No English word in the Dutch message of any broken deck of the corpus (the file names aside)."""
    from dialoogkit.cards.loader import load_deck
    from dialoogkit.errors import DialoogkitError

    told = 0
    for path in sorted(CORPUS.glob("*.yaml")):
        try:
            load_deck(str(path))
        except DialoogkitError as exc:
            message = re.sub(r"\S+\.yaml", "FILE", exc.format_message())
            message = re.sub(r"ontbrekend label [a-z0-9_, ]+", "", message)  # label keys are identifiers
            assert not ENGLISH_WORDS.search(message), f"{path.name}: {message}"
            told += 1
    assert told > 50


# --------------------------------------------------------------------------- which language


def test_a_dutch_deck_gives_dutch_messages(tmp_path):
    path = deck(tmp_path, DUTCH_DECK)
    result = run("check", str(path), cwd=tmp_path, LANG="C.UTF-8")
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("Fout: ")
    assert "veld 'select[2]': les '99' staat niet in het deck waarop dit deck voortbouwt — kies een nummer" \
        in result.stderr


def test_lang_goes_before_the_deck(tmp_path):
    path = deck(tmp_path, DUTCH_DECK)
    result = run("--lang", "en", "check", str(path), cwd=tmp_path, LANG="C.UTF-8")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ")
    assert "field 'select[2]': lesson '99' is not in the deck this one extends — choose a number" in result.stderr


def test_the_environment_goes_before_the_deck(tmp_path):
    path = deck(tmp_path, DUTCH_DECK)
    result = run("check", str(path), cwd=tmp_path, DIALOOGKIT_LANG="en", LANG="nl_NL.UTF-8")
    assert result.stderr.startswith("Error: ") and "is not in the deck this one extends" in result.stderr


def test_the_deck_goes_before_the_locale(tmp_path):
    path = deck(tmp_path, ENGLISH_DECK)
    result = run("check", str(path), cwd=tmp_path, LANG="nl_NL.UTF-8")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ")
    assert "lesson '99' is not in the deck this one extends" in result.stderr


def test_a_deck_without_language_speaks_the_language_of_the_deck_it_extends(tmp_path):
    path = deck(tmp_path, ENGLISH_DECK.replace("language: en\n", ""))
    result = run("check", str(path), cwd=tmp_path, LANG="nl_NL.UTF-8")
    assert result.stderr.startswith("Error: ") and "lesson '99' is not in the deck" in result.stderr
    path = deck(tmp_path, DUTCH_DECK.replace("language: nl\n", ""))
    result = run("check", str(path), cwd=tmp_path, LANG="en_GB.UTF-8")
    assert result.stderr.startswith("Fout: ") and "les '99' staat niet in het deck" in result.stderr


def test_the_locale_decides_before_the_deck_is_known(tmp_path):
    result = run("check", str(tmp_path / "bestaat-niet.yaml"), cwd=tmp_path, LANG="nl_NL.UTF-8")
    assert result.returncode == 2
    assert "er is geen meegeleverd deck en geen bestand met de naam" in result.stderr


def test_a_yaml_mistake_in_dutch(tmp_path):
    """The deck's ``language:`` line counts even when the rest of the file cannot be read as YAML."""
    path = deck(tmp_path, "language: nl\nid: x\ntitle: Hallo\nlessons:\n  - id: a\n    statement: \"Open\n")
    result = run("check", str(path), cwd=tmp_path, LANG="C.UTF-8")
    assert result.returncode == 1
    assert result.stderr.startswith(f"Fout: {path}:6: dit is geen geldige YAML: de tekst die op deze regel begint "
                                    "met \", wordt nergens afgesloten met een tweede \" — sluit de tekst af met \"")
    result = run("check", str(path), cwd=tmp_path, DIALOOGKIT_LANG="en", LANG="C.UTF-8")
    assert "this is not valid YAML: the text that starts with \" on this line is never closed" in result.stderr


def test_a_tab_in_dutch(tmp_path):
    path = deck(tmp_path, "id: x\ntitle: Hallo\nlessons:\n\t- id: a\n")
    result = run("check", str(path), cwd=tmp_path, DIALOOGKIT_LANG="nl")
    assert f"{path}:4: dit is geen geldige YAML: er is ingesprongen met een tab — spring in met spaties" \
        in result.stderr


def test_a_table_import_problem_in_dutch(tmp_path):
    (tmp_path / "rij.csv").write_text("Lessen uit de praktijk;Gaat over;Toelichting\n"
                                      "Buren kennen helpt;Community building;\n", encoding="utf-8")
    result = run("import", "rij.csv", "--title", "Test", cwd=tmp_path, LANG="nl_NL.UTF-8")
    assert result.returncode == 1
    assert result.stderr.startswith("Fout: rij.csv:2: rij 2, kolom 'Toelichting': de cel is leeg — elke rij heeft "
                                    "een toelichting nodig")
    (tmp_path / "rapport.csv").write_bytes(b"%PDF-1.4\n")
    result = run("import", "rapport.csv", "--title", "Test", cwd=tmp_path, DIALOOGKIT_LANG="nl")
    assert "kan rapport.csv niet lezen: het is een PDF-document, geen tabel — een PDF kan niet als tabel gelezen " \
           "worden: open de oorspronkelijke tabel in Excel" in result.stderr
    assert not list(tmp_path.glob("*.yaml"))


def test_an_import_speaks_the_language_of_the_deck_it_makes(tmp_path):
    (tmp_path / "goed.csv").write_text("Lessen uit de praktijk;Gaat over;Toelichting\n"
                                       "Buren kennen helpt;Community building;Wie elkaar kent, helpt elkaar.\n",
                                       encoding="utf-8")
    result = run("import", "goed.csv", "--title", "Test", cwd=tmp_path, LANG="C.UTF-8")
    assert result.returncode == 0, result.stderr
    assert "goed.csv gelezen als UTF-8, gescheiden door puntkomma's (;)." in result.stdout
    assert "1 les heeft nog startvragen (les 1; regel" in result.stderr


def test_the_check_summary_in_dutch(tmp_path):
    result = run("check", "standaard", cwd=tmp_path, LANG="C.UTF-8")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("In orde  ") and lines[0].endswith("(standaard, nl)")
    assert re.fullmatch(r"    10 lessen, \d+ vragen, \d+ verschillende bronnen, 3 thema's, 3 pijlers, 4 doelgroepen",
                        lines[2])
    english = run("--lang", "en", "check", "standaard", cwd=tmp_path, LANG="C.UTF-8").stdout.splitlines()
    assert english[0].startswith("OK  ")
    assert re.fullmatch(r"    10 lessons, \d+ questions, \d+ distinct sources, 3 themes, 3 pillars, 4 audiences",
                        english[2])


def test_show_in_dutch(tmp_path):
    result = run("show", "standaard", "2", cwd=tmp_path, LANG="C.UTF-8")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Les 2 van 10 in 'standaard'")
    result = run("show", "standaard", "99", cwd=tmp_path, LANG="C.UTF-8")
    assert "deck 'standaard' heeft geen les '99' — geef een nummer van 1 tot en met 10" in result.stderr
