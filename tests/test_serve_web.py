"""The team server as its people and IT use it, through its HTTP routes, on SQLite and PostgreSQL:
signing in (and being locked out), what each role may do on every route in its own team and in
another, single sign-on only from a trusted proxy, the team's decks saved as versions by their
author (history, compare, restore), two makers on one lesson, health checks and the request log."""

from __future__ import annotations

import html
import json
import logging
import re
import warnings
from pathlib import Path

import pytest

from pg import database_url, postgresql_server  # noqa: F401  (fixtures)

warnings.filterwarnings("ignore", message=".*httpx.*", category=DeprecationWarning)

PASSWORD = "een-lang-wachtwoord"
BASE = "http://dialoog.example.nl"
ORIGIN = {"Origin": BASE}
DECK = """\
extends: standaard
id: noord
title: Samen wonen in Noord
region: Regio Noord
"""
# The least role of every route, written out here (not read from the code): a route the server
# offers that is missing from this table fails the test, so no new route is open by mistake.
ROUTES = {
    ("GET", "/"): "lezer", ("GET", "/edit"): "lezer", ("GET", "/check"): "lezer",
    ("GET", "/preview/panel"): "lezer", ("GET", "/preview/card.png"): "lezer",
    ("GET", "/preview/sheet.png"): "lezer", ("GET", "/calibrate.pdf"): "lezer", ("GET", "/results"): "lezer",
    ("GET", "/results/file"): "lezer", ("GET", "/build/status"): "lezer", ("GET", "/download"): "lezer",
    ("GET", "/history"): "lezer", ("GET", "/export.zip"): "lezer", ("POST", "/import"): "maker",
    ("POST", "/preview/options"): "lezer", ("POST", "/team"): "lezer",
    ("POST", "/new"): "maker", ("POST", "/new/table"): "maker", ("POST", "/action/deck"): "maker",
    ("POST", "/action/opening"): "maker", ("POST", "/action/lesson"): "maker", ("POST", "/action/rename"): "maker",
    ("POST", "/action/contacts"): "maker", ("POST", "/action/order"): "maker", ("POST", "/action/logo"): "maker",
    ("POST", "/action/print"): "maker", ("POST", "/action/build"): "maker", ("POST", "/results/new"): "maker",
    ("POST", "/results/save"): "maker", ("POST", "/results/next"): "maker", ("POST", "/history/restore"): "maker",
    ("GET", "/people"): "beheerder", ("POST", "/people/add"): "beheerder", ("POST", "/people/role"): "beheerder",
    ("POST", "/people/remove"): "beheerder", ("GET", "/audit"): "beheerder",
}
PUBLIC = {("GET", "/signin"), ("POST", "/signin"), ("POST", "/language"), ("GET", "/healthz"), ("GET", "/readyz"),
          ("GET", "/favicon.ico"), ("POST", "/signout")}
RANK = {"lezer": 0, "maker": 1, "beheerder": 2}


@pytest.fixture
def server(database_url, tmp_path):  # noqa: F811
    """A team server with team Noord (a manager, a maker and a reader, one deck) and team Zuid
    (a maker, one deck)."""
    from dialoogkit.serve.accounts import create_user, find_team
    from dialoogkit.serve.database import open_database, upgrade_to_head
    from dialoogkit.serve.server import ServeConfig, create_server
    from dialoogkit.serve.store import DatabaseStorage, team_folder

    upgrade_to_head(database_url)
    db = open_database(database_url)
    for email, team, role in (("beheer@noord.nl", "Noord", "beheerder"), ("maker@noord.nl", "Noord", "maker"),
                              ("lezer@noord.nl", "Noord", "lezer"), ("maker@zuid.nl", "Zuid", "maker")):
        create_user(db, email, team, role, PASSWORD)
    data = tmp_path / "data"
    teams = {}
    for name in ("Noord", "Zuid"):
        team = find_team(db, name)
        storage = DatabaseStorage(db, team.id, team_folder(data, team.id))
        storage.replace(storage.root / "noord" / "deck.yaml", DECK.replace("Noord", name).encode(), read=None,
                        author="import")
        teams[name] = team.id
    config = ServeConfig(database_url, data, trusted_proxies=frozenset({"10.9.8.7"}))
    app = create_server(config, db)
    yield Server(app, db, data, teams)
    db.dispose()


