"""`dialoogkit build --only canvases` as a facilitator and a print shop see it: one canvas per lesson
plus overview, pillars and action plan; sheet sizes (TrimBox) per --canvas-size with the bleed
around them (BleedBox = MediaBox); every statement, action and
label on its page; QR codes that decode to the source; writing zones that do not overlap text
(checked as numbers); nothing outside the safe margin; embedded fonts, CMYK only; literal text;
clear fit errors; identical bytes; the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import ContentStream

from dialoogkit.cards.labels import load_labels
from dialoogkit.cards.loader import load_deck
from dialoogkit.cli import main
from dialoogkit.generator.display import Frame, Qr, Text
from dialoogkit.generator.posters.plan import plan_canvases
from dialoogkit.generator.qr import QUIET_MODULES
from dialoogkit.layouts.posters import A3_HEIGHT, A3_WIDTH, POSTER_SIZES, safe_area
from dialoogkit.layouts.units import Box
from dialoogkit.output.build import BuildOptions, build_kit

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "canvases"
ESCAPING = FIXTURES / "escaping.yaml"
LONG_EXPLANATION = FIXTURES / "long_explanation.yaml"

MM = 72 / 25.4
BLEED = 3 * MM  # the build's default --bleed: the sheet (TrimBox) lies this far inside the page
DECKS = ("standaard", "standard-en")
SIZES_MM = {"a3": (420, 297), "a2": (594, 420), "a1": (841, 594), "a0": (1189, 841)}
EXTRA_CANVASES = ("overview", "pillars", "action-plan")
ZONES = ("zone:recognise", "zone:self", "zone:higher", "zone:agreements")
ZONE_LABELS = {
    "standaard": ("Herkennen we dit?", "Zelf oppakken", "Hoger niveau"),
    "standard-en": ("Do we recognise this?", "What we can do ourselves", "Higher level"),
}
PLAN_LABELS = {
    "standaard": ("Nu", "Straks", "Later", "Volgende bijeenkomst"),
    "standard-en": ("Now", "Next", "Later", "Next meeting"),
}


# ---------------------------------------------------------------- helpers

def norm(text: str) -> str:
    """Text without whitespace and hyphens (lines are wrapped and words hyphenated)."""
    return re.sub(r"[\s\-\u00ad]", "", text)


def block_text(text: Text) -> str:
    return " ".join(word for line in text.block.lines for _, word, _ in line.pieces)


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def lesson_count(deck) -> int:
    return len(load_deck(deck).deck.lessons)


def page_transform(size: str) -> tuple[float, float, float]:
    """(factor, dx, dy): how the A3 design is placed on a page of ``size``."""
    poster = POSTER_SIZES[size]
    width, height = poster.page
    factor = poster.factor
    return factor, (width - A3_WIDTH * factor) / 2, (height - A3_HEIGHT * factor) / 2


def safe_on_page(size: str, page) -> Box:
    """The safe area of the A3 design as placed on ``page``: on the sheet, whose lower-left corner
    is the TrimBox's (the bleed lies around it)."""
    factor, dx, dy = page_transform(size)
    safe = safe_area()
    left, bottom = float(page.trimbox.left), float(page.trimbox.bottom)
    return Box(left + dx + safe.x * factor, bottom + dy + safe.y * factor, safe.width * factor, safe.height * factor)


def decode(pdf: Path, index: int, scale: float):
    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[index].render(scale=scale).to_pil()
    finally:
        doc.close()
    return zxingcpp.read_barcodes(image)


def render(pdf: Path, index: int, scale: float):
    doc = pdfium.PdfDocument(pdf)
    try:
        return doc[index].render(scale=scale).to_pil().convert("L")
    finally:
        doc.close()


def operations(reader: PdfReader, page) -> list[tuple[list, bytes]]:
    return ContentStream(page.get_contents(), reader).operations


# ---------------------------------------------------------------- fixtures (built once per module)

@pytest.fixture(scope="module")
def canvases(tmp_path_factory):
    """``canvases(deck, size)`` → path of the built canvases.pdf; each combination built once."""
    cache: dict[tuple[str, str], Path] = {}

    def build(deck: str | Path = "standaard", size: str = "a3") -> Path:
        key = (str(deck), size)
        if key not in cache:
            out = tmp_path_factory.mktemp(f"canvases-{size}")
            written = build_kit(deck, BuildOptions(parts=("canvases",), canvas_size=size, output=out))
            pdf = out / load_deck(deck).deck.id / "canvases.pdf"
            assert written == [pdf]
            cache[key] = pdf
        return cache[key]

    return build


