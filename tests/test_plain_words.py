"""Plain words and a guide that includes everyone (issue 14, items 5 and 6): the glossary and the
inclusion chapters are in the guide of both bundled decks (listed in its contents at the right
page), every bundled lesson asks each of the four partners a question, the reworked questions are
open, the English texts say "housing association", the dot-voting instruction is the same on the
overview canvas and in the guide, texts are gender-neutral, and the opening card's text is ready."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from dialoogkit.cards.bundled import list_bundled
from dialoogkit.cards.guide_texts import guide_file, load_guide_texts
from dialoogkit.cards.labels import load_labels
from dialoogkit.cards.loader import load_deck
from dialoogkit.cards.texts import printed_texts
from dialoogkit.output.build import BuildOptions, build_kit

DECKS = ("standaard", "standard-en")
GLOSSARY_TERMS = ("AVG", "NIMBY", "zorgmijding", "prestatieafspraken", "buurtteam", "ervaringsdeskundige",
                  "community builder", "gemengd wonen", "Aedes", "VNG", "Valente")
CLOSED_STARTS = {
    "nl": ("is", "zijn", "heeft", "hebben", "kan", "kunnen", "moet", "moeten", "wil", "willen", "weet", "weten",
           "doe", "doen", "zou", "zouden", "merk", "merken", "vragen", "vraag", "mag", "mogen", "ben", "bent"),
    "en": ("is", "are", "do", "does", "can", "should", "will", "have", "has", "would", "could", "did", "may"),
}
REWORKED = {  # lesson number: the partner whose closed question was made open
    3: "bewoners", 5: "corporatie", 9: "bewoners", 10: "corporatie"}
SIMPLER = ((3, "actions", "higher"), (2, "explanation"), (7, "explanation"), (4, "actions", "higher"),
           (8, "explanation"))
TOPICS = {  # words each inclusion topic must use, per language
    "nl": ("eigen begeleider", "verhuurder", "tolk", "hardop voor", "tekenen", "drempels", "ringleiding",
           "in de buurt", "kinderopvang", "vergoeding", "nazorg", "geen namen", "toestemming", "neem niets op",
           "whiteboard", "verslag", "eenvoudige taal", "dialoogkit report", "Hoger niveau", "gemeente"),
    "en": ("own support worker", "landlord", "interpreter", "out loud", "drawn", "stairs", "hearing loop",
           "in the neighbourhood", "childcare", "pay", "aftercare", "names", "permission", "record nothing",
           "whiteboard", "report", "plain language", "dialoogkit report", "Higher level", "municipality"),
}


def flat(text: str) -> str:
    """Without whitespace, hyphens and soft hyphens, lower case (lines may break and hyphenate)."""
    return re.sub(r"[\s\-\u00ad]+", "", text).lower()


@pytest.fixture(scope="module")
def kits(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("plain")
    folders = {}
    for deck in DECKS:
        build_kit(deck, BuildOptions(output=out, parts=("guide", "canvases")))
        folders[deck] = out / load_deck(deck).deck.id
    return folders


def pages_of(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def contents_of(guide: Path) -> dict[str, int]:
    """Contents entries of the guide: heading -> page number."""
    text = PdfReader(guide).pages[1].extract_text(extraction_mode="layout")
    return {m.group(1).strip(): int(m.group(2)) for m in re.finditer(r"^\s*(\S.*?)\s{2,}(\d+)\s*$", text, re.M)}


def chapter_text(guide: Path, title: str) -> str:
    """The text of the chapter ``title``: from its page up to the page before the next chapter."""
    contents = contents_of(guide)
    assert title in contents, (title, contents)
    start = contents[title]
    later = sorted(page for page in contents.values() if page > start)
    pages = pages_of(guide)
    end = later[0] - 1 if later else len(pages)
    return "\n".join(pages[start - 1:end])


# ---------------------------------------------------------------- guide: glossary and inclusion

@pytest.mark.parametrize("deck", DECKS)
def test_the_guide_has_a_glossary_page_with_every_term(kits, deck):
    guide = kits[deck] / "guide.pdf"
    texts = load_guide_texts(load_deck(deck)).texts
    glossary = chapter_text(guide, texts.glossary.title)
    assert texts.glossary.title in pages_of(guide)[contents_of(guide)[texts.glossary.title] - 1]
    for term in GLOSSARY_TERMS:
        assert flat(term) in flat(glossary), f"{deck}: glossary lacks {term}"
    for term in texts.glossary.terms:  # every written term and meaning is printed, none cut off
        assert flat(term.term) in flat(glossary) and flat(term.meaning) in flat(glossary), term.term


@pytest.mark.parametrize("deck", DECKS)
def test_the_inclusion_and_follow_up_chapters_have_a_heading_per_section(kits, deck):
    guide = kits[deck] / "guide.pdf"
    texts = load_guide_texts(load_deck(deck)).texts
    language = load_deck(deck).deck.language
    chapters = ""
    for chapter in (texts.include, texts.follow_up):
        text = chapter_text(guide, chapter.title)
        lines = {line.strip() for line in text.splitlines()}
        assert len(chapter.sections) >= (7 if chapter is texts.include else 2)
        for section in chapter.sections:
            assert section.title in lines, f"{deck}: no heading '{section.title}'"
            for paragraph in section.text:
                assert flat(paragraph) in flat(text), paragraph
        chapters += text
    for word in TOPICS[language]:
        assert flat(word) in flat(chapters), f"{deck}: the inclusion chapters do not mention '{word}'"


@pytest.mark.parametrize("deck", DECKS)
def test_every_session_pays_residents_and_avoids_dependent_seating(deck):
    sessions = load_guide_texts(load_deck(deck)).sessions
    pay, seat = {"standaard": ("vergoeding", "eigen begeleider"),
                 "standard-en": ("pay residents", "own support worker")}[deck]
    assert len(sessions) == 3
    for session in sessions:
        assert pay in session.participation.lower(), session.id
        assert seat in session.groups.lower(), session.id


@pytest.mark.parametrize("deck", DECKS)
def test_the_reporting_lesson_invites_tenants_police_and_neighbourhood_team(kits, deck):
    loaded = load_deck(deck)
    number = next(i for i, lesson in enumerate(loaded.deck.lessons, 1) if lesson.id == "meerdere-meldplekken")
    labels = load_labels(loaded.deck.language)
    pages = pages_of(kits[deck] / "guide.pdf")
    page = next(p for p in pages if f"{labels['lesson']} {number}:" in p and labels["tips_title"] in p)
    words = {"standaard": ("huurdersorganisatie", "wijkagent", "buurtteam"),
             "standard-en": ("tenants' organisation", "wijkagent", "neighbourhood team")}[deck]
    for word in words:
        assert flat(word) in flat(page), word
    invitees = flat(" ".join(who.who for who in load_guide_texts(loaded).texts.invite))
    assert flat(words[0]) in invitees


# ---------------------------------------------------------------- questions

@pytest.mark.parametrize("deck", list_bundled())
def test_every_bundled_lesson_asks_each_partner(deck):
    loaded = load_deck(deck).deck
    assert len(loaded.audiences) == 4
    for number, lesson in enumerate(loaded.lessons, 1):
        asked = {q.audience for q in lesson.questions if q.audience is not None}
        missing = set(loaded.audiences) - asked
        assert not missing, f"{deck} lesson {number} ({lesson.id}) asks nothing of {sorted(missing)}"


def first_word(text: str) -> str:
    return re.match(r"\W*(\w+)", text).group(1).lower()


@pytest.mark.parametrize("deck", list_bundled())
def test_the_reworked_questions_and_all_others_are_open(deck):
    loaded = load_deck(deck).deck
    closed = CLOSED_STARTS[loaded.language]
    for number, audience in REWORKED.items():
        questions = [q.text for q in loaded.lessons[number - 1].questions if q.audience == audience]
        assert questions, (number, audience)
        for text in questions:
            assert first_word(text) not in closed, f"lesson {number}: {text}"
    for number, lesson in enumerate(loaded.lessons, 1):
        for question in lesson.questions:
            for part in (p for p in question.text.split("?") if p.strip()):  # "Waar …? Wat mis je?"
                assert first_word(part) not in closed, f"lesson {number}: {question.text}"


@pytest.mark.parametrize("deck", list_bundled())
def test_the_hardest_texts_are_now_short_sentences(deck):
    loaded = load_deck(deck).deck
    for number, *field in SIMPLER:
        value = loaded.lessons[number - 1]
        for name in field:
            value = getattr(value, "own" if name == "self" else name)
        sentences = [s for s in re.split(r"(?<=[.?!])\s+", value) if s]
        assert len(sentences) >= 2, (number, field)
        for sentence in sentences:
            assert len(sentence.split()) <= 14, f"lesson {number} {'.'.join(field)}: {sentence}"


def test_a_question_for_everyone_is_still_labelled_everyone(tmp_path):
    deck = tmp_path / "iedereen.yaml"
    deck.write_text(yaml.safe_dump({"extends": "standaard", "id": "iedereen", "select": [5], "override": {
        "rol-community-builder": {"questions+": [{"text": "Wat nemen we mee naar huis?"}]}}},
        allow_unicode=True), encoding="utf-8")
    build_kit(str(deck), BuildOptions(output=tmp_path / "out", parts=("cards",)))
    back = PdfReader(tmp_path / "out" / "iedereen" / "cards-printshop.pdf").pages[3].extract_text()  # after the opening card
    assert flat("Iedereen: Wat nemen we mee naar huis?") in flat(back)
    assert flat("Gemeente: Wat verwacht de gemeente van een community builder?") in flat(back)


# ---------------------------------------------------------------- English words

def english_texts() -> list[tuple[str, str]]:
    loaded = load_deck("standard-en")
    texts = [(f"deck {'.'.join(map(str, loc))}", text) for loc, text in printed_texts(loaded.deck)]
    texts += [(f"guide {'.'.join(map(str, loc))}", text) for loc, text in printed_texts(load_guide_texts(loaded).texts)]
    texts += [(f"label {key}", load_labels("en")[key]) for key in yaml.safe_load(
        (Path(guide_file("en")).parent.parent / "labels" / "en.yaml").read_text(encoding="utf-8"))]
    return texts


def test_no_english_text_says_corporation(kits):
    for where, text in english_texts():
        assert "corporation" not in text.lower(), f"{where}: {text}"
    for name in ("guide.pdf", "canvases.pdf"):
        assert "corporation" not in " ".join(pages_of(kits["standard-en"] / name)).lower(), name
    deck = load_deck("standard-en").deck
    assert deck.audiences["corporatie"].label == "Housing association"
    assert load_labels("en")["self"] == "What we can do ourselves"


def test_the_english_guide_glosses_the_publishers_and_mixed_housing():
    purpose = " ".join(load_guide_texts(load_deck("standard-en")).texts.purpose)
    for name in ("Aedes (", "VNG (", "Valente ("):
        assert name in purpose
    terms = {t.term: t.meaning for t in load_guide_texts(load_deck("standard-en")).texts.glossary.terms}
    assert "Gemengd wonen (mixed housing)" in terms


# ---------------------------------------------------------------- dot voting

DOT_SENTENCE = {"standaard": r"Iedereen zet bij elk inzicht (\S+) stip\b[^.]*\.",
                "standard-en": r"Everyone places (\S+) dots? per insight[^.]*\."}


@pytest.mark.parametrize("deck", DECKS)
def test_dot_voting_is_the_same_on_the_overview_canvas_and_in_the_guide(kits, deck):
    loaded = load_deck(deck)
    labels = load_labels(loaded.deck.language)
    canvas = next(p for p in pages_of(kits[deck] / "canvases.pdf") if labels["overview_title"] in p)
    canvas_text = " ".join(canvas.split())
    on_canvas = re.search(DOT_SENTENCE[deck], canvas_text)
    assert on_canvas, canvas_text
    guide = " ".join(" ".join(pages_of(kits[deck] / "guide.pdf")).split())
    worksheet = {"standaard": "overzichtswerkblad", "standard-en": "overview worksheet"}[deck]
    sessions = [s for s in load_guide_texts(loaded).sessions
                if any(worksheet in block.instructions for block in s.blocks)]
    assert len(sessions) == 3
    in_guide = re.findall(DOT_SENTENCE[deck], re.sub(r"(\w)- (\w)", r"\1\2", guide))
    assert len(in_guide) == len(sessions), in_guide
    assert set(in_guide) == {on_canvas.group(1)}  # the same number of dots per person everywhere
    assert flat(on_canvas.group(0)) in flat(guide)
    for session in sessions:  # the written instruction of every session carries the same sentence
        blocks = " ".join(b.instructions for b in session.blocks)
        assert flat(on_canvas.group(0)) in flat(blocks), session.id


# ---------------------------------------------------------------- gender-neutral, opening text

GENDERED = {"nl": r"\b(hij|hem|zijn naam|zijn rol|zijn eigen|zijn punt|hij of zij|hij/zij)\b",
            "en": r"\b(he|she|him|his|hers|he or she|he/she)\b"}


@pytest.mark.parametrize("deck", DECKS)
def test_deck_and_guide_texts_are_gender_neutral(deck):
    loaded = load_deck(deck)
    pattern = re.compile(GENDERED[loaded.deck.language], re.I)
    texts = list(printed_texts(loaded.deck)) + list(printed_texts(load_guide_texts(loaded).texts))
    for loc, text in texts:
        assert not pattern.search(text), f"{deck} {loc}: {text}"


LABELS = r"dakloos|daklozen|psychisch|psychiatr|statushouder|vluchteling|verslaafd|homeless|refugee|status holder|addict"


@pytest.mark.parametrize("language", ("nl", "en"))
def test_the_opening_card_text_is_plain_and_labels_nobody(language):
    opening = load_deck({"nl": "standaard", "en": "standard-en"}[language]).deck.opening
    assert opening.title == {"nl": "Waar gaat dit over?", "en": "What is this about?"}[language]
    assert 60 <= len(opening.text.split()) <= 90
    for word in ({"nl": "gemengd wonen", "en": "mixed housing"}[language], "community building"):
        assert word in opening.text.lower()
    texts = [opening.statement, opening.text, *opening.questions]
    assert not any(re.search(LABELS, text, re.I) for text in texts)
    for question in opening.questions:
        assert question.endswith("?") and first_word(question) not in CLOSED_STARTS[language]
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", opening.text) if s]
    assert max(len(s.split()) for s in sentences) <= 20
