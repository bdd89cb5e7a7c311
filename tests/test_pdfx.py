"""The print-shop files as a prepress checker reads them: ``cards-printshop.pdf`` and ``canvases.pdf``
identify themselves as PDF/X-1a:2001 with an output intent (FOGRA39, FOGRA29, or an embedded .icc
profile; a registered name without open data, such as FOGRA51, asks for the shop's .icc), carry Title, dates, Trapped and a document ID, hold no annotations and no
transparency, and have TrimBox/BleedBox = trim ± bleed; the office sheets and the guide keep their
clickable QR links. Every PDF names its kind. A phone photo as logo is embedded at 300 ppi of its
printed size (a small file); a logo below 150 ppi is a warning naming the file, size and ppi; a
rebuild gives the same bytes."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from PIL import Image, ImageCms, ImageDraw
from pypdf import PdfReader

from dialoogkit.cards.loader import load_deck
from dialoogkit.cli import main
from dialoogkit.generator.display import Picture
from dialoogkit.generator.plan import plan_deck
from dialoogkit.layouts.formats import parse_card_format
from dialoogkit.layouts.posters import POSTER_SIZES
from dialoogkit.layouts.profiles import parse_profile
from dialoogkit.output.build import BuildOptions, build_kit
from kitdecks import deck_data, write_deck

MM = 72 / 25.4
SHIPPED_ICC = sorted((Path(__file__).resolve().parents[1] / "src" / "dialoogkit" / "data" / "icc").glob("*.icc"))
PDF_DATE = re.compile(r"D:\d{14}(Z|[+-]\d\d'\d\d'?)?$")
PRESS_FILES = {"cards-printshop.pdf": "printshop", "canvases.pdf": "canvases"}


# ---------------------------------------------------------------- helpers

def build(tmp: Path, deck: str | Path = "standaard", **options) -> Path:
    build_kit(deck, BuildOptions(output=tmp, **options))
    return tmp / load_deck(deck).deck.id


def output_intents(pdf: Path) -> list[dict]:
    reader = PdfReader(pdf)
    intents = reader.trailer["/Root"].get("/OutputIntents")
    return [intent.get_object() for intent in intents] if intents is not None else []


def annotation_count(pdf: Path) -> int:
    return sum(len(page.get("/Annots") or []) for page in PdfReader(pdf).pages)


def link_uris(pdf: Path) -> list[str]:
    uris = []
    for page in PdfReader(pdf).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


def transparency(pdf: Path) -> list[str]:
    """Every soft mask, constant alpha or blend mode anywhere in the file."""
    found = []
    with pikepdf.open(pdf) as document:
        for obj in document.objects:
            if isinstance(obj, pikepdf.Dictionary):
                found += [key for key in ("/SMask", "/CA", "/ca", "/BM") if key in obj]
    return found


def images(pdf: Path) -> list[dict]:
    with pikepdf.open(pdf) as document:
        return [{"width": int(obj.Width), "height": int(obj.Height), "space": str(obj.ColorSpace),
                 "smask": "/SMask" in obj}
                for obj in document.objects
                if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]


def box(page, name: str) -> list[float]:
    return [float(v) for v in page[name]]


def photo(path: Path, size: tuple[int, int], seed: int = 7) -> Path:
    """A photo-like JPEG: noise and many coloured shapes, so it does not compress to nothing."""
    import random

    rng = random.Random(seed)
    width, height = size
    image = Image.merge("RGB", [Image.effect_noise(size, 60), Image.effect_noise(size, 40),
                                Image.linear_gradient("L").resize(size)])
    draw = ImageDraw.Draw(image)
    for _ in range(150):
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randrange(width // 80 + 1, width // 6), rng.randrange(height // 80 + 1, height // 6)
        draw.ellipse([x, y, x + w, y + h], fill=tuple(rng.randrange(256) for _ in range(3)))
    image.save(path, quality=90)
    return path


def deck_with_logo(folder: Path, logo: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = deck_data(3)
    data["logo"] = logo.name
    if logo.parent != folder:
        shutil.copy(logo, folder / logo.name)
    return write_deck(folder / "deck.yaml", data)


# ---------------------------------------------------------------- 1. PDF/X identification and output intent

@pytest.fixture(scope="module")
def press_kits(tmp_path_factory):
    """The standard deck's print-shop files, per (card format, bleed)."""
    cache: dict[tuple[str, float], Path] = {}

    def get(card_format: str, bleed: float) -> Path:
        if (card_format, bleed) not in cache:
            out = tmp_path_factory.mktemp(f"pdfx-{card_format}-{bleed:g}")
            cache[(card_format, bleed)] = build(out, parts=("cards", "canvases"), card_format=card_format,
                                                bleed_mm=bleed)
        return cache[(card_format, bleed)]

    return get


