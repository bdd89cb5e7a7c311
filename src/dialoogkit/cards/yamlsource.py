"""Read a YAML file safely into plain Python data plus a map of where each value stands.

In: a path to a deck file (untrusted: may be huge, binary, not UTF-8, hostile YAML).
Out: ``(data, origins)`` where ``data`` is built of dict/list/str/None only (scalars are kept as
the text the author wrote, so ``yes`` stays ``"yes"``) and ``origins`` maps a path such as
``("lessons", 2, "statement")`` to its ``Origin`` (file and 1-based line). Problems raise ``ContentError``
with file and line. Aliases and duplicate keys are refused; a UTF-8 byte-order mark is accepted.
``read_yaml(path, note_language=True)`` (the top deck file) tells ``i18n`` the deck's language from
its ``language:`` line before the file is parsed, so even a syntax error is reported in it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from dialoogkit.cards.yamlerrors import explain_syntax_error, general_fix
from dialoogkit.errors import ContentError, Problem, quoted
from dialoogkit.i18n import note_deck_language, say
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
# A top-level ``language: nl`` line (quoted or not, a comment after it allowed).
_LANGUAGE_LINE = re.compile(r"""^language[ \t]*:[ \t]+(["']?)([A-Za-z]{2})\1[ \t]*(?:#[^\r\n]*)?\r?$""", re.MULTILINE)


def read_text(path: Path) -> str:
    """Read a deck file as UTF-8 text, refusing what cannot be a deck."""
    name = str(path)
    try:
        raw = read_regular(path, MAX_BYTES, "deck")
    except Unreadable as exc:
        too_large = exc.fix == say("read.too_large_fix", what=say("what.deck"))
        raise _fail(name, None, say("cards.source.unreadable", reason=exc.reason),
                    say("cards.source.split_fix", fix=exc.fix) if too_large else exc.fix) from None
    if b"\x00" in raw:
        raise _fail(name, None, say("cards.source.binary"), say("cards.source.binary_fix"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _fail(name, line, say("cards.source.not_utf8"), say("cards.source.not_utf8_fix")) from None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise _fail(name, None, say("cards.source.empty"), say("cards.source.empty_fix"))
    return text


def written_language(text: str) -> str | None:
    """The value of the first top-level ``language:`` line of a deck file's text, if it has one."""
    found = _LANGUAGE_LINE.search(text)
    return found.group(2).lower() if found else None


def read_yaml(path: Path, note_language: bool = False) -> tuple[Any, Origins]:
    """Parse a deck file into plain data and a line map (see module docstring); with
    ``note_language``, the language its ``language:`` line names is noted first (``i18n``)."""
    text = read_text(path)
    if note_language:
        note_deck_language(written_language(text))
    return parse_yaml(text, str(path))


def parse_yaml(text: str, name: str) -> tuple[Any, Origins]:
    """Parse YAML ``text`` (already read, e.g. from a browser form) into plain data and a line map;
    ``name`` is the file name problems show."""
    crowded = _crowded_line(text)
    if crowded:
        raise _fail(name, crowded, say("cards.source.crowded", limit=MAX_NODES), say("cards.source.crowded_fix"))
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(name, text, exc) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise _fail(name, line, say("cards.source.control", code=f"{code:04X}"),
                    say("cards.source.control_fix")) from None
    except yaml.YAMLError:
        raise _fail(name, None, say("cards.source.invalid"), general_fix()) from None
    except RecursionError:
        raise _fail(name, None, say("cards.source.too_deep"), say("cards.source.too_deep_fix")) from None
    finally:
        loader.dispose()
    if root is None:
        raise _fail(name, None, say("cards.source.empty"), say("cards.source.empty_fix"))
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
        raise _fail(name, line, say("cards.source.alias"), say("cards.source.alias_fix"))
    seen.add(id(node))
    if len(seen) > MAX_NODES:
        raise _fail(name, node.start_mark.line + 1, say("cards.source.too_many", limit=MAX_NODES),
                    say("cards.source.too_many_fix"))
    if len(path) > MAX_DEPTH:
        raise _fail(name, node.start_mark.line + 1, say("cards.source.too_deep"), say("cards.source.too_deep_fix"))
    lines.setdefault(path, node.start_mark.line + 1)
    if node.tag not in _PLAIN_TAGS:
        raise _fail(name, node.start_mark.line + 1, say("cards.source.tag", tag=quoted(node.tag, 60)),
                    say("cards.source.tag_fix"))
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _fail(name, key_node.start_mark.line + 1, say("cards.source.key_plain"),
                            say("cards.source.key_plain_fix"))
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _fail(name, key_node.start_mark.line + 1, say("cards.source.merge"),
                            say("cards.source.merge_fix"))
            key = key_node.value
            if key in result:
                raise _fail(name, key_node.start_mark.line + 1,
                            say("cards.source.duplicate", field=quoted(key), line=lines[path + (key,)]),
                            say("cards.source.duplicate_fix"))
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
    return ContentError([Problem(name, found.line, say("cards.source.syntax", what=found.what), found.fix)])


def _fail(name: str, line: int | None, message: str, hint: str) -> ContentError:
    return ContentError([Problem(name, line, message, hint)])
