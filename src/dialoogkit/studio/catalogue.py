"""What the start page lists: the decks in the workspace and the bundled decks, and how a new
deck is made from either a bundled deck or a table.

In: the workspace; for a new deck its parent, title and region; for an import the uploaded
table's bytes, its file name, title and language.
Out: ``DeckEntry`` per workspace deck (title, lessons, what it extends, its problems or why it
cannot be read — the file is never changed; remembered until a file it read changes),
``BundledDeck`` per bundled deck, ``make_deck``
(a new ``<name>/deck.yaml`` that extends the parent and says only what differs) and
``import_deck`` (the command line's ``import``, into a new ``<name>/deck.yaml``).
"""

from __future__ import annotations

import dataclasses
import tempfile
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from dialoogkit.cards.bundled import list_bundled
from dialoogkit.cards.loader import load_deck
from dialoogkit.errors import ContentError, DialoogkitError
from dialoogkit.studio.checking import file_stats, files_unchanged
from dialoogkit.studio.deckfile import create_deck_file, dump_text
from dialoogkit.studio.texts import Texts
from dialoogkit.studio.workspace import DeckEntry, Workspace

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")


@dataclass(frozen=True)
class BundledDeck:
    name: str
    title: str
    lessons: int
    language: str


@lru_cache(maxsize=1)
def bundled_decks() -> list[BundledDeck]:
    """The decks that come with dialoogkit (read once: they do not change while it runs)."""
    decks = []
    for name in list_bundled():
        deck = load_deck(name).deck
        decks.append(BundledDeck(name, deck.title, len(deck.lessons), deck.language))
    return decks


_KNOWN: dict[Path, tuple[tuple, DeckEntry | None]] = {}  # per deck file: its entry and the files it read
_KNOWN_LOCK = threading.Lock()


def list_decks(workspace: Workspace) -> list[DeckEntry]:
    """Every deck file of the workspace with its state (see module docstring). A file's entry is
    remembered until the file or one it read (its parents, its companion, its logo) changes, so
    the start page does not load every deck again each time it is shown."""
    entries = []
    for path in workspace.deck_files():
        with _KNOWN_LOCK:
            known = _KNOWN.get(path)
        if known is None or not files_unchanged(known[0]):
            entry, files = _entry_of(workspace, path)
            known = (file_stats(files), entry)
            if files:
                with _KNOWN_LOCK:
                    _KNOWN[path] = known
        if known[1] is not None:
            entries.append(known[1])
    return entries


def _entry_of(workspace: Workspace, path: Path) -> tuple[DeckEntry | None, list[Path]]:
    """The entry of one file (None: a YAML file that is no deck) and the files it depends on (none
    when it could not be loaded: a problem may go away with a file that does not exist yet, so
    such an entry is made again each time)."""
    from dialoogkit.cards.yamlsource import read_yaml

    relative = workspace.relative(path)
    try:
        data, _ = read_yaml(path)
    except DialoogkitError as exc:
        problems = [p.format() for p in getattr(exc, "problems", [])] or [exc.format_message()]
        return DeckEntry(relative, problems=[_shown(workspace, line) for line in problems], unreadable=True), [path]
    if not isinstance(data, dict) or not ({"extends", "lessons", "id"} & set(data)):
        return None, [path]  # some other YAML file
    if "deck" in data and not ({"extends", "id"} & set(data)):
        return None, [path]  # the results of a session (routes_results), not a deck
    extends = data.get("extends") if isinstance(data.get("extends"), str) else None
    try:
        loaded = load_deck(path, workspace.gate)  # as the editor opens it: ../ may climb inside the workspace
    except ContentError as exc:
        title = data.get("title") if isinstance(data.get("title"), str) else None
        problems = [dataclasses.replace(p, file=workspace.shown(p.file)).format() for p in exc.problems]
        return DeckEntry(relative, title, None, extends, problems), []
    except DialoogkitError as exc:
        return DeckEntry(relative, None, None, extends, [exc.format_message()]), []
    companion = loaded.deck.companion_texts
    files = [path, *(Path(file) for file in loaded.chain), *([Path(companion.file)] if companion else []),
             *([loaded.logo_path] if loaded.logo_path else [])]
    return DeckEntry(relative, loaded.deck.title, len(loaded.deck.lessons), extends), files


def _shown(workspace: Workspace, line: str) -> str:
    return line.replace(str(workspace.root) + "/", "")


def slug_of(title: str) -> str:
    from dialoogkit.cards.tableimport import slugify

    return (slugify(title) or "deck")[:60].strip("-") or "deck"


def make_deck(workspace: Workspace, parent: str, title: str, region: str, t: Texts) -> Path:
    """A new deck that extends the bundled deck ``parent``; returns its path."""
    slug = slug_of(title)
    path = workspace.new_deck_file(slug)
    document = CommentedMap()
    document["extends"] = parent
    document["id"] = slug
    document["title"] = title
    if region:
        document["region"] = region
    document.yaml_set_start_comment(t("studio.new.comment", parent=parent, file=workspace.relative(path.parent)
                                      + "/deck.yaml"))
    create_deck_file(path, dump_text(document))
    return path


def import_deck(workspace: Workspace, data: bytes, filename: str, title: str, language: str) -> tuple[Path, str]:
    """Import an uploaded table as a new deck (the command line's ``import``); returns the deck's
    path and how the table was read. Problems name the uploaded file, not a temporary copy."""
    from dialoogkit.app.importing import prepare_import

    suffix = Path(filename).suffix.lower()
    name = Path(filename).stem or "tabel"
    slug = slug_of(title or name)
    target = workspace.new_deck_file(slug)
    with tempfile.TemporaryDirectory(prefix="dialoogkit-studio-") as folder:
        table = Path(folder) / f"{slug}{suffix}"
        table.write_bytes(data)
        try:
            prepared = prepare_import(table, target, slug, title or None, language)
        except ContentError as exc:
            raise ContentError([dataclasses.replace(p, file=filename if p.file == str(table) else
                                                    workspace.shown(p.file)) for p in exc.problems]) from None
        except DialoogkitError as exc:
            raise DialoogkitError(exc.format_message().replace(str(table), filename)) from None
    create_deck_file(target, prepared.text)
    return target, prepared.description.replace(str(table), filename)
