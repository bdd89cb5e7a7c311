"""The editor page answers from the quick check and completes itself with the deep check.

A deck whose cards fit but whose guide cannot print a source's QR code: the page answers without
running the whole check (unless one is remembered for this version), and asks for it itself; the
guide's problem then appears at its field, in the list of problems and in the lesson list. The
canvas and guide tabs and the print view open with the whole check. In the browser (Debian's
Chromium through Playwright): the problem arrives after the page, the focus stays where it is,
and a deep check that arrives late never overwrites what a newer answer showed, neither a change
that made a new version nor a refused change that left the version as it was."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from studio_support import HAND_WRITTEN, OWN, TOKEN, make_workspace, serve, signed_in

pytestmark = pytest.mark.filterwarnings("ignore:.*httpx.*")
WAIT = 20_000  # ms: the longest any one step may take
DECK = "noord/deck.yaml"
LESSON = "p:actieve-bewoners"
LONG_URL = "https://example.nl/" + "y" * 1950  # fits the card; too large a QR code for the guide
GUIDE_WORDS = "nodig in de handleiding"  # the guide check's words for it (Dutch: the studio's language)
WITH_GUIDE_PROBLEM = HAND_WRITTEN + f"""\
    sources+:
      - title: Een lange bron
        url: {LONG_URL}
"""
OWN_WITH_GUIDE_PROBLEM = OWN + f"""\
      - title: Een lange bron
        url: {LONG_URL}
"""
# Test side only: every XMLHttpRequest of the page notes when it is over (after htmx handled its
# answer), so a test can wait until an answer was swapped in or dropped.
NOTE_FINISHED = """
(() => {
  const send = XMLHttpRequest.prototype.send;
  window.finishedRequests = [];
  XMLHttpRequest.prototype.send = function (body) {
    this.addEventListener("loadend", () => window.finishedRequests.push(this.responseURL));
    return send.call(this, body);
  };
})();
"""
FINISHED_CHECKS = "n => window.finishedRequests.filter(url => url.includes('/check?')).length >= n"


def workspace_with(tmp_path: Path, text: str) -> Path:
    folder = make_workspace(tmp_path)
    (folder / DECK).write_text(text, encoding="utf-8")
    return folder


def trigger(text: str) -> str:
    """The page's (or an answer's) ``#deep-check`` element."""
    found = re.search(r'<div id="deep-check"[^>]*>', text)
    assert found, "no #deep-check"
    return html.unescape(found.group(0))


# ---------------------------------------------------------------- the studio's answers


@pytest.fixture()
def studio(tmp_path, monkeypatch):
    """A signed-in studio on the deck with a guide problem; ``studio.checks`` lists, per check
    the studio made, whether it was the whole check."""
    from dialoogkit.studio import checking

    made: list[bool] = []
    inspect_deck = checking.inspect_deck

    def counted(path, gate, card_format, profile, start, full=True):
        made.append(full)
        return inspect_deck(path, gate, card_format, profile, start, full)

    monkeypatch.setattr(checking, "inspect_deck", counted)
    studio = signed_in(workspace_with(tmp_path, WITH_GUIDE_PROBLEM))
    studio.checks = made
    return studio


