"""PNG images show the deck's screen colours (not the CMYK made for the press), say their
resolution and carry an sRGB profile, and come out identical for identical input."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from PIL import Image, ImageCms

from dialoogkit.cards.loader import load_deck
from dialoogkit.cli import main
from dialoogkit.generator.display import Area
from dialoogkit.generator.plan import plan_deck
from dialoogkit.generator.posters.plan import plan_canvases
from dialoogkit.layouts.formats import parse_card_format
from dialoogkit.layouts.posters import POSTER_SIZES
from dialoogkit.layouts.profiles import parse_profile
from dialoogkit.output.png import export_pngs, screen_canvases_pdf, screen_cards_pdf

DPI = 60


@pytest.fixture(scope="module")
def plans():
    loaded = load_deck("standaard")
    return (plan_deck(loaded, parse_card_format("a6"), parse_profile("standard"), lambda n: None),
            plan_canvases(loaded))


def export(plans) -> dict[str, bytes]:
    cards, canvases = plans
    files: dict[str, bytes] = {}
    export_pngs(screen_cards_pdf(cards), 0.0, screen_canvases_pdf(canvases, POSTER_SIZES["a3"]), DPI,
                lambda name, data: files.__setitem__(name, data))
    return files


def band_hex(face) -> tuple[int, int, int]:
    area = next(item for item in face.items if isinstance(item, Area))
    return area.colour.rgb255


def test_every_front_shows_its_band_in_the_decks_screen_colour(plans):
    files = export(plans)
    cards, _ = plans
    for number, (front, _) in enumerate(cards.printed_faces, 1):
        with Image.open(io.BytesIO(files[f"png/card-{number:02d}-front.png"])) as image:
            pixel = image.convert("RGB").getpixel((2, 2))  # the band's top-left corner, away from text
        expected = band_hex(front)
        assert all(abs(a - b) <= 2 for a, b in zip(pixel, expected)), (number, pixel, expected)


def test_a_theme_with_print_cmyk_still_shows_its_screen_colour(plans):
    cards, _ = plans
    deck = cards.deck
    theme = deck.themes[deck.lessons[0].theme]
    assert theme.cmyk is not None
    files = export(plans)
    index = next(i for i, pair in enumerate(cards.printed_faces) if pair == cards.faces[0]) + 1
    with Image.open(io.BytesIO(files[f"png/card-{index:02d}-front.png"])) as image:
        pixel = image.convert("RGB").getpixel((2, 2))
    expected = tuple(int(theme.colour[i:i + 2], 16) for i in (1, 3, 5))
    assert all(abs(a - b) <= 2 for a, b in zip(pixel, expected)), (pixel, theme.colour)


def test_every_png_says_its_dpi_and_carries_an_srgb_profile(plans):
    files = export(plans)
    assert any(name.startswith("png/canvas-") for name in files)
    for name, data in files.items():
        with Image.open(io.BytesIO(data)) as image:
            assert "dpi" in image.info, name
            if name != "png/contact-sheet.png":
                assert image.info["dpi"] == pytest.approx((DPI, DPI), abs=0.01), name
            profile = ImageCms.ImageCmsProfile(io.BytesIO(image.info["icc_profile"]))
            assert "sRGB" in ImageCms.getProfileDescription(profile), name
            assert image.mode == "RGB"


def test_a6_front_is_the_trim_at_the_dpi(plans):
    files = export(plans)
    with Image.open(io.BytesIO(files["png/card-01-front.png"])) as image:
        width, height = image.size
    assert abs(width - 105 / 25.4 * DPI) <= 1 and abs(height - 148 / 25.4 * DPI) <= 1  # no bleed around it


def test_png_export_is_deterministic(plans):
    assert export(plans) == export(plans)


def test_the_kit_pngs_take_screen_colours(tmp_path):
    """Through the CLI: the kit's PNG of the first lesson shows the deck's #RRGGBB."""
    result = CliRunner().invoke(main, ["build", "standaard", "-q", "--only", "png", "--dpi", "40",
                                       "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    deck = load_deck("standaard").deck
    colours = {tuple(int(theme.colour[i:i + 2], 16) for i in (1, 3, 5)) for theme in deck.themes.values()}
    fronts = sorted(tmp_path.rglob("card-*-front.png"))
    assert len(fronts) >= len(deck.lessons)
    shown = set()
    for path in fronts:
        with Image.open(path) as image:
            assert image.info["dpi"] == pytest.approx((40, 40), abs=0.01)
            shown.add(image.convert("RGB").getpixel((1, 1)))
    for colour in colours:
        assert any(all(abs(a - b) <= 2 for a, b in zip(colour, pixel)) for pixel in shown), colour
