"""A results file as the studio's "after the session" page edits it: read round-trip (comments,
key order and quoting kept), changed value by value, saved atomically with a backup, and never
over a version someone else wrote.

In: the path of a results file inside the workspace (``<deck id>-resultaten.yaml`` beside its
deck); the version (sha256 of the bytes) the browser last saw.
Out: ``ResultsFile`` (text, version, ruamel document, indentation), ``read_results_file``
(``Unparsable`` with the reader's words when the YAML cannot be read), ``set_key`` (puts a value
under a key; comment lines that followed the old value follow the new one, so the template's
explanations stay where they were), ``save_results_file`` (backup ``<name>.bak``, atomic write;
``Conflict`` when the file on disk is not the version the browser edited).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.tokens import CommentToken

from dialoogkit.cards.yamlsource import MAX_BYTES, parse_yaml
from dialoogkit.errors import ContentError, Problem
from dialoogkit.safe_read import Unreadable, read_regular
from dialoogkit.studio.deckfile import DeckFile, guess_indent, make_yaml, save_versioned, version_of


class Unparsable(Exception):
    """A results file the studio cannot read; ``problems`` as the command line words them."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.format() for p in problems))
        self.problems = problems


@dataclass
class ResultsFile(DeckFile):
    """One results file: like a deck file (text, version, round-trip document), with the name
    messages show it by (relative to the workspace)."""

    name: str = ""


def read_results_file(path: Path, name: str) -> ResultsFile:
    """Read and parse the results file at ``path`` (see module docstring)."""
    try:
        raw = read_regular(path, MAX_BYTES, "file")
    except Unreadable as exc:
        raise Unparsable([Problem(name, None, exc.reason, exc.fix)]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unparsable(_reader_problems(raw.decode("utf-8", "replace"), name)) from None
    try:
        indent = guess_indent(text)
        document = make_yaml(indent).load(text)
    except YAMLError:
        raise Unparsable(_reader_problems(text, name)) from None
    except (ValueError, RecursionError) as exc:
        raise Unparsable([Problem(name, None, str(exc)[:200], "")]) from None
    if document is None:
        document = CommentedMap()
    if not isinstance(document, CommentedMap):
        raise Unparsable(_reader_problems(text, name) or [Problem(name, 1, "not a results file", "")])
    return ResultsFile(path, text, version_of(raw), document, indent, name)


def _reader_problems(text: str, name: str) -> list[Problem]:
    """What the command line's reader says about a text ruamel could not read."""
    try:
        parse_yaml(text, name)
    except ContentError as exc:
        return exc.problems
    return []


def save_results_file(results: ResultsFile, expected_version: str) -> bool:
    """Write the document if the file on disk is still ``expected_version`` (``Conflict`` if not);
    the previous bytes are kept as ``.bak``. Returns whether anything was written."""
    return save_versioned(results, expected_version, "file")


def is_block(node: Any) -> bool:
    """A non-empty mapping or list written as a block (its last line holds the comments after it)."""
    return isinstance(node, (CommentedMap, CommentedSeq)) and len(node) > 0 and not node.fa.flow_style()


def new_list(items: list, flow: bool = False) -> CommentedSeq:
    seq = CommentedSeq(items)
    if flow:
        seq.fa.set_flow_style()
    return seq


def set_key(parent: CommentedMap, key: str, value: Any) -> None:
    """``parent[key] = value``, with the comment lines after the old value (or after the mapping's
    last key, for a new key) moved to after the new value."""
    if key in parent:
        trailing = _take_after_key(parent, key)
        parent[key] = value
    else:
        trailing = take_trailing(parent) if is_block(parent) else None
        parent[key] = value
    if trailing is not None:
        if is_block(parent[key]):
            put_trailing(parent[key], trailing)
        else:
            _attach(parent.ca.items, key, 2, trailing)


def append_item(seq: CommentedSeq, item: Any) -> None:
    """Append to a list, keeping the comment lines that followed its last item after the new one."""
    trailing = take_trailing(seq) if is_block(seq) else None
    seq.append(item)
    if trailing is not None:
        put_trailing(seq, trailing)


def take_trailing(node: CommentedMap | CommentedSeq) -> str | None:
    """Remove and return the comment lines after a block mapping or list (not its last line's
    own comment)."""
    if isinstance(node, CommentedMap):
        return _take_after_key(node, list(node.keys())[-1])
    last = len(node) - 1
    if is_block(node[last]):
        return take_trailing(node[last])
    return _split(node.ca.items, last, 0)


def put_trailing(node: CommentedMap | CommentedSeq, text: str) -> None:
    """Put comment lines after a block mapping or list."""
    if isinstance(node, CommentedMap):
        key = list(node.keys())[-1]
        if is_block(node[key]):
            put_trailing(node[key], text)
        else:
            _attach(node.ca.items, key, 2, text)
        return
    last = len(node) - 1
    if is_block(node[last]):
        put_trailing(node[last], text)
    else:
        _attach(node.ca.items, last, 0, text)


def _take_after_key(parent: CommentedMap, key: Any) -> str | None:
    child = parent[key]
    if is_block(child):
        return take_trailing(child)
    return _split(parent.ca.items, key, 2)


def _split(items: dict, key: Any, slot: int) -> str | None:
    """The lines after the first line break of the comment at ``items[key][slot]``, removed there."""
    entry = items.get(key)
    if not entry or len(entry) <= slot or not isinstance(entry[slot], CommentToken):
        return None
    token = entry[slot]
    first, _, rest = token.value.partition("\n")
    if not rest:
        return None
    if first.strip():
        token.value = first + "\n"
    else:
        entry[slot] = None
    return rest


def _attach(items: dict, key: Any, slot: int, text: str) -> None:
    entry = items.setdefault(key, [None, None, None, None])
    while len(entry) <= slot:
        entry.append(None)
    token = entry[slot]
    if isinstance(token, CommentToken):
        value = token.value if token.value.endswith("\n") else token.value + "\n"
        token.value = value + text
    else:
        entry[slot] = CommentToken("\n" + text, CommentMark(0), None)
