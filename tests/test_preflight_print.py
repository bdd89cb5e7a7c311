"""The print-shop preflight: what a prepress checker finds in a PDF, read from its content streams.

A freshly built cards-printshop.pdf of the standard deck passes; copies of it broken on purpose
with pikepdf (an RGB fill, an ICC-based fill, a 0.05 pt line, a 100/100/50/100 patch, a link in
the bleed, no output intent, a 72 ppi image, no TrimBox, …) each give exactly the one expected
finding. Every print-shop and canvas PDF of the standard deck, in every card format and with
bleed 0 to 5 mm, passes (bleed 0: the no-bleed warning only; 1 and 2 mm: the short-bleed warning only); the sheets and the guide are not
held to PDF/X. Hostile content (forms that loop or nest too deep, too many graphics states or
operators, a stream too large to parse) ends in a finding, never a hang or a traceback.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pypdf
import pytest
from click.testing import CliRunner

from dialoogkit.cli import main
from dialoogkit.layouts.formats import CARD_FORMATS
from dialoogkit.output.build import BuildOptions, build_kit
from dialoogkit.output.pdfinput import Limits
from dialoogkit.output.preflight import Finding, preflight


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("print")
    build_kit("standaard", BuildOptions(output=out, parts=("cards", "canvases", "guide")))
    return out / "standaard"


@pytest.fixture(scope="module")
def printshop(kit) -> bytes:
    return (kit / "cards-printshop.pdf").read_bytes()


def changed(source: bytes, change) -> bytes:
    """A copy of ``source`` after ``change(pdf)`` (a pikepdf document), saved by qpdf."""
    with pikepdf.open(io.BytesIO(source)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def appended(content: bytes, page: int = 0, **resources):
    """A change that draws ``content`` after page ``page``'s own, with extra resources."""
    def change(pdf):
        target = pdf.pages[page]
        for kind, entries in resources.items():
            holder = target.Resources.get(f"/{kind}")
            if holder is None:
                target.Resources[f"/{kind}"] = holder = pikepdf.Dictionary()
            for name, value in entries(pdf).items():
                holder[name] = value
        target.contents_add(pikepdf.Stream(pdf, content), prepend=False)
    return change


def only_finding(data: bytes) -> Finding:
    """The one finding of a check as the build runs it plus the text zone (QR codes aside)."""
    kind, findings = preflight(data, qr=False, text=True)
    assert kind == "printshop"
    assert len(findings) == 1, [f.format("copy.pdf") for f in findings]
    return findings[0]


def cmyk_image(pdf, pixels: int):
    return pikepdf.Stream(pdf, bytes([0, 0, 0, 255]) * pixels * pixels, Type=pikepdf.Name.XObject,
                          Subtype=pikepdf.Name.Image, Width=pixels, Height=pixels,
                          ColorSpace=pikepdf.Name.DeviceCMYK, BitsPerComponent=8)


def form(pdf, content: bytes, matrix=(1, 0, 0, 1, 0, 0), resources=None):
    stream = pikepdf.Stream(pdf, content, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                            BBox=[0, 0, 300, 300], Matrix=list(matrix))
    stream.Resources = resources if resources is not None else pikepdf.Dictionary()
    return stream


# --- a fresh build passes, and says what it is ---------------------------------------------------

def test_an_unmodified_copy_gives_no_finding(printshop):
    copy = changed(printshop, lambda pdf: None)
    kind, findings = preflight(copy, qr=True, text=True)
    assert (kind, [f.format("copy.pdf") for f in findings]) == ("printshop", [])


def test_the_pdfx_keys_and_output_intent_read_back_with_pypdf(printshop):
    reader = pypdf.PdfReader(io.BytesIO(printshop))
    info = reader.metadata
    assert info["/GTS_PDFXVersion"] == "PDF/X-1:2001" and info["/GTS_PDFXConformance"] == "PDF/X-1a:2001"
    assert info["/Trapped"] in ("/True", "/False") and info["/DialoogkitKind"] == "printshop"
    intents = [i.get_object() for i in reader.trailer["/Root"]["/OutputIntents"]]
    assert [i["/S"] for i in intents] == ["/GTS_PDFX"] and intents[0]["/OutputConditionIdentifier"]
    assert len(reader.trailer["/ID"]) == 2