@pytest.fixture(scope="module")
def plans():
    cache: dict[str, object] = {}

    def plan(deck: str | Path = "standaard"):
        if str(deck) not in cache:
            cache[str(deck)] = plan_canvases(load_deck(deck))
        return cache[str(deck)]

    return plan


@pytest.fixture(scope="module")
def texts(canvases):
    cache: dict[tuple[str, str], list[str]] = {}

    def get(deck: str | Path = "standaard", size: str = "a3") -> list[str]:
        key = (str(deck), size)
        if key not in cache:
            cache[key] = page_texts(canvases(deck, size))
        return cache[key]

    return get


# ---------------------------------------------------------------- 1. pages and sizes

@pytest.mark.parametrize("deck", DECKS)
def test_one_canvas_per_lesson_plus_three(deck, canvases, plans):
    count = lesson_count(deck)
    reader = PdfReader(canvases(deck))
    assert len(reader.pages) == count + 3
    names = [name for name, _ in plans(deck).faces]
    assert names == [f"lesson-{i:02d}" for i in range(1, count + 1)] + list(EXTRA_CANVASES)


@pytest.mark.parametrize("size", list(SIZES_MM))
def test_page_size_per_canvas_size(size, canvases):
    width, height = (v * MM for v in SIZES_MM[size])
    reader = PdfReader(canvases("standaard", size))
    assert len(reader.pages) == lesson_count("standaard") + 3
    for number, page in enumerate(reader.pages, 1):
        box = page.trimbox
        assert abs(float(box.width) - width) <= 0.5 and abs(float(box.height) - height) <= 0.5, \
            f"{size} page {number}: {float(box.width):.2f} × {float(box.height):.2f} pt"
        assert float(box.width) > float(box.height), f"{size} page {number} is not landscape"
        trim = [float(v) for v in page.trimbox]
        assert [float(v) for v in page.bleedbox] == pytest.approx(
            [trim[0] - BLEED, trim[1] - BLEED, trim[2] + BLEED, trim[3] + BLEED], abs=0.01)
        assert [float(v) for v in page.mediabox] == [float(v) for v in page.bleedbox]


def test_english_deck_page_size_a1(canvases):
    reader = PdfReader(canvases("standard-en", "a1"))
    assert len(reader.pages) == lesson_count("standard-en") + 3
    for page in reader.pages:
        assert abs(float(page.trimbox.width) - 841 * MM) <= 0.5
        assert abs(float(page.trimbox.height) - 594 * MM) <= 0.5


# ---------------------------------------------------------------- 2. text on its page

@pytest.mark.parametrize("deck", DECKS)
def test_statement_and_number_on_its_lesson_canvas(deck, texts, planned):
    pages = texts(deck)
    lessons = load_deck(deck).deck.lessons
    total = len(lessons)
    cards = planned(deck)
    for i, lesson in enumerate(lessons, 1):
        page = pages[i - 1]
        assert norm(lesson.statement) in norm(page), f"{deck}: statement of lesson {i} missing on page {i}"
        assert re.search(rf"(?<!\d){i} / {total}(?!\d)", page), f"{deck}: '{i} / {total}' missing on page {i}"
        front, _ = cards.faces[i - 1]
        card_number = next(block_text(t) for t in front.texts() if t.name == "number")
        assert card_number == f"{i} / {total}"
        assert card_number in page


@pytest.mark.parametrize("deck", DECKS)
def test_overview_has_every_statement_and_audience(deck, texts):
    loaded = load_deck(deck).deck
    page = texts(deck)[len(loaded.lessons)]
    for lesson in loaded.lessons:
        assert norm(lesson.statement) in norm(page), f"{deck} overview: {lesson.id}"
    for audience in loaded.audiences.values():
        assert norm(audience.label) in norm(page), f"{deck} overview: audience {audience.label}"


@pytest.mark.parametrize("deck", DECKS)
def test_pillars_canvas_has_labels_and_summaries(deck, texts):
    loaded = load_deck(deck).deck
    page = norm(texts(deck)[len(loaded.lessons) + 1])
    for pillar in loaded.pillars.values():
        assert norm(pillar.label) in page
        assert norm(pillar.summary) in page
    for lesson in loaded.lessons:
        assert norm(lesson.statement) in page, f"{deck} pillars: lesson {lesson.id} not placed"


