"""Custom and regional decks (issue 5) as a user sees them: decks that extend a bundled deck or
another deck file (select, override, append, add lessons, chains), region, logo and contacts on
the printed kit, clear errors that write nothing, `dialoogkit new` and `dialoogkit import`."""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml
import zxingcpp
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from dialoogkit.cards.paths import Gate
from dialoogkit.cards.bundled import decks_folder
from dialoogkit.cards.loader import load_deck
from dialoogkit.cards.models import Question, Source
from dialoogkit.cli import main
from dialoogkit.errors import ContentError
from dialoogkit.generator.plan import plan_deck
from dialoogkit.layouts.formats import parse_card_format
from dialoogkit.layouts.profiles import parse_profile
from dialoogkit.output.build import BuildOptions, build_kit

CUSTOM = Path(__file__).resolve().parent / "fixtures" / "custom"
ERRORS = CUSTOM / "errors"
SUBSET = CUSTOM / "subset.yaml"
OVERRIDE = CUSTOM / "override.yaml"
ADDED = CUSTOM / "added.yaml"
ADDED_SELECTED = CUSTOM / "added_selected.yaml"
LEVEL1 = CUSTOM / "level1.yaml"
LEVEL2 = CUSTOM / "chain" / "level2.yaml"
REGION = CUSTOM / "region" / "deck.yaml"
LOGO = CUSTOM / "region" / "logo.png"
ENGLISH = CUSTOM / "english.yaml"
SEED = Path(__file__).resolve().parent / "fixtures" / "shared" / "seed" / "10-inzichten-community-building-gemengd-wonen.txt"

STANDARD_IDS = ["financiering-naar-schaal", "actieve-bewoners", "botsende-belangen", "elkaars-werk-begrijpen",
                "rol-community-builder", "ontmoetingsplek-bij-start", "weerstand-per-buurt",
                "zorgmijding-opvangen", "meerdere-meldplekken", "sleutelrollen-in-de-buurt"]


# ---------------------------------------------------------------- helpers

def run_cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def normalised(text: str) -> str:
    """Without whitespace and hyphens (line breaks may hyphenate words)."""
    return re.sub(r"[\s\-\u00ad]+", "", text)


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


OPENING_TITLES = ("Waar gaat dit over?", "What is this about?")


def lesson_page_texts(pdf: Path) -> list[str]:
    """The pages after the opening card that a deck extending a bundled one inherits: front and
    back per lesson, then the contacts card."""
    texts = page_texts(pdf)
    assert any(title in texts[0] for title in OPENING_TITLES), texts[0][:200]
    return texts[2:]


def decode_qr(pdf: Path, index: int, scale: float = 4.0) -> list[str]:
    """The texts of all QR codes on one rendered page."""
    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[index].render(scale=scale).to_pil()
    finally:
        doc.close()
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def images_on(resources, seen=None) -> list:
    """Every image XObject reachable from a page's resources (also inside form XObjects)."""
    seen = set() if seen is None else seen
    found = []
    if resources is None:
        return found
    resources = resources.get_object()
    xobjects = resources.get("/XObject")
    if xobjects is None:
        return found
    for ref in xobjects.get_object().values():
        key = getattr(ref, "idnum", None)
        if key is not None and key in seen:
            continue
        seen.add(key)
        obj = ref.get_object()
        if obj.get("/Subtype") == "/Image":
            found.append(obj)
        elif obj.get("/Subtype") == "/Form":
            found.extend(images_on(obj.get("/Resources"), seen))
    return found


def line_of(path: Path, text: str) -> int:
    """The 1-based number of the first non-comment line of ``path`` that contains ``text``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line and not line.lstrip().startswith("#"):
            return number
    raise AssertionError(f"{text!r} not in {path}")


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def plan(loaded, fmt: str = "a6"):
    return plan_deck(loaded, parse_card_format(fmt), parse_profile("standard"))


@pytest.fixture(scope="module")
def standard():
    return load_deck("standaard").deck


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    """``kit(deck, parts)`` builds once per module and returns the deck's output folder."""
    cache: dict[tuple, Path] = {}

    def build(deck: Path, parts: tuple[str, ...] = ("cards",)) -> Path:
        key = (str(deck), parts)
        if key not in cache:
            out = tmp_path_factory.mktemp("kit")
            written = build_kit(deck, BuildOptions(output=out, parts=parts))
            folder = out / load_deck(deck).deck.id
            assert written and all(p.parent == folder and p.is_file() for p in written)
            cache[key] = folder
        return cache[key]

    return build


