"""A preflight that agrees with a print shop's: the 33 kinds of defect a prepress operator plants,
one at a time, in a copy of a clean cards-printshop.pdf (made here with pikepdf, one file per kind,
written under the test's temporary folder so a failure can be opened), are each reported by
``dialoogkit preflight`` with the finding that names them; the clean file gives none; and no
bundled deck, in any card format or canvas size, gives a false alarm.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from dialoogkit.cards.bundled import list_bundled
from dialoogkit.cli import main
from dialoogkit.layouts.formats import CARD_FORMATS
from dialoogkit.layouts.posters import POSTER_SIZES
from dialoogkit.output.build import BuildOptions, build_kit
from dialoogkit.output.preflight import preflight

MM = 72 / 25.4


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("clean")
    build_kit("standaard", BuildOptions(output=out, parts=("cards",)))
    return (out / "standaard" / "cards-printshop.pdf").read_bytes()


# ---------------------------------------------------------------- planting

def draw(content: bytes, page: int = 0, **resources):
    """A change that draws ``content`` after page ``page``'s own, with extra resources (each a
    function of the document giving a dictionary of entries)."""
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


def font_of(pdf) -> bytes:
    return str(next(iter(pdf.pages[0].Resources.Font.keys()))).encode()


def text(colour: bytes, size: float, x_mm: float = 20, y_mm: float = 40, state: bytes = b"", **resources):
    """Text in the page's own (embedded) font: ``colour`` as a ``k`` operand, ``size`` points,
    its origin ``x_mm``, ``y_mm`` from the page's corner."""
    def change(pdf):
        content = (b"q %s BT %s %g Tf 1 0 0 1 %g %g Tm %s k (Tekst) Tj ET Q"
                   % (state, font_of(pdf), size, x_mm * MM, y_mm * MM, colour))
        draw(content, **resources)(pdf)
    return change


def image(pdf, pixels: int, space=pikepdf.Name.DeviceCMYK, smask=None):
    channels = {"/DeviceCMYK": 4, "/DeviceRGB": 3}[str(space)]
    stream = pikepdf.Stream(pdf, bytes([0, 80, 160, 0][:channels]) * pixels * pixels, Type=pikepdf.Name.XObject,
                            Subtype=pikepdf.Name.Image, Width=pixels, Height=pixels, ColorSpace=space,
                            BitsPerComponent=8)
    if smask is not None:
        stream.SMask = smask
    return stream


def form(pdf, content: bytes):
    stream = pikepdf.Stream(pdf, content, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 300, 300])
    stream.Resources = pikepdf.Dictionary()
    return stream


def icc_space(pdf, n: int):
    return pikepdf.Array([pikepdf.Name.ICCBased, pikepdf.Stream(pdf, b"\0" * 128, N=n)])


def gs(**entries):
    return {"ExtGState": lambda pdf: {"/GSx": pikepdf.Dictionary(**entries)}}


def set_boxes(trim_inset_mm: float, bleed_mm: float):
    """Every page: its TrimBox ``trim_inset_mm`` inside the MediaBox, BleedBox ``bleed_mm`` around it."""
    def change(pdf):
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.MediaBox)
            t = trim_inset_mm * MM
            trim = [x0 + t, y0 + t, x1 - t, y1 - t]
            b = bleed_mm * MM
            page.TrimBox = pikepdf.Array(trim)
            page.BleedBox = pikepdf.Array([trim[0] - b, trim[1] - b, trim[2] + b, trim[3] + b])
            page.MediaBox = page.BleedBox if b > 0 else page.MediaBox
    return change


def delete_info(*keys: str):
    def change(pdf):
        for key in keys:
            del pdf.docinfo[key]
    return change


def set_info(key: str, value):
    def change(pdf):
        pdf.docinfo[key] = value
    return change


def link(rect_mm: tuple[float, float, float, float]):
    def change(pdf):
        annotation = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[v * MM for v in rect_mm], Border=[0, 0, 0],
            A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org"))))
        pdf.pages[0].Annots = pikepdf.Array([annotation])
    return change


def open_action(pdf):
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hi')"))


SAVE_16 = {"min_version": "1.6", "object_stream_mode": pikepdf.ObjectStreamMode.generate}
SAVE_ENCRYPTED = {"encryption": pikepdf.Encryption(owner="drukker", user="", R=4)}

