"""Bilingual cards: a deck names a ``companion:`` deck in a second language, and each card carries
the main language large and the companion's statement and questions smaller, in its own direction;
fitting treats both as one, errors name both decks' fields, canvases show both statements."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from dialoogkit.cards.paths import Gate
from dialoogkit.cards.loader import load_deck
from dialoogkit.cards.labels import labels_for
from dialoogkit.cards.models import deck_json_schema
from dialoogkit.errors import ContentError, FitError
from dialoogkit.generator.back import compose_back
from dialoogkit.generator.colours import BODY, MUTED
from dialoogkit.generator.content import gather_card
from dialoogkit.generator.display import Text
from dialoogkit.generator.front import compose_front
from dialoogkit.generator.plan import plan_deck
from dialoogkit.generator.posters.plan import plan_canvases
from dialoogkit.layouts.card import card_geometry
from dialoogkit.layouts.formats import parse_card_format
from dialoogkit.layouts.profiles import parse_profile, type_scale
from dialoogkit.output.build import BuildOptions, build_kit

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "companion"
IDS = ("financiering-naar-schaal", "actieve-bewoners", "botsende-belangen")


def squash(text: str) -> str:
    """Text without white space and hyphens (lines are wrapped, words hyphenated)."""
    return re.sub(r"[\s\-\u00ad]", "", text)


def block_text(text: Text) -> str:
    return " ".join(word for line in text.block.lines for _, word, _ in line.pieces)


def named(face, name: str) -> Text:
    (text,) = [t for t in face.texts() if t.name == name]
    return text


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the fixtures to change."""
    target = tmp_path / "decks"
    shutil.copytree(FIXTURES, target)
    return target