# --- each deliberate break gives exactly its finding ---------------------------------------------

def test_an_rgb_fill_is_found(printshop):
    finding = only_finding(changed(printshop, appended(b"q 1 0 0 rg 10 10 20 20 re f Q", page=2)))
    assert (finding.page, finding.code, finding.warning) == (3, "rgb", False)
    assert finding.message.startswith("RGB colour (DeviceRGB) in a fill where CMYK was promised")


def test_an_icc_based_cmyk_fill_is_found(printshop):
    icc = {"/CSicc": lambda pdf: pikepdf.Array([pikepdf.Name.ICCBased, pikepdf.Stream(pdf, b"\0" * 128, N=4)])}
    finding = only_finding(changed(printshop, appended(b"q /CSicc cs 0 0 0 1 scn 10 10 20 20 re f Q",
                                                       ColorSpace=lambda pdf: {k: v(pdf) for k, v in icc.items()})))
    assert (finding.page, finding.code) == (1, "not_device")
    assert finding.message.startswith("ICCBased CMYK colour in a fill: PDF/X-1a takes only DeviceCMYK")


def test_an_icc_based_rgb_fill_and_an_rgb_alternate_are_rgb(printshop):
    spaces = lambda pdf: {"/CSrgb": pikepdf.Array([pikepdf.Name.ICCBased, pikepdf.Stream(pdf, b"\0" * 128, N=3)]),  # noqa: E731
                          "/CSspot": pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name("/Gold"),
                                                    pikepdf.Name.DeviceRGB, pikepdf.Dictionary(FunctionType=2,
                                                    Domain=[0, 1], C0=[1, 1, 1], C1=[1, 0.8, 0], N=1)])}
    finding = only_finding(changed(printshop, appended(b"q /CSrgb CS 1 0 0 SC 0 0 m 90 90 l S Q", ColorSpace=spaces)))
    assert finding.code == "rgb" and finding.message.startswith("RGB colour (ICCBased RGB) in a line")
    finding = only_finding(changed(printshop, appended(b"q /CSspot cs 1 scn 10 10 20 20 re f Q", ColorSpace=spaces)))
    assert finding.code == "rgb" and "Separation /Gold with an RGB alternate" in finding.message


def test_a_thin_line_and_a_hairline_are_found(printshop):
    finding = only_finding(changed(printshop, appended(b"q 0 0 0 1 K 0.05 w 0 0 m 50 50 l S Q")))
    assert (finding.page, finding.code) == (1, "thin_line")
    assert finding.message == "a line of 0.05 pt is thinner than the 0.25 pt a press prints reliably — make it wider"
    assert only_finding(changed(printshop, appended(b"q 0 0 0 1 K 0 w 0 0 m 50 50 l S Q"))).code == "hairline"
    # a line that is never stroked is no line
    assert preflight(changed(printshop, appended(b"q 0.05 w 0 0 m 50 50 l n Q")), qr=False)[1] == []


def test_a_line_thinned_by_the_matrix_of_a_form_is_found(printshop):
    xobjects = lambda pdf: {"/Fm9": form(pdf, b"0 0 0 1 K 1 w 0 0 m 200 0 l S", matrix=(0.1, 0, 0, 0.1, 0, 0))}  # noqa: E731
    finding = only_finding(changed(printshop, appended(b"q 2 0 0 2 20 20 cm /Fm9 Do Q", XObject=xobjects)))
    assert finding.code == "thin_line" and "a line of 0.2 pt" in finding.message  # 1 pt × 0.1 × 2


def test_an_rgb_fill_inside_a_form_is_found(printshop):
    xobjects = lambda pdf: {"/Fm8": form(pdf, b"0 1 0 rg 0 0 10 10 re f")}  # noqa: E731
    finding = only_finding(changed(printshop, appended(b"q /Fm8 Do Q", XObject=xobjects)))
    assert finding.code == "rgb" and finding.message.startswith("RGB colour (DeviceRGB) in a fill")


