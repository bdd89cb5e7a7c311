"""What the first users hit: placeholders that `check` remembers, seeing what is in a deck (`show`,
`preview`), and errors a non-programmer can act on (YAML mistakes in plain words, every lesson
listed, `new` with a name as typed).

Everything runs through the real command line (``python -m dialoogkit`` in a subprocess, or click's
runner where a function is replaced), and asserts exit codes and messages.
"""

from __future__ import annotations

import io
import random
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from dialoogkit.cli import main

TESTS = Path(__file__).resolve().parent
CORPUS = TESTS / "corpus"
OVERRIDE = TESTS / "fixtures" / "custom" / "override.yaml"
ENV_KEYS = {"PYTHONIOENCODING": "utf-8", "COLUMNS": "200", "DIALOOGKIT_LANG": "en"}
# Words of the YAML parsers that must never reach a deck author.
JARGON = re.compile(r"block end|block mapping|block collection|simple key|indicator|scalar|token|mapping values|"
                    r"flow (?:mapping|sequence|node)|node content|stream|expected key|<|document start", re.IGNORECASE)
TABLE = (
    "Lessen uit de praktijk\tGaat over\tToelichting\tZelf oppakken\tHoger niveau\n"
    "Buren kennen helpt\tCommunity building\tWie zijn buren kent, vraagt sneller om hulp.\tOrganiseer een "
    "kennismaking.\t-\n"
    "Een plek om te ontmoeten\tGemengd wonen\tEen ruimte vanaf de eerste dag helpt.\t-\tRegel de huur met de "
    "gemeente.\n"
    "Samen leren werkt\tBeide\tPartners leren van elkaars werk.\tLoop een dag mee.\t-\n"
)


def run(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "dialoogkit", *[str(a) for a in args]], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, timeout=300, stdin=subprocess.DEVNULL,
                          env={**os.environ, **ENV_KEYS})


