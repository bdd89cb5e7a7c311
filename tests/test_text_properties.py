"""Whatever ``check`` accepts, ``build`` and ``report`` draw: arbitrary strings drawn from every
Unicode category and from the scripts the cards print (with the joiners, soft hyphens, marks and
bidi characters people really type) go into one text field of a deck and of a results file at a
time; ``check``, ``build --only cards`` and ``report`` run through the real command line. Never
exit 3, never a traceback, and ``build`` succeeds whenever ``check`` did, as does ``results new``
for the deck, whose report is written or refused at the deck's line (a text taken for a resident's
name); ``report`` of a results file either writes the report or names the file and line it refuses."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialoogkit.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
NOT_TEXT = {"id", "theme", "pillar", "audience", "colour", "icon", "url", "language", "email", "phone", "logo",
            "companion", "extends", "deck", "date", "status", "cmyk", "minutes", "votes", "partners"}
SCRIPT_PIECES = [
    "می‌کنیم", "همسایه‌ها", "ما با", "\u200c", "\u200d", "\u00ad", "\ufeff", "\u200e", "\u200f", "\u061c",
    "مركز", "الحي", "(Aedes, VNG, Valente 2024)", "030 123 45 67", "٠٣٠ ١٢٣", "۰۲۰ ۱۲۳", "3 / 10",
    "https://www.valente.nl", "info@example.org", "ሰላም", "ንሕና", "שלום", "Привіт", "Çalışma", "ğüşıöç", "e\u0301",
    "ﷺ", "،", "؟", "!", ". ", " ", "  ", "\n", "\t", "x" * 30,
    # what people paste without seeing it: separators, noncharacters, selectors, marks without a letter
    "\u2028", "\u2029", "\u0085", "\uffff", "\ufffe", "\ufdd0", "\ufe0f", "\u0301", "\u2060", "\u034f",
]
ANY_CHARACTER = st.characters(codec="utf-8", exclude_categories=("Cs",))
TEXTS = st.one_of(
    st.text(ANY_CHARACTER, min_size=1, max_size=24),
    st.lists(st.sampled_from(SCRIPT_PIECES), min_size=1, max_size=8).map("".join),
    st.lists(st.one_of(st.sampled_from(SCRIPT_PIECES), st.text(ANY_CHARACTER, max_size=3)), min_size=1,
             max_size=8).map("".join),
).filter(lambda text: text.strip())
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def text_leaves(data, where=()) -> list[tuple]:
    """Where ``data`` holds a text a person writes (not an id, a URL, a colour, a path…)."""
    found = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        if isinstance(value, str) and key not in NOT_TEXT:
            found.append(where + (key,))
        elif isinstance(value, (dict, list)) and key not in NOT_TEXT:
            found += text_leaves(value, where + (key,))
    return found


def put(data, where: tuple, value: str) -> None:
    for key in where[:-1]:
        data = data[key]
    data[where[-1]] = value


def run(args: list[str]):
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 3, result.output
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


DECK = yaml.safe_load((FIXTURES / "scripts" / "ar.yaml").read_text(encoding="utf-8"))
DECK_FIELDS = text_leaves({k: v for k, v in DECK.items() if k != "labels"}) + [("labels", "questions")]


def test_the_fields_cover_every_kind_of_deck_text():
    named = {where[-1] for where in DECK_FIELDS} | {where[-2] for where in DECK_FIELDS if isinstance(where[-1], int)}
    assert {"title", "statement", "explanation", "self", "higher", "text", "label", "summary", "name",
            "role", "questions"} <= named


@SETTINGS
@given(field=st.sampled_from(DECK_FIELDS), language=st.sampled_from(["ar", "fa", "nl"]), text=TEXTS)
def test_a_deck_that_check_accepts_builds(tmp_path_factory, field, language, text):
    folder = tmp_path_factory.mktemp("deck")
    data = yaml.safe_load(yaml.safe_dump(DECK, allow_unicode=True))
    data["language"] = language
    put(data, field, text)
    deck = folder / "deck.yaml"
    deck.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    checked = run(["check", str(deck)])
    built = run(["build", str(deck), "--only", "cards", "-q", "-o", str(folder / "out")])
    if checked.exit_code == 0:
        assert built.exit_code == 0, f"check passed but build failed for {field}={text!r}:\n{built.output}"
        # the report of a session with this deck: its results file made from the deck, then reported
        made = run(["results", "new", str(deck), "-o", str(folder / "sessie.yaml")])
        assert made.exit_code == 0, f"check passed but results new failed for {field}={text!r}:\n{made.output}"
        reported = run(["report", str(folder / "sessie.yaml"), "-o", str(folder / "out")])
        assert reported.exit_code == 0 or "deck.yaml:" in reported.output, reported.output  # names in it: refused there


RESULTS = yaml.safe_load((FIXTURES / "results" / "standaard-resultaten.yaml").read_text(encoding="utf-8"))
RESULT_FIELDS = text_leaves({k: v for k, v in RESULTS.items() if k != "deck"})


@SETTINGS
@given(field=st.sampled_from(RESULT_FIELDS), text=TEXTS)
def test_a_results_file_is_reported_or_refused_at_its_line(tmp_path_factory, field, text):
    folder = tmp_path_factory.mktemp("results")
    data = yaml.safe_load(yaml.safe_dump(RESULTS, allow_unicode=True))
    put(data, field, text)
    path = folder / "sessie.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    reported = run(["report", str(path), "-o", str(folder / "out")])
    if reported.exit_code == 0:
        assert (folder / "out" / "standaard" / "na-de-sessie" / "verslag.pdf").is_file()
    else:
        assert "sessie.yaml:" in reported.output, reported.output  # a refusal names the file and line
        assert not (folder / "out").exists() or not any((folder / "out").rglob("verslag.pdf"))
