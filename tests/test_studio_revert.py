"""A value edited in the studio and set back to what it was leaves the deck file byte for byte as
it was: for every field the editor shows (the deck's title, subtitle and region, the opening
card's fields, and the fields of a lesson of the parent that the deck overrides, of one it does
not override, and of one of its own), whatever was typed in between. The edits go through the
editor's own forms, as a browser posts them."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from studio_support import signed_in

pytestmark = pytest.mark.filterwarnings("ignore:.*httpx.*")

HAND_WRITTEN = """\
# Regio Oost: written by hand, in every style YAML allows.
extends: standaard
id: regio-oost
title: "Samen wonen in Oost"   # double quotes
subtitle: 'Gesprekskaarten voor de wijk'
region: Regio Oost
opening:
  statement: >-
    Samen een buurt maken
    waar iedereen thuis is, ook in Oost
select: [actieve-bewoners, 6, 9, eigen-buurtkamer]
override:
  actieve-bewoners:
    # our own words
    statement: Actieve buren vind je niet vanzelf in Oost
    explanation: |-
      Zoek bewoners met zorg.
      Steun ze daarna actief.
lessons:
  - id: eigen-buurtkamer
    theme: beide
    pillar: mensen
    statement: "Een buurtkamer opent deuren: iedereen welkom"
    explanation: >
      Waar buren elkaar zien, ontstaat vertrouwen. Begin klein, met koffie en een
      vaste dag in de week; de rest volgt als mensen elkaar kennen.
    actions:
      self: 'Open de buurtkamer op een vaste dag.'
    questions:
      - text: Waar zien wij elkaar nu?
        audience: bewoners
      - text: "Wie heeft de sleutel?"
      - text: Wat is de eerste stap die wij morgen al kunnen zetten, zonder dat het veel geld kost of veel tijd vraagt van iedereen?
    tips:
      - Begin met koffie.   # the first tip
    sources:
      - title: Gemengd wonen, lessen uit de praktijk
        url: "https://www.hu.nl/onderzoek/projecten/gemengd-wonen-lessen-uit-de-praktijk"