# ---------------------------------------------------------------- 1. subset and new order

def test_select_keeps_only_the_chosen_lessons_in_the_chosen_order(standard):
    loaded = load_deck(SUBSET)
    deck = loaded.deck
    assert [lesson.id for lesson in deck.lessons] == ["ontmoetingsplek-bij-start", "actieve-bewoners",
                                                      "meerdere-meldplekken"]
    by_id = {lesson.id: lesson for lesson in standard.lessons}
    for lesson in deck.lessons:
        assert lesson == by_id[lesson.id]
    assert deck.title == "Drie inzichten voor de wijk" and deck.id == "subset-test"
    assert deck.themes == standard.themes and deck.source == standard.source


def test_subset_cards_are_numbered_in_the_new_order(kit):
    folder = kit(SUBSET)
    texts = lesson_page_texts(folder / "cards-printshop.pdf")
    assert len(texts) == 6
    deck = load_deck(SUBSET).deck
    for index, lesson in enumerate(deck.lessons):
        front = texts[2 * index]
        assert f"{index + 1} / 3" in front
        assert normalised(lesson.statement) in normalised(front)
    assert "1 / 3" in texts[0]
    assert len(PdfReader(folder / "cards-sheets.pdf").pages) >= 2


# ---------------------------------------------------------------- 2. override and append

def test_override_replaces_and_appends_and_leaves_other_lessons_alone(standard):
    loaded = load_deck(OVERRIDE)
    deck = loaded.deck
    assert [lesson.id for lesson in deck.lessons] == STANDARD_IDS
    parent = {lesson.id: lesson for lesson in standard.lessons}
    changed = deck.lessons[2]
    old = parent["botsende-belangen"]
    assert changed.id == "botsende-belangen"
    assert changed.statement == "Wonen en zorg willen soms iets anders, en dat mag op tafel"
    assert changed.questions == old.questions + [
        Question(text="Wie in onze gemeente zit aan tafel als belangen botsen?", audience="gemeente")]
    assert changed.sources == old.sources + [Source(title="VNG over wonen en zorg", url="https://vng.nl")]
    assert (changed.explanation, changed.actions, changed.theme, changed.pillar) == \
        (old.explanation, old.actions, old.theme, old.pillar)
    # override by the parent's number: 6 is ontmoetingsplek-bij-start
    sixth = deck.lessons[5]
    assert sixth.explanation.startswith("In onze wijk is het buurthuis vanaf de eerste dag open.")
    assert sixth.model_copy(update={"explanation": parent[sixth.id].explanation}) == parent[sixth.id]
    for lesson in deck.lessons:
        if lesson.id not in ("botsende-belangen", "ontmoetingsplek-bij-start"):
            assert lesson == parent[lesson.id]
    assert len(plan(loaded).faces) == 10
    # the bundled deck itself is not changed by loading a deck that overrides it
    assert load_deck("standaard").deck == standard


def test_overridden_values_are_located_in_the_file_that_wrote_them():
    loaded = load_deck(OVERRIDE)
    assert loaded.where("lessons", 2, "statement") == (str(OVERRIDE), line_of(OVERRIDE, "statement: Wonen en zorg"))
    assert loaded.where("lessons", 2, "questions", 4, "text") == \
        (str(OVERRIDE), line_of(OVERRIDE, "Wie in onze gemeente"))
    assert loaded.where("lessons", 2, "sources", 1, "url") == (str(OVERRIDE), line_of(OVERRIDE, "https://vng.nl"))
    file, line = loaded.where("lessons", 0, "statement")
    assert Path(file).resolve() == (decks_folder() / "standaard.yaml").resolve() and line is not None


# ---------------------------------------------------------------- 3. added lessons

