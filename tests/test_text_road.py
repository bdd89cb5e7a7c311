"""One road for every text: every text read from any file is normalised (NFC, no U+FEFF) and
checked (no control or text-direction characters) at load, through ``cards.textroad``; addresses,
ids, codes, phone numbers and paths are validated and never changed; a phone number is its own type.

Decks are written at test time from tests/fixtures (the Persian test deck holds a zero width
non-joiner in almost every sentence). Commands run in-process through click, as a user runs them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import types
import typing
import unicodedata
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pydantic import BaseModel, ValidationError

from dialoogkit.cards.guide_texts import GuideTexts
from dialoogkit.cards.labels import BUNDLED, load_labels
from dialoogkit.cards.loader import load_deck
from dialoogkit.cards.models import Contact, Deck
from dialoogkit.cards.results.model import Results
from dialoogkit.cards.textroad import Normalised, Unchanged, check_characters, normalise_text
from dialoogkit.cli import main
from kitdecks import deck_data, write_deck

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PERSIAN = FIXTURES / "scripts" / "fa.yaml"
ZWNJ, ZWJ, SOFT_HYPHEN, BOM, OVERRIDE = "\u200c", "\u200d", "\u00ad", "\ufeff", "\u202e"


def run(*args: object):
    return CliRunner().invoke(main, [str(arg) for arg in args])


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def assert_refused_at(result, file: Path, needle: str, field: str) -> str:
    """Exit 1 (never 3: no internal error), ``file:line:`` of the line holding ``needle``, the field
    and the character named as U+202E; the character itself never reaches the terminal."""
    output = result.output
    assert result.exit_code == 1, output
    assert "internal error" not in output and "Traceback" not in output, output
    assert f"{file}:{line_of(file, needle)}: " in output, output
    assert f"field '{field}'" in output, output
    assert "U+202E" in output and OVERRIDE not in output, output
    return output


def persian_copy(folder: Path, change=None) -> Path:
    """The Persian test deck, written into ``folder`` after ``change(data)``."""
    data = yaml.safe_load(PERSIAN.read_text(encoding="utf-8"))
    if change:
        change(data)
    folder.mkdir(parents=True, exist_ok=True)
    return write_deck(folder / "fa.yaml", data)


# ---------------------------------------------------------------- the normaliser and the policy

def test_normalise_text_composes_drops_every_byte_order_mark_and_keeps_joiners_and_soft_hyphens():
    assert normalise_text("Ide\u0301e") == "Idée"
    assert normalise_text(f"{BOM}ma{BOM}nd") == "mand"
    kept = f"می{ZWNJ}کنیم همسایه{ZWJ}ها Ge{SOFT_HYPHEN}meente"
    assert normalise_text(kept) == kept


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x85", "\x9f", "\u202a", "\u202b", "\u202c", "\u202d",
                                  "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"])
def test_the_policy_refuses_control_and_direction_characters_by_their_code(char):
    with pytest.raises(ValueError) as caught:
        check_characters(f"tekst {char} tekst")
    assert f"U+{ord(char):04X}" in str(caught.value)


def test_the_policy_allows_newlines_tabs_joiners_and_marks_of_direction():
    text = f"een\nregel\tmet\u200e{ZWNJ}{ZWJ}{SOFT_HYPHEN}\u200f"
    assert check_characters(text) == text


def test_a_deck_is_normalised_at_load_and_its_file_is_never_rewritten(tmp_path):
    data = deck_data(3)
    lesson = data["lessons"][0]
    lesson["statement"] = f"{BOM}Ide\u0301ee{SOFT_HYPHEN}n van bewoners"
    lesson["explanation"] = f"Ge{ZWJ}meente en coo\u0308peratie{BOM} samen"
    lesson["sources"][0]["url"] = "https://example.org/Ide\u0301e"  # an address is never changed
    deck = write_deck(tmp_path / "deck.yaml", data)
    before = hashlib.sha256(deck.read_bytes()).hexdigest()
    loaded = load_deck(deck).deck.lessons[0]
    assert loaded.statement == f"Idéee{SOFT_HYPHEN}n van bewoners"
    assert loaded.explanation == f"Ge{ZWJ}meente en coöperatie samen"
    assert loaded.sources[0].url == "https://example.org/Ide\u0301e"
    assert hashlib.sha256(deck.read_bytes()).hexdigest() == before


def test_bundled_label_tables_pass_the_road():
    for language in BUNDLED:
        for key, label in load_labels(language).items():
            assert label == normalise_text(label) and check_characters(label) == label, (language, key)


# ---------------------------------------------------------------- every str field is marked

def unmarked_strings(model: type[BaseModel], seen: set[type] | None = None) -> list[str]:
    """Every ``str`` in ``model`` and the models in it (fields, list items, dict keys and values)
    that is neither a normalised text type nor a validated-unchanged one; and every annotation the
    walk does not know, so a new kind of field cannot slip past it."""
    seen = set() if seen is None else seen
    if model in seen:
        return []
    seen.add(model)
    found: list[str] = []
    for name, info in model.model_fields.items():
        found += _unmarked(info.annotation, list(info.metadata), f"{model.__name__}.{name}", seen)
    return found


def _unmarked(annotation, metadata: list, where: str, seen: set[type]) -> list[str]:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _unmarked(args[0], metadata + list(args[1:]), where, seen)
    if annotation is str:
        return [] if any(isinstance(mark, (Normalised, Unchanged)) for mark in metadata) else [where]
    if origin in (typing.Union, types.UnionType):
        return [miss for option in args for miss in _unmarked(option, metadata, where, seen)]
    if origin is list:
        return _unmarked(args[0], [], f"{where}[]", seen)
    if origin is dict:
        return _unmarked(args[0], [], f"{where}{{key}}", seen) + _unmarked(args[1], [], f"{where}{{}}", seen)
    if origin is typing.Literal or annotation in (int, float, bool, type(None)):
        return []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return unmarked_strings(annotation, seen)
    return [f"{where}: unknown annotation {annotation!r}"]


@pytest.mark.parametrize("model", [Deck, Results, GuideTexts])
def test_every_str_field_is_a_normalised_text_or_a_validated_unchanged_value(model):
    assert unmarked_strings(model) == []


def test_the_walk_finds_an_unmarked_str_anywhere():
    class Inner(BaseModel):
        note: str

    class Outer(BaseModel):
        texts: dict[str, list[Inner | None]]

    assert unmarked_strings(Outer) == ["Outer.texts{key}", "Inner.note"]


# ---------------------------------------------------------------- the phone type

@pytest.mark.parametrize("phone", ["030 123 45 67", "+31 (0)30 123 45 67", "06-12345678",
                                   "۰۲۱ ۱۲۳۴ ۵۶۷۸", "٠٣٠ ١٢٣ ٤٥ ٦٧"])
def test_a_phone_number_is_kept_as_typed_in_any_of_its_digits(phone):
    assert Contact(name="Wijkteam", phone=f" {phone} ").phone == phone


@pytest.mark.parametrize("phone", ["bel ons", "12", "030 123 45 67 of 06", "030\u202e123", "１２３４５６"])
def test_what_is_not_a_phone_number_is_called_so(phone):
    with pytest.raises(ValidationError) as caught:
        Contact(name="Wijkteam", phone=phone)
    assert "is not a phone number" in str(caught.value)


@pytest.mark.parametrize("phone", ["020 ١٢٣ ٤٥٦٧", "۰۲۱ 1234 ۵۶۷۸", "٠٣٠ ۱۲۳ ٤٥ ٦٧"])
def test_a_phone_number_in_two_kinds_of_digits_is_called_so(phone):
    with pytest.raises(ValidationError) as caught:
        Contact(name="Wijkteam", phone=phone)
    assert "mixes digits of different kinds" in str(caught.value)


def test_a_bad_phone_is_located_in_english_and_dutch(tmp_path):
    data = deck_data(3)
    data["contacts"] = [{"name": "Wijkteam", "phone": "bel het buurthuis"}]
    deck = write_deck(tmp_path / "deck.yaml", data)
    result = run("check", deck)
    assert result.exit_code == 1, result.output
    assert (f"{deck}:{line_of(deck, 'bel het buurthuis')}: field 'contacts[1].phone': "
            "'bel het buurthuis' is not a phone number") in result.output
    dutch = run("--lang", "nl", "check", deck)
    assert "'bel het buurthuis' is geen telefoonnummer" in dutch.output, dutch.output


def test_a_persian_deck_with_a_phone_in_persian_digits_checks_and_builds(tmp_path):
    assert load_deck(PERSIAN).deck.contacts[0].phone == "۰۲۱ ۱۲۳۴ ۵۶۷۸"
    assert run("check", PERSIAN).exit_code == 0
    result = run("build", PERSIAN, "--only", "cards", "-q", "-o", tmp_path)
    assert result.exit_code == 0, result.output


# ---------------------------------------------------------------- refused in every kind of file

def test_a_direction_override_in_a_deck_is_refused_at_check(tmp_path):
    def change(data):
        data["lessons"][1]["explanation"] = f"ما می{ZWNJ}پرسیم {OVERRIDE}و گوش می{ZWNJ}دهیم."
    deck = persian_copy(tmp_path, change)
    output = assert_refused_at(run("check", deck), deck, "ما می", "explanation")
    assert "lesson 'les-2'" in output


def test_a_direction_override_in_a_deck_s_labels_is_refused_at_check(tmp_path):
    data = deck_data(3)
    data["labels"] = {"questions": f"Vragen {OVERRIDE}om te stellen"}
    deck = write_deck(tmp_path / "deck.yaml", data)
    assert_refused_at(run("check", deck), deck, "Vragen", "labels.questions")


def test_a_direction_override_in_a_companion_deck_is_refused_at_check(tmp_path):
    folder = tmp_path / "decks"
    shutil.copytree(FIXTURES / "companion", folder)
    companion = folder / "arabisch.yaml"
    text = companion.read_text(encoding="utf-8")
    companion.write_text(text.replace("السكان النشطون لا يأتون", f"السكان {OVERRIDE}النشطون لا يأتون"),
                         encoding="utf-8")
    assert_refused_at(run("check", folder / "main-ar.yaml"), companion, "السكان ", "statement")


def test_a_direction_override_in_a_results_file_is_refused_before_the_report(tmp_path):
    results = tmp_path / "sessie.yaml"
    text = (FIXTURES / "results" / "standaard-resultaten.yaml").read_text(encoding="utf-8")
    results.write_text(text.replace("Kleine dingen werken al", f"Kleine dingen {OVERRIDE}werken al"),
                       encoding="utf-8")
    output = assert_refused_at(run("report", results, "-o", tmp_path / "out"), results, "Kleine dingen",
                               "recognised[1]")
    assert "lesson 'financiering-naar-schaal'" in output
    assert not (tmp_path / "out").exists()


def test_a_direction_override_in_an_imported_table_is_refused_by_row_and_column(tmp_path):
    table = tmp_path / "tabel.csv"
    rows = [["Lessen uit de praktijk", "Gaat over", "Toelichting"],
            ["Buren kennen elkaar", "Community building", "Een koffieochtend helpt."],
            ["Een plek helpt", "Beide", f"Een ruimte {OVERRIDE}voor iedereen."]]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    table.write_text(buffer.getvalue(), encoding="utf-8")
    result = run("import", table, "--id", "tabel", "--title", "Tabel")
    assert result.exit_code == 1, result.output
    assert f"{table}:3: row 3, column 'Toelichting'" in result.output, result.output
    assert "U+202E" in result.output and OVERRIDE not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tabel.csv"]


def test_a_byte_order_mark_in_a_table_cell_is_dropped(tmp_path):
    table = tmp_path / "tabel.csv"
    table.write_text("Lessen uit de praktijk,Toelichting\n"
                     f"Buren{BOM} kennen elkaar,Een koffieochtend helpt{BOM}.\n", encoding="utf-8")
    result = run("import", table, "--id", "tabel", "--title", "Tabel")
    assert result.exit_code == 0, result.output
    deck = load_deck(tmp_path / "tabel.yaml").deck
    lesson = deck.lessons[0]
    assert (lesson.statement, lesson.explanation) == ("Buren kennen elkaar", "Een koffieochtend helpt.")
    assert unicodedata.is_normalized("NFC", deck.lessons[0].statement)


# ---------------------------------------------------------------- what no font draws and no file holds


def _deck_with(tmp_path: Path, **lesson_fields: str) -> Path:
    data = deck_data(1)
    data["lessons"][0].update(lesson_fields)
    return write_deck(tmp_path / "deck.yaml", data)


@pytest.mark.parametrize("code", [0xFFFF, 0xFFFE, 0xFDD0, 0xFDEF, 0x1FFFF, 0x10FFFF])
def test_a_noncharacter_is_refused_at_check_by_its_code(tmp_path, code):
    deck = _deck_with(tmp_path, statement=f"Buren kennen{chr(code)} elkaar")
    result = run("check", deck)
    assert result.exit_code == 1 and "internal error" not in result.output, result.output
    assert f"{deck}:{line_of(deck, 'statement:')}: " in result.output and "field 'statement'" in result.output
    assert f"U+{code:04X}" in result.output and chr(code) not in result.output


def test_a_noncharacter_in_a_results_file_is_refused_before_the_report(tmp_path):
    """Before, U+FFFF passed (the fonts' cmaps end on it) and the report's document writer crashed."""
    results = tmp_path / "r.yaml"
    results.write_text('deck: standaard\nlessons:\n  - id: financiering-naar-schaal\n'
                       '    recognised: ["We kennen elkaar \\uFFFF al jaren"]\n', encoding="utf-8")
    result = run("report", results, "-o", tmp_path / "out")
    assert result.exit_code == 1 and "internal error" not in result.output, result.output
    assert f"{results}:4: " in result.output and "U+FFFF" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("text, codes", [
    (SOFT_HYPHEN, "U+00AD"), (ZWNJ + ZWJ, "U+200C, U+200D"), ("\u0301", "U+0301"), ("\ufe0f\u2060", "U+FE0F, U+2060"),
    (f" {SOFT_HYPHEN} {BOM} ", "U+00AD"),
])
def test_a_text_that_shows_nothing_is_refused_naming_what_it_holds(tmp_path, text, codes):
    deck = _deck_with(tmp_path, explanation=text)
    result = run("check", deck)
    assert result.exit_code == 1, result.output
    assert "field 'explanation'" in result.output and codes in result.output, result.output


@pytest.mark.parametrize("text", ["e\u0301", "\u0627", ZWNJ + "ها", f"Buurt{SOFT_HYPHEN}huis", "?"])
def test_a_text_with_one_visible_character_is_accepted(tmp_path, text):
    assert run("check", _deck_with(tmp_path, explanation=text)).exit_code == 0


# ---------------------------------------------------------------- texts written back into a file


@pytest.mark.parametrize("title", ["Buurt\u2028avond", "Buurt\u2028previous: {date: 2020-01-01}\u2028#",
                                   "Buurt\u0085avond\u2029"])
def test_a_title_with_line_breaks_never_breaks_the_results_file_made_for_it(tmp_path, title):
    """The title goes into the template's first comment: on one line, so nothing after a break
    becomes a field of the results file (before: U+2028 made line 8 invalid, or a 'previous:')."""
    data = deck_data(1)
    data["title"] = title
    data["source"]["title"] = "Samen wonen in de wijk"  # the name finder takes 'Bron' for a name
    deck = write_deck(tmp_path / "deck.yaml", data)
    assert run("check", deck).exit_code == 0
    made = run("results", "new", deck, "-o", tmp_path / "r.yaml")
    assert made.exit_code == 0, made.output
    text = (tmp_path / "r.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("#") and not any(ch in text for ch in "\u2028\u2029\u0085")
    loaded = yaml.safe_load(text)
    assert loaded["deck"] == "deck.yaml" and "previous" not in loaded
    reported = run("report", tmp_path / "r.yaml", "-o", tmp_path / "out")
    assert reported.exit_code == 0, reported.output


def test_a_carried_text_with_line_breaks_reads_back_as_written(tmp_path):
    """Agreements still to do are written into the next results file: every character as it was."""
    from dialoogkit.cards.results.carry import yaml_text

    for text in ("a\u2028status: klaar", "x\u0085y", "\ufeffBOM", "plain words", "- lijst", "yes", "12", " rand "):
        assert yaml.safe_load(f"key: {yaml_text(text)}\n")["key"] == text, text


# ---------------------------------------------------------------- names that are one after normalising


@pytest.mark.parametrize("first, second", [("G\u00e9meente", "Ge\u0301meente"), ("gemeente", "GEMEENTE"),
                                           ("de gemeente", "de  gemeente")])
def test_two_addressees_that_are_one_are_refused_naming_both(tmp_path, first, second):
    results = tmp_path / "r.yaml"
    results.write_text("deck: standaard\nlessons:\n  - id: financiering-naar-schaal\n    higher:\n"
                       f"      - point: Samen betalen\n        to: {first}\naddressees:\n"
                       f'  "{first}":\n    organisation: Gemeente Utrecht\n'
                       f'  "{second}":\n    organisation: Gemeente Amersfoort\n', encoding="utf-8")
    result = run("report", results, "-o", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert "field 'addressees'" in result.output and "same addressee" in result.output, result.output
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- an imported table


def _table(tmp_path: Path, rows: list[list[str]]) -> Path:
    table = tmp_path / "tabel.csv"
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows([["Lessen uit de praktijk", "Gaat over", "Toelichting", "Pijler"],
                                                       *rows])
    table.write_text(buffer.getvalue(), encoding="utf-8")
    return table


def test_topics_and_pillars_in_any_script_stay_apart(tmp_path):
    """Before, every Arabic or Hebrew topic fell into one theme 'les' (its slug is empty)."""
    table = _table(tmp_path, [["Les een", "مجتمع", "Uitleg een", "ركيزة"], ["Les twee", "سكن", "Uitleg twee", "ستون"],
                              ["Les drie", "שכונה", "Uitleg drie", "עמוד"], ["Les vier", "مجتمع", "Uitleg vier", "ركيزة"]])
    result = run("import", table, "--id", "tabel", "--title", "Tabel")
    assert result.exit_code == 0, result.output
    deck = load_deck(tmp_path / "tabel.yaml").deck
    assert sorted(theme.label for theme in deck.themes.values()) == sorted(["مجتمع", "سكن", "שכונה"])
    assert sorted(pillar.summary for pillar in deck.pillars.values()) == sorted(["ركيزة", "ستون", "עמוד"])
    assert deck.lessons[0].theme == deck.lessons[3].theme and deck.lessons[0].pillar == deck.lessons[3].pillar
    assert len({lesson.theme for lesson in deck.lessons}) == 3


def test_an_import_writes_nothing_that_check_would_refuse(tmp_path):
    """The table's text is one no font here prints: the import refuses as check would, at its lesson."""
    table = _table(tmp_path, [["Les een", "Wonen", "Uitleg met \U0001F600 erin", "Mensen"]])
    result = run("import", table, "--id", "tabel", "--title", "Tabel")
    assert result.exit_code == 1, result.output
    assert "U+1F600" in result.output and "field 'explanation'" in result.output, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tabel.csv"]