@pytest.mark.parametrize("card_format", ["a6", "poker"])
@pytest.mark.parametrize("bleed", [0.0, 3.0])
def test_press_files_are_pdfx_1a_with_fogra39(press_kits, card_format, bleed):
    kit = press_kits(card_format, bleed)
    for name, kind in PRESS_FILES.items():
        pdf = kit / name
        assert pdf.read_bytes().startswith(b"%PDF-1.3"), f"{name}: PDF/X-1a:2001 is PDF 1.3"
        reader = PdfReader(pdf)
        info = reader.metadata
        assert info["/GTS_PDFXVersion"] == "PDF/X-1:2001"
        assert info["/GTS_PDFXConformance"] == "PDF/X-1a:2001"
        assert info["/Trapped"] == "/False"
        assert info["/DialoogkitKind"] == kind
        assert "10 inzichten" in info["/Title"]
        for key in ("/CreationDate", "/ModDate"):
            assert PDF_DATE.match(info[key]), f"{name}: {key} {info[key]!r} is not a PDF date"
        ids = reader.trailer["/ID"]
        assert len(ids) == 2 and len(bytes(ids[0].original_bytes)) == 16
        intents = output_intents(pdf)
        assert len(intents) == 1, f"{name}: {intents}"
        intent = intents[0]
        assert intent["/Type"] == "/OutputIntent" and intent["/S"] == "/GTS_PDFX"
        assert intent["/OutputConditionIdentifier"] == "FOGRA39"
        assert intent["/RegistryName"] == "http://www.color.org"
        assert "FOGRA39" in intent["/Info"] and "12647-2" in intent["/OutputCondition"]
        assert "/DestOutputProfile" not in intent  # a registered name needs no embedded profile
        assert annotation_count(pdf) == 0, f"{name}: annotations inside the BleedBox"
        assert transparency(pdf) == []


@pytest.mark.parametrize("bleed", [0.0, 3.0])
def test_canvases_have_trim_and_bleed_boxes(press_kits, bleed):
    pdf = press_kits("a6", bleed) / "canvases.pdf"
    width, height = POSTER_SIZES["a3"].page
    b = bleed * MM
    for number, page in enumerate(PdfReader(pdf).pages, 1):
        trim, bleed_box, media = box(page, "/TrimBox"), box(page, "/BleedBox"), box(page, "/MediaBox")
        assert trim == pytest.approx([b, b, b + width, b + height], abs=0.01), f"page {number}: {trim}"
        assert bleed_box == pytest.approx([trim[0] - b, trim[1] - b, trim[2] + b, trim[3] + b], abs=0.01)
        assert media == bleed_box


def test_printshop_boxes_follow_the_card_format(press_kits):
    for card_format, bleed in (("a6", 3.0), ("poker", 0.0)):
        fmt = parse_card_format(card_format)
        b = bleed * MM
        for page in PdfReader(press_kits(card_format, bleed) / "cards-printshop.pdf").pages:
            trim = box(page, "/TrimBox")
            assert trim[2] - trim[0] == pytest.approx(fmt.width_mm * MM, abs=0.01)
            assert trim[3] - trim[1] == pytest.approx(fmt.height_mm * MM, abs=0.01)
            assert box(page, "/BleedBox") == pytest.approx([trim[0] - b, trim[1] - b, trim[2] + b, trim[3] + b], abs=0.01)


def test_sheets_and_guide_keep_their_links_and_are_not_pdfx(tmp_path):
    kit = build(tmp_path, parts=("cards", "guide"))
    lessons = load_deck("standaard").deck.lessons
    for name, kind in (("cards-sheets.pdf", "sheets"), ("guide.pdf", "guide")):
        pdf = kit / name
        info = PdfReader(pdf).metadata
        assert info["/DialoogkitKind"] == kind
        assert "/GTS_PDFXVersion" not in info and output_intents(pdf) == []
        uris = link_uris(pdf)
        assert set(uris) >= {lesson.sources[0].url for lesson in lessons}, f"{name}: {uris}"
    assert annotation_count(kit / "cards-printshop.pdf") == 0


# ---------------------------------------------------------------- 2. --output-intent