def test_added_lesson_comes_after_the_parent_lessons(standard):
    deck = load_deck(ADDED).deck
    assert [lesson.id for lesson in deck.lessons] == STANDARD_IDS + ["lokale-huurders"]
    assert deck.lessons[:10] == standard.lessons
    added = deck.lessons[10]
    assert (added.theme, added.pillar) == ("gemengd-wonen", "relaties")
    assert len(added.questions) == 3
    assert added.sources == [Source(title="Aedes", url="https://www.aedes.nl")]


def test_added_lesson_named_in_select_is_placed_there_and_unnamed_ones_follow():
    deck = load_deck(ADDED_SELECTED).deck
    assert [lesson.id for lesson in deck.lessons] == ["botsende-belangen", "lokale-huurders",
                                                      "financiering-naar-schaal", "buurtbudget"]


def test_added_lesson_card_has_its_number_and_its_own_source_qr(kit):
    pdf = kit(ADDED_SELECTED) / "cards-printshop.pdf"
    texts = lesson_page_texts(pdf)
    assert len(texts) == 8
    assert "2 / 4" in texts[2]
    assert normalised("Huurders uit de buurt weten wat er speelt") in normalised(texts[2])
    assert decode_qr(pdf, 2 + 3) == ["https://www.aedes.nl"]  # after the opening card's two pages
    assert decode_qr(pdf, 2 + 7) == ["https://www.valente.nl/"]


# ---------------------------------------------------------------- 4. two-level chain

def test_a_parent_in_a_folder_above_needs_allow_parent_folder():
    with pytest.raises(ContentError) as info:
        load_deck(LEVEL2)
    message = info.value.message
    assert f"{LEVEL2}:{line_of(LEVEL2, 'extends:')}:" in message
    assert "'../level1.yaml' leads outside the folder of" in message and "--allow-parent-folder" in message
    refused = run_cli("check", LEVEL2)
    assert refused.exit_code == 1 and "--allow-parent-folder" in refused.output
    assert run_cli("check", LEVEL2, "--allow-parent-folder").exit_code == 0


def test_two_level_chain_applies_both_levels(standard):
    loaded = load_deck(LEVEL2, Gate(allow_parent=True))
    deck = loaded.deck
    parent = {lesson.id: lesson for lesson in standard.lessons}
    # level1 order: 1 sleutelrollen, 2 financiering, 3 actieve-bewoners, 4 botsende-belangen
    assert [lesson.id for lesson in deck.lessons] == ["actieve-bewoners", "sleutelrollen-in-de-buurt",
                                                      "botsende-belangen"]
    assert deck.id == "level2-test"
    assert deck.title == "Niveau een" and deck.subtitle == "Ondertitel van niveau een"
    assert deck.region == "Regio Keten"
    assert deck.lessons[0].statement == "Bewoners doen mee als iemand ze vraagt"
    assert deck.lessons[1].questions == parent["sleutelrollen-in-de-buurt"].questions + [
        Question(text="Wie is bij ons de sleutelfiguur in de straat?")]
    assert deck.lessons[2] == parent["botsende-belangen"]
    assert deck.themes["beide"].colour == "#224466"
    assert deck.themes["beide"].label == standard.themes["beide"].label
    assert deck.themes["beide"].icon == standard.themes["beide"].icon
    assert deck.themes["gemengd-wonen"] == standard.themes["gemengd-wonen"]
    assert len(loaded.chain) == 3
    assert Path(loaded.chain[0]).resolve() == LEVEL2.resolve()
    assert Path(loaded.chain[1]).resolve() == LEVEL1.resolve()
    assert Path(loaded.chain[2]).resolve() == (decks_folder() / "standaard.yaml").resolve()
    assert loaded.where("region") == (str(LEVEL2), line_of(LEVEL2, "region:"))
    file, line = loaded.where("lessons", 0, "statement")
    assert (Path(file).resolve(), line) == (LEVEL1.resolve(), line_of(LEVEL1, "statement: Bewoners doen mee"))
    assert len(plan(loaded).faces) == 3


def test_check_of_a_chain_prints_what_it_extends():
    result = run_cli("check", LEVEL2, "--allow-parent-folder")
    assert result.exit_code == 0, result.output
    assert "extends:" in result.output
    extends_line = next(line for line in result.output.splitlines() if "extends:" in line)
    assert "level1.yaml" in extends_line and "standaard" in extends_line
    assert "3 lessons" in result.output and "Regio Keten" in result.output


