"""Nothing lost: a build that fails, runs out of disk or is killed keeps the previous kit and leaves
no temporary files; a folder with files dialoogkit did not make is refused unless --force."""

from __future__ import annotations

import errno
import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest
from kitdecks import deck_data, snapshot, write_deck
from click.testing import CliRunner

from dialoogkit.cli import main
from dialoogkit.errors import OutputError
from dialoogkit.output import atomic
from dialoogkit.output.atomic import TEMP_PREFIX, write_atomic


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(TEMP_PREFIX)]


@pytest.fixture()
def previous_kit(tmp_path) -> tuple[Path, Path, dict[str, str]]:
    small = write_deck(tmp_path / "small.yaml", deck_data(3))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(small), "-q", "--no-png", "-o", str(out)])
    assert result.exit_code == 0, result.output
    folder = out / "kit"
    return out, folder, snapshot(folder)


def test_a_failing_build_keeps_the_previous_kit(previous_kit, tmp_path):
    out, folder, before = previous_kit
    bad = write_deck(tmp_path / "bad.yaml", deck_data(4, long=True))
    result = CliRunner().invoke(main, ["build", str(bad), "-q", "--no-png", "-o", str(out)])
    assert result.exit_code == 1
    assert "overflows by" in result.output
    assert snapshot(folder) == before
    assert temp_files(out) == []


def test_a_full_disk_keeps_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "cards.pdf"
    target.write_bytes(b"old")

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", no_space)
    with pytest.raises(OutputError) as info:
        write_atomic(target, b"new" * 1000)
    assert "no space left on device" in info.value.message and "free some space" in info.value.message
    assert target.read_bytes() == b"old"
    assert temp_files(tmp_path) == []


@pytest.mark.parametrize("sig, delay", [(signal.SIGTERM, 0.8), (signal.SIGTERM, 2.0), (signal.SIGKILL, 1.2)])
def test_a_killed_build_keeps_the_previous_kit(previous_kit, tmp_path, sig, delay):
    out, folder, before = previous_kit
    big = write_deck(tmp_path / "big.yaml", deck_data(400))
    process = subprocess.Popen([sys.executable, "-m", "dialoogkit", "build", str(big), "-q", "--no-png", "-o", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(delay)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0, "the build finished before it could be killed: make the deck larger"
    assert b"Traceback" not in stderr
    after = snapshot(folder)
    assert set(after) == set(before)
    for name, digest in after.items():
        if digest != before[name]:  # a file replaced just before the kill must be complete
            assert name.endswith(".pdf")
            assert len(pypdf.PdfReader(folder / name).pages) > 0
    if sig == signal.SIGTERM:
        assert temp_files(out) == []
    rebuilt = CliRunner().invoke(main, ["build", str(tmp_path / "small.yaml"), "-q", "--no-png", "-o", str(out)])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert temp_files(out) == []


def test_a_folder_with_foreign_files_is_refused_unless_forced(previous_kit, tmp_path):
    out, folder, before = previous_kit
    (folder / "notulen.docx").write_bytes(b"mine")
    deck = tmp_path / "small.yaml"
    refused = CliRunner().invoke(main, ["build", str(deck), "-q", "--no-png", "-o", str(out)])
    assert refused.exit_code == 1
    assert "notulen.docx" in refused.output and "--force" in refused.output
    assert snapshot(folder) == {**before, "notulen.docx": hashlib.sha256(b"mine").hexdigest()}
    forced = CliRunner().invoke(main, ["build", str(deck), "-q", "--no-png", "--force", "-o", str(out)])
    assert forced.exit_code == 0, forced.output
    assert (folder / "notulen.docx").read_bytes() == b"mine"


def test_stale_images_of_a_larger_earlier_build_are_removed(tmp_path):
    out = tmp_path / "out"
    for lessons in (4, 3):
        deck = write_deck(tmp_path / f"d{lessons}.yaml", deck_data(lessons))
        result = CliRunner().invoke(main, ["build", str(deck), "-q", "--only", "png", "--dpi", "40", "-o", str(out)])
        assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (out / "kit" / "png").iterdir())
    assert "card-04-front.png" not in names and "card-03-front.png" in names
