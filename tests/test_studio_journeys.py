"""The editor in a real browser (Debian's Chromium through Playwright), for what a coordinator
found in a trial: the worksheet and guide tabs show their pages (also when the page opens on
them, and after an edit); the opening card can be opened from the list, edited and seen in the
preview; "Kaart k van N" counts the lessons everywhere, as the card prints "k / N"; an own
lesson's id can be renamed (a wrong one is refused at the field; the deck and its results file
follow); the skip link leads past the list of lessons to the form. Under CI=true a missing
browser fails these tests (``studio_support.chromium_path``); elsewhere they are skipped."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from studio_support import OWN, TOKEN, make_workspace, serve

from dialoogkit.cards.loader import load_deck

pytestmark = pytest.mark.filterwarnings("ignore:.*httpx.*")
WAIT = 20_000  # ms: the longest any one step may take
DECK = "noord/deck.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="nl-NL")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()


@pytest.fixture()
def workspace(tmp_path) -> Path:
    return make_workspace(tmp_path)


def open_editor(page, base: str, **query: str) -> None:
    params = "&".join(f"{key}={value}" for key, value in query.items())
    page.goto(f"{base}/edit?deck=noord%2Fdeck.yaml&{params}&token={TOKEN}")
    page.wait_for_url(lambda url: "token=" not in url, timeout=WAIT)  # the token is swapped for a cookie
    page.wait_for_load_state("load", timeout=WAIT)
    page.wait_for_selector("#pane-title", timeout=WAIT)


def wait_image(page, selector: str) -> None:
    page.wait_for_function("s => { const i = document.querySelector(s);"
                           " return i && i.complete && i.naturalWidth > 0; }", arg=selector, timeout=WAIT)


def wait_saved(page) -> None:
    page.wait_for_function("() => /Opgeslagen/.test(document.getElementById('save-status').textContent)",
                           timeout=WAIT)


def image_size(page, selector: str) -> tuple[int, int]:
    return tuple(page.eval_on_selector(selector, "i => [i.naturalWidth, i.naturalHeight]"))


def test_the_worksheet_and_guide_tabs_show_their_pages(page, workspace):
    with serve(workspace) as (base, _):
        open_editor(page, base, view="lesson")
        page.get_by_role("button", name="Werkblad", exact=True).click()
        wait_image(page, "#preview-sheet")
        assert page.get_attribute("#preview-sheet", "alt") == "Werkblad bij kaart 1"
        width, height = image_size(page, "#preview-sheet")
        assert width > height  # an A3 landscape canvas, not a card
        assert page.get_attribute("#tab-canvas", "aria-pressed") == "true"
        page.get_by_role("button", name="Volgende").click()
        page.wait_for_function("() => document.getElementById('sheet-label').textContent === 'Werkblad bij kaart 2'",
                               timeout=WAIT)
        wait_image(page, "#preview-sheet")

        page.get_by_role("button", name="Handleiding", exact=True).click()
        page.wait_for_function("() => /^Handleiding, pagina 1 van \\d+$/.test("
                               "document.getElementById('sheet-label').textContent)", timeout=WAIT)
        wait_image(page, "#preview-sheet")
        width, height = image_size(page, "#preview-sheet")
        assert height > width  # an A4 page
        assert page.locator("input[name=tab]").input_value() == "guide"  # the one place the tab is kept

        # the page opened on a tab shows it; an edit made there keeps it and shows the new version
        open_editor(page, base, view="lesson", tab="canvas")
        wait_image(page, "#preview-sheet")
        assert "kan nog niet getekend" not in page.locator("#preview").inner_text()
        before = page.get_attribute("#preview-sheet", "src")
        page.locator("#f-statement").fill("Buren in Noord leren elkaar kennen bij de koffie")
        wait_saved(page)
        page.wait_for_function("s => { const i = document.getElementById('preview-sheet');"
                               " return i && i.getAttribute('src') !== s && i.complete && i.naturalWidth > 0; }",
                               arg=before, timeout=WAIT)
        assert page.get_attribute("#tab-canvas", "aria-pressed") == "true"
        assert not page.errors, page.errors


def test_the_opening_card_is_edited_and_seen_in_the_preview(page, workspace):
    statement = "Samen wonen in Noord begint bij de koffie"
    with serve(workspace) as (base, _):
        open_editor(page, base, view="lesson")
        entry = page.locator("#nav-opening")
        assert "zonder nummer" in entry.inner_text()
        entry.click()
        page.wait_for_url(lambda url: "view=opening" in url, timeout=WAIT)
        wait_image(page, "#preview-front")
        assert "openingskaart (zonder nummer)" in page.get_attribute("#preview-front", "alt")
        before = page.get_attribute("#preview-front", "src")
        page.get_by_label("Stelling").fill(statement)
        wait_saved(page)
        page.wait_for_function("s => { const i = document.getElementById('preview-front');"
                               " return i.getAttribute('src') !== s && i.complete && i.naturalWidth > 0; }",
                               arg=before, timeout=WAIT)
        assert statement in page.locator("#nav-opening").inner_text()
        shown = page.request.get(base + page.get_attribute("#preview-front", "src")).body()
        assert not page.errors, page.errors
    text = (workspace / DECK).read_text(encoding="utf-8")
    assert f"opening:\n  statement: {statement}\n" in text
    assert shown == opening_front(workspace / DECK)


def opening_front(deck: Path) -> bytes:
    """The front of the deck's opening card as the print pipeline draws it."""
    from dialoogkit.generator.plan import plan_deck
    from dialoogkit.layouts.formats import parse_card_format
    from dialoogkit.layouts.profiles import parse_profile
    from dialoogkit.studio.preview import Previews

    loaded = load_deck(deck)
    plan = plan_deck(loaded, parse_card_format("a6"), parse_profile("standard"))
    assert plan.opening is not None
    return Previews().card(plan, plan.opening, "front", loaded.logo_path, ("test",))


