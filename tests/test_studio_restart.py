"""A studio for the whole week, in a real browser (Debian's Chromium through Playwright): the studio
is stopped and started again from the command line while a person works, as a coordinator's
laptop does. The address stays the same, the open tab finds the studio again by itself, and
nothing typed is lost: not what was typed while it was away, not what a closed tab held, not the
text of a file that changed meanwhile (offered for copying). The "after the session" page saves
while typing, asks before a page with unsaved text is left, and its report is written into
``output/<deck>/na-de-sessie/`` and offered again after a restart. Under CI=true a missing browser
fails these tests (see ``studio_support.chromium_path``); elsewhere they are skipped."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from dialoogkit.cards.bundled import decks_folder
from studio_support import make_workspace, studio_env, studio_process

WAIT = 30_000  # ms: the longest any one step may take (a restart included)
REPORT_WAIT = 150_000  # ms: a report in a fresh studio waits for the name finder to load (a minute on a busy machine)
SHOTS = Path(__file__).resolve().parent / "screenshots"
FIXTURE = Path(__file__).parent / "fixtures" / "results" / "standaard-resultaten.yaml"
RESULTS_DECK = "standaard/standaard.yaml"


@pytest.fixture()
def context(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="nl-NL")
    yield context
    context.close()


@pytest.fixture()
def home(tmp_path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def shoot(page, name: str) -> None:
    """A screenshot to look at, when DIALOOGKIT_SHOTS is set (never compared)."""
    import os

    if os.environ.get("DIALOOGKIT_SHOTS"):
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"))


def sign_in(page, url: str) -> str:
    """Open the printed address; returns the studio's base address."""
    base = url.split("/?", 1)[0]
    page.goto(url)
    page.wait_for_url(f"{base}/", timeout=WAIT)
    return base


def wait_saved(page) -> None:
    page.wait_for_function("() => /Opgeslagen/.test(document.getElementById('save-status').textContent)",
                           timeout=WAIT)


