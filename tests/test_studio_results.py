"""The studio's "Na de sessie" page: it makes the results file from the template, fills it from a
form a person can use (votes, what was recognised, agreements, points for a higher level), saves
it round-trip (the template's comments stay, a backup is kept), checks it as ``dialoogkit report``
does (errors and privacy warnings at their fields, what was typed kept), and offers the report's
files for download; the studio's gate applies to it as to every page."""

from __future__ import annotations

import html
import io
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from studio_support import TOKEN, signed_in

from dialoogkit.cards.bundled import decks_folder
from dialoogkit.cards.results.load import load_results_text

pytestmark = pytest.mark.filterwarnings("ignore:.*httpx.*")
DECK = "standaard/standaard.yaml"
RESULTS = "standaard/standaard-resultaten.yaml"
FIXTURE = Path(__file__).parent / "fixtures" / "results" / "standaard-resultaten.yaml"
LESSON = "actieve-bewoners"  # the standard deck's second lesson


class FormReader(HTMLParser):
    """The fields of ``#results-form`` as a browser posts them (without a button's op)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.inside = False
        self.select: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == "results-form"
        if not self.inside or "name" not in a and tag != "option":
            return
        if tag == "input" and a.get("type") == "checkbox":
            if "checked" in a:
                self.fields.append((a["name"], a.get("value", "on")))
        elif tag == "input":
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))
        elif tag == "textarea":
            self.textarea, self.text = a["name"], ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, self.text))
            self.textarea = None


def form_of(page: str) -> dict[str, str | list[str]]:
    reader = FormReader()
    reader.feed(page)
    form: dict[str, str | list[str]] = {}
    for name, value in reader.fields:
        if name == "partners":
            form.setdefault("partners", []).append(value)  # type: ignore[union-attr]
        else:
            form[name] = value
    form.setdefault("partners", [])
    return form


@pytest.fixture(scope="module", autouse=True)
def name_finder():
    """The name finder loaded before the page is used (the studio loads it at start, in the
    background; while it loads the page says so, see test_studio_after_session)."""
    from dialoogkit.cards.results.names import warm_up

    warm_up()


@pytest.fixture()
def studio(tmp_path):
    folder = tmp_path / "werkmap"
    (folder / "standaard").mkdir(parents=True)
    shutil.copy(decks_folder() / "standaard.yaml", folder / DECK)
    return signed_in(folder)


def post(studio, data: dict, **headers):
    return studio.client.post("/results/save", data=data, headers={"Origin": studio.origin, **headers})


def made(studio) -> str:
    """Make the results file from the template, as a person does on the page; returns the page."""
    response = studio.client.post("/results/new", data={"deck": DECK}, headers={"Origin": studio.origin})
    assert response.status_code == 200 and "Het bestand standaard-resultaten.yaml is gemaakt" in response.text
    return response.text


def with_fixture(studio) -> str:
    """The made-up results of the fixture, beside the workspace's standard deck; returns the page."""
    text = FIXTURE.read_text(encoding="utf-8").replace("deck: standaard\n", "deck: standaard.yaml\n")
    (studio.folder / RESULTS).write_text(text, encoding="utf-8")
    return studio.client.get("/results", params={"deck": DECK}).text


def load(studio):
    path = studio.folder / RESULTS
    return load_results_text(path.read_text(encoding="utf-8"), RESULTS, at=path)


