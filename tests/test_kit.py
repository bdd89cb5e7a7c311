"""The kit around the PDFs: PNG images, manifest.json with checksums and the zip."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from dialoogkit.output.build import BuildOptions, build_kit

A6_MM = (105, 148)
A3_MM = (420, 297)


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("kit")
    build_kit("standaard", BuildOptions(output=out, dpi=100))
    return out / "standaard"


def pixels(mm: float, dpi: int) -> int:
    return round(mm / 25.4 * dpi)


def test_png_count_is_card_faces_plus_canvases_plus_contact_sheet(kit):
    names = sorted(p.name for p in (kit / "png").iterdir())
    assert len([n for n in names if n.startswith("card-")]) == 22  # the opening card (00) and ten lessons
    assert len([n for n in names if n.startswith("canvas-")]) == 13
    assert "contact-sheet.png" in names
    assert (names.index("card-00-front.png") < names.index("card-01-front.png") < names.index("card-02-front.png")
            < names.index("card-10-front.png"))


def test_every_png_has_the_size_its_dpi_implies(kit):
    for path in (kit / "png").glob("card-*.png"):
        with Image.open(path) as card:
            assert abs(card.width - pixels(A6_MM[0], 100)) <= 1 and abs(card.height - pixels(A6_MM[1], 100)) <= 1, path
    for path in (kit / "png").glob("canvas-*.png"):
        with Image.open(path) as canvas:
            assert abs(canvas.width - pixels(A3_MM[0], 100)) <= 1, path
            assert abs(canvas.height - pixels(A3_MM[1], 100)) <= 1, path


def test_card_png_is_cropped_to_the_trim(kit):
    with Image.open(kit / "png" / "card-01-front.png") as card:
        band = card.convert("RGB").getpixel((card.width // 2, 2))
    assert band != (255, 255, 255)


def test_manifest_checksums_match_the_files(kit):
    manifest = json.loads((kit / "manifest.json").read_text("utf-8"))
    assert manifest["deck"]["id"] == "standaard"
    assert manifest["options"]["dpi"] == 100
    for entry in manifest["files"]:
        data = (kit / entry["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["name"]
        assert len(data) == entry["bytes"]
    names = {entry["name"] for entry in manifest["files"]}
    assert {"cards-sheets.pdf", "cards-printshop.pdf", "canvases.pdf", "guide.pdf", "png/contact-sheet.png"} <= names
    assert len([n for n in names if n.startswith("png/")]) == 22 + 13 + 1


def test_zip_holds_exactly_the_manifest_files_and_the_manifest(kit):
    manifest = json.loads((kit / "manifest.json").read_text("utf-8"))
    with zipfile.ZipFile(kit / "standaard-kit.zip") as archive:
        assert sorted(archive.namelist()) == sorted([entry["name"] for entry in manifest["files"]] + ["manifest.json"])
        assert archive.read("manifest.json") == (kit / "manifest.json").read_bytes()
        for entry in manifest["files"]:
            assert hashlib.sha256(archive.read(entry["name"])).hexdigest() == entry["sha256"]
        # images are deflated already: stored as they are; the PDFs and the manifest deflated
        kinds = {info.filename: info.compress_type for info in archive.infolist()}
        assert {kinds[name] for name in kinds if name.endswith(".png")} == {zipfile.ZIP_STORED}
        assert {kinds[name] for name in kinds if not name.endswith(".png")} == {zipfile.ZIP_DEFLATED}


def test_a_second_build_gives_the_same_manifest_and_zip(kit, tmp_path):
    build_kit("standaard", BuildOptions(output=tmp_path, dpi=100))
    again = tmp_path / "standaard"
    assert (again / "manifest.json").read_bytes() == (kit / "manifest.json").read_bytes()
    assert (again / "standaard-kit.zip").read_bytes() == (kit / "standaard-kit.zip").read_bytes()