# ---------------------------------------------------------------- 5. region, logo and contacts

def test_region_logo_and_contacts_are_loaded():
    loaded = load_deck(REGION)
    deck = loaded.deck
    assert deck.region == "Regio Test"
    assert loaded.logo_path is not None and loaded.logo_path.resolve() == LOGO.resolve()
    assert [c.name for c in deck.contacts] == ["Wijkteam Oost", "Meldpunt Samenleven"]
    assert deck.contacts[1].url == "https://vng.nl"
    assert len(plan(loaded).faces) == len(deck.lessons) + 1


@pytest.mark.parametrize("fmt, profile", [("poker", "standard"), ("a7", "standard"), ("a6", "large-print")])
def test_region_deck_plans_on_other_formats_and_profiles(fmt, profile):
    loaded = load_deck(REGION)
    planned = plan_deck(loaded, parse_card_format(fmt), parse_profile(profile))
    assert len(planned.faces) == len(loaded.deck.lessons) + 1


def test_contact_with_characters_the_font_lacks_is_an_error(tmp_path):
    deck = tmp_path / "deck.yaml"
    deck.write_text("extends: standaard\nid: emoji-contact\nselect: [1]\ncontacts:\n"
                    "  - name: \"Wijkteam \U0001F600\"\n    phone: 030 123 45 67\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", deck, "-q", "-o", out)
    # like an emoji in a statement: refused naming file, line and field, instead of printing a blank
    assert result.exit_code == 1, result.output
    assert re.search(rf"{re.escape(str(deck))}:[45]: .*field 'contacts[^']*'", result.output), result.output
    assert "U+1F600" in result.output, result.output
    assert files_under(out) == []


def test_region_kit_builds_cards_and_canvases(kit):
    folder = kit(REGION, ("cards", "canvases"))
    assert {p.name for p in folder.iterdir()} == {"cards-sheets.pdf", "cards-printshop.pdf", "canvases.pdf",
                                                  "manifest.json", f"{folder.name}-kit.zip"}


def test_printshop_has_a_contacts_card_after_the_lessons(kit):
    pdf = kit(REGION, ("cards", "canvases")) / "cards-printshop.pdf"
    lessons = len(load_deck(REGION).deck.lessons)
    texts = lesson_page_texts(pdf)
    assert len(texts) == 2 * (lessons + 1)
    contacts_front = normalised(texts[-2])
    for text in ("Wijkteam Oost", "Meldpunt Samenleven", "030 123 45 67", "wijkteam@voorbeeld.nl"):
        assert normalised(text) in contacts_front
    assert normalised("Meldpunt Samenleven") in normalised(texts[-1])
    assert decode_qr(pdf, 2 + len(texts) - 1) == ["https://vng.nl"]  # after the opening card's two pages


def test_region_is_on_every_card_front(kit):
    texts = page_texts(kit(REGION, ("cards", "canvases")) / "cards-printshop.pdf")
    fronts = texts[0::2]
    assert fronts
    for index, front in enumerate(fronts):
        assert normalised("Regio Test") in normalised(front), f"front {index + 1} lacks the region"


def test_region_is_on_every_canvas(kit):
    texts = page_texts(kit(REGION, ("cards", "canvases")) / "canvases.pdf")
    assert len(texts) >= len(load_deck(REGION).deck.lessons) + 1
    for index, text in enumerate(texts):
        assert normalised("Regio Test") in normalised(text), f"canvas page {index + 1} lacks the region"


def test_logo_is_a_cmyk_image_on_every_lesson_front(kit):
    reader = PdfReader(kit(REGION, ("cards", "canvases")) / "cards-printshop.pdf")
    lessons = len(load_deck(REGION).deck.lessons)
    for index in range(lessons):
        images = images_on(reader.pages[2 * index].get("/Resources"))
        assert images, f"front {index + 1} has no image"
        assert any(img.get("/ColorSpace") == "/DeviceCMYK" for img in images), \
            [img.get("/ColorSpace") for img in images]


# ---------------------------------------------------------------- 6-9. errors: clear message, nothing written

