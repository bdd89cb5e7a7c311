"""The facilitator guide: A4 pages, statements and sessions as text, computed agenda times,
sessions that do not add up refused, English guide for the English deck."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from dialoogkit.cards.guide_texts import load_guide_texts
from dialoogkit.cards.loader import load_deck
from dialoogkit.cli import main
from dialoogkit.layouts.agenda import agenda_times, parse_start
from dialoogkit.output.build import BuildOptions, build_kit

FIXTURES = Path(__file__).parent / "fixtures" / "guide"
A4 = (595.28, 841.89)


def flat(text: str) -> str:
    return re.sub(r"[\s\-\u00ad]+", "", text)


@pytest.fixture(scope="module")
def guides(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("guides")
    built = {}
    for deck, start in (("standaard", "9:30"), ("standard-en", "14:00"), (str(FIXTURES / "own_session.yaml"), "19:00")):
        build_kit(deck, BuildOptions(output=out, parts=("guide",), start=start))
        built[deck] = out / load_deck(deck).deck.id / "guide.pdf"
    return built


def texts_of(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def test_guide_is_a4_with_a_page_per_lesson_and_more(guides):
    reader = pypdf.PdfReader(guides["standaard"])
    assert len(reader.pages) >= 10 + 6
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - A4[0]) < 0.5 and abs(float(page.mediabox.height) - A4[1]) < 0.5


def test_every_statement_and_session_title_is_in_the_guide(guides):
    whole = flat(" ".join(texts_of(guides["standaard"])))
    loaded = load_deck("standaard")
    for lesson in loaded.deck.lessons:
        assert flat(lesson.statement) in whole, lesson.id
    for session in load_guide_texts(loaded).sessions:
        assert flat(session.title) in whole, session.id


def test_agenda_clock_times_follow_the_start_and_the_blocks(guides):
    whole = " ".join(texts_of(guides["standaard"]))
    sessions = load_guide_texts(load_deck("standaard")).sessions
    for session in sessions:
        times = agenda_times(parse_start("9:30"), [block.minutes for block in session.blocks])
        assert times[0][0] == "09:30"
        for begin, end in times:
            assert f"{begin}–{end}" in whole, (session.id, begin, end)
    reflection = next(s for s in sessions if s.id == "reflectie-90")
    assert agenda_times(parse_start("9:30"), [b.minutes for b in reflection.blocks])[-1][1] == "11:00"


def test_agenda_times_arithmetic():
    assert agenda_times(parse_start("14:00"), [10, 15, 65]) == [("14:00", "14:10"), ("14:10", "14:25"), ("14:25", "15:30")]
    assert agenda_times(parse_start("23.50"), [20]) == [("23:50", "00:10")]


def test_a_bad_start_time_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["build", "--only", "guide", "--start", "25:00", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "HH:MM" in result.output


def test_a_session_that_does_not_add_up_is_refused(tmp_path):
    deck = FIXTURES / "bad_session.yaml"
    result = CliRunner().invoke(main, ["build", str(deck), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{deck}:6:" in result.output
    assert "says 60 minutes but its blocks add up to 50" in result.output
    assert "sessions[1].minutes" in result.output
    assert not list(tmp_path.rglob("*.pdf"))


def test_a_block_without_minutes_is_refused(tmp_path):
    deck = FIXTURES / "missing_minutes.yaml"
    result = CliRunner().invoke(main, ["check", str(deck)])
    assert result.exit_code == 1
    assert f"{deck}:12:" in result.output
    assert "sessions[1].blocks[1].minutes" in result.output and "missing" in result.output


def test_a_deck_replaces_a_session_by_its_id(guides):
    whole = " ".join(texts_of(guides[str(FIXTURES / "own_session.yaml")]))
    assert "Buurtavond van een uur" in whole
    assert "Reflectiesessie van 90 minuten" not in whole
    assert "19:00–19:15" in whole and "19:15–20:00" in whole
    assert "Regio Oost" in texts_of(guides[str(FIXTURES / "own_session.yaml")])[0]


def test_english_deck_gives_an_english_guide(guides):
    pages = texts_of(guides["standard-en"])
    whole = " ".join(pages)
    assert "Facilitator guide" in whole and "Contents" in whole and "Discussion questions" in whole
    assert "Gespreksvragen" not in whole and "Handleiding" not in whole
    assert pypdf.PdfReader(guides["standard-en"]).trailer["/Root"]["/Lang"] == "en-GB"


def test_contents_lists_headings_with_their_pages(guides):
    reader = pypdf.PdfReader(guides["standaard"])
    contents = reader.pages[1].extract_text(extraction_mode="layout")
    assert "Inhoud" in contents
    for number in (1, 10):
        match = re.search(rf"Inzicht {number}:.*?(\d+)\s*$", contents, re.M)
        assert match, contents
        page = int(match.group(1))
        assert f"Inzicht {number}:" in reader.pages[page - 1].extract_text(), (number, page)
        assert f"Pagina {page}" in reader.pages[page - 1].extract_text()


def test_guide_fonts_are_embedded(guides):
    reader = pypdf.PdfReader(guides["standaard"])
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font)["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