def line_of(studio, text: str) -> int:
    lines = (studio.folder / RESULTS).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def box(page: str, field: str) -> str:
    """The text of the problem box of a field."""
    found = re.search(rf'<div id="err-{re.escape(field)}" class="field-error"[^>]*>(.*?)</div>', page, re.DOTALL)
    assert found, f"no problem box for {field}"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def test_the_page_is_linked_from_the_editor_and_offers_the_template(studio):
    editor = studio.client.get("/edit", params={"deck": DECK, "view": "deck"}).text
    assert 'href="/results?deck=standaard%2Fstandaard.yaml">Na de sessie</a>' in editor
    page = studio.client.get("/results", params={"deck": DECK})
    assert page.status_code == 200 and "Maak het resultatenbestand" in page.text
    assert not (studio.folder / RESULTS).exists()

    page = made(studio)
    text = (studio.folder / RESULTS).read_text(encoding="utf-8")
    assert text.startswith("# Resultaten van een sessie met") and "deck: standaard.yaml" in text
    assert load(studio).results.lessons[0].votes == {"corporatie": None, "zorg-welzijn": None, "bewoners": None,
                                                     "gemeente": None}
    # every lesson with its number and statement, a vote field per partner, 1..5
    from dialoogkit.cards.loader import load_deck

    deck = load_deck(studio.folder / DECK).deck
    for number, lesson in enumerate(deck.lessons, 1):
        assert re.search(rf'<span class="num">{number}</span> {re.escape(html.escape(lesson.statement))}</h2>', page)
        for partner in deck.audiences:
            field = re.search(rf'<input type="number" id="f-L-{lesson.id}-votes-{partner}"[^>]*>', page).group(0)
            assert 'min="1" max="5"' in field
    assert "Corporatie" in page and "Zorg en welzijn" in page
    # the workspace's deck list does not show the results file as a deck
    assert RESULTS not in studio.client.get("/").text


def test_saving_votes_and_an_agreement_writes_the_yaml_round_trip(studio):
    form = form_of(made(studio))
    template = (studio.folder / RESULTS).read_text(encoding="utf-8")
    form.update({"op": "save", "date": "2025-03-14", "place": "Buurthuis De Linde",
                 "partners": ["corporatie", "bewoners"], f"L.{LESSON}.votes.corporatie": "4",
                 f"L.{LESSON}.votes.bewoners": "2", f"L.{LESSON}.recognised": "Na een jaar doen minder mee.\r\n\r\nOok bij ons."})
    form = form_of(post(studio, {**form, "op": f"add:L.{LESSON}.agreements"}).text)
    assert form[f"L.{LESSON}.agreements.1.status"] == "open"
    form.update({f"L.{LESSON}.agreements.1.what": "Elke nieuwe bewoner krijgt een welkomstbezoek",
                 f"L.{LESSON}.agreements.1.who": "corporatie", f"L.{LESSON}.agreements.1.when": "voor de zomer",
                 f"L.{LESSON}.agreements.1.status": "started"})
    response = post(studio, {**form, "op": "save"})
    assert response.status_code == 200, response.text
    assert "Opgeslagen om" in response.text and "Alles klopt." in response.text

    results = load(studio).results
    assert results.session.date == "2025-03-14" and results.session.place == "Buurthuis De Linde"
    assert results.session.partners == ["corporatie", "bewoners"]
    lesson = next(item for item in results.lessons if item.id == LESSON)
    assert lesson.votes == {"corporatie": 4, "zorg-welzijn": None, "bewoners": 2, "gemeente": None}
    assert lesson.recognised == ["Na een jaar doen minder mee.", "Ook bij ons."]
    assert [(a.what, a.who, a.when, a.status) for a in lesson.agreements] == \
        [("Elke nieuwe bewoner krijgt een welkomstbezoek", "corporatie", "voor de zomer", "started")]
    text = (studio.folder / RESULTS).read_text(encoding="utf-8")
    assert "status: bezig" in text  # in the deck's language, as the template asks
    assert "partners: [corporatie, bewoners]" in text
    # every comment line of the template is still there, and a backup of the previous version
    assert [line.strip() for line in template.splitlines() if line.strip().startswith("#")] == \
        [line.strip() for line in text.splitlines() if line.strip().startswith("#")]
    assert (studio.folder / (RESULTS + ".bak")).is_file()

    # emptied again, the file is the template again (comments where they were)
    form = form_of(response.text)
    form.update({"date": "", "place": "", "partners": [], f"L.{LESSON}.votes.corporatie": "",
                 f"L.{LESSON}.votes.bewoners": "", f"L.{LESSON}.recognised": ""})
    form = form_of(post(studio, {**form, "op": f"remove:L.{LESSON}.agreements.1"}).text)
    assert f"L.{LESSON}.agreements.1.what" not in form
    def spaced(text: str) -> str:  # the space before a comment at the end of a line may differ
        return re.sub(r" +#", " #", text)

    assert spaced((studio.folder / RESULTS).read_text(encoding="utf-8")) == spaced(template)


