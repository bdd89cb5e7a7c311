"""A kit is replaced whole: at every moment the kit folder holds the complete old kit or the complete
new one, whatever stops the build (a kill at any moment, also inside the final switch; a full
disk; a second build at the same time); ``--only`` keeps manifest and zip true; files dialoogkit
did not make are carried over untouched; nothing outside the kit folder is written or deleted;
images stay within their pixel budget and memory within its cap."""

from __future__ import annotations

import fcntl
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from kitdecks import deck_data, snapshot, write_deck

from dialoogkit.errors import OutputError
from dialoogkit.output import staging
from dialoogkit.output.build import BuildOptions, build_kit

MEMORY_CAP = 1536 * 1024 * 1024  # address space of a build, set with RLIMIT_AS


def assert_whole_kit(folder: Path) -> dict:
    """The folder is a complete kit: its manifest lists exactly its files, with their checksums."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["name"]: entry["sha256"] for entry in manifest["files"]}
    files = snapshot(folder)
    assert set(files) == set(listed) | {"manifest.json", "kit-kit.zip"}, "the manifest does not match the files"
    for name, digest in listed.items():
        assert files[name] == digest, f"{name} does not match its manifest checksum"
    return manifest


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dialoogkit", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture()
def kits(tmp_path):
    """An old kit (statements "Oud") built into out/kit, and the deck of a new kit ("Nieuw")."""
    out = tmp_path / "out"
    old = write_deck(tmp_path / "old.yaml", deck_data(3, statement="Oud"))
    new = write_deck(tmp_path / "new.yaml", deck_data(3, statement="Nieuw"))
    result = cli("build", str(old), "-q", "--dpi", "40", "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out, out / "kit", new


# A build in a subprocess that kills itself (SIGKILL) at one named moment of the switch.
KILLER = """
import os, signal, sys
from dialoogkit.output import staging
moment = sys.argv[1]
def die():
    os.kill(os.getpid(), signal.SIGKILL)
real_exchange, real_rename, real_remove = staging.exchange, os.rename, staging.remove_tree
renames = []
def exchange(a, b):
    if moment == "before-exchange":
        die()
    if moment == "two-step":
        return False
    done = real_exchange(a, b)
    if moment == "after-exchange":
        die()
    return done
def rename(a, b):
    renames.append(a)
    if moment == "two-step" and len(renames) == 2:
        die()
    return real_rename(a, b)
def remove_tree(path):
    if moment == "while-deleting-old" and "staging" in str(path) and os.path.isdir(path):
        first = sorted(p for p in os.listdir(path) if p.endswith(".pdf"))[0]
        os.unlink(os.path.join(path, first))
        die()
    return real_remove(path)
