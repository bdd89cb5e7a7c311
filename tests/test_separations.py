"""Separations that match their label, read back as a print shop would: the CMYK in a file built
for FOGRA29 (uncoated) differs from the FOGRA39 build where the conditions differ, and read back
through the named condition's own profile prints the theme colours within ΔE00 3 of their screen
colour wherever the colour lies inside that condition's gamut; outside it the build warns, naming
the colour and the ΔE00. A deck's cmyk applies to the condition it was chosen for; a print shop's
.icc converts the colours through itself; a name without open data asks for that file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from PIL import Image, ImageCms

from dialoogkit.cards.loader import load_deck
from dialoogkit.cli import main
from dialoogkit.generator.ciede2000 import delta_e00
from dialoogkit.generator import icc
from dialoogkit.generator.colours import Colour, print_delta_e
from dialoogkit.output.build import BuildOptions, build_kit
from kitdecks import deck_data, write_deck

ICC = Path(__file__).resolve().parents[1] / "src" / "dialoogkit" / "data" / "icc"
PROFILES = {"FOGRA39": ICC / "FOGRA39-300.icc", "FOGRA29": ICC / "FOGRA29-300.icc"}
SCREEN_COLOURS = ["#1D5C7A", "#7B2D5B", "#2F6A3A", "#C0392B", "#E67E22", "#F1C40F", "#2980B9", "#8E44AD",
                  "#16A085", "#225522", "#5DADE2", "#F5B7B1", "#A9DFBF", "#D35400", "#FF0000"]
IN_GAMUT = 1.0  # ΔE00 from the nearest printable colour: within the profile's own precision


def lab_through(profile: Path, cmyk: tuple[float, ...]) -> tuple[float, float, float]:
    """CIELAB of a printed CMYK colour read through ``profile`` with littleCMS, here in the test."""
    transform = ImageCms.buildTransform(ImageCms.getOpenProfile(str(profile)), ImageCms.createProfile("LAB", 5000),
                                        "CMYK", "LAB", ImageCms.Intent.RELATIVE_COLORIMETRIC)
    l, a, b = ImageCms.applyTransform(Image.new("CMYK", (1, 1), tuple(round(v * 255) for v in cmyk)),
                                      transform).tobytes()  # L 0..255, a and b as signed bytes
    return l * 100 / 255, (a - 256 if a > 127 else a), (b - 256 if b > 127 else b)


def fills(pdf_path: Path, page: int) -> list[tuple[float, ...]]:
    with pikepdf.open(pdf_path) as pdf:
        return [tuple(float(v) for v in operands) for operands, operator
                in pikepdf.parse_content_stream(pdf.pages[page]) if str(operator) == "k"]


def themed_deck(tmp_path: Path, colours: list[str], cmyk: list[float] | None = None, **deck) -> Path:
    """A deck with one lesson per colour, each in a theme of its own (with ``cmyk`` for all)."""
    data = deck_data(len(colours))
    base = data["themes"]["t"]
    data["themes"] = {f"t{i}": {**base, "colour": colour, **({"cmyk": cmyk} if cmyk else {})}
                      for i, colour in enumerate(colours)}
    for i, lesson in enumerate(data["lessons"]):
        lesson["theme"] = f"t{i}"
    data.update(deck)
    return write_deck(tmp_path / "deck.yaml", data)


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The standard deck's print-shop cards for FOGRA39 and FOGRA29, with the build's warnings."""
    found = {}
    for name in PROFILES:
        out = tmp_path_factory.mktemp(name)
        heard: list = []
        build_kit("standaard", BuildOptions(output=out, parts=("cards",), output_intent=name), warn=heard.append)
        found[name] = (out / "standaard" / "cards-printshop.pdf", heard)
    return found


def test_the_shipped_profiles_are_small_and_their_licence_is_written_down():
    for name, path in PROFILES.items():
        assert path.stat().st_size < 150_000, (name, path.stat().st_size)
        assert ImageCms.getOpenProfile(str(path)).profile.xcolor_space.strip() == "CMYK"
    readme = (ICC / "README.txt").read_text()
    assert "FOGRA29L.ti3" in readme and "Zlib" in readme and "FOGRA29-300.icc" in readme


def test_fogra29_separates_differently_from_fogra39(builds):
    """The band of lesson 1 (page 3: opening card front and back come first)."""
    fogra39, fogra29 = (set(fills(builds[name][0], 2)) for name in ("FOGRA39", "FOGRA29"))
    assert fogra39 != fogra29
    theme = load_deck("standaard").deck.themes[load_deck("standaard").deck.lessons[0].theme]
    assert tuple(v / 100 for v in theme.cmyk) in fogra39  # the deck's cmyk, chosen for FOGRA39
    assert tuple(v / 100 for v in theme.cmyk) not in fogra29  # for uncoated paper: converted
    with icc.separating(icc.shipped_condition("FOGRA29")):
        assert Colour.from_hex(theme.colour).cmyk in fogra29


