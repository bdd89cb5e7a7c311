"""Property tests (hypothesis) and a bounded fuzz run of the loader.

- random decks within the schema either build or fail with a ``click.ClickException``;
- random text never escapes its box, on cards or in the fitter;
- fitting is monotone: more text never gets a larger size;
- balancing the lines of a statement keeps its words, its number of lines and its width;
- random bytes and YAML-like text given to the loader only ever raise our own errors.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import click
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialoogkit.cards.loader import validate_file
from dialoogkit.generator.display import Qr, Text
from dialoogkit.generator.fonts import BOLD, REGULAR, register_fonts
from dialoogkit.generator.plan import plan_deck
from dialoogkit.generator.linebalance import balance
from dialoogkit.generator.textfit import Run, fit_stack, set_text
from dialoogkit.layouts.formats import CARD_FORMATS
from dialoogkit.layouts.profiles import PROFILES
from dialoogkit.output.build import BuildOptions, build_kit

LETTERS = st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S"), exclude_characters="\x00")
TEXT = st.text(LETTERS, min_size=1, max_size=400).filter(lambda t: t.strip())
SHORT = st.text(LETTERS, min_size=1, max_size=40).filter(lambda t: t.strip())
URLS = st.sampled_from(["https://vng.nl", "https://www.aedes.nl", "https://www.valente.nl/",
                        "mailto:info@example.org", "tel:+31301234567"]) | st.from_regex(
    r"https://www\.valente\.nl/[a-z0-9\-/]{0,120}", fullmatch=True)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])


@st.composite
def decks(draw) -> dict:
    lessons = []
    for i in range(draw(st.integers(1, 3))):
        lessons.append({
            "id": f"les-{i}", "theme": "t", "pillar": "p", "statement": draw(TEXT), "explanation": draw(TEXT),
            "questions": [{"text": draw(TEXT)} for _ in range(draw(st.integers(3, 5)))],
            "sources": [{"title": draw(SHORT), "url": draw(URLS)}],
        })
    return {"id": "prop", "language": draw(st.sampled_from(["nl", "en"])), "title": draw(SHORT),
            "source": {"title": draw(SHORT), "publishers": [draw(SHORT)]},
            "themes": {"t": {"label": draw(SHORT), "colour": draw(st.from_regex(r"#[0-9A-F]{6}", fullmatch=True)),
                             "icon": "people"}},
            "pillars": {"p": {"label": draw(SHORT), "summary": draw(SHORT)}},
            "audiences": {"a": {"label": "Iedereen"}}, "lessons": lessons}


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "deck.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@SETTINGS
@given(data=decks(), fmt=st.sampled_from(sorted(CARD_FORMATS)))
def test_random_decks_build_or_fail_cleanly(tmp_path_factory, data, fmt):
    folder = tmp_path_factory.mktemp("prop")
    try:
        build_kit(write(folder, data), BuildOptions(output=folder / "out", card_format=fmt, parts=("cards",)))
    except click.ClickException as exc:
        assert exc.format_message()
    else:
        assert (folder / "out" / "prop" / "cards-printshop.pdf").is_file()


@SETTINGS
@given(data=decks(), fmt=st.sampled_from(sorted(CARD_FORMATS)), profile=st.sampled_from(sorted(PROFILES)))
def test_random_text_never_escapes_its_box(tmp_path_factory, data, fmt, profile):
    folder = tmp_path_factory.mktemp("box")
    try:
        plan = plan_deck(validate_file(write(folder, data)), CARD_FORMATS[fmt], PROFILES[profile])
    except click.ClickException:
        return
    safe = plan.geometry.safe
    for front, back in plan.faces:
        for face in (front, back):
            for item in face.items:
                if isinstance(item, (Text, Qr)):
                    assert safe.contains(item.box, tolerance=0.5), (item, safe)
                if isinstance(item, Text):
                    assert all(line.width <= safe.width + 0.01 for line in item.block.lines)


@settings(max_examples=150, deadline=None)
@given(text=TEXT, width=st.floats(20, 400))
def test_wrapped_lines_fit_their_width(text, width):
    register_fonts()
    block = set_text([[Run(text, REGULAR)]], 10, width, "nl")
    assert all(line.width <= width + 1e-6 for line in block.lines)
    printed = "".join(piece[1] for line in block.lines for piece in line.pieces)
    words = [w for w in re.split(r"[^\S\u00a0\u202f]+", unicodedata.normalize("NFC", text)) if w]  # printed in NFC
    assert printed.replace("-", "") == "".join(words).replace("-", "")


@settings(max_examples=150, deadline=None)
@given(text=TEXT, more=TEXT, width=st.floats(60, 300), height=st.floats(20, 200))
def test_fitting_is_monotone(text, more, width, height):
    register_fonts()
    short = fit_stack([([[Run(text, REGULAR)]], 12.0, 7.0)], width, height, [], "nl")
    longer = fit_stack([([[Run(text + " " + more, REGULAR)]], 12.0, 7.0)], width, height, [], "nl")
    assert longer.blocks[0].size <= short.blocks[0].size
    if short.fits and longer.fits:
        assert longer.blocks[0].height >= short.blocks[0].height - 1e-6 or longer.blocks[0].size < short.blocks[0].size


YAMLISH = st.text(st.sampled_from(list("abc:- \n\t[]{}&*!|>'\"#%@`,?0123456789xéĳ😀\\")), max_size=300)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.binary(max_size=300), YAMLISH.map(lambda t: t.encode("utf-8"))))
def test_fuzz_the_loader_only_raises_our_errors(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("fuzz") / "deck.yaml"
    path.write_bytes(content)
    try:
        validate_file(path)
    except click.ClickException as exc:
        assert "deck.yaml" in exc.format_message()


@settings(max_examples=150, deadline=None)
@given(text=TEXT, width=st.floats(60, 300), size=st.floats(8, 30))
def test_balanced_lines_keep_their_count_width_and_words(text, width, size):
    register_fonts()
    greedy = set_text([[Run(text, BOLD, hyphenate=False)]], size, width, "nl")
    balanced = balance([[Run(text, BOLD, hyphenate=False)]], greedy, width, "nl")
    assert len(balanced.lines) == len(greedy.lines) and balanced.size == greedy.size
    # no line wider than the width, unless one word alone is wider (a wide ligature such as U+FD5E
    # at 25 pt on 60 pt): then no wider than that word's own line
    alone = [line.width for line in greedy.lines if len(line.pieces) == 1]
    assert all(line.width <= max([width, *alone]) + 1e-6 for line in balanced.lines)
    words = [piece[1] for line in greedy.lines for piece in line.pieces]
    assert [piece[1] for line in balanced.lines for piece in line.pieces] == words
    assert not any(line.pieces and line.pieces[-1][1].endswith("-") and "-" not in text for line in balanced.lines)