@pytest.mark.parametrize("deck", DECKS)
def test_action_plan_labels(deck, texts):
    page = texts(deck)[lesson_count(deck) + 2]
    lines = {line.strip() for line in page.splitlines()}
    for label in PLAN_LABELS[deck]:
        assert label in lines, f"{deck} action plan: '{label}' missing"


# ---------------------------------------------------------------- 3. labels follow the language

def test_english_labels_on_english_deck(texts):
    pages = texts("standard-en")
    for i in range(lesson_count("standard-en")):
        for label in ZONE_LABELS["standard-en"]:
            assert norm(label) in norm(pages[i]), f"page {i + 1}: '{label}'"
    for i, page in enumerate(pages, 1):
        for dutch in ("Herkennen", "Zelf oppakken", "Hoger niveau", "Volgende bijeenkomst"):
            assert norm(dutch) not in norm(page), f"English page {i} contains Dutch '{dutch}'"


def test_dutch_labels_on_dutch_deck(texts):
    pages = texts("standaard")
    for i in range(lesson_count("standaard")):
        for label in ZONE_LABELS["standaard"]:
            assert norm(label) in norm(pages[i]), f"page {i + 1}: '{label}'"


# ---------------------------------------------------------------- 4. example actions or invitation

@pytest.mark.parametrize("deck", DECKS)
def test_example_action_or_invitation(deck, texts):
    loaded = load_deck(deck).deck
    pages = texts(deck)
    fill_in = norm(load_labels(loaded.language)["fill_in"])
    seen = {"action": 0, "invitation": 0}
    for i, lesson in enumerate(loaded.lessons):
        page = norm(pages[i])
        missing = 0
        for action in (lesson.actions.own, lesson.actions.higher):
            if action:
                assert norm(action) in page, f"{deck} lesson {i + 1}: action missing"
                seen["action"] += 1
            else:
                missing += 1
        assert page.count(fill_in) == missing, f"{deck} lesson {i + 1}: {missing} invitation(s) expected"
        seen["invitation"] += missing
    assert seen["action"] and seen["invitation"], "the deck should exercise both the action and the invitation"


def test_action_in_its_own_zone(plans):
    """The 'self' action is printed in the 'Zelf oppakken' zone, the 'higher' one in 'Hoger niveau'."""
    plan = plans("standaard")
    for (name, face), lesson in zip(plan.faces, plan.deck.lessons):
        frames = {f.name: f.box for f in face.frames()}
        prompts = {t.name: t for t in face.texts() if t.name.endswith(".prompt")}
        for key, action in (("self", lesson.actions.own), ("higher", lesson.actions.higher)):
            prompt = prompts[f"{key}.prompt"]
            assert frames[f"zone:{key}"].contains(prompt.box), f"{name}: {key}.prompt outside its zone"
            if action:
                assert norm(action) in norm(block_text(prompt)), f"{name}: {key} action not in its zone"


# ---------------------------------------------------------------- 5. QR codes

@pytest.mark.parametrize("deck", DECKS)
def test_qr_decodes_to_source_url_on_a3(deck, canvases, plans):
    pdf = canvases(deck, "a3")
    plan = plans(deck)
    for i, lesson in enumerate(plan.deck.lessons):
        found = decode(pdf, i, 2.0)
        assert [b.format for b in found] == [zxingcpp.BarcodeFormat.QRCode], f"{deck} page {i + 1}: {found}"
        assert found[0].text == lesson.sources[0].url, f"{deck} page {i + 1}"
        qr = plan.faces[i][1].qr()
        assert qr.symbol.modules * qr.module >= 40 * MM - 1e-6, f"{deck} lesson {i + 1}: QR under 40 mm"
        # the symbol rendered on the page has the planned size (corners in pixels at scale 2)
        pos = found[0].position
        width_pt = (pos.top_right.x - pos.top_left.x) / 2.0
        assert abs(width_pt - qr.symbol.modules * qr.module) <= 2.0, f"{deck} page {i + 1}: {width_pt:.1f} pt"


