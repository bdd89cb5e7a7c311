"""The command line's status lines, warnings and preflight findings follow the user's language:
``DIALOOGKIT_LANG=nl`` gives Dutch, ``DIALOOGKIT_LANG=en`` English (the words of cli.yaml and
output.yaml), for build, new, show, check and preflight."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from reportlab.pdfgen.canvas import Canvas

from dialoogkit.cli import main
from dialoogkit.generator.fonts import REGULAR, register_fonts
from dialoogkit.layouts.units import mm
from dialoogkit.output.build import BuildOptions, build_kit

MINIMAL = Path(__file__).resolve().parent / "fixtures" / "decks" / "minimal.yaml"
WORDS = {
    "en": {
        "wrote": "wrote ", "kept": "kept the other parts of the kit", "progress": "Building",
        "made": "Made regio-test/deck.yaml.", "next": "Next: open it in a text editor",
        "lessons": "3 lessons", "error": "Error: ", "ok": "OK  ",
        "page": ": page 1: RGB colour (DeviceRGB) in a fill where CMYK was promised — convert it to CMYK, or the print shop's RIP converts it its own way",
        "problems": "Error: 2 problem(s):", "warning": "Warning: ", "count": "1 warning: the deck can be checked",
        "fits": "Every text fits on format a6 (standard).", "number": "'x' is not a number — write digits 0-9",
    },
    "nl": {
        "wrote": "geschreven: ", "kept": "de andere onderdelen van de kit zijn gebleven", "progress": "Kit maken",
        "made": "regio-test/deck.yaml is gemaakt.", "next": "Zo ga je verder: open het bestand in een teksteditor",
        "lessons": "3 lessen", "error": "Fout: ", "ok": "In orde  ",
        "page": ": pagina 1: RGB-kleur (DeviceRGB) in een vlak waar CMYK beloofd is — zet het om naar CMYK, anders doet de RIP van de drukkerij dat op zijn eigen manier",
        "problems": "Fout: 2 problemen:", "warning": "Let op: ",
        "count": "1 waarschuwing: je kunt het deck controleren",
        "fits": "Alle tekst past op formaat a6 (standard).", "number": "'x' is geen getal — schrijf cijfers 0-9",
    },
}
LANGUAGES = sorted(WORDS)


@pytest.fixture()
def run(monkeypatch):
    def invoke(language: str, *args: str):
        monkeypatch.setenv("DIALOOGKIT_LANG", language)
        return CliRunner().invoke(main, list(args))

    return invoke


@pytest.fixture(scope="module")
def guide(tmp_path_factory) -> Path:
    """A good PDF to preflight: the standard deck's guide."""
    out = tmp_path_factory.mktemp("guide")
    build_kit("standaard", BuildOptions(output=out, parts=("guide",)))
    return out / "standaard" / "guide.pdf"


def rgb_pdf(path: Path) -> Path:
    """A card-sized PDF with a square in RGB colour (the print-shop PDFs promise CMYK)."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(mm(105), mm(148)), invariant=1, initialFontName=REGULAR)
    canvas.setFillColorRGB(0, 1, 0)
    canvas.rect(mm(20), mm(20), mm(9), mm(9), fill=1)
    canvas.showPage()
    canvas.save()
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize("language", LANGUAGES)
def test_build_says_what_it_wrote(run, language, tmp_path):
    words = WORDS[language]
    result = run(language, "build", "--only", "guide", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert f"{words['wrote']}{tmp_path / 'out' / 'standaard' / 'guide.pdf'}" in result.stdout.splitlines()
    assert words["kept"] in result.stdout
    assert result.stderr.startswith(words["progress"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_new_says_what_it_made_and_what_comes_next(run, language, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(language, "new", "Regio Test")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == WORDS[language]["made"]
    assert lines[1].startswith(WORDS[language]["next"])
    assert lines[2] == "  dialoogkit check regio-test/deck.yaml"


@pytest.mark.parametrize("language", LANGUAGES)
def test_show_of_a_lesson_that_is_not_there(run, language):
    result = run(language, "show", "standaard", "99")
    assert result.exit_code == 2
    assert result.stderr.startswith(WORDS[language]["error"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_show_lists_the_lessons(run, language):
    result = run(language, "show", str(MINIMAL))
    assert result.exit_code == 0, result.output
    title = result.stdout.splitlines()[0]
    assert title == "Klein testdeck  (minimaal, nl): " + WORDS[language]["lessons"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_check_warns_and_fits_in_the_language(run, language, tmp_path):
    deck = tmp_path / "deck.yaml"
    deck.write_text(MINIMAL.read_text(encoding="utf-8").replace("    explanation: no\n",
                                                                "    explanation: (invullen) uitleg\n"),
                    encoding="utf-8")
    words = WORDS[language]
    result = run(language, "check", "--format", "a6", str(deck))
    assert result.exit_code == 0, result.output
    assert words["fits"] in result.stdout.splitlines()
    warnings = result.stderr.splitlines()
    assert warnings[0].startswith(f"{words['warning']}{deck}:")
    assert warnings[1].startswith(words["count"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_number_option_written_wrongly(run, language):
    result = run(language, "build", "--dpi", "x")
    assert result.exit_code == 2
    assert words_in(WORDS[language]["number"], result.stderr)


def words_in(text: str, output: str) -> bool:
    return text in " ".join(output.split())


@pytest.mark.parametrize("language", LANGUAGES)
def test_preflight_ok_lines_and_findings(run, language, guide, tmp_path):
    words = WORDS[language]
    good = run(language, "preflight", "--no-qr", str(guide))
    assert good.exit_code == 0, good.output
    assert good.stdout == f"{words['ok']}{guide} (guide)\n"

    bad = rgb_pdf(tmp_path / "cards-sheets.pdf")  # a kit file's name says what it is
    found = run(language, "preflight", "--no-qr", str(guide), str(bad))
    assert found.exit_code == 1
    assert found.stdout == f"{words['ok']}{guide} (guide)\n"
    assert found.stderr == f"{words['error']}{bad}{words['page']}\n"

    cut = tmp_path / "cut.pdf"
    cut.write_bytes(bad.read_bytes()[:-200])
    both = run(language, "preflight", "--no-qr", str(bad), str(cut))
    assert both.stderr.startswith(words["problems"] + "\n")
    assert f"  {bad}{words['page']}" in both.stderr
