"""The studio's pages and the changes it saves: every page answers, every change is written as an
``extends`` deck holding only what differs from its parent, comments and key order of a
hand-written deck survive, a save keeps a backup and never overwrites a file changed on disk, and
problems appear at their fields in the words of ``dialoogkit check``."""

from __future__ import annotations

import html
import io
import re

import pytest

from dialoogkit.cards.loader import load_deck
from studio_support import HAND_WRITTEN, make_workspace, signed_in

pytestmark = pytest.mark.filterwarnings("ignore:.*httpx.*")
LESSON = "p:actieve-bewoners"


@pytest.fixture()
def studio(tmp_path):
    return signed_in(make_workspace(tmp_path))


def lesson_form(studio, key=LESSON, **changes):
    """The lesson form as the browser posts it, with the lesson's current values."""
    from dialoogkit.studio.deckfile import read_deck_file
    from dialoogkit.studio.editmodel import build_model
    from dialoogkit.studio.workspace import Workspace

    workspace = Workspace.open(studio.folder)
    item = build_model(read_deck_file(workspace.resolve("noord/deck.yaml")), workspace).find(key)
    data = {**item.data, **changes}
    form = {"lesson": key, "theme": data["theme"], "pillar": data["pillar"], "statement": data["statement"],
            "explanation": data["explanation"], "actions.self": data["actions"]["self"] or "",
            "actions.higher": data["actions"]["higher"] or "", "questions.present": "1", "tips.present": "1",
            "sources.present": "1"}
    for n, q in enumerate(data["questions"], 1):
        form[f"questions.{n}.text"] = q["text"]
        form[f"questions.{n}.audience"] = q["audience"] or ""
    for n, tip in enumerate(data["tips"], 1):
        form[f"tips.{n}"] = tip
    for n, s in enumerate(data["sources"], 1):
        form[f"sources.{n}.title"], form[f"sources.{n}.url"] = s["title"], s["url"]
    return form


def english(studio) -> None:
    """Switch the studio (and the library's messages) to English."""
    studio.client.post("/language", data={"language": "en", "next": "/"}, headers={"Origin": studio.origin})


def check_problems(studio, deck: str = "noord/deck.yaml"):
    """What ``dialoogkit check --format a6`` finds in the deck's cards, in the language the studio
    uses (Dutch: the language travels with the request, so the test asks for it too)."""
    from dialoogkit.app.checking import check_deck
    from dialoogkit.i18n import choose_language

    choose_language("nl")
    try:
        return list(check_deck(studio.folder / deck, card_format="a6", profile="standard", full=False).problems)
    finally:
        choose_language(None)


@pytest.mark.parametrize("view", ["deck", "lesson", "contacts", "print"])
def test_every_editor_view_opens(studio, view):
    page = studio.client.get("/edit", params={"deck": "noord/deck.yaml", "view": view})
    assert page.status_code == 200
    assert 'lang="nl"' in page.text and "Samen wonen in Noord" in page.text
    assert "/static/htmx.min.js" in page.text


def test_the_start_page_lists_workspace_and_bundled_decks(studio):
    page = studio.client.get("/").text
    assert "noord/deck.yaml" in page and "Samen wonen in Noord" in page
    assert "standaard" in page and "standard-en" in page


@pytest.mark.parametrize("tab", ["card", "canvas", "guide"])
def test_every_preview_tab_shows_an_image_of_the_real_pipeline(studio, tab):
    panel = studio.client.get("/preview/panel", params={"deck": "noord/deck.yaml", "view": "lesson", "tab": tab})
    assert panel.status_code == 200
    sources = [s.replace("&amp;", "&") for s in re.findall(r'<img[^>]* src="([^"]+)"', panel.text)]
    assert sources
    for source in sources:
        image = studio.client.get(source)
        assert image.status_code == 200 and image.headers["content-type"] == "image/png"
        assert image.content.startswith(b"\x89PNG")