@pytest.mark.parametrize("condition", list(PROFILES))
def test_theme_colours_read_back_through_the_conditions_profile(tmp_path, condition):
    """Every screen colour, converted for the condition and read back through its profile: within
    ΔE00 3 where the condition can print it; otherwise the build warns with colour and ΔE00."""
    deck = themed_deck(tmp_path, SCREEN_COLOURS)
    heard: list = []
    build_kit(deck, BuildOptions(output=tmp_path / "out", parts=("cards",), output_intent=condition),
              warn=heard.append)
    printed = tmp_path / "out" / load_deck(deck).deck.id / "cards-printshop.pdf"
    warned = " ".join(problem.message for problem in heard)
    inside = 0
    for index, colour in enumerate(SCREEN_COLOURS):
        screen = Colour.from_hex(colour)
        with icc.separating(icc.shipped_condition(condition)):
            cmyk, outside = screen.cmyk, icc.gamut_distance(screen.rgb255)
        assert cmyk in fills(printed, 2 * index), (colour, "the band prints the conversion")
        delta = delta_e00(icc.srgb_to_lab(*screen.rgb), lab_through(PROFILES[condition], cmyk))
        if outside <= IN_GAMUT:
            inside += 1
            assert delta <= 3.0, (condition, colour, delta)
        if delta > 3.0:
            assert f"({colour}) prints at ΔE00 {delta:.1f} from its screen colour on {condition}" in warned, \
                (colour, delta, warned)
        else:
            assert f"({colour})" not in warned
    assert inside >= 3, "some colours lie inside the gamut"


def test_the_standard_deck_warns_on_uncoated_paper_only(builds):
    assert [p for p in builds["FOGRA39"][1] if "ΔE00" in p.message] == []
    warnings = [p for p in builds["FOGRA29"][1] if "ΔE00" in p.message]
    assert len(warnings) == 3  # the three dark theme colours lie outside uncoated paper's gamut
    for problem in warnings:
        assert "on FOGRA29" in problem.message and problem.field.startswith("themes.")
        assert problem.file.endswith("standaard.yaml") and problem.line


def test_a_decks_cmyk_applies_to_the_condition_it_was_chosen_for(tmp_path):
    deck = themed_deck(tmp_path, ["#1D5C7A"], cmyk=[90, 30, 5, 45], cmyk_condition="FOGRA29")
    data = load_deck(deck)
    assert data.deck.cmyk_condition == "FOGRA29" and data.deck.themes["t0"].cmyk == [90, 30, 5, 45]
    bands = {}
    for condition in PROFILES:
        build_kit(deck, BuildOptions(output=tmp_path / condition, parts=("cards",), output_intent=condition))
        bands[condition] = set(fills(tmp_path / condition / data.deck.id / "cards-printshop.pdf", 0))
    assert (0.9, 0.3, 0.05, 0.45) in bands["FOGRA29"]
    assert (0.9, 0.3, 0.05, 0.45) not in bands["FOGRA39"]
    with icc.separating(icc.shipped_condition("FOGRA39")):
        assert Colour.from_hex("#1D5C7A").cmyk in bands["FOGRA39"]


def test_the_print_shops_profile_converts_the_colours(tmp_path):
    """Given as a file, the FOGRA29 profile separates exactly as the name FOGRA29 does (a deck's
    FOGRA39 cmyk is not used: the file names no condition it was chosen for)."""
    shop = tmp_path / "drukkerij-ongestreken.icc"
    shutil.copy(PROFILES["FOGRA29"], shop)
    deck = themed_deck(tmp_path, ["#2980B9", "#16A085"])
    fills_of = {}
    for name, intent in (("named", "FOGRA29"), ("file", str(shop))):
        build_kit(deck, BuildOptions(output=tmp_path / name, parts=("cards",), output_intent=intent))
        fills_of[name] = fills(tmp_path / name / load_deck(deck).deck.id / "cards-printshop.pdf", 0)
    assert fills_of["named"] == fills_of["file"]


def test_a_registered_name_without_data_is_refused_asking_for_the_icc(tmp_path):
    result = CliRunner().invoke(main, ["build", "--only", "cards", "--output-intent", "FOGRA51", "-o",
                                       str(tmp_path), "-q"])
    assert result.exit_code == 2
    assert "FOGRA51" in result.output and ".icc" in result.output and "print shop" in result.output


def test_colours_in_gamut_print_within_3_in_both_conditions():
    for condition in PROFILES:
        with icc.separating(icc.shipped_condition(condition)):
            for colour in SCREEN_COLOURS:
                screen = Colour.from_hex(colour)
                if icc.gamut_distance(screen.rgb255) <= IN_GAMUT:
                    assert print_delta_e(screen) <= 3.0, (condition, colour)


def test_separating_is_local_to_the_block():
    blue = Colour.from_hex("#2980B9")
    before = blue.cmyk
    with icc.separating(icc.shipped_condition("FOGRA29")):
        inside = blue.cmyk
    assert blue.cmyk == before != inside
