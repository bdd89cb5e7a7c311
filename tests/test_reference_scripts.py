"""Reference renderings of right-to-left cards: the Persian card front whose words keep their zero
width non-joiners (U+200C), the Arabic card front with a Latin credit wrapping inside Arabic, and
the Arabic contacts card with the phone number "030 123 45 67", rendered now, must look like the
committed PNGs in ``tests/reference/`` (page and text regions, within the tolerance of
``make_script_references.py``), and the comparison must reject the mistakes these cards are there
to catch: words joined across their non-joiner, the credit's brackets and commas ordered line by
line, the phone number's digit groups read right to left.

When the design changes on purpose, regenerate the references and commit them with the change:
``.venv/bin/python tests/reference/make_script_references.py`` (see ``tests/reference/README.md``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from PIL import Image

_SCRIPT = Path(__file__).resolve().parent / "reference" / "make_script_references.py"
_spec = importlib.util.spec_from_file_location("make_script_references", _SCRIPT)
scripts_refs = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("make_script_references", scripts_refs)
_spec.loader.exec_module(scripts_refs)
refs = scripts_refs.refs
ZWNJ = "\u200c"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Image.Image]:
    """The three pages, built and rendered as the references were."""
    return scripts_refs.render_all(scripts_refs.build(tmp_path_factory.mktemp("script-reference-build")))


def rejected_regions(name: str, image: Image.Image) -> dict[str, object]:
    """The regions of reference ``name`` in which ``image`` is out of tolerance, with their comparison."""
    results = scripts_refs.compare_regions(refs.load_reference(name), image, scripts_refs.stored_regions(name))
    return {text: result for text, result in results.items() if not scripts_refs.region_ok(result)}


@pytest.mark.parametrize("name", list(scripts_refs.PAGES))
def test_the_rendering_matches_its_reference(name, rendered, tmp_path):
    path = refs.reference_path(name)
    assert path.is_file(), f"{path} is missing: run .venv/bin/python tests/reference/make_script_references.py"
    reference, actual = refs.load_reference(name), rendered[name]
    page = refs.compare(reference, actual)
    regions = scripts_refs.compare_regions(reference, actual, scripts_refs.stored_regions(name)) if page.same_size else {}
    failed = [f"page: {page}"] * (not page.ok) + [f"{text}: {scripts_refs.region_text(result)}"
                                                  for text, result in regions.items() if not scripts_refs.region_ok(result)]
    if failed:
        actual_path, diff_path = tmp_path / f"{name}-actual.png", tmp_path / f"{name}-diff.png"
        actual.save(actual_path)
        refs.difference_image(reference, actual).save(diff_path)
        with Image.open(path) as stored:
            made_with = stored.info.get("Software", "unknown versions")
        deck, index, _ = scripts_refs.PAGES[name]
        pytest.fail(f"{name} ({deck} cards-printshop.pdf page {index + 1} at {scripts_refs.DPI} dpi) differs from "
                    f"{path}:\n  " + "\n  ".join(failed) + f"\n  actual: {actual_path}\n  difference (red): {diff_path}\n"
                    f"  reference made with {made_with}; now {refs.versions()}\n"
                    f"  If the design changed on purpose, run .venv/bin/python tests/reference/make_script_references.py "
                    f"and commit the new references.")


def test_the_cards_hold_what_their_references_are_for(tmp_path):
    """A change of the fixtures or of the fitting must not quietly take away what is compared:
    non-joiners on the Persian front, the credit broken inside, the phone number on its own line."""
    boxes = scripts_refs.text_boxes(tmp_path)

    def lines(page: str, text: str) -> list[str]:
        return [" ".join(word for _, word, _ in line.pieces) for line in boxes[page]["texts"][text].block.lines]

    persian = lines("fa-card-front", "statement") + lines("fa-card-front", "explanation")
    assert {f"همسایه{ZWNJ}ها", f"می{ZWNJ}کنیم", f"خانه{ZWNJ}ی"} <= {w for line in persian for w in line.split()}
    credit = lines("ar-credit-front", "explanation")
    assert credit[0].endswith("(Aedes, VNG,") and credit[1].startswith("Valente 2024)"), credit
    assert scripts_refs.PHONE in lines("ar-contacts-front", "contact-1")


def test_every_reference_names_the_text_regions_it_is_compared_in():
    for name, texts in scripts_refs.REGIONS.items():
        stored = scripts_refs.stored_regions(name)
        assert set(stored) == set(texts), name
        width, height = refs.load_reference(name).size
        for left, top, right, bottom in stored.values():
            assert 0 <= left < right <= width and 0 <= top < bottom <= height, (name, stored)
            assert (right - left) * (bottom - top) >= 0.02 * width * height, (name, stored)  # a real text band


# ---------------------------------------------------------------- the comparison itself can fail


def test_persian_words_joined_across_their_non_joiner_are_rejected(tmp_path):
    """The Persian card as a shaper ignoring U+200C would draw it ("میکنیم" joined)."""
    def drop_non_joiners(key: str, data: dict) -> None:
        if key == "fa":
            lesson = data["lessons"][0]
            lesson["statement"] = lesson["statement"].replace(ZWNJ, "")
            lesson["explanation"] = lesson["explanation"].replace(ZWNJ, "")

    image = scripts_refs.render_all(scripts_refs.build(tmp_path, drop_non_joiners, only=("fa",)))["fa-card-front"]
    rejected = rejected_regions("fa-card-front", image)
    assert set(rejected) == {"statement", "explanation"}, rejected
    assert not refs.compare(refs.load_reference("fa-card-front"), image).ok


def test_a_credit_ordered_line_by_line_is_rejected(tmp_path, monkeypatch):
    """Each line of the credit resolved on its own (not with its paragraph): the comma after "VNG"
    and the brackets land on the wrong side. Only the region sees it; the page stays within tolerance."""
    from dialoogkit.generator import display
    from dialoogkit.generator.shaping import shape_line

    def line_by_line(lines, size, direction):
        return [shape_line([(word, font) for _, word, font in line.pieces], size, direction) if line.pieces else None
                for line in lines]

    monkeypatch.setattr(display, "shape_block", line_by_line)
    image = scripts_refs.render_all(scripts_refs.build(tmp_path, only=("ar",)))["ar-credit-front"]
    assert set(rejected_regions("ar-credit-front", image)) == {"explanation"}


def test_a_phone_number_read_right_to_left_is_rejected(tmp_path, monkeypatch):
    """Without the left-to-right span, the plain bidi algorithm shows the groups as "67 45 123 030"."""
    from dialoogkit.generator import scripts

    monkeypatch.setattr(scripts, "left_to_right_spans", lambda text: [])
    image = scripts_refs.render_all(scripts_refs.build(tmp_path, only=("ar",)))["ar-contacts-front"]
    assert set(rejected_regions("ar-contacts-front", image)) == {"contact-1"}


def test_the_comparison_tolerates_another_rasterisation(tmp_path):
    """pdfium's own grayscale rendering of the same pages: accepted, page and regions."""
    for name, image in scripts_refs.render_all(scripts_refs.build(tmp_path), grayscale=True).items():
        assert refs.compare(refs.load_reference(name), image).ok, name
        assert not rejected_regions(name, image), name


@pytest.mark.parametrize("name", list(scripts_refs.PAGES))
def test_a_region_rejects_its_text_moved_by_one_pixel(name):
    """A quarter of a millimetre at 100 dpi: too small for the page, not for the text's region."""
    reference = refs.load_reference(name)
    moved = reference.copy()
    moved.paste(reference.crop((0, 0, reference.width, reference.height - 1)), (0, 1))
    assert set(rejected_regions(name, moved)) == set(scripts_refs.REGIONS[name])