def test_the_language_switch_gives_english(studio):
    response = studio.client.post("/language", data={"language": "en", "next": "/edit?deck=noord/deck.yaml"},
                                  headers={"Origin": studio.origin}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/edit?deck=noord/deck.yaml"
    page = studio.client.get("/edit?deck=noord/deck.yaml").text
    assert 'lang="en"' in page and "Cards in this deck" in page


def test_a_statement_is_saved_as_an_override_and_removed_when_it_is_the_parents_again(studio):
    response = studio.post("/action/lesson", lesson_form(studio, statement="Buren kennen elkaar in Noord"))
    assert response.status_code == 200 and "Opgeslagen" in response.text
    text = studio.text()
    assert "statement: Buren kennen elkaar in Noord" in text
    assert load_deck(studio.folder / "noord/deck.yaml").deck.lessons[0].statement == "Buren kennen elkaar in Noord"
    parent = load_deck("standaard").deck.lessons[1].statement
    studio.post("/action/lesson", lesson_form(studio, statement=parent))
    text = studio.text()
    assert "override" not in text and "statement" not in text
    assert "# Regio Noord: our own deck (written by hand)." in text and "# on every card" in text


def test_comments_and_key_order_of_a_hand_written_deck_are_kept(studio):
    studio.post("/action/deck", {"view": "deck", "title": "Samen wonen in Noord-Oost", "subtitle": "",
                                 "region": "Regio Noord", "language": "nl"})
    text = re.sub(r" +#", " #", studio.text())
    assert text == re.sub(r" +#", " #", HAND_WRITTEN).replace("Samen wonen in Noord #", "Samen wonen in Noord-Oost #") \
        .replace("region: Regio Noord\n", "subtitle:\nregion: Regio Noord\n")
    assert (studio.folder / "noord/deck.yaml.bak").read_text(encoding="utf-8") == HAND_WRITTEN


def test_added_questions_are_appended_to_the_parents(studio):
    form = lesson_form(studio)
    studio.post("/action/lesson", {**form, "op": "questions:add"})
    form = lesson_form(studio)
    last = max(int(k.split(".")[1]) for k in form if k.startswith("questions.") and k.endswith(".text"))
    form[f"questions.{last}.text"] = "Wie kent de buurt het best?"
    form[f"questions.{last}.audience"] = "bewoners"
    studio.post("/action/lesson", form)
    text = studio.text()
    assert re.search(r"questions\+:\n      - text: '?Wie kent de buurt het best\?'?\n        audience: bewoners", text)
    deck = load_deck(studio.folder / "noord/deck.yaml").deck
    assert deck.lessons[0].questions[-1].text == "Wie kent de buurt het best?"


def test_an_empty_new_question_is_an_error_at_its_field(studio):
    response = studio.post("/action/lesson", {**lesson_form(studio), "op": "questions:add"})
    assert response.status_code == 200
    count = len(load_deck("standaard").deck.lessons[1].questions) + 1
    box = re.search(rf'<div id="err-f-questions-{count}-text" class="field-error">(.*?)</div>', response.text, re.S)
    problem = check_problems(studio)[0]
    assert problem.field == f"questions[{count}].text"
    assert box and problem.message in box.group(1)
    assert f'id="f-questions-{count}-text"' in response.text and "data-autofocus" in response.text


def test_a_question_too_long_for_the_card_is_shown_at_its_field_in_checks_words(studio):
    response = studio.post("/action/lesson", lesson_form(studio) | {"questions.1.text": "Waarom " * 380})
    box = re.search(r'id="err-f-questions-1-text" class="field-error" hx-swap-oob="true">(.*?)</div>', response.text, re.S)
    problem = check_problems(studio)[0]
    assert box and html.escape(problem.message, quote=True) in box.group(1)
    assert "noord/deck.yaml:" in response.text  # the summary names file and line, as check does
    page = studio.client.get("/edit", params={"deck": "noord/deck.yaml", "view": "print"}).text
    assert re.search(r'id="build-button"[^>]* disabled', page)


def test_lessons_are_dropped_moved_and_taken_back_through_select(studio):
    studio.post("/action/order", {"op": "exclude|p:meerdere-meldplekken"})
    assert "select: [actieve-bewoners, 6]" in studio.text()
    studio.post("/action/order", {"op": "up|p:ontmoetingsplek-bij-start"})
    assert "select: [6, actieve-bewoners]" in studio.text()
    studio.post("/action/order", {"op": "include|p:financiering-naar-schaal"})
    assert "select: [6, actieve-bewoners, financiering-naar-schaal]" in studio.text()
    ids = [lesson.id for lesson in load_deck(studio.folder / "noord/deck.yaml").deck.lessons]
    assert ids == ["ontmoetingsplek-bij-start", "actieve-bewoners", "financiering-naar-schaal"]


def test_select_is_removed_when_the_order_is_the_parents(studio):
    for key in ["p:financiering-naar-schaal", "p:botsende-belangen", "p:elkaars-werk-begrijpen",
                "p:rol-community-builder", "p:weerstand-per-buurt", "p:zorgmijding-opvangen",
                "p:sleutelrollen-in-de-buurt"]:
        studio.post("/action/order", {"op": f"include|{key}"})
    order = [lesson.id for lesson in load_deck("standaard").deck.lessons]
    current = [lesson.id for lesson in load_deck(studio.folder / "noord/deck.yaml").deck.lessons]
    while current != order:  # bubble into the parent's order with the up buttons (bounded)
        index = next(i for i, (a, b) in enumerate(zip(current, order)) if a != b)
        wanted = order[index]
        studio.post("/action/order", {"op": f"up|p:{wanted}"})
        current = [lesson.id for lesson in load_deck(studio.folder / "noord/deck.yaml").deck.lessons]
        assert len(studio.text()) < 2000
    assert "select" not in studio.text()


def test_an_own_lesson_is_added_edited_and_removed(studio):
    response = studio.post("/action/order", {"op": "add|"})
    assert response.headers["HX-Redirect"].endswith("lesson=o%3A0#f-statement")
    deck = load_deck(studio.folder / "noord/deck.yaml").deck
    assert deck.lessons[-1].id == "eigen-inzicht-1" and deck.lessons[-1].statement.startswith("(invullen)")
    assert "eigen-inzicht-1" in studio.text().split("override")[0]  # named in select
    studio.post("/action/lesson", lesson_form(studio, "o:0", statement="Een buurtkamer opent deuren"))
    assert load_deck(studio.folder / "noord/deck.yaml").deck.lessons[-1].statement == "Een buurtkamer opent deuren"
    studio.post("/action/order", {"op": "delete|o:0", "lesson": "o:0"})
    text = studio.text()
    assert "eigen-inzicht" not in text and "lessons:" not in text
    assert "select: [actieve-bewoners, 6, 9]" in text


def test_contacts_are_saved(studio):
    fields = {"view": "contacts", "contacts.present": "1", "contacts.1.name": "Wijkteam Noord",
              "contacts.1.role": "Voor zorgen over een buur", "contacts.1.phone": "030 123 45 67",
              "contacts.1.email": "", "contacts.1.url": "https://example.org/wijkteam"}
    studio.post("/action/contacts", fields)
    contact = load_deck(studio.folder / "noord/deck.yaml").deck.contacts[0]
    assert contact.name == "Wijkteam Noord" and contact.phone == "030 123 45 67" and contact.email is None
    response = studio.post("/action/contacts", {**fields, "contacts.1.email": "geen adres"})
    assert re.search(r'id="err-f-contacts-1-email"[^>]*>\s*<p class="err">', response.text)


def test_a_logo_is_checked_and_saved_beside_the_deck(studio):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 160), (29, 92, 122)).save(buffer, format="PNG")
    response = studio.post("/action/logo", {"view": "deck"}, files={"logo": ("mijn logo.png", buffer.getvalue(), "image/png")})
    assert response.status_code == 200
    assert "logo: logo.png" in studio.text()
    assert load_deck(studio.folder / "noord/deck.yaml").logo_path.name == "logo.png"
    english(studio)
    small = io.BytesIO()
    Image.new("RGB", (40, 40)).save(small, format="PNG")
    response = studio.post("/action/logo", {"view": "deck"}, files={"logo": ("klein.png", small.getvalue(), "image/png")})
    assert response.status_code == 422 and "too small to print sharply" in response.text
    studio.post("/action/logo", {"view": "deck", "op": "remove"})
    assert "logo" not in studio.text()


