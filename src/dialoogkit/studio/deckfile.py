"""A deck file as the studio edits it: read round-trip (comments, key order, quoting and folded
text kept), saved atomically with a backup, and never over a version someone else wrote.

In: the path of a deck file inside the workspace; the version (sha256 of the bytes) the browser
last saw.
Out: ``DeckFile`` (the text, its version and the ruamel.yaml document), ``read_deck_file``
(``Unparsable`` with the loader's own words when the YAML cannot be read), ``save_deck_file``
(writes the document when it changed; the previous bytes go to ``<name>.bak`` first; raises
``Conflict`` when the file on disk is not the version the browser edited) and ``dump_text``.
"""

from __future__ import annotations

import hashlib
import io
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from dialoogkit.cards.yamlsource import MAX_BYTES
from dialoogkit.errors import ContentError, Problem
from dialoogkit.output.atomic import write_atomic
from dialoogkit.safe_read import Unreadable, read_regular

BACKUP_SUFFIX = ".bak"
WIDTH = 4096  # never re-wrap a line the author wrote; new long texts get their own folds

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


class Unparsable(Exception):
    """A deck file the studio cannot read; ``problems`` in the words of ``dialoogkit check``."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.format() for p in problems))
        self.problems = problems


class Conflict(Exception):
    """The file on disk changed since the browser read it; nothing was written."""


@dataclass
class DeckFile:
    """One deck file: its text, version and round-trip document."""

    path: Path
    text: str
    version: str
    document: Any
    indent: tuple[int, int, int]

    def dump(self) -> str:
        """The document as YAML text, in the file's own indentation."""
        return dump_text(self.document, self.indent)


def version_of(data: bytes) -> str:
    """The version of a file's bytes (sha256, hex)."""
    return hashlib.sha256(data).hexdigest()


def lock_for(path: Path) -> threading.Lock:
    """One lock per deck file, so two requests never save the same file at once."""
    with _locks_guard:
        return _locks.setdefault(str(path), threading.Lock())


DEFAULT_INDENT = (2, 4, 2)  # mapping indent, sequence indent, dash offset: the README's style


def make_yaml(indent: tuple[int, int, int] = DEFAULT_INDENT) -> YAML:
    """A round-trip YAML reader and writer with the given mapping indent, sequence indent and
    dash offset."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = WIDTH
    yaml.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    return yaml


def guess_indent(text: str) -> tuple[int, int, int]:
    """The indentation a file uses (mapping, sequence, dash offset), so that saving it changes
    only what was edited; the README's style where the file does not show it."""
    mapping = sequence = offset = None
    parent: int | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        spaces = len(line) - len(line.lstrip(" "))
        if parent is not None and spaces > parent:
            if stripped.startswith("- ") and sequence is None:
                offset = spaces - parent
                rest = stripped[2:]
                sequence = offset + 2 + (len(rest) - len(rest.lstrip(" ")))
            elif not stripped.startswith("- ") and mapping is None:
                mapping = spaces - parent
        parent = spaces if stripped.endswith(":") and not stripped.startswith("- ") else None
        if mapping is not None and sequence is not None:
            break
    mapping = mapping if mapping in (2, 3, 4) else DEFAULT_INDENT[0]
    if sequence is None or offset is None or offset >= sequence or sequence > 8:
        return mapping, DEFAULT_INDENT[1], DEFAULT_INDENT[2]
    return mapping, sequence, offset


def dump_text(document: Any, indent: tuple[int, int, int] = DEFAULT_INDENT) -> str:
    """``document`` as YAML text."""
    buffer = io.StringIO()
    make_yaml(indent).dump(document, buffer)
    return buffer.getvalue()


def read_deck_file(path: Path) -> DeckFile:
    """Read and parse the deck file at ``path`` (see module docstring)."""
    try:
        raw = read_regular(path, MAX_BYTES, "deck")
    except Unreadable as exc:
        raise Unparsable([Problem(str(path), None, exc.reason, exc.fix)]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unparsable(_loader_problems(path)) from None
    try:
        indent = guess_indent(text)
        document = make_yaml(indent).load(text)
    except YAMLError:
        raise Unparsable(_loader_problems(path)) from None
    except (ValueError, RecursionError) as exc:
        raise Unparsable([Problem(str(path), None, str(exc)[:200], "")]) from None
    if not hasattr(document, "items"):
        raise Unparsable(_loader_problems(path) or [Problem(str(path), None, "not a deck", "")])
    return DeckFile(path, text, version_of(raw), document, indent)


def _loader_problems(path: Path) -> list[Problem]:
    """What the command line's reader says about a file ruamel could not read."""
    from dialoogkit.cards.loader import load_deck

    try:
        load_deck(path)
    except ContentError as exc:
        return exc.problems
    except Exception as exc:  # the reader's own refusals (InputError, UsageProblem)
        return [Problem(str(path), None, getattr(exc, "message", str(exc)), "")]
    return [Problem(str(path), None, "the file could not be read as YAML", "")]


def save_deck_file(deck_file: DeckFile, expected_version: str) -> str:
    """Write ``deck_file.document`` if the file on disk is still ``expected_version``; returns the
    new version (the old one when nothing changed). The previous bytes are kept as ``.bak``."""
    return deck_file.version if save_versioned(deck_file, expected_version, "deck") else expected_version


def save_versioned(document: Any, expected_version: str, kind: str) -> bool:
    """Write ``document.dump()`` to ``document.path`` if the file on disk is still
    ``expected_version`` (``Conflict`` if not), keeping the previous bytes as ``.bak``, and note the
    new text and version on ``document``; returns whether anything was written (``kind`` names the
    file in a read error)."""
    path = document.path
    with lock_for(path):
        try:
            current = read_regular(path, MAX_BYTES, kind)
        except Unreadable:
            raise Conflict() from None
        if version_of(current) != expected_version:
            raise Conflict()
        text = document.dump()
        data = text.encode("utf-8")
        if data == current:
            return False
        keep_backup(path)
        write_atomic(path, data)
        document.text = text
        document.version = version_of(data)
        return True


def keep_backup(path: Path) -> None:
    """Keep the file as it is now as ``<name>.bak``: a second name for the same bytes (a hard
    link, switched in atomically), so no copy is written; a copy where links are not possible."""
    import os
    import secrets

    backup = path.with_name(path.name + BACKUP_SUFFIX)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.bak-tmp")
    try:
        os.link(path, temp)
        os.replace(temp, backup)
    except OSError:
        try:
            os.unlink(temp)
        except OSError:
            pass
        write_atomic(backup, path.read_bytes())


def create_deck_file(path: Path, text: str) -> str:
    """Write a new deck file (its folder made if needed); returns its version."""
    data = text.encode("utf-8")
    write_atomic(path, data)
    return version_of(data)
