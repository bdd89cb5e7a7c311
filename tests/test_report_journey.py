"""From one session to the next, through the real command line: a report of the first session,
`dialoogkit results new standaard --after` for the second, the statuses updated and new dots
put, and the second report says what became of the agreements and how the dots moved."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pypdf
import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook
from PIL import Image

from dialoogkit.cards.results.load import load_results
from dialoogkit.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "results"
FOLDER = Path("standaard") / "na-de-sessie"


def run(*args: str):
    result = CliRunner().invoke(main, list(args), env={"DIALOOGKIT_LANG": "nl"})
    assert result.exit_code == 0, result.output
    return result


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages)


def fill_in_the_second_session(path: Path) -> None:
    """What a facilitator types after the second session: date, dots, updated statuses."""
    text = path.read_text(encoding="utf-8")
    text = text.replace("  date:       #", "  date: 2025-06-12  #", 1)
    text = text.replace("  partners: []", "  partners: [corporatie, zorg-welzijn, bewoners, gemeente]", 1)
    data = yaml.safe_load(text)
    lines = text.splitlines()
    for lesson_id, votes in {"financiering-naar-schaal": [5, 4, 5, 3], "actieve-bewoners": [2, 4, 3, 2]}.items():
        start = lines.index(f"  - id: {lesson_id}")
        for partner, vote in zip(("corporatie", "zorg-welzijn", "bewoners", "gemeente"), votes):
            at = next(i for i in range(start, len(lines)) if lines[i] == f"      {partner}:")
            lines[at] = f"      {partner}: {vote}"
    text = "\n".join(lines) + "\n"
    assert [a["what"] for a in data["previous"]["agreements"]] == [
        "Een lijst maken van kleine dingen die al werken", "Elke nieuwe bewoner krijgt een welkomstbezoek",
        "Een vaste koffieochtend op zaterdag"]
    text = text.replace("      when: voor de zomer\n      status: open",
                        "      when: voor de zomer\n      status: klaar")
    text = text.replace('      when: "2025-04-05"\n      status: open',
                        '      when: "2025-04-05"\n      status: gestopt\n'
                        '      reason: De buurtkamer is op zaterdag dicht.')
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def journey(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("journey")
    shutil.copytree(FIXTURES / "reis", work, dirs_exist_ok=True)
    run("report", str(work / "maart.yaml"), "-o", str(work / "maart"))
    made = run("results", "new", "standaard", "--after", str(work / "maart.yaml"), "-o", str(work / "juni.yaml"))
    assert "de afspraken die nog niet klaar waren (3)" in made.output
    fill_in_the_second_session(work / "juni.yaml")
    run("report", str(work / "juni.yaml"), "-o", str(work / "juni"))
    return work


def test_the_new_file_holds_what_the_next_report_needs_and_names_no_other_file(journey):
    text = (journey / "juni.yaml").read_text(encoding="utf-8")
    assert "maart" not in text  # it names no other file
    previous = yaml.safe_load(text)["previous"]
    assert previous["date"] == "2025-03-14" or str(previous["date"]) == "2025-03-14"
    assert previous["votes"]["financiering-naar-schaal"] == {"corporatie": 4, "zorg-welzijn": 2, "bewoners": 5,
                                                             "gemeente": 3}
    first = load_results(journey / "maart.yaml").results
    open_ones = [a.what for _, a in first.agreements() if a.status not in ("done", "stopped")]
    assert [a.what for a in load_results(journey / "juni.yaml").results.previous.agreements] == open_ones
    assert "Een buurtapp voor de flat starten" not in text  # done last time: not carried
    assert "owner" not in text and "who: corporatie" in text and 'when: "2025-06-01"' in text
    assert yaml.safe_load(text)["sender"]["name"] == "Sanne Bakker"  # the sender stays the same


def test_the_second_report_says_what_became_of_the_agreements(journey):
    text = pdf_text(journey / "juni" / FOLDER / "verslag.pdf")
    start = text.index("Wat is er gebeurd met onze afspraken?")
    section = text[start:text.index("Waar we over praatten")]
    assert "Op de vorige sessie (14 maart 2025) maakten we afspraken" in section
    done = section.index("Klaar")
    ongoing = section.index("Loopt nog")
    stopped = section.index("Gestopt")
    assert done < section.index("Een lijst maken van kleine dingen die al werken") < ongoing
    assert ongoing < section.index("Elke nieuwe bewoner krijgt een welkomstbezoek (2) — corporatie, 1 juni 2025, bezig")
    assert stopped < section.index("Een vaste koffieochtend op zaterdag") < section.index(
        "Waarom: De buurtkamer is op zaterdag dicht.")
    assert "Wat is er gebeurd" not in pdf_text(journey / "maart" / FOLDER / "verslag.pdf")


def test_the_second_report_shows_how_the_dots_moved(journey):
    text = pdf_text(journey / "juni" / FOLDER / "verslag.pdf")
    assert "Verschil" in text and "was 4" in text and "was –" in text
    assert "Inzicht 1: +3, van 14 naar 17" in text and "Inzicht 2: +3, van 8 naar 11" in text
    row = re.search(r"1 Vaste financiering voor jaren is niet altijd nodig (.*?) 2 Actieve", text).group(1)
    assert row.split() == ["5", "was", "4", "4", "was", "2", "5", "was", "5", "3", "was", "3", "+3"]


def test_stippen_png_shows_the_moved_dots_too(journey):
    first = Image.open(journey / "maart" / FOLDER / "stippen.png")
    second = Image.open(journey / "juni" / FOLDER / "stippen.png")
    assert second.width == first.width and second.height > first.height  # all ten lessons, each cell two lines
    import pypdfium2  # the picture is rendered from the same plan as the report: read its words back from it

    from dialoogkit.cards.results.wording import load_wording
    from dialoogkit.generator.report.heatmap import plan_heatmap
    from dialoogkit.layouts.guidepage import CONTENT_WIDTH
    from dialoogkit.output.png import screen_pdf

    loaded = load_results(journey / "juni.yaml")
    heat = plan_heatmap(loaded.results, loaded.deck.deck, CONTENT_WIDTH, load_wording("nl").report)
    pdf = pypdfium2.PdfDocument(io.BytesIO(screen_pdf([heat.face], (heat.face.width, heat.face.height))))
    words = pdf[0].get_textpage().get_text_range()
    assert "Verschil" in words and "was 4" in words and "+3" in words
    assert heat.changes[:2] == ("+3", "+3")


def test_the_action_list_follows_the_carried_agreements(journey):
    sheet = load_workbook(journey / "juni" / FOLDER / "acties.xlsx").active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [(row[1], row[4], row[5]) for row in rows] == [
        ("Een lijst maken van kleine dingen die al werken", "klaar", None),
        ("Elke nieuwe bewoner krijgt een welkomstbezoek", "bezig", None),
        ("Een vaste koffieochtend op zaterdag", "gestopt", "De buurtkamer is op zaterdag dicht.")]


def test_a_third_session_carries_only_what_is_still_going(journey):
    run("results", "new", "standaard", "--after", str(journey / "juni.yaml"), "-o", str(journey / "sept.yaml"))
    previous = yaml.safe_load((journey / "sept.yaml").read_text(encoding="utf-8"))["previous"]
    assert [a["what"] for a in previous["agreements"]] == ["Elke nieuwe bewoner krijgt een welkomstbezoek"]
    assert str(previous["date"]) == "2025-06-12"
    assert previous["votes"]["actieve-bewoners"] == {"corporatie": 2, "zorg-welzijn": 4, "bewoners": 3, "gemeente": 2}


def test_after_a_session_of_another_deck_the_lessons_must_exist(tmp_path):
    deck = tmp_path / "klein.yaml"
    deck.write_text("extends: standaard\nid: klein\ntitle: Klein\nselect: [financiering-naar-schaal]\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["results", "new", str(deck), "--after", str(FIXTURES / "reis" / "maart.yaml"),
                                       "-o", str(tmp_path / "s.yaml")], env={"DIALOOGKIT_LANG": "nl"})
    assert result.exit_code == 1, result.output
    first = (FIXTURES / "reis" / "maart.yaml").read_text(encoding="utf-8").splitlines()
    line = first.index("  - id: actieve-bewoners") + 1
    assert f"maart.yaml:{line}: les 'actieve-bewoners', veld 'id': inzicht 'actieve-bewoners'" in result.output
    assert not (tmp_path / "s.yaml").exists()