class Server:
    def __init__(self, app, db, data: Path, teams: dict[str, str]):
        self.app, self.db, self.data, self.teams = app, db, data, teams

    def client(self, client_address: str = "192.0.2.10"):
        from starlette.testclient import TestClient

        return TestClient(self.app, base_url=BASE, follow_redirects=False, client=(client_address, 40000))

    def signed_in(self, email: str):
        client = self.client()
        response = client.post("/signin", data={"email": email, "password": PASSWORD, "next": "/"}, headers=ORIGIN)
        assert response.status_code == 303, response.text
        return client


def refused_for_role(response) -> bool:
    return response.status_code == 403 and "kun je dit niet doen" in response.text


def test_every_route_of_the_server_is_in_the_role_table(server):
    from dialoogkit.serve.gate import PUBLIC_PATHS, SITE_PATHS

    studio_app, _ = server.app.doors.team_app(server.teams["Noord"])
    offered = set()
    for app in (studio_app, server.app.doors.site):
        for route in app.routes:
            for method in getattr(route, "methods", None) or ():
                if method != "HEAD" and hasattr(route, "path") and not route.path.startswith("/static"):
                    offered.add((method, route.path))
    assert offered - set(ROUTES) - PUBLIC == set()
    assert {path for _, path in PUBLIC} <= PUBLIC_PATHS | {"/signout"}
    assert {path for (_, path), role in ROUTES.items()} & PUBLIC_PATHS == set()
    assert {"/people", "/audit", "/history", "/history/restore", "/team", "/signout"} <= SITE_PATHS


@pytest.mark.parametrize("role", ["lezer", "maker", "beheerder"])
def test_each_role_may_do_exactly_what_the_table_says(server, role):
    email = {"lezer": "lezer@noord.nl", "maker": "maker@noord.nl", "beheerder": "beheer@noord.nl"}[role]
    client = server.signed_in(email)
    for (method, path), needed in ROUTES.items():
        query = {"deck": "noord/deck.yaml", "file": "noord/deck.yaml"}
        if method == "GET":
            response = client.get(path, params=query)
        else:
            response = client.post(path, data={**query, "email": "", "team": ""}, headers=ORIGIN)
        allowed = RANK[role] >= RANK[needed]
        assert refused_for_role(response) is not allowed, (role, method, path, response.status_code)
        assert response.status_code not in (401, 500), (role, method, path, response.text[:300])


def test_nobody_signed_in_is_sent_to_sign_in_and_posts_are_refused(server):
    client = server.client()
    for (method, path) in ROUTES:
        if method == "GET":
            response = client.get(path, params={"deck": "noord/deck.yaml"})
            assert response.status_code == 303 and response.headers["location"].startswith("/signin?next=%2F")
        else:
            assert client.post(path, data={}, headers=ORIGIN).status_code == 401
    assert client.get("/healthz").text == "ok"
    assert client.get("/readyz").status_code == 200
    page = client.get("/signin?next=//evil.example/x")
    assert 'value="/"' in page.text  # the page to go back to stays on this server


def test_another_teams_deck_history_and_kit_are_unreachable(server):
    zuid = server.signed_in("maker@zuid.nl")
    noord_team = server.teams["Noord"]
    # Zuid's own deck of the same name is Zuid's, never Noord's
    page = zuid.get("/edit", params={"deck": "noord/deck.yaml", "view": "deck"})
    assert page.status_code == 200 and "Samen wonen in Zuid" in page.text and "Samen wonen in Noord" not in page.text
    for attempt in (f"../{noord_team}/work/noord/deck.yaml", f"/{noord_team}/work/noord/deck.yaml",
                    f"../../teams/{noord_team}/work/noord/deck.yaml"):
        response = zuid.get("/edit", params={"deck": attempt, "view": "deck"})
        assert "Samen wonen in Noord" not in response.text and response.status_code in (400, 403, 404)
        history = zuid.get("/history", params={"file": attempt})
        assert history.status_code == 404
    assert zuid.post("/team", data={"team": noord_team}, headers=ORIGIN).status_code == 403
    assert zuid.get("/download", params={"deck": "noord/deck.yaml", "file": "cards-office.pdf"}).status_code == 404
    assert re.fullmatch(r"[0-9a-f]{32}", noord_team)  # 128 random bits: not guessed


