"""File-system errors and the unforeseen: every command answers with one ``Error:`` line that names
the path and the reason and says what to do, never a traceback, and writes nothing."""

from __future__ import annotations

import errno
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dialoogkit.cli import main

CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dialoogkit", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def assert_one_clean_error(result: subprocess.CompletedProcess, *phrases: str, status: int = 1) -> None:
    assert result.returncode == status, result.stderr
    if status == 2:  # a wrong option: click shows the usage line first, then the error
        assert "\nError: " in result.stderr or result.stderr.startswith("Error: "), result.stderr
    else:
        assert result.stderr.startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr and not CONTROL.search(result.stderr)
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr


@pytest.fixture()
def workdir(tmp_path) -> Path:
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    return tmp_path


def test_output_through_a_file_names_the_path_and_the_reason(workdir):
    result = run("build", "-q", "--no-png", "-o", "afile/sub", cwd=workdir)
    assert_one_clean_error(result, "could not write afile/sub", "not a directory", "check the path")


def test_output_under_a_missing_system_folder(workdir):
    result = run("build", "-q", "--only", "guide", "-o", "/proc/self/nope/out", cwd=workdir)
    assert_one_clean_error(result, "could not write /proc/self/nope/out")


def test_an_output_name_that_is_too_long(workdir):
    result = run("build", "-q", "--only", "guide", "-o", "n" * 300, cwd=workdir)
    assert_one_clean_error(result, "name too long", "use a shorter file or folder name")
    assert "n" * 150 not in result.stderr, "the message must quote a long name only in part"


@pytest.mark.parametrize("args, phrase", [
    (["calibrate", "-o", "/proc/self/nope/calibrate.pdf"], "could not write /proc/self/nope/calibrate.pdf"),
    (["schema", "-o", "afile/deck.schema.json"], "afile/deck.schema.json"),
    (["check", "afile/deck.yaml"], "afile/deck.yaml"),
])
def test_other_commands_name_the_path(workdir, args, phrase):
    result = run(*args, cwd=workdir)
    assert result.returncode in (1, 2)
    assert_one_clean_error(result, phrase, status=result.returncode)
    assert not any(p.name.startswith(".dialoogkit-tmp") for p in workdir.rglob("*"))


def test_a_read_only_disk_is_said_in_plain_words(tmp_path, monkeypatch):
    from dialoogkit.output import staging

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / "out"))

    monkeypatch.setattr(staging, "_make_stage", read_only)
    result = CliRunner().invoke(main, ["build", "-q", "--only", "guide", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "read-only file system" in result.output and "choose a folder you can write to" in result.output
    assert not (tmp_path / "out").exists()


def test_anything_unforeseen_is_one_line_with_a_hint_to_report_it(tmp_path, monkeypatch):
    from dialoogkit.output import render

    def broken(job):
        raise ZeroDivisionError("division by zero \x1b[2J")

    monkeypatch.setitem(render.RENDERERS, "guide", broken)
    result = CliRunner().invoke(main, ["build", "-q", "--only", "guide", "-o", str(tmp_path / "out")])
    assert result.exit_code == 3
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: internal error (ZeroDivisionError: division by zero")
    assert "please report it" in lines[0] and "nothing was written" in lines[0]
    assert not CONTROL.search(result.output)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("option, value", [("--bleed", "nan"), ("--bleed", "inf"), ("--bleed", "\u0661"),
                                           ("--back-offset", "nan,0"), ("--dpi", "100000"), ("--dpi", "0"),
                                           ("--dpi", "\u00b2")])
def test_options_that_are_no_usable_number_are_refused_before_any_work(tmp_path, option, value):
    result = run("build", "-q", option, value, "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert_one_clean_error(result, option, status=2)
    assert not (tmp_path / "out").exists()
