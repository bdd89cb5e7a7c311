"""Every failure that can start in deck content is located at file:line and field.

Decks are written at test time (``extends: standaard``) and run through the real command line in
a subprocess: an emoji in any printed text (publishers, subtitle, a tip, a session text), a
question appended with ``questions+`` or a pillar label that does not fit, digits other than 0-9
where a number is meant, web addresses too long for a QR code on the contacts card or in the
guide, and a session text too long for a page of the guide. Each must exit 1 with ``Error:``, the
deck's file and line and the field, and never a traceback. Options with such numbers exit 2.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dialoogkit.cards import guide_texts
from dialoogkit.cards.loader import load_deck
from dialoogkit.cards.texts import printed_texts
from dialoogkit.errors import FitError
from dialoogkit.generator.guide.story import check_guide

ENV = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1", "COLUMNS": "200"}
EMOJI = "\U0001F600"
WORDS = "samen wonen in de buurt met elkaar praten over wat werkt en wat niet "


def words(length: int) -> str:
    """Ordinary Dutch words, ``length`` characters."""
    return (WORDS * (length // len(WORDS) + 1))[:length].strip()


def run(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dialoogkit", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", env=ENV, timeout=300)


def write(tmp_path: Path, text: str) -> Path:
    deck = tmp_path / "deck" / "deck.yaml"
    deck.parent.mkdir()
    deck.write_text(text, encoding="utf-8")
    return deck


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def assert_located(result: subprocess.CompletedProcess, deck: Path, needle: str, field: str, *phrases: str) -> str:
    """Exit 1, ``Error:``, ``deck:line:`` of the line holding ``needle``, the field, no traceback."""
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Error:" in output and "Traceback" not in output, output
    assert f"{deck}:{line_of(deck, needle)}: " in output, output
    assert f"field '{field}'" in output, output
    for phrase in phrases:
        assert phrase in output, output
    return output


def session(minutes: str = "10", block_minutes: str = "10", invitation: str = "Nodig de buren uit",
            purpose: str = "Kennismaken") -> str:
    return (f"sessions:\n  - id: buurtavond\n    title: Buurtavond\n    minutes: \"{minutes}\"\n"
            f"    invitation: \"{invitation}\"\n    space: Het buurthuis\n    participation: Iedereen praat mee\n"
            f"    groups: Twee tafels\n    blocks:\n      - title: Start\n        minutes: \"{block_minutes}\"\n"
            f"        purpose: \"{purpose}\"\n        instructions: Stel elkaar voor\n")


# ---------------------------------------------------------------- glyphs: every printed text is checked

@pytest.mark.parametrize("name, body, needle, field", [
    ("publishers", f"source:\n  title: Een bron\n  publishers: [Aedes, \"VNG {EMOJI}\"]\n", "publishers:",
     "source.publishers[2]"),
    ("subtitle", f"subtitle: \"Kaarten {EMOJI}\"\n", "subtitle:", "subtitle"),
    ("tip", f"override:\n  2:\n    tips:\n      - \"Begin klein {EMOJI}\"\n", "Begin klein", "tips[1]"),
    ("session", session(invitation=f"Kom ook {EMOJI}"), "invitation:", "sessions[1].invitation"),
])
def test_a_character_the_font_lacks_is_located_in_every_printed_field(tmp_path, name, body, needle, field):
    deck = write(tmp_path, f"extends: standaard\nid: glyph-{name}\n{body}")
    output = assert_located(run("check", deck), deck, needle, field, "cannot print", "U+1F600")
    if name == "tip":
        assert "lesson 'actieve-bewoners'" in output


def test_the_walk_reaches_every_printed_field_and_skips_ids_and_colours():
    paths = {path for path, _ in printed_texts(load_deck("standaard").deck)}
    assert ("subtitle",) in paths and ("source", "publishers", 0) in paths
    assert ("lessons", 0, "tips", 0) in paths and ("lessons", 0, "sources", 0, "url") in paths
    assert ("lessons", 0, "actions", "higher") in paths
    assert not [p for p in paths if p[-1] in ("id", "theme", "pillar", "audience", "colour", "icon", "language")]


def test_the_walk_reaches_the_bundled_guide_texts(tmp_path, monkeypatch):
    bundled = guide_texts.guide_file("nl")
    copy = tmp_path / "nl.yaml"
    text = bundled.read_text(encoding="utf-8")
    first_rule = text.index("ground_rules:")
    line = text[: first_rule].count("\n") + 2  # the first rule, on the line after the key
    lines = text.splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].rstrip("\n") + f" {EMOJI}\n"
    copy.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setattr(guide_texts, "guide_file", lambda language: copy)
    with pytest.raises(FitError) as caught:
        check_guide(load_deck("standaard"))
    assert f"{copy}:{line}: field 'ground_rules[1]'" in str(caught.value), str(caught.value)


def test_sessions_of_the_deck_are_glyph_checked_in_the_guide_too(tmp_path):
    deck = write(tmp_path, f"extends: standaard\nid: glyph-guide\n{session(purpose=f'Doel {EMOJI}')}")
    with pytest.raises(FitError) as caught:
        check_guide(load_deck(deck))
    assert f"{deck}:{line_of(deck, 'purpose:')}: field 'sessions[1].blocks[1].purpose'" in str(caught.value)


# ---------------------------------------------------------------- composed texts name the real field

def test_an_appended_question_that_does_not_fit_names_its_own_line(tmp_path):
    long_question = words(3500)
    deck = write(tmp_path, "extends: standaard\nid: lange-vraag\noverride:\n  actieve-bewoners:\n    questions+:\n"
                           "      - text: Wie kent de buurt het best?\n"
                           f"      - text: \"{long_question}\"\n        audience: bewoners\n")
    output = assert_located(run("build", deck, "-q", "--no-png", "-o", tmp_path / "out"), deck, long_question[:30],
                            "questions[6].text", "lesson 'actieve-bewoners'", "overflows by",
                            f"'{long_question[:20]}", "`questions:`")
    assert "standaard.yaml" not in output
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_a_pillar_label_that_does_not_fit_names_the_pillar(tmp_path):
    deck = write(tmp_path, f"extends: standaard\nid: lange-pijler\npillars:\n  mensen:\n    label: {words(250)}\n")
    assert_located(run("check", deck, "--format", "a6"), deck, "label:", "pillars.mensen.label", "does not fit")


# ---------------------------------------------------------------- numbers: digits 0-9 only

def test_a_superscript_in_select_is_not_a_number(tmp_path):
    deck = write(tmp_path, "extends: standaard\nid: superscript\nselect: [1, \"²\"]\n")
    assert_located(run("check", deck), deck, "select:", "select[2]", "'²' is not a number", "0-9")


def test_other_digits_in_session_minutes_are_not_numbers(tmp_path):
    deck = write(tmp_path, f"extends: standaard\nid: minuten\n{session(minutes='²', block_minutes='١٠')}")
    output = assert_located(run("check", deck), deck, "minutes: \"²\"", "sessions[1].minutes",
                            "'²' is not a number", "0-9")
    block_line = line_of(deck, 'minutes: "١٠"')
    assert f"{deck}:{block_line}: field 'sessions[1].blocks[1].minutes'" in output, output


@pytest.mark.parametrize("option, value", [("--back-offset", "nan,0"), ("--back-offset", "inf,1"),
                                           ("--format", "nanxnan"), ("--format", "1e308x100"),
                                           ("--format", "٩٠x١٤٠"), ("--start", "１４:００"), ("--start", "14:0²")])
def test_options_with_other_digits_nan_or_inf_are_usage_problems(tmp_path, option, value):
    result = run("build", "standaard", "-q", "-o", tmp_path / "out", option, value)
    assert result.returncode == 2, result.stderr
    assert "Error:" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.pdf"))


# ---------------------------------------------------------------- QR codes on the contacts card and in the guide

def test_a_contact_address_too_large_for_a_qr_code_on_the_card_is_located(tmp_path):
    deck = write(tmp_path, "extends: standaard\nid: lange-link\ncontacts:\n  - name: Wijkteam\n    phone: 030 123 45 67\n"
                           f"  - name: Meldpunt\n    url: https://example.nl/{'x' * 1500}\n")
    assert_located(run("build", deck, "-q", "--no-png", "-o", tmp_path / "out"), deck, "url:", "contacts[2].url",
                   "QR code")


def test_a_contact_address_too_long_for_any_qr_code_is_located(tmp_path):
    deck = write(tmp_path, "extends: standaard\nid: te-lange-link\ncontacts:\n"
                           f"  - name: Meldpunt\n    url: https://example.nl/{'é' * 1900}\n")
    assert_located(run("check", deck, "--format", "a6"), deck, "url:", "contacts[1].url", "too long for any QR code")


def test_a_second_source_too_large_for_the_guide_qr_column_is_located(tmp_path):
    deck = write(tmp_path, "extends: standaard\nid: lange-bron\noverride:\n  1:\n    sources+:\n"
                           f"      - title: Een lange bron\n        url: https://example.nl/{'y' * 1950}\n")
    assert_located(run("build", deck, "--only", "guide", "-q", "-o", tmp_path / "out"), deck, "url:",
                   "sources[2].url", "lesson 'financiering-naar-schaal'", "QR code", "in the guide")
    assert not list((tmp_path / "out").rglob("*.pdf"))


# ---------------------------------------------------------------- the guide: text that cannot fit a page

def test_a_session_text_too_long_for_a_guide_page_is_located(tmp_path):
    deck = write(tmp_path, f"extends: standaard\nid: lange-sessie\n{session(purpose=words(3990))}"
                           f"        instructions: \"{words(3990)}\"\n".replace(
                               "        instructions: Stel elkaar voor\n", "", 1))
    assert_located(run("build", deck, "--only", "guide", "-q", "-o", tmp_path / "out"), deck, "purpose:",
                   "sessions[1].blocks[1].purpose", "too long for the guide")
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_a_very_long_tip_flows_over_the_guide_pages(tmp_path):
    """A tip is a paragraph, which can be split over pages: a 4000-character tip prints."""
    deck = write(tmp_path, f"extends: standaard\nid: lange-tip\noverride:\n  1:\n    tips:\n"
                           f"      - \"{words(3990)}\"\n      - \"{words(3990)}\"\n")
    result = run("build", deck, "--only", "guide", "-q", "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "out" / "lange-tip" / "guide.pdf").is_file()