def test_a_patch_over_300_percent_is_found(printshop):
    finding = only_finding(changed(printshop, appended(b"q 1 1 0.5 1 k 10 10 20 20 re f Q")))
    assert (finding.page, finding.code) == (1, "tac")
    assert finding.message.startswith("ink coverage of 350% (C 100 M 100 Y 50 K 100) is over the 300%")


def test_a_link_in_the_bleed_is_found(printshop):
    def change(pdf):
        link = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                                                    Rect=[20, 20, 60, 60], Border=[0, 0, 0],
                                                    A=pikepdf.Dictionary(S=pikepdf.Name.URI,
                                                                         URI=pikepdf.String("https://example.org"))))
        pdf.pages[1].Annots = pikepdf.Array([link])
    finding = only_finding(changed(printshop, change))
    assert (finding.page, finding.code) == (2, "annotation")
    assert finding.message.startswith("1 annotation(s) (Link) inside the BleedBox")


def test_a_missing_output_intent_is_found(printshop):
    finding = only_finding(changed(printshop, lambda pdf: pdf.Root.__delitem__("/OutputIntents")))
    assert (finding.page, finding.code) == (0, "output_intent")
    assert finding.message.startswith("it has no PDF/X output intent (/OutputIntents with /S /GTS_PDFX)")


def test_an_unregistered_output_intent_needs_its_profile(printshop):
    def change(pdf):
        pdf.Root.OutputIntents[0].OutputConditionIdentifier = pikepdf.String("Drukkerij Jansen 2019")
        if "/DestOutputProfile" in pdf.Root.OutputIntents[0]:
            del pdf.Root.OutputIntents[0].DestOutputProfile
    finding = only_finding(changed(printshop, change))
    assert finding.code == "output_intent" and "'Drukkerij Jansen 2019', which is not a registered" in finding.message


def test_missing_pdfx_identification_is_found(printshop):
    def change(pdf):
        del pdf.docinfo["/GTS_PDFXVersion"]
    finding = only_finding(changed(printshop, change))
    assert (finding.page, finding.code) == (0, "pdfx_version")


def test_a_72_ppi_image_is_found(printshop):
    images = lambda pdf: {"/ImLow": cmyk_image(pdf, 72)}  # noqa: E731
    finding = only_finding(changed(printshop, appended(b"q 72 0 0 72 30 30 cm /ImLow Do Q", XObject=images)))
    assert (finding.page, finding.code, finding.warning) == (1, "image_low", False)
    assert finding.message.startswith("image /ImLow (72 × 72 pixels) is 72 ppi at its printed size, under the 150 ppi")
    # the same image printed a third as large is 216 ppi: a warning only, which passes a build
    finding = only_finding(changed(printshop, appended(b"q 24 0 0 24 30 30 cm /ImLow Do Q", XObject=images)))
    assert (finding.code, finding.warning) == ("image_modest", True) and "216 ppi" in finding.message


def test_an_rgb_image_is_found(printshop):
    def images(pdf):
        return {"/ImRgb": pikepdf.Stream(pdf, b"\xff\0\0" * 300 * 300, Type=pikepdf.Name.XObject,
                                         Subtype=pikepdf.Name.Image, Width=300, Height=300,
                                         ColorSpace=pikepdf.Name.DeviceRGB, BitsPerComponent=8)}
    finding = only_finding(changed(printshop, appended(b"q 50 0 0 50 30 30 cm /ImRgb Do Q", XObject=images)))
    assert finding.code == "rgb" and finding.message.startswith("RGB colour (DeviceRGB) in an image")


def test_a_missing_trimbox_is_found(printshop):
    finding = only_finding(changed(printshop, lambda pdf: pdf.pages[4].obj.__delitem__("/TrimBox")))
    assert (finding.page, finding.code) == (5, "boxes")
    assert finding.message == "TrimBox or BleedBox is missing"


