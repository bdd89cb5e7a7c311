"""Colour that prints as designed, as a prepress checker reads it from the content streams: body and
heading text in solid black (``0 0 0 1 k``) that overprints, text under 12 pt in at most two
plates, no colour above 300 % ink, CMYK only; theme colours as the deck gives them or converted
through the shipped FOGRA39 profile (relative colorimetric; greys as a black tint at the lightness of
the conversion with black point compensation), printing
within dE00 3 of the screen colour; white text reversed out of a band at least 9 pt bold; the
deck model's ``cmyk`` field and its errors."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pikepdf
import numpy as np
import pytest
import yaml
from click.testing import CliRunner
from PIL import Image, ImageCms
from reportlab.pdfgen.canvas import Canvas

from dialoogkit.cards.bundled import list_bundled
from dialoogkit.cards.loader import load_deck
from dialoogkit.cli import main
from dialoogkit.errors import ContentError
from dialoogkit.generator import colours as palette
from dialoogkit.generator.ciede2000 import delta_e00, delta_e00_many
from dialoogkit.generator import icc
from dialoogkit.generator.colours import BODY, INK, WHITE, Colour
from dialoogkit.generator.display import render_face
from dialoogkit.generator.fonts import BOLD
from dialoogkit.generator.plan import plan_deck
from dialoogkit.layouts.formats import CARD_FORMATS, parse_card_format
from dialoogkit.layouts.profiles import parse_profile
from kitdecks import deck_data, write_deck

PROFILE = Path(__file__).resolve().parents[1] / "src" / "dialoogkit" / "data" / "icc" / "FOGRA39-300.icc"
DECKS = list_bundled()
BUNDLED_THEMES = [(name, key) for name in ("standaard", "standard-en") for key in load_deck(name).deck.themes]
COLOUR_OPS = {"k", "K"}
RGB_OPS = {"rg", "RG", "g", "G", "sc", "SC", "scn", "SCN", "cs", "CS"}
SHOW_OPS = {"Tj", "TJ", "'", '"'}


# ---------------------------------------------------------------- reading content streams

def text_runs(page: pikepdf.Page) -> list[dict]:
    """Every text showing operator of ``page`` with its fill colour, size in points on the page,
    and whether fill overprint is on."""
    ext = page.Resources.get("/ExtGState", {})
    state = {"fill": (0.0, 0.0, 0.0, 1.0), "scale": 1.0, "op": False}
    stack, runs, size, tm_scale = [], [], 0.0, 1.0
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "q":
            stack.append(dict(state))
        elif op == "Q":
            state = stack.pop()
        elif op == "cm":
            a, b, c, d = (float(v) for v in operands[:4])
            state["scale"] *= math.sqrt(abs(a * d - b * c))
        elif op == "k":
            state["fill"] = tuple(float(v) for v in operands)
        elif op == "gs":
            graphics = ext[str(operands[0])]
            if "/op" in graphics:
                state["op"] = bool(graphics["/op"])
        elif op == "Tf":
            size = float(operands[1])
        elif op == "Tm":
            a, b, c, d = (float(v) for v in operands[:4])
            tm_scale = math.sqrt(abs(a * d - b * c))
        elif op == "BT":
            tm_scale = 1.0
        elif op in SHOW_OPS:
            runs.append({"fill": state["fill"], "size": size * tm_scale * state["scale"], "op": state["op"]})
    return runs


def colour_operators(page: pikepdf.Page) -> list[tuple[str, tuple[float, ...]]]:
    return [(str(operator), tuple(float(v) for v in operands))
            for operands, operator in pikepdf.parse_content_stream(page)
            if str(operator) in COLOUR_OPS | RGB_OPS]


def plates(cmyk: tuple[float, ...]) -> int:
    return sum(1 for value in cmyk if value > 0.0)


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> dict[str, Path]:
    """The standard deck's print-shop files (A6 and A7) and canvases, built as a user would."""
    out = tmp_path_factory.mktemp("kit")
    files = {}
    for card_format in ("a6", "a7"):
        folder = out / card_format
        result = CliRunner().invoke(main, ["build", "standaard", "-q", "--only", "cards", "--format", card_format,
                                           "-o", str(folder)])
        assert result.exit_code == 0, result.output
        files[f"printshop-{card_format}"] = next(folder.rglob("cards-printshop.pdf"))
    result = CliRunner().invoke(main, ["build", "standaard", "-q", "--only", "canvases", "-o", str(out / "canvases")])
    assert result.exit_code == 0, result.output
    files["canvases"] = next((out / "canvases").rglob("canvases.pdf"))
    return files


# ---------------------------------------------------------------- the print files