def test_the_page_answers_from_the_quick_check_and_the_deep_check_brings_the_guide_problem(studio):
    query = {"deck": DECK, "view": "lesson", "lesson": LESSON}
    page = studio.client.get("/edit", params=query)
    assert page.status_code == 200
    assert studio.checks == [False]  # the page did not wait for the canvases and the guide
    assert GUIDE_WORDS not in page.text
    asks = trigger(page.text)
    assert 'hx-get="/check"' in asks and f'data-version="{studio.version()}"' in asks
    assert '"version": "' + studio.version() + '"' in asks
    assert "de set kan worden gebouwd" not in page.text  # a quick check does not promise a build

    deep = studio.client.get("/check", params={**query, "tab": "card", "page": "", "version": studio.version()})
    assert deep.status_code == 200 and studio.checks == [False, True]
    box = re.search(r'<div id="err-f-sources-2-url" class="field-error" hx-swap-oob="true">(.*?)</div>', deep.text,
                    re.S)
    assert box and GUIDE_WORDS in box.group(1)  # at its field
    assert re.search(r'<div class="summary" id="problems">.*?' + GUIDE_WORDS, deep.text, re.S)  # in the list
    count = re.search(r'<span class="count-slot" id="count-p:actieve-bewoners" hx-swap-oob="true">(.*?)</span></span>',
                      deep.text)
    assert count and "⚠ 1" in count.group(1)  # in the lesson list
    assert trigger(deep.text) == '<div id="deep-check" hx-swap-oob="true">'  # nothing more to ask
    assert 'id="sidebar"' not in deep.text and 'id="lesson-form"' not in deep.text  # no list, no field replaced

    again = studio.client.get("/edit", params=query)  # the whole check of this version is remembered
    assert studio.checks == [False, True]
    assert GUIDE_WORDS in again.text and trigger(again.text) == '<div id="deep-check">'
    field = re.search(r'<input type="url" id="f-sources-2-url"[^>]*>', again.text).group(0)
    assert 'aria-invalid="true"' in field


@pytest.mark.parametrize("tab", ["card", "canvas", "guide"])
def test_the_page_and_the_deep_checks_answer_are_well_formed(studio, tab):
    from test_studio_html import check_html

    query = {"deck": DECK, "view": "lesson", "lesson": LESSON, "tab": tab, "page": ""}
    assert check_html(studio.client.get("/edit", params=query).text) == []
    deep = studio.client.get("/check", params={**query, "version": studio.version()})
    assert deep.status_code == 200 and check_html(deep.text, fragment=True) == []


@pytest.mark.parametrize("query", [{"view": "lesson", "tab": "canvas"}, {"view": "lesson", "tab": "guide"},
                                   {"view": "print"}], ids=["canvas", "guide", "print"])
def test_the_canvas_and_guide_tabs_and_the_print_view_open_with_the_whole_check(studio, query):
    page = studio.client.get("/edit", params={"deck": DECK, "lesson": LESSON, **query})
    assert page.status_code == 200 and studio.checks == [True]
    assert GUIDE_WORDS in page.text and trigger(page.text) == '<div id="deep-check">'


def test_every_answer_that_shows_problems_replaces_the_deep_check(studio):
    from test_studio_editor import lesson_form

    changed = studio.post("/action/lesson", lesson_form(studio, statement="Buren kennen elkaar in Noord"))
    assert changed.status_code == 200
    asks = trigger(changed.text)  # a new version, checked quickly: its own deep check
    assert 'hx-swap-oob="true"' in asks and f'data-version="{studio.version()}"' in asks and "/check" in asks
    refused = studio.post("/action/logo", {"op": ""}, files={"logo": ("logo.png", b"no image", "image/png")})
    assert refused.status_code == 422  # nothing saved, the version stays: shown with the whole check
    assert trigger(refused.text) == '<div id="deep-check" hx-swap-oob="true">'
    old = studio.client.get("/check", params={"deck": DECK, "view": "lesson", "lesson": LESSON, "version": "0" * 64})
    assert old.status_code == 204


# ---------------------------------------------------------------- in the browser


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="nl-NL")
    context.add_init_script(NOTE_FINISHED)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error"
            and "status of 422" not in message.text else None)  # a refused change is answered with 422
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()


def open_editor(page, base: str, lesson: str) -> None:
    page.goto(f"{base}/edit?deck=noord%2Fdeck.yaml&view=lesson&lesson={lesson}&token={TOKEN}")
    page.wait_for_url(lambda url: "token=" not in url, timeout=WAIT)  # the token is swapped for a cookie
    page.wait_for_load_state("load", timeout=WAIT)
    page.wait_for_selector("#pane-title", timeout=WAIT)


def hold_first_deep_check(page) -> list:
    """Hold the page's deep check on its way back: its answer is fetched from the studio at once
    (for the version the page shows) and given to the page only when the test says so. Later
    deep checks pass."""
    held: list = []

    def handle(route):
        if held:
            route.continue_()
        else:
            held.append((route, route.fetch()))

    page.route(re.compile(r"/check\?"), handle)
    return held


