"""The print panel as a coordinator uses it, in Debian's Chromium: it offers every format of the
registry (``a6-office`` included) and the command line's limits (a back offset of 15 mm is fine,
as on the command line); a double click on "Bouw de kit" shows the running build's progress and
then its downloads, with the sheet count, the format tip and the build's notes that
``dialoogkit build`` prints (here: no bleed)."""

from __future__ import annotations

import pytest

from studio_support import TOKEN, make_workspace, serve

pytestmark = pytest.mark.filterwarnings("ignore:.*httpx.*")
WAIT = 20_000


def test_a_double_click_on_build_shows_progress_then_the_kit_with_its_sheet_count(browser, tmp_path):
    folder = make_workspace(tmp_path)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="nl-NL")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with serve(folder) as (url, _port):
        page.goto(f"{url}/?token={TOKEN}")
        page.goto(f"{url}/edit?deck=noord/deck.yaml&view=print")
        formats = page.locator('input[name="card_format"]')
        assert [formats.nth(i).get_attribute("value") for i in range(formats.count())] == [
            "a6", "a6-office", "a7", "poker", "tarot", "custom"]
        page.locator("#f-offset_x").fill("15")
        page.locator("#f-offset_x").dispatch_event("change")
        page.locator("#f-bleed").fill("0")
        page.locator("#f-bleed").dispatch_event("change")
        page.get_by_label("Ook afbeeldingen maken (PNG)").uncheck()
        page.wait_for_timeout(600)
        assert page.locator("#err-f-offset_x .err").count() == 0, page.locator("#err-f-offset_x").inner_text()
        button = page.locator("#build-button")
        button.dblclick()
        page.get_by_text("Bezig met bouwen", exact=False).first.wait_for(timeout=WAIT)
        link = page.get_by_role("link", name="Alles in één zipbestand", exact=False)
        link.wait_for(timeout=180_000)
        sheet = " ".join(page.locator(".sheet-count").all_inner_texts())
        assert "2 kaarten" in sheet and "A4" in sheet and "a6-office" in sheet, sheet
        notes = page.locator(".build-notes").inner_text()
        assert "afloop" in notes.lower(), notes
        assert "al gebouwd" not in page.content()
        page.screenshot(path=str(tmp_path / "print-panel.png"), full_page=True)
    context.close()
    assert not errors, errors