def wait_for_file(path: Path, text: str, page) -> None:
    for _ in range(WAIT // 100):
        if text in path.read_text(encoding="utf-8"):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{text!r} never arrived in {path}")


def connection_says(page, words: str) -> None:
    page.wait_for_function("w => { const l = document.getElementById('connection');"
                           " return !l.hidden && l.textContent.includes(w); }", arg=words, timeout=WAIT)


def test_a_restart_in_the_middle_of_typing_loses_nothing(context, tmp_path, home):
    folder = make_workspace(tmp_path)
    deck = folder / "noord" / "deck.yaml"
    page = context.new_page()
    with studio_process(folder, home) as url:
        base = sign_in(page, url)
        page.goto(f"{base}/edit?deck=noord%2Fdeck.yaml&view=deck")
        title = page.locator("#f-title")
        title.fill("Samen wonen in Noord")
        title.press_sequentially(" en Oost")
        wait_saved(page)
        assert "title: Samen wonen in Noord en Oost" in deck.read_text(encoding="utf-8")

    # the studio is gone; the tab stays open and she goes on typing
    title.press_sequentially(", voorjaar")
    connection_says(page, "De studio is even niet bereikbaar — je werk wordt bewaard")
    shoot(page, "restart-1-away")
    assert "voorjaar" not in deck.read_text(encoding="utf-8")

    with studio_process(folder, home) as again:
        assert again == url  # same port, same token: the tab and a bookmark still work
        connection_says(page, "De studio is weer bereikbaar")
        wait_for_file(deck, "title: Samen wonen in Noord en Oost, voorjaar", page)
        connection_says(page, "Wat je intussen typte, is opgeslagen")
        shoot(page, "restart-2-back")
        # the next edit ends the message, and saves as always
        page.locator("#f-subtitle").fill("Tien lessen")
        page.wait_for_function("() => document.getElementById('connection').hidden", timeout=WAIT)
        wait_for_file(deck, "Tien lessen", page)
        # a bookmark of a page (no token in it) opens in the same browser after the restart
        bookmark = page.url
    with studio_process(folder, home):
        other = context.new_page()
        assert other.goto(bookmark).status == 200
        assert other.locator("#f-subtitle").input_value() == "Tien lessen"


def test_a_tab_closed_while_the_studio_was_away_keeps_its_text(context, tmp_path, home):
    folder = make_workspace(tmp_path)
    deck = folder / "noord" / "deck.yaml"
    page = context.new_page()
    with studio_process(folder, home) as url:
        base = sign_in(page, url)
        editor = f"{base}/edit?deck=noord%2Fdeck.yaml&view=deck"
        page.goto(editor)
        page.locator("#f-region").fill("Regio Noord-Oost")
        wait_saved(page)
    page.locator("#f-region").press_sequentially(" en Drenthe")
    connection_says(page, "niet bereikbaar")
    page.close()  # the laptop's lid, a closed tab: the text lives on in the browser

    with studio_process(folder, home):
        page = context.new_page()
        # another page of the deck points to where the text was typed
        page.goto(f"{base}/edit?deck=noord%2Fdeck.yaml&view=contacts")
        panel = page.locator("#kept")
        panel.wait_for(state="visible", timeout=WAIT)
        assert "op een andere pagina van deze set" in panel.inner_text()
        assert panel.get_by_label("Regio of organisatie", exact=False).input_value() == "Regio Noord-Oost en Drenthe"
        shoot(page, "restart-7-elsewhere")
        panel.get_by_role("link", name="Open die pagina").click()
        page.wait_for_url(editor, timeout=WAIT)
        wait_for_file(deck, "region: Regio Noord-Oost en Drenthe", page)  # put back and saved
        assert page.locator("#f-region").input_value() == "Regio Noord-Oost en Drenthe"
        assert page.locator("#kept").is_hidden()


def test_text_typed_while_the_file_changed_is_offered_for_copying(context, tmp_path, home):
    folder = make_workspace(tmp_path)
    deck = folder / "noord" / "deck.yaml"
    page = context.new_page()
    with studio_process(folder, home) as url:
        base = sign_in(page, url)
        page.goto(f"{base}/edit?deck=noord%2Fdeck.yaml&view=deck")
        page.locator("#f-subtitle").fill("Voor de bewonersavond")
        wait_saved(page)
    page.locator("#f-subtitle").press_sequentially(" van 12 juni")
    connection_says(page, "niet bereikbaar")
    # meanwhile a colleague changes the deck file
    deck.write_text(deck.read_text(encoding="utf-8").replace("Regio Noord", "Regio Zuid"), encoding="utf-8")

    with studio_process(folder, home):
        panel = page.locator("#kept")
        panel.wait_for(state="visible", timeout=WAIT)
        assert "Het bestand is veranderd terwijl je typte" in panel.inner_text()
        kept = panel.get_by_label("Ondertitel", exact=False)
        assert kept.input_value() == "Voor de bewonersavond van 12 juni"
        assert "Regio Zuid" in deck.read_text(encoding="utf-8")  # nothing overwritten
        assert "12 juni" not in deck.read_text(encoding="utf-8")
        shoot(page, "restart-3-kept")
        # after loading the newest version the text is still offered, until it is thrown away
        page.reload()
        panel.wait_for(state="visible", timeout=WAIT)
        assert page.locator("#f-subtitle").input_value() == "Voor de bewonersavond"
        panel.get_by_role("button", name="Kopieer").click()
        panel.get_by_role("button", name="Gekopieerd").wait_for(timeout=WAIT)
        panel.get_by_role("button", name="Weggooien").click()
        panel.wait_for(state="hidden", timeout=WAIT)
        page.reload()
        page.locator("#f-subtitle").wait_for(timeout=WAIT)
        assert page.locator("#kept").is_hidden()


def results_workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "werkmap"
    (folder / "standaard").mkdir(parents=True)
    shutil.copy(decks_folder() / "standaard.yaml", folder / RESULTS_DECK)
    text = FIXTURE.read_text(encoding="utf-8").replace("deck: standaard\n", "deck: standaard.yaml\n")
    (folder / "standaard" / "standaard-resultaten.yaml").write_text(text, encoding="utf-8")
    return folder


def test_the_report_made_in_the_studio_survives_a_restart(context, tmp_path, home):
    folder = results_workspace(tmp_path)
    report = folder / "output" / "standaard" / "na-de-sessie"
    page = context.new_page()
    with studio_process(folder, home) as url:
        base = sign_in(page, url)
        results_page = f"{base}/results?deck={quote(RESULTS_DECK, safe='')}"
        page.goto(results_page)
        page.get_by_role("button", name="Maak het verslag").click()
        page.get_by_text("Het verslag is klaar").wait_for(timeout=REPORT_WAIT)
        # the same files `dialoogkit report` writes for the same results
        by_hand = tmp_path / "by-hand"
        done = subprocess.run([sys.executable, "-m", "dialoogkit", "report", "standaard/standaard-resultaten.yaml",
                               "-o", str(by_hand)], cwd=folder, capture_output=True, text=True, timeout=300,
                              env=studio_env(home))
        assert done.returncode == 0, done.stderr
        names = sorted(p.name for p in (by_hand / "standaard" / "na-de-sessie").iterdir())
        assert sorted(p.name for p in report.iterdir()) == names
        assert {"verslag.pdf", "stippen.png", "acties.csv", "brief-woonstichting-de-linde.pdf"} <= set(names)
        same = by_hand / "standaard" / "na-de-sessie" / "acties.csv"
        assert (report / "acties.csv").read_bytes() == same.read_bytes()

    with studio_process(folder, home):
        page.goto(results_page)
        page.get_by_text("Het verslag is klaar").wait_for(timeout=REPORT_WAIT)
        assert page.get_by_text("De bestanden staan ook in de map output/standaard/na-de-sessie").is_visible()
        page.locator("#report").scroll_into_view_if_needed()
        shoot(page, "restart-4-report")
        with page.expect_download() as download:
            page.get_by_role("link", name="Verslag voor bewoners (PDF)").click()
        assert Path(download.value.path()).read_bytes() == (report / "verslag.pdf").read_bytes()
        assert page.get_by_role("link", name="Brief aan Woonstichting De Linde (PDF)").is_visible()
        assert len(page.locator("ul.downloads li").all()) == len(names) + 1  # every file, and the zip
        picture = page.locator("figure.dots img")
        page.wait_for_function("img => img.complete && img.naturalWidth > 100", arg=picture.element_handle(),
                               timeout=WAIT)
        # a change saved while typing says the report is of an earlier version (nothing reloads)
        page.locator("#f-next").press_sequentially("\nWe bellen de gemeente in mei.")
        page.get_by_text("Dit verslag hoort bij een eerdere versie").wait_for(timeout=WAIT)
        assert "We bellen de gemeente in mei." in (folder / "standaard" / "standaard-resultaten.yaml").read_text(
            encoding="utf-8")


def test_after_the_session_saves_while_typing_and_asks_before_leaving(context, tmp_path, home):
    folder = results_workspace(tmp_path)
    results = folder / "standaard" / "standaard-resultaten.yaml"
    page = context.new_page()
    dialogs: list[str] = []

    def answer(dialog) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    with studio_process(folder, home) as url:
        base = sign_in(page, url)
        page.goto(f"{base}/results?deck={quote(RESULTS_DECK, safe='')}")
        place = page.get_by_label("Plaats")
        place.fill("Wijkcentrum De Kern")
        page.get_by_role("link", name="Terug naar de set").click()  # at once, before it is saved
        page.wait_for_function("() => /Opgeslagen om/.test(document.getElementById('results-status').textContent)",
                               timeout=WAIT)
        assert dialogs == ["beforeunload"] and "/results" in page.url
        assert "place: Wijkcentrum De Kern" in results.read_text(encoding="utf-8")
        shoot(page, "restart-5-autosaved")

        # a field being typed in is never replaced by the save: the text typed during it stays
        recognised = page.locator("[name='L.actieve-bewoners.recognised']")
        recognised.fill("Ja, in de Wilgenstraat")
        recognised.press_sequentially(" en aan het plein")
        wait_for_file(results, "aan het plein", page)
        assert recognised.input_value() == "Ja, in de Wilgenstraat en aan het plein"

        # saved: leaving asks nothing
        page.get_by_role("link", name="Terug naar de set").click()
        page.wait_for_url(lambda u: "/edit?" in u, timeout=WAIT)
        assert dialogs == ["beforeunload"]


def test_after_the_session_keeps_what_was_typed_when_the_file_changed(context, tmp_path, home):
    folder = results_workspace(tmp_path)
    results = folder / "standaard" / "standaard-resultaten.yaml"
    page = context.new_page()
    with studio_process(folder, home) as url:
        base = sign_in(page, url)
        page.goto(f"{base}/results?deck={quote(RESULTS_DECK, safe='')}")
        # a colleague saves the results file in another program meanwhile
        changed = results.read_text(encoding="utf-8").replace("Buurthuis De Linde", "Wijkcentrum Oost")
        results.write_text(changed, encoding="utf-8")
        next_steps = page.locator("#f-next")
        next_steps.fill("We spreken op 12 juni weer af.")
        page.wait_for_function("() => /Niet opgeslagen/.test(document.getElementById('results-status').textContent)",
                               timeout=WAIT)
        panel = page.locator("#kept")
        panel.wait_for(state="visible", timeout=WAIT)
        assert panel.get_by_label("Volgende stappen").input_value() == "We spreken op 12 juni weer af."
        assert results.read_text(encoding="utf-8") == changed  # nothing overwritten
        shoot(page, "restart-6-results-conflict")
        # typing on saves nothing until she chooses: Save keeps her version
        next_steps.press_sequentially(" Om 19:00.")
        page.wait_for_timeout(1500)  # longer than the wait before a save while typing
        assert results.read_text(encoding="utf-8") == changed
        page.get_by_role("button", name="Opslaan", exact=True).click()
        page.wait_for_function("() => /Opgeslagen om/.test(document.getElementById('results-status').textContent)",
                               timeout=WAIT)
        assert "We spreken op 12 juni weer af. Om 19:00." in results.read_text(encoding="utf-8")
        panel.wait_for(state="hidden", timeout=WAIT)  # saved after all: nothing left to copy


def test_a_studio_started_with_another_token_tells_the_tab_to_use_the_new_address(context, tmp_path, home):
    folder = make_workspace(tmp_path)
    page = context.new_page()
    with studio_process(folder, home) as url:
        base = sign_in(page, url)
        page.goto(f"{base}/edit?deck=noord%2Fdeck.yaml&view=deck")
        page.locator("#f-title").wait_for(timeout=WAIT)
    page.locator("#f-subtitle").fill("Voor de zomer")
    connection_says(page, "niet bereikbaar")
    with studio_process(folder, home, "--token", "een-ander-geheim-voor-vandaag") as other:
        assert other.split("/?")[0] == base and other != url  # same port, another secret
        connection_says(page, "De studio draait weer, maar onder een ander adres")
        # opening the new address brings back what was typed, from this browser
        page.goto(other)
        page.goto(f"{base}/edit?deck=noord%2Fdeck.yaml&view=deck")
        wait_for_file(folder / "noord" / "deck.yaml", "subtitle: Voor de zomer", page)
