"""Preflight: passes on every bundled deck in every format and profile, and fails, with the right
reason, on PDFs broken on purpose; a failing preflight stops the build and keeps the old kit."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from reportlab.pdfgen.canvas import Canvas

from dialoogkit.cli import main
from dialoogkit.generator.fonts import REGULAR, register_fonts
from dialoogkit.generator.qr import draw_qr, make_symbol
from dialoogkit.layouts.units import mm
from dialoogkit.output import build as build_module
from dialoogkit.output.build import BuildOptions, build_kit
from dialoogkit.output.preflight import Finding, preflight

DECKS = ("standaard", "standard-en")
FORMATS = ("a6", "a7", "poker", "tarot", "80x120")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    cache: dict[tuple, Path] = {}

    def make(deck: str, fmt: str, profile: str = "standard", parts: tuple = ("cards",)) -> Path:
        key = (deck, fmt, profile, parts)
        if key not in cache:
            out = tmp_path_factory.mktemp("pf")
            build_kit(deck, BuildOptions(output=out, card_format=fmt, profile=profile, parts=parts))
            cache[key] = out / ("standaard" if deck == "standaard" else "standard-en")
        return cache[key]

    return make


@pytest.mark.parametrize("deck", DECKS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_bundled_cards_pass_structural_and_text_checks(built, deck, fmt):
    folder = built(deck, fmt)
    for name, kind in (("cards-printshop.pdf", "printshop"), ("cards-sheets.pdf", "sheets")):
        found, findings = preflight((folder / name).read_bytes(), qr=False)
        assert found == kind
        assert findings == [], [f.format(name) for f in findings]


@pytest.mark.parametrize("deck", DECKS)
@pytest.mark.parametrize("fmt", ("a6", "poker"))
def test_bundled_cards_pass_the_qr_check(built, deck, fmt):
    folder = built(deck, fmt)
    for name in ("cards-printshop.pdf", "cards-sheets.pdf"):
        _, findings = preflight((folder / name).read_bytes(), qr=True)
        assert findings == [], [f.format(name) for f in findings]


@pytest.mark.parametrize("fmt", ("a6", "148x210"))
def test_large_print_passes(built, fmt):
    folder = built("standaard", fmt, "large-print")
    for name in ("cards-printshop.pdf", "cards-sheets.pdf"):
        _, findings = preflight((folder / name).read_bytes(), qr=True)
        assert findings == [], [f.format(name) for f in findings]


@pytest.mark.parametrize("deck", DECKS)
def test_canvases_and_guide_pass(built, deck):
    folder = built(deck, "a6", "standard", ("canvases", "guide"))
    for name, kind in (("canvases.pdf", "canvases"), ("guide.pdf", "guide")):
        _, findings = preflight((folder / name).read_bytes(), kind, qr=True)
        assert findings == [], [f.format(name) for f in findings]


def broken_pdf(draw, size=(mm(111), mm(154)), trim: bool = True, bleed: float = mm(3)) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, invariant=1, initialFontName=REGULAR)
    if trim:
        canvas.setTrimBox([bleed, bleed, size[0] - bleed, size[1] - bleed])
        canvas.setBleedBox([0, 0, size[0], size[1]])
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def reasons(data: bytes, kind: str | None = None, qr: bool = False) -> str:
    return "\n".join(f.message for f in preflight(data, kind, qr=qr)[1])


def test_rgb_colour_is_found():
    def draw(c):
        c.setFillColorRGB(1, 0, 0)
        c.rect(mm(20), mm(20), mm(20), mm(20), fill=1)
    assert "RGB colour" in reasons(broken_pdf(draw))


def test_rgb_letters_inside_text_are_not_mistaken_for_colour():
    def draw(c):
        c.setFillColorCMYK(0, 0, 0, 1)
        c.setFont(REGULAR, 10)
        c.drawString(mm(20), mm(60), "zorg rg RG (rg) \\ rg")
    assert reasons(broken_pdf(draw), "sheets") == ""  # a test PDF, not a kit file: its kind given


def test_an_unembedded_font_is_found():
    def draw(c):
        c.setFont("Helvetica", 10)
        c.drawString(mm(20), mm(60), "Helvetica")
    assert "is not embedded" in reasons(broken_pdf(draw))


def test_missing_or_uneven_boxes_are_found():
    data = broken_pdf(lambda c: None, trim=False)
    assert "TrimBox or BleedBox is missing" in reasons(data, "printshop")

    def uneven(c):
        c.setTrimBox([mm(3), mm(2), mm(108), mm(151)])
    assert "uneven" in reasons(broken_pdf(uneven))


def test_text_outside_the_safe_zone_is_found():
    def draw(c):
        c.setFillColorCMYK(0, 0, 0, 1)
        c.setFont(REGULAR, 10)
        c.drawString(mm(4), mm(80), "te dicht bij de rand")
    assert "text outside the safe zone" in reasons(broken_pdf(draw))


def test_a_qr_code_that_does_not_match_its_link_is_found():
    def draw(c):
        symbol = make_symbol("https://vng.nl")
        draw_qr(c, symbol, mm(30), mm(40), mm(20) / symbol.modules)
        c.linkURL("https://www.aedes.nl", (mm(29), mm(39), mm(51), mm(61)), thickness=0)
    text = reasons(broken_pdf(draw), qr=True)
    assert "could not be read" in text or "decodes to" in text


def test_a_qr_code_that_is_too_small_is_found():
    def draw(c):
        symbol = make_symbol("https://vng.nl")
        draw_qr(c, symbol, mm(30), mm(40), mm(12) / symbol.modules)
    assert "smaller than 20 mm" in reasons(broken_pdf(draw), qr=True)


def test_not_a_pdf_is_reported():
    assert "not a readable PDF" in reasons(b"%PDF-1.4 broken")


def test_cli_preflight_reports_ok_and_problems(built, tmp_path):
    folder = built("standaard", "a6")
    good = CliRunner().invoke(main, ["preflight", "--no-qr", str(folder / "cards-printshop.pdf")])
    assert good.exit_code == 0 and "OK" in good.output
    bad = tmp_path / "rgb.pdf"
    bad.write_bytes(broken_pdf(lambda c: (c.setFillColorRGB(0, 1, 0), c.rect(mm(20), mm(20), mm(9), mm(9), fill=1))))
    result = CliRunner().invoke(main, ["preflight", "--no-qr", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: page 1: RGB colour" in result.output


def test_a_failing_preflight_stops_the_build_and_keeps_the_old_kit(tmp_path, monkeypatch):
    out = tmp_path / "out"
    build_kit("standaard", BuildOptions(output=out, parts=("cards",)))
    before = (out / "standaard" / "cards-printshop.pdf").read_bytes()
    monkeypatch.setattr(build_module, "preflight", lambda data, kind, qr, text, **_: (kind, [Finding(3, "TrimBox is missing")]))
    result = CliRunner().invoke(main, ["build", "--only", "cards", "--bleed", "2", "-o", str(out)])
    assert result.exit_code == 1
    assert "preflight failed" in result.output and "page 3: TrimBox is missing" in result.output
    assert (out / "standaard" / "cards-printshop.pdf").read_bytes() == before
