"""The one storage interface under both faces: a save never writes over bytes the writer did not
read, the previous version is kept, and a request's storage is its own (a context variable)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from dialoogkit.app.storage import (
    FolderStorage, StoreConflict, StoredVersion, current_author, current_storage, stored_bytes, using_storage,
)


def test_a_save_keeps_the_previous_version_and_refuses_bytes_it_did_not_read(tmp_path: Path):
    storage = FolderStorage(tmp_path)
    deck = tmp_path / "regio" / "deck.yaml"
    assert storage.replace(deck, b"id: a\n", read=None)
    assert storage.replace(deck, b"id: b\n", read=b"id: a\n")
    assert deck.read_bytes() == b"id: b\n"
    assert (tmp_path / "regio" / "deck.yaml.bak").read_bytes() == b"id: a\n"
    assert [v.data for v in storage.versions(deck)] == [b"id: a\n", b"id: b\n"]
    with pytest.raises(StoreConflict):
        storage.replace(deck, b"id: c\n", read=b"id: a\n")  # someone else saved 'b' meanwhile
    with pytest.raises(StoreConflict):
        storage.replace(deck, b"id: c\n", read=None)  # a new file never replaces one that is there
    assert deck.read_bytes() == b"id: b\n"
    assert not storage.replace(deck, b"id: b\n", read=b"id: b\n")  # nothing changed, nothing written


def test_a_link_or_folder_in_the_way_is_never_written_through(tmp_path: Path):
    storage = FolderStorage(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"keep")
    link = tmp_path / "logo.png"
    link.symlink_to(outside)
    with pytest.raises(StoreConflict):
        storage.replace(link, b"new", read=stored_bytes(outside))
    (tmp_path / "deck.yaml").mkdir()
    with pytest.raises(StoreConflict):
        storage.replace(tmp_path / "deck.yaml", b"id: x\n", read=None)
    assert outside.read_bytes() == b"keep"


def test_two_writers_with_the_same_reading_never_both_win(tmp_path: Path):
    storage = FolderStorage(tmp_path)
    deck = tmp_path / "deck.yaml"
    storage.replace(deck, b"v0", read=None)
    outcomes: list[str] = []
    start = threading.Barrier(8)

    def write(number: int) -> None:
        start.wait()
        try:
            storage.replace(deck, f"v{number}".encode(), read=b"v0")
            outcomes.append(f"v{number}")
        except StoreConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(1, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if o != "conflict"]
    assert len(winners) == 1 and deck.read_bytes() == winners[0].encode()


class RecordingStorage(FolderStorage):
    """A storage that notes who wrote what (as a team server's database does)."""

    def __init__(self, root: Path):
        super().__init__(root)
        self.saved: list[tuple[str, str]] = []

    def replace(self, path: Path, data: bytes, *, read: bytes | None, author: str = "") -> bool:
        self.saved.append((path.name, author))
        return super().replace(path, data, read=read, author=author)


def test_a_request_uses_its_own_storage_and_author_and_the_studios_saves_go_through_it(tmp_path: Path):
    from dialoogkit.studio.deckfile import create_deck_file, read_deck_file, save_deck_file

    recording = RecordingStorage(tmp_path)
    assert isinstance(current_storage(), FolderStorage) and current_author() == ""
    deck = tmp_path / "regio" / "deck.yaml"
    with using_storage(recording, author="coordinator@example.org"):
        assert current_storage() is recording and current_author() == "coordinator@example.org"
        version = create_deck_file(deck, "extends: standaard\nid: regio\ntitle: Regio\n")
        deck_file = read_deck_file(deck)
        deck_file.document["title"] = "Regio Noord"
        save_deck_file(deck_file, version)
    assert current_storage() is not recording
    assert recording.saved == [("deck.yaml", "coordinator@example.org")] * 2
    assert "title: Regio Noord" in deck.read_text(encoding="utf-8")
    assert isinstance(recording.versions(deck)[0], StoredVersion)
