"""The guide and the report tell one story: agreements name a role, never a resident; the guide's
dot voting is what the overview canvas asks and what the report counts; every agenda block shows
its time with an interpreter; the guide says what stays confidential, where that stops and whom to
call (Veilig Thuis); the report explains the numbers it prints.

Everything is read from the built PDFs (pypdf), with whitespace, hyphens and soft hyphens taken
out where a sentence may be broken over lines.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from dialoogkit.cards.guide_texts import load_guide_texts
from dialoogkit.cards.labels import load_labels
from dialoogkit.cards.loader import load_deck
from dialoogkit.cards.results.load import load_results
from dialoogkit.cards.results.model import VOTE_MAX
from dialoogkit.cards.results.wording import load_wording
from dialoogkit.cli import main
from dialoogkit.generator.posters.overview import SCALE_POINTS
from dialoogkit.layouts.agenda import interpreter_minutes
from dialoogkit.output.build import BuildOptions, build_kit

DECKS = {"nl": "standaard", "en": "standard-en"}
RESULTS = Path(__file__).parent / "fixtures" / "results" / "standaard-resultaten.yaml"
MOST_DOTS = {"nl": "het cijfer met de meeste stippen", "en": "the number with the most dots"}
WORKSHEET = {"nl": "overzichtswerkblad", "en": "overview worksheet"}
ROLE = {"nl": "een rol of organisatie", "en": "a role or an organisation"}
CONFIDENTIAL = {"nl": "waar dat ophoudt", "en": "where that stops"}


def flat(text: str) -> str:
    return re.sub(r"[\s\-\u00ad]+", "", text)


def spaced(text: str) -> str:
    return " ".join(re.sub(r"(\w)[\-\u00ad]\s+(\w)", r"\1\2", text).split())


def pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


@pytest.fixture(scope="module")
def guides(tmp_path_factory) -> dict[str, str]:
    """The whole text of the built guide, per language."""
    out = tmp_path_factory.mktemp("guides")
    texts = {}
    for language, deck in DECKS.items():
        build_kit(deck, BuildOptions(output=out, parts=("guide",)))
        texts[language] = pdf_text(out / load_deck(deck).deck.id / "guide.pdf")
    return texts


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> str:
    """The text of ``verslag.pdf`` made from the fixture results."""
    out = tmp_path_factory.mktemp("report") / "out"
    result = CliRunner().invoke(main, ["report", str(RESULTS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return pdf_text(out / "standaard" / "na-de-sessie" / "verslag.pdf")


# ---------------------------------------------------------------- interpreter times

def test_interpreter_minutes_are_half_as_long_again_in_steps_of_five():
    assert [interpreter_minutes(m) for m in (10, 15, 20, 25, 30, 40, 45)] == [15, 25, 30, 40, 45, 60, 70]
    for minutes in range(1, 300):
        longer = interpreter_minutes(minutes)
        assert longer % 5 == 0 and 1.5 * minutes <= longer < 1.5 * minutes + 5, minutes


@pytest.mark.parametrize("language", DECKS)
def test_every_agenda_block_shows_its_time_with_an_interpreter(guides, language):
    loaded = load_deck(DECKS[language])
    guide = load_guide_texts(loaded)
    unit = load_labels(language)["minutes"]
    word = guide.texts.agenda.interpreter
    whole = flat(guides[language])
    for session in guide.sessions:
        for block in session.blocks:
            shown = f"{block.minutes} {unit} ({word} {interpreter_minutes(block.minutes)})"
            assert flat(shown) in whole, (session.id, block.title, shown)
        total = f"{session.minutes} {unit} ({word} {sum(interpreter_minutes(b.minutes) for b in session.blocks)})"
        assert flat(total) in whole, (session.id, total)
    assert whole.count(flat(guide.texts.agenda.interpreter_note)) == len(guide.sessions)
    assert {"nl": "20 min. (met tolk 30)", "en": "20 min (with interpreter 30)"}[language] in spaced(guides[language])


# ---------------------------------------------------------------- disclosures

@pytest.mark.parametrize("language", DECKS)
def test_the_guide_says_where_confidentiality_stops_and_whom_to_call(guides, language):
    text = spaced(guides[language])
    assert "Veilig Thuis" in text and "0800-2000" in text and "112" in text
    title = {"nl": "Vertrouwelijk, en waar dat ophoudt", "en": "Confidential, and where that stops"}[language]
    assert title in text
    guide = load_guide_texts(load_deck(DECKS[language]))
    section = next(s for s in guide.texts.include.sections if s.title == title)
    said = section.text[0]
    assert {"nl": "in gevaar", "en": "in danger"}[language] in said  # the limit is said at the start
    for session in guide.sessions:  # and every session's welcome says it
        assert CONFIDENTIAL[language] in session.blocks[0].instructions, session.id
    assert any({"nl": "gevaar", "en": "danger"}[language] in rule for rule in guide.texts.ground_rules)
    assert "http" not in " ".join(section.text)  # no invented address


# ---------------------------------------------------------------- roles, not names

@pytest.mark.parametrize("language", DECKS)
def test_agreements_in_the_guide_name_a_role_never_a_resident(language):
    guide = load_guide_texts(load_deck(DECKS[language])).texts
    texts = [*guide.tips, *guide.ground_rules, *[t for s in guide.follow_up.sections for t in s.text]]
    texts += [block.instructions for session in guide.sessions for block in session.blocks]
    for text in texts:
        assert not re.search(r"zonder naam|without a name", text), text
        mentions = {"nl": r"afspra[ak]", "en": r"agreement"}[language]
        who_when = {"nl": r"\bwie\b[^.]*\bwanneer\b", "en": r"\bwho\b[^.]*\bwhen\b"}[language]
        if re.search(mentions, text) and re.search(who_when, text):  # what, who and when of agreements
            assert ROLE[language] in text, text
    tip = next(t for t in guide.tips if re.search({"nl": "afspraak", "en": "agreement"}[language], t))
    assert {"nl": "nooit de naam van een bewoner", "en": "never a resident's name"}[language] in tip
    letters = " ".join(t for s in guide.follow_up.sections for t in s.text)
    assert {"nl": "een professional", "en": "a professional"}[language] in letters  # the one who signs with a name


# ---------------------------------------------------------------- dot voting

@pytest.mark.parametrize("language", DECKS)
def test_the_dot_instruction_is_what_the_canvas_asks_and_the_report_counts(guides, language):
    labels = load_labels(language)
    canvas_sentence = labels["overview_hint"].split(". ")[0] + "."  # what the overview canvas says
    guide = load_guide_texts(load_deck(DECKS[language]))
    voting = [b.instructions for s in guide.sessions for b in s.blocks if WORKSHEET[language] in b.instructions]
    assert len(voting) == 3
    for instructions in voting:
        assert canvas_sentence in instructions
        assert MOST_DOTS[language] in instructions.lower()  # the number that goes into the report
    whole = flat(guides[language])
    assert whole.count(flat(canvas_sentence)) == 3
    # the report says it counts the same: one number per partner, the one with the most dots
    assert MOST_DOTS[language] in load_wording(language).report["votes_intro"]
    assert MOST_DOTS[language] in load_wording(language).template["votes"]
    # one number 1..5 per lesson and partner: five circles per partner cell on the canvas
    assert SCALE_POINTS == VOTE_MAX == 5
    assert "1 =" in canvas_sentence and f"{VOTE_MAX} =" in canvas_sentence


def test_the_report_shows_one_number_per_partner_and_says_which(report):
    text = spaced(report)
    assert MOST_DOTS["nl"] in text
    loaded = load_results(RESULTS)
    for lesson in loaded.results.lessons:
        assert all(v is None or 1 <= v <= VOTE_MAX for v in lesson.votes.values())


# ---------------------------------------------------------------- the report's numbers

def test_the_report_explains_the_numbers_in_brackets(report):
    text = spaced(report)
    words = load_wording("nl").report
    assert words["number_note"] in text
    loaded = load_results(RESULTS)
    numbers = {lesson.id: i + 1 for i, lesson in enumerate(loaded.deck.deck.lessons)}
    for lesson_id, point in [(lesson.id, p) for lesson in loaded.results.lessons for p in lesson.higher]:
        shown = f"{point.point} ({numbers[lesson_id]})"
        assert flat(shown) in flat(text), shown
    # the note comes before the first such point
    first = next(p for lesson in loaded.results.lessons for p in lesson.higher)
    assert text.index(words["number_note"]) < text.index(first.point)