def test_grey_black_text_and_small_text_in_three_plates_are_found(printshop):
    with pikepdf.open(io.BytesIO(printshop)) as pdf:
        font = str(next(iter(pdf.pages[0].Resources.Font.keys())))
    text = b"q BT %s 9 Tf 1 0 0 1 40 40 Tm %s k (Tekst) Tj ET Q"
    finding = only_finding(changed(printshop, appended(text % (font.encode(), b"0 0 0 0.82"))))
    assert finding.code == "text_not_pure_k"
    assert finding.message.startswith("black text of 9.0 pt is C 0 M 0 Y 0 K 82, not pure black")
    finding = only_finding(changed(printshop, appended(text % (font.encode(), b"0.6 0.4 0 0.3"))))
    assert finding.code == "text_plates" and finding.message.startswith("text of 9.0 pt is printed in 3 plates")
    # the same colour at 14 pt (9 pt scaled by the CTM) may use three plates
    scaled = b"q 1.6 0 0 1.6 0 0 cm BT %s 9 Tf 1 0 0 1 40 40 Tm 0.6 0.4 0 0.3 k (Tekst) Tj ET Q" % font.encode()
    assert preflight(changed(printshop, appended(scaled)), qr=False)[1] == []
    # a rich black is black that is not pure K, at any size; a dark two-plate colour is a colour
    finding = only_finding(changed(printshop, appended(scaled.replace(b"0.6 0.4 0 0.3 k", b"0.3 0.3 0.3 1 k"))))
    assert finding.code == "text_not_pure_k" and "text of 14.4 pt is C 30 M 30 Y 30 K 100" in finding.message
    assert preflight(changed(printshop, appended(text % (font.encode(), b"0.34 0 0 0.89"))), qr=False)[1] == []


def test_transparency_is_found(printshop):
    states = lambda pdf: {"/GSa": pikepdf.Dictionary(ca=0.5)}  # noqa: E731
    finding = only_finding(changed(printshop, appended(b"q /GSa gs 0 0 0 1 k 10 10 20 20 re f Q", ExtGState=states)))
    assert finding.code == "transparency" and finding.message.startswith("transparency (ca 0.5)")


# --- what a file is: name, metadata, --kind --------------------------------------------------------

def test_the_kind_comes_from_the_name_or_the_metadata_and_never_silently_from_a_guess(printshop, tmp_path):
    anonymous = changed(printshop, lambda pdf: pdf.docinfo.__delitem__("/DialoogkitKind"))
    kind, findings = preflight(anonymous, qr=False)
    assert kind == "printshop" and [f.code for f in findings] == ["kind"]
    assert "cannot be told from its name or its metadata" in findings[0].message and "--kind" in findings[0].message
    assert preflight(anonymous, qr=False, name="cards-printshop.pdf") == ("printshop", [])
    assert preflight(anonymous, "printshop", qr=False) == ("printshop", [])
    (tmp_path / "drukker.pdf").write_bytes(anonymous)
    result = CliRunner().invoke(main, ["preflight", "--no-qr", str(tmp_path / "drukker.pdf")])
    assert result.exit_code == 1 and "give --kind" in result.output
    result = CliRunner().invoke(main, ["preflight", "--no-qr", "--kind", "printshop", str(tmp_path / "drukker.pdf")])
    assert result.exit_code == 0 and "OK" in result.output


# --- every print-shop file of the standard deck passes ---------------------------------------------

@pytest.mark.parametrize("bleed", [0, 1, 2, 3, 4, 5])
def test_every_format_and_bleed_passes(tmp_path, bleed):
    for number, fmt in enumerate(CARD_FORMATS):
        parts = ("cards", "canvases") if number == 0 else ("cards",)
        out = tmp_path / fmt
        build_kit("standaard", BuildOptions(output=out, card_format=fmt, bleed_mm=float(bleed), parts=parts))
        for name in ("cards-printshop.pdf", "canvases.pdf")[:len(parts)]:
            kind, findings = preflight((out / "standaard" / name).read_bytes(), qr=fmt == "a6", text=True)
            expected = [("no_bleed", True)] if bleed == 0 else [("short_bleed", True)] if bleed < 3 else []
            assert [(f.code, f.warning) for f in findings] == expected, (fmt, bleed, [f.format(name) for f in findings])


