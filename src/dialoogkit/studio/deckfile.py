"""A deck file as the studio edits it: read round-trip (comments, key order, quoting and folded
text kept), saved atomically with a backup, and never over a version someone else wrote.

In: the path of a deck file inside the workspace; the version (sha256 of the bytes) the browser
last saw.
Out: ``DeckFile`` (the text, its version and the ruamel.yaml document), ``read_deck_file``
(``Unparsable`` with the loader's own words when the YAML cannot be read), ``save_deck_file``
(writes the document when it changed; the previous bytes go to ``<name>.bak`` first; raises
``Conflict`` when the file on disk is not the version the browser edited) and ``dump_text``.
Every text a deck file held while the studio ran is remembered in the form it was written in
(quotes, folds, block style, the comment on its line), per file and place, and so is an empty
value written as ``null`` or ``~``; a text changed back to one it held is written in that form
again, so an edit undone gives back the file's bytes.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.compat import ordereddict
from ruamel.yaml.error import YAMLError

from dialoogkit.cards.yamlsource import MAX_BYTES
from dialoogkit.errors import ContentError, Problem
from dialoogkit.app.storage import StoreConflict, current_author, current_storage
from dialoogkit.safe_read import Unreadable, read_regular

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
    # the texts as read, by place (None: a file read elsewhere, whose texts are not remembered)
    read_texts: dict[tuple, str] | None = field(default=None, init=False, repr=False)

    def dump(self) -> str:
        """The document as YAML text, in the file's own indentation; texts changed back to a form
        the file held are written in that form."""
        if self.read_texts is None:
            return dump_text(self.document, self.indent)
        restore_forms(self.path, self.document, self.read_texts)
        return restore_nulls(self.path, self.document, dump_text(self.document, self.indent), self.indent)


# --- the forms texts were written in -------------------------------------------------------

FILES_REMEMBERED = 32
FORMS_PER_PLACE = 8
_forms: OrderedDict[str, dict[tuple, OrderedDict[str, Any]]] = OrderedDict()
_nulls: dict[str, dict[tuple, str]] = {}  # file → place → how an empty value was written there
_NULL = re.compile(r"(null|Null|NULL|~)(?=\s|$)")
NEW_NULLS = {("opening",): "null"}  # how the studio writes a new empty value here (as the README does)
_forms_guard = threading.Lock()


def texts_of(node: Any, place: tuple = ()) -> list[tuple[tuple, Any, Any, Any]]:
    """Every text of a document as ``(place, container, key or index, text node)``."""
    found: list[tuple[tuple, Any, Any, Any]] = []
    if isinstance(node, dict):
        items = list(node.items())
    elif isinstance(node, list):
        items = list(enumerate(node))
    else:
        return found
    for key, value in items:
        here = place + (key,)
        if isinstance(value, str):
            found.append((here, node, key, value))
        else:
            found += texts_of(value, here)
    return found


def nulls_of(node: Any, place: tuple = ()) -> list[tuple[tuple, Any, Any]]:
    """Every empty value of a mapping in a document as ``(place, mapping, key)``."""
    found: list[tuple[tuple, Any, Any]] = []
    items = list(node.items()) if isinstance(node, dict) else list(enumerate(node)) if isinstance(node, list) else []
    for key, value in items:
        if value is None and isinstance(node, dict):
            found.append((place + (key,), node, key))
        elif isinstance(value, (dict, list)):
            found += nulls_of(value, place + (key,))
    return found


def remember_nulls(path: Path, document: Any, text: str) -> None:
    """Remember the empty values written as a word (``opening: null``), for ``restore_nulls``."""
    lines = text.splitlines()
    with _forms_guard:
        nulls = _nulls.setdefault(str(path), {})
        for place, mapping, key in nulls_of(document):
            try:
                key_line, (line, column) = mapping.lc.key(key)[0], mapping.lc.value(key)
            except (AttributeError, KeyError, TypeError):
                continue
            found = _NULL.match(lines[line], column) if line == key_line and line < len(lines) else None
            nulls[place] = found.group(1) if found else ""


def restore_nulls(path: Path, document: Any, text: str, indent: tuple[int, int, int]) -> str:
    """``text`` (``document`` dumped) with the empty values at places where the file had them as a
    word written so again (ruamel writes every empty value as nothing)."""
    with _forms_guard:
        nulls = {**NEW_NULLS, **_nulls.get(str(path), {})}
    words = {place: nulls[place] for place, _, _ in nulls_of(document) if nulls.get(place)}
    if not words:
        return text
    lines = text.split("\n")
    for place, mapping, key in nulls_of(make_yaml(indent).load(text)):
        word = words.get(place)
        if not word:
            continue
        line, column = mapping.lc.key(key)
        rest = lines[line][column:]
        colon = rest.find(":")
        if colon < 0 or rest[colon + 1:].strip()[:1] not in ("", "#"):
            continue
        at = column + colon + 1
        after = lines[line][at:]
        if after.strip():  # a comment: it keeps its column where it can
            spaces = len(after) - len(after.lstrip(" "))
            after = " " * max(1, spaces - len(word) - 1) + after.lstrip(" ")
        lines[line] = lines[line][:at] + " " + word + after
    return "\n".join(lines)


def remember_forms(path: Path, document: Any) -> dict[tuple, str]:
    """Remember how each text of ``document`` is written, with the comment on its line (for
    ``restore_forms``); returns the texts by place."""
    texts = {}
    with _forms_guard:
        places = _forms.setdefault(str(path), {})
        _forms.move_to_end(str(path))
        while len(_forms) > FILES_REMEMBERED:
            _nulls.pop(_forms.popitem(last=False)[0], None)
        for place, container, key, value in texts_of(document):
            texts[place] = value.strip()
            forms = places.setdefault(place, OrderedDict())
            forms[value.strip()] = (value, copy.deepcopy(_comment_at(container, key)))
            forms.move_to_end(value.strip())
            while len(forms) > FORMS_PER_PLACE:
                forms.popitem(last=False)
    return texts


def restore_forms(path: Path, document: Any, read_texts: dict[tuple, str]) -> None:
    """Write each text that changed since the file was read, and that the file once held at the
    same place, in the form it had there (its comment where it was)."""
    with _forms_guard:
        places = _forms.get(str(path), {})
        for place, container, key, value in texts_of(document):
            text = value.strip()
            if read_texts.get(place) == text:
                continue
            form, comment = places.get(place, {}).get(text, (None, None))
            if form is None or form is value:
                continue
            _set_exactly(container, key, form)
            now = _comment_at(container, key)
            if comment is not None and now is not None and _comment_texts(now) == _comment_texts(comment):
                container.ca.items[key] = copy.deepcopy(comment)


def _comment_at(container: Any, key: Any) -> Any:
    """The comments ruamel keeps with the value at ``key`` (None without)."""
    comments = getattr(container, "ca", None)
    return comments.items.get(key) if comments is not None else None


def _comment_texts(entry: Any) -> Any:
    """The words of a comment entry, without where they stand."""
    if isinstance(entry, list):
        return [_comment_texts(item) for item in entry]
    return entry.value.strip() if hasattr(entry, "value") else entry


def _set_exactly(container: Any, key: Any, value: Any) -> None:
    """``container[key] = value`` without ruamel keeping the old value's quotes for a plain text."""
    if isinstance(container, dict):
        ordereddict.__setitem__(container, key, value)
    else:
        list.__setitem__(container, key, value)


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
    deck_file = DeckFile(path, text, version_of(raw), document, indent)
    deck_file.read_texts = remember_forms(path, document)
    remember_nulls(path, document, text)
    return deck_file


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
    """Write ``document.dump()`` to ``document.path`` through the storage of this request if the
    file is still ``expected_version`` (``Conflict`` if not; the storage keeps the previous
    version), and note the new text and version on ``document``; returns whether anything was
    written (``kind`` names the file in a read error)."""
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
        try:
            changed = current_storage().replace(path, data, read=current, author=current_author())
        except StoreConflict:
            raise Conflict() from None
        if changed:
            document.text = text
            document.version = version_of(data)
        return changed


def create_deck_file(path: Path, text: str) -> str:
    """Write a new deck file (its folder made if needed) through the storage of this request;
    returns its version (``Conflict`` when a file is there already)."""
    data = text.encode("utf-8")
    try:
        current_storage().replace(path, data, read=None, author=current_author())
    except StoreConflict:
        raise Conflict() from None
    return version_of(data)
