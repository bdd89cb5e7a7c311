"""No resident is named in anything made after a session: every free-text field of a results file
(not the sender and the addressees of the letters) and the deck's texts in the report are checked
for names, street addresses and phone numbers; a suspected one stops `dialoogkit report` with the
file, line, field, the words and the fix, and nothing is written; organisations and places that
look like names pass, or pass once confirmed under `not_names:`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
import yaml
from click.testing import CliRunner

from dialoogkit.cards.loader import load_deck
from dialoogkit.cards.results import names
from dialoogkit.cards.results.load import load_results, load_results_text
from dialoogkit.cards.results.privacy import is_confirmed, known_names
from dialoogkit.cards.results.residents import NameCheck, check_residents, results_texts
from dialoogkit.cards.texts import printed_texts
from dialoogkit.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
PEOPLE = yaml.safe_load((FIXTURES / "names" / "personen.yaml").read_text(encoding="utf-8"))
NO_PEOPLE = yaml.safe_load((FIXTURES / "names" / "geen-personen.yaml").read_text(encoding="utf-8"))
ALL_FIELDS = FIXTURES / "results" / "alle-velden.yaml"
STANDARD = FIXTURES / "results" / "standaard-resultaten.yaml"
NAMED = "Tesfay Gebremedhin helpt bij de koffie."  # deduce alone misses this one (measured)


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


def report(path: Path, out: Path, *flags: str):
    return CliRunner().invoke(main, ["report", str(path), "-o", str(out), *flags], env={"DIALOOGKIT_LANG": "nl"})


def test_the_corpus_is_as_large_as_promised():
    origins = {"nederlands", "marokkaans", "turks", "surinaams", "pools", "eritrees", "syrisch"}
    assert origins <= set(PEOPLE)
    assert sum(len(PEOPLE[origin]) for origin in origins) >= 30
    assert all(len(PEOPLE[origin]) >= 5 for origin in origins)
    assert len(NO_PEOPLE) >= 20


@pytest.mark.parametrize("origin, sentence", [(origin, s) for origin, items in PEOPLE.items() for s in items])
def test_every_sentence_naming_a_resident_is_found(origin, sentence):
    found = names.find_names(sentence)
    assert found, f"{origin}: nothing found in {sentence!r}"


@pytest.mark.parametrize("item", NO_PEOPLE, ids=[item["text"][:40] for item in NO_PEOPLE])
def test_organisations_and_places_pass_or_are_confirmable(item):
    loaded = load_results(STANDARD)
    text = item["text"]
    data = loaded.results.model_copy(update={"next": [text], "not_names": item.get("not_names", [])})
    check = check_residents(type(loaded)(data, loaded.file, loaded.origins, loaded.deck))
    assert check.problems == [], [p.format() for p in check.problems]
    if item.get("not_names"):  # confirmable: without the confirmation it is found, with it it passes
        unconfirmed = [f for f in names.find_names(text) if not is_confirmed(text, f.start, f.end, [])]
        assert unconfirmed


def test_the_standard_decks_raise_no_alarm():
    for name in ("standaard", "standard-en"):
        deck = load_deck(name).deck
        known = known_names(deck)
        found = [(loc, f.words) for loc, text in printed_texts(deck) for f in names.find_names(text)
                 if " ".join(f.words.lower().split()) not in known]
        assert found == [], name


@pytest.mark.parametrize("loc", [loc for loc, _ in results_texts(load_results(ALL_FIELDS)) if loc[1] != "partners"],
                         ids=lambda loc: ".".join(map(str, loc)))
def test_a_name_in_any_free_text_field_is_found_there(loc):
    data = yaml.safe_load(ALL_FIELDS.read_text(encoding="utf-8"))
    target = data
    for key in loc[:-1]:
        target = target[key]
    target[loc[-1]] = NAMED
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    check = check_residents(load_results_text(text, "sessie.yaml", at=ALL_FIELDS))
    assert len(check.problems) == 1, [p.format() for p in check.problems]
    problem = check.problems[0]
    shown = "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in loc[2 if loc[0] == "lessons" else 0:])
    assert problem.field == shown.lstrip("."), problem.format()
    assert problem.line == line_of(text, NAMED) and "Tesfay Gebremedhin" in problem.message


def test_the_sender_and_addressees_may_name_a_professional_and_an_official():
    loaded = load_results(ALL_FIELDS)
    assert loaded.results.sender.name == "Sanne Bakker" and loaded.results.addressee("gemeente").person
    assert check_residents(loaded).clean


def test_the_examples_of_the_issue_stop_the_report_and_nothing_is_written(tmp_path):
    text = STANDARD.read_text(encoding="utf-8")
    text = text.replace("      - Kleine dingen werken al met weinig geld, zoals de koffieochtend.",
                        "      - Anneke de Vries van nummer 12 opent nu al elke dinsdag de buurtkamer")
    text = text.replace("  - We sturen dit verslag naar iedereen die meedeed.",
                        "  - Meneer Jansen van nummer 12 haakte na een jaar af.")
    text = text.replace("who: buurtteam", "who: Fatima El Amrani")
    path = tmp_path / "sessie.yaml"
    path.write_text(text, encoding="utf-8")
    result = report(path, tmp_path / "out")
    assert result.exit_code == 1, result.output
    out = result.output
    assert (f"sessie.yaml:{line_of(text, 'Anneke')}: les 'financiering-naar-schaal', veld 'recognised[1]': "
            "dit lijkt over een bewoner te gaan: 'Anneke de Vries' (naam), 'nummer 12' (adres)") in out
    assert f"sessie.yaml:{line_of(text, 'Fatima')}: les 'actieve-bewoners', veld 'agreements[2].who'" in out
    assert f"sessie.yaml:{line_of(text, 'Meneer Jansen')}: veld 'next[1]'" in out
    assert "noem een rol: bewoner, buurtambassadeur" in out and "not_names: [Anneke de Vries]" in out
    assert "Traceback" not in out and not (tmp_path / "out").exists()


def test_a_confirmed_organisation_passes_and_the_report_says_it_holds_no_names(tmp_path):
    text = STANDARD.read_text(encoding="utf-8").replace(
        "      - Kleine dingen werken al met weinig geld, zoals de koffieochtend.",
        "      - De koffieochtend in De Sterrenburg kost weinig geld.")
    path = tmp_path / "sessie.yaml"
    path.write_text(text, encoding="utf-8")
    refused = report(path, tmp_path / "out")
    assert refused.exit_code == 1 and "'Sterrenburg' (naam)" in refused.output
    path.write_text("not_names: [De Sterrenburg]\n" + text, encoding="utf-8")
    made = report(path, tmp_path / "out")
    assert made.exit_code == 0, made.output
    pdf = " ".join(page.extract_text() for page in pypdf.PdfReader(
        tmp_path / "out" / "standaard" / "na-de-sessie" / "verslag.pdf").pages)
    assert "De Sterrenburg" in pdf and "In dit verslag staan geen namen van bewoners" in " ".join(pdf.split())


def test_a_name_in_the_decks_statement_is_found_in_the_deck_file(tmp_path):
    deck = tmp_path / "deck.yaml"
    deck.write_text("extends: standaard\nid: mijn-deck\ntitle: Ons deck\noverride:\n  actieve-bewoners:\n"
                    "    statement: Zonder Kees Bakker komen bewoners er niet vanzelf\n", encoding="utf-8")
    path = tmp_path / "sessie.yaml"
    path.write_text(STANDARD.read_text(encoding="utf-8").replace("deck: standaard", "deck: deck.yaml"),
                    encoding="utf-8")
    result = report(path, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert "deck.yaml:6: les 'actieve-bewoners', veld 'statement'" in result.output
    assert "'Kees Bakker' (naam)" in result.output and "deze tekst staat in het deck" in result.output
    path.write_text("not_names: [Kees Bakker]\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert report(path, tmp_path / "out").exit_code == 0


def test_the_no_names_sentence_is_there_only_because_the_check_ran_clean(monkeypatch):
    from dialoogkit.output import report as report_module

    def text_of(files: dict[str, bytes]) -> str:
        import io

        reader = pypdf.PdfReader(io.BytesIO(files["na-de-sessie/verslag.pdf"]))
        return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)

    loaded = load_results(STANDARD)
    assert "geen namen van bewoners" in text_of(report_module.render_report(loaded))
    monkeypatch.setattr(report_module, "check_residents", lambda _: NameCheck([], 0))  # a check that read nothing
    assert "geen namen van bewoners" not in text_of(report_module.render_report(loaded))


def test_the_finder_loads_lazily_once_and_can_be_warmed_up():
    code = "import sys, dialoogkit.cli, dialoogkit.cards.results.names; print('deduce' in sys.modules)"
    started = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert started.stdout.strip() == "False"  # the command line starts without it
    seconds = names.warm_up()
    assert names.is_ready() and seconds >= 0 and names.warm_up() == seconds  # loaded once per process
    assert names.tables_built()


def test_the_loaded_name_finder_is_out_of_the_garbage_collectors_sight():
    """deduce's tables (millions of objects) would make every full collection stop a studio or a
    team server for seconds: once loaded they are frozen, and a collection leaves them alone."""
    import gc

    names.warm_up()
    assert gc.get_freeze_count() > 1_000_000
    assert len(gc.get_objects()) < gc.get_freeze_count()