def test_a_vote_out_of_range_is_shown_at_its_field_and_what_was_typed_stays(studio):
    form = form_of(made(studio))
    form.update({"op": "save", f"L.{LESSON}.votes.bewoners": "7", "place": "Buurthuis De Linde"})
    response = post(studio, form)
    assert response.status_code == 200  # saved as typed; the check's problem stands at its field
    assert "bewoners: 7" in (studio.folder / RESULTS).read_text(encoding="utf-8")
    field = f"f-L-{LESSON}-votes-bewoners"
    message = box(response.text, field)
    assert message.startswith(f"Probleem: regel {line_of(studio, 'bewoners: 7')}: een stip is een heel getal van 1 tot en met 5")
    assert "gevonden: 7" in message
    tag = re.search(rf'<input type="number" id="{field}"[^>]*>', response.text).group(0)
    assert 'value="7"' in tag and 'aria-invalid="true"' in tag
    assert form_of(response.text)["place"] == "Buurthuis De Linde"
    assert "Nog te verbeteren (1)" in response.text and f'href="#{field}"' in response.text
    # no report while the file has a problem
    response = post(studio, {**form_of(response.text), "op": "report"})
    assert response.status_code == 422 and "Het verslag is niet gemaakt" in response.text
    assert studio.client.get("/results/file", params={"deck": DECK, "file": "verslag.pdf"}).status_code == 404


def test_a_persons_name_where_a_role_belongs_is_marked_at_its_field_and_refuses_the_report(studio):
    form = form_of(made(studio))
    form.update({f"L.{LESSON}.agreements.1.what": "Een buurtapp starten", f"L.{LESSON}.agreements.1.who": "Jan de Vries",
                 f"L.{LESSON}.agreements.1.when": "in april", f"L.{LESSON}.agreements.1.status": "open", "op": "save"})
    response = post(studio, form)
    assert response.status_code == 200  # saved as typed; the name stands at its field, as `report` says it
    field = f"f-L-{LESSON}-agreements-1-who"
    message = box(response.text, field)
    assert message.startswith(f"Probleem: regel {line_of(studio, 'who: Jan de Vries')}: dit lijkt over een bewoner "
                              "te gaan: 'Jan de Vries' (naam)")
    assert "noem een rol: bewoner, buurtambassadeur" in message and "‘Jan de Vries’ is geen naam" in message
    assert message.count("Jan de Vries lijkt de naam") == 0  # the role rule's warning is not said twice
    tag = re.search(rf'<input type="text" id="{field}"[^>]*>', response.text).group(0)
    assert 'aria-invalid="true"' in tag
    # no report while a name is suspected: refused, naming the field
    response = post(studio, {**form_of(response.text), "op": "report"})
    assert response.status_code == 422
    assert "Het verslag is niet gemaakt: er lijkt een naam" in response.text
    assert "Afspraak 1, wie (inzicht 2)" in response.text
    assert studio.client.get("/results/file", params={"deck": DECK, "file": "verslag.pdf"}).status_code == 404


def test_the_report_is_made_and_downloaded(studio):
    from pypdf import PdfReader

    page = with_fixture(studio)
    response = post(studio, {**form_of(page), "op": "report"})
    assert response.status_code == 200, response.text
    assert "Het verslag is klaar" in response.text and "Brief aan Woonstichting De Linde (PDF)" in response.text
    report = studio.client.get("/results/file", params={"deck": DECK, "file": "verslag.pdf"})
    assert report.status_code == 200 and report.headers["content-type"] == "application/pdf"
    assert report.headers["content-disposition"].startswith('attachment; filename="verslag.pdf"')
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(report.content)).pages)
    agreements = [a.what for _, a in load(studio).results.agreements()]
    assert len(agreements) == 4
    places = [text.find(" ".join(what.split()[:4])) for what in agreements]
    assert -1 not in places and places == sorted(places)  # every agreement, in the file's order

    image = re.search(r'<img src="([^"]+)"', response.text).group(1).replace("&amp;", "&")
    picture = studio.client.get(image)
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/png"
    assert picture.headers["content-disposition"].startswith("inline") and picture.content.startswith(b"\x89PNG")
    kinds = {"acties.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "acties.csv": "text/csv; charset=utf-8", "brief-gemeente.pdf": "application/pdf",
             "brief-gemeente.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    for name, kind in kinds.items():
        answer = studio.client.get("/results/file", params={"deck": DECK, "file": name})
        assert answer.headers["content-type"] == kind and f'filename="{name}"' in answer.headers["content-disposition"]
    assert "Elke nieuwe bewoner krijgt een welkomstbezoek" in \
        studio.client.get("/results/file", params={"deck": DECK, "file": "acties.csv"}).content.decode("utf-8-sig")
    archive = studio.client.get("/results/file", params={"deck": DECK, "file": "standaard-na-de-sessie.zip"})
    assert archive.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive.content)) as kit:
        assert sorted(kit.namelist()) == sorted(f"na-de-sessie/{n}" for n in [
            "verslag.pdf", "verslag.docx", "stippen.png", "acties.xlsx", "acties.csv", "brief-gemeente.pdf",
            "brief-gemeente.docx", "brief-woonstichting-de-linde.pdf", "brief-woonstichting-de-linde.docx",
            "brief-regio.pdf", "brief-regio.docx"])
        assert kit.read("na-de-sessie/verslag.pdf") == report.content
    for name in ("../standaard.yaml", "standaard.yaml", "nothing.pdf"):
        assert studio.client.get("/results/file", params={"deck": DECK, "file": name}).status_code == 404


