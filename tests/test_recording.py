"""Each card face is drawn once for press: the print-shop file records it, the office sheets
replay the recording and the card images replay it in screen colours. The sheets are the same
file, byte for byte, as drawing every face again would make (the fonts are seeded alike in both
files, shaped glyphs included), in every duplex mode, with and without a gutter, for faces with a
logo (painted in each file) and for right-to-left and Ethiopic text; a build paints each text
once."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from dialoogkit.generator import display
from dialoogkit.generator.recording import Recordings, plan_seed, record_face, replay
from dialoogkit.layouts.formats import PAPERS
from dialoogkit.layouts.units import mm
from dialoogkit.output.document import DocumentInfo, open_canvas
from dialoogkit.output.printshop import render_printshop
from dialoogkit.output.sheets import render_sheets

FIXTURES = Path(__file__).resolve().parent / "fixtures"
INFO = DocumentInfo("test", "test", "test", "nl", kind="sheets")
PRESS = DocumentInfo("test", "test", "test", "nl", kind="printshop")


def recorded(plan) -> Recordings:
    recordings = Recordings()
    render_printshop(plan, mm(3), PRESS, recordings=recordings)
    return recordings


@pytest.mark.parametrize("deck, card_format, duplex, gutter", [
    ("standaard", "a6", "long-edge", 0.0),
    ("standaard", "a7", "short-edge", 3.0),
    ("standaard", "poker", "fold", 1.5),
    ("standaard", "a6-office", "none", 3.0),
    (FIXTURES / "custom" / "region" / "deck.yaml", "a6", "long-edge", 2.0),  # a logo on its fronts
    (FIXTURES / "scripts" / "ar.yaml", "a6", "long-edge", 0.0),  # right-to-left: shaped
    (FIXTURES / "scripts" / "fa.yaml", "poker", "short-edge", 2.0),  # Persian, with ZWNJ
    (FIXTURES / "scripts" / "ti.yaml", "a6", "fold", 0.0),  # Ethiopic: a script font
])
def test_replayed_sheets_are_the_sheets_drawing_would_make(planned, deck, card_format, duplex, gutter):
    plan = planned(deck, card_format)
    recordings = recorded(plan)
    arguments = (plan, PAPERS["a4"], duplex, (0.0, 0.0), INFO, None, mm(gutter))
    drawn, replayed = render_sheets(*arguments), render_sheets(*arguments, recordings=recordings)
    assert replayed == drawn
    assert len(recordings.faces) == 2 * len(plan.printed_faces)


def test_only_areas_and_pictures_are_painted_again(planned):
    live = {deck: {type(item).__name__ for recording in recorded(planned(deck)).faces.values()
                   for item, _, is_painted in recording.parts if is_painted}
            for deck in ("standaard", FIXTURES / "custom" / "region" / "deck.yaml", FIXTURES / "scripts" / "ar.yaml")}
    assert live == {"standaard": {"Area"}, FIXTURES / "custom" / "region" / "deck.yaml": {"Area", "Picture"},
                    FIXTURES / "scripts" / "ar.yaml": {"Area"}}


def test_the_seed_holds_the_shaped_glyph_codes(planned):
    """An Arabic deck's seed gives its script font the glyph codes shaping chose (contextual forms
    have codes of their own, above the font's characters), in code point order."""
    seed = dict(plan_seed(planned(FIXTURES / "scripts" / "ar.yaml").all_faces))
    arabic = [codes for font, codes in seed.items() if "Arabic" in font]
    assert arabic and all(list(codes) == sorted(codes) for codes in seed.values())
    assert any(ord(code) >= 0xF0000 or 0x0600 <= ord(code) <= 0x06FF for code in arabic[0])


def test_a_card_build_draws_each_face_once(monkeypatch, tmp_path):
    """Every text of every face is painted once (for the print-shop file; the sheets replay it;
    the standard deck has no shaped text)."""
    from dialoogkit.output.build import BuildOptions, build_cards

    painted: list[display.Text] = []  # the objects themselves: no id is reused while they are kept
    paint = display._paint_text

    def counting(canvas, text, screen=False):
        painted.append(text)
        return paint(canvas, text, screen)

    monkeypatch.setattr(display, "_paint_text", counting)
    build_cards("standaard", BuildOptions(output=tmp_path))
    assert len(painted) > 100
    assert len({id(text) for text in painted}) == len(painted)


def test_a_recording_is_not_replayed_over_a_clashing_graphics_state(planned):
    plan = planned("standaard")
    face = plan.printed_faces[0][0]
    canvas = open_canvas(io.BytesIO(), (face.width, face.height), PRESS)
    recording = record_face(canvas, face, 0.0)
    assert recording is not None and recording.states  # solid black text overprints: a named state
    other = open_canvas(io.BytesIO(), (face.width, face.height), INFO)
    (state, name), *_ = recording.states
    other._extgstate._c[("CA", 0.5)] = name  # this page already gives the name to another state
    written = len(other._code)
    assert not replay(other, recording, 0.0)
    assert len(other._code) == written


@pytest.mark.parametrize("deck", ["standaard", FIXTURES / "custom" / "region" / "deck.yaml",
                                  FIXTURES / "scripts" / "ar.yaml", FIXTURES / "scripts" / "ti.yaml"])
def test_images_replay_the_press_recording_in_screen_colours(planned, monkeypatch, deck):
    """The card images' screen PDF replayed from the print-shop recordings is the PDF drawing the
    faces in screen colours makes, byte for byte, and none of its text is drawn again."""
    from dialoogkit.output.png import render_pages, screen_cards_pdf

    plan = planned(deck)
    recordings = recorded(plan)
    drawn = screen_pdf_seeded(plan, recordings)
    painted: list[display.Text] = []
    paint = display._paint_text
    monkeypatch.setattr(display, "_paint_text", lambda canvas, text, screen=False: (painted.append(text),
                                                                                    paint(canvas, text, screen)))
    replayed = screen_cards_pdf(plan, recordings)
    assert painted == []  # every text replayed, shaped lines included
    assert b" rg" in replayed and b" k\n" not in replayed.replace(b"0 0 0 1 k", b"")  # screen colours
    assert replayed == drawn
    for before, after in zip(render_pages(drawn, 100), render_pages(replayed, 100), strict=True):
        assert before.tobytes() == after.tobytes()


def screen_pdf_seeded(plan, recordings: Recordings) -> bytes:
    """The card images' screen PDF drawn face by face (no replay), its fonts seeded as the
    recordings' file was: what replaying must write, byte for byte."""
    from dialoogkit.output.png import screen_cards_pdf

    return screen_cards_pdf(plan, Recordings(recordings.seed, {}))