def edit(path: Path, change) -> Path:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    """The first line that starts with ``text`` (after its indentation)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [n for n, line in enumerate(lines, 1) if line.strip().startswith(text)][0]


def problems_of(path: Path) -> list:
    with pytest.raises(ContentError) as caught:
        load_deck(path)
    return caught.value.problems


def geometry(name: str):
    card_format = parse_card_format(name)
    return card_format, card_geometry(card_format, type_scale(card_format, parse_profile("standard")))


# ---------------------------------------------------------------- loading and matching

def test_the_companion_is_matched_by_lesson_id_with_its_questions_in_order():
    loaded = load_deck(FIXTURES / "main.yaml")
    companion = loaded.deck.companion_texts
    english = yaml.safe_load((FIXTURES / "english.yaml").read_text(encoding="utf-8"))["override"]
    assert companion is not None and companion.language == "en"
    assert [lesson.id for lesson in loaded.deck.lessons] == list(IDS)
    for lesson_id, texts in zip(IDS, companion.lessons):
        assert texts.statement == english[lesson_id]["statement"]
        assert texts.questions == tuple(q["text"] for q in english[lesson_id]["questions"])
    english_file = FIXTURES / "english.yaml"
    line = line_of(english_file, "statement: Active residents")
    assert loaded.where("lessons", 1, "companion", "statement") == (str(english_file), line)


def test_a_companion_may_extend_the_main_deck_itself(folder):
    edit(folder / "english.yaml", lambda data: data.update(extends="main.yaml"))
    loaded = load_deck(folder / "main.yaml")
    assert loaded.deck.companion_texts.lessons[2].statement.startswith("Partners in housing")


def test_a_deck_that_extends_a_bilingual_deck_inherits_its_companion_or_drops_it(folder):
    (folder / "sub").mkdir()
    child = folder / "sub" / "child.yaml"
    child.write_text("extends: ../main.yaml\nid: kind\ntitle: Kind\n", encoding="utf-8")
    loaded = load_deck(child, Gate(allow_parent=True))
    assert loaded.deck.companion_texts.language == "en"  # found beside main.yaml, the file that names it
    assert loaded.where("lessons", 0, "companion", "statement")[0] == str(folder / "sub" / ".." / "english.yaml")
    child.write_text("extends: ../main.yaml\nid: kind\ntitle: Kind\ncompanion: null\n", encoding="utf-8")
    assert load_deck(child, Gate(allow_parent=True)).deck.companion_texts is None


def test_a_deck_without_companion_has_none():
    assert load_deck("standaard").deck.companion_texts is None


def test_the_schema_describes_the_companion_field():
    field = deck_json_schema()["properties"]["companion"]
    assert "second language" in field["description"] and "matched by id" in field["description"]


# ---------------------------------------------------------------- errors

def test_a_missing_companion_is_named_at_its_line(folder):
    main = edit(folder / "main.yaml", lambda data: data.update(companion="engels.yaml"))
    (problem,) = problems_of(main)
    assert (problem.file, problem.line, problem.field) == (str(main), line_of(main, "companion: "), "companion")
    assert "'engels.yaml' does not exist" in problem.message


@pytest.mark.parametrize("written, words", [
    ("../english.yaml", "leads outside the folder of"), ("/etc/passwd.yaml", "absolute"),
    ("english.txt", "ending in .yaml"), ("main.yaml", "this deck itself"),
])
def test_a_companion_path_outside_the_folder_or_not_a_deck_file_is_refused(folder, written, words):
    main = edit(folder / "main.yaml", lambda data: data.update(companion=written))
    (problem,) = problems_of(main)
    assert problem.field == "companion" and problem.file == str(main)
    assert words in problem.message or words in problem.hint, problem.format()


def test_a_symbolic_link_out_of_the_folder_is_refused(folder, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    shutil.copy(folder / "english.yaml", outside)
    (folder / "link.yaml").symlink_to(outside)
    main = edit(folder / "main.yaml", lambda data: data.update(companion="link.yaml"))
    (problem,) = problems_of(main)
    assert problem.field == "companion" and "link" in problem.message


def test_a_companion_that_is_not_a_deck_is_reported_with_its_own_problems(folder):
    (folder / "english.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    main = folder / "main.yaml"
    lead, *rest = problems_of(main)
    assert (lead.file, lead.line, lead.field) == (str(main), line_of(main, "companion: "), "companion")
    assert "the companion deck 'english.yaml' has 1 problem" in lead.message
    assert rest and rest[0].file == str(folder / "english.yaml") and "expected a deck" in rest[0].message


def test_a_companion_in_the_same_language_is_refused(folder):
    edit(folder / "english.yaml", lambda data: data.update(language="nl"))
    (problem,) = problems_of(folder / "main.yaml")
    assert problem.field == "companion" and "same language" in problem.message and "'nl'" in problem.message


def test_main_lessons_the_companion_lacks_are_all_listed_with_file_and_line(folder):
    english = edit(folder / "english.yaml", lambda data: data.update(select=["actieve-bewoners"]))
    main = folder / "main.yaml"
    (problem,) = problems_of(main)
    assert problem.file == str(english) and problem.field == "lessons"
    assert "lacks 2 lesson(s)" in problem.message
    selected = line_of(main, "select:")  # lessons taken from the bundled deck: where main.yaml selects them
    assert f"'financiering-naar-schaal' (card 1, main.yaml:{selected})" in problem.message
    assert f"'botsende-belangen' (card 3, main.yaml:{selected})" in problem.message
    assert "'actieve-bewoners'" not in problem.message


def test_a_companion_lesson_with_another_number_of_questions_is_named(folder):
    def add(data):
        data["override"]["botsende-belangen"]["questions"].append({"text": "Who else should be at the table?"})
    english = edit(folder / "english.yaml", add)
    (problem,) = problems_of(folder / "main.yaml")
    assert (problem.file, problem.lesson, problem.field) == (str(english), "'botsende-belangen'", "questions")
    assert problem.line == line_of(english, "statement: Partners in housing") + 1
    assert "4 question(s) here but 3 in the main deck" in problem.message
    assert "matched in order" in problem.hint


def test_an_untranslated_statement_is_named(folder):
    def forget(data):
        del data["override"]["actieve-bewoners"]["statement"]
        data["override"]["actieve-bewoners"]["questions"][1]["text"] = "Wat heb jij nodig om mee te doen?"
    edit(folder / "english.yaml", forget)
    (problem,) = problems_of(folder / "main.yaml")
    assert problem.lesson == "'actieve-bewoners'" and problem.field == "statement"
    assert "statement, questions[2].text of this lesson is the same as in the main deck" in problem.message


# ---------------------------------------------------------------- cards

@pytest.mark.parametrize("size", ["a6", "a7"])
def test_each_front_carries_both_statements_the_companion_smaller_and_below(size):
    loaded = load_deck(FIXTURES / "main.yaml")
    card_format, geo = geometry(size)
    plan = plan_deck(loaded, card_format, parse_profile("standard"))
    for lesson, translation, (front, _) in zip(loaded.deck.lessons, loaded.deck.companion_texts.lessons, plan.faces):
        statement, companion = named(front, "statement"), named(front, "companion-statement")
        explanation = named(front, "explanation")
        assert squash(block_text(statement)) == squash(lesson.statement)
        assert squash(block_text(companion)) == squash(translation.statement)
        assert statement.top - statement.block.height > companion.top  # below the statement
        assert companion.top - companion.block.height > explanation.top  # above the explanation
        assert geo.scale.body_min_pt <= companion.block.size < statement.block.size
        assert companion.block.size >= explanation.block.size * 0.99
        assert companion.colour == BODY and companion.align == "left"
        assert geo.body.x - 0.01 <= companion.box.x and companion.box.right <= geo.body.right + 0.01


@pytest.mark.parametrize("size", ["a6", "a7"])
def test_each_question_is_followed_by_its_translation_smaller_and_muted(size):
    loaded = load_deck(FIXTURES / "main.yaml")
    card_format, geo = geometry(size)
    plan = plan_deck(loaded, card_format, parse_profile("standard"))
    for lesson, translation, (_, back) in zip(loaded.deck.lessons, loaded.deck.companion_texts.lessons, plan.faces):
        names = [t.name for t in back.texts() if "question" in t.name]
        assert names == [name for n in range(1, 4) for name in (f"question-{n}", f"companion-question-{n}")]
        for n, (question, text) in enumerate(zip(lesson.questions, translation.questions), 1):
            main, companion = named(back, f"question-{n}"), named(back, f"companion-question-{n}")
            assert squash(block_text(main)).endswith(squash(question.text))
            assert squash(block_text(companion)) == squash(text)
            assert main.top - main.block.height > companion.top
            assert geo.scale.body_min_pt <= companion.block.size < main.block.size
            assert companion.colour == MUTED
            c, m, y, k = companion.colour.text_cmyk(companion.block.size)
            assert (c, m, y) == (0, 0, 0) and 0.5 < k < 1.0  # grey on the black plate only
        tops = [t.top for t in back.texts() if "question" in t.name]
        assert tops == sorted(tops, reverse=True)


def test_the_built_cards_show_both_languages_in_the_pdf(tmp_path):
    build_kit(FIXTURES / "main.yaml", BuildOptions(output=tmp_path, parts=("cards",)))
    pages = [squash(page.extract_text()) for page in PdfReader(tmp_path / "tweetalig" / "cards-printshop.pdf").pages]
    loaded = load_deck(FIXTURES / "main.yaml")
    for lesson, translation in zip(loaded.deck.lessons, loaded.deck.companion_texts.lessons):
        (front,) = [page for page in pages if squash(lesson.statement) in page]
        assert squash(translation.statement) in front
        (back,) = [page for page in pages if squash(lesson.questions[0].text) in page]
        for question, text in zip(lesson.questions, translation.questions):
            assert back.index(squash(question.text)) < back.index(squash(text))


def test_a_companion_statement_too_long_for_a7_names_both_fields(folder):
    long = "This translation goes on and on about funding and residents and partners " * 20
    english = edit(folder / "english.yaml",
                   lambda data: data["override"]["actieve-bewoners"].update(statement=long.strip()))
    loaded = load_deck(folder / "main.yaml")
    card_format, _ = geometry("a7")
    with pytest.raises(FitError) as caught:
        plan_deck(loaded, card_format, parse_profile("standard"))
    problems = caught.value.problems
    fields = {(p.file, p.field) for p in problems}
    assert (str(english), "companion.statement") in fields
    assert (loaded.where("lessons", 1, "explanation")[0], "explanation") in fields  # where the main text was written
    ours = [p for p in problems if p.field == "explanation"][0]
    theirs = [p for p in problems if p.field == "companion.statement"][0]
    assert ours.lesson == theirs.lesson == "'actieve-bewoners' (card 2)"
    assert "a7 card" in ours.message and "a7 card" in theirs.message
    assert "shorten its translation 'This translation goes on" in ours.hint
    assert theirs.line == line_of(english, "statement: This translation goes on")
    assert "shorten the text it translates" in theirs.hint
    assert "lessons+" not in ours.hint + theirs.hint


def test_companion_questions_too_long_for_a7_name_both_decks(folder):
    long = "How do we find the residents who want to join in, and keep them, year after year " * 12
    english = edit(folder / "english.yaml",
                   lambda data: data["override"]["actieve-bewoners"]["questions"][0].update(text=long.strip()))
    loaded = load_deck(folder / "main.yaml")
    with pytest.raises(FitError) as caught:
        plan_deck(loaded, geometry("a7")[0], parse_profile("standard"))
    fields = {(p.file, p.field) for p in caught.value.problems}
    assert (str(english), "companion.questions[1].text") in fields
    assert any(file == str(folder / "main.yaml") and field.startswith("questions[") for file, field in fields)


# ---------------------------------------------------------------- canvases

def test_canvases_show_the_statement_in_both_languages(tmp_path):
    loaded = load_deck(FIXTURES / "main.yaml")
    plan = plan_canvases(loaded)
    faces = dict(plan.faces)
    for index, (lesson, translation) in enumerate(zip(loaded.deck.lessons, loaded.deck.companion_texts.lessons)):
        face = faces[f"lesson-{index + 1:02d}"]
        statement, companion = named(face, "statement"), named(face, "companion-statement")
        assert squash(block_text(companion)) == squash(translation.statement)
        assert companion.top < statement.top - statement.block.height
        assert 12.0 <= companion.block.size < statement.block.size
        assert named(face, "explanation").top < companion.top - companion.block.height
    build_kit(FIXTURES / "main.yaml", BuildOptions(output=tmp_path, parts=("canvases",)))
    pages = [squash(page.extract_text()) for page in PdfReader(tmp_path / "tweetalig" / "canvases.pdf").pages]
    for index, (lesson, translation) in enumerate(zip(loaded.deck.lessons, loaded.deck.companion_texts.lessons)):
        assert squash(lesson.statement) in pages[index] and squash(translation.statement) in pages[index]


# ---------------------------------------------------------------- Arabic

def test_an_arabic_companion_loads_with_its_labels_and_reads_from_the_right():
    loaded = load_deck(FIXTURES / "main-ar.yaml")
    companion = loaded.deck.companion_texts
    assert companion.language == "ar"
    assert companion.lessons[0].statement == "التمويل لسنوات ليس ضروريا دائما"
    assert labels_for(loaded.deck)["questions"] == "Gespreksvragen"  # the main deck's labels are printed
    card_format, geo = geometry("a6")
    card = gather_card(loaded.deck, 0, labels_for(loaded.deck))
    assert card.companion_language == "ar"
    front, _ = compose_front(card, geo)
    back, _ = compose_back(card, geo)
    companion_statement = named(front, "companion-statement")
    assert companion_statement.align == "right" and companion_statement.x == pytest.approx(geo.body.right)
    assert named(front, "statement").align == "left"
    translation = named(back, "companion-question-1")
    assert translation.align == "right" and translation.x == pytest.approx(geo.body.right)
    assert squash(block_text(translation)) == squash(companion.lessons[0].questions[0])


def test_a_dutch_deck_with_an_arabic_companion_prints_both_statements_on_each_front(tmp_path):
    """Built and read back: every front holds the Dutch statement and the Arabic one, extracted
    in logical order (whitespace aside), in embedded fonts."""
    loaded = load_deck(FIXTURES / "main-ar.yaml")
    build_kit(FIXTURES / "main-ar.yaml", BuildOptions(output=tmp_path, parts=("cards",)))
    reader = PdfReader(tmp_path / loaded.deck.id / "cards-printshop.pdf")
    pages = ["".join(page.extract_text().split()) for page in reader.pages]
    for lesson, translation in zip(loaded.deck.lessons, loaded.deck.companion_texts.lessons):
        fronts = [page for page in pages if "".join(lesson.statement.split()) in page]
        assert len(fronts) == 1, lesson.id
        assert "".join(translation.statement.split()) in fronts[0], lesson.id
    fonts = {str(font["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("NotoSansArabic" in name for name in fonts), fonts
