"""Every page of the studio is well-formed HTML as a browser reads it: each element's attributes
are written once and escaped once (no ``autocomplete="&quot;off&quot;"``), every id is unique,
every label, aria-describedby and aria-labelledby points at an element that is there, and every
element is closed where it was opened. The pages are the start page, every view of the editor
(the opening card, a lesson of the parent and an own lesson, contacts, printing) with each
preview tab, and the answers to a change and to a tab."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from studio_support import make_workspace, signed_in

pytestmark = pytest.mark.filterwarnings("ignore:.*httpx.*")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SVG_EMPTY = {"path", "rect", "circle", "line", "polyline", "polygon", "ellipse", "use", "stop"}
ESCAPED_TWICE = ("&amp;quot;", "&amp;amp;", "&amp;lt;", "&amp;gt;", "&amp;#", "=&quot;", "=&#34;")
REFERENCES = ("for", "aria-describedby", "aria-labelledby", "aria-controls")


class Checker(HTMLParser):
    """Collects what is wrong with the HTML it is fed (see module docstring)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.ids: dict[str, int] = {}
        self.references: list[tuple[str, str, str]] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(tag, attrs)
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(tag, attrs)
        if tag not in VOID and tag not in SVG_EMPTY and tag != "svg":
            self.problems.append(f"<{tag}/> is not an element that may close itself")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.problems.append(f"</{tag}> closes a void element")
        elif not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.open[-1] if self.open else 'nothing'}> "
                                 f"at line {self.getpos()[0]}")
            if tag in self.open:
                del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]
        else:
            self.open.pop()

    def _attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        where = f"<{tag}> at line {self.getpos()[0]}: {raw[:160]}"
        names = [name for name, _ in attrs]
        for name in {n for n in names if names.count(n) > 1}:
            self.problems.append(f"attribute {name} twice in {where}")
        for name, value in attrs:
            if not name.replace("-", "").replace(":", "").replace("_", "").isalnum():
                self.problems.append(f"attribute name {name!r} in {where}")
            if value and len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":
                self.problems.append(f"attribute {name} quoted twice in {where}")
            if name == "id":
                self.ids[value or ""] = self.ids.get(value or "", 0) + 1
            if name in REFERENCES and value is not None:
                self.references += [(name, ref, where) for ref in value.split()]
        for mark in ESCAPED_TWICE:
            if mark in raw:
                self.problems.append(f"{mark!r} (escaped twice) in {where}")

    def finish(self, fragment: bool) -> list[str]:
        self.close()
        problems = list(self.problems)
        problems += [f"id {name!r} is used {count} times" for name, count in self.ids.items() if count > 1]
        problems += [f"{name}={ref!r} points at no element in {where}" for name, ref, where in self.references
                     if ref not in self.ids]
        if self.open and not fragment:
            problems.append(f"not closed: {self.open}")
        return problems


def check_html(text: str, fragment: bool = False) -> list[str]:
    checker = Checker()
    checker.feed(text)
    return checker.finish(fragment)


OWN_LESSON = """\
lessons:
  - id: eigen-inzicht-1
    theme: beide
    pillar: mensen
    statement: "Een buurtkamer: \\"iedereen\\" welkom & <b>vet</b>"
    explanation: Waar buren elkaar zien, ontstaat vertrouwen.
    questions:
      - text: Waar zien wij elkaar nu?
      - text: Wie heeft de sleutel?
      - text: Wat is de eerste stap?
    sources:
      - title: Gemengd wonen
        url: https://www.hu.nl/onderzoek/projecten/gemengd-wonen-lessen-uit-de-praktijk
contacts:
  - name: Wijkteam "Noord" & co
    url: https://www.example.org/?a=1&b=2
"""


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    folder = make_workspace(tmp_path_factory.mktemp("html"))
    deck = folder / "noord" / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8") + OWN_LESSON, encoding="utf-8")
    return signed_in(folder)


PAGES = [{"view": "deck"}, {"view": "opening"}, {"view": "lesson"}, {"view": "lesson", "lesson": "o:0"},
         {"view": "lesson", "lesson": "p:financiering-naar-schaal"}, {"view": "contacts"}, {"view": "print"}]


@pytest.mark.parametrize("tab", ["card", "canvas", "guide"])
@pytest.mark.parametrize("params", PAGES, ids=lambda p: "-".join(p.values()))
def test_every_editor_page_is_well_formed(studio, params, tab):
    response = studio.client.get("/edit", params={"deck": "noord/deck.yaml", "tab": tab, **params})
    assert response.status_code == 200
    assert check_html(response.text) == []


def test_the_start_page_is_well_formed(studio):
    response = studio.client.get("/")
    assert response.status_code == 200
    assert check_html(response.text) == []


@pytest.mark.parametrize("tab", ["card", "canvas", "guide"])
def test_the_answers_to_a_tab_and_to_a_change_are_well_formed(studio, tab):
    panel = studio.client.get("/preview/panel", params={"deck": "noord/deck.yaml", "view": "lesson",
                                                        "lesson": "o:0", "tab": tab, "page": ""})
    assert panel.status_code == 200
    assert check_html(panel.text, fragment=True) == []
    change = studio.post("/action/deck", {"view": "deck", "tab": tab, "title": 'Samen "wonen" & <leven>',
                                          "subtitle": "", "region": "Regio Noord", "language": "nl"})
    assert change.status_code == 200
    assert check_html(change.text, fragment=True) == []


def test_the_checker_finds_what_it_looks_for():
    assert check_html('<p><input autocomplete=&quot;off&quot;></p>')
    assert check_html('<p><input autocomplete="&amp;quot;off&amp;quot;"></p>')
    assert check_html('<p id="a"></p><p id="a"></p>')
    assert check_html('<p class="x" class="y"></p>')
    assert check_html('<div><p></div>')
    assert check_html('<label for="nowhere">x</label>')
    assert check_html('<p id="a" title="Say &quot;hi&quot; &amp; go"><label for="a">x</label></p>') == []


def test_field_attributes_are_a_mapping_escaped_once():
    from dialoogkit.studio.app import make_templates
    from dialoogkit.studio.texts import texts_for

    macro = make_templates().from_string(
        '{% import "macros.html" as m with context %}'
        '{{ m.text("f-x", "x", "Label", "waarde", attrs={"placeholder": tricky, "autocomplete": "off",'
        ' "required": true, "hidden": false, "title": none}) }}')
    tricky = 'Zeg "hoi" & <ga> \'nu\''
    html = macro.render(t=texts_for("nl"), errors={}, focus="f-x", tricky=tricky)
    assert check_html(html) == []
    found: dict[str, str | None] = {}

    class Attributes(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "input":
                found.update(attrs)

    Attributes().feed(html)
    assert found["placeholder"] == tricky and found["autocomplete"] == "off"
    assert "required" in found and "hidden" not in found and "title" not in found
    assert "data-autofocus" in found