def test_five_wrong_passwords_lock_the_account_and_many_attempts_slow_a_place_down(server):
    client = server.client()
    for _ in range(4):
        wrong = client.post("/signin", data={"email": "maker@noord.nl", "password": "fout"}, headers=ORIGIN)
        assert wrong.status_code == 401 and "klopt niet" in wrong.text
    locked = client.post("/signin", data={"email": "maker@noord.nl", "password": "fout"}, headers=ORIGIN)
    assert "op slot" in locked.text
    right = client.post("/signin", data={"email": "maker@noord.nl", "password": PASSWORD}, headers=ORIGIN)
    assert right.status_code == 401 and "op slot" in right.text and "dialoogkit_session" not in right.headers.get(
        "set-cookie", "")
    unknown = client.post("/signin", data={"email": "niemand@noord.nl", "password": "fout"}, headers=ORIGIN)
    assert "klopt niet" in unknown.text  # the same words: nobody learns which addresses exist
    other = server.client("192.0.2.99")
    statuses = [other.post("/signin", data={"email": f"x{n}@noord.nl", "password": "fout"}, headers=ORIGIN).status_code
                for n in range(25)]
    assert statuses[:20] == [401] * 20 and set(statuses[20:]) == {429}
    # right passwords never count, and behind the trusted proxy each person's own address counts
    proxy = server.client("10.9.8.7")
    for n in range(25):
        assert proxy.post("/signin", data={"email": "beheer@noord.nl", "password": PASSWORD},
                          headers={**ORIGIN, "X-Forwarded-For": "198.51.100.1"}).status_code == 303
    guesses = [proxy.post("/signin", data={"email": f"y{n}@noord.nl", "password": "fout"},
                          headers={**ORIGIN, "X-Forwarded-For": "198.51.100.66"}).status_code for n in range(21)]
    assert guesses[-1] == 429
    colleague = proxy.post("/signin", data={"email": "beheer@noord.nl", "password": PASSWORD},
                           headers={**ORIGIN, "X-Forwarded-For": "198.51.100.2"})
    assert colleague.status_code == 303  # one guessing place does not lock out the organisation


def test_remote_user_counts_only_from_a_trusted_proxy(server):
    stranger = server.client("192.0.2.50")
    response = stranger.get("/", headers={"Remote-User": "beheer@noord.nl"})
    assert response.status_code == 303 and response.headers["location"].startswith("/signin")
    proxy = server.client("10.9.8.7")
    page = proxy.get("/people", headers={"Remote-User": "beheer@noord.nl"})
    assert page.status_code == 200 and "beheer@noord.nl" in page.text
    assert proxy.get("/", headers={"Remote-User": "onbekend@noord.nl"}).status_code == 303