ERROR_CASES = {
    # name: (deck given to the CLI, file named in the message, text on the named line, field, phrase)
    "cycle": (ERRORS / "cycle_a.yaml", ERRORS / "cycle_b.yaml", "extends:", "extends", "cycle"),
    "self-reference": (ERRORS / "self_reference.yaml", ERRORS / "self_reference.yaml", "extends:", "extends",
                       "cycle"),
    "missing-parent-file": (ERRORS / "missing_parent_file.yaml", ERRORS / "missing_parent_file.yaml", "extends:",
                            "extends", "does not exist"),
    "missing-parent-bundled": (ERRORS / "missing_parent_bundled.yaml", ERRORS / "missing_parent_bundled.yaml",
                               "extends:", "extends", "does not exist"),
    "unknown-select": (ERRORS / "unknown_select.yaml", ERRORS / "unknown_select.yaml", "bestaat-helemaal-niet",
                       "select[2]", "is not in the deck"),
    "close-select": (ERRORS / "close_select.yaml", ERRORS / "close_select.yaml", "select:", "select[2]",
                     "did you mean 'ontmoetingsplek-bij-start'"),
    "unknown-override": (ERRORS / "unknown_override.yaml", ERRORS / "unknown_override.yaml", "verzonnen-inzicht:",
                         "override.verzonnen-inzicht", "is not in the deck"),
    "logo-parent-folder": (ERRORS / "logo_parent_folder.yaml", ERRORS / "logo_parent_folder.yaml", "logo:", "logo",
                           "outside the folder of"),
    "logo-not-image": (ERRORS / "logo_not_image" / "deck.yaml", ERRORS / "logo_not_image" / "deck.yaml", "logo:",
                       "logo", "not a PNG or JPEG"),
    "logo-too-small": (ERRORS / "logo_too_small" / "deck.yaml", ERRORS / "logo_too_small" / "deck.yaml", "logo:",
                       "logo", "too small"),
}


def assert_clear_error(result, named: Path, line_text: str, field: str, phrase: str) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert f"{named}:{line_of(named, line_text)}:" in result.output, result.output
    assert f"field '{field}'" in result.output, result.output
    assert phrase in result.output, result.output


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_error_fixture_names_file_line_and_field_and_writes_nothing(tmp_path, case, command):
    deck, named, line_text, field, phrase = ERROR_CASES[case]
    out = tmp_path / "out"
    args = ("check", deck) if command == "check" else ("build", deck, "-q", "-o", out)
    result = run_cli(*args)
    assert_clear_error(result, named, line_text, field, phrase)
    assert files_under(out) == []
    assert files_under(tmp_path) == []


def test_unknown_select_without_a_close_id_lists_the_ids_instead_of_guessing():
    result = run_cli("check", ERRORS / "unknown_select.yaml")
    assert result.exit_code == 1
    assert "did you mean" not in result.output
    assert "financiering-naar-schaal" in result.output and "1 to 10" in result.output


def test_select_number_beyond_the_parent_is_an_error(tmp_path):
    deck = tmp_path / "deck.yaml"
    deck.write_text("extends: standaard\nid: te-ver\nselect: [1, 11]\n", encoding="utf-8")
    result = run_cli("build", deck, "-q", "-o", tmp_path / "out")
    assert_clear_error(result, deck, "select:", "select[2]", "is not in the deck")
    assert files_under(tmp_path / "out") == []


def test_empty_select_is_reported_in_the_file_that_selects(tmp_path):
    deck = tmp_path / "deck.yaml"
    deck.write_text("extends: standaard\nid: leeg\nselect: []\n", encoding="utf-8")
    result = run_cli("check", deck)
    assert result.exit_code == 1, result.output
    # the user wrote `select: []` here; the bundled deck is not theirs to edit
    assert f"{deck}:{line_of(deck, 'select:')}" in result.output, result.output
    assert "standaard.yaml" not in result.output, result.output