def test_output_intent_by_registered_name(tmp_path):
    result = CliRunner().invoke(main, ["build", "--only", "canvases", "--output-intent", "fogra 29",
                                       "-o", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    intent, = output_intents(tmp_path / "standaard" / "canvases.pdf")
    assert intent["/OutputConditionIdentifier"] == "FOGRA29"
    assert intent["/RegistryName"] == "http://www.color.org"
    assert "Uncoated FOGRA29" in intent["/Info"] and "paper type 4" in intent["/OutputCondition"]
    assert "/DestOutputProfile" not in intent


@pytest.mark.parametrize("name", ["FOGRA51", "fogra52", "CGATS TR 006"])
def test_a_registered_name_without_open_data_asks_for_the_shops_profile(tmp_path, name):
    result = CliRunner().invoke(main, ["build", "--only", "canvases", "--output-intent", name,
                                       "-o", str(tmp_path), "-q"])
    assert result.exit_code == 2, result.output
    assert "no openly licensed measurement data" in result.output
    assert "--output-intent PATH/TO/PROFILE.icc" in result.output and "FOGRA39, FOGRA29" in result.output
    assert not list(tmp_path.rglob("*.pdf"))


def test_output_intent_from_an_icc_file_is_embedded(tmp_path):
    assert SHIPPED_ICC, "the colour work ships a CMYK print profile in data/icc/"
    profile = tmp_path / "press.icc"
    shutil.copy(next(path for path in SHIPPED_ICC if "FOGRA39" in path.name), profile)
    kit = build(tmp_path / "out", parts=("cards", "canvases"), output_intent=str(profile))
    for name in PRESS_FILES:
        intent, = output_intents(kit / name)
        stream = intent["/DestOutputProfile"].get_object()
        assert stream["/N"] == 4
        assert stream.get_data() == profile.read_bytes()
        assert intent["/OutputConditionIdentifier"] == "Custom"
        assert "FOGRA39" in intent["/Info"]  # the profile's own description
        assert PdfReader(kit / name).metadata["/GTS_PDFXConformance"] == "PDF/X-1a:2001"


def invoke_intent(tmp_path: Path, value: str):
    return CliRunner().invoke(main, ["build", "--only", "cards", "--output-intent", value, "-o", str(tmp_path / "o"), "-q"])


def test_rgb_profile_is_refused_clearly(tmp_path):
    rgb = tmp_path / "screen.icc"
    rgb.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    result = invoke_intent(tmp_path, str(rgb))
    assert result.exit_code == 2, result.output
    assert "screen.icc" in result.output and "RGB profile, not CMYK" in result.output
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").rglob("*.pdf"))


def test_other_bad_intents_are_refused_clearly(tmp_path):
    result = invoke_intent(tmp_path, "FOGRA99")
    assert result.exit_code == 2
    assert "FOGRA99" in result.output and "FOGRA39, FOGRA29" in result.output
    text = tmp_path / "notes.icc"
    text.write_text("not a profile\n" * 20)
    result = invoke_intent(tmp_path, str(text))
    assert result.exit_code == 2 and "notes.icc is not an ICC profile" in result.output
    v4 = bytearray(SHIPPED_ICC[0].read_bytes())
    v4[8] = 4
    (tmp_path / "v4.icc").write_bytes(bytes(v4))
    result = invoke_intent(tmp_path, str(tmp_path / "v4.icc"))
    assert result.exit_code == 2 and "version 4" in result.output and "version 2" in result.output
    result = invoke_intent(tmp_path, str(tmp_path / "missing.icc"))
    assert result.exit_code == 2 and "missing.icc" in result.output


# ---------------------------------------------------------------- 3. the logo

def test_phone_photo_logo_gives_a_small_printshop_file(tmp_path):
    deck = deck_with_logo(tmp_path / "deck", photo(tmp_path / "phone.jpg", (4000, 3000)))
    assert (tmp_path / "phone.jpg").stat().st_size > 1_500_000
    kit = build(tmp_path / "out", deck, parts=("cards",))
    printshop = kit / "cards-printshop.pdf"
    assert printshop.stat().st_size < 300_000, f"{printshop.stat().st_size} bytes"
    logo = next(item for item in plan_deck(load_deck(deck), parse_card_format("a6"), parse_profile("standard")).faces[0][0].items
                if isinstance(item, Picture))
    expected = (math.ceil(logo.box.width / 72 * 300 - 1e-6), math.ceil(logo.box.height / 72 * 300 - 1e-6))
    embedded = images(printshop)
    assert len(embedded) == 1, embedded  # one image, shared by every front
    assert (embedded[0]["width"], embedded[0]["height"]) == expected  # 300 ppi at the printed size
    assert embedded[0]["space"] == "/DeviceCMYK" and not embedded[0]["smask"]
    assert transparency(printshop) == []


def test_logo_on_a0_canvases_is_scaled_with_them(tmp_path):
    """The canvases embed the logo at 300 ppi of its A0 size (factor × the A3 box), not its A3 size."""
    deck = deck_with_logo(tmp_path / "deck", photo(tmp_path / "phone.jpg", (4000, 3000)))
    kit = build(tmp_path / "out", deck, parts=("canvases",), canvas_size="a0")
    embedded = images(kit / "canvases.pdf")
    assert len(embedded) == 1
    factor = POSTER_SIZES["a0"].factor
    height_in = 25 * MM * factor / 72  # the logo is 25 mm high on the A3 design (4:3 fits a fifth of the width)
    assert abs(embedded[0]["height"] - height_in * 300) <= 2, embedded


def test_small_logo_on_a0_canvases_is_refused_naming_the_sizes_that_work(tmp_path):
    """The build refuses what its own preflight would refuse: a logo under 150 ppi in canvases.pdf."""
    deck = deck_with_logo(tmp_path / "deck", photo(tmp_path / "small.jpg", (200, 150)))
    result = CliRunner().invoke(main, ["build", str(deck), "--only", "canvases", "--canvas-size", "a0",
                                       "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 1, result.output
    height_mm = 25 * POSTER_SIZES["a0"].factor
    ppi = 150 / (height_mm / 25.4)
    assert "small.jpg" in result.output and "A0" in result.output
    assert f"× {height_mm:.0f} mm" in result.output and f"{ppi:.0f} ppi" in result.output, result.output
    assert "deck.yaml:" in result.output and "logo" in result.output
    assert "use --canvas-size a3 (there it prints sharp enough)" in result.output
    assert not list((tmp_path / "out").rglob("*.pdf"))
    # at A3 the same logo prints at just over 150 ppi: built, no warning
    result = CliRunner().invoke(main, ["build", str(deck), "--only", "canvases", "-o", str(tmp_path / "a3"), "-q"])
    assert result.exit_code == 0 and "Warning" not in result.output, result.output


@pytest.mark.parametrize("size", list(POSTER_SIZES))
def test_the_build_and_its_preflight_agree_on_the_logo_at_every_canvas_size(tmp_path, monkeypatch, size):
    """A logo that prints 150 ppi at A2 passes at A3 and A2 and is refused at A1 and A0, by the build
    and by the preflight of the file the build would have written."""
    from contextlib import nullcontext

    from dialoogkit.errors import ContentError
    from dialoogkit.output import render
    from dialoogkit.output.options import check_options
    from dialoogkit.output.preflight import preflight

    height_px = math.ceil(25 * POSTER_SIZES["a2"].factor / 25.4 * 150) + 1
    deck = deck_with_logo(tmp_path / "deck", photo(tmp_path / "logo.jpg", (height_px * 4 // 3, height_px)))
    refused = None
    try:
        build_kit(deck, BuildOptions(output=tmp_path / "out", parts=("canvases",), canvas_size=size))
    except ContentError as exc:  # the build's refusal
        refused = exc.format_message()
    monkeypatch.setattr(render, "refuse_press_logo", lambda *args, **kwargs: None)  # draw what was refused
    options = BuildOptions(parts=("canvases",), canvas_size=size)
    files: dict[str, bytes] = {}
    render.render_parts(load_deck(deck), check_options(options), options, files.__setitem__,
                        lambda total, label: nullcontext(lambda n: None))
    _, findings = preflight(files["canvases.pdf"], "canvases")
    preflight_refuses = any(f.code == "image_low" for f in findings)
    assert (refused is not None) == preflight_refuses == (size in ("a1", "a0")), (size, refused, findings)
    if refused:
        assert "--canvas-size a3, --canvas-size a2" in refused


# ---------------------------------------------------------------- 4. deterministic

def test_rebuild_is_byte_identical(tmp_path):
    deck = deck_with_logo(tmp_path / "deck", photo(tmp_path / "logo.jpg", (1200, 900)))
    profile = str(SHIPPED_ICC[0])
    first = build(tmp_path / "one", deck, parts=("cards", "canvases"), output_intent=profile)
    second = build(tmp_path / "two", deck, parts=("cards", "canvases"), output_intent=profile)
    for name in PRESS_FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    third = build(tmp_path / "three", deck, parts=("cards", "canvases"), output_intent="FOGRA29")
    for name in PRESS_FILES:
        assert (first / name).read_bytes() != (third / name).read_bytes()
        assert PdfReader(first / name).trailer["/ID"][0] != PdfReader(third / name).trailer["/ID"][0]