@pytest.mark.parametrize("name", ["printshop-a6", "printshop-a7", "canvases"])
def test_small_text_is_in_at_most_two_plates(kit, name):
    with pikepdf.open(kit[name]) as pdf:
        runs = [run for page in pdf.pages for run in text_runs(page)]
    small = [run for run in runs if run["size"] < 12.0]
    assert small, "the file has small text to check"
    assert [run for run in small if plates(run["fill"]) > 2] == []


@pytest.mark.parametrize("name", ["printshop-a6", "printshop-a7", "canvases"])
def test_no_colour_puts_down_more_than_300_percent_and_all_is_cmyk(kit, name):
    with pikepdf.open(kit[name]) as pdf:
        operators = [entry for page in pdf.pages for entry in colour_operators(page)]
    assert [op for op, _ in operators if op in RGB_OPS] == []
    assert max(sum(values) for _, values in operators) <= 3.0 + 1e-9
    assert all(0.0 <= value <= 1.0 for _, values in operators for value in values)


@pytest.mark.parametrize("name", ["printshop-a6", "canvases"])
def test_solid_black_text_overprints(kit, name):
    with pikepdf.open(kit[name]) as pdf:
        runs = [run for page in pdf.pages for run in text_runs(page)]
    black = [run for run in runs if run["fill"] == (0.0, 0.0, 0.0, 1.0)]
    assert len(black) >= 10, "headings and body text are solid black"
    assert all(run["op"] for run in black)
    assert not any(run["op"] for run in runs if run["fill"] == (0.0, 0.0, 0.0, 0.0)), "white text knocks out"


@pytest.mark.parametrize("card_format", ["a6", "a7"])
def test_body_and_heading_text_operators_set_solid_black(card_format):
    """Each text of a face is one text object: body and heading texts (ink and body colour) set
    ``0 0 0 1 k`` and nothing else."""
    plan = plan_deck(load_deck("standaard"), parse_card_format(card_format), parse_profile("standard"), lambda n: None)
    for front, back in plan.faces[:4]:
        for face in (front, back):
            with pikepdf.open(io.BytesIO(face_pdf(face))) as pdf:
                blocks, current, shows = [], None, 0
                for operands, operator in pikepdf.parse_content_stream(pdf.pages[0]):
                    if str(operator) == "BT":
                        current, shows = [], 0
                    elif str(operator) == "ET":
                        if shows:  # reportlab opens each page with an empty text object
                            blocks.append(current)
                        current = None
                    elif current is not None and str(operator) == "k":
                        current.append(tuple(float(v) for v in operands))
                    elif str(operator) in SHOW_OPS:
                        shows += 1
            texts = face.texts()
            assert len(blocks) == len(texts)
            body = [(text.name, fills) for text, fills in zip(texts, blocks) if text.colour in (INK, BODY)]
            assert any(name == "statement" for name, _ in body) or any(name.startswith("question") for name, _ in body)
            for name, fills in body:
                assert fills == [(0.0, 0.0, 0.0, 1.0)], name


# ---------------------------------------------------------------- theme colours

def reference_cmyk(hex_colour: str) -> tuple[float, ...]:
    """The ICC conversion made here directly with littleCMS: sRGB to the shipped profile,
    relative colorimetric (a flat colour the paper can print keeps its measured look)."""
    transform = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(PROFILE)),
                                        "RGB", "CMYK", ImageCms.Intent.RELATIVE_COLORIMETRIC)
    rgb = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), transform).getpixel((0, 0))
    return tuple(round(value / 255, 4) for value in pixel)