def printed_number(deck: Path, index: int) -> str:
    """The number printed on a lesson's card front ("k / N")."""
    from dialoogkit.generator.plan import plan_deck
    from dialoogkit.layouts.formats import parse_card_format
    from dialoogkit.layouts.profiles import parse_profile

    front = plan_deck(load_deck(deck), parse_card_format("a6"), parse_profile("standard")).faces[index][0]
    return next(" ".join(" ".join(word for _, word, _ in line.pieces) for line in text.block.lines)
                for text in front.texts() if text.name == "number")


def test_one_numbering_in_the_list_the_form_the_preview_and_the_card(page, workspace):
    with serve(workspace) as (base, _):
        open_editor(page, base, view="lesson")
        lessons = page.locator("ol.lessons > li").count()
        assert page.locator("#lessons-title").inner_text().endswith(f"({lessons})")
        for k in range(1, lessons + 1):
            page.locator("ol.lessons > li").nth(k - 1).locator("a").click()
            page.wait_for_function("t => document.getElementById('pane-title').textContent === t",
                                   arg=f"Kaart {k} van {lessons}", timeout=WAIT)
            assert page.locator("#preview-caption").inner_text().startswith(f"Kaart {k} van {lessons},")
            assert page.get_attribute("#preview-front", "alt").startswith(f"Voorkant van kaart {k} van {lessons},")
            assert printed_number(workspace / DECK, k - 1) == f"{k} / {lessons}"
        page.locator("#nav-opening").click()
        page.wait_for_url(lambda url: "view=opening" in url, timeout=WAIT)
        caption = page.locator("#preview-caption").inner_text()
        assert "zonder nummer" in caption and not re.search(r"van \d", caption)
        assert not page.errors, page.errors


def test_an_own_lesson_is_renamed_and_its_deck_and_results_follow(page, workspace):
    (workspace / DECK).write_text(OWN, encoding="utf-8")
    results = workspace / "noord" / "regio-noord-resultaten.yaml"
    shutil.copy(FIXTURES / "results" / "standaard-resultaten.yaml", results)
    results.write_text(results.read_text(encoding="utf-8").replace("- id: actieve-bewoners", "- id: eigen-inzicht-1"),
                       encoding="utf-8")
    with serve(workspace) as (base, _):
        open_editor(page, base, view="lesson", lesson="o%3A0")
        field = page.get_by_label("Id van dit inzicht")
        assert field.input_value() == "eigen-inzicht-1"
        field.fill("Buurtkamer Oost")
        field.press("Enter")
        error = page.locator("#err-f-id p.err")
        error.wait_for(timeout=WAIT)
        assert "buurtkamer-oost" in error.inner_text() and field.get_attribute("aria-invalid") == "true"
        assert (workspace / DECK).read_text(encoding="utf-8") == OWN
        field.fill("buurtkamer-oost")
        page.get_by_role("button", name="Id veranderen").click()
        page.wait_for_function("() => /Opgeslagen.*regio-noord-resultaten.yaml/.test("
                               "document.getElementById('save-status').textContent)", timeout=WAIT)
        error.wait_for(state="detached", timeout=WAIT)
        page.wait_for_function("() => !document.getElementById('f-id').hasAttribute('aria-invalid')", timeout=WAIT)
        assert not page.errors, page.errors
    assert (workspace / DECK).read_text(encoding="utf-8") == OWN.replace("eigen-inzicht-1", "buurtkamer-oost")
    assert "- id: buurtkamer-oost" in results.read_text(encoding="utf-8")
    assert "eigen-inzicht-1" not in results.read_text(encoding="utf-8")


@pytest.mark.parametrize("view", ["lesson", "opening", "deck"])
def test_the_skip_link_leads_past_the_lesson_list_to_the_form(page, workspace, view):
    with serve(workspace) as (base, _):
        open_editor(page, base, view=view)
        page.locator("body").focus()
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.className") == "skip"
        page.keyboard.press("Enter")
        inside = "(s) => { const a = document.activeElement; return !!a.closest(s); }"
        page.wait_for_function(f"() => ({inside})('#pane')", timeout=WAIT)
        assert page.evaluate(f"() => ({inside})('main')")
        assert not page.evaluate(f"() => ({inside})('#sidebar')")
        page.keyboard.press("Tab")  # the next stop is a control of the form, not the lesson list
        assert page.evaluate(f"() => ({inside})('#pane')")
        assert page.evaluate("() => ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'A']"
                             ".includes(document.activeElement.tagName)")
        assert not page.errors, page.errors
