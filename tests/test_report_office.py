"""The report and letters as Word files, and the action list as a working spreadsheet: the .docx
files open with python-docx and hold the paragraphs of their PDFs; LibreOffice opens them; the
action list has date cells, capitalised headers, a status choice list, wrapped text, a frozen
header row, filters and a page setup that LibreOffice prints one page wide in landscape.

LibreOffice (Debian's libreoffice-calc-nogui and libreoffice-writer-nogui, installed by .ci/run)
is needed for the conversions; without ``soffice`` those tests are skipped, saying so."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import docx
import pypdf
import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from dialoogkit.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "results"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_office = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                                  "apt-get install libreoffice-calc-nogui libreoffice-writer-nogui")


def normalised(text: str) -> str:
    """NFC, a hyphen the layout put at a line end taken out, bullets out, white space single."""
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", unicodedata.normalize("NFC", text))
    return " ".join(text.replace("•", " ").split())


def pdf_text(data: bytes) -> str:
    return " ".join(normalised(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def docx_paragraphs(data: bytes) -> tuple[list[str], list[str]]:
    """The body paragraphs and the table cells' paragraphs of a .docx, non-empty, normalised."""
    document = docx.Document(io.BytesIO(data))
    body = [normalised(p.text) for p in document.paragraphs if p.text.strip()]
    cells = [normalised(p.text) for table in document.tables for row in table.rows for cell in row.cells
             for p in cell.paragraphs if p.text.strip()]
    return body, cells


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("office")
    shutil.copytree(FIXTURES / "reis", work / "reis")
    result = CliRunner().invoke(main, ["report", str(work / "reis" / "maart.yaml"), "-o", str(work / "out")])
    assert result.exit_code == 0, result.output
    return work / "out" / "standaard" / "na-de-sessie"


@pytest.mark.parametrize("name", ["verslag", "brief-gemeente"])
def test_each_docx_holds_the_paragraphs_of_its_pdf_in_order(kit, name):
    text = pdf_text((kit / f"{name}.pdf").read_bytes())
    body, cells = docx_paragraphs((kit / f"{name}.docx").read_bytes())
    assert len(body) >= 12
    position = 0
    for paragraph in body:
        found = text.find(paragraph, position)
        assert found >= 0, f"{paragraph!r} is not (in this order) in {name}.pdf"
        position = found + len(paragraph)
    for cell in cells:
        assert cell in text, f"table cell {cell!r} is not in {name}.pdf"
    words = set(text.split()) - set(" ".join(body + cells).split())
    footer = set(normalised(docx.Document(kit / f"{name}.docx").sections[0].footer.paragraphs[0].text).split())
    assert words <= footer | {"1", "2", "3", "4", "5", "–"}, words  # beside the footer only the legend's steps


def test_the_letter_can_be_sent(kit):
    body, _ = docx_paragraphs((kit / "brief-gemeente.docx").read_bytes())
    text = "\n".join(body)
    assert "Woonstichting De Linde" in text and "Aan Gemeente Utrecht" in text and "t.a.v. Afdeling Wonen" in text
    assert re.search(r"Datum: \d{1,2} \w+ \d{4}", text) and "Kenmerk: standaard-2025-03-14-gemeente" in text
    assert "Sanne Bakker, community builder: sanne.bakker@delinde.example, 030 123 45 67" in text
    assert "In deze brief staan geen namen van bewoners" in text and "In dit verslag" not in text
    assert "nog in te vullen" not in text
    document = docx.Document(kit / "brief-gemeente.docx")
    assert len(document.inline_shapes) == 1  # the logo
    assert len(pypdf.PdfReader(kit / "brief-gemeente.pdf").pages) == 1


def test_what_the_letter_lacks_shows_and_is_warned_about(tmp_path):
    result = CliRunner().invoke(main, ["report", str(FIXTURES / "standaard-resultaten.yaml"), "-o", str(tmp_path)],
                                env={"DIALOOGKIT_LANG": "nl"})
    assert result.exit_code == 0, result.output
    assert "alle brieven (3) zeggen nog 'nog in te vullen' bij de afzender: sender.organisation" in result.output
    assert ("in de brief aan gemeente staat nog 'nog in te vullen' bij: addressees.gemeente.organisation"
            in result.output)
    text = pdf_text((tmp_path / "standaard" / "na-de-sessie" / "brief-gemeente.pdf").read_bytes())
    assert "Aan Gemeente (nog in te vullen)" in text and "(naam: nog in te vullen)" in text
    strict = CliRunner().invoke(main, ["report", str(FIXTURES / "standaard-resultaten.yaml"), "-o",
                                       str(tmp_path / "strict"), "--strict"])
    assert strict.exit_code == 1 and not (tmp_path / "strict").exists()