def face_pdf(face) -> bytes:
    """One face drawn alone on an uncompressed page, to read its content stream."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(face.width, face.height), invariant=1, pageCompression=0)
    render_face(canvas, face)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def band_fill(face) -> tuple[float, ...]:
    with pikepdf.open(io.BytesIO(face_pdf(face))) as pdf:
        return next(tuple(float(v) for v in operands) for operands, operator
                    in pikepdf.parse_content_stream(pdf.pages[0]) if str(operator) == "k")


@pytest.mark.parametrize("deck, theme", BUNDLED_THEMES)
def test_bundled_theme_prints_the_decks_cmyk(deck, theme):
    loaded = load_deck(deck)
    given = loaded.deck.themes[theme].cmyk
    assert given is not None, "the bundled decks give print CMYK for every theme"
    plan = plan_deck(loaded, parse_card_format("a6"), parse_profile("standard"), lambda n: None)
    index = next(i for i, lesson in enumerate(loaded.deck.lessons) if lesson.theme == theme)
    assert band_fill(plan.faces[index][0]) == pytest.approx(tuple(value / 100 for value in given), abs=1e-4)


@pytest.mark.parametrize("deck, theme", BUNDLED_THEMES)
def test_theme_without_cmyk_prints_the_icc_conversion(tmp_path, deck, theme):
    colour = load_deck(deck).deck.themes[theme].colour
    data = deck_data(1)
    data["themes"]["t"]["colour"] = colour
    loaded = load_deck(str(write_deck(tmp_path / "deck.yaml", data)))
    assert loaded.deck.themes["t"].cmyk is None
    plan = plan_deck(loaded, parse_card_format("a6"), parse_profile("standard"), lambda n: None)
    expected = reference_cmyk(colour)
    assert Colour.from_hex(colour).cmyk == pytest.approx(expected, abs=1e-4)
    assert band_fill(plan.faces[0][0]) == pytest.approx(expected, abs=1e-4)
    assert sum(expected) <= 3.0


@pytest.mark.parametrize("deck, theme", BUNDLED_THEMES)
def test_printed_band_matches_the_screen_colour_within_3_de00(deck, theme):
    entry = load_deck(deck).deck.themes[theme]
    screen = Colour.from_hex(entry.colour)
    printed = icc.cmyk_to_lab(tuple(value / 100 for value in entry.cmyk))
    assert delta_e00(icc.srgb_to_lab(*screen.rgb), printed) <= 3.0


def test_ciede2000_matches_the_published_test_data():
    """Pairs from Sharma, Wu and Dalal (2005), the reference data for CIEDE2000."""
    pairs = [((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425), ((50, 0, 0), (50, -1, 2), 2.3669),
             ((50, 2.49, -0.001), (50, -2.49, 0.0011), 7.2195), ((60.2574, -34.0099, 36.2677),
             (60.4626, -34.1751, 39.4387), 1.2644), ((90.9257, -0.5406, -0.9208), (88.6381, -0.8985, -0.7239), 1.5381),
             ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082)]
    for one, two, expected in pairs:
        assert delta_e00(one, two) == pytest.approx(expected, abs=1e-4)
        assert delta_e00_many(one, np.array([two]))[0] == pytest.approx(expected, abs=1e-4)
        assert delta_e00_many(two, np.array([one]))[0] == pytest.approx(expected, abs=1e-4)


def test_ciede2000_at_once_is_the_same_formula():
    """The array form (the colour searches) gives the one-pair form's value for every pair: grey,
    hue angles on both sides of 0 and 180 degrees, zero chroma on one side or both."""
    rng = np.random.default_rng(2005)
    labs = np.column_stack([rng.uniform(0, 100, 3000), rng.uniform(-128, 127, 3000), rng.uniform(-128, 127, 3000)])
    labs[::7, 1:] = 0.0
    labs[1::11, 1] = 0.0
    labs[2::13, 2] = -labs[2::13, 2] * 0.0
    for target in [(50.0, 0.0, 0.0), (31.2, -40.0, 0.001), (70.0, 12.0, -60.0), (55.0, -3.0, -0.0), tuple(labs[5])]:
        many = delta_e00_many(target, labs)
        assert many.tolist() == pytest.approx([delta_e00(target, tuple(lab)) for lab in labs], abs=1e-9)


def test_screen_lab_matches_littlecms():
    transform = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.createProfile("LAB", 5000),
                                        "RGB", "LAB", ImageCms.Intent.RELATIVE_COLORIMETRIC)
    for rgb in ((0x1D, 0x5C, 0x7A), (0x7B, 0x2D, 0x5B), (255, 0, 0), (128, 128, 128)):
        l, a, b = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), transform).getpixel((0, 0))
        mine = icc.srgb_to_lab(*(ch / 255 for ch in rgb))
        assert mine == pytest.approx((l * 100 / 255, a - 128, b - 128), abs=0.6)


def palette_colours() -> list[Colour]:
    fixed = [value for value in vars(palette).values() if isinstance(value, Colour)]
    themes = [Colour.from_hex(theme.colour, theme.cmyk) for name in DECKS for theme in load_deck(name).deck.themes.values()]
    return fixed + themes + [Colour.from_hex(theme.colour) for name in DECKS
                             for theme in load_deck(name).deck.themes.values()]


def test_no_colour_of_the_palette_or_the_decks_goes_above_300_percent():
    colours = palette_colours()
    assert len(colours) >= 10
    for colour in colours:
        assert sum(colour.cmyk) <= 3.0 + 1e-9, colour
        for size in (6.0, 9.0, 11.9):
            assert plates(colour.text_cmyk(size)) <= 2, (colour, size)


def test_greys_print_on_the_black_plate_only():
    assert Colour.from_hex("#000000").cmyk == (0.0, 0.0, 0.0, 1.0)  # not the 290 % of the conversion
    assert INK.cmyk == BODY.cmyk == (0.0, 0.0, 0.0, 1.0)
    assert WHITE.cmyk == (0.0, 0.0, 0.0, 0.0)
    greys = [Colour.from_hex(f"#{v:02X}{v:02X}{v:02X}") for v in (0x59, 0x8C, 0xBF, 0xF4)]
    ks = [grey.cmyk for grey in greys]
    assert all(c == m == y == 0.0 for c, m, y, _ in ks)
    assert [k for *_, k in ks] == sorted((k for *_, k in ks), reverse=True)  # lighter grey, less black
    compensated = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(PROFILE)),
                                          "RGB", "CMYK", ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                          flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
    for grey, cmyk in zip(greys, ks):  # the tint prints at the lightness of the compensated ICC conversion
        pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), grey.rgb255), compensated).getpixel((0, 0))
        assert icc.cmyk_to_lab(cmyk)[0] == pytest.approx(icc.cmyk_to_lab(tuple(v / 255 for v in pixel))[0], abs=1.0)


def test_small_text_in_a_theme_colour_keeps_close_in_two_plates():
    blue = Colour.from_hex("#1D5C7A", (76, 21, 0, 59))
    assert blue.text_cmyk(14.0) == blue.cmyk
    small = blue.text_cmyk(9.0)
    assert plates(small) == 2
    assert delta_e00(icc.cmyk_to_lab(small), icc.cmyk_to_lab(blue.cmyk)) <= 5.0


@pytest.mark.parametrize("card_format, profile", [(name, "standard") for name in CARD_FORMATS] + [("a6", "large-print")])
def test_white_text_reversed_out_of_the_band_is_at_least_9_pt_bold(card_format, profile):
    plan = plan_deck(load_deck("standaard"), parse_card_format(card_format), parse_profile(profile), lambda n: None)
    reversed_out = [text for pair in plan.printed_faces for face in pair for text in face.texts()
                    if text.colour == WHITE]
    assert len(reversed_out) >= 2 * len(plan.faces)
    for text in reversed_out:
        assert text.block.size >= 9.0, (text.name, text.block.size)
        assert {font for line in text.block.lines for _, _, font in line.pieces} == {BOLD}


# ---------------------------------------------------------------- the deck model

def theme_deck(tmp_path: Path, **theme) -> Path:
    data = deck_data(1)
    data["themes"]["t"].update(theme)
    return write_deck(tmp_path / "deck.yaml", data)


def test_a_theme_may_give_cmyk_or_leave_it_out(tmp_path):
    with_cmyk = load_deck(str(theme_deck(tmp_path, cmyk=[76, 21, 0, 59.5])))
    assert with_cmyk.deck.themes["t"].cmyk == [76.0, 21.0, 0.0, 59.5]
    assert load_deck(str(theme_deck(tmp_path))).deck.themes["t"].cmyk is None


@pytest.mark.parametrize("cmyk, phrase", [
    ([90, 90, 90, 50], "add up to 320%, more than the 300%"),
    ([10, 120, 0, 0], "the ink 120% in cmyk is out of range"),
    ([10, 20, 30], "cmyk needs four numbers"),
    ([10, "veel", 0, 0], "'veel' in cmyk is not a number"),
])
def test_a_wrong_cmyk_names_file_line_and_field(tmp_path, cmyk, phrase):
    path = theme_deck(tmp_path, cmyk=cmyk)
    line = next(number for number, text in enumerate(path.read_text().splitlines(), 1) if "cmyk:" in text)
    with pytest.raises(ContentError) as info:
        load_deck(str(path))
    message = info.value.format_message()
    assert f"deck.yaml:{line}:" in message, message
    assert "field 'themes.t.cmyk'" in message, message
    assert phrase in message, message
    assert " — " in message


def test_the_schema_describes_cmyk():
    from dialoogkit.cards.models import deck_json_schema
    schema = deck_json_schema()
    theme = schema["$defs"]["Theme"]["properties"]["cmyk"]
    options = theme.get("anyOf", [theme])
    array = next(option for option in options if option.get("type") == "array")
    assert array["minItems"] == array["maxItems"] == 4
    assert array["items"]["minimum"] == 0 and array["items"]["maximum"] == 100
    assert yaml.safe_dump(schema)  # serialisable


def test_a_deck_that_changes_a_theme_colour_does_not_keep_the_parents_print_colour(tmp_path):
    child = tmp_path / "child.yaml"
    child.write_text('extends: standaard\nid: child\nthemes:\n  beide: {colour: "#225522"}\n'
                     '  gemengd-wonen: {label: Wonen}\n', encoding="utf-8")
    themes = load_deck(str(child)).deck.themes
    assert themes["beide"].colour == "#225522" and themes["beide"].cmyk is None
    assert Colour.from_hex("#225522", themes["beide"].cmyk).cmyk == pytest.approx(reference_cmyk("#225522"), abs=1e-4)
    assert themes["gemengd-wonen"].cmyk == load_deck("standaard").deck.themes["gemengd-wonen"].cmyk