def wait_held(page, held: list) -> None:
    for _ in range(WAIT // 50):
        if held:
            return
        page.wait_for_timeout(50)  # lets Playwright run the route's handler
    raise AssertionError("the page did not ask for the deep check")


def release(page, held: list) -> None:
    """Give the page its held deep check and wait until the page has handled it."""
    route, response = held[0]
    assert response.status == 200
    before = page.evaluate("() => window.finishedRequests.filter(url => url.includes('/check?')).length")
    route.fulfill(response=response)
    page.wait_for_function(FINISHED_CHECKS, arg=before + 1, timeout=WAIT)


def test_the_guide_problem_arrives_after_the_page_and_leaves_the_focus_alone(page, tmp_path):
    with serve(workspace_with(tmp_path, WITH_GUIDE_PROBLEM)) as (base, _):
        held = hold_first_deep_check(page)
        open_editor(page, base, "p%3Aactieve-bewoners")
        wait_held(page, held)
        url_field = page.locator("#f-sources-2-url")
        assert page.locator("#err-f-sources-2-url p.err").count() == 0  # the page came from the quick check
        assert url_field.get_attribute("aria-invalid") is None
        assert page.locator("#problems").count() == 0
        page.locator("#f-explanation").focus()
        release(page, held)
        error = page.locator("#err-f-sources-2-url p.err")
        assert GUIDE_WORDS in error.inner_text() and url_field.get_attribute("aria-invalid") == "true"
        assert GUIDE_WORDS in page.locator("#problems").inner_text()
        assert "⚠ 1" in page.locator('[id="count-p:actieve-bewoners"]').inner_text()
        assert page.evaluate("() => document.activeElement.id") == "f-explanation"
        assert not page.errors, page.errors


def test_a_late_deep_check_of_an_older_version_is_dropped(page, tmp_path):
    workspace = workspace_with(tmp_path, WITH_GUIDE_PROBLEM)
    with serve(workspace) as (base, _):
        held = hold_first_deep_check(page)
        open_editor(page, base, "p%3Aactieve-bewoners")
        wait_held(page, held)  # its answer, for the first version, shows the guide problem
        url_field = page.locator("#f-sources-2-url")
        url_field.fill("https://example.nl/kort")  # a change: a new version without the problem
        page.locator("p.summary.clear").wait_for(timeout=WAIT)  # saved, and the new version's deep check is in
        assert page.evaluate("() => document.getElementById('deep-check').hasAttribute('hx-get')") is False
        release(page, held)
        assert page.locator("#err-f-sources-2-url p.err").count() == 0
        assert url_field.get_attribute("aria-invalid") is None
        assert page.locator("p.summary.clear").count() == 1
        assert page.locator('[id="count-p:actieve-bewoners"]').inner_text() == ""
        assert url_field.input_value() == "https://example.nl/kort"
        assert page.evaluate("() => document.activeElement.id") == "f-sources-2-url"
        assert not page.errors, page.errors
    assert "https://example.nl/kort" in (workspace / DECK).read_text(encoding="utf-8")


def test_a_late_deep_check_of_the_same_version_leaves_a_refused_change_as_it_is(page, tmp_path):
    workspace = workspace_with(tmp_path, OWN_WITH_GUIDE_PROBLEM)
    with serve(workspace) as (base, _):
        held = hold_first_deep_check(page)
        open_editor(page, base, "o%3A0")
        wait_held(page, held)
        field = page.get_by_label("Id van dit inzicht")
        field.fill("Buurtkamer Oost")
        field.press("Enter")  # refused: nothing saved, the version stays the one the deep check is for
        error = page.locator("#err-f-id p.err")
        error.wait_for(timeout=WAIT)
        assert field.get_attribute("aria-invalid") == "true"
        release(page, held)
        assert "buurtkamer-oost" in error.inner_text() and field.get_attribute("aria-invalid") == "true"
        assert field.input_value() == "Buurtkamer Oost"
        assert GUIDE_WORDS in page.locator("#problems").inner_text()  # the refusal came with the whole check
        assert not page.errors, page.errors
    assert (workspace / DECK).read_text(encoding="utf-8") == OWN_WITH_GUIDE_PROBLEM