# kind: (change, how to save, the finding's code)
DEFECTS = {
    "rgb-image": (draw(b"q 60 0 0 60 40 40 cm /ImRgb Do Q", XObject=lambda pdf: {
        "/ImRgb": image(pdf, 300, pikepdf.Name.DeviceRGB)}), {}, "rgb"),
    "rgb-fill": (draw(b"q 1 0 0 rg 40 40 20 20 re f Q"), {}, "rgb"),
    "rgb-in-form": (draw(b"q /FmRgb Do Q", XObject=lambda pdf: {"/FmRgb": form(pdf, b"0 1 0 rg 40 40 10 10 re f")}),
                    {}, "rgb"),
    "rgb-shading": (draw(b"q 40 40 60 60 re W n /ShRgb sh Q", Shading=lambda pdf: {"/ShRgb": pikepdf.Dictionary(
        ShadingType=2, ColorSpace=pikepdf.Name.DeviceRGB, Coords=[40, 40, 100, 100],
        Function=pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[1, 0, 0], C1=[0, 0, 1], N=1))}), {}, "rgb"),
    "lab-colour": (draw(b"q /CSlab cs 50 20 -30 scn 40 40 20 20 re f Q", ColorSpace=lambda pdf: {
        "/CSlab": pikepdf.Array([pikepdf.Name.Lab, pikepdf.Dictionary(WhitePoint=[0.9642, 1, 0.8249])])}),
                   {}, "not_device"),
    "icc-colour": (draw(b"q /CSicc cs 0.2 0.4 0 0.1 scn 40 40 20 20 re f Q", ColorSpace=lambda pdf: {
        "/CSicc": icc_space(pdf, 4)}), {}, "not_device"),
    "unembedded-font": (draw(b"q BT /FHelv 9 Tf 1 0 0 1 60 60 Tm 0 0 0 1 k (Tekst) Tj ET Q", Font=lambda pdf: {
        "/FHelv": pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                     BaseFont=pikepdf.Name.Helvetica)}), {}, "font"),
    "hairline-0.1pt": (draw(b"q 0 0 0 1 K 0.1 w 40 40 m 90 90 l S Q"), {}, "thin_line"),
    "zero-width-line": (draw(b"q 0 0 0 1 K 0 w 40 40 m 90 90 l S Q"), {}, "hairline"),
    "line-thinned-by-scaling": (draw(b"q 0.1 0 0 0.1 40 40 cm 0 0 0 1 K 1 w 0 0 m 500 0 l S Q"), {}, "thin_line"),
    "ink-400": (draw(b"q 1 1 1 1 k 40 40 20 20 re f Q"), {}, "tac"),
    "transparency-ca": (draw(b"q /GSx gs 0 0 0 1 k 40 40 20 20 re f Q", **gs(ca=0.5)), {}, "transparency"),
    "blend-mode": (draw(b"q /GSx gs 0 0 0 1 k 40 40 20 20 re f Q", **gs(BM=pikepdf.Name.Multiply)), {},
                   "transparency"),
    "image-with-soft-mask": (draw(b"q 40 0 0 40 40 40 cm /ImMask Do Q", XObject=lambda pdf: {
        "/ImMask": image(pdf, 300, smask=pikepdf.Stream(pdf, b"\x80" * 300 * 300, Type=pikepdf.Name.XObject,
                                                         Subtype=pikepdf.Name.Image, Width=300, Height=300,
                                                         ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8))}),
                             {}, "transparency"),
    "4pt-text-in-four-plates": (text(b"0.4 0.3 0.3 0.3", 4), {}, "text_plates"),
    "8pt-rich-black-text": (text(b"0.6 0.5 0.5 1", 8), {}, "text_not_pure_k"),
    "4pt-text-in-pure-k": (text(b"0 0 0 1", 4), {}, "text_size"),
    "text-1mm-from-the-trim": (text(b"0 0 0 1", 9, x_mm=3 + 1, y_mm=60), {}, "text_zone"),
    "link-inside-the-trim": (link((30, 40, 60, 60)), {}, "annotation"),
    "29-ppi-image": (draw(b"q 72 0 0 72 40 40 cm /ImLow Do Q", XObject=lambda pdf: {"/ImLow": image(pdf, 29)}), {},
                     "image_low"),
    "no-trimbox-or-bleedbox": (lambda pdf: [page.obj.__delitem__("/TrimBox") for page in pdf.pages], {}, "boxes"),
    "bleedbox-inside-the-trimbox": (lambda pdf: [setattr(page, "BleedBox", pikepdf.Array(
        [float(v) + (12 if i < 2 else -12) for i, v in enumerate(page.TrimBox)])) for page in pdf.pages], {}, "boxes"),
    "1mm-bleed": (set_boxes(2, 1), {}, "short_bleed"),
    "no-output-intent": (lambda pdf: pdf.Root.__delitem__("/OutputIntents"), {}, "output_intent"),
    "no-gts-pdfxversion": (delete_info("/GTS_PDFXVersion"), {}, "pdfx_version"),
    "trapped-unknown": (set_info("/Trapped", pikepdf.Name.Unknown), {}, "trapped"),
    "no-title": (delete_info("/Title"), {}, "info"),
    "no-dates": (delete_info("/CreationDate", "/ModDate"), {}, "info"),
    "encrypted": (lambda pdf: None, SAVE_ENCRYPTED, "file"),
    "white-text-set-to-overprint": (text(b"0 0 0 0", 12, state=b"/GSx gs", **gs(op=True, OP=True, OPM=1)), {},
                                    "white_overprint"),
    "javascript-open-action": (open_action, {}, "actions"),
    "pdf-1.6-with-object-streams": (lambda pdf: None, SAVE_16, "pdf_version"),
    "transfer-function-in-a-graphics-state": (draw(b"q /GSx gs 0 0 0 1 k 40 40 20 20 re f Q",
                                                   **gs(TR=pikepdf.Name.Identity)), {}, "transfer"),
}


