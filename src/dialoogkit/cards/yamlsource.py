"""Read a YAML file safely into plain Python data plus a map of where each value stands.

In: a path to a deck file (untrusted: may be huge, binary, not UTF-8, hostile YAML).
Out: ``(data, origins)`` where ``data`` is built of dict/list/str/None only (scalars are kept as
the text the author wrote, so ``yes`` stays ``"yes"``) and ``origins`` maps a path such as
``("lessons", 2, "statement")`` to its ``Origin`` (file and 1-based line). Problems raise ``ContentError``
with file and line. Aliases and duplicate keys are refused; a UTF-8 byte-order mark is accepted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from dialoogkit.cards.yamlerrors import GENERAL_FIX, explain_syntax_error
from dialoogkit.errors import ContentError, Problem
from dialoogkit.safe_read import Unreadable, read_regular

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 100_000

_PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)

PathKey = tuple[str | int, ...]


class Origin(NamedTuple):
    """Where a value was written: the deck file and its 1-based line."""

    file: str
    line: int


Origins = dict[PathKey, Origin]
LineMap = dict[PathKey, int]


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_text(path: Path) -> str:
    """Read a deck file as UTF-8 text, refusing what cannot be a deck."""
    name = str(path)
    try:
        raw = read_regular(path, MAX_BYTES, "deck")
    except Unreadable as exc:
        raise _fail(name, None, f"could not read the deck: {exc.reason}",
                    exc.fix + ("; split very large decks" if "larger than" in exc.reason else "")) from None
    if b"\x00" in raw:
        raise _fail(name, None, "this is a binary file, not a YAML text file", "give the path of the deck's .yaml file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _fail(name, line, "the file is not UTF-8 text",
                    "save it as UTF-8 in your editor (\"Save with encoding: UTF-8\")") from None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise _fail(name, None, "the file is empty", "start from `dialoogkit new` or a bundled deck")
    return text


def read_yaml(path: Path) -> tuple[Any, Origins]:
    """Parse a deck file into plain data and a line map (see module docstring)."""
    text = read_text(path)
    name = str(path)
    crowded = _crowded_line(text)
    if crowded:
        raise _fail(name, crowded, f"the file holds too many values (more than {MAX_NODES}; a deck has far fewer)",
                    "check that this is a deck file; split very large decks")
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(name, text, exc) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise _fail(name, line, f"the file contains a control character (U+{code:04X}) that a deck may not hold",
                    "remove it; in a text editor it may look like an empty square or nothing at all") from None
    except yaml.YAMLError:
        raise _fail(name, None, "this is not valid YAML", GENERAL_FIX) from None
    except RecursionError:
        raise _fail(name, None, "the YAML is nested too deeply", "a deck needs only a few levels of indentation") from None
    finally:
        loader.dispose()
    if root is None:
        raise _fail(name, None, "the file is empty", "start from `dialoogkit new` or a bundled deck")
    lines: LineMap = {}
    data = _build(root, (), lines, name, set())
    return data, {loc: Origin(name, line) for loc, line in lines.items()}


def _crowded_line(text: str) -> int | None:
    """The line on which an upper bound of the number of values (counted from the marks that can
    start one) passes the limit, before anything is parsed; None when the file stays under it."""
    marks = (":", "-", ",", "[", "{")
    if sum(text.count(mark) for mark in marks) < MAX_NODES:
        return None
    total = 0
    for number, line in enumerate(text.split("\n"), 1):
        total += sum(line.count(mark) for mark in marks)
        if total >= MAX_NODES:
            return number
    return None


def _build(node: Node, path: PathKey, lines: LineMap, name: str, seen: set[int]) -> Any:
    """Plain data from a node tree. An alias (``*name``) shows up as a node met a second time:
    aliases are refused, as they serve no purpose in a deck and allow "billion laughs"."""
    if id(node) in seen:
        line = next((lines[path[:cut]] for cut in range(len(path), -1, -1) if path[:cut] in lines), None)
        raise _fail(name, line, "YAML aliases (*name) are not allowed in a deck",
                    "write the text out in full instead of referring to an anchor (&name)")
    seen.add(id(node))
    if len(seen) > MAX_NODES:
        raise _fail(name, node.start_mark.line + 1, f"the file holds more than {MAX_NODES} values",
                    "a deck is far smaller; check that this is a deck file")
    if len(path) > MAX_DEPTH:
        raise _fail(name, node.start_mark.line + 1, "the YAML is nested too deeply",
                    "a deck needs only a few levels of indentation")
    lines.setdefault(path, node.start_mark.line + 1)
    if node.tag not in _PLAIN_TAGS:
        raise _fail(name, node.start_mark.line + 1, f"YAML tags such as '{node.tag}' are not allowed in a deck",
                    "remove the tag (the part starting with '!')")
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _fail(name, key_node.start_mark.line + 1, "a key must be a plain word, not a list or mapping",
                            "write keys as `name: value`")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _fail(name, key_node.start_mark.line + 1, "YAML merge keys (<<) are not allowed in a deck",
                            "write the fields out in full")
            key = key_node.value
            if key in result:
                raise _fail(name, key_node.start_mark.line + 1,
                            f"the key '{key}' appears twice in the same block (first on line {lines[path + (key,)]})",
                            "keep one of them")
            lines[path + (key,)] = key_node.start_mark.line + 1
            result[key] = _build(value_node, path + (key,), lines, name, seen)
        return result
    if isinstance(node, SequenceNode):
        return [_build(item, path + (i,), lines, name, seen) for i, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: ScalarNode) -> str | None:
    """Keep the author's text; only an empty value or ``~``/``null`` means 'absent'."""
    if node.tag == "tag:yaml.org,2002:null":
        return None
    return node.value


def _syntax_problem(name: str, text: str, exc: yaml.MarkedYAMLError) -> ContentError:
    """The parser's complaint in plain words, at the line of the real mistake (``yamlerrors``)."""
    found = explain_syntax_error(text, exc)
    return ContentError([Problem(name, found.line, f"this is not valid YAML: {found.what}", found.fix)])


def _fail(name: str, line: int | None, message: str, hint: str) -> ContentError:
    return ContentError([Problem(name, line, message, hint)])