"""
DECK = "oost/deck.yaml"
LESSON_FIELDS = ["statement", "explanation", "actions.self", "actions.higher", "questions.1.text",
                 "questions.2.text", "questions.3.text", "questions.1.audience", "tips.1", "sources.1.title",
                 "sources.1.url"]
FIELDS = ([("deck", None, name) for name in ("title", "subtitle", "region")]
          + [("opening", None, name) for name in ("title", "statement", "text", "questions.1", "questions.2",
                                                   "source.title", "source.url")]
          + [("lesson", key, name) for key in ("p:actieve-bewoners", "p:ontmoetingsplek-bij-start", "o:0")
             for name in LESSON_FIELDS])
ACTIONS = {"deck": "/action/deck", "opening": "/action/opening", "lesson": "/action/lesson"}

printable = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\u2028\u2029\ufeff")
typed = st.one_of(st.sampled_from(["", "yes", "null", "a: b", "#hash", "'quoted'", '"dubbel"', "- lijst",
                                   "regel een\nregel twee", " ".join(["Buren"] * 30), "ĳsvogel en één café"]),
                  st.text(printable, max_size=120),
                  st.lists(st.text(printable, min_size=1, max_size=40), min_size=2, max_size=3).map("\n".join))


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    folder = tmp_path_factory.mktemp("revert") / "werkmap"
    (folder / "oost").mkdir(parents=True)
    (folder / DECK).write_text(HAND_WRITTEN, encoding="utf-8")
    return signed_in(folder)


def model_of(studio):
    from dialoogkit.studio.deckfile import read_deck_file
    from dialoogkit.studio.editmodel import build_model
    from dialoogkit.studio.workspace import Workspace

    workspace = Workspace.open(studio.folder)
    return build_model(read_deck_file(workspace.resolve(DECK)), workspace)


def form_of(studio, view: str, key: str | None) -> dict[str, str]:
    """The form of a view with the values the editor shows, as the browser posts it."""
    model = model_of(studio)
    if view == "deck":
        return {"title": model.text("title"), "subtitle": model.text("subtitle"), "region": model.text("region"),
                "language": model.language}
    if view == "opening":
        opening = model.opening
        form = {"title": opening["title"], "statement": opening["statement"], "text": opening["text"],
                "questions.present": "1", "source.title": opening["source"]["title"],
                "source.url": opening["source"]["url"]}
        form.update({f"questions.{n}": q for n, q in enumerate(opening["questions"], 1)})
        return form
    data = model.find(key).data
    form = {"lesson": key, "theme": data["theme"], "pillar": data["pillar"], "statement": data["statement"],
            "explanation": data["explanation"], "actions.self": data["actions"]["self"] or "",
            "actions.higher": data["actions"]["higher"] or "", "questions.present": "1", "tips.present": "1",
            "sources.present": "1"}
    for n, q in enumerate(data["questions"], 1):
        form[f"questions.{n}.text"], form[f"questions.{n}.audience"] = q["text"], q["audience"] or ""
    form.update({f"tips.{n}": tip for n, tip in enumerate(data["tips"], 1)})
    for n, s in enumerate(data["sources"], 1):
        form[f"sources.{n}.title"], form[f"sources.{n}.url"] = s["title"], s["url"]
    return form


def post(studio, view: str, form: dict[str, str]):
    response = studio.post(ACTIONS[view], {**form, "view": view}, deck=DECK)
    assert response.status_code == 200, response.text[:500]
    return response


def cleaned(text: str, one_line: bool) -> str:
    from dialoogkit.studio.forms import clean

    return clean(text, one_line)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS), text=typed)
def test_an_edit_set_back_gives_the_file_back_byte_for_byte(studio, field, text):
    view, key, name = field
    path = studio.folder / DECK
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    original = path.read_bytes()
    form = form_of(studio, view, key)
    one_line = name in ("title", "subtitle", "region", "source.title", "source.url") or name.startswith("sources.") \
        or name.endswith(".audience")
    assume(cleaned(text, one_line) != cleaned(form[name], one_line))
    post(studio, view, {**form, name: text})
    assert path.read_bytes() != original, "the edit was not saved"
    post(studio, view, form)
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN
    assert path.read_bytes() == original


@pytest.mark.parametrize("view, key, name", [("deck", None, "subtitle"), ("opening", None, "statement"),
                                             ("lesson", "o:0", "explanation"), ("lesson", "o:0", "actions.self"),
                                             ("lesson", "p:actieve-bewoners", "explanation")])
def test_a_field_emptied_and_typed_again_gives_the_file_back(studio, view, key, name):
    path = studio.folder / DECK
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    form = form_of(studio, view, key)
    post(studio, view, {**form, name: ""})
    post(studio, view, form)
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN


def test_a_null_written_as_a_word_stays_a_word(tmp_path):
    folder = tmp_path / "werkmap"
    (folder / "oost").mkdir(parents=True)
    text = HAND_WRITTEN.replace("opening:\n  statement: >-\n    Samen een buurt maken\n"
                                "    waar iedereen thuis is, ook in Oost\n", "opening: null   # no opening card\n")
    text = text.replace("region: Regio Oost\n", "region: ~\nlogo:\n")
    (folder / DECK).write_text(text, encoding="utf-8")
    studio = signed_in(folder)
    form = form_of(studio, "deck", None)
    post(studio, "deck", {**form, "title": "Samen wonen in Oost en West"})
    assert "opening: null   # no opening card\nselect" in studio.text(DECK)
    post(studio, "deck", form)
    assert studio.text(DECK) == text


def test_a_left_out_opening_card_is_written_as_null(studio):
    path = studio.folder / DECK
    path.write_text(HAND_WRITTEN.replace("Oost", "Zuid"), encoding="utf-8")
    post(studio, "opening", {"op": "leave-out"})
    assert "\nopening: null\nselect:" in path.read_text(encoding="utf-8")
