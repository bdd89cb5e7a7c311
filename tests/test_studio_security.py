"""The studio refuses what does not come from the user's own browser for this studio: no token or
session cookie, a wrong Host (DNS rebinding), a cross-site POST, a body over its limit, a path
that leaves the workspace, an upload that is not an image; and ``--help`` never loads the web
stack."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from studio_support import PORT, TOKEN, make_workspace, signed_in

pytestmark = pytest.mark.filterwarnings("ignore:.*httpx.*")


@pytest.fixture()
def studio(tmp_path):
    return signed_in(make_workspace(tmp_path))


def anonymous(studio):
    from starlette.testclient import TestClient

    return TestClient(studio.client.app, base_url=f"http://127.0.0.1:{PORT}")


@pytest.mark.parametrize("path", ["/", "/edit?deck=noord/deck.yaml", "/static/htmx.min.js", "/static/studio.css",
                                  "/preview/card.png?deck=noord/deck.yaml&card=0&side=front", "/download?deck=x&file=y"])
def test_every_request_without_the_session_is_refused(studio, path):
    response = anonymous(studio).get(path)
    assert response.status_code == 403
    assert "token" in response.text


def test_a_post_without_the_session_is_refused_and_changes_nothing(studio):
    before = studio.text()
    response = anonymous(studio).post("/action/deck", data={"deck": "noord/deck.yaml", "version": studio.version(),
                                                             "title": "Overgenomen"},
                                      headers={"Origin": studio.origin})
    assert response.status_code == 403
    assert studio.text() == before


def test_the_token_is_exchanged_for_a_strict_http_only_cookie(studio):
    client = anonymous(studio)
    response = client.get(f"/edit?deck=noord/deck.yaml&token={TOKEN}")
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and TOKEN not in cookie
    assert 'url=/edit?deck=noord%2Fdeck.yaml"' in response.text  # onwards, without the token
    assert client.get("/edit?deck=noord/deck.yaml").status_code == 200


def test_a_wrong_token_is_refused(studio):
    assert anonymous(studio).get("/?token=wrong-token-0123456789").status_code == 403


@pytest.mark.parametrize("host", ["evil.example", f"evil.example:{PORT}", "127.0.0.1:1", f"10.0.0.1:{PORT}", ""])
def test_a_wrong_host_header_is_refused_even_with_the_cookie(studio, host):
    response = studio.client.get("/", headers={"Host": host})
    assert response.status_code == 403


@pytest.mark.parametrize("host", [f"127.0.0.1:{PORT}", f"localhost:{PORT}"])
def test_the_loopback_names_are_allowed(studio, host):
    assert studio.client.get("/", headers={"Host": host}).status_code == 200


def test_a_cross_site_post_is_refused(studio):
    before = studio.text()
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"},
                    {"Origin": f"http://127.0.0.1:{PORT + 1}"}):
        response = studio.post("/action/deck", {"title": "Overgenomen"}, **headers)
        assert response.status_code == 403
    response = studio.client.post("/action/deck", data={"deck": "noord/deck.yaml", "title": "Overgenomen",
                                                        "version": studio.version()},
                                  headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert studio.text() == before


def test_a_body_over_its_limit_is_refused(studio):
    big = b"x" * (600 * 1024)
    response = studio.client.post("/action/deck", content=big, headers={
        "Origin": studio.origin, "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    logo = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * (11 * 1024 * 1024))
    response = studio.post("/action/logo", {"view": "deck"}, files={"logo": ("logo.png", logo, "image/png")})
    assert response.status_code == 413
    table = io.BytesIO(b"a;b\n" * (1400 * 1024))
    response = studio.client.post("/new/table", files={"table": ("t.csv", table, "text/csv")},
                                  headers={"Origin": studio.origin})
    assert response.status_code == 413
    assert not any(p.name.startswith("logo") for p in (studio.folder / "noord").iterdir())


def test_a_body_without_length_is_cut_off_at_its_limit(studio):
    def chunks():
        for _ in range(80):
            yield b"title=" + b"x" * 8192

    response = studio.client.post("/action/deck", content=chunks(), headers={
        "Origin": studio.origin, "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413


@pytest.mark.parametrize("deck", ["../outside.yaml", "/etc/passwd", "noord/../../outside.yaml", "~/deck.yaml",
                                  ".hidden/deck.yaml", "noord/deck.txt", "link/deck.yaml", "linked.yaml", "missing.yaml"])
def test_no_path_outside_the_workspace_is_read_or_written(studio, tmp_path, deck):
    outside = tmp_path / "outside.yaml"
    outside.write_text("extends: standaard\nid: buiten\ntitle: Buiten\n", encoding="utf-8")
    (studio.folder / "link").symlink_to(tmp_path, target_is_directory=True)
    (studio.folder / "linked.yaml").symlink_to(outside)
    before = outside.read_text()
    assert studio.client.get("/edit", params={"deck": deck}).status_code == 404
    response = studio.client.post("/action/deck", data={"deck": deck, "version": "x", "title": "Veranderd"},
                                  headers={"Origin": studio.origin})
    assert response.status_code == 404
    assert outside.read_text() == before


def test_the_start_page_does_not_list_decks_outside_the_workspace(studio, tmp_path):
    outside = tmp_path / "elders"
    outside.mkdir()
    (outside / "geheim.yaml").write_text("extends: standaard\nid: geheim\ntitle: Geheim\n", encoding="utf-8")
    (studio.folder / "verwijzing.yaml").symlink_to(outside / "geheim.yaml")
    page = studio.client.get("/").text
    assert "Samen wonen in Noord" in page and "Geheim" not in page


def test_a_logo_that_is_not_an_image_is_refused_at_its_field(studio):
    before = studio.text()
    fake = io.BytesIO(b"GIF89a not really")
    response = studio.post("/action/logo", {"view": "deck"}, files={"logo": ("logo.png", fake, "image/png")})
    assert response.status_code == 422
    assert 'id="err-f-logo"' in response.text and "PNG" in response.text
    lying = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * 200)
    response = studio.post("/action/logo", {"view": "deck"}, files={"logo": ("logo.png", lying, "image/png")})
    assert response.status_code == 422
    assert studio.text() == before
    assert sorted(p.name for p in (studio.folder / "noord").iterdir()) == ["deck.yaml"]


def test_responses_forbid_framing_and_foreign_scripts(studio):
    headers = studio.client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY" and headers["referrer-policy"] == "same-origin"


def test_help_does_not_load_the_web_stack():
    code = ("import sys; from click.testing import CliRunner; from dialoogkit.cli import main; "
            "r = CliRunner().invoke(main, ['--help']); assert 'studio' in r.output, r.output; "
            "print(sorted(m for m in ('starlette', 'uvicorn', 'jinja2', 'ruamel', 'multipart') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_host_without_token_prints_a_generated_one(tmp_path):
    env = {**os.environ, "DIALOOGKIT_LANG": "en"}
    process = subprocess.Popen([sys.executable, "-m", "dialoogkit", "studio", str(tmp_path), "--host", "0.0.0.0",
                                "--port", "0", "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env)
    try:
        lines = [process.stdout.readline() for _ in range(3)]
    finally:
        process.terminate()
        process.wait(timeout=15)
    assert "--token" in lines[0]
    token = lines[0].rsplit("--token", 1)[1].strip()
    assert len(token) >= 16 and any(token in line for line in lines[1:])


def test_a_short_token_is_refused(tmp_path):
    result = subprocess.run([sys.executable, "-m", "dialoogkit", "studio", str(tmp_path), "--token", "abc",
                             "--no-browser"], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "DIALOOGKIT_LANG": "en"})
    assert result.returncode == 2 and "token" in result.stderr


@pytest.mark.parametrize("foreign", ['prefs={"theme":"dark"}', "note=hello world", "a=b;;c"])
def test_another_site_s_cookie_never_hides_the_session(studio, foreign):
    """Browsers share cookies between the ports of 127.0.0.1: one that Python's strict parser
    cannot read must not hide the studio's own, before or after it."""
    session = studio.client.cookies.get(f"dialoogkit_studio_{PORT}")
    for header in (f"{foreign}; dialoogkit_studio_{PORT}={session}", f"dialoogkit_studio_{PORT}={session}; {foreign}"):
        assert anonymous(studio).get("/", headers={"Cookie": header}).status_code == 200, header


def test_a_session_cookie_of_other_characters_is_refused_not_an_error(studio):
    response = anonymous(studio).get("/", headers={"Cookie": f'dialoogkit_studio_{PORT}="\\351"'})
    assert response.status_code == 403


def test_two_origins_are_nobody_s(studio):
    """A browser sends one Origin: with another site's first and ours after it, the POST is refused
    (before, the last one counted), in either order."""
    before = studio.text()
    for origins in (("http://evil.example", studio.origin), (studio.origin, "http://evil.example")):
        response = studio.client.post("/action/deck", data={"deck": "noord/deck.yaml", "version": studio.version(),
                                                            "title": "Overgenomen", "view": "deck"},
                                      headers=[("Origin", origins[0]), ("Origin", origins[1])])
        assert response.status_code == 403, origins
    assert studio.text() == before