def planted(source: bytes, kind: str) -> bytes:
    change, saving, _ = DEFECTS[kind]
    with pikepdf.open(io.BytesIO(source)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out, **saving)
        return out.getvalue()


def test_there_are_33_kinds():
    assert len(DEFECTS) == 33


def test_the_clean_copy_gives_no_finding(clean):
    copy = planted(clean, "encrypted")  # a check of the planting: the same save without the defect
    assert copy != clean
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        out = io.BytesIO()
        pdf.save(out)
    kind, findings = preflight(out.getvalue(), qr=True, text=True)
    assert (kind, [f.format("copy.pdf") for f in findings]) == ("printshop", [])


@pytest.mark.parametrize("kind", list(DEFECTS))
def test_each_planted_defect_is_reported(clean, tmp_path, kind):
    data = planted(clean, kind)
    path = tmp_path / f"defect-{kind}.pdf"
    path.write_bytes(data)
    code = DEFECTS[kind][2]
    _, findings = preflight(data, qr=False, text=True, name="cards-printshop.pdf")
    assert code in {f.code for f in findings}, (kind, [(f.code, f.format(path.name)) for f in findings])
    # as a user runs it: the defect is named, and an error makes the command fail
    result = CliRunner().invoke(main, ["preflight", "--no-qr", "--kind", "printshop", str(path)])
    reported = next(f for f in findings if f.code == code)
    assert reported.message.split(":")[0] in result.output, result.output
    assert result.exit_code == (0 if reported.warning else 1), result.output


def test_a_bleed_under_the_one_asked_for_is_a_warning_naming_both(clean):
    data = planted(clean, "1mm-bleed")
    finding = next(f for f in preflight(data, qr=False)[1] if f.code == "short_bleed")
    assert finding.warning and "1.0 mm" in finding.message and "3 mm" in finding.message
    assert not [f for f in preflight(data, qr=False, bleed_mm=1.0)[1] if f.code == "short_bleed"]
    assert [f.code for f in preflight(data, qr=False, bleed_mm=2.0)[1]] == ["short_bleed"]


# ---------------------------------------------------------------- no false alarm

@pytest.fixture(scope="module")
def every_build(tmp_path_factory):
    """Every bundled deck's print files: cards in every format, canvases in every size."""
    out = tmp_path_factory.mktemp("all")
    files: list[tuple[str, Path]] = []
    for deck in list_bundled():
        for card_format in CARD_FORMATS:
            folder = out / f"{deck}-{card_format}"
            build_kit(deck, BuildOptions(output=folder, parts=("cards",), card_format=card_format))
            files += [(f"{deck} {card_format}", path) for path in sorted(folder.rglob("cards-*.pdf"))]
        for size in POSTER_SIZES:
            folder = out / f"{deck}-{size}"
            build_kit(deck, BuildOptions(output=folder, parts=("canvases",), canvas_size=size))
            files += [(f"{deck} {size}", path) for path in sorted(folder.rglob("canvases.pdf"))]
    return files


def test_no_false_alarm_on_any_bundled_deck_format_or_canvas_size(every_build):
    assert len(every_build) == len(list_bundled()) * (2 * len(CARD_FORMATS) + len(POSTER_SIZES))
    for what, path in every_build:
        _, findings = preflight(path.read_bytes(), qr=False, text=True, name=path.name)
        assert findings == [], (what, path.name, [f.format(path.name) for f in findings])