def test_qr_on_a1_is_scaled_and_decodes(canvases, plans):
    deck = "standard-en"
    pdf = canvases(deck, "a1")
    plan = plans(deck)
    factor = POSTER_SIZES["a1"].factor
    assert abs(factor - 2.0) < 1e-9
    for i, lesson in enumerate(plan.deck.lessons):
        found = decode(pdf, i, 1.0)
        assert len(found) == 1 and found[0].text == lesson.sources[0].url, f"a1 page {i + 1}: {found}"
        qr = plan.faces[i][1].qr()
        planned = qr.symbol.modules * qr.module
        assert planned * factor >= 80 * MM - 1e-6
        pos = found[0].position
        width_pt = pos.top_right.x - pos.top_left.x
        assert abs(width_pt - planned * factor) <= 3.0, f"a1 page {i + 1}: {width_pt:.1f} pt, planned {planned * factor:.1f}"


@pytest.mark.parametrize("size", ["a3", "a1"])
def test_page_scale_is_the_factor(size, canvases):
    """Each page draws the A3 design under one ``cm`` that scales by the factor and centres it on
    the sheet (the TrimBox, the bleed around it)."""
    factor, dx, dy = page_transform(size)
    reader = PdfReader(canvases("standaard", size))
    for number, page in enumerate(reader.pages, 1):
        ops = operations(reader, page)
        depth, placement = 0, None
        for operands, op in ops:
            if op == b"q":
                depth += 1
            elif op == b"Q":
                depth -= 1
            elif op == b"cm" and depth == 1:
                placement = [float(v) for v in operands]
                break
        assert placement is not None, f"page {number}: no placement transform"
        a, b, c, d, e, f = placement
        assert abs(a - factor) < 1e-4 and abs(d - factor) < 1e-4 and b == 0 and c == 0, f"page {number}: {placement}"
        left, bottom = float(page.trimbox.left), float(page.trimbox.bottom)
        assert abs(left - BLEED) < 0.01 and abs(bottom - BLEED) < 0.01, f"page {number}: TrimBox {page.trimbox}"
        assert abs(e - (left + dx)) < 0.01 and abs(f - (bottom + dy)) < 0.01, f"page {number}: {placement}"


# ---------------------------------------------------------------- 6. geometry as numbers

@pytest.mark.parametrize("deck", DECKS)
def test_zones_do_not_overlap_each_other_text_or_qr(deck, plans):
    for name, face in plans(deck).faces:
        if not name.startswith("lesson-"):
            continue
        frames = {f.name: f.box for f in face.frames() if f.name in ZONES}
        assert set(frames) == set(ZONES), f"{name}: zones {sorted(frames)}"
        boxes = list(frames.items())
        for i, (a, box_a) in enumerate(boxes):
            for b, box_b in boxes[i + 1:]:
                assert not box_a.overlaps(box_b), f"{name}: {a} overlaps {b}"
        column_texts = [t for t in face.texts()
                        if t.name in ("statement", "explanation") or t.name.startswith("source-")]
        assert {t.name for t in column_texts} >= {"statement", "explanation", "source-title", "source-url"}
        qr = face.qr()
        assert qr is not None
        for zone, box in boxes:
            for text in column_texts:
                assert not box.overlaps(text.box), f"{name}: {zone} overlaps text '{text.name}'"
            assert not box.overlaps(qr.box), f"{name}: {zone} overlaps the QR code"


@pytest.mark.parametrize("deck", DECKS)
def test_qr_quiet_zone_is_empty(deck, plans):
    """Nothing (text, frame or other QR) lies in the 4-module quiet zone around the symbol."""
    for name, face in plans(deck).faces:
        qr = face.qr()
        if qr is None:
            continue
        q = QUIET_MODULES * qr.module
        box = qr.box
        quiet = Box(box.x - q, box.y - q, box.width + 2 * q, box.height + 2 * q)
        assert safe_area().contains(quiet), f"{name}: quiet zone outside the safe area"
        for item in face.items:
            if isinstance(item, (Text, Frame)):
                assert not quiet.overlaps(item.box), f"{name}: '{item.name}' in the QR quiet zone"


@pytest.mark.parametrize("deck", DECKS)
def test_places_to_write_on_every_canvas_do_not_overlap(deck, plans):
    """Writing zones and voting cells (dots, priority boxes) on every canvas are apart from each
    other and from the statements and column headers printed next to them."""
    for name, face in plans(deck).faces:
        places = [f for f in face.frames() if f.name.startswith(("zone:", "cell:"))]
        assert places, f"{name}: nowhere to write"
        for i, a in enumerate(places):
            for b in places[i + 1:]:
                assert not a.box.overlaps(b.box), f"{name}: {a.name} {a.box} overlaps {b.name} {b.box}"
        printed = [t for t in face.texts() if re.fullmatch(r"lessons\[\d+\]\.statement|table\.header", t.name)]
        for place in places:
            for text in printed:
                assert not place.box.overlaps(text.box), f"{name}: {place.name} overlaps '{text.name}'"
    overview = dict(plans(deck).faces)["overview"]
    audiences = len(plans(deck).deck.audiences)
    lessons = len(plans(deck).deck.lessons)
    assert sum(f.name == "cell:dot" for f in overview.frames()) == lessons * audiences * 5
    assert sum(f.name == "cell:priority" for f in overview.frames()) == lessons