def _logo_deck(folder: Path, logo: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    deck = folder / "deck.yaml"
    deck.write_text(f"extends: standaard\nid: logo-test\nregion: Regio Logo\nlogo: {logo}\n", encoding="utf-8")
    return deck


@pytest.mark.parametrize("command", ["check", "build"])
def test_logo_with_an_absolute_path_is_outside_the_folder(tmp_path, command):
    deck = _logo_deck(tmp_path / "deck", str(LOGO.resolve()))
    out = tmp_path / "out"
    result = run_cli(*(("check", deck) if command == "check" else ("build", deck, "-q", "-o", out)))
    assert_clear_error(result, deck, "logo:", "logo", "outside the folder of")
    assert files_under(out) == []


@pytest.mark.parametrize("command", ["check", "build"])
def test_logo_through_a_symlink_pointing_outside_is_refused(tmp_path, command):
    folder = tmp_path / "deck"
    deck = _logo_deck(folder, "logo.png")
    os.symlink(LOGO.resolve(), folder / "logo.png")
    out = tmp_path / "out"
    result = run_cli(*(("check", deck) if command == "check" else ("build", deck, "-q", "-o", out)))
    assert_clear_error(result, deck, "logo:", "logo", "outside the folder of")
    assert files_under(out) == []


def test_the_same_logo_copied_into_the_folder_is_accepted(tmp_path):
    folder = tmp_path / "deck"
    deck = _logo_deck(folder, "logo.png")
    (folder / "logo.png").write_bytes(LOGO.read_bytes())
    loaded = load_deck(deck)
    assert loaded.logo_path == (folder / "logo.png").resolve()


def test_jpeg_logo_of_120_pixels_is_accepted_and_119_is_too_small(tmp_path):
    ok = tmp_path / "ok"
    deck = _logo_deck(ok, "logo.jpg")
    Image.new("RGB", (300, 120), (200, 30, 60)).save(ok / "logo.jpg", "JPEG")
    assert load_deck(deck).logo_path == (ok / "logo.jpg").resolve()
    small = tmp_path / "small"
    deck = _logo_deck(small, "logo.jpg")
    Image.new("RGB", (300, 119), (200, 30, 60)).save(small / "logo.jpg", "JPEG")
    result = run_cli("check", deck)
    assert_clear_error(result, deck, "logo:", "logo", "too small")


def test_missing_logo_file_is_an_error(tmp_path):
    deck = _logo_deck(tmp_path / "deck", "logo.png")
    result = run_cli("build", deck, "-q", "-o", tmp_path / "out")
    assert_clear_error(result, deck, "logo:", "logo", "does not exist")
    assert files_under(tmp_path / "out") == []


# ---------------------------------------------------------------- 10. dialoogkit new

def _uncomment_examples(text: str) -> str:
    """What a user does with the scaffold: remove the '# ' before the example blocks."""
    out, inside = [], False
    for line in text.splitlines():
        if re.match(r"^# (select|override|contacts|lessons):", line):
            inside = True
        if inside and not line.strip():
            inside = False
        out.append(line[2:] if inside else line)
    return "\n".join(out).replace("url: https://...", "url: https://www.aedes.nl") + "\n"


def test_new_then_check_then_build_works_end_to_end(tmp_path):
    folder = tmp_path / "regio-test"
    result = run_cli("new", folder)
    assert result.exit_code == 0, result.output
    deck = folder / "deck.yaml"
    assert deck.is_file()
    assert "extends: standaard" in deck.read_text(encoding="utf-8")
    assert "Next" in result.output
    assert f"dialoogkit check {deck}" in result.output and f"dialoogkit build {deck}" in result.output
    checked = run_cli("check", deck)
    assert checked.exit_code == 0, checked.output
    assert "10 lessons" in checked.output
    out = tmp_path / "out"
    built = run_cli("build", deck, "-q", "-o", out)
    assert built.exit_code == 0, built.output
    kit = out / "regio-test"
    assert {p.name for p in kit.iterdir()} == {"cards-sheets.pdf", "cards-printshop.pdf", "canvases.pdf", "guide.pdf", "png",
                                               "manifest.json", "regio-test-kit.zip"}
    texts = lesson_page_texts(kit / "cards-printshop.pdf")
    assert len(texts) == 20
    region = load_deck(deck).deck.region
    assert region and normalised(region) in normalised(texts[0])


def test_new_deck_with_its_examples_uncommented_is_valid(tmp_path):
    folder = tmp_path / "mijn-wijk"
    assert run_cli("new", folder).exit_code == 0
    deck = folder / "deck.yaml"
    deck.write_text(_uncomment_examples(deck.read_text(encoding="utf-8")), encoding="utf-8")
    loaded = load_deck(deck)
    ids = [lesson.id for lesson in loaded.deck.lessons]
    assert ids == ["financiering-naar-schaal", "actieve-bewoners", "ontmoetingsplek-bij-start",
                   "meerdere-meldplekken", "eigen-inzicht"]
    assert loaded.deck.lessons[3].questions[-1].text == "Kennen we het meldpunt in onze wijk?"
    assert [c.name for c in loaded.deck.contacts] == ["Wijkteam"]
    assert len(plan(loaded).faces) == 6


@pytest.mark.parametrize("existing", ["folder", "empty folder", "file"])
def test_new_never_touches_an_existing_path(tmp_path, existing):
    target = tmp_path / "regio-test"
    if existing == "file":
        target.write_text("mijn eigen tekst\n", encoding="utf-8")
        before = {target: target.read_bytes()}
    else:
        target.mkdir()
        if existing == "folder":
            (target / "deck.yaml").write_text("id: mijn-eigen-deck\n", encoding="utf-8")
            (target / "notes.txt").write_text("niet weggooien\n", encoding="utf-8")
        before = {p: p.read_bytes() for p in target.rglob("*")}
    result = run_cli("new", target)
    assert result.exit_code != 0
    if existing != "file":
        assert result.exit_code == 1 and "already exists" in result.output, result.output
    after = {target: target.read_bytes()} if existing == "file" else {p: p.read_bytes() for p in target.rglob("*")}
    assert after == before


# ---------------------------------------------------------------- 11. dialoogkit import

def seed_rows() -> list[str]:
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if "\t" in line]
    assert len(lines) == 11, "the seed's table: a header and ten lessons"
    return lines


