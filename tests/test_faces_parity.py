"""Both faces offer the same product: every choice of a build (the registry in ``app.choices``) is
an option of ``dialoogkit build`` and a field of the studio's print panel, with the same values,
range and default, and both accept and refuse the same typed values. A choice added to one face
only, or a limit that differs (the studio once allowed ±10 mm of back offset where the command
line allowed ±20), fails here."""

from __future__ import annotations

import html
import re

import click
import pytest

from dialoogkit.app.choices import CHOICES, choice, shown_value
from dialoogkit.cli import main
from dialoogkit.layouts.formats import CARD_FORMATS
from dialoogkit.studio.printing import read_choices
from studio_support import make_workspace, signed_in

pytestmark = pytest.mark.filterwarnings("ignore:.*httpx.*")
# the studio's form field of each choice of the registry (a new choice must get one)
STUDIO_FIELDS = {"card_format": "card_format", "profile": "profile", "paper": "paper", "duplex": "duplex",
                 "back_offset": "offset_x", "bleed_mm": "bleed", "output_intent": "output_intent",
                 "gutter_mm": "gutter", "canvas_size": "canvas_size", "dpi": "dpi", "start": "start"}


@pytest.fixture(scope="module")
def print_form(tmp_path_factory) -> str:
    studio = signed_in(make_workspace(tmp_path_factory.mktemp("parity")))
    page = studio.client.get("/edit", params={"deck": "noord/deck.yaml", "view": "print"})
    assert page.status_code == 200
    return page.text[page.text.index('<form id="print-options"'):]


def offered(form: str, name: str) -> list[str]:
    """The values a radio group or select called ``name`` offers, in order."""
    radios = re.findall(rf'<input type="radio" name="{name}" value="([^"]+)"', form)
    if radios:
        return radios
    select = re.search(rf'<select id="f-{name}" name="{name}"[^>]*>(.*?)</select>', form, re.S)
    assert select, f"no field {name} in the print panel"
    return re.findall(r'<option value="([^"]*)"', select.group(1))


def test_every_choice_is_a_build_option_and_a_studio_field():
    assert set(STUDIO_FIELDS) == {item.name for item in CHOICES}
    params = {param.name: param for param in main.commands["build"].params}
    for item in CHOICES:
        param = params[item.name]
        assert param.opts[0] == item.option
        assert param.type.item is item
        assert param.default == shown_value(item, item.default)


def test_the_studio_offers_every_value_of_every_pick(print_form):
    for item in CHOICES:
        if item.kind != "pick":
            continue
        values = offered(print_form, STUDIO_FIELDS[item.name])
        expected = list(item.values) + (["custom"] if item.name == "card_format" else [])
        assert values == expected, item.name
    assert "a6-office" in offered(print_form, "card_format") and set(CARD_FORMATS) <= set(offered(print_form, "card_format"))


def test_the_studio_shows_every_range_and_default(print_form):
    for item in CHOICES:
        if item.kind in ("number", "offset"):
            found = re.search(rf'data-choice="{item.name}" data-low="([^"]+)" data-high="([^"]+)"', print_form)
            assert found, item.name
            assert (float(found.group(1)), float(found.group(2))) == (item.low, item.high)
        field = STUDIO_FIELDS[item.name]
        default = shown_value(item, item.default).split(",")[0]
        if item.kind == "pick":
            checked = re.search(rf'name="{field}" value="([^"]+)"\s*checked', print_form) or re.search(
                rf'<select id="f-{field}".*?<option value="([^"]+)" selected', print_form, re.S)
            assert checked and checked.group(1) == default, item.name
        else:
            value = re.search(rf'id="f-{field}" name="{field}" value="([^"]*)"', print_form)
            assert value and html.unescape(value.group(1)) == default, item.name


PROBES = {
    "bleed_mm": ["0", "5", "5.1", "-1", "3,5", "x", "١", "nan", "1e1", ""],
    "gutter_mm": ["0", "10", "10.5", "2,5", "-0.1", "abc"],
    "dpi": ["36", "600", "35", "601", "150.5", "٣٠٠", "150"],
    "start": ["14:00", "9.30", "24:00", "7", "09:05", "", "٢:٠٠"],
    "back_offset": ["0", "20", "-20", "20.5", "-21", "10.5", "x"],
}


@pytest.mark.parametrize("name", sorted(PROBES))
def test_both_faces_accept_and_refuse_the_same_values(name):
    item = choice(name)
    command = main.commands["build"]
    field = STUDIO_FIELDS[name]
    for text in PROBES[name]:
        cli_text = f"{text},0" if item.kind == "offset" else text
        try:
            command.make_context("build", [item.option, cli_text], resilient_parsing=False)
            cli_ok = True
        except click.UsageError:
            cli_ok = False
        _, errors = read_choices({field: text})
        assert cli_ok == (field not in errors), f"{item.option} {text!r}: command line {cli_ok}, studio {errors}"


def test_a_card_looks_the_same_in_the_studio_and_in_the_kits_images(tmp_path):
    """One way to draw a face as an image: the studio's preview and the kit's png/ both show the
    deck's screen colours (the band of the first card is its theme's #RRGGBB, not a press colour)."""
    import io

    from click.testing import CliRunner
    from PIL import Image

    from dialoogkit.cards.loader import load_deck

    studio = signed_in(make_workspace(tmp_path / "studio"))
    page = studio.client.get("/edit", params={"deck": "noord/deck.yaml", "view": "lesson"}).text
    source = html.unescape(re.search(r'id="preview-front" src="([^"]+)"', page).group(1))
    preview = Image.open(io.BytesIO(studio.client.get(source).content)).convert("RGB")
    result = CliRunner().invoke(main, ["build", str(studio.folder / "noord" / "deck.yaml"), "--only", "png", "-q",
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    kit = Image.open(tmp_path / "out" / "regio-noord" / "png" / "card-01-front.png").convert("RGB")
    loaded = load_deck(studio.folder / "noord" / "deck.yaml")
    lesson = loaded.deck.lessons[0]
    colour = loaded.deck.themes[lesson.theme].colour.lstrip("#")
    expected = tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4))
    for image in (preview, kit):
        band = image.getpixel((image.width // 2, image.height // 50))
        assert all(abs(a - b) <= 3 for a, b in zip(band, expected)), (band, expected)
    small = kit.resize(preview.size)
    difference = sum(abs(a - b) for a, b in zip(small.convert("RGB").tobytes(), preview.convert("RGB").tobytes()))
    assert difference / (preview.width * preview.height * 3) < 6  # the same drawing, only resampled