def test_a_logo_upload_never_replaces_a_folder_of_that_name(studio):
    from PIL import Image

    english(studio)
    (studio.folder / "noord/logo.png").mkdir()
    buffer = io.BytesIO()
    Image.new("RGB", (300, 160), (29, 92, 122)).save(buffer, format="PNG")
    response = studio.post("/action/logo", {"view": "deck"}, files={"logo": ("logo.png", buffer.getvalue(), "image/png")})
    assert response.status_code == 422
    assert "already something called logo.png that is not a plain file" in response.text
    assert (studio.folder / "noord/logo.png").is_dir() and "logo:" not in studio.text()


def test_a_file_changed_on_disk_is_never_overwritten(studio):
    old_version = studio.version()
    changed = HAND_WRITTEN.replace("Regio Noord\n", "Regio Noord (door iemand anders)\n")
    (studio.folder / "noord/deck.yaml").write_text(changed, encoding="utf-8")
    response = studio.client.post("/action/deck", data={"deck": "noord/deck.yaml", "version": old_version,
                                                        "view": "deck", "title": "Mijn titel"},
                                  headers={"Origin": studio.origin})
    assert response.status_code == 409
    assert "Niet opgeslagen" in response.text and response.headers["HX-Reswap"] == "none"
    assert studio.text() == changed