staging.exchange, staging.remove_tree = exchange, remove_tree
staging.os.rename = rename
from dialoogkit.cli import main
sys.argv = ["dialoogkit", *sys.argv[2:]]
main()
"""


@pytest.mark.parametrize("moment", ["before-exchange", "after-exchange", "while-deleting-old", "two-step"])
def test_a_kill_inside_the_switch_leaves_the_old_or_the_new_kit(kits, moment):
    out, folder, new = kits
    old_files = snapshot(folder)
    killed = subprocess.run([sys.executable, "-c", KILLER, moment, "build", str(new), "-q", "--dpi", "40",
                             "-o", str(out)], capture_output=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL
    if moment == "two-step":  # killed between the two renames: the next build completes the switch
        assert not folder.exists() and any(".switching" in name for name in leftovers(out))
    else:
        now = snapshot(folder)
        assert now == old_files or assert_whole_kit(folder)["deck"]["title"] == "Test"
        if moment == "before-exchange":
            assert now == old_files
        else:
            assert now != old_files and assert_whole_kit(folder)
    again = cli("build", str(new), "-q", "--dpi", "40", "-o", str(out))
    assert again.returncode == 0, again.stderr
    assert_whole_kit(folder)
    assert leftovers(out) == []


def test_kills_at_many_moments_never_leave_a_mixed_kit(kits, tmp_path):
    out, folder, new = kits
    old_files = snapshot(folder)
    args = [sys.executable, "-m", "dialoogkit", "build", str(new), "-q", "--dpi", "40", "-o", str(tmp_path / "timing")]
    start = time.monotonic()
    subprocess.run(args, check=True, capture_output=True, timeout=300)
    duration = time.monotonic() - start
    seen_new = False
    for fraction in (0.2, 0.4, 0.6, 0.75, 0.85, 0.92, 0.97, 1.0):
        process = subprocess.Popen([*args[:-1], str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=300)
        now = snapshot(folder)
        if now != old_files:
            assert_whole_kit(folder)
            seen_new = True
            break
    assert leftovers(out) == [] or all(".staging-" in name or name.endswith(".lock") for name in leftovers(out))
    assert cli("build", str(new), "-q", "--dpi", "40", "-o", str(out)).returncode == 0
    assert_whole_kit(folder) and leftovers(out) == []
    assert seen_new or snapshot(folder) != old_files


def test_sigterm_and_ctrl_c_keep_the_old_or_the_new_kit_and_leave_nothing(kits):
    out, folder, new = kits
    for sig in (signal.SIGTERM, signal.SIGINT):
        old_files = snapshot(folder)
        process = subprocess.Popen([sys.executable, "-m", "dialoogkit", "build", str(new), "-q", "--dpi", "40",
                                    "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(6000):  # wait (at most a minute) until the build is under way: its stage exists
            if any(".staging-" in name for name in leftovers(out)) or process.poll() is not None:
                break
            time.sleep(0.01)
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=300)
        assert b"Traceback" not in stderr
        assert snapshot(folder) == old_files or assert_whole_kit(folder)
        assert leftovers(out) == []


def test_a_second_build_into_the_same_folder_stops_with_a_clear_message(kits):
    out, folder, new = kits
    before = snapshot(folder)
    with open(out / ".kit.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        busy = cli("build", str(new), "-q", "-o", str(out))
    assert busy.returncode == 1
    assert busy.stderr.startswith("Error: another dialoogkit build is writing") and "wait" in busy.stderr
    assert snapshot(folder) == before


def test_a_full_disk_keeps_the_old_kit(kits, monkeypatch):
    import errno

    out, folder, new = kits
    before = snapshot(folder)
    real_write = staging.Stage.write
    calls = []

    def write(self, relative, data):
        calls.append(relative)
        if len(calls) == 3:
            raise OutputError("could not write x: no space left on device — the disk is full")
        return real_write(self, relative, data)

    monkeypatch.setattr(staging.Stage, "write", write)
    with pytest.raises(OutputError):
        build_kit(new, BuildOptions(output=out, dpi=40))
    assert snapshot(folder) == before and leftovers(out) == []
    monkeypatch.setattr(staging.Stage, "write", real_write)

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(staging.os, "fsync", no_space)
    with pytest.raises(OutputError) as info:
        build_kit(new, BuildOptions(output=out, dpi=40))
    assert "disk is full" in info.value.message
    assert snapshot(folder) == before and leftovers(out) == []


def test_only_one_part_keeps_the_others_and_removes_manifest_and_zip(kits):
    out, folder, new = kits
    before = snapshot(folder)
    result = cli("build", str(new), "--only", "guide", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "manifest.json and the zip" in result.stdout
    after = snapshot(folder)
    assert "manifest.json" not in after and "kit-kit.zip" not in after
    assert after["guide.pdf"] != before["guide.pdf"]
    for name in before:
        if name not in ("guide.pdf", "manifest.json", "kit-kit.zip"):
            assert after[name] == before[name], f"{name} changed although only the guide was built"
    whole = cli("build", str(new), "-q", "--dpi", "40", "-o", str(out))
    assert whole.returncode == 0
    assert_whole_kit(folder)


def test_foreign_files_are_carried_over_untouched_with_force(kits, tmp_path):
    out, folder, new = kits
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "card-01-front.png").write_bytes(b"not ours")
    (folder / "notulen.docx").write_bytes(b"mine")
    (folder / "notes").mkdir()
    (folder / "notes" / "tafel-1.txt").write_text("afspraken", encoding="utf-8")
    (folder / "extern").symlink_to(outside, target_is_directory=True)
    refused = cli("build", str(new), "-q", "--dpi", "40", "-o", str(out))
    assert refused.returncode == 1 and "--force" in refused.stderr
    forced = cli("build", str(new), "-q", "--dpi", "40", "--force", "-o", str(out))
    assert forced.returncode == 0, forced.stderr
    assert (folder / "notulen.docx").read_bytes() == b"mine"
    assert (folder / "notes" / "tafel-1.txt").read_text(encoding="utf-8") == "afspraken"
    assert (folder / "extern").is_symlink() and os.readlink(folder / "extern") == str(outside)
    assert (outside / "card-01-front.png").read_bytes() == b"not ours"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert not any(entry["name"].startswith(("notes", "notulen", "extern")) for entry in manifest["files"])


def test_a_symlink_where_the_kit_writes_is_refused_and_nothing_outside_changes(kits, tmp_path):
    out, folder, new = kits
    outside = tmp_path / "photos"
    outside.mkdir()
    (outside / "card-01-front.png").write_bytes(b"holiday")
    import shutil

    shutil.rmtree(folder / "png")
    (folder / "png").symlink_to(outside, target_is_directory=True)
    for extra in ([], ["--force"]):
        result = cli("build", str(new), "-q", "--dpi", "40", "-o", str(out), *extra)
        assert result.returncode == 1
        assert "symbolic link where dialoogkit writes its own file" in result.stderr
    assert (outside / "card-01-front.png").read_bytes() == b"holiday"
    assert sorted(p.name for p in outside.iterdir()) == ["card-01-front.png"]


def test_a_kit_folder_that_is_a_symlink_is_refused(tmp_path):
    real = tmp_path / "elsewhere"
    real.mkdir()
    (real / "keep.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "kit").symlink_to(real, target_is_directory=True)
    deck = write_deck(tmp_path / "d.yaml", deck_data(1))
    result = cli("build", str(deck), "-q", "--no-png", "-o", str(out))
    assert result.returncode == 1 and "is a symbolic link" in result.stderr
    assert sorted(p.name for p in real.iterdir()) == ["keep.txt"]


def test_the_two_step_switch_works_and_an_interrupted_one_is_completed(kits, monkeypatch):
    out, folder, new = kits
    monkeypatch.setattr(staging, "exchange", lambda a, b: False)
    build_kit(new, BuildOptions(output=out, dpi=40, parts=("cards", "canvases", "guide")))
    assert assert_whole_kit(folder) and leftovers(out) == []
    real_rename, calls = os.rename, []

    def rename(a, b):
        calls.append(a)
        if len(calls) == 2:
            raise KeyboardInterrupt  # stopped between the two steps
        return real_rename(a, b)

    monkeypatch.setattr(staging.os, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        build_kit(new, BuildOptions(output=out, dpi=40, parts=("cards", "canvases", "guide")))
    monkeypatch.setattr(staging.os, "rename", real_rename)
    staging.recover(folder)
    assert_whole_kit(folder)
    assert leftovers(out) == []


def _capped(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def test_a0_at_600_dpi_is_refused_before_any_work_naming_the_budget(tmp_path):
    result = subprocess.run([sys.executable, "-m", "dialoogkit", "build", "--canvas-size", "a0", "--dpi", "600",
                             "-q", "-o", str(tmp_path / "out")], capture_output=True, text=True, timeout=300,
                            preexec_fn=_capped(MEMORY_CAP))
    assert result.returncode == 2, result.stderr
    assert "budget of 50 megapixels per image" in result.stderr and "--dpi 179 or lower" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_largest_allowed_images_build_under_the_memory_cap(tmp_path):
    deck = write_deck(tmp_path / "one.yaml", deck_data(1))
    result = subprocess.run([sys.executable, "-m", "dialoogkit", "build", str(deck), "--only", "png",
                             "--canvas-size", "a0", "--dpi", "179", "-q", "-o", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=600, preexec_fn=_capped(MEMORY_CAP))
    assert result.returncode == 0, result.stderr
    from PIL import Image

    with Image.open(tmp_path / "out" / "kit" / "png" / "canvas-01.png") as image:
        assert 45e6 < image.width * image.height <= 50e6
