"""The start page's list of decks: each deck is loaded again only when its file, or a file it
read (its parent), changes; a deck with a problem is looked at again each time, so the problem
goes away with the file that fixes it; a deck may extend another one of the workspace, as in the editor."""

from __future__ import annotations

import os
from pathlib import Path

from dialoogkit.studio import catalogue
from dialoogkit.studio.workspace import Workspace

PARENT = "extends: standaard\nid: regio\ntitle: Regio Noord\nregion: Noord\n"
CHILD = "extends: ../regio/deck.yaml\nid: wijk\ntitle: Wijk De Kern\n"


def counting_loads(monkeypatch) -> list[Path]:
    loads: list[Path] = []
    real = catalogue.load_deck

    def load(path, *args, **kwargs):
        loads.append(Path(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(catalogue, "load_deck", load)
    return loads


def touch_later(path: Path, text: str) -> None:
    """Write ``text`` with a modification time clearly after the last one."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))


def test_a_deck_is_loaded_again_only_when_a_file_it_read_changes(tmp_path, monkeypatch):
    (tmp_path / "regio").mkdir()
    (tmp_path / "wijk").mkdir()
    (tmp_path / "regio/deck.yaml").write_text(PARENT, encoding="utf-8")
    (tmp_path / "wijk/deck.yaml").write_text(CHILD, encoding="utf-8")
    workspace = Workspace.open(tmp_path)
    loads = counting_loads(monkeypatch)
    first = {entry.relative: entry.title for entry in catalogue.list_decks(workspace)}
    assert first == {"regio/deck.yaml": "Regio Noord", "wijk/deck.yaml": "Wijk De Kern"}
    assert len(loads) == 2
    assert [entry.title for entry in catalogue.list_decks(workspace)] == ["Regio Noord", "Wijk De Kern"]
    assert len(loads) == 2  # nothing changed: nothing loaded
    touch_later(tmp_path / "regio/deck.yaml", PARENT.replace("Regio Noord", "Regio Noord-Oost"))
    again = {entry.relative: entry.title for entry in catalogue.list_decks(workspace)}
    assert again == {"regio/deck.yaml": "Regio Noord-Oost", "wijk/deck.yaml": "Wijk De Kern"}
    assert sorted(p.parent.name for p in loads[2:]) == ["regio", "wijk"]  # the child read the parent


def test_a_deck_with_a_problem_is_fixed_by_the_file_it_was_missing(tmp_path):
    (tmp_path / "wijk").mkdir()
    (tmp_path / "wijk/deck.yaml").write_text(CHILD, encoding="utf-8")
    workspace = Workspace.open(tmp_path)
    [broken] = catalogue.list_decks(workspace)
    assert broken.problems and broken.lessons is None
    (tmp_path / "regio").mkdir()
    (tmp_path / "regio/deck.yaml").write_text(PARENT, encoding="utf-8")
    entries = {entry.relative: entry for entry in catalogue.list_decks(workspace)}
    assert not entries["wijk/deck.yaml"].problems and entries["wijk/deck.yaml"].lessons == 10
