"""One results-and-report service under both faces (``app.reporting``): the same results file gives
the same refusal (file, line, field, the words found) and the same report files from
``dialoogkit report`` and from the studio's report button, and ``results new --after`` writes the
same file as the studio's "verder na een vorige sessie"; new results files go through the
storage of the command or request."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from studio_support import signed_in

from dialoogkit.app import reporting
from dialoogkit.cards.bundled import decks_folder
from dialoogkit.cli import main

pytestmark = pytest.mark.filterwarnings("ignore:.*httpx.*")
FIXTURE = Path(__file__).parent / "fixtures" / "results" / "standaard-resultaten.yaml"
DECK = "standaard/standaard.yaml"
RESULTS = "standaard/standaard-resultaten.yaml"
NAMED = "Anneke de Vries van nummer 12 opent de buurtkamer"


@pytest.fixture(scope="module", autouse=True)
def name_finder():
    from dialoogkit.cards.results.names import warm_up

    warm_up()


@pytest.fixture(autouse=True)
def dutch(monkeypatch):
    monkeypatch.setenv("DIALOOGKIT_LANG", "nl")


def workspace(root: Path, results: str | None) -> Path:
    folder = root / "werkmap"
    (folder / "standaard").mkdir(parents=True)
    shutil.copy(decks_folder() / "standaard.yaml", folder / DECK)
    if results is not None:
        (folder / RESULTS).write_text(results, encoding="utf-8")
    return folder


def fixture_text(recognised: str = "Kleine dingen werken al met weinig geld, zoals de koffieochtend.") -> str:
    text = FIXTURE.read_text(encoding="utf-8").replace("deck: standaard\n", "deck: standaard.yaml\n")
    return text.replace("Kleine dingen werken al met weinig geld, zoals de koffieochtend.", recognised)


def cli(folder: Path, monkeypatch, *args: str):
    monkeypatch.chdir(folder)
    return CliRunner().invoke(main, list(args), env={"DIALOOGKIT_LANG": "nl", "SOURCE_DATE_EPOCH": "1741910400"})


def studio_report(folder: Path, monkeypatch):
    """Press the studio's report button on the saved file (the page's own fields, unchanged)."""
    from test_studio_results import form_of

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1741910400")
    studio = signed_in(folder)
    page = studio.client.get("/results", params={"deck": DECK}).text
    return studio.client.post("/results/save", data={**form_of(page), "op": "report"},
                              headers={"Origin": studio.origin})


def test_the_same_name_is_refused_alike_by_the_command_line_and_the_studio(tmp_path, monkeypatch):
    folder = workspace(tmp_path, fixture_text(NAMED))
    check = reporting.check_results(reporting.read_results(folder / RESULTS))
    assert len(check.problems) == 1 and check.suspects[0].offers[0] == "Anneke de Vries"
    expected = check.problems[0]
    assert expected.field == "recognised[1]" and "'Anneke de Vries' (naam), 'nummer 12' (adres)" in expected.message
    shown = expected.format().replace(str(folder / RESULTS), RESULTS)

    result = cli(folder, monkeypatch, "report", RESULTS, "-o", "cli-out")
    assert result.exit_code == 1 and shown in result.output, result.output
    assert not (folder / "cli-out").exists()

    answer = studio_report(folder, monkeypatch)
    assert answer.status_code == 422
    page = html.unescape(answer.text)
    assert shown in page  # the same words in the list at the top of the page
    assert "Het verslag is niet gemaakt: er lijkt een naam" in page and "Herkennen we dit? (inzicht 1)" in page
    assert not (folder / "output").exists()


def test_the_same_results_give_the_same_report_files(tmp_path, monkeypatch):
    folder = workspace(tmp_path, fixture_text())
    result = cli(folder, monkeypatch, "report", RESULTS, "-o", "cli-out")
    assert result.exit_code == 0, result.output
    answer = studio_report(folder, monkeypatch)
    assert answer.status_code == 200, answer.text
    by_cli = folder / "cli-out" / "standaard" / "na-de-sessie"
    by_studio = folder / "output" / "standaard" / "na-de-sessie"
    names = sorted(path.name for path in by_cli.iterdir())
    assert names == sorted(path.name for path in by_studio.iterdir())
    assert {"verslag.pdf", "verslag.docx", "acties.xlsx", "acties.csv", "brief-gemeente.pdf"} <= set(names)
    for name in names:
        assert (by_cli / name).read_bytes() == (by_studio / name).read_bytes(), name
    # the warnings of the command line are the ones the page shows
    assert "Let op" in html.unescape(answer.text) or "Warning" not in result.output


def test_strict_turns_the_warnings_into_the_same_refusal(tmp_path, monkeypatch):
    folder = workspace(tmp_path, fixture_text())
    warnings = reporting.check_results(reporting.read_results(folder / RESULTS)).warnings
    assert warnings and all(w.field for w in warnings)  # the letters still lack their sender
    strict = reporting.check_results(reporting.read_results(folder / RESULTS), strict=True)
    assert list(strict.problems) == sorted(warnings, key=lambda p: p.line or 0) and not strict.warnings
    result = cli(folder, monkeypatch, "report", RESULTS, "-o", "cli-out", "--strict")
    assert result.exit_code == 1
    for warning in warnings:
        assert warning.format().replace(str(folder / RESULTS), RESULTS) in result.output


def test_results_new_after_writes_the_same_file_from_both_faces(tmp_path, monkeypatch):
    first = fixture_text()
    by_cli = workspace(tmp_path / "a", None)
    (by_cli / "standaard" / "maart.yaml").write_text(first, encoding="utf-8")
    result = cli(by_cli, monkeypatch, "results", "new", DECK, "--after", "standaard/maart.yaml",
                 "-o", RESULTS)
    assert result.exit_code == 0, result.output
    assert "de afspraken die nog niet klaar waren (3)" in result.output

    by_studio = workspace(tmp_path / "b", None)
    (by_studio / "standaard" / "maart.yaml").write_text(first, encoding="utf-8")
    studio = signed_in(by_studio)
    page = studio.client.get("/results", params={"deck": DECK}).text
    assert '<option value="standaard/maart.yaml">standaard/maart.yaml (2025-03-14)</option>' in page
    answer = studio.client.post("/results/new", data={"deck": DECK, "after": "standaard/maart.yaml"},
                                headers={"Origin": studio.origin})
    assert answer.status_code == 200 and "verder na de vorige sessie" in answer.text
    assert (by_studio / RESULTS).read_text(encoding="utf-8") == (by_cli / RESULTS).read_text(encoding="utf-8")
    # a file that is not one of this deck's results in the workspace is not taken
    (by_studio / RESULTS).unlink()
    refused = studio.client.post("/results/new", data={"deck": DECK, "after": "../elsewhere.yaml"},
                                 headers={"Origin": studio.origin})
    assert refused.status_code == 404 and not (by_studio / RESULTS).exists()


def test_new_results_files_go_through_the_storage(tmp_path):
    from dialoogkit.app.storage import FolderStorage, using_storage
    from dialoogkit.cards.loader import load_deck

    folder = workspace(tmp_path, None)
    written: list[Path] = []

    class Watched(FolderStorage):
        def replace(self, path, data, *, read, author=""):
            written.append(path)
            return super().replace(path, data, read=read, author=author)

    deck = load_deck(folder / DECK)
    with using_storage(Watched(folder), author="coördinator"):
        made = reporting.new_results(deck, str(folder / DECK), folder / RESULTS)
        with pytest.raises(Exception, match="bestaat al"):
            reporting.new_results(deck, str(folder / DECK), folder / RESULTS)
    assert written == [made.path] and made.path.read_text(encoding="utf-8").startswith("# Resultaten")
