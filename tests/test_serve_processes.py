"""The team server as IT runs it: two ``dialoogkit serve`` processes against one PostgreSQL behind a
reverse proxy serve one organisation consistently; a coordinator builds a kit through the build
queue in Chromium; builds queued when the whole server is killed are finished after a restart."""

from __future__ import annotations

import hashlib
import io
import re
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from pg import postgresql_server  # noqa: F401  (fixture)
from serve_support import (
    PASSWORD, RoundRobinProxy, admin, free_port, kill_group, serve_process, sign_in,
)

pytestmark = pytest.mark.filterwarnings("ignore:.*httpx.*")
DECK = "extends: standaard\nid: {id}\ntitle: {title}\nregion: Regio Noord\n"


def organisation(postgresql_server, tmp_path: Path, decks: int = 1) -> tuple[str, Path]:  # noqa: F811
    """A PostgreSQL database with team Noord (a manager and a maker) and its decks, imported by IT
    from a folder, as the README says."""
    url = postgresql_server.url(postgresql_server.create_database())
    data = tmp_path / "data"
    admin(url, data, "create-user", "beheer@noord.nl", "--team", "Noord", "--role", "beheerder", "--password-stdin",
          password=PASSWORD)
    admin(url, data, "create-user", "maker@noord.nl", "--team", "Noord", "--role", "maker", "--password-stdin",
          password=PASSWORD)
    folder = tmp_path / "import"
    for number in range(1, decks + 1):
        (folder / f"deck{number}").mkdir(parents=True)
        (folder / f"deck{number}" / "deck.yaml").write_text(
            DECK.format(id=f"noord-{number}", title=f"Samen wonen in Noord {number}"), encoding="utf-8")
    admin(url, data, "import", "Noord", str(folder))
    return url, data


def version_of(client, deck: str) -> str:
    page = client.get("/edit", params={"deck": deck, "view": "deck"})
    assert page.status_code == 200, page.text[:300]
    found = re.search(r'name="version" value="([0-9a-f]{64})"', page.text)
    assert found, "the editor names the version it shows"
    return found.group(1)


def test_two_processes_behind_a_proxy_serve_one_organisation(postgresql_server, tmp_path):  # noqa: F811
    url, data = organisation(postgresql_server, tmp_path)
    ports = [free_port(), free_port()]
    with serve_process(url, data, ports[0]), serve_process(url, data, ports[1]), RoundRobinProxy(ports) as proxy:
        base = f"http://127.0.0.1:{proxy.port}"
        maker, manager = sign_in(base, "maker@noord.nl"), sign_in(base, "beheer@noord.nl")
        seen = version_of(maker, "deck1/deck.yaml")
        assert version_of(manager, "deck1/deck.yaml") == seen  # the other process shows the same version
        saved = maker.post("/action/deck", data={"deck": "deck1/deck.yaml", "version": seen, "view": "deck",
                                                 "title": "Titel van de maker"})
        assert saved.status_code == 200, saved.text[:300]
        late = manager.post("/action/deck", data={"deck": "deck1/deck.yaml", "version": seen, "view": "deck",
                                                  "title": "Titel van de beheerder"})
        assert late.status_code == 409  # whichever process took it, the second save is the conflict
        for _ in range(4):  # every process now shows the maker's title
            page = manager.get("/edit", params={"deck": "deck1/deck.yaml", "view": "deck"})
            assert "Titel van de maker" in page.text and "Titel van de beheerder" not in page.text
        assert set(proxy.served) == set(ports)  # both processes answered
        history = manager.get("/history", params={"file": "deck1/deck.yaml"}).text
        assert "maker@noord.nl" in history and history.count("<tr>") == 3  # header, import, the maker's save


def test_a_coordinator_builds_a_kit_through_the_queue(browser, postgresql_server, tmp_path):  # noqa: F811
    url, data = organisation(postgresql_server, tmp_path)
    port = free_port()
    with serve_process(url, data, port, "--build-processes", "1"):
        base = f"http://127.0.0.1:{port}"
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="nl-NL", accept_downloads=True)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{base}/edit?deck=deck1/deck.yaml&view=print")
        assert page.url.startswith(f"{base}/signin")
        page.get_by_label("E-mailadres").fill("maker@noord.nl")
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Aanmelden").click()
        page.wait_for_url(lambda address: "/edit?deck=deck1" in address and "view=print" in address)
        assert "maker@noord.nl" in page.locator("nav.account").inner_text()
        page.get_by_label("Ook afbeeldingen maken (PNG)").uncheck()
        page.wait_for_timeout(400)
        page.locator("#build-button").dblclick()
        link = page.get_by_role("link", name="Kaarten om thuis of op kantoor te printen", exact=False).first
        link.wait_for(timeout=240_000)
        fetched = page.request.get(base + link.get_attribute("href"))  # with the browser's session
        assert fetched.status == 200 and "attachment" in fetched.headers["content-disposition"]
        pdf = PdfReader(io.BytesIO(fetched.body()))
        assert len(pdf.pages) >= 2
        assert "dialoogkit-data" not in page.content() and str(data) not in page.content()  # no server folder shown
        page.screenshot(path=str(tmp_path / "serve-built.png"), full_page=True)
        context.close()
        assert not errors, errors
    from dialoogkit.serve.database import open_database

    db = open_database(url)
    from sqlalchemy import text

    with db.session() as session:
        jobs = session.execute(text("select state, author from build_jobs")).all()
    db.dispose()
    assert jobs == [("done", "maker@noord.nl")]  # a double click is one build


def test_builds_queued_when_the_server_is_killed_are_finished_after_a_restart(postgresql_server, tmp_path):  # noqa: F811
    url, data = organisation(postgresql_server, tmp_path, decks=3)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with serve_process(url, data, port, "--build-processes", "1") as process:
        maker = sign_in(base, "maker@noord.nl")
        for number in (1, 2, 3):
            deck = f"deck{number}/deck.yaml"
            started = maker.post("/action/build", data={"deck": deck, "version": version_of(maker, deck),
                                                         "view": "print", "tab": "card", "card_format": "a6",
                                                         "png": "0"})
            assert started.status_code == 200, started.text[:300]
        kill_group(process)  # a power cut: the server and its build worker die at once
    from dialoogkit.serve.database import open_database
    from sqlalchemy import text

    db = open_database(url)
    with db.session() as session:
        states = sorted(state for (state,) in session.execute(text("select state from build_jobs")).all())
    assert len(states) == 3 and states.count("done") < 3, states  # work was left when the power went
    with serve_process(url, data, port, "--build-processes", "1"):
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            with db.session() as session:
                states = [state for (state,) in session.execute(text("select state from build_jobs")).all()]
            if states.count("done") == 3:
                break
            assert "failed" not in states, states
            time.sleep(1)
        maker = sign_in(base, "maker@noord.nl")
        for number in (1, 2, 3):
            status = maker.get("/build/status", params={"deck": f"deck{number}/deck.yaml"})
            assert status.status_code == 200 and "cards-sheets.pdf" in status.text, status.text[:400]
    db.dispose()
    assert states.count("done") == 3, states
    kits = sorted(p.name for p in data.rglob("cards-sheets.pdf"))
    assert len(kits) == 3
    assert len({hashlib.sha256(p.read_bytes()).hexdigest() for p in data.rglob("cards-sheets.pdf")}) == 3