def test_a_cross_site_post_is_refused_before_anything_happens(server):
    client = server.signed_in("maker@noord.nl")
    response = client.post("/new", data={"title": "Van elders", "parent": "standaard"},
                           headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert client.post("/new", data={"title": "Zonder herkomst", "parent": "standaard"}).status_code == 403
    assert not (server.data / "teams" / server.teams["Noord"] / "work" / "van-elders").exists()


def test_a_save_is_a_version_by_its_author_that_can_be_compared_and_restored(server):
    from dialoogkit.serve.history import list_versions

    maker = server.signed_in("maker@noord.nl")
    noord = server.teams["Noord"]
    folder = server.data / "teams" / noord / "work"
    version = __import__("hashlib").sha256((folder / "noord/deck.yaml").read_bytes()).hexdigest()
    saved = maker.post("/action/deck", data={"deck": "noord/deck.yaml", "version": version, "view": "deck",
                                             "title": "Samen wonen in Noord-Oost"}, headers=ORIGIN)
    assert saved.status_code == 200, saved.text[:400]
    versions = list_versions(server.db, noord, "noord/deck.yaml")
    assert [(v.number, v.author) for v in versions] == [(1, "import"), (2, "maker@noord.nl")]
    compared = maker.get("/history", params={"file": "noord/deck.yaml", "a": 1, "b": 2})
    assert compared.status_code == 200
    assert re.search(r"<code>title</code></td><td>Samen wonen in Noord</td><td>Samen wonen in Noord-Oost", compared.text)
    reader = server.signed_in("lezer@noord.nl")
    assert refused_for_role(reader.post("/history/restore", data={"file": "noord/deck.yaml", "number": 1},
                                        headers=ORIGIN))
    restored = maker.post("/history/restore", data={"file": "noord/deck.yaml", "number": 1}, headers=ORIGIN)
    assert restored.status_code == 303
    versions = list_versions(server.db, noord, "noord/deck.yaml")
    assert [(v.number, v.author, v.current) for v in versions][-1] == (3, "maker@noord.nl", True)
    assert "title: Samen wonen in Noord\n" in (folder / "noord/deck.yaml").read_text(encoding="utf-8")
    manager = server.signed_in("beheer@noord.nl")
    audit = manager.get("/audit").text
    assert "versie teruggezet" in audit and "maker@noord.nl" in audit


def test_two_makers_on_one_deck_the_second_save_gets_the_conflict_and_keeps_nothing_lost(server):
    import hashlib

    first, second = server.signed_in("maker@noord.nl"), server.signed_in("beheer@noord.nl")
    folder = server.data / "teams" / server.teams["Noord"] / "work"
    seen = hashlib.sha256((folder / "noord/deck.yaml").read_bytes()).hexdigest()  # both opened this version
    one = first.post("/action/deck", data={"deck": "noord/deck.yaml", "version": seen, "view": "deck",
                                           "title": "Titel van de eerste"}, headers=ORIGIN)
    two = second.post("/action/deck", data={"deck": "noord/deck.yaml", "version": seen, "view": "deck",
                                            "title": "Titel van de tweede"}, headers=ORIGIN)
    assert one.status_code == 200 and two.status_code == 409
    assert "Titel van de eerste" in (folder / "noord/deck.yaml").read_text(encoding="utf-8")


def test_each_request_is_one_json_line_without_personal_data(server, caplog):
    client = server.signed_in("maker@noord.nl")
    with caplog.at_level(logging.INFO, logger="dialoogkit.serve.requests"):
        client.get("/edit", params={"deck": "noord/deck.yaml", "view": "deck"})
        client.get("/healthz")
    lines = [json.loads(record.getMessage()) for record in caplog.records
             if record.name == "dialoogkit.serve.requests"]
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [("GET", "/edit", 200),
                                                                                ("GET", "/healthz", 200)]
    assert lines[0]["role"] == "maker" and isinstance(lines[0]["ms"], float)
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "@" not in text and "noord/deck.yaml" not in text and "192.0.2" not in text


def test_readyz_says_when_the_database_is_behind(tmp_path):
    from starlette.testclient import TestClient

    from dialoogkit.serve.server import ServeConfig, create_server

    url = f"sqlite:///{tmp_path}/nieuw.sqlite3"
    client = TestClient(create_server(ServeConfig(url, tmp_path / "data")), base_url=BASE)
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503 and "migrations" in ready.text


def test_a_team_takes_its_files_out_and_reads_a_zip_in_byte_identical(server):
    import io
    import zipfile

    maker = server.signed_in("maker@noord.nl")
    exported = maker.get("/export.zip")
    assert exported.status_code == 200 and exported.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(exported.content))
    assert archive.namelist() == ["noord/deck.yaml"] and archive.read("noord/deck.yaml") == DECK.encode()
    assert maker.get("/export.zip").content == exported.content  # the same files, the same bytes
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as upload:
        upload.writestr("zuidoost/deck.yaml", DECK.replace("id: noord", "id: zuidoost"))
        upload.writestr("zuidoost/notes.txt", "not a deck: left out")
    read_in = maker.post("/import", files={"archive": ("sets.zip", buffer.getvalue(), "application/zip")},
                         headers=ORIGIN)
    assert read_in.status_code == 303 and read_in.headers["location"] == "/?imported=1"
    again = zipfile.ZipFile(io.BytesIO(maker.get("/export.zip").content))
    assert again.namelist() == ["noord/deck.yaml", "zuidoost/deck.yaml"]
    zuid = server.signed_in("maker@zuid.nl")
    assert "zuidoost" not in "".join(zipfile.ZipFile(io.BytesIO(zuid.get("/export.zip").content)).namelist())
    for name in ("../uit/deck.yaml", "/etc/deck.yaml", "a\\..\\deck.yaml"):
        bad = io.BytesIO()
        with zipfile.ZipFile(bad, "w") as upload:
            upload.writestr(name, DECK)
        refused = maker.post("/import", files={"archive": ("bad.zip", bad.getvalue(), "application/zip")},
                             headers=ORIGIN)
        assert refused.status_code == 422 and "buiten zijn map" in refused.text, name
    not_zip = maker.post("/import", files={"archive": ("sets.zip", b"PK no zip", "application/zip")}, headers=ORIGIN)
    assert not_zip.status_code == 422 and "geen zipbestand" in not_zip.text
    reader = server.signed_in("lezer@noord.nl")
    assert refused_for_role(reader.post("/import", files={"archive": ("sets.zip", buffer.getvalue())},
                                        headers=ORIGIN))