def test_a_deck_file_with_a_syntax_error_is_shown_with_its_error_and_left_untouched(studio):
    broken = "extends: standaard\nid: kapot\ntitle: [Kapot\nregion: x\n"
    path = studio.folder / "kapot.yaml"
    path.write_text(broken, encoding="utf-8")
    page = studio.client.get("/edit", params={"deck": "kapot.yaml"})
    assert page.status_code == 422 and "kapot.yaml:" in page.text
    assert "/tmp" not in page.text.split("kapot.yaml:")[0][-200:]
    start = studio.client.get("/").text
    assert "kapot.yaml" in start and "Niet te lezen" in start
    response = studio.client.post("/action/deck", data={"deck": "kapot.yaml", "version": "x", "title": "Heel"},
                                  headers={"Origin": studio.origin})
    assert response.status_code == 409
    assert path.read_text(encoding="utf-8") == broken and not (studio.folder / "kapot.yaml.bak").exists()


def test_a_new_deck_from_a_bundled_deck_extends_it(studio):
    response = studio.client.post("/new", data={"parent": "standaard", "title": "Samen wonen in Zuid",
                                                "region": "Regio Zuid"},
                                  headers={"Origin": studio.origin}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/edit?deck=samen-wonen-in-zuid%2Fdeck.yaml&view=deck"
    text = (studio.folder / "samen-wonen-in-zuid/deck.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Gemaakt met dialoogkit studio") and "extends: standaard\n" in text
    deck = load_deck(studio.folder / "samen-wonen-in-zuid/deck.yaml").deck
    assert (deck.title, deck.region, len(deck.lessons)) == ("Samen wonen in Zuid", "Regio Zuid", 10)
    again = studio.client.post("/new", data={"parent": "standaard", "title": "Samen wonen in Zuid"},
                               headers={"Origin": studio.origin}, follow_redirects=False)
    assert again.headers["location"].startswith("/edit?deck=samen-wonen-in-zuid-2%2Fdeck.yaml")


def test_a_new_deck_needs_a_title_and_a_bundled_parent(studio):
    response = studio.client.post("/new", data={"parent": "../../etc/passwd", "title": ""},
                                  headers={"Origin": studio.origin})
    assert response.status_code == 422
    assert re.search(r'id="err-f-new-title"[^>]*>\s*<p class="err">', response.text)
    assert re.search(r'id="err-f-parent"[^>]*>\s*<p class="err">', response.text)


def test_a_table_becomes_a_deck_like_the_import_command(studio):
    table = ("Lessen uit de praktijk;Gaat over;Toelichting;Zelf oppakken;Hoger niveau\n"
             "Ontmoeten helpt;Gemengd wonen;Een plek om elkaar te zien helpt.;Open de buurtkamer;-\n")
    response = studio.client.post("/new/table", data={"title": "Onze inzichten", "language": "nl"},
                                  files={"table": ("inzichten.csv", table.encode("utf-8"), "text/csv")},
                                  headers={"Origin": studio.origin}, follow_redirects=False)
    assert response.status_code == 303
    deck = load_deck(studio.folder / "onze-inzichten/deck.yaml").deck
    assert deck.title == "Onze inzichten" and deck.lessons[0].statement == "Ontmoeten helpt"
    page = studio.client.get(response.headers["location"].replace("view=deck", "view=lesson"))
    assert page.status_code == 200 and "Nog in te vullen" in page.text
    bad = studio.client.post("/new/table", data={"title": ""},
                             files={"table": ("leeg.csv", b"Titel;Iets\n", "text/csv")},
                             headers={"Origin": studio.origin})
    assert bad.status_code == 422 and "leeg.csv" in bad.text and "dialoogkit-studio-" not in bad.text