def test_a_file_changed_on_disk_is_not_overwritten_and_the_typing_stays(studio):
    form = form_of(with_fixture(studio))
    path = studio.folder / RESULTS
    changed = path.read_text(encoding="utf-8").replace("Buurthuis De Linde", "Wijkcentrum Oost")
    path.write_text(changed, encoding="utf-8")
    form.update({"op": "save", f"L.{LESSON}.votes.gemeente": "3"})
    response = post(studio, form)
    assert response.status_code == 409 and "Niet opgeslagen" in response.text
    assert path.read_text(encoding="utf-8") == changed
    again = form_of(response.text)
    assert again[f"L.{LESSON}.votes.gemeente"] == "3"
    assert post(studio, again).status_code == 200  # saving again keeps this version, on purpose
    assert "gemeente: 3" in path.read_text(encoding="utf-8")


def test_the_studio_gate_guards_the_page(studio, tmp_path):
    from starlette.testclient import TestClient

    from dialoogkit.studio.app import StudioConfig, create_app

    form = form_of(made(studio))
    before = (studio.folder / RESULTS).read_bytes()
    stranger = TestClient(create_app(StudioConfig(studio.folder, TOKEN, studio.port)),
                          base_url=f"http://127.0.0.1:{studio.port}")
    assert stranger.get("/results", params={"deck": DECK}).status_code == 403
    assert stranger.post("/results/save", data={**form, f"L.{LESSON}.votes.bewoners": "5"},
                         headers={"Origin": studio.origin}).status_code == 403
    assert stranger.post("/results/new", data={"deck": DECK}, headers={"Origin": studio.origin}).status_code == 403
    assert post(studio, {**form, f"L.{LESSON}.votes.bewoners": "5"}, Origin="http://evil.example").status_code == 403
    assert studio.client.post("/results/save", data=form, headers={"Host": "evil.example"}).status_code == 403
    assert (studio.folder / RESULTS).read_bytes() == before
    assert stranger.get("/results/file", params={"deck": DECK, "file": "verslag.pdf"}).status_code == 403
    for deck in ("../werkmap/standaard/standaard.yaml", "/etc/passwd", "standaard/missing.yaml"):
        assert studio.client.get("/results", params={"deck": deck}).status_code == 404


def test_the_page_in_english(studio):
    studio.client.post("/language", data={"language": "en", "next": "/"}, headers={"Origin": studio.origin})
    made_page = studio.client.post("/results/new", data={"deck": DECK}, headers={"Origin": studio.origin}).text
    assert 'lang="en"' in made_page and "After the session" in made_page and "Make the report" in made_page
    form = form_of(made_page)
    form.update({"op": "save", f"L.{LESSON}.votes.bewoners": "0"})
    message = box(post(studio, form).text, f"f-L-{LESSON}-votes-bewoners")
    assert message.startswith(f"Problem: line {line_of(studio, 'bewoners: 0')}: a dot vote is a whole number from 1 to 5")
