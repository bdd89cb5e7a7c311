"""`dialoogkit report`: the report, action list, letters and dot-vote picture of a session, in
the kit folder next to the kit, deterministic, CMYK with embedded fonts, and kept by builds."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from PIL import Image

from dialoogkit.cards.results.load import load_results
from dialoogkit.cards.results.wording import load_wording
from dialoogkit.cli import main
from dialoogkit.generator.report.heatmap import plan_heatmap
from dialoogkit.layouts.guidepage import CONTENT_WIDTH
from dialoogkit.output.report import render_report

FIXTURE = Path(__file__).parent / "fixtures" / "results" / "standaard-resultaten.yaml"
FOLDER = "na-de-sessie"


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "out"
    result = CliRunner().invoke(main, ["report", str(FIXTURE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out / "standaard" / FOLDER


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages)


def test_the_report_folder_holds_every_file(kit):
    names = sorted(p.name for p in kit.iterdir())
    assert names == ["acties.csv", "acties.xlsx", "brief-gemeente.docx", "brief-gemeente.pdf", "brief-regio.docx",
                     "brief-regio.pdf", "brief-woonstichting-de-linde.docx", "brief-woonstichting-de-linde.pdf",
                     "stippen.png", "verslag.docx", "verslag.pdf"]


def test_the_report_has_the_agreements_in_order_and_says_it_holds_no_names(kit):
    text = pdf_text(kit / "verslag.pdf")
    loaded = load_results(FIXTURE)
    positions = [text.index(" ".join(item.what.split()[:4])) for _, item in loaded.results.agreements()]
    assert positions == sorted(positions) and len(positions) == 4
    assert "In dit verslag staan geen namen van bewoners" in text
    assert "Aedes, VNG, Valente" in text and "10 inzichten: community building en gemengd wonen" in text
    assert "14 maart 2025" in text and "Buurthuis De Linde" in text and "Wat gebeurt er nu?" in text
    assert "nog in te vullen" not in text
    reader = pypdf.PdfReader(kit / "verslag.pdf")
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [595, 842]


def test_heat_map_cells_equal_the_file_as_numbers_and_as_text(kit):
    loaded = load_results(FIXTURE)
    heat = plan_heatmap(loaded.results, loaded.deck.deck, CONTENT_WIDTH, load_wording("nl").report)
    expected = {(lesson.id, partner): lesson.votes.get(partner) for lesson in loaded.results.lessons
                for partner in loaded.deck.deck.audiences}
    assert heat.values() == expected
    assert heat.values()[("financiering-naar-schaal", "bewoners")] == 5
    assert heat.values()[("actieve-bewoners", "gemeente")] is None
    shades = {cell.value: cell.shade.r for cell in heat.cells}
    assert shades[None] == 1.0 and sorted(v for v in shades if v) == sorted(shades, key=lambda v: -shades[v])[1:]
    text = pdf_text(kit / "verslag.pdf")
    rows = re.findall(r"(\d+) [^\d–]+?((?: [1-5–]){4})(?= \d| Een| \d)", text)
    found = {number: values.split() for number, values in rows}
    numbers = {lesson.id: i + 1 for i, lesson in enumerate(loaded.deck.deck.lessons)}
    for lesson in loaded.results.lessons:
        want = [str(lesson.votes.get(p)) if lesson.votes.get(p) else "–" for p in loaded.deck.deck.audiences]
        assert found[str(numbers[lesson.id])] == want


def test_action_list_xlsx_and_csv_equal_the_agreements(kit):
    import datetime

    loaded = load_results(FIXTURE)
    numbers = {lesson.id: i + 1 for i, lesson in enumerate(loaded.deck.deck.lessons)}
    words = load_wording("nl").report
    expected = [[numbers[lesson_id], item.what, item.who or "", item.when or "", words[f"status_{item.status}"]]
                for lesson_id, item in loaded.results.agreements()]
    sheet = load_workbook(kit / "acties.xlsx").active
    rows = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Inzicht", "Wat", "Wie", "Wanneer", "Status", "Reden (bij gestopt)"]
    # a date is a date cell, other "when" text stays as written
    assert rows[2][3] == datetime.datetime(2025, 6, 1) and sheet["D3"].is_date
    as_written = [[*row[:3], row[3].date().isoformat() if isinstance(row[3], datetime.datetime) else row[3], row[4]]
                  for row in rows[1:]]
    assert [[int(row[0].split(".")[0]), *row[1:]] for row in as_written] == expected
    raw = (kit / "acties.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == ["inzicht", "actie", "wie", "wanneer", "status"]  # the CSV stays as it was
    assert table[1:] == [[str(row[0]), *map(str, row[1:5])] for row in as_written]


def test_one_letter_per_addressee_on_one_page(kit):
    for name, to in [("brief-gemeente.pdf", "Gemeente"), ("brief-regio.pdf", "Regio"),
                     ("brief-woonstichting-de-linde.pdf", "Woonstichting De Linde")]:
        reader = pypdf.PdfReader(kit / name)
        assert len(reader.pages) == 1
        text = pdf_text(kit / name)
        assert f"Aan {to}" in text and "geen namen van bewoners" in text
    assert "Samen betalen voor de community builder" in pdf_text(kit / "brief-gemeente.pdf")
    assert "Samen betalen" not in pdf_text(kit / "brief-regio.pdf")


def test_pdfs_embed_their_fonts_and_use_no_rgb(kit):
    for path in kit.glob("*.pdf"):
        reader = pypdf.PdfReader(path)
        for page in reader.pages:
            fonts = page["/Resources"]["/Font"]
            for font in fonts.values():
                font = font.get_object()
                descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                descriptor = descendant["/FontDescriptor"].get_object()
                assert any(key in descriptor for key in ("/FontFile2", "/FontFile", "/FontFile3")), path.name
            content = page.get_contents().get_data().decode("latin-1")
            assert not re.search(r"(^|\s)[\d.]+ [\d.]+ [\d.]+ (rg|RG)\b", content), path.name


def test_stippen_png_is_the_heat_map(kit):
    with Image.open(kit / "stippen.png") as image:
        assert image.width > 1000 and image.height > 300
        grey = image.convert("L")
        assert grey.getextrema()[0] < 80  # the darkest step, in black and white


def test_two_reports_are_identical_bytes():
    loaded = load_results(FIXTURE)
    first, second = render_report(loaded), render_report(load_results(FIXTURE))
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], name


def test_the_untouched_template_gives_a_worksheet(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["results", "new", "standaard", "-o", str(tmp_path)]).exit_code == 0
    made = runner.invoke(main, ["report", str(tmp_path / "standaard-resultaten.yaml"), "-o", str(tmp_path / "out")])
    assert made.exit_code == 0, made.output
    folder = tmp_path / "out" / "standaard" / FOLDER
    assert sorted(p.name for p in folder.iterdir()) == ["acties.csv", "acties.xlsx", "stippen.png", "verslag.docx",
                                                        "verslag.pdf"]
    text = pdf_text(folder / "verslag.pdf")
    assert text.count("(nog in te vullen)") >= 7
    assert load_workbook(folder / "acties.xlsx").active.max_row == 1


def test_a_build_keeps_the_report_and_lists_it_in_the_manifest(tmp_path):
    import json

    runner = CliRunner()
    out = tmp_path / "out"
    assert runner.invoke(main, ["report", str(FIXTURE), "-o", str(out)]).exit_code == 0
    before = (out / "standaard" / FOLDER / "verslag.pdf").read_bytes()
    built = runner.invoke(main, ["build", "-q", "--no-png", "-o", str(out)])
    assert built.exit_code == 0, built.output
    assert (out / "standaard" / FOLDER / "verslag.pdf").read_bytes() == before
    manifest = json.loads((out / "standaard" / "manifest.json").read_text(encoding="utf-8"))
    names = [f["name"] for f in manifest["files"]]
    assert "na-de-sessie/verslag.pdf" in names and "guide.pdf" in names
    again = runner.invoke(main, ["report", str(FIXTURE), "-o", str(out)])  # the manifest follows a new report
    assert again.exit_code == 0
    manifest = json.loads((out / "standaard" / "manifest.json").read_text(encoding="utf-8"))
    assert "guide.pdf" in [f["name"] for f in manifest["files"]]
    only = runner.invoke(main, ["build", "-q", "--only", "guide", "-o", str(out)])
    assert only.exit_code == 0 and (out / "standaard" / FOLDER / "acties.xlsx").is_file()
