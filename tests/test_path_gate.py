"""One gate for every path a file names: every path-typed field of every kind of file (a deck's
``extends``, ``logo``, ``companion``; a results file's ``deck``) refuses an absolute path, ``../``
without ``--allow-parent-folder``, a symbolic link that leads out, a named pipe and the system's
own files, through the real command line; with the flag only a ``../`` to a regular file passes.
A refusal exits 1, names the path as written, never shows a line of the target and builds nothing.
The model is walked, so a path-typed field without cases here fails the first test."""

from __future__ import annotations

import os
import shutil
import typing
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from PIL import Image
from pydantic import BaseModel

from dialoogkit.cards.models import Deck, DeckPatch
from dialoogkit.cards.paths import FileReference
from dialoogkit.cards.results.model import Results
from dialoogkit.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "GEHEIM-REGEL-42"  # a line of every file outside: it must never be shown
MODELS = (Deck, DeckPatch, Results)


def path_fields(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Where the model holds a value typed as a file reference (a ``FileReference`` mark)."""
    found = []
    for name, info in model.model_fields.items():
        found += _walk(info.annotation, prefix + (info.alias or name,), list(info.metadata))
    return found


def _walk(annotation, where: tuple[str, ...], metadata: list) -> list[tuple[str, ...]]:
    if any(isinstance(mark, FileReference) for mark in metadata):
        return [where]
    if typing.get_origin(annotation) is typing.Annotated:
        inner, *marks = typing.get_args(annotation)
        return _walk(inner, where, metadata + marks)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return path_fields(annotation, where)
    found = []
    for arg in typing.get_args(annotation):
        found += _walk(arg, where + (("[]",) if typing.get_origin(annotation) in (list, dict) else ()), [])
    return found


def test_every_path_typed_field_of_every_model_has_its_gate_cases_here():
    fields = {(model.__name__,) + where for model in MODELS for where in path_fields(model)}
    assert fields == set(PLANTS), "a path-typed field without gate cases: add it to PLANTS"


def _png(path: Path) -> None:
    Image.new("RGB", (300, 120), (29, 92, 122)).save(path, "PNG")


def _outside(tmp_path: Path) -> Path:
    """A folder beside the work folder, with good and secret files of every kind."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(f"# {SECRET}\nid: geheim\ntitle: {SECRET}\n", encoding="utf-8")
    (outside / "secret.png").write_text(f"{SECRET}\n", encoding="utf-8")
    (outside / "deck.yaml").write_text("extends: standaard\nid: buiten\ntitle: Buiten\n", encoding="utf-8")
    shutil.copy(FIXTURES / "companion" / "english.yaml", outside / "companion.yaml")
    _png(outside / "logo.png")
    return outside


def _deck_base() -> dict:
    base = yaml.safe_load((FIXTURES / "companion" / "main.yaml").read_text(encoding="utf-8"))
    base.pop("companion")
    return base


def _results_base(work: Path) -> dict:
    result = CliRunner().invoke(main, ["results", "new", "standaard", "-o", str(work / "s.yaml")])
    assert result.exit_code == 0, result.output
    return yaml.safe_load((work / "s.yaml").read_text(encoding="utf-8"))


# field → (how a file holding it is made, the good file outside, the secret file's suffix)
PLANTS = {
    ("DeckPatch", "extends"): ("deck", "deck.yaml", ".yaml"),
    ("Deck", "logo"): ("deck", "logo.png", ".png"),
    ("Deck", "companion"): ("deck", "companion.yaml", ".yaml"),
    ("Results", "deck"): ("results", "deck.yaml", ".yaml"),
    ("Results", "sender", "logo"): ("results", "logo.png", ".png"),
}


def _plant(tmp_path: Path, field: tuple[str, ...], value: str) -> tuple[Path, list[str]]:
    """A file in ``tmp_path/work`` whose ``field`` holds ``value``, and the command that reads it."""
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    kind = PLANTS[field][0]
    data = _deck_base() if kind == "deck" else _results_base(work)
    block = data
    for key in field[1:-1]:  # a field inside a block (sender.logo)
        block = block[key]
    block[field[-1]] = value
    target = work / ("deck.yaml" if kind == "deck" else "s.yaml")
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = str(tmp_path / "out")
    if kind == "deck":
        return target, [["check", str(target)], ["build", str(target), "--only", "cards", "-q", "-o", out]]
    return target, [["report", str(target), "-o", out]]


def _hostile(tmp_path: Path, outside: Path, suffix: str) -> dict[str, str]:
    """Each kind of path that must be refused (with or without the flag), as written."""
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    os.symlink(outside / f"secret{suffix}", work / f"link{suffix}")
    os.symlink(outside, work / "linked-folder", target_is_directory=True)
    os.symlink("/proc/self/environ", work / f"environ{suffix}")
    os.mkfifo(work / f"pipe{suffix}")
    return {
        "absolute": str(outside / f"secret{suffix}"),
        "etc": "/etc/passwd",
        "proc": "/proc/self/environ",
        "link out": f"link{suffix}",
        "link to proc": f"environ{suffix}",
        "fifo": f"pipe{suffix}",
        "through a link": f"linked-folder/../../outside/secret{suffix}",
        "proc upwards": "../" * 12 + "proc/self/environ",
    }


FIELDS = sorted(PLANTS)
KINDS = ["absolute", "etc", "proc", "link out", "link to proc", "fifo", "through a link", "proc upwards"]


def _refused(result, value: str, tmp_path: Path) -> None:
    assert result.exit_code == 1, result.output
    assert value[:60] in result.output, result.output  # as written (a long path is shortened after 80)
    assert SECRET not in result.output and "root:x:" not in result.output and "PATH=" not in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.pdf"))


@pytest.mark.parametrize("field", FIELDS, ids=".".join)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("flag", [False, True], ids=["plain", "allow-parent"])
def test_a_hostile_path_is_refused_in_every_path_field(tmp_path, field, kind, flag):
    outside = _outside(tmp_path)
    value = _hostile(tmp_path, outside, PLANTS[field][2])[kind]
    _, commands = _plant(tmp_path, field, value)
    for command in commands:
        result = CliRunner().invoke(main, command + (["--allow-parent-folder"] if flag else []))
        _refused(result, value, tmp_path)


@pytest.mark.parametrize("field", FIELDS, ids=".".join)
def test_parent_folder_needs_the_flag_and_then_reaches_only_a_regular_file(tmp_path, field):
    _outside(tmp_path)
    value = f"../outside/{PLANTS[field][1]}"
    _, commands = _plant(tmp_path, field, value)
    for command in commands:
        result = CliRunner().invoke(main, command)
        _refused(result, value, tmp_path)
        assert "--allow-parent-folder" in result.output
    for command in commands:
        result = CliRunner().invoke(main, command + ["--allow-parent-folder"])
        assert result.exit_code == 0, result.output


def test_results_new_never_writes_over_the_deck_it_reads(tmp_path):
    deck = tmp_path / "deck.yaml"
    deck.write_text("extends: standaard\nid: mijn-deck\ntitle: Mijn deck\n", encoding="utf-8")
    before = deck.read_bytes()
    for target in (deck, tmp_path / "." / "deck.yaml"):
        result = CliRunner().invoke(main, ["results", "new", str(deck), "-o", str(target), "--force"])
        assert result.exit_code == 1, result.output
        assert "deck" in result.output and "-o" in result.output
    assert deck.read_bytes() == before


def _bilingual(tmp_path: Path) -> Path:
    """main.yaml with a logo and an English companion that extends en-base.yaml."""
    shutil.copy(FIXTURES / "companion" / "main.yaml", tmp_path / "main.yaml")
    shutil.copy(FIXTURES / "companion" / "english.yaml", tmp_path / "en-base.yaml")
    (tmp_path / "english.yaml").write_text("extends: en-base.yaml\nid: bilingual-en\nlanguage: en\n"
                                           "title: Mixed housing, bilingual\n", encoding="utf-8")
    (tmp_path / "main.yaml").write_text((tmp_path / "main.yaml").read_text(encoding="utf-8") + "logo: logo.yaml\n",
                                        encoding="utf-8")
    _png(tmp_path / "logo.yaml")  # a PNG by another name: -o logo.yaml would name it
    os.link(tmp_path / "main.yaml", tmp_path / "tweede-naam.yaml")
    return tmp_path / "main.yaml"


@pytest.mark.parametrize("target", ["en-base.yaml", "english.yaml", "logo.yaml", "tweede-naam.yaml", "main.yaml"])
def test_results_new_never_writes_over_any_file_the_deck_is_read_from(tmp_path, target):
    """Not the companion, not what the companion extends, not the logo, not a hard link to the deck."""
    deck = _bilingual(tmp_path)
    assert CliRunner().invoke(main, ["check", str(deck)]).exit_code == 0
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    result = CliRunner().invoke(main, ["results", "new", str(deck), "-o", str(tmp_path / target), "--force"])
    assert result.exit_code == 1, result.output
    assert target in result.output and "-o" in result.output
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before


def test_results_new_never_keeps_its_backup_over_the_deck(tmp_path):
    """A save keeps the file it replaces as <name>.bak: when that name is the deck, nothing is written."""
    deck = tmp_path / "r.yaml.bak"
    deck.write_text("extends: standaard\nid: r\ntitle: R\n", encoding="utf-8")
    (tmp_path / "r.yaml").write_text("oud: 1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["results", "new", str(deck), "-o", str(tmp_path / "r.yaml"), "--force"])
    assert result.exit_code == 1 and "r.yaml.bak" in result.output, result.output
    assert deck.read_text(encoding="utf-8").startswith("extends: standaard")
    assert (tmp_path / "r.yaml").read_text(encoding="utf-8") == "oud: 1\n"


def test_a_parent_step_never_climbs_out_of_a_linked_folder(tmp_path):
    """``inner`` links to ``x/y``: ``../z.yaml`` from ``inner/d.yaml`` would climb from the link's
    target (``x/z.yaml``), not to the ``z.yaml`` the path seems to name; refused, naming the link."""
    (tmp_path / "x" / "y").mkdir(parents=True)
    os.symlink("x/y", tmp_path / "inner", target_is_directory=True)
    (tmp_path / "deck.yaml").write_text("extends: inner/d.yaml\nid: top\ntitle: Top\n", encoding="utf-8")
    (tmp_path / "x" / "y" / "d.yaml").write_text("extends: ../z.yaml\nid: d\ntitle: D\n", encoding="utf-8")
    for where in (tmp_path, tmp_path / "x"):
        (where / "z.yaml").write_text(f"extends: standaard\nid: z\ntitle: {SECRET}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path / "deck.yaml"), "--allow-parent-folder"])
    assert result.exit_code == 1 and "'../z.yaml'" in result.output and "(inner)" in result.output, result.output
    assert SECRET not in result.output