def test_no_bleed_is_a_warning_that_build_and_preflight_print_and_that_passes(tmp_path):
    result = CliRunner().invoke(main, ["build", "--only", "cards", "--bleed", "0", "-q", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    pages = len(pypdf.PdfReader(tmp_path / "standaard" / "cards-printshop.pdf").pages)
    assert (f"Warning: cards-printshop.pdf: no bleed: the BleedBox equals the TrimBox on {pages} of {pages} pages"
            in result.output)
    result = CliRunner().invoke(main, ["preflight", "--no-qr", str(tmp_path / "standaard" / "cards-printshop.pdf")])
    assert result.exit_code == 0
    assert "OK  " in result.output and "(printshop), 1 warning(s)" in result.output
    assert "no bleed: the BleedBox equals the TrimBox" in result.output


def test_the_sheets_and_the_guide_are_not_held_to_pdfx(kit):
    for name in ("cards-sheets.pdf", "guide.pdf"):
        data = (kit / name).read_bytes()
        links = [a for page in pypdf.PdfReader(io.BytesIO(data)).pages for a in page.get("/Annots", [])]
        assert links, f"{name} keeps its clickable links"
        kind, findings = preflight(data, qr=False, name=name)
        assert kind == name.split(".")[0].replace("cards-", "") and findings == []
        # a thin line is the print shop's concern, RGB colour everyone's
        assert preflight(changed(data, appended(b"q 0.05 w 0 0 m 50 50 l S Q")), qr=False, name=name)[1] == []
        xobjects = lambda pdf: {"/Fm8": form(pdf, b"0 1 0 rg 0 0 10 10 re f")}  # noqa: E731
        _, findings = preflight(changed(data, appended(b"q /Fm8 Do Q", XObject=xobjects)), qr=False, name=name)
        assert [(f.page, f.code) for f in findings] == [(1, "rgb")]


# --- hostile content: limits, not hangs ------------------------------------------------------------

def test_a_form_that_draws_itself_is_a_finding(printshop):
    def change(pdf):
        loop = pdf.make_indirect(form(pdf, b"/Loop Do"))
        loop.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Loop=loop))
        appended(b"q /Loop Do Q", XObject=lambda pdf: {"/Loop": loop})(pdf)
    finding = only_finding(changed(printshop, change))
    assert finding.message == "could not be checked: a form XObject draws itself (a loop)"


def test_forms_nested_too_deep_are_a_finding(printshop):
    def change(pdf):
        inner = pdf.make_indirect(form(pdf, b"0 0 0 1 k 0 0 1 1 re f"))
        for _ in range(20):
            inner = pdf.make_indirect(form(pdf, b"/In Do", resources=pikepdf.Dictionary(
                XObject=pikepdf.Dictionary(In=inner))))
        appended(b"q /In Do Q", XObject=lambda pdf: {"/In": inner})(pdf)
    finding = only_finding(changed(printshop, change))
    assert finding.message == "could not be checked: its form XObjects are nested more than 12 deep, more than preflight reads"


def test_too_many_graphics_states_operators_or_tokens_are_findings(printshop):
    finding = only_finding(changed(printshop, appended(b"q " * 300)))
    assert "saves more than 256 graphics states" in finding.message

    def fan(pdf):  # 10 forms of 10 draws of 10 forms …: a million rectangles from a few bytes
        inner = pdf.make_indirect(form(pdf, b"0 0 0 1 k 0 0 1 1 re f " * 10))
        for _ in range(5):
            inner = pdf.make_indirect(form(pdf, b"/In Do " * 10, resources=pikepdf.Dictionary(
                XObject=pikepdf.Dictionary(In=inner))))
        appended(b"q /In Do Q", XObject=lambda pdf: {"/In": inner})(pdf)
    _, findings = preflight(changed(printshop, fan), qr=False, limits=Limits(page_operators=50_000))
    assert [f.message for f in findings] == [
        "could not be checked: its content has more than 50,000 operators (forms included), more than preflight reads"]
    _, findings = preflight(changed(printshop, appended(b"0 " * 20_000)), qr=False, limits=Limits(stream_tokens=10_000))
    assert [f.message for f in findings] == [
        "could not be checked: a content stream has more than 10,000 parts, more than preflight reads"]


def test_the_time_budget_holds_inside_the_interpreter(printshop):
    _, findings = preflight(printshop, qr=False, limits=Limits(page_seconds=0.0))
    assert findings[-1].page == 1 and "took longer than 0 s" in findings[-1].message
