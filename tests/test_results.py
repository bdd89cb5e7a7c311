"""After the session: the results file is checked like a deck (file, line, lesson, field), names
of residents are warned about, and `dialoogkit results new` writes a valid, commented template."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from dialoogkit.cards.loader import load_deck
from dialoogkit.cards.paths import Gate
from dialoogkit.cards.results.load import load_results, load_results_text
from dialoogkit.cards.results.model import VOTE_MAX
from dialoogkit.cards.results.privacy import looks_like_name
from dialoogkit.cli import main
from dialoogkit.errors import ContentError
from dialoogkit.generator.posters.overview import SCALE_POINTS

FIXTURE = Path(__file__).parent / "fixtures" / "results" / "standaard-resultaten.yaml"


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_fixture_loads_with_its_agreements_in_order():
    loaded = load_results(FIXTURE)
    agreements = [(lesson, item.what, item.who, item.when, item.status) for lesson, item in loaded.results.agreements()]
    assert agreements[0] == ("financiering-naar-schaal", "Een lijst maken van kleine dingen die al werken",
                             "bewonerscommissie", "voor de zomer", "open")
    assert agreements[1][4] == "started" and agreements[2][4] == "done"  # bezig, klaar
    assert list(loaded.results.addressees()) == ["gemeente", "Woonstichting De Linde", "regio"]
    assert loaded.warnings == [] and loaded.deck.deck.id == "standaard"


def test_votes_range_is_the_overview_canvas_scale():
    assert VOTE_MAX == SCALE_POINTS


def test_unknown_lesson_and_vote_out_of_range_are_located():
    text = FIXTURE.read_text(encoding="utf-8")
    text = text.replace("- id: actieve-bewoners", "- id: actieve-bewonners").replace("gemeente: 3", "gemeente: 7")
    with pytest.raises(ContentError) as caught:
        load_results_text(text, "sessie.yaml")
    message = caught.value.format_message()
    lesson_line = line_of(text, "actieve-bewonners")
    vote_line = line_of(text, "gemeente: 7")
    assert f"sessie.yaml:{lesson_line}: lesson 'actieve-bewonners', field 'id': there is no lesson" in message
    assert "did you mean 'actieve-bewoners'?" in message
    assert (f"sessie.yaml:{vote_line}: lesson 'financiering-naar-schaal', field 'votes.gemeente': "
            "a dot vote is a whole number from 1 to 5, found 7") in message


def test_dates_partners_and_keys_are_checked():
    text = FIXTURE.read_text(encoding="utf-8").replace("2025-03-14", "2025-02-30").replace(
        "partners: [corporatie,", "partners: [corporatei,").replace("    recognised:\n      - Na", "    recognized:\n      - Na")
    with pytest.raises(ContentError) as caught:
        load_results_text(text, "s.yaml")
    message = caught.value.format_message()
    assert f"s.yaml:{line_of(text, '2025-02-30')}: field 'session.date': '2025-02-30' is not a date" in message
    assert "'corporatei' is not a partner of deck 'standaard' — did you mean 'corporatie'?" in message
    assert "unknown key 'recognized' — did you mean 'recognised'?" in message


def test_a_resident_named_as_owner_is_warned_while_typing_and_stops_the_report(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace("who: buurtteam", "who: Fatima el Amrani")
    loaded = load_results_text(text, "s.yaml")
    assert len(loaded.warnings) == 1
    warning = loaded.warnings[0].format()
    assert warning.startswith(f"s.yaml:{line_of(text, 'Fatima')}: lesson 'actieve-bewoners', field 'agreements[2].who'")
    assert "'Fatima el Amrani'" in warning or "Fatima el Amrani looks like the name of a person" in warning
    with pytest.raises(ContentError, match="looks like the name of a person"):
        load_results_text(text, "s.yaml", strict=True)
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    for flags in ([], ["--strict"]):
        result = CliRunner().invoke(main, ["report", str(path), "-o", str(tmp_path / "out"), *flags])
        assert result.exit_code == 1, result.output
        assert f"s.yaml:{line_of(text, 'Fatima')}: lesson 'actieve-bewoners', field 'agreements[2].who'" in result.output
        assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("value", ["Jan", "Jan de Vries", "Fatima el Amrani", "J. Jansen", "Piet en Marie"])
def test_names_look_like_names(value):
    assert looks_like_name(value)


@pytest.mark.parametrize("value", ["corporatie", "Bewonerscommissie De Linde", "Woonstichting De Linde", "GGD",
                                   "wijkagent", "Gemeente Utrecht", "buurtteam", "voor de zomer", "iedereen"])
def test_roles_and_organisations_are_not_names(value):
    assert not looks_like_name(value)


def test_organisations_the_deck_names_are_not_names():
    deck = load_deck("standaard").deck
    from dialoogkit.cards.results.privacy import known_names

    assert not looks_like_name("Valente", known_names(deck))
    assert looks_like_name("Valente")


def test_results_new_writes_a_valid_commented_template_and_refuses_to_overwrite(tmp_path):
    runner = CliRunner()
    made = runner.invoke(main, ["results", "new", "standaard", "-o", str(tmp_path)])
    assert made.exit_code == 0, made.output
    path = tmp_path / "standaard-resultaten.yaml"
    text = path.read_text(encoding="utf-8")
    assert "# Stippen op het overzichtsblad" in text and "Noem geen bewoners bij naam" in text
    data = yaml.safe_load(text)
    assert [lesson["id"] for lesson in data["lessons"]] == [lesson.id for lesson in load_deck("standaard").deck.lessons]
    loaded = load_results(path)
    assert loaded.warnings == [] and all(v is None for lesson in loaded.results.lessons for v in lesson.votes.values())
    again = runner.invoke(main, ["results", "new", "standaard", "-o", str(tmp_path)])
    assert again.exit_code == 1 and "already exists" in again.output and "--force" in again.output
    forced = runner.invoke(main, ["results", "new", "standaard", "-o", str(tmp_path), "--force"])
    assert forced.exit_code == 0


def test_a_deck_file_is_named_relative_to_the_results_file(tmp_path):
    deck = tmp_path / "decks" / "standaard.yaml"
    deck.parent.mkdir()
    shutil.copy(Path(load_deck("standaard").path), deck)
    result = CliRunner().invoke(main, ["results", "new", str(deck), "-o", str(tmp_path / "sessies" / "s.yaml")])
    assert result.exit_code == 0, result.output
    written = tmp_path / "sessies" / "s.yaml"
    assert yaml.safe_load(written.read_text(encoding="utf-8"))["deck"] == "../decks/standaard.yaml"
    # the deck lies in a folder above the results file: the gate asks for the flag, and the
    # printed next step carries it
    assert "--allow-parent-folder" in result.output
    with pytest.raises(ContentError, match="--allow-parent-folder"):
        load_results(written)
    assert load_results(written, gate=Gate(allow_parent=True)).deck.path.resolve() == deck.resolve()
