"""The words of the bundled decks (issue 21, item 6): plain B1 Dutch and natural British English.

The sentences that were hard to read are gone and their rewrites are there ("zorgvuldig", not
"met zorg", which reads as "residents who receive care"; "prestatieafspraken" explained once);
every question asks one thing (one question mark); the municipality's questions speak in one
voice; the English deck has no Dutch idioms left; and the opening card says what mixed housing
means here: people who need extra support living among other tenants.
"""

from __future__ import annotations

import re

import pytest

from dialoogkit.cards.loader import load_deck
from dialoogkit.cards.texts import printed_texts
from dialoogkit.generator.plan import plan_deck
from dialoogkit.layouts.formats import parse_card_format
from dialoogkit.layouts.profiles import parse_profile

GONE = {
    "standaard": (
        "sleutelrol", "Hoe begeleiden we nieuwe ervaringsdeskundigen in het begin?",
        "Zoek ook samen in de regio of gemeente bewust naar mensen",
        "Bestuurders maken samen prestatieafspraken.", "Prestatieafspraken kunnen helpen.",
        "horen in de prestatieafspraken?", "doorgeefluik",
        "Corporaties, zorg- en welzijnspartijen hebben een gedeelde aanpak nodig.",
        "De Tussenvoorziening en corporaties zoals Portaal laten zien", "juridisch kloppen", "de AVG naleeft",
        "Hoe groot een project is, bepaalt mee of er vast geld voor lange tijd nodig is.",
        "Daar zijn voorbeelden van.", "met zorg", "mag dat eigenlijk?", "Wat weten wij eigenlijk",
        "Wat mis je?", "Waar komt de ontmoetingsruimte in ons volgende bouw- of renovatieproject?",
    ),
    "standard-en": (
        "key role", "Follow local training", "short line", "on purpose", "handy", "new building",
        "residents with care", "go-between", "performance agreement", "Directors", "There are examples of this",
        "is that actually allowed", "What do we actually know", "What do you miss?", "think along",
        "back yard", "differs per neighbourhood", "at the moment the homes", "ordinary day",
        "also after the start", "Guide them", "guide new", "Do you want", "make working agreements",
        "keep to the GDPR", "is it okay for you",
    ),
}
THERE = {
    "standaard": ("zorgvuldig", "Die heten prestatieafspraken.", "maken meedoen makkelijker",
                  "niet om berichten tussen organisaties door te geven"),
    "standard-en": ("Attend local training together", "direct contact", "deliberately", "useful",
                    "new builds and renovations", "carefully", "joint housing agreements (prestatieafspraken)",
                    "make taking part easier", "do not carry messages between organisations"),
}
# Dutch written as a question and an answer ("Is X? Then Y."), natural in Dutch, not in English
DUTCH_CONDITIONAL = re.compile(r"^(Is|Are|Do|Does|Did|Has|Have) [^?]*\? (Then|Ask|Give)\b")
MUNICIPALITY = {"standaard": ("de gemeente", r"\b(we|wij|ons|onze)\b"),
                "standard-en": ("the municipality", r"\b(we|us|our)\b")}
OPENING = {"standaard": ("extra steun", "tussen andere huurders", "geen eigen huis", "gevlucht"),
           "standard-en": ("extra support", "among other tenants", "no home of their own", "fled")}


def squash(text: str) -> str:
    return " ".join(text.split())


def all_texts(deck: str) -> list[tuple[str, str]]:
    """Every printed text of a bundled deck (statements, explanations, actions, questions, tips,
    the opening card), whitespace squashed, with where it is."""
    return [(".".join(map(str, loc)), squash(text)) for loc, text in printed_texts(load_deck(deck).deck)]


@pytest.mark.parametrize("deck", sorted(GONE))
def test_the_hard_sentences_are_gone_and_their_rewrites_are_there(deck):
    texts = all_texts(deck)
    joined = "\n".join(text for _, text in texts)
    for phrase in GONE[deck]:
        found = [where for where, text in texts if phrase.lower() in text.lower()]
        assert not found, f"{deck}: '{phrase}' is still in {found}"
    for phrase in THERE[deck]:
        assert phrase in joined, f"{deck}: '{phrase}' is missing"


def test_residents_are_chosen_carefully_in_both_places():
    lesson = load_deck("standaard").deck.lessons[1]
    assert "zorgvuldig" in lesson.explanation and "zorgvuldig" in lesson.actions.own
    english = load_deck("standard-en").deck.lessons[1]
    assert "carefully" in english.explanation and "carefully" in english.actions.own


def test_prestatieafspraken_is_explained_once_and_not_used_elsewhere():
    deck = load_deck("standaard").deck
    uses = [where for where, text in all_texts("standaard") if "prestatieafspraken" in text.lower()]
    assert uses == ["lessons.2.explanation"], uses
    sentences = re.split(r"(?<=[.?!])\s+", squash(deck.lessons[2].explanation))
    explained = next(i for i, s in enumerate(sentences) if "prestatieafspraken" in s)
    assert "gemeente, corporatie en huurders" in sentences[explained - 1]  # who makes them, right before


@pytest.mark.parametrize("deck", sorted(GONE))
def test_every_question_asks_one_thing(deck):
    loaded = load_deck(deck).deck
    questions = [q.text for lesson in loaded.lessons for q in lesson.questions] + list(loaded.opening.questions)
    assert len(questions) == 4 * len(loaded.lessons) + 2
    for question in questions:
        assert question.count("?") == 1 and question.endswith("?"), question
    words = {"standaard": r"\beigenlijk\b", "standard-en": r"\bactually\b"}[deck]
    assert not [q for q in questions if re.search(words, q, re.IGNORECASE)]  # it presumes the answer


@pytest.mark.parametrize("deck", sorted(GONE))
def test_the_municipality_asks_in_one_voice(deck):
    name, first_person = MUNICIPALITY[deck]
    for number, lesson in enumerate(load_deck(deck).deck.lessons, 1):
        question = next(q.text for q in lesson.questions if q.audience == "gemeente")
        assert name in question and not re.search(first_person, question, re.IGNORECASE), f"lesson {number}: {question}"


def test_the_english_deck_asks_no_dutch_style_conditionals():
    for where, text in all_texts("standard-en"):
        for sentence in re.split(r"(?<=[.!])\s+", text):
            assert not DUTCH_CONDITIONAL.search(sentence), f"{where}: {sentence}"


@pytest.mark.parametrize("deck", sorted(OPENING))
def test_the_opening_card_says_what_mixed_housing_means_here(deck):
    opening = load_deck(deck).deck.opening
    first = re.split(r"(?<=[.?!])\s+", squash(opening.text))[0]
    assert {"standaard": "gemengd wonen", "standard-en": "mixed housing"}[deck] in first.lower()
    for words in OPENING[deck]:
        assert words in squash(opening.text), words
    plan = plan_deck(load_deck(deck), parse_card_format("a6"), parse_profile("standard"))
    front = plan.opening[0]
    printed = " ".join(word for text in front.texts() if text.name == "explanation"
                       for line in text.block.lines for _, word, _ in line.pieces)
    assert OPENING[deck][0] in printed  # on the card, not only in the file
