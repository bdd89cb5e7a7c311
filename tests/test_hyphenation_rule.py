"""When card text is hyphenated (issue 21, item 6), read back from the built PDF.

Body text (explanations, questions) is not hyphenated down to the profile's preferred body size
(``TypeScale.body_pt``: 10.5 pt on A6); only below that is it hyphenated, rather than shrunk
further. Statements are never hyphenated. Sizes and lines are read from ``cards-printshop.pdf``
(one card face per page: card n's front is page 2n - 1), "without the rule" and "without
hyphenation" are the same build with ``textfit.preferred_size`` or ``textfit.hyphenator`` replaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from dialoogkit.cards.loader import load_deck
from dialoogkit.cards.texts import printed_texts
from dialoogkit.generator import textfit
from dialoogkit.layouts.formats import parse_card_format
from dialoogkit.layouts.profiles import parse_profile, type_scale
from dialoogkit.output.build import BuildOptions, build_kit

PREFERRED = type_scale(parse_card_format("a6"), parse_profile("standard")).body_pt
# No text below holds a hyphen, so a line that ends in one was hyphenated by the fitter.
FITTING = ("Samenwerkingsafspraken tussen woningcorporaties, zorgorganisaties en welzijnsorganisaties "
           "vragen om duidelijkheid. Bespreek verwachtingen, verantwoordelijkheden en werkafspraken "
           "regelmatig met alle betrokkenen.")
LONG = ("Bewonersparticipatie vraagt om doorzettingsvermogen van woningcorporaties, zorgorganisaties en "
        "welzijnsorganisaties. Buurtbewoners, huurdersverenigingen en ervaringsdeskundigen denken mee over "
        "ontmoetingsruimtes, gemeenschappelijke tuinen en buurtactiviteiten. Samenwerkingsverbanden worden "
        "sterker wanneer verantwoordelijkheden duidelijk zijn afgesproken. Organiseer daarom regelmatig "
        "bijeenkomsten waarin iedereen ervaringen uitwisselt, successen viert en verbeterpunten benoemt. "
        "Zo ontstaat vertrouwen tussen nieuwe bewoners, buurtbewoners en professionals. Vergeet niet om "
        "tussentijdse evaluaties te plannen met alle betrokken organisaties. Huurdersorganisaties, "
        "buurtteams en wijkagenten kennen de buurt en weten welke voorzieningen ontbreken. Gebruik hun "
        "kennis bij het ontwerpen van gemeenschappelijke voorzieningen en ontmoetingsplekken. Bespreek ook "
        "hoe vrijwilligersorganisaties en buurtverenigingen kunnen bijdragen aan de leefbaarheid.")
STATEMENT = "Ervaringsdeskundigen versterken samenwerkingsverbanden tussen woningcorporaties"
DECK = {"extends": "standaard", "id": "afbreken", "opening": None, "select": [3, 4, 5], "override": {
    "botsende-belangen": {"explanation": FITTING},  # card 1: fits at the preferred size or above
    "elkaars-werk-begrijpen": {"explanation": LONG},  # card 2: must go below it
    "rol-community-builder": {"statement": STATEMENT},  # card 3: long words in a statement
}}
STATEMENTS = {"extends": "standaard", "id": "uitspraken", "opening": None, "select": [3, 5, 10],
              "override": {"rol-community-builder": {"statement": STATEMENT}}}


@dataclass(frozen=True)
class PdfLine:
    """One printed line: its text, its size in points (the largest of its pieces) and its fonts."""

    text: str
    size: float
    fonts: frozenset[str]


def flat(text: str) -> str:
    """Without white space, hyphens and soft hyphens, lower case (lines break and hyphenate)."""
    return re.sub(r"[\s\-\u00ad]+", "", text).lower()


def page_lines(pdf: Path, index: int) -> list[PdfLine]:
    """The lines of page ``index``, top to bottom: text pieces on one baseline make one line."""
    pieces: list[tuple[float, float, str, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            name = str(font.get("/BaseFont", "")) if font else ""
            pieces.append((round(tm[5] * cm[3] + cm[5], 1), abs(size * tm[3] * cm[3]), name, text))

    PdfReader(pdf).pages[index].extract_text(visitor_text=visit)
    lines: dict[float, list[tuple[float, str, str]]] = {}
    for y, size, name, text in pieces:
        lines.setdefault(y, []).append((size, name, text))
    return [PdfLine(" ".join(" ".join(t.split()) for _, _, t in parts), round(max(s for s, _, _ in parts), 2),
                    frozenset(n for _, n, _ in parts)) for y, parts in sorted(lines.items(), reverse=True)]


def lines_of(pdf: Path, index: int, text: str, face: str) -> list[PdfLine]:
    """The lines of page ``index`` in font ``face`` (Regular, Bold) that print part of ``text``."""
    whole = flat(text)
    return [line for line in page_lines(pdf, index)
            if any(face in name for name in line.fonts) and len(flat(line.text)) >= 2 and flat(line.text) in whole]


def hyphenated(lines: list[PdfLine], written: set[str] = frozenset()) -> list[str]:
    """Line ends that the fitter hyphenated: a line (not the last) ending in a hyphen that no
    word of the source (``written``: the words that end in a hyphen there) ends in."""
    ends = [line.text.split()[-1] for line in lines[:-1] if line.text.split()]
    return [end for end in ends if end.endswith("-") and end not in written]


def build(folder: Path, source: str | Path, card_format: str = "a6") -> Path:
    build_kit(str(source), BuildOptions(output=folder, parts=("cards",), card_format=card_format))
    name = load_deck(source).deck.id
    return folder / name / "cards-printshop.pdf"


@pytest.fixture(scope="module")
def deck_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rule") / "afbreken.yaml"
    path.write_text(yaml.safe_dump(DECK, allow_unicode=True), encoding="utf-8")
    assert "-" not in FITTING + LONG + STATEMENT
    return path


@pytest.fixture(scope="module")
def with_rule(deck_file, tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("with-rule"), deck_file)


def test_the_preferred_size_comes_from_the_profile():
    assert textfit.preferred_size(type_scale(parse_card_format("a6"), parse_profile("standard")).body_sizes) == 10.5
    assert textfit.preferred_size(type_scale(parse_card_format("a7"), parse_profile("standard")).body_sizes) == \
        type_scale(parse_card_format("a7"), parse_profile("standard")).body_pt
    assert textfit.preferred_size(type_scale(parse_card_format("a6"), parse_profile("large-print")).body_sizes) == 14.0
    assert textfit.preferred_size((28.0, 20.0)) is None  # a field of two sizes is hyphenated at every size


def test_a_body_that_fits_at_the_preferred_size_is_not_hyphenated(with_rule, deck_file, tmp_path, monkeypatch):
    lines = lines_of(with_rule, 0, FITTING, "Regular")
    assert len(lines) >= 4 and {line.size for line in lines} == {lines[0].size}
    assert lines[0].size >= PREFERRED
    assert hyphenated(lines) == [], [line.text for line in lines]
    monkeypatch.setattr(textfit, "preferred_size", lambda sizes: None)  # the same card without the rule
    before = lines_of(build(tmp_path, deck_file), 0, FITTING, "Regular")
    assert before[0].size >= PREFERRED and hyphenated(before), [line.text for line in before]


def test_a_long_body_is_hyphenated_below_the_preferred_size_rather_than_shrunk(with_rule, deck_file, tmp_path,
                                                                               monkeypatch):
    lines = lines_of(with_rule, 2, LONG, "Regular")
    size = lines[0].size
    assert size < PREFERRED and hyphenated(lines), (size, [line.text for line in lines])
    monkeypatch.setattr(textfit, "hyphenator", lambda language: None)  # the same card never hyphenated
    unhyphenated = lines_of(build(tmp_path, deck_file), 2, LONG, "Regular")
    assert not hyphenated(unhyphenated)
    assert size > unhyphenated[0].size, (size, unhyphenated[0].size)


@pytest.mark.parametrize("card_format", ["a6", "poker"])
def test_statements_never_end_a_line_with_an_inserted_hyphen(tmp_path, card_format):
    path = tmp_path / "uitspraken.yaml"
    path.write_text(yaml.safe_dump(STATEMENTS, allow_unicode=True), encoding="utf-8")
    pdf = build(tmp_path, path, card_format)
    statements = [lesson.statement for lesson in load_deck(path).deck.lessons]
    assert STATEMENT in statements
    for number, statement in enumerate(statements):
        lines = lines_of(pdf, 2 * number, statement, "Bold")
        assert lines and not any(line.text.endswith(("-", "\u00ad")) for line in lines), [l.text for l in lines]
        printed = {word for line in lines for word in line.text.split()}
        assert set(statement.split()) <= printed  # every word whole: none broken, none cut


def test_the_bundled_deck_hyphenates_no_body_text_at_the_preferred_size(tmp_path):
    pdf = build(tmp_path, "standaard")
    written = {word for _, text in printed_texts(load_deck("standaard").deck)
               for word in text.split() if word.endswith("-")}
    body = 0
    for index in range(len(PdfReader(pdf).pages)):
        lines = [line for line in page_lines(pdf, index) if any("Regular" in name for name in line.fonts)]
        large = [line for line in lines if line.size >= PREFERRED]
        body += len(large)
        ends = [line.text.split()[-1] for line in large if line.text.split()]
        assert not [end for end in ends if end.endswith("-") and end not in written], (index, [l.text for l in large])
    assert body > 100  # the explanations and questions of eleven cards