def line_of(path: Path, text: str) -> int:
    """The 1-based number of the first line of ``path`` holding ``text``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


# --------------------------------------------------------------------------- 2. placeholders


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    folder = tmp_path_factory.mktemp("import")
    table = folder / "tabel.tsv"
    table.write_text(TABLE, encoding="utf-8")
    deck = folder / "deck.yaml"
    result = run("import", table, "-o", deck, "--title", "Onze inzichten")
    return deck, result


def test_import_says_what_it_could_not_know(imported):
    deck, result = imported
    assert result.returncode == 0, result.stderr
    assert "Wrote" in result.stdout and "3 lessons" in result.stdout
    assert "Warning: " in result.stderr and "starter questions" in result.stderr
    assert "dialoogkit check" in result.stdout
    text = deck.read_text(encoding="utf-8")
    assert "Tekst die begint met (invullen)" in text.split("id:")[0], "the header comment explains the mark"
    assert text.count("(invullen)") >= 3 * 3 + 3


def test_check_of_an_imported_deck_warns_with_file_line_and_field(imported):
    deck, _ = imported
    result = run("check", deck)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK  Onze inzichten")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
    assert len(warnings) == 4, result.stderr
    first_question = line_of(deck, "(invullen) Herkennen")
    first_source = line_of(deck, "(invullen) Bron van dit inzicht")
    pillar = line_of(deck, "(invullen) Nog in te delen")
    publisher = line_of(deck, "(invullen) uitgever")
    expected = [
        f"{deck}:{publisher}: field 'source.publishers[1]': the credit printed on every card still has a placeholder",
        f"{deck}:{pillar}: field 'pillars.nog-in-te-delen.label': 3 lessons still have no pillar",
        f"{deck}:{first_question}: field 'questions': 3 lessons still have starter questions (lessons 1, 2, 3; lines "
        f"{first_question}, ",
        f"{deck}:{first_source}: field 'sources': 3 lessons still have the placeholder source (lessons 1, 2, 3;",
    ]
    for text in expected:
        assert any(text in warning for warning in warnings), f"{text}\n{result.stderr}"
    assert "— " in warnings[0] and '"(invullen)"' in result.stderr
    assert "4 warnings: the deck can be checked and built" in result.stderr


def test_check_strict_turns_the_warnings_into_errors(imported):
    deck, _ = imported
    result = run("check", deck, "--strict")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: 4 problems found:"), result.stderr
    assert "3 lessons still have the placeholder source" in result.stderr
    assert result.stdout == ""


def test_build_prints_the_warnings_too(imported, tmp_path):
    deck, _ = imported
    result = run("build", deck, "--only", "cards", "-q", "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "Warning: " in result.stderr and "starter questions" in result.stderr
    assert "building anyway" in result.stderr
    assert (tmp_path / "out" / "tabel" / "cards-printshop.pdf").is_file()


def test_the_credit_of_an_imported_deck_is_its_title_never_the_file_name_or_the_publishers(imported, tmp_path):
    deck, _ = imported
    data = yaml.safe_load(deck.read_text(encoding="utf-8"))
    assert data["title"] == "Onze inzichten"
    assert data["source"]["title"] == "Onze inzichten"
    assert data["source"]["publishers"] == ["(invullen) uitgever"]
    assert not re.search(r"Aedes|VNG|Valente", str(data["source"]))
    table = tmp_path / "Inzichten-Regio-Noord.tsv"
    table.write_text(TABLE, encoding="utf-8")
    untitled = tmp_path / "zonder-titel.yaml"
    assert run("import", table, "-o", untitled).returncode == 0
    data = yaml.safe_load(untitled.read_text(encoding="utf-8"))
    assert data["title"] == data["source"]["title"] == "(invullen) Titel van dit deck"
    assert "Noord" not in str(data["source"]) and "Inzichten" not in str(data["source"])
    result = run("check", untitled)
    assert "field 'title': the deck's title is still a placeholder" in result.stderr, result.stderr


def test_a_publisher_column_names_the_publishers_and_leaves_no_credit_warning(tmp_path):
    table = tmp_path / "tabel.tsv"
    rows = TABLE.splitlines()
    rows = [rows[0] + "\tUitgever"] + [row + "\tGemeente Noord" for row in rows[1:]]
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    deck = tmp_path / "deck.yaml"
    assert run("import", table, "-o", deck, "--title", "Noord").returncode == 0
    assert yaml.safe_load(deck.read_text(encoding="utf-8"))["source"] == {"title": "Noord",
                                                                         "publishers": ["Gemeente Noord"]}
    assert "credit" not in run("check", deck).stderr


def test_warnings_go_when_the_texts_are_written(imported, tmp_path):
    deck, _ = imported
    header, body = deck.read_text(encoding="utf-8").split("\nid: ", 1)
    body = body.replace("(invullen) uitgever", "Gemeente Noord").replace("(invullen) Nog in te delen", "Mensen")
    body = body.replace("(invullen) Bron van dit inzicht", "Onze eigen notities")
    body = re.sub(r"\(invullen\) ", "", body, count=3)  # the first lesson's starter questions are kept as they are
    text = f"{header}\nid: {body}"
    edited = tmp_path / "deck.yaml"
    edited.write_text(text, encoding="utf-8")
    result = run("check", edited, "--strict")
    assert result.returncode == 1
    assert "2 lessons still have starter questions (lessons 2, 3;" in result.stderr, result.stderr
    assert "placeholder source" not in result.stderr and "pillar" not in result.stderr
    edited.write_text(text.replace("(invullen) ", ""), encoding="utf-8")
    result = run("check", edited, "--strict")
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr


def test_the_bundled_decks_have_no_placeholders():
    for deck in ("standaard", "standard-en"):
        result = run("check", deck, "--strict")
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""


# --------------------------------------------------------------------------- 3. show and preview


def test_show_lists_number_id_theme_pillar_and_statement():
    result = run("show")
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines() if re.match(r"^\s+\d+\s", line)]
    assert [row[0] for row in rows] == [str(n) for n in range(1, 11)]
    assert rows[1][1:4] == ["actieve-bewoners", "beide", "mensen"]
    assert "Actieve bewoners komen er niet vanzelf" in result.stdout
    assert "select:" in result.stdout and "override:" in result.stdout


def test_show_of_a_custom_deck_has_its_overridden_statement_and_one_lesson_whole():
    listing = run("show", OVERRIDE)
    assert listing.returncode == 0, listing.stderr
    assert "Wonen en zorg willen soms iets anders, en dat mag op tafel" in listing.stdout
    assert "(override-test, nl)" in listing.stdout
    for ref in ("3", "botsende-belangen"):
        result = run("show", OVERRIDE, ref)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("# Lesson 3 of 10 in 'override-test'")
        lesson = yaml.safe_load(result.stdout)
        assert lesson["id"] == "botsende-belangen"
        assert lesson["statement"] == "Wonen en zorg willen soms iets anders, en dat mag op tafel"
        assert lesson["questions"][-1] == {"text": "Wie in onze gemeente zit aan tafel als belangen botsen?",
                                           "audience": "gemeente"}
        assert lesson["sources"][-1]["url"] == "https://vng.nl"


@pytest.mark.parametrize("command", ["show", "preview"])
def test_an_unknown_lesson_lists_every_number_and_id(command, tmp_path):
    result = run(command, "standaard", "ontmoeten", cwd=tmp_path)
    assert result.returncode == 2
    assert "has no lesson 'ontmoeten'" in result.stderr
    assert "a number from 1 to 10" in result.stderr
    assert "1 financiering-naar-schaal" in result.stderr and "10 sleutelrollen-in-de-buurt" in result.stderr
    assert "…" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def _image(path: Path):
    from PIL import Image

    with Image.open(path) as image:
        image.load()
        return image.convert("RGB")


def _expected_size(width_mm: float, height_mm: float, dpi: int) -> tuple[float, float]:
    return width_mm / 25.4 * dpi, height_mm / 25.4 * dpi


def _assert_card_images(front: Path, back: Path, width_mm: float, height_mm: float, dpi: int) -> None:
    images = [_image(front), _image(back)]
    width, height = _expected_size(width_mm, height_mm, dpi)
    for image in images:
        assert abs(image.width - width) <= 1 and abs(image.height - height) <= 1, (image.size, width, height)
        assert len(image.getcolors(maxcolors=1_000_000) or []) > 50, "the image is (nearly) blank"
    assert images[0].tobytes() != images[1].tobytes()


def test_preview_writes_front_and_back_of_one_card_into_the_current_folder(tmp_path):
    result = run("preview", "standaard", "3", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    front, back = tmp_path / "standaard-card-03-front.png", tmp_path / "standaard-card-03-back.png"
    assert sorted(tmp_path.iterdir()) == sorted([front, back]), "only the two images, no temporary files"
    assert "wrote standaard-card-03-front.png" in result.stdout
    _assert_card_images(front, back, 105, 148, 150)


def test_preview_of_a_custom_deck_shows_the_overridden_card_as_the_kit_prints_it(tmp_path):
    import pypdfium2 as pdfium

    from dialoogkit.cards.loader import load_deck
    from dialoogkit.generator.plan import plan_deck
    from dialoogkit.layouts.formats import parse_card_format
    from dialoogkit.layouts.profiles import parse_profile
    from dialoogkit.output.png import screen_cards_pdf

    out = tmp_path / "beelden"
    result = run("preview", OVERRIDE, "botsende-belangen", "-o", out, "--dpi", "72", "--format", "a7",
                 "--profile", "standard", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    front, back = out / "override-test-card-03-front.png", out / "override-test-card-03-back.png"
    _assert_card_images(front, back, 74, 105, 72)
    plan = plan_deck(load_deck(OVERRIDE), parse_card_format("a7"), parse_profile("standard"))
    # the kit's PNGs show the deck's screen colours; its pages start with the opening card
    pdf = pdfium.PdfDocument(screen_cards_pdf(plan))
    for page_index, path in ((2 + 4, front), (2 + 5, back)):
        page = pdf[page_index]
        kit = page.render(scale=1.0, rev_byteorder=True).to_pil().convert("RGB")
        page.close()
        assert kit.size == _image(path).size
        assert kit.tobytes() == _image(path).tobytes(), f"{path.name} differs from the kit's page {page_index + 1}"
    pdf.close()


def test_preview_with_open_shows_both_images(tmp_path, monkeypatch):
    import click

    opened = []
    monkeypatch.setattr(click, "launch", lambda target, *a, **k: opened.append(target) or 0)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["preview", "standaard", "actieve-bewoners", "--open", "--format", "poker",
                                       "--dpi", "100"])
    assert result.exit_code == 0, result.output
    assert [Path(p).name for p in opened] == ["standaard-card-02-front.png", "standaard-card-02-back.png"]
    _assert_card_images(tmp_path / opened[0], tmp_path / opened[1], 63, 88, 100)


@pytest.mark.parametrize(("args", "phrase"), [(["--dpi", "5000"], "dpi"), (["--format", "b5"], "unknown card format"),
                                              (["--profile", "huge"], "profile")])
def test_preview_refuses_bad_options_before_anything_is_written(args, phrase, tmp_path):
    result = run("preview", "standaard", "1", *args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert phrase in result.stderr.lower()
    assert list(tmp_path.iterdir()) == []


def test_show_and_preview_take_allow_parent_folder(tmp_path):
    (tmp_path / "regio.yaml").write_text("extends: standaard\nid: regio\ntitle: Regio\n", encoding="utf-8")
    local = tmp_path / "wijk"
    local.mkdir()
    deck = local / "deck.yaml"
    deck.write_text("extends: ../regio.yaml\nid: wijk\nselect: [2, 1]\n", encoding="utf-8")
    for command in (["show", deck], ["preview", deck, "1", "-o", tmp_path / "png"]):
        refused = run(*command)
        assert refused.returncode == 1 and "--allow-parent-folder" in refused.stderr, refused.stderr
        allowed = run(*command, "--allow-parent-folder")
        assert allowed.returncode == 0, allowed.stderr
    assert (tmp_path / "png" / "wijk-card-01-front.png").is_file()


# --------------------------------------------------------------------------- 6. errors a non-programmer can act on


def _complaints(text: str):
    """``(loader name, Diagnosis)`` for each YAML parser that refuses ``text``."""
    from dialoogkit.cards.yamlerrors import explain_syntax_error

    loaders = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])
    for loader_class in loaders:
        loader = loader_class(text)
        try:
            loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            yield loader_class.__name__, explain_syntax_error(text, exc)
        except yaml.YAMLError:
            pass
        finally:
            loader.dispose()


def _line_count(text: str) -> int:
    return len(re.split("\r\n|\r|\n", text.rstrip("\r\n"))) if text.strip() else 1


@pytest.mark.parametrize("path", sorted(CORPUS.glob("yaml_*.yaml")) + sorted((TESTS / "fixtures" / "errors").glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_both_yaml_parsers_give_the_same_plain_message_at_a_line_that_exists(path):
    text = path.read_text(encoding="utf-8")
    found = list(_complaints(text))
    for name, diagnosis in found:
        assert diagnosis.line is not None and 1 <= diagnosis.line <= _line_count(text), (name, diagnosis)
        assert not JARGON.search(diagnosis.what + diagnosis.fix), (name, diagnosis)
    assert len({(d.line, d.what) for _, d in found}) <= 1, found


def test_mistakes_typed_anywhere_in_a_deck_never_show_parser_words():
    """Random slips (a character typed, deleted or replaced) in the standard deck: every message is
    in plain words and names a line of the file, whichever YAML parser is installed."""
    from dialoogkit.cards.bundled import decks_folder

    base = (decks_folder() / "standaard.yaml").read_text(encoding="utf-8")
    rng = random.Random(20240607)
    checked = 0
    for _ in range(400):
        chars = list(base)
        for _ in range(rng.randint(1, 3)):
            position = rng.randrange(len(chars))
            kind = rng.random()
            if kind < 0.4:
                chars.insert(position, rng.choice(" :-#'\"[]{}\t\n&*@%!|>,"))
            elif kind < 0.7:
                del chars[position]
            else:
                chars[position] = rng.choice(" :-#'\"[]{}\n")
        text = "".join(chars)
        for name, diagnosis in _complaints(text):
            checked += 1
            assert diagnosis.line is not None and 1 <= diagnosis.line <= _line_count(text), (name, diagnosis)
            assert not JARGON.search(diagnosis.what + diagnosis.fix), (name, diagnosis)
    assert checked > 200


@pytest.mark.parametrize(("text", "line", "phrases"), [
    ("id: x\nthemes:\n  wonen: {label: Wonen, colour: #1D5C7A, icon: house}\n", 3, ['colour: "#1D5C7A"']),
    ("id: x\nthemes:\n  wonen: {label: Wonen, colour: #1D5C7A, icon: house}", 3, ['colour: "#1D5C7A"']),
    ("q:\n  - text: A\n  text: B\n", 3, ["does not start with '- '"]),
    ("override:\n  a:\n    statement: x\n   explanation: y\n", 4, ["indented 3 spaces", "2 spaces", "4 spaces"]),
    ("override:\n  a:\n    statement: x\n      explanation: y\n", 4, ["more than `statement:`"]),
    ("lessons:\n  - id: a\n    statement Wie zijn buren kent\n    explanation: x\n", 3, ["has no ':'"]),
    ("title: 'Wat doen auto's hier'\nid: x\n", 1, ["written twice"]),
    ("q:\n  - text: A\n    audience: b\n  - Wie ken jij?\n    audience: bewoners\n", 4, ["- text: Wie ken jij?"]),
    ("a: 1\n---\nb: 2\n", 2, ["'---'"]),
    ("title: \"abc\nid: d\n", 1, ["never closed"]),
    ("publishers: [Aedes, VNG", 1, ["never closed with ']'"]),
    ("title: @Noord\n", 1, ["starts with '@'"]),
    ("url: \"C:\\Users\\x\"\n", 1, ["backslash"]),
    ("explanation: > Hallo\nid: x\n", 1, ["next line"]),
    ("title:Hallo\nid: x\n", 1, ["space after the colon"]),
])
def test_each_yaml_mistake_is_named_at_its_line(tmp_path, text, line, phrases):
    deck = tmp_path / "deck.yaml"
    deck.write_text(text, encoding="utf-8")
    result = run("check", deck)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {deck}:{line}: this is not valid YAML: "), result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, (phrase, result.stderr)
    assert not JARGON.search(result.stderr.split(": this is not valid YAML: ", 1)[1])
    assert "Traceback" not in result.stderr


def test_a_select_of_a_missing_lesson_lists_every_number_and_id(tmp_path):
    deck = tmp_path / "deck.yaml"
    deck.write_text("extends: standaard\nid: x\nselect: [1, 99]\n", encoding="utf-8")
    result = run("check", deck)
    assert result.returncode == 1
    assert f"{deck}:3: field 'select[2]': lesson '99' is not in the deck this one extends" in result.stderr
    ids = ["financiering-naar-schaal", "actieve-bewoners", "botsende-belangen", "elkaars-werk-begrijpen",
           "rol-community-builder", "ontmoetingsplek-bij-start", "weerstand-per-buurt", "zorgmijding-opvangen",
           "meerdere-meldplekken", "sleutelrollen-in-de-buurt"]
    assert ", ".join(f"{n} {i}" for n, i in enumerate(ids, 1)) in result.stderr
    assert "…" not in result.stderr


def test_an_overflow_from_questions_plus_points_at_the_users_line():
    result = run("check", OVERRIDE, "--format", "poker")
    assert result.returncode == 1
    line = line_of(OVERRIDE, "Wie in onze gemeente zit aan tafel")
    assert line > line_of(OVERRIDE, "questions+:")
    assert f"{OVERRIDE}:{line}: lesson 'botsende-belangen'" in result.stderr, result.stderr
    assert "shorten 'Wie in onze gemeente zit aan tafel" in result.stderr
    assert "write `questions:` instead of `questions+:` to replace the whole list" in result.stderr
    assert "standaard.yaml" not in result.stderr


def test_new_keeps_the_name_as_typed_and_prints_commands_to_paste(tmp_path):
    result = run("new", "Regio Eemland", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    deck = tmp_path / "regio-eemland" / "deck.yaml"
    data = yaml.safe_load(deck.read_text(encoding="utf-8"))
    assert (data["id"], data["title"], data["region"]) == ("regio-eemland", "Regio Eemland", "Regio Eemland")
    assert "  dialoogkit check regio-eemland/deck.yaml" in result.stdout
    nested = run("new", "Mijn decks/Regio Eemland", cwd=tmp_path)
    assert nested.returncode == 0, nested.stderr
    assert '  dialoogkit check "Mijn decks/regio-eemland/deck.yaml"' in nested.stdout
    commands = [line.strip() for line in nested.stdout.splitlines() if line.strip().startswith("dialoogkit ")]
    assert [shlex.split(c)[1] for c in commands] == ["check", "show", "build"]
    pasted = run(*shlex.split(commands[0])[1:], cwd=tmp_path)
    assert pasted.returncode == 0, pasted.stderr
    assert "OK  Regio Eemland  (regio-eemland, nl)" in pasted.stdout
    again = run("new", "Regio Eemland", cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_new_with_a_name_full_of_yaml_characters_makes_a_valid_deck(tmp_path):
    name = 'Wijk: "De Hoef" #2 & [Oost]'
    result = run("new", name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    deck = tmp_path / "wijk-de-hoef-2-oost" / "deck.yaml"
    assert yaml.safe_load(deck.read_text(encoding="utf-8"))["title"] == name
    assert run("check", deck).returncode == 0


def test_the_yaml_module_is_small_and_documented():
    import dialoogkit.cards.yamlerrors as yamlerrors
    import dialoogkit.cards.yamllines as yamllines

    for module in (yamlerrors, yamllines):
        assert module.__doc__ and "In:" in module.__doc__ and "Out:" in module.__doc__
        assert len(io.open(module.__file__, encoding="utf-8").read().splitlines()) < 350
