"""Messages in the user's language: one table per language with the same keys and placeholders,
every key the code asks for exists, and the language is chosen as the README says."""

from __future__ import annotations

import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

from dialoogkit.i18n import LANGUAGES, load_table

SRC = Path(__file__).resolve().parents[1] / "src" / "dialoogkit"
KEY_CALL = re.compile(r"""\bsay\(\s*["']([a-z0-9_.]+)["']\s*[,)]""")


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_every_language_has_the_same_keys_and_placeholders():
    english = load_table("en")
    assert len(english) > 50
    for language in LANGUAGES:
        table = load_table(language)
        assert set(table) == set(english), f"{language}: {sorted(set(table) ^ set(english))}"
        for key, text in english.items():
            assert placeholders(table[key]) == placeholders(text), f"{language}: {key}"
            assert text.strip() and table[key].strip(), f"{language}: {key} is empty"


def test_every_key_the_code_asks_for_is_in_the_table():
    used = {key for path in SRC.rglob("*.py") for key in KEY_CALL.findall(path.read_text(encoding="utf-8"))}
    assert used, "no say(...) calls found"
    missing = sorted(used - set(load_table("en")))
    assert not missing, f"keys used in the code but missing from the message table: {missing}"


def run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("DIALOOGKIT_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    environment.update(env)
    return subprocess.run([sys.executable, "-m", "dialoogkit", *args], capture_output=True, text=True, cwd=cwd,
                          env=environment, timeout=120)


@pytest.fixture()
def pipe(tmp_path) -> Path:
    path = tmp_path / "deck.yaml"
    os.mkfifo(path)
    return path


def test_a_dutch_message(pipe):
    result = run("check", str(pipe), cwd=pipe.parent, DIALOOGKIT_LANG="nl")
    assert result.returncode == 1
    assert result.stderr.startswith("Fout: ")
    assert "het is een named pipe (FIFO), geen" in result.stderr and "geef het pad van een" in result.stderr


def test_an_english_message(pipe):
    result = run("check", str(pipe), cwd=pipe.parent, DIALOOGKIT_LANG="en", LANG="nl_NL.UTF-8")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ")
    assert "it is a named pipe (FIFO), not a" in result.stderr


def test_the_system_locale_counts_when_nothing_else_is_said(pipe):
    dutch = run("check", str(pipe), cwd=pipe.parent, LANG="nl_NL.UTF-8")
    assert dutch.stderr.startswith("Fout: ")
    plain = run("check", str(pipe), cwd=pipe.parent, LANG="C.UTF-8")
    assert plain.stderr.startswith("Error: ")


def test_the_same_output_error_in_both_languages(tmp_path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    english = run("build", "-q", "--only", "guide", "-o", "afile/sub", cwd=tmp_path, DIALOOGKIT_LANG="en")
    dutch = run("build", "-q", "--only", "guide", "-o", "afile/sub", cwd=tmp_path, DIALOOGKIT_LANG="nl")
    assert "could not write afile/sub: not a directory" in english.stderr
    assert "kan afile/sub niet schrijven: geen map" in dutch.stderr


def test_every_bundled_format_and_profile_is_described_in_every_language():
    from dialoogkit.layouts.formats import CARD_FORMATS
    from dialoogkit.layouts.profiles import PROFILES

    for language in LANGUAGES:
        table = load_table(language)
        for name in CARD_FORMATS:
            assert f"cli.list.format_{name}" in table, (language, name)
        for name in PROFILES:
            assert "cli.list.profile_" + name.replace("-", "_") in table, (language, name)


def test_the_fast_yaml_reader_reads_every_message_file_as_the_plain_one_does():
    from importlib import resources

    import yaml

    folder = resources.files("dialoogkit") / "data" / "messages"
    for language in ("nl", "en"):
        for path in (folder / language).iterdir():
            if path.name.endswith(".yaml"):
                text = path.read_text(encoding="utf-8")
                assert yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) == yaml.safe_load(text), \
                    path.name


WHAT_CALL = re.compile(r"""\bread_regular\([^()]*(?:\([^()]*\)[^()]*)*,\s*["']([^"']+)["']\s*\)""")


def test_every_kind_of_file_the_code_reads_is_named_in_the_table():
    """``read_regular(path, limit, "logo")`` words its messages with ``what.logo``: a kind without
    a message would print the key itself ("geen what.ICC profile")."""
    kinds = {kind for path in SRC.rglob("*.py") for kind in WHAT_CALL.findall(path.read_text(encoding="utf-8"))}
    assert {"deck", "logo", "profile"} <= kinds, kinds
    for language in LANGUAGES:
        missing = sorted(kind for kind in kinds if f"what.{kind}" not in load_table(language))
        assert not missing, f"{language}: read_regular kinds without a what.* message: {missing}"