@pytest.mark.parametrize("deck", DECKS + (ESCAPING,))
def test_every_item_inside_safe_area(deck, plans):
    safe = safe_area()
    for name, face in plans(deck).faces:
        assert (face.width, face.height) == (A3_WIDTH, A3_HEIGHT)
        items = [item for item in face.items if isinstance(item, (Text, Frame, Qr))]
        assert items
        for item in items:
            assert safe.contains(item.box), f"{name}: '{getattr(item, 'name', 'qr')}' {item.box} outside {safe}"


@pytest.mark.parametrize("deck", DECKS)
def test_headings_at_least_24pt_on_a3(deck, plans):
    for name, face in plans(deck).faces:
        headings = [t for t in face.texts() if t.name == "header" or t.name.endswith(".title")
                    or (t.name.startswith("pillars.") and t.name.endswith(".label"))]
        assert any(t.name == "header" for t in headings), f"{name}: no header"
        for text in headings:
            assert text.block.size >= 24.0, f"{deck} {name}: '{text.name}' at {text.block.size:.1f} pt"
        if name.startswith("lesson-"):
            titles = {t.name for t in headings}
            assert {"recognise.title", "self.title", "higher.title", "agreements.title"} <= titles


# ---------------------------------------------------------------- 7. fonts, colours, margins in the PDF

def _fonts(resources, seen: set) -> list:
    """Every font dictionary reachable from ``resources`` (incl. form XObjects)."""
    found = []
    if resources is None:
        return found
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if id(font) not in seen:
            seen.add(id(font))
            found.append(font)
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            found.extend(_fonts(xobject.get("/Resources"), seen))
    return found


@pytest.mark.parametrize("deck", DECKS)
def test_fonts_embedded_no_helvetica(deck, canvases):
    reader = PdfReader(canvases(deck))
    fonts = []
    seen: set = set()
    for page in reader.pages:
        fonts.extend(_fonts(page.get("/Resources"), seen))
    assert fonts
    for font in fonts:
        name = str(font.get("/BaseFont"))
        assert "Helvetica" not in name
        targets = [font]
        if "/DescendantFonts" in font:
            targets = [d.get_object() for d in font["/DescendantFonts"]]
        for target in targets:
            descriptor = target.get("/FontDescriptor")
            assert descriptor is not None, f"{name}: no FontDescriptor (not embedded)"
            descriptor = descriptor.get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, f"{name} is not embedded"


@pytest.mark.parametrize("deck", DECKS)
def test_no_rgb_or_gray_colour_and_no_images(deck, canvases):
    reader = PdfReader(canvases(deck))
    used = set()
    for number, page in enumerate(reader.pages, 1):
        ops = {op for _, op in operations(reader, page)}
        assert not ops & {b"rg", b"RG", b"g", b"G"}, f"page {number}: non-CMYK colour {ops & {b'rg', b'RG', b'g', b'G'}}"
        used |= ops
        for xobject in (page["/Resources"].get("/XObject") or {}).values():
            assert xobject.get_object().get("/Subtype") != "/Image", f"page {number} has a bitmap"
    assert {b"k", b"K"} <= used


def _text_origins(page) -> list[tuple[str, float, float]]:
    origins = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            origins.append((text.strip(), x, y))

    page.extract_text(visitor_text=visit)
    return origins


@pytest.mark.parametrize("deck,size", [("standaard", "a3"), ("standard-en", "a3"), ("standaard", "a1")])
def test_text_origins_inside_safe_area(deck, size, canvases):
    reader = PdfReader(canvases(deck, size))
    for number, page in enumerate(reader.pages, 1):
        safe = safe_on_page(size, page)
        origins = _text_origins(page)
        assert len(origins) > 5, f"page {number}: hardly any text found"
        for text, x, y in origins:
            assert safe.x - 0.5 <= x <= safe.right + 0.5 and safe.y - 0.5 <= y <= safe.top + 0.5, \
                f"{deck} {size} page {number}: '{text[:30]}' at ({x:.1f}, {y:.1f}) outside {safe}"
    # the placement is real: on A1 the text lies beyond the A3 page
    if size == "a1":
        assert max(x for _, x, _ in _text_origins(reader.pages[0])) > A3_WIDTH


