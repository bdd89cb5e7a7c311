"""The command line as a user meets it: --version, --help, list, check, and a fast start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dialoogkit import __version__
from dialoogkit.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ERRORS = FIXTURES / "errors"
MINIMAL = FIXTURES / "decks" / "minimal.yaml"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_version_prints_the_package_version():
    result = run("--version")
    assert result.exit_code == 0
    assert __version__ in result.output
    assert "dialoogkit" in result.output


def test_main_help_shows_commands_and_examples():
    result = run("--help")
    assert result.exit_code == 0, result.output
    assert "Example" in result.output
    for command in ("list", "check", "schema"):
        assert command in result.output


@pytest.mark.parametrize("command", sorted(main.commands))
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_subcommand_help_has_an_example(command, flag):
    result = run(command, flag)
    assert result.exit_code == 0, result.output
    assert f"dialoogkit {command}" in result.output
    assert "Example" in result.output


def test_list_names_decks_formats_papers_and_profiles():
    result = run("list")
    assert result.exit_code == 0, result.output
    for name in ("standaard", "standard-en", "a6", "poker", "tarot", "a4", "letter", "large-print"):
        assert name in result.output, name
    assert "standaard  (default)" in result.output


def test_check_without_argument_checks_the_standard_deck():
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "10 lessons" in result.output
    assert "(standaard, nl)" in result.output


def test_check_english_deck():
    result = run("check", "standard-en")
    assert result.exit_code == 0, result.output
    assert "10 lessons" in result.output
    assert "(standard-en, en)" in result.output


def test_check_a_deck_file():
    result = run("check", str(MINIMAL))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK  Klein testdeck")
    assert "3 lessons, 9 questions" in result.output


@pytest.mark.parametrize("fixture", ["unknown_theme.yaml", "bad_yaml_syntax.yaml", "empty.yaml", "several_mistakes.yaml"])
def test_check_of_a_broken_deck_exits_1_with_an_error_and_no_traceback(fixture):
    result = run("check", str(ERRORS / fixture))
    assert result.exit_code == 1, result.output
    assert "Error:" in result.output
    assert fixture in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an uncaught exception


def test_check_of_unknown_deck_exits_2_and_lists_bundled_decks():
    result = run("check", "nonexistent-deck")
    assert result.exit_code == 2, result.output
    assert "Error:" in result.output
    assert "nonexistent-deck" in result.output
    assert "standaard" in result.output
    assert "standard-en" in result.output
    assert "Traceback" not in result.output


def test_check_of_misspelled_deck_suggests_the_right_name():
    result = run("check", "standard")
    assert result.exit_code == 2, result.output
    assert "Did you mean 'standaard'?" in result.output


def test_check_of_a_folder_exits_2(tmp_path):
    result = run("check", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert "is a folder" in result.output


def test_unknown_command_exits_2():
    result = run("frobnicate")
    assert result.exit_code == 2
    assert "No such command" in result.output


def test_python_dash_m_dialoogkit_version():
    proc = subprocess.run([sys.executable, "-m", "dialoogkit", "--version"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert __version__ in proc.stdout


def test_python_dash_m_check_of_broken_deck_exits_1_without_traceback():
    proc = subprocess.run([sys.executable, "-m", "dialoogkit", "check", str(ERRORS / "unknown_theme.yaml")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error:")
    assert "unknown_theme.yaml:16:" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_list_does_not_import_heavy_libraries():
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "dialoogkit", "list"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "standaard" in proc.stdout
    modules = [line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()
               if line.startswith("import time:")]
    assert "dialoogkit.cli" in modules, "importtime output was not captured"
    for heavy in ("reportlab", "pydantic"):
        imported = [m for m in modules if m == heavy or m.startswith(heavy + ".")]
        assert not imported, f"`dialoogkit list` imports {heavy}: {imported[:5]}"
