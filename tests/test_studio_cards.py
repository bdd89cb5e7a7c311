"""The studio's cards as a user counts and names them: the opening card shown and edited (only
what differs from the parent is written; ``opening: null`` leaves it out and can be undone), one
numbering everywhere ("k of N" counts lessons; the opening and contacts cards have no number),
an own lesson renamed (a slug no other lesson has; ``select`` and the results file follow), and
a problem flagged on the part of the file it is about (of two lessons with one id, the second)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import studio_support as support
from studio_support import HAND_WRITTEN, make_workspace, signed_in

from dialoogkit.cards.loader import load_deck

pytestmark = pytest.mark.filterwarnings("ignore:.*httpx.*")
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DECK = "noord/deck.yaml"


@pytest.fixture()
def studio(tmp_path):
    return signed_in(make_workspace(tmp_path))


def page(studio, **params) -> str:
    response = studio.client.get("/edit", params={"deck": DECK, **params})
    assert response.status_code == 200
    return response.text


def opening_form(studio, **changes) -> dict[str, str]:
    text = page(studio, view="opening")
    fields = {name: re.search(rf'<(?:input|textarea)[^>]* name="{re.escape(name)}"[^>]*?(?:value="([^"]*)"[^>]*>|>([^<]*)</textarea>)',
                              text, re.DOTALL) for name in ("title", "statement", "text", "source.title", "source.url")}
    form = {name: _unescape(match.group(1) if match.group(1) is not None else match.group(2))
            for name, match in fields.items()}
    for n, value in enumerate(re.findall(r'name="questions\.\d+"[^>]*>([^<]*)</textarea>', text), 1):
        form[f"questions.{n}"] = _unescape(value)
    form["questions.present"] = "1"
    return {**form, **changes}


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def errors_at(text: str, field: str) -> list[str]:
    box = re.search(rf'<div id="err-{field}" class="field-error"[^>]*>(.*?)</div>', text, re.DOTALL)
    return re.findall(r'<p class="err">.*?</span>(.*?)</p>', box.group(1), re.DOTALL) if box else []


# --- the opening card ------------------------------------------------------------------------

def test_the_opening_card_is_in_the_lesson_list_and_in_the_preview(studio):
    parent = load_deck("standaard").deck.opening
    text = page(studio, view="lesson")
    entry = re.search(r'<a href="([^"]*view=opening[^"]*)" id="nav-opening".*?</a>', text, re.DOTALL)
    assert entry and parent.statement in entry.group(0) and "zonder nummer" in entry.group(0)
    opening = page(studio, view="opening")
    assert parent.statement in opening and "Openingskaart, zonder nummer, vóór kaart 1" in opening
    image = re.search(r'<img id="preview-front" src="([^"]+)"', opening).group(1).replace("&amp;", "&")
    assert "card=opening" in image
    response = studio.client.get(image)
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")


def test_an_edited_opening_field_is_written_alone_and_removed_when_it_is_the_parents_again(studio):
    parent = load_deck("standaard").deck.opening
    studio.post("/action/opening", {**opening_form(studio, statement="Samen wonen in Noord begint bij de koffie"),
                                    "view": "opening"})
    text = studio.text()
    assert "opening:\n  statement: Samen wonen in Noord begint bij de koffie\n" in text
    assert "title: Waar gaat dit over?" not in text and "questions" not in text.split("opening:")[1].split("select")[0]
    loaded = load_deck(studio.folder / DECK).deck.opening
    assert loaded.statement == "Samen wonen in Noord begint bij de koffie" and loaded.text == parent.text
    studio.post("/action/opening", {**opening_form(studio, **{"source.url": "https://www.example.org/noord"}),
                                    "view": "opening"})
    assert "  source:\n    url: https://www.example.org/noord\n" in studio.text()
    assert load_deck(studio.folder / DECK).deck.opening.source.title == parent.source.title
    studio.post("/action/opening", {**opening_form(studio, statement=parent.statement,
                                                   **{"source.url": parent.source.url}), "view": "opening"})
    assert studio.text() == HAND_WRITTEN


def test_the_opening_card_is_left_out_with_null_and_taken_back(studio):
    studio.post("/action/opening", {"op": "leave-out", "view": "opening"})
    assert "opening: null" in studio.text() or "opening:\n" in studio.text()
    assert load_deck(studio.folder / DECK).deck.opening is None
    text = page(studio, view="opening")
    assert "Deze set heeft geen openingskaart" in text and "preview-front" not in text
    assert "Geen openingskaart" in page(studio, view="lesson")
    studio.post("/action/opening", {"statement": "Genegeerd", "view": "opening"})
    assert load_deck(studio.folder / DECK).deck.opening is None  # a left-out card is not edited
    studio.post("/action/opening", {"op": "take-parent", "view": "opening"})
    assert studio.text() == HAND_WRITTEN


def test_a_problem_of_the_opening_card_is_shown_at_its_field(studio):
    studio.post("/action/opening", {**opening_form(studio, **{"source.url": "geen adres"}), "view": "opening"})
    text = page(studio, view="opening")
    assert errors_at(text, "f-opening-source-url")
    assert 'href="/edit?deck=noord%2Fdeck.yaml&amp;view=opening#f-opening-source-url"' in text


# --- one numbering ---------------------------------------------------------------------------

def test_k_of_n_counts_lessons_and_the_other_cards_have_no_number(studio):
    studio.post("/action/contacts", {"contacts.present": "1", "contacts.1.name": "Wijkteam Noord",
                                     "view": "contacts"})
    lessons = len(load_deck(studio.folder / DECK).deck.lessons)
    for number in range(1, lessons + 1):
        key = re.findall(r'<a href="[^"]*lesson=([^"&#]+)[^"]*"[^>]*>\s*<span class="num">(\d+)</span>',
                         page(studio, view="lesson"))[number - 1][0].replace("%3A", ":")
        text = page(studio, view="lesson", lesson=key)
        assert f"Kaart {number} van {lessons}</h1>" in text
        assert f"Voorkant van kaart {number} van {lessons}," in text
        assert f"Kaart {number} van {lessons}, formaat" in text
    assert f"Kaarten in deze set ({lessons})" in text
    contacts = page(studio, view="contacts")
    assert "contactenkaart (zonder nummer)" in contacts and f"van {lessons + 1}" not in contacts


# --- renaming an own lesson ------------------------------------------------------------------

# the workspace's regional deck with an own lesson, with a comment on that lesson and one more
# lesson of the standard deck selected
OWN = (support.OWN.replace("eigen-inzicht-1]", "eigen-inzicht-1, 9]")
       .replace("  - id: eigen-inzicht-1\n", "  - id: eigen-inzicht-1   # our own\n"))


@pytest.fixture()
def own(tmp_path):
    folder = make_workspace(tmp_path)
    (folder / DECK).write_text(OWN, encoding="utf-8")
    return signed_in(folder)


def rename(studio, new_id: str):
    return studio.post("/action/rename", {"id": new_id, "lesson": "o:0", "view": "lesson"})


def test_an_own_lesson_is_renamed_and_select_follows(own):
    response = rename(own, "buurtkamer-oost")
    assert response.status_code == 200
    assert own.text() == OWN.replace("eigen-inzicht-1", "buurtkamer-oost")
    deck = load_deck(own.folder / DECK).deck
    assert [lesson.id for lesson in deck.lessons][1] == "buurtkamer-oost"


@pytest.mark.parametrize("new_id, words", [("Buurtkamer Oost", "buurtkamer-oost"), ("", "kleine letters"),
                                           ("buurt_kamer", "streepjes"), ("actieve-bewoners", "heeft al"),
                                           ("financiering-naar-schaal", "heeft al")])
def test_a_new_id_that_is_no_slug_or_taken_is_refused_at_the_field(own, new_id, words):
    response = rename(own, new_id)
    assert response.status_code == 422
    assert any(words in error for error in errors_at(response.text, "f-id")), response.text[:2000]
    assert own.text() == OWN


def test_the_results_file_beside_the_deck_follows_a_renamed_lesson(own):
    results = own.folder / "noord" / "regio-noord-resultaten.yaml"
    shutil.copy(FIXTURES / "results" / "standaard-resultaten.yaml", results)
    text = results.read_text(encoding="utf-8")
    assert "- id: actieve-bewoners" in text
    results.write_text(text.replace("- id: actieve-bewoners", "- id: eigen-inzicht-1   # ours"), encoding="utf-8")
    before = results.read_text(encoding="utf-8")
    response = rename(own, "buurtkamer-oost")
    assert "regio-noord-resultaten.yaml" in response.text
    assert results.read_text(encoding="utf-8") == before.replace("- id: eigen-inzicht-1", "- id: buurtkamer-oost")


# --- problems where they are -----------------------------------------------------------------

TWICE = OWN + """\
  - id: eigen-inzicht-1
    theme: beide
    pillar: mensen
    statement: Het tweede inzicht met dezelfde id
    explanation: Dit is de kopie.
    questions:
      - text: Een?
      - text: Twee?
      - text: Drie?
    sources:
      - title: Gemengd wonen
        url: https://www.hu.nl/onderzoek/projecten/gemengd-wonen-lessen-uit-de-praktijk
"""


def test_a_duplicate_id_is_flagged_on_the_duplicate_not_the_original(own):
    (own.folder / DECK).write_text(TWICE, encoding="utf-8")
    first = page(own, view="lesson", lesson="o:0")
    second = page(own, view="lesson", lesson="o:1")
    assert "Het tweede inzicht" in second and "Een buurtkamer opent deuren" in first
    assert errors_at(second, "f-id") and "eigen-inzicht-1" in errors_at(second, "f-id")[0]
    assert not errors_at(first, "f-id")
    counts = dict(re.findall(r'lesson=o%3A(\d)".*?problem-count" title="(\d+)', second, re.DOTALL))
    assert counts.get("1") and not counts.get("0")
    rename(own, "tweede-inzicht")  # the page's own button gets rid of the problem
    assert "id: tweede-inzicht" in own.text()
    assert not errors_at(page(own, view="lesson", lesson="o:1"), "f-id")