def test_results_new_writes_the_letter_blocks_empty(tmp_path):
    result = CliRunner().invoke(main, ["results", "new", "standaard", "-o", str(tmp_path / "s.yaml")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "s.yaml").read_text(encoding="utf-8")
    assert "sender:        # wie de brieven stuurt" in text and "addressees:    # per `to:`" in text
    data = yaml.safe_load(text)
    assert data["sender"] == dict.fromkeys(["organisation", "name", "role", "address", "email", "phone", "logo"])
    assert data["addressees"] == {"gemeente": {"organisation": None, "department": None, "person": None}}
    assert data["not_names"] == []


def test_the_action_list_is_a_working_file(kit):
    book = load_workbook(kit / "acties.xlsx")
    sheet = book.active
    assert [cell.value for cell in sheet[1]] == ["Inzicht", "Wat", "Wie", "Wanneer", "Status", "Reden (bij gestopt)"]
    assert all(cell.font.bold for cell in sheet[1])
    dates = [row[3] for row in sheet.iter_rows(min_row=2) if row[3].is_date]
    assert [cell.value.date().isoformat() for cell in dates] == ["2025-06-01", "2025-04-05"]
    assert sheet["D2"].value == "voor de zomer" and not sheet["D2"].is_date
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:F5"
    assert all(cell.alignment.wrap_text for row in sheet.iter_rows() for cell in row)
    choice = sheet.data_validations.dataValidation[0]
    assert choice.type == "list" and choice.formula1 == '"open,bezig,klaar,gestopt"' and "E2" in choice.sqref
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    widths = [sheet.column_dimensions[c].width for c in "ABCDEF"]
    assert all(9 <= width <= 48 for width in widths) and widths[1] >= widths[2]


def _many_agreements(tmp_path: Path) -> Path:
    """A session with 40 agreements, a long text among them."""
    data = yaml.safe_load((FIXTURES / "standaard-resultaten.yaml").read_text(encoding="utf-8"))
    from dialoogkit.cards.loader import load_deck

    data["lessons"] = [{"id": lesson.id, "agreements": [
        {"what": f"Afspraak {n + 1} over {lesson.id.replace('-', ' ')}, met wat uitleg zodat de tekst terugloopt",
         "who": "bewonerscommissie", "when": f"2025-0{1 + n}-1{n}", "status": "bezig"} for n in range(4)]}
        for lesson in load_deck("standaard").deck.lessons]
    path = tmp_path / "veel.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _convert(source: Path, out: Path) -> bytes:
    out.mkdir(exist_ok=True)
    profile = out / "profile"  # a profile of its own: no other LibreOffice run is disturbed
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=300)
    return (out / (source.stem + ".pdf")).read_bytes()


@needs_office
def test_libreoffice_prints_the_action_list_one_page_wide_in_landscape(tmp_path):
    made = CliRunner().invoke(main, ["report", str(_many_agreements(tmp_path)), "-o", str(tmp_path / "out")])
    assert made.exit_code == 0, made.output
    pdf = pypdf.PdfReader(io.BytesIO(_convert(tmp_path / "out" / "standaard" / "na-de-sessie" / "acties.xlsx",
                                              tmp_path / "lo")))
    assert len(pdf.pages) >= 2  # 40 rows: more than one page tall
    for page in pdf.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width > height  # landscape
        text = " ".join(page.extract_text().split())
        assert "Inzicht Wat Wie Wanneer Status Reden (bij gestopt)" in text  # every column on every page
    rows = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert rows.count("bewonerscommissie") == 40 and rows.count("bezig") == 40  # nothing cut off at the right
    assert "1. Vaste financiering" in rows  # nor at the left


@needs_office
def test_libreoffice_opens_the_word_files(kit, tmp_path):
    for name in ("verslag", "brief-gemeente"):
        text = pdf_text(_convert(kit / f"{name}.docx", tmp_path))
        assert "10 inzichten: community building en gemengd wonen" in text
        assert "geen namen van bewoners" in text


@pytest.mark.parametrize("logo", ["/etc/passwd", "../logo.png", "ontbreekt.png"])
def test_the_senders_logo_is_a_picture_beside_the_results_file(tmp_path, logo):
    work = tmp_path / "werk"
    shutil.copytree(FIXTURES / "reis", work)
    shutil.copy(work / "logo.png", tmp_path / "logo.png")
    text = (work / "maart.yaml").read_text(encoding="utf-8").replace("  logo: logo.png", f"  logo: {logo}")
    (work / "maart.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(work / "maart.yaml"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row == f"  logo: {logo}")
    assert f"maart.yaml:{line}: field 'sender.logo'" in result.output and "root:" not in result.output
    assert not (tmp_path / "out").exists()
