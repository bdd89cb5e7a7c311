"""The studio's "Na de sessie" page in a real browser (Debian's Chromium through Playwright), for
issue 21: a resident's name typed into a free-text field is marked at that field while typing,
with the words found and the fix; a false alarm is confirmed with one click (the words go under
``not_names:``) and the mark goes; the report button refuses while a name is there, naming the
field; the sender filled in on the page signs the letter; a second session started after the
first carries its open agreements, whose status can be set to gestopt with a reason; while the
name finder still loads, the page says so and checks by itself once it is there. Screenshots at
1366×768 go to ``$DIALOOGKIT_SHOTS`` when it is set. Under CI=true a missing browser fails these
tests (``studio_support.chromium_path``); elsewhere they are skipped."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pypdf
import pytest
from studio_support import TOKEN, serve

from dialoogkit.cards.bundled import decks_folder

pytestmark = pytest.mark.filterwarnings("ignore:.*httpx.*")
WAIT = 20_000  # ms
DECK = "standaard/standaard.yaml"
RESULTS = "standaard/standaard-resultaten.yaml"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "results" / "standaard-resultaten.yaml"
FIRST = "financiering-naar-schaal"  # the standard deck's first lesson
NAMED = "Anneke de Vries van nummer 12 opent de buurtkamer"


@pytest.fixture(scope="module", autouse=True)
def name_finder():
    from dialoogkit.cards.results.names import warm_up

    warm_up()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="nl-NL")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()


def make_workspace(tmp_path: Path, results: bool) -> Path:
    folder = tmp_path / "werkmap"
    (folder / "standaard").mkdir(parents=True)
    shutil.copy(decks_folder() / "standaard.yaml", folder / DECK)
    if results:
        text = FIXTURE.read_text(encoding="utf-8").replace("deck: standaard\n", "deck: standaard.yaml\n")
        (folder / RESULTS).write_text(text, encoding="utf-8")
    return folder


def open_results(page, base: str) -> None:
    page.goto(f"{base}/results?deck=standaard%2Fstandaard.yaml&token={TOKEN}")
    page.wait_for_url(lambda url: "token=" not in url, timeout=WAIT)
    page.wait_for_load_state("load", timeout=WAIT)


def make_file(page) -> None:
    page.get_by_role("button", name="Maak het resultatenbestand", exact=True).click()
    page.wait_for_selector("#results-form", timeout=WAIT)


def wait_saved(page, after: str = "") -> None:
    page.wait_for_function("(old) => { const s = document.getElementById('results-status');"
                           " return s && /Opgeslagen/.test(s.textContent) && s.textContent !== old; }",
                           arg=after, timeout=WAIT)


def status_text(page) -> str:
    return page.locator("#results-status").inner_text()


def shoot(page, name: str, selector: str | None = None) -> None:
    folder = os.environ.get("DIALOOGKIT_SHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    if selector:
        page.locator(selector).first.scroll_into_view_if_needed()
    page.screenshot(path=str(Path(folder) / f"{name}.png"))


def test_a_name_typed_is_marked_at_its_field_and_a_false_alarm_is_confirmed(page, tmp_path):
    workspace = make_workspace(tmp_path, results=False)
    field = f"#f-L-{FIRST}-recognised"
    box = f"#err-f-L-{FIRST}-recognised"
    with serve(workspace) as (base, _):
        open_results(page, base)
        make_file(page)
        page.locator(field).fill(NAMED)
        page.wait_for_function("(s) => { const b = document.querySelector(s);"
                               " return b && /Anneke de Vries/.test(b.textContent); }", arg=box, timeout=WAIT)
        mark = page.locator(f"{box} p.err").inner_text()
        assert "'Anneke de Vries' (naam)" in mark and "'nummer 12' (adres)" in mark
        assert "noem een rol: bewoner, buurtambassadeur" in mark
        page.wait_for_function("(s) => document.querySelector(s).getAttribute('aria-invalid') === 'true'",
                               arg=field, timeout=WAIT)
        assert page.locator(field).input_value() == NAMED  # the field typed in is never replaced
        shoot(page, "after-1-name-marked", box)

        page.locator(field).fill("Buurtkamer de Kern opent elke dinsdag")
        page.wait_for_function("(s) => { const b = document.querySelector(s);"
                               " return b && /'Kern'/.test(b.textContent) && !/Anneke/.test(b.textContent); }",
                               arg=box, timeout=WAIT)
        confirm = page.locator(box).get_by_role("button", name="‘Buurtkamer de Kern’ is geen naam")
        shoot(page, "after-2-confirm-offered", box)
        confirm.click()
        page.wait_for_function("() => /staat nu bij de woorden die geen naam zijn/.test("
                               "document.getElementById('results-status').textContent)", timeout=WAIT)
        page.wait_for_function("(s) => !document.querySelector(s + ' p')", arg=box, timeout=WAIT)
        assert page.locator(field).get_attribute("aria-invalid") is None
        assert page.locator("#f-not_names").input_value() == "Buurtkamer de Kern"
        shoot(page, "after-3-confirmed", "#f-not_names")
        assert not page.errors, page.errors
    text = (workspace / RESULTS).read_text(encoding="utf-8")
    assert "not_names: [Buurtkamer de Kern]" in text and "Buurtkamer de Kern opent elke dinsdag" in text


def test_the_report_button_refuses_while_a_name_is_there_naming_the_field(page, tmp_path):
    workspace = make_workspace(tmp_path, results=True)
    with serve(workspace) as (base, _):
        open_results(page, base)
        page.locator(f"#f-L-{FIRST}-recognised").fill(NAMED)
        page.get_by_role("button", name="Maak het verslag", exact=True).click()
        page.wait_for_function("() => { const s = document.getElementById('report-state');"
                               " return s && /niet gemaakt/.test(s.textContent); }", timeout=WAIT)
        refusal = page.locator("#report-state").inner_text()
        assert "er lijkt een naam" in refusal and "Herkennen we dit? (inzicht 1)" in refusal
        shoot(page, "after-4-report-refused", "#report-state")
        assert not page.errors, page.errors
    assert not (workspace / "output" / "standaard" / "na-de-sessie" / "verslag.pdf").exists()


def test_the_sender_filled_in_on_the_page_signs_the_letter(page, tmp_path):
    workspace = make_workspace(tmp_path, results=True)
    with serve(workspace) as (base, _):
        open_results(page, base)
        assert page.locator("#f-addressees-1 legend").inner_text() == "Brief aan gemeente"
        page.locator("#f-sender-organisation").fill("Welzijn Noord")
        page.locator("#f-sender-name").fill("Sanne Bakker")
        page.locator("#f-sender-role").fill("opbouwwerker")
        page.locator("#f-sender-email").fill("sanne@welzijn-noord.example")
        page.locator("#f-addressees-1-organisation").fill("Gemeente Groningen")
        page.locator("#f-addressees-1-department").fill("Wonen en zorg")
        shoot(page, "after-5-letters", "#f-letters")
        page.get_by_role("button", name="Maak het verslag", exact=True).click()
        page.wait_for_function("() => /Het verslag is klaar/.test(document.getElementById('report-state').textContent)",
                               timeout=60_000)
        link = page.locator("#report-state a", has_text="Brief aan gemeente (PDF)").get_attribute("href")
        letter = page.request.get(base + link).body()
        assert not page.errors, page.errors
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(letter)).pages)
    assert "Sanne Bakker" in text and "Welzijn Noord" in text and "sanne@welzijn-noord.example" in text
    assert "Gemeente Groningen" in text and "Wonen en zorg" in text
    saved = (workspace / RESULTS).read_text(encoding="utf-8")
    assert "organisation: Welzijn Noord" in saved and "gemeente:" in saved


def test_a_second_session_after_the_first_carries_its_open_agreements(page, tmp_path):
    workspace = make_workspace(tmp_path, results=True)
    with serve(workspace) as (base, _):
        open_results(page, base)
        page.get_by_role("button", name="Begin de volgende sessie", exact=True).click()
        page.wait_for_selector("#previous-title", timeout=WAIT)
        assert "standaard-resultaten-2025-03-14.yaml" in status_text(page)
        carried = page.locator(".previous-row .carried").all_inner_texts()
        assert len(carried) == 3 and "Een lijst maken van kleine dingen die al werken" in carried[0]
        assert "Elke nieuwe bewoner krijgt een welkomstbezoek" in " ".join(carried)
        reason = page.locator("#f-previous-1-reason")
        assert not reason.is_visible()  # asked for only when the agreement stopped
        page.locator("#f-previous-1-status").select_option("stopped")
        reason.wait_for(state="visible", timeout=WAIT)
        before = status_text(page)
        reason.fill("geen geld meer")
        wait_saved(page, before)
        page.wait_for_function("() => !document.querySelector('#err-f-previous-1-status p')", timeout=WAIT)
        shoot(page, "after-6-next-session", "#f-previous")
        options = page.locator("#f-L-financiering-naar-schaal-agreements-1-status option").all_inner_texts() \
            if page.locator("#f-L-financiering-naar-schaal-agreements-1-status").count() else []
        assert options in ([], ["open", "bezig", "klaar", "gestopt"])
        assert not page.errors, page.errors
    kept = workspace / "standaard" / "standaard-resultaten-2025-03-14.yaml"
    assert kept.read_text(encoding="utf-8") == FIXTURE.read_text(encoding="utf-8").replace(
        "deck: standaard\n", "deck: standaard.yaml\n")
    text = (workspace / RESULTS).read_text(encoding="utf-8")
    assert "previous:\n  date: 2025-03-14" in text and "status: gestopt" in text and "reason: geen geld meer" in text
    assert "Een buurtapp voor de flat starten" not in text  # done last time: not carried


def test_while_the_name_check_loads_the_page_says_so_and_checks_by_itself(page, tmp_path, monkeypatch):
    from dialoogkit.app import reporting

    loading = {"now": True}
    monkeypatch.setattr(reporting, "names_ready", lambda: not loading["now"])
    monkeypatch.setattr(reporting, "warm_names_in_background", lambda: loading["now"])
    workspace = make_workspace(tmp_path, results=True)
    field = f"#f-L-{FIRST}-recognised"
    box = f"#err-f-L-{FIRST}-recognised"
    with serve(workspace) as (base, _):
        open_results(page, base)
        assert "namencontrole wordt geladen" in page.locator("#names-state").inner_text()
        page.locator(field).fill(NAMED)
        page.wait_for_function("() => /Even geduld/.test(document.getElementById('results-status').textContent)",
                               timeout=WAIT)
        shoot(page, "after-7-names-loading", "#results-status")
        loading["now"] = False  # loaded: the page asks again by itself and the mark appears
        page.wait_for_function("(s) => /Anneke de Vries/.test(document.querySelector(s).textContent)",
                               arg=box, timeout=WAIT)
        page.wait_for_function("() => !document.querySelector('#names-state p')", timeout=WAIT)

        # the report asked for while the finder loads waits for it, and is made by itself
        before = status_text(page)
        page.locator(field).fill("Nieuwe bewoners weten niet waar ze terecht kunnen.")
        wait_saved(page, before)
        loading["now"] = True
        page.get_by_role("button", name="Maak het verslag", exact=True).click()
        page.wait_for_function("() => /zodra die klaar is/.test(document.getElementById('report-state').textContent)",
                               timeout=WAIT)
        shoot(page, "after-8-report-waits", "#report-state")
        assert not (workspace / "output").exists()
        loading["now"] = False
        page.wait_for_function("() => /Het verslag is klaar/.test(document.getElementById('report-state').textContent)",
                               timeout=60_000)
        assert not page.errors, page.errors
    assert (workspace / "output" / "standaard" / "na-de-sessie" / "verslag.pdf").is_file()
