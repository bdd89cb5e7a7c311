"""The studio resolves nothing outside its workspace: an ``extends`` chain may climb between the
workspace's folders, but neither it nor any other path field (``logo``, ``companion``, a results
file's ``deck`` and ``sender.logo``) may leave, whether written absolute, with ``../``, through a
link, to a named pipe or to ``/proc``: every page and action names the path and shows nothing of
the target; a results file whose ``deck:`` is not the page's deck is refused; the
token exchange only sends the browser to a path on the studio; a POST with neither ``Origin`` nor
``Sec-Fetch-Site`` is refused."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

import pytest

from studio_support import PORT, TOKEN, signed_in
from test_studio_results import form_of

pytestmark = pytest.mark.filterwarnings("ignore:.*httpx.*")
FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "GEHEIM-REGEL-42"


@pytest.fixture()
def studio(tmp_path):
    """A workspace with a regional deck at its top and a local deck below it that extends it
    with ``../``; a folder beside the workspace holds a secret companion and deck."""
    outside = tmp_path / "outside"
    outside.mkdir()
    companion = (FIXTURES / "companion" / "english.yaml").read_text(encoding="utf-8")
    (outside / "comp.yaml").write_text(companion.replace("Mixed housing, bilingual", SECRET), encoding="utf-8")
    (outside / "deck.yaml").write_text(f"extends: standaard\nid: geheim\ntitle: {SECRET}\n", encoding="utf-8")
    folder = tmp_path / "werkmap"
    (folder / "noord").mkdir(parents=True)
    main = (FIXTURES / "companion" / "main.yaml").read_text(encoding="utf-8")
    (folder / "regio.yaml").write_text(main.replace("companion: english.yaml\n", ""), encoding="utf-8")
    (folder / "noord" / "deck.yaml").write_text("extends: ../regio.yaml\nid: noord\ntitle: Noord\n", encoding="utf-8")
    return signed_in(folder)


def _write(studio, relative: str, text: str) -> None:
    (studio.folder / relative).write_text(text, encoding="utf-8")


def test_a_chain_may_climb_inside_the_workspace(studio):
    page = studio.client.get("/edit", params={"deck": "noord/deck.yaml", "view": "deck"})
    assert page.status_code == 200
    assert "Noord" in page.text and "leidt naar buiten" not in page.text


@pytest.mark.parametrize("holder, field, value", [
    ("noord/deck.yaml", "companion", "../../outside/comp.yaml"),
    ("regio.yaml", "companion", "../outside/comp.yaml"),
    ("noord/deck.yaml", "logo", "../../outside/logo.png"),
    ("regio.yaml", "logo", "../outside/logo.png"),
    ("noord/deck.yaml", "extends", "../../outside/deck.yaml"),
    ("regio.yaml", "extends", "../outside/deck.yaml"),
])
def test_no_field_of_a_climbing_chain_leaves_the_workspace(studio, holder, field, value):
    (studio.folder.parent / "outside" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + SECRET.encode())
    text = (studio.folder / holder).read_text(encoding="utf-8")
    if field == "extends":
        text = "\n".join(f"extends: {value}" if line.startswith("extends:") else line for line in text.splitlines())
    else:
        text += f"\n{field}: {value}\n"
    _write(studio, holder, text)
    for path, params in (("/edit", {"deck": "noord/deck.yaml", "view": "deck"}),
                         ("/check", {"deck": "noord/deck.yaml"}),
                         ("/results", {"deck": "noord/deck.yaml"})):
        response = studio.client.get(path, params=params)
        assert SECRET not in response.text, path
    page = studio.client.get("/edit", params={"deck": "noord/deck.yaml", "view": "deck"}).text
    assert value in page and "buiten de werkmap" in page
    built = studio.client.post("/action/build", data={"deck": "noord/deck.yaml", "view": "print", "tab": "card",
                                                      "version": studio.version("noord/deck.yaml")},
                               headers={"Origin": studio.origin})
    assert built.status_code == 422 and SECRET not in built.text
    assert not (studio.folder / "output").exists() or not any((studio.folder / "output").rglob("*.pdf"))


@pytest.mark.parametrize("value", ["/etc/passwd", "../../outside/deck.yaml", "../regio.yaml", "standaard",
                                   "/proc/self/environ"])
def test_a_results_file_must_name_the_deck_of_its_page(studio, value):
    _write(studio, "noord/noord-resultaten.yaml", f"deck: {value}\n")
    page = studio.client.get("/results", params={"deck": "noord/deck.yaml"})
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.text)).split())
    assert SECRET not in text and "root:x:" not in text and "PATH=" not in text
    assert value in text and "veld 'deck'" in text
    if value in ("../regio.yaml", "standaard"):  # another deck that may be opened: the fix names this one
        assert "noemt een ander deck" in text and "schrijf deck: deck.yaml" in text
    # the report is not made from it
    response = studio.client.post("/results/save", data={"deck": "noord/deck.yaml", "make": "1"},
                                  headers={"Origin": studio.origin})
    assert SECRET not in response.text and "root:x:" not in response.text
    assert not (studio.folder / "output").exists()


def test_the_page_accepts_a_results_file_naming_its_own_deck(studio):
    _write(studio, "noord/noord-resultaten.yaml", "deck: deck.yaml\n")
    page = studio.client.get("/results", params={"deck": "noord/deck.yaml"})
    assert page.status_code == 200 and "noemt een ander deck" not in page.text


@pytest.mark.parametrize("path", ["/%5Cevil.example", "/%5C%5Cevil.example", "//evil.example", "/%2F%2Fevil.example",
                                  "/\\evil.example", "/%09/evil.example"])
def test_the_token_exchange_only_sends_the_browser_to_the_studio(studio, path):
    from starlette.testclient import TestClient

    client = TestClient(studio.client.app, base_url=f"http://127.0.0.1:{PORT}")
    response = client.get(f"{path}?token={TOKEN}", follow_redirects=False)
    assert response.status_code == 200
    target = html.unescape(response.text.split("url=", 1)[1].split('"', 1)[0])
    # a browser reads a backslash as a slash and drops tabs and newlines before resolving
    as_browser = target.replace("\\", "/").replace("\t", "").replace("\n", "")
    assert as_browser.startswith("/") and not as_browser.startswith("//")
    assert urlsplit(urljoin(f"http://127.0.0.1:{PORT}/", as_browser)).netloc == f"127.0.0.1:{PORT}"


def test_a_post_with_neither_origin_nor_fetch_site_is_refused(studio):
    before = studio.text("noord/deck.yaml")
    response = studio.client.post("/action/deck", data={"deck": "noord/deck.yaml", "title": "Overgenomen",
                                                        "version": studio.version("noord/deck.yaml")})
    assert response.status_code == 403
    assert studio.text("noord/deck.yaml") == before
    response = studio.client.post("/action/deck", data={"deck": "noord/deck.yaml", "title": "Eigen",
                                                        "version": studio.version("noord/deck.yaml"), "view": "deck"},
                                  headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 200


# ---------------------------------------------------------------- every path field × every hostile kind


def _hostile_in_workspace(studio, suffix: str) -> dict[str, str]:
    """Each kind of path the studio must refuse in any field, as written in ``noord/``: links and a
    pipe are made there, the secret files beside the workspace."""
    outside = studio.folder.parent / "outside"
    (outside / f"secret{suffix}").write_bytes((b"\x89PNG\r\n\x1a\n" if suffix == ".png" else b"# ") + SECRET.encode())
    noord = studio.folder / "noord"
    os.symlink(outside / f"secret{suffix}", noord / f"link{suffix}")
    os.symlink("/proc/self/environ", noord / f"environ{suffix}")
    os.mkfifo(noord / f"pipe{suffix}")
    return {"absolute": str(outside / f"secret{suffix}"), "etc": "/etc/passwd", "proc": "/proc/self/environ",
            "parent": f"../../outside/secret{suffix}", "link out": f"link{suffix}",
            "link to proc": f"environ{suffix}", "fifo": f"pipe{suffix}"}


def _page_text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def _assert_nothing_leaked(text: str) -> None:
    assert SECRET not in text and "root:x:" not in text and "PATH=" not in text


DECK_FIELDS = {"extends": ".yaml", "logo": ".png", "companion": ".yaml"}
HOSTILE_KINDS = ["absolute", "etc", "proc", "parent", "link out", "link to proc", "fifo"]


@pytest.mark.parametrize("kind", HOSTILE_KINDS)
@pytest.mark.parametrize("field", sorted(DECK_FIELDS))
def test_every_deck_path_field_refuses_every_hostile_kind_on_every_page(studio, field, kind):
    value = _hostile_in_workspace(studio, DECK_FIELDS[field])[kind]
    text = studio.text("noord/deck.yaml")
    if field == "extends":
        text = text.replace("extends: ../regio.yaml", f"extends: {value}")
    else:
        text += f"{field}: {value}\n"
    _write(studio, "noord/deck.yaml", text)
    version = studio.version("noord/deck.yaml")
    for path, extra in (("/edit", {}), ("/check", {"version": version}), ("/results", {}),
                        ("/preview/panel", {"tab": "card"}), ("/preview/card.png", {"card": "1", "side": "front"}),
                        ("/build/status", {})):
        response = studio.client.get(path, params={"deck": "noord/deck.yaml", "view": "deck", **extra})
        assert response.status_code < 500, (path, response.status_code)
        if not response.headers.get("content-type", "").startswith("image/"):
            _assert_nothing_leaked(_page_text(response))
    page = _page_text(studio.client.get("/edit", params={"deck": "noord/deck.yaml", "view": "deck"}))
    assert value[:40] in page and f"veld '{field}'" in page, page[:2000]
    built = studio.client.post("/action/build", data={"deck": "noord/deck.yaml", "view": "print", "tab": "card",
                                                      "version": studio.version("noord/deck.yaml")},
                               headers={"Origin": studio.origin})
    assert built.status_code == 422
    _assert_nothing_leaked(_page_text(built))
    assert not (studio.folder / "output").exists() or not any((studio.folder / "output").rglob("*.pdf"))


RESULTS_FIELDS = {"deck": ".yaml", "sender.logo": ".png"}


@pytest.mark.parametrize("kind", HOSTILE_KINDS)
@pytest.mark.parametrize("field", sorted(RESULTS_FIELDS))
def test_every_results_path_field_refuses_every_hostile_kind(studio, field, kind):
    value = _hostile_in_workspace(studio, RESULTS_FIELDS[field])[kind]
    results = ("deck: deck.yaml\nsender:\n  name: Coördinator\n  role: buurtcoördinator\n"
               f"  logo: {value}\n") if field == "sender.logo" else f"deck: {value}\n"
    _write(studio, "noord/noord-resultaten.yaml", results)
    page = studio.client.get("/results", params={"deck": "noord/deck.yaml"})
    text = _page_text(page)
    _assert_nothing_leaked(text)
    assert value[:40] in text and f"veld '{field}'" in text, text[:2000]
    # pressing the report button (the page's own fields) makes no report and shows nothing of the target
    made = studio.client.post("/results/save", data={**form_of(page.text), "op": "report"},
                              headers={"Origin": studio.origin})
    _assert_nothing_leaked(_page_text(made))
    assert made.status_code == 422 and value[:40] in _page_text(made)
    assert not (studio.folder / "output").exists() or not any((studio.folder / "output").rglob("*.pdf"))


def test_the_studio_cases_cover_every_path_typed_field_of_the_models():
    from test_path_gate import MODELS, path_fields

    fields = {".".join(where) for model in MODELS for where in path_fields(model)}
    assert fields == set(DECK_FIELDS) | set(RESULTS_FIELDS), "a path-typed field without studio cases"


# ---------------------------------------------------------------- the print form's printing condition


def _profile() -> bytes:
    import dialoogkit

    return (Path(dialoogkit.__file__).parent / "data" / "icc" / "FOGRA39-300.icc").read_bytes()


def _build(studio, output_intent: str):
    return studio.client.post("/action/build", data={"deck": "noord/deck.yaml", "view": "print", "tab": "card",
                                                     "version": studio.version("noord/deck.yaml"),
                                                     "output_intent": output_intent, "png": ""},
                              headers={"Origin": studio.origin})


@pytest.mark.parametrize("kind", ["absolute", "etc", "proc", "parent", "link out", "fifo"])
def test_a_print_shop_profile_is_read_only_from_the_workspace(studio, kind):
    """The printing condition is a name from the list or a profile inside the workspace: a POST
    naming any other file is refused before the build starts, and nothing of the file is read."""
    import tempfile

    outside = Path(tempfile.mkdtemp(dir="/tmp"))  # a short path: the form keeps 40 characters
    (outside / "s.icc").write_bytes(_profile())
    (studio.folder.parent / "outside" / "s.icc").write_bytes(_profile())
    os.symlink(outside / "s.icc", studio.folder / "link.icc")
    os.mkfifo(studio.folder / "pipe.icc")
    value = {"absolute": str(outside / "s.icc"), "etc": "/etc/shadow", "proc": "/proc/self/environ", "parent": "../outside/s.icc", "link out": "link.icc",
             "fifo": "pipe.icc"}[kind]
    response = _build(studio, value)
    text = _page_text(response)
    assert response.status_code == 422, text[:1000]
    assert value in text and "--output-intent" in text
    if kind != "fifo":
        assert "alleen uit de werkmap" in text
    assert "geen ICC" not in text and "what." not in text and "bestaat niet" not in text
    assert studio.client.get("/build/status", params={"deck": "noord/deck.yaml"}).status_code == 404  # none started


def test_a_print_shop_profile_in_the_workspace_is_embedded(studio):
    import pikepdf

    (studio.folder / "drukkerij.icc").write_bytes(_profile())
    response = _build(studio, "drukkerij.icc")
    assert response.status_code == 200, _page_text(response)[:1000]
    build = studio.client.app.app.state.studio.builds.get("noord/deck.yaml")
    for _ in range(600):
        if build.finished:
            break
        __import__("time").sleep(0.1)
    assert build.finished and build.error is None, build.error
    with pikepdf.open(build.kit / "cards-printshop.pdf") as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert intent.DestOutputProfile.read_bytes() == _profile()



@pytest.mark.parametrize("holder", ["deck", "companion"])
def test_the_after_session_page_never_saves_over_the_deck_or_its_companion(studio, holder):
    """A deck whose own file (or companion) has the name its results file would get."""
    if holder == "deck":
        _write(studio, "noord/zz-resultaten.yaml", "extends: ../regio.yaml\nid: zz\ntitle: ZZ\n")
        rel = "noord/zz-resultaten.yaml"
    else:
        english = (FIXTURES / "companion" / "english.yaml").read_text(encoding="utf-8")
        _write(studio, "noord/noord-resultaten.yaml", english.replace("extends: standaard", "extends: ../regio.yaml"))
        _write(studio, "noord/deck.yaml", studio.text() + "companion: noord-resultaten.yaml\n")
        assert "veld 'companion'" not in _page_text(studio.client.get("/edit", params={"deck": "noord/deck.yaml"}))
        rel = "noord/deck.yaml"
    file = studio.folder / PurePosixPath(rel).parent / ("zz-resultaten.yaml" if holder == "deck" else "noord-resultaten.yaml")
    before = file.read_bytes()
    page = studio.client.get("/results", params={"deck": rel})
    assert page.status_code == 409 and "andere id" in _page_text(page), _page_text(page)[:1500]
    version = __import__("hashlib").sha256(before).hexdigest()
    saved = studio.client.post("/results/save", data={"deck": rel, "version": version, "date": "2025-03-14"},
                               headers={"Origin": studio.origin})
    assert saved.status_code == 409
    made = studio.client.post("/results/new", data={"deck": rel}, headers={"Origin": studio.origin})
    assert made.status_code >= 400
    assert file.read_bytes() == before and not file.with_name(file.name + ".bak").exists()