@pytest.mark.parametrize("deck,size", [("standaard", "a3"), ("standard-en", "a3"), ("standaard", "a1")])
def test_margin_is_blank_when_rendered(deck, size, canvases):
    """Rendered pages, bleed included, are pure white outside the safe area (1 mm slack for
    anti-aliasing)."""
    pdf = canvases(deck, size)
    factor, _, _ = page_transform(size)
    scale = 1.0 / factor
    slack = 1 * MM * factor
    pages = PdfReader(pdf).pages
    for index in range(len(pages)):
        safe = safe_on_page(size, pages[index])  # the bleed around the sheet is part of the margin
        image = render(pdf, index, scale)
        w, h = image.size
        left = int((safe.x - slack) * scale)
        right = int((safe.right + slack) * scale) + 1
        bottom_px = int(h - (safe.y - slack) * scale) + 1
        top_px = int(h - (safe.top + slack) * scale)
        bands = [(0, 0, left, h), (right, 0, w, h), (0, 0, w, top_px), (0, bottom_px, w, h)]
        for band in bands:
            assert image.crop(band).getextrema() == (255, 255), f"{deck} {size} page {index + 1}: ink in margin {band}"
        # and the page is not blank inside
        assert image.getextrema()[0] < 128


# ---------------------------------------------------------------- 8. escaping and fit errors

def test_markup_printed_literally(canvases, texts):
    loaded = load_deck(ESCAPING).deck
    pages = texts(ESCAPING)
    assert len(pages) == 3 + 3
    first = pages[0]
    statement = 'Een <b>vet</b> & <img src="x"/> plan'
    assert loaded.lessons[0].statement == statement
    assert norm(statement) in norm(first)
    assert norm('Hier staat &amp; letterlijk, en <font color="red">rood</font>') in norm(first)
    assert norm("Schrijf <i>schuin</i> & <br/> op het werkblad") in norm(first)
    assert norm("Bron <b>met</b> & co") in norm(first)
    assert "Regio <b>Noord</b>" in first
    assert norm(statement) in norm(pages[3])       # overview
    assert norm(statement) in norm(pages[4])       # pillars
    found = decode(canvases(ESCAPING), 0, 2.0)
    assert [b.text for b in found] == ["https://www.valente.nl/zoeken?a=1&b=2"]


def test_explanation_too_long_for_canvas(tmp_path):
    result = CliRunner().invoke(main, ["build", str(LONG_EXPLANATION), "--only", "canvases",
                                       "-o", str(tmp_path), "-q"])
    assert result.exit_code == 1, result.output
    message = result.output
    assert "uitleg-te-lang" in message
    assert "explanation" in message
    assert "canvas" in message
    assert "overflows by" in message
    assert "Traceback" not in message
    assert not list(tmp_path.rglob("canvases.pdf"))
    assert not list(tmp_path.rglob("*.pdf"))


# ---------------------------------------------------------------- 9. deterministic

def test_two_builds_identical(canvases, tmp_path):
    first = canvases("standaard", "a3").read_bytes()
    build_kit("standaard", BuildOptions(parts=("canvases",), output=tmp_path))
    assert (tmp_path / "standaard" / "canvases.pdf").read_bytes() == first


# ---------------------------------------------------------------- 10. CLI

def test_cli_only_canvases_a2(tmp_path):
    result = CliRunner().invoke(main, ["build", "--only", "canvases", "--canvas-size", "a2",
                                       "-o", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert files == ["standaard/canvases.pdf"]
    page = PdfReader(tmp_path / "standaard" / "canvases.pdf").pages[0]
    assert abs(float(page.trimbox.width) - 594 * MM) <= 0.5
    assert abs(float(page.trimbox.height) - 420 * MM) <= 0.5
    assert abs(float(page.mediabox.width) - (594 * MM + 2 * BLEED)) <= 0.5


def test_cli_unknown_canvas_size(tmp_path):
    result = CliRunner().invoke(main, ["build", "--only", "canvases", "--canvas-size", "b1",
                                       "-o", str(tmp_path), "-q"])
    assert result.exit_code == 2
    assert "b1" in result.output
    assert not any(tmp_path.rglob("*.pdf"))