def write_seed_table(path: Path, change=None) -> Path:
    lines = seed_rows()
    if change:
        lines = change(lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The seed's table imported with the CLI: (result, deck file)."""
    folder = tmp_path_factory.mktemp("import")
    table = write_seed_table(folder / "inzichten.tsv")
    deck = folder / "inzichten.yaml"
    return run_cli("import", table, "-o", deck), deck


def test_import_of_the_seed_table_gives_a_deck_that_passes_check(imported):
    result, deck = imported
    assert result.exit_code == 0, result.output
    assert deck.is_file()
    assert "10 lessons" in result.output
    checked = run_cli("check", deck)
    assert checked.exit_code == 0, checked.output
    assert "10 lessons" in checked.output
    assert len(load_deck(deck).deck.lessons) == 10


def test_import_keeps_statements_and_strips_html(imported):
    _, deck = imported
    lessons = load_deck(deck).deck.lessons
    assert lessons[0].statement == "Structurele financiering is niet altijd noodzakelijk"
    assert lessons[9].statement.startswith("Heatjes, buurtambassadeurs")
    second = lessons[1].explanation
    assert "startfase" in second and "<b>" not in second and "</b>" not in second
    assert "Woon" in lessons[3].explanation and "<" not in lessons[3].explanation
    for lesson in lessons:
        for text in (lesson.statement, lesson.explanation, lesson.actions.own or "", lesson.actions.higher or ""):
            assert "<b>" not in text and "</b>" not in text


def test_import_dash_means_no_action(imported):
    _, deck = imported
    lessons = load_deck(deck).deck.lessons
    assert lessons[0].actions.own is None
    assert lessons[0].actions.higher and "cofinanciering" in lessons[0].actions.higher
    assert lessons[1].actions.higher is None
    assert lessons[1].actions.own and "werving" in lessons[1].actions.own
    raw = yaml.safe_load(deck.read_text(encoding="utf-8"))
    assert "self" not in raw["lessons"][0].get("actions", {})
    assert "higher" not in raw["lessons"][1].get("actions", {})
    for lesson in raw["lessons"]:
        for value in lesson.get("actions", {}).values():
            assert value not in ("-", "", None)


def test_import_maps_beiden_and_beide_to_one_theme(imported):
    _, deck = imported
    loaded = load_deck(deck).deck
    lessons = loaded.lessons
    assert lessons[1].theme == "beide"   # "Beiden" in the seed
    assert lessons[6].theme == "beide"   # "Beide" in the seed
    assert lessons[0].theme == "community-building"
    assert lessons[2].theme == "gemengd-wonen"
    assert set(loaded.themes) == {"community-building", "gemengd-wonen", "beide"}


def test_import_of_an_english_csv(tmp_path):
    table = tmp_path / "insights.csv"
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Lesson", "Topic", "Explanation", "Self", "Higher"])
        writer.writerow(["Meeting places matter from the start", "Community building",
                         "A room to meet, open on day one, helps neighbours, residents and staff connect.",
                         "Reserve a room in every new building.", "-"])
        writer.writerow(["Active residents are not a given", "Both",
                         "Recruit with care; support residents <b>after</b> the start too.", "",
                         "Agree on funding with the municipality."])
        writer.writerow(["Mixed housing needs agreements", "Mixed housing",
                         "Housing and care look at different things.", "-", "-"])
    deck = tmp_path / "insights.yaml"
    result = run_cli("import", table, "-o", deck, "--language", "en")
    assert result.exit_code == 0, result.output
    checked = run_cli("check", deck)
    assert checked.exit_code == 0, checked.output
    loaded = load_deck(deck).deck
    assert loaded.language == "en"
    lessons = loaded.lessons
    assert [lesson.statement for lesson in lessons] == ["Meeting places matter from the start",
                                                        "Active residents are not a given",
                                                        "Mixed housing needs agreements"]
    assert lessons[0].explanation.startswith("A room to meet, open on day one")
    assert lessons[0].actions.own == "Reserve a room in every new building." and lessons[0].actions.higher is None
    assert lessons[1].actions.own is None and lessons[1].actions.higher == "Agree on funding with the municipality."
    assert "<b>" not in lessons[1].explanation and "after" in lessons[1].explanation
    assert lessons[2].actions.own is None and lessons[2].actions.higher is None
    assert [lesson.theme for lesson in lessons] == ["community-building", "beide", "gemengd-wonen"]


def test_import_reports_a_row_without_explanation_by_its_row_number(tmp_path):
    def blank_fifth_explanation(lines):
        cells = lines[5].split("\t")  # line 6 of the table: lesson 5
        assert cells[0] == "5"
        cells[3] = ""
        return lines[:5] + ["\t".join(cells)] + lines[6:]

    table = write_seed_table(tmp_path / "inzichten.tsv", blank_fifth_explanation)
    deck = tmp_path / "inzichten.yaml"
    result = run_cli("import", table, "-o", deck)
    assert result.exit_code == 1, result.output
    assert "row 6" in result.output and "explanation" in result.output
    assert f"{table}:6" in result.output
    for other in ("row 2 ", "row 5 ", "row 7 "):
        assert other not in result.output
    assert not deck.exists()


def test_import_refuses_a_table_without_an_explanation_column(tmp_path):
    table = tmp_path / "lessons.csv"
    table.write_text("Lesson,Topic,Self\nMeeting places matter,Community building,Reserve a room\n",
                     encoding="utf-8")
    deck = tmp_path / "lessons.yaml"
    result = run_cli("import", table, "-o", deck)
    assert result.exit_code == 1, result.output
    assert "explanation" in result.output and "header" in result.output
    assert f"{table}:1" in result.output
    assert not deck.exists()


# ---------------------------------------------------------------- 12. English

def test_english_custom_deck_builds_with_english_labels(kit):
    loaded = load_deck(ENGLISH)
    assert loaded.deck.language == "en"
    assert [lesson.id for lesson in loaded.deck.lessons] == ["financiering-naar-schaal", "local-tenants"]
    pdf = kit(ENGLISH) / "cards-printshop.pdf"
    texts = lesson_page_texts(pdf)
    assert len(texts) == 4
    for back in texts[1::2]:
        assert normalised("Discussion questions") in normalised(back)
        assert "Gespreksvragen" not in back
    assert normalised("Tenants from the neighbourhood know what is going on") in normalised(texts[2])
    assert "2 / 2" in texts[2]
    assert decode_qr(pdf, 2 + 3) == ["https://www.aedes.nl"]  # after the opening card's two pages
