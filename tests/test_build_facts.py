"""The build checks its own PDFs from what it knows of them (issue 22, item 5): the ink preflight
interprets each distinct face once, no output PDF is parsed again, and the findings are those of
the full preflight of the same file."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path

import pikepdf
import pypdf
import pytest

from dialoogkit.app.building import build_deck
from dialoogkit.cards.loader import load_deck
from dialoogkit.generator import icc
from dialoogkit.generator.plan import plan_deck
from dialoogkit.layouts.units import mm
from dialoogkit.output import preflight_facts
from dialoogkit.output.build import BuildOptions
from dialoogkit.output.document import collecting_facts
from dialoogkit.output.options import check_options
from dialoogkit.output.preflight import preflight
from dialoogkit.output.printshop import render_printshop
from dialoogkit.output.render import document_info


def no_progress(total, label):
    return nullcontext(lambda n: None)


def printshop_with_facts(faces: int | None = None, bleed_mm: float = 3.0):
    """The standard deck's cards-printshop.pdf (its first card repeated ``faces`` times when
    given) and the facts its canvas noted."""
    options = BuildOptions()
    settings = check_options(options)
    loaded = load_deck("standaard")
    plan = plan_deck(loaded, settings.card_format, settings.profile)
    if faces is not None:
        plan = replace(plan, faces=plan.faces[:1] * faces, opening=None)
    with collecting_facts() as known, icc.separating(settings.intent.separation):
        data = render_printshop(plan, mm(bleed_mm), document_info(loaded.deck, "printshop_doc", settings.intent))
    return data, known["printshop"]


def test_the_ink_preflight_interprets_each_distinct_face_once():
    data, facts = printshop_with_facts(faces=6)
    assert len(facts.pages) == 12  # six cards, front and back: two distinct faces
    preflight_facts.ANALYSED.clear()
    kind, findings = preflight(data, "printshop", text=False, facts=facts)
    assert (kind, findings) == ("printshop", [])
    assert preflight_facts.ANALYSED["printshop"] == 2


@pytest.mark.parametrize("bleed_mm", [0.0, 1.0, 3.0])
def test_the_check_from_facts_finds_what_the_full_preflight_finds(bleed_mm):
    data, facts = printshop_with_facts(bleed_mm=bleed_mm)
    from_facts = preflight(data, "printshop", text=False, bleed_mm=3.0, facts=facts)
    parsed = preflight(data, "printshop", text=False, bleed_mm=3.0)
    assert from_facts == parsed
    assert [f.code for f in from_facts[1]] == {0.0: ["no_bleed"], 1.0: ["short_bleed"], 3.0: []}[bleed_mm]


def test_facts_of_other_bytes_are_not_used():
    data, facts = printshop_with_facts(faces=1)
    assert preflight_facts.usable(facts, data)
    assert not preflight_facts.usable(facts, data + b"\n")


def test_a_build_opens_none_of_its_pdfs_again(tmp_path, monkeypatch):
    opened = []
    real_reader, real_open = pypdf.PdfReader, pikepdf.open
    monkeypatch.setattr(pypdf, "PdfReader", lambda *a, **k: opened.append("pypdf") or real_reader(*a, **k))
    monkeypatch.setattr(pikepdf, "open", lambda *a, **k: opened.append("pikepdf") or real_open(*a, **k))
    result = build_deck("standaard", BuildOptions(output=tmp_path, parts=("cards",), bleed_mm=0.0),
                        progress=no_progress)
    assert opened == []
    assert [note for note in result.notes if "cards-printshop.pdf: no bleed" in note.format()]
    pages = len(real_reader(tmp_path / "standaard" / "cards-sheets.pdf").pages)
    assert result.sheet is not None and result.sheet.sheets == pages // 2


def test_the_qr_preflight_still_reads_the_file(tmp_path, monkeypatch):
    opened = []
    real_reader = pypdf.PdfReader
    monkeypatch.setattr(pypdf, "PdfReader", lambda *a, **k: opened.append(1) or real_reader(*a, **k))
    build_deck("standaard", BuildOptions(output=tmp_path, parts=("cards",), preflight_qr=True),
               progress=no_progress)
    assert len(opened) == 2  # both card PDFs, decoded and read as a print shop would


def test_a_font_that_is_not_embedded_sends_the_file_to_the_full_preflight():
    import io

    from dialoogkit.output.document import DocumentInfo, open_canvas

    buffer = io.BytesIO()
    with collecting_facts() as known:
        canvas = open_canvas(buffer, (200, 200), DocumentInfo("t", "a", "s", "nl", kind="guide"))
        canvas.setFont("Helvetica", 10)
        canvas.drawString(40, 100, "Helvetica sneaks in")
        canvas.showPage()
        canvas.save()
    data, facts = buffer.getvalue(), known["guide"]
    assert facts.plain_fonts == ["Helvetica"] and not preflight_facts.usable(facts, data)
    _, findings = preflight(data, "guide", text=False, facts=facts)
    assert [f.code for f in findings] == ["font"]


def test_a_qr_path_is_read_as_one_rectangle_and_still_counted():
    """The rows of dark modules of a QR symbol paint nothing until the fill: the check reads the
    first rectangle of a run, and the others still count towards the operators per page."""
    content = (b"q 0.5 0 0 0.5 10 10 cm 0 0 0 1 k\n0 20 3 1 re\n5 20 1 1 re\n0 19 1 1 re\nf\nQ\n"
               b"BT /F1 9 Tf 12 40 Td (2 3 4 5 re) Tj ET\n1.5 2 3 4 re\n1 1 1 1 re\nf\n")
    shorter, left_out = preflight_facts.without_rectangle_runs(content)
    assert left_out == 2
    assert shorter == (b"q 0.5 0 0 0.5 10 10 cm 0 0 0 1 k\n0 20 3 1 re\nf\nQ\n"
                       b"BT /F1 9 Tf 12 40 Td (2 3 4 5 re) Tj ET\n1.5 2 3 4 re\n1 1 1 1 re\nf\n")


def test_a_card_build_does_not_even_load_the_pdf_reader(tmp_path):
    """In a fresh process: building the cards (preflight included) never imports pypdf, and the
    guide's modules are loaded only by a build that makes the guide."""
    import subprocess
    import sys

    code = ("import sys\nfrom pathlib import Path\nfrom dialoogkit.output.build import BuildOptions, build_kit\n"
            f"build_kit('standaard', BuildOptions(output=Path({str(tmp_path)!r}), parts=('cards',)))\n"
            "print(sorted(m for m in ('pypdf', 'reportlab.platypus', 'dialoogkit.generator.guide.story')"
            " if m in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert (tmp_path / "standaard" / "cards-printshop.pdf").stat().st_size > 10_000
