"""Reference renderings: the standard deck's first card (front and back) and first canvas, rendered
now, must look like the committed PNGs in ``tests/reference/``, within a tolerance that survives
a patch release of reportlab or pdfium but not a layout change.

When the design changes on purpose, regenerate the references and commit them with the change:
``.venv/bin/python tests/reference/make_references.py`` (see ``tests/reference/README.md``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageFilter

_SCRIPT = Path(__file__).resolve().parent / "reference" / "make_references.py"
_spec = importlib.util.spec_from_file_location("make_references", _SCRIPT)
refs = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("make_references", refs)
_spec.loader.exec_module(refs)


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    """The standard deck's cards and canvases, built as the references were."""
    return refs.build(tmp_path_factory.mktemp("reference-build"))


@pytest.fixture(scope="module")
def rendered(kit) -> dict[str, Image.Image]:
    return refs.render_all(kit)


@pytest.mark.parametrize("name", list(refs.PAGES))
def test_the_rendering_matches_its_reference(name, rendered, tmp_path):
    path = refs.reference_path(name)
    assert path.is_file(), f"{path} is missing: run .venv/bin/python tests/reference/make_references.py"
    reference, actual = refs.load_reference(name), rendered[name]
    result = refs.compare(reference, actual)
    if not result.ok:
        actual_path, diff_path = tmp_path / f"{name}-actual.png", tmp_path / f"{name}-diff.png"
        actual.save(actual_path)
        refs.difference_image(reference, actual).save(diff_path)
        with Image.open(path) as stored:
            made_with = stored.info.get("Software", "unknown versions")
        pdf, index, dpi = refs.PAGES[name]
        pytest.fail(f"{name} ({pdf} page {index + 1} at {dpi} dpi) differs from {path}: {result}\n"
                    f"  actual: {actual_path}\n  difference (red): {diff_path}\n"
                    f"  reference made with {made_with}; now {refs.versions()}\n"
                    f"  If the design changed on purpose, run .venv/bin/python tests/reference/make_references.py "
                    f"and commit the new references.")


# ---------------------------------------------------------------- the comparison itself can fail


def _shifted(image: Image.Image, dx: int, dy: int) -> Image.Image:
    """``image``'s content moved right by ``dx`` and down by ``dy`` pixels (the strips it leaves
    keep what was there, so the edges add no difference of their own): a layout change."""
    moved = image.copy()
    moved.paste(image.crop((0, 0, image.width - dx, image.height - dy)), (dx, dy))
    return moved


@pytest.mark.parametrize("name", list(refs.PAGES))
def test_the_comparison_accepts_an_identical_image(name):
    reference = refs.load_reference(name)
    result = refs.compare(reference, reference.copy())
    assert result.ok and result.mean == 0 and result.off_share == 0, result


def test_the_comparison_tolerates_another_rasterisation(kit, rendered):
    """pdfium's own grayscale rendering of the same pages (another path through its rasteriser)
    is accepted: a patch release's antialiasing changes are smaller than this."""
    for name, image in refs.render_all(kit, grayscale=True).items():
        result = refs.compare(rendered[name], image)
        assert result.ok, f"{name}: {result}"


@pytest.mark.parametrize("name", list(refs.PAGES))
def test_the_comparison_tolerates_softer_antialiasing(name):
    """Edges a little softer everywhere, as another rasteriser's antialiasing would draw them."""
    reference = refs.load_reference(name)
    result = refs.compare(reference, reference.filter(ImageFilter.GaussianBlur(0.5)))
    assert result.ok, result


@pytest.mark.parametrize("name", list(refs.PAGES))
def test_the_comparison_reports_everything_moved_by_two_pixels(name):
    reference = refs.load_reference(name)
    result = refs.compare(reference, _shifted(reference, 2, 2))
    assert not result.ok, result
    assert result.mean > refs.MAX_MEAN_DIFF and result.off_share > refs.MAX_OFF_SHARE, result


def test_the_comparison_reports_another_face():
    result = refs.compare(refs.load_reference("card-front"), refs.load_reference("card-back"))
    assert not result.ok, result
    assert "mean difference" in str(result)


def test_the_comparison_reports_another_size():
    reference = refs.load_reference("card-front")
    result = refs.compare(reference, reference.resize((reference.width + 1, reference.height)))
    width, height = reference.size
    assert not result.ok and f"size {width + 1}×{height} px, reference {width}×{height} px" in str(result), result


def test_the_difference_image_marks_what_changed():
    reference = refs.load_reference("card-front")
    diff = refs.difference_image(reference, _shifted(reference, 2, 2))
    assert diff.size == reference.size and diff.mode == "RGB"
    assert (220, 0, 0) in {colour for _, colour in diff.getcolors(maxcolors=1 << 16)}
    same = refs.difference_image(reference, reference)
    assert (220, 0, 0) not in {colour for _, colour in same.getcolors(maxcolors=1 << 16)}