@pytest.mark.parametrize("names, words", [
    (("a.yaml", "a.yaml/b.yaml"), "tegelijk een bestand en een map"),
    (("a.yaml/b.yaml", "a.yaml"), "tegelijk een bestand en een map"),
    (("noord/deck.yaml/x.yaml",), "tegelijk een bestand en een map"),  # the team has noord/deck.yaml
    (("goed/deck.yaml", "x" * 300 + ".yaml"), "te lang"),
    (("goed/deck.yaml", "/".join(["d" * 200] * 25) + "/x.yaml"), "te lang"),
])
def test_a_zip_whose_names_no_folder_can_hold_is_refused_and_nothing_is_read_in(server, names, words):
    import io
    import zipfile

    maker = server.signed_in("maker@noord.nl")
    before = maker.get("/export.zip").content
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as upload:
        for name in names:
            upload.writestr(name, DECK)
    refused = maker.post("/import", files={"archive": ("sets.zip", buffer.getvalue(), "application/zip")},
                         headers=ORIGIN)
    assert refused.status_code == 422 and words in refused.text, refused.text[:500]
    assert names[-1][:60] in html.unescape(refused.text) and str(server.data) not in refused.text
    assert maker.get("/export.zip").content == before


def test_another_site_s_cookie_never_hides_the_session(server):
    """Cookies are shared by every site on the host name: one that Python's strict parser cannot
    read (a JSON value, a space) must not make the session invisible (a sign-in loop)."""
    session = server.signed_in("maker@noord.nl").cookies.get("dialoogkit_session")
    for header in (f'consent={{"ads":false}}; dialoogkit_session={session}',
                   f"dialoogkit_session={session}; note=hello world"):
        response = server.client().get("/", headers={"Cookie": header})
        assert response.status_code == 200, (header, response.status_code, response.headers.get("location"))


def test_only_a_trusted_proxy_may_say_the_browser_came_over_https(server):
    """A client's own ``X-Forwarded-Proto`` is dropped: its https:// origin is another site's."""
    https = {"Origin": BASE.replace("http://", "https://"), "X-Forwarded-Proto": "https"}
    stranger = server.client("192.0.2.50")
    assert stranger.post("/language", data={"language": "en"}, headers=https).status_code == 403
    assert server.client("10.9.8.7").post("/language", data={"language": "en"}, headers=https).status_code == 303


def test_two_origins_are_nobody_s(server):
    maker = server.signed_in("maker@noord.nl")
    for origins in (("https://evil.example", BASE), (BASE, "https://evil.example")):
        response = maker.post("/new", data={"title": "Van elders", "parent": "standaard"},
                              headers=[("Origin", origins[0]), ("Origin", origins[1])])
        assert response.status_code == 403, origins
    assert not (server.data / "teams" / server.teams["Noord"] / "work" / "van-elders").exists()
