"""Loading decks: the bundled decks, a small valid deck, and what a deck author sees for each mistake."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from dialoogkit.cards.bundled import list_bundled
from dialoogkit.cards.loader import load_deck
from dialoogkit.errors import ContentError

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
ERRORS = FIXTURES / "errors"
MINIMAL = FIXTURES / "decks" / "minimal.yaml"
SOURCES_MD = FIXTURES / "shared" / "sources.md"
HOME_PAGES = {"https://www.aedes.nl", "https://vng.nl", "https://www.valente.nl"}


def _message(exc: ContentError) -> str:
    return exc.format_message()


# --------------------------------------------------------------------------- bundled decks


def test_the_two_standard_decks_are_bundled():
    assert {"standaard", "standard-en"} <= set(list_bundled())


@pytest.mark.parametrize("name", list_bundled())
def test_every_bundled_deck_loads_with_complete_lessons(name):
    deck = load_deck(name).deck
    assert deck.id == name
    assert len(deck.lessons) == 10
    assert len({lesson.id for lesson in deck.lessons}) == 10
    for lesson in deck.lessons:
        assert len(lesson.questions) >= 3, lesson.id
        assert len(lesson.sources) >= 1, lesson.id
    assert {"Aedes", "VNG", "Valente"} <= set(deck.source.publishers)


@pytest.mark.parametrize("name", list_bundled())
def test_every_bundled_source_is_a_known_https_address(name):
    listed = SOURCES_MD.read_text(encoding="utf-8")
    deck = load_deck(name).deck
    urls = [source.url for lesson in deck.lessons for source in lesson.sources]
    if deck.source.url is not None:
        urls.append(deck.source.url)
    assert urls
    for url in urls:
        assert url.startswith("https://"), url
        assert url in HOME_PAGES or url in listed, f"{url} is neither in shared/sources.md nor a publisher home page"


def test_standard_decks_are_dutch_and_english_with_the_same_lessons():
    nl = load_deck("standaard").deck
    en = load_deck("standard-en").deck
    assert nl.language == "nl"
    assert en.language == "en"
    assert [lesson.id for lesson in nl.lessons] == [lesson.id for lesson in en.lessons]
    assert [lesson.theme for lesson in nl.lessons] == [lesson.theme for lesson in en.lessons]
    assert [lesson.pillar for lesson in nl.lessons] == [lesson.pillar for lesson in en.lessons]
    # translated, not copied
    assert nl.lessons[0].statement != en.lessons[0].statement


def test_default_deck_is_standaard():
    from dialoogkit.cards.bundled import DEFAULT_DECK

    assert DEFAULT_DECK == "standaard"
    assert load_deck(DEFAULT_DECK).deck.language == "nl"


# --------------------------------------------------------------------------- a small valid deck


def test_minimal_fixture_deck_loads():
    loaded = load_deck(str(MINIMAL))
    deck = loaded.deck
    assert deck.id == "minimaal"
    assert [lesson.id for lesson in deck.lessons] == ["buren-kennen", "samen-eten", "007"]
    assert deck.region is None
    assert loaded.path == MINIMAL
    # the line map points at what the author wrote
    assert loaded.line_of("lessons", 1, "statement") == 43
    assert MINIMAL.read_text(encoding="utf-8").splitlines()[42].strip().startswith("statement: Samen eten")


def test_yaml_1_1_booleans_numbers_and_dates_stay_text():
    deck = load_deck(MINIMAL).deck
    first = deck.lessons[0]
    assert first.statement == "yes"
    assert first.explanation == "no"
    assert first.actions.own == "Maak een lijst met namen van buren en hang die bij de brievenbussen."
    assert first.actions.higher == "12"
    assert [q.text for q in first.questions] == ["Wie ken jij in je straat?", "3.5", "2024-05-01"]
    assert deck.lessons[2].id == "007"
    assert deck.lessons[2].sources[0].title == "on"
    assert deck.source.publishers == ["Valente", "2024"]


def test_urls_are_kept_exactly_as_written():
    deck = load_deck(MINIMAL).deck
    urls = [source.url for lesson in deck.lessons for source in lesson.sources]
    assert urls == [
        "https://www.valente.nl",
        "https://www.valente.nl/",
        "https://www.valente.nl/Kennisbank/Gemengd-Wonen",
        "https://www.valente.nl/zoeken?a=1&b=2",
    ]
    assert deck.source.url == "https://www.valente.nl"


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "with_bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.read_bytes())
    deck = load_deck(path).deck
    assert deck.id == "minimaal"
    assert deck.lessons[0].statement == "yes"


def test_windows_line_endings_are_accepted(tmp_path):
    path = tmp_path / "crlf.yaml"
    path.write_bytes(MINIMAL.read_bytes().replace(b"\n", b"\r\n"))
    loaded = load_deck(path)
    assert loaded.deck.lessons[2].sources[0].url == "https://www.valente.nl/zoeken?a=1&b=2"
    assert loaded.line_of("lessons", 1, "statement") == 43


# --------------------------------------------------------------------------- one mistake per file

# (fixture, line, field or None, phrases that must all appear in the message)
ERROR_CASES = [
    ("bad_yaml_syntax.yaml", 18, None, ["not valid YAML", "'statement:' holds a colon", "between quotes"]),
    ("tab_indentation.yaml", 19, None, ["tab character", "indent with spaces"]),
    ("wrong_type.yaml", 18, "statement", ["lesson 'buren-kennen'", "expected text, found a list"]),
    ("missing_statement.yaml", 15, "statement", ["lesson 'buren-kennen'", "required field is missing",
                                                 "add `statement:`"]),
    ("unknown_key.yaml", 18, "statment", ["unknown key 'statment'", "did you mean 'statement'?"]),
    ("bad_url_scheme.yaml", 27, "sources[1].url", ["'javascript:'", "only https:"]),
    ("url_with_space.yaml", 27, "sources[1].url", ["may not contain spaces", "%20"]),
    ("duplicate_lesson_id.yaml", 29, "id", ["the id 'buren-kennen' is already used by lesson 1"]),
    ("too_few_questions.yaml", 20, "questions", ["needs at least 3", "found 2"]),
    ("unknown_theme.yaml", 16, "theme", ["'wonnen' is not one of the deck's themes", "did you mean 'wonen'?"]),
    ("duplicate_key.yaml", 18, None, ["the key 'pillar' appears twice", "first on line 17"]),
    ("yaml_alias.yaml", 19, None, ["aliases", "not allowed"]),
    ("empty.yaml", None, None, ["the file is empty"]),
    ("top_level_list.yaml", 2, None, ["expected a deck", "found a list"]),
]


@pytest.mark.parametrize(("fixture", "line", "field", "phrases"), ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_each_mistake_is_reported_with_file_line_field_and_fix(fixture, line, field, phrases):
    path = ERRORS / fixture
    assert path.is_file()
    with pytest.raises(ContentError) as info:
        load_deck(str(path))
    message = _message(info.value)
    if line is None:
        assert f"{fixture}: " in message
        assert not re.search(re.escape(fixture) + r":\d+:", message)
    else:
        assert f"{fixture}:{line}:" in message, message
    if field is not None:
        assert f"field '{field}'" in message, message
    for phrase in phrases:
        assert phrase in message, f"{phrase!r} not in {message!r}"
    assert " — " in message, "every problem says what to do"
    assert all(p.file.endswith(fixture) for p in info.value.problems)
    assert any(p.line == line for p in info.value.problems)


def test_unknown_key_lists_the_allowed_keys():
    with pytest.raises(ContentError) as info:
        load_deck(ERRORS / "unknown_key.yaml")
    message = _message(info.value)
    assert "Allowed here: id, theme, pillar, statement, explanation, actions, questions, tips, sources" in message


def test_file_that_is_not_utf8_names_the_line(tmp_path):
    text = (ERRORS / "unknown_theme.yaml").read_text(encoding="utf-8").replace("wonnen", "wonen")
    text = text.replace("Buren die elkaar kennen helpen elkaar", "Buren die elkaar kennen, zoals in het café")
    path = tmp_path / "latin1.yaml"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(ContentError) as info:
        load_deck(path)
    message = _message(info.value)
    assert "latin1.yaml:18:" in message
    assert "not UTF-8" in message
    assert "save it as UTF-8" in message


def test_comment_only_file_is_empty(tmp_path):
    path = tmp_path / "comments.yaml"
    path.write_text("# nog niets\n\n# later invullen\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_deck(path)
    assert "comments.yaml: the file is empty" in _message(info.value)


def test_fixture_with_a_fault_fixed_loads(tmp_path):
    """The error fixtures are otherwise valid: fixing the one mistake makes them load."""
    fixed = (ERRORS / "unknown_theme.yaml").read_text(encoding="utf-8").replace("theme: wonnen", "theme: wonen")
    path = tmp_path / "fixed.yaml"
    path.write_text(fixed, encoding="utf-8")
    assert load_deck(path).deck.lessons[0].theme == "wonen"


def test_all_mistakes_are_reported_in_one_run():
    path = ERRORS / "several_mistakes.yaml"
    with pytest.raises(ContentError) as info:
        load_deck(path)
    problems = info.value.problems
    assert len(problems) == 5
    assert [(p.line, p.field) for p in problems] == [
        (15, "statement"),
        (16, "theme"),
        (18, "statment"),
        (20, "questions"),
        (26, "sources[1].url"),
    ]
    message = _message(info.value)
    assert message.startswith("5 problems found:")
    for line in (15, 16, 18, 20, 26):
        assert f"several_mistakes.yaml:{line}:" in message
    assert "did you mean 'wonen'?" in message
    assert "did you mean 'statement'?" in message


def test_error_message_uses_the_path_as_given(tmp_path):
    target = tmp_path / "mijn deck"
    target.mkdir()
    shutil.copy(ERRORS / "unknown_theme.yaml", target / "regio.yaml")
    with pytest.raises(ContentError) as info:
        load_deck(str(target / "regio.yaml"))
    assert f"{target / 'regio.yaml'}:16:" in _message(info.value)


def test_tab_inside_text_is_not_reported_as_indentation(tmp_path):
    """A tab inside a value is not indentation: the real mistake (': ' in unquoted text) must be named."""
    text = (ERRORS / "bad_yaml_syntax.yaml").read_text(encoding="utf-8")
    text = text.replace("Let op: buren die", "Let op: buren\tdie")
    path = tmp_path / "tab_in_text.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_deck(path)
    message = _message(info.value)
    assert "tab_in_text.yaml:18:" in message
    assert "between quotes" in message
    assert "indentation" not in message
