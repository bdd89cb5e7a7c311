"""Say in plain words what is wrong with a deck file that is not valid YAML, at a line that exists.

In: the text of a deck file and the ``MarkedYAMLError`` PyYAML raised for it. Both parsers are
understood: libyaml's (``CSafeLoader``: "did not find expected key", "did not find expected '-'
indicator", …) and the pure-Python one (``SafeLoader``: "expected <block end>, but found …").
Out: ``Diagnosis(line, what, fix)``: the 1-based line of the real mistake, never past the end of
the file (the parser often points at the line after it, or past the last line), what is wrong
and what to write instead, for someone editing the deck in a text editor. No parser terms reach
the user: each rule below recognises one kind of mistake by the parser's words *and* the lines
around it, and the last rule gives general advice.
"""

from __future__ import annotations

import re
from typing import Callable

import yaml

from dialoogkit.cards.yamllines import (Diagnosis, Spot, fallback_line, has_content, in_quotes, indent_of, item_field,
                                        key_of, make_spot, previous_with_content, sample, spaces, split_lines,
                                        value_of)

_NO_SPACE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w+-]*):([^\s:].*)$")
_BARE_ITEM = re.compile(r"^(\s*)-\s+([^:#\s][^:#]*?)\s*$")
_COLOUR = re.compile(r"([A-Za-z_][\w-]*):\s+(#[0-9A-Fa-f]{3,8})\b")
GENERAL_FIX = ("check that the line is indented like the lines around it (spaces only), that every field name "
               "has a colon and a space after it, and put text that holds ': ' or ' #', or starts with a quote, "
               "'[', '{', '&', '*', '@' or '!', between double quotes")


def explain_syntax_error(text: str, exc: yaml.MarkedYAMLError) -> Diagnosis:
    """The plain-words ``Diagnosis`` of ``exc`` for the deck ``text`` (see module docstring)."""
    lines = split_lines(text)
    spot = make_spot(lines, exc)
    for rule in RULES:
        found = rule(spot)
        if found is not None:
            line = min(max(found.line, 0), len(lines) - 1) if found.line is not None else None
            return Diagnosis(None if line is None else line + 1, found.what, found.fix)
    return Diagnosis(fallback_line(spot) + 1, "this line does not fit the layout of a deck file", GENERAL_FIX)


# --------------------------------------------------------------------------- the rules, in order


def _nesting(spot: Spot) -> Diagnosis | None:
    """Brackets inside brackets, more than a thousand deep."""
    if "nesting" not in spot.problem and "depth" not in spot.problem:
        return None
    return Diagnosis(spot.line, "the YAML is nested too deeply (brackets inside brackets, more than a thousand levels)",
                     "a deck needs only a few levels; check that this is a deck file")


def _tab(spot: Spot) -> Diagnosis | None:
    """A tab in the indentation (or anywhere YAML refuses one)."""
    for number in (spot.line, spot.context_line):
        text = spot.lines[number] if number is not None else ""
        if "\t" in text[: len(text) - len(text.lstrip(" \t"))]:
            return Diagnosis(number, "a tab character is used for indentation",
                             "indent with spaces, not tabs (many editors can turn tabs into spaces)")
    if "tab" in spot.problem or spot.char() == "\t":
        return Diagnosis(spot.line, "this line holds a tab character where a deck file allows none",
                         "replace the tab by a space, or put the text between double quotes")
    return None


def _quoted(spot: Spot) -> Diagnosis | None:
    """A quote that is never closed, or a backslash code between double quotes."""
    if "quoted scalar" not in spot.context:
        return None
    if any(word in spot.problem for word in ("escape", "hexadecimal", "hexdecimal")):
        return Diagnosis(spot.line, "a backslash (\\) between double quotes starts a special code",
                         "write a backslash as \\\\, or put the text between single quotes ('…') instead")
    opened = spot.context_line if spot.context_line is not None else spot.line
    mark = spot.char(opened, spot.context_column) or '"'
    if mark == "'":
        fix = ("end the text with ' on the same line; an apostrophe inside the text is written twice "
               "(zo''n, auto''s), or put the whole text between double quotes")
    else:
        fix = "end the text with \" on the same line; for a \" inside the text, put the whole text between single quotes"
    return Diagnosis(opened, f"the text that starts with {mark} on this line is never closed with a second {mark}", fix)


def _alias_or_anchor(spot: Spot) -> Diagnosis | None:
    """A text that starts with ``*`` or ``&`` (YAML's aliases and anchors)."""
    if "alias" not in spot.problem + spot.context and "anchor" not in spot.context:
        return None
    return _must_quote(spot, "&" if "anchor" in spot.context else "*")


def _start_character(spot: Spot) -> Diagnosis | None:
    """A text that starts with ``@``, `````, ``%`` or another character YAML reserves."""
    if "cannot start any token" not in spot.problem:
        return None
    return _must_quote(spot, spot.char() or "@")


def _block_node(spot: Spot) -> Diagnosis | None:
    """A value that starts with ``}``, ``]`` or another character that cannot start one."""
    if "block node" not in spot.context:
        return None
    return _must_quote(spot, spot.char() or spot.lines[spot.line].strip()[:1])


def _must_quote(spot: Spot, char: str) -> Diagnosis:
    """Quote the value that starts with ``char``."""
    value, _ = value_of(spot.lines[spot.line])
    found = key_of(spot.lines[spot.line])
    example = f"{found[0]}: {in_quotes(value)}" if found else in_quotes(value)
    return Diagnosis(spot.line, f"a text that starts with '{char}' must be between quotes",
                     f"write it as {example}")


def _block_scalar(spot: Spot) -> Diagnosis | None:
    """Text on the same line as ``>-`` or ``|``."""
    if "block scalar" not in spot.context:
        return None
    return Diagnosis(spot.line, "after '>-', '>' or '|' the text must begin on the next line",
                     "move the text to the next line, indented two spaces more than the field name; or remove "
                     "the '>' or '|' and put the text between double quotes")


def _flow(spot: Spot) -> Diagnosis | None:
    """Trouble inside ``{…}`` or ``[…]``: an unquoted ``#colour``, a bracket never closed, …"""
    if "flow" not in spot.context:
        return None
    opened = spot.context_line if spot.context_line is not None else spot.line
    if not any(ch in spot.lines[opened] for ch in "[{"):
        opened = next((n for n in range(min(opened, spot.line), -1, -1) if any(ch in spot.lines[n] for ch in "[{")),
                      opened)
    line = spot.lines[opened]
    colour = _COLOUR.search(line)
    if colour:
        return Diagnosis(opened, f"the colour {colour.group(2)} needs quotes: without them, # starts a comment and "
                                 "the rest of the line is ignored",
                         f"write {colour.group(1)}: \"{colour.group(2)}\"")
    if re.search(r"\s#", line):
        return Diagnosis(opened, "a # after a space starts a comment, so the rest of this line is ignored",
                         "put the text that holds the # between double quotes")
    at_mark = spot.char(opened, spot.context_column)
    brace = at_mark if at_mark and at_mark in "[{" else next((ch for ch in line if ch in "[{"), "[")
    close = "]" if brace == "[" else "}"
    if line.count(brace) > line.count(close):
        example = "publishers: [Aedes, VNG]" if brace == "[" else \
            'wonen: {label: Wonen, colour: "#1D5C7A", icon: house}'
        what = "list" if brace == "[" else "block"
        return Diagnosis(opened, f"the '{brace}' opened on this line is never closed with '{close}'",
                         f"end the {what} with '{close}' on the same line, e.g. {example}")
    if "node content" in spot.problem:
        return Diagnosis(fallback_line(spot), f"a value between the commas of this '{brace} {close}' is empty or "
                                               "starts with a character that needs quotes",
                         "remove the extra comma, or put the text between double quotes")
    return Diagnosis(fallback_line(spot), f"inside '{brace} {close}', a text with ':', ',', '#', '[' or '{{' "
                                           "breaks up the list",
                     "put that text between double quotes")


def _missing_colon(spot: Spot) -> Diagnosis | None:
    """A field name without ``:`` (or without a space after it)."""
    if "expected ':'" not in spot.problem:
        return None
    number = spot.context_line if spot.context_line is not None else fallback_line(spot)
    text = spot.lines[number].strip()
    squeezed = _NO_SPACE.match(spot.lines[number])
    if squeezed and ": " not in text:
        return _no_space(number, spot.lines[number], squeezed)
    dash = "- " if text.startswith("- ") else ""
    word, _, rest = text.removeprefix("- ").partition(" ")
    return Diagnosis(number, f"'{sample(text, 40)}' has no ':' after the field name",
                     f"write the field name, a colon and a space, then the text, e.g. {dash}{sample(word, 20)}: "
                     f"{sample(rest, 30)}; or, if the line continues the text above it, indent it as far as that text")


def _no_space(number: int, line: str, squeezed: re.Match) -> Diagnosis:
    """``name:value`` needs ``name: value``."""
    return Diagnosis(number, f"'{sample(line, 40)}' needs a space after the colon",
                     f"write {squeezed.group(1)}: {sample(squeezed.group(2), 40)}")


def _dash_without_space(spot: Spot) -> Diagnosis | None:
    """``-text: …``: a list item whose dash has no space after it (it then reads as a field name)."""
    for number in (previous_with_content(spot.lines, spot.line), spot.line):
        text = spot.lines[number]
        if re.match(r"^\s*-[^\W\d_][^:]*:(\s|$)", text):
            return Diagnosis(number, "a '-' that starts a list item needs a space after it",
                             f"write - {sample(text.strip()[1:], 40)}")
    return None


def _colon_in_text(spot: Spot) -> Diagnosis | None:
    """``: `` read as a field name: in unquoted text, after a bare list item, or on a line
    indented too far."""
    if "mapping values are not allowed" not in spot.problem:
        return None
    number = spot.line
    line = spot.lines[number]
    above = previous_with_content(spot.lines, number)
    bare = _BARE_ITEM.match(spot.lines[above]) if above != number else None
    if bare and indent_of(line) > indent_of(spot.lines[above]):
        key = item_field(spot.lines, above)
        return Diagnosis(above, f"the list item '- {sample(bare.group(2), 40)}' is bare text, but the line below "
                                "it gives it fields",
                         f"write it as - {key}: {sample(bare.group(2), 40)}")
    found = key_of(line)
    if found and found[2] < spot.column:
        value, _ = value_of(line)
        return Diagnosis(number, f"the text after '{found[0]}:' holds a colon, which marks a field name",
                         f"put the whole text between quotes: {found[0]}: {in_quotes(value)}")
    squeezed = _NO_SPACE.match(spot.lines[above]) if above != number else None
    if squeezed and ": " not in spot.lines[above]:
        return _no_space(above, spot.lines[above], squeezed)
    upper = key_of(spot.lines[above]) if above != number else None
    if upper and indent_of(line) > upper[1]:
        return Diagnosis(number, f"this line is indented {spaces(indent_of(line))}, more than `{upper[0]}:` on line "
                                 f"{above + 1} ({spaces(upper[1])}), so it is read as part of the text above",
                         f"line it up with `{upper[0]}:` ({spaces(upper[1])}), or put the text above between quotes")
    return Diagnosis(number, "a ':' on this line is read as a new field name", GENERAL_FIX)


def _list_item(spot: Spot) -> Diagnosis | None:
    """A line among list items without ``- ``, or an item indented unlike the others."""
    if "block collection" not in spot.context:
        return None
    line = spot.lines[spot.line]
    dash = spot.context_column
    stripped = line.strip()
    if stripped.startswith("-") and indent_of(line) != dash:
        return Diagnosis(spot.line, f"this list item is indented {spaces(indent_of(line))}, but the items above it "
                                    f"use {spaces(dash)}",
                         "line up the '-' of every item of the list")
    return Diagnosis(spot.line, "this line is lined up with the '- ' items of the list above it, but does not "
                                "start with '- '",
                     f"start a new item with '- ' (- {sample(stripped, 40)}), or, if it belongs to the item "
                     f"above, indent it {spaces(dash + 2)} like the field names after the '- '")


def _block_mapping(spot: Spot) -> Diagnosis | None:
    """After a field: text after a closing quote or bracket, a list item among fields, or an
    indentation that matches no field around it."""
    if "block mapping" not in spot.context:
        return None
    line = spot.lines[spot.line]
    value, start = value_of(line)
    found = key_of(line)
    name = f"{found[0]}: " if found else "- "
    if value[:1] in ("'", '"') and spot.column > start:
        mark = value[0]
        inner = value[1:-1] if len(value) > 2 and value.endswith(mark) else value
        doubled = "'" + sample(inner, 60).replace("'", "''") + "'"
        if mark == "'":
            example = name + (f'"{sample(inner, 60)}"' if '"' not in inner else doubled)
            fix = f"an apostrophe inside '…' is written twice (zo''n, auto''s); or write {example}"
        else:
            fix = f"put the whole text between single quotes: {name}{doubled}"
        return Diagnosis(spot.line, f"the text between quotes ends before the line does (a {mark} inside the "
                                    "text closes it)", fix)
    if value[:1] in ("[", "{") and spot.column > start:
        return Diagnosis(spot.line, f"a text that starts with '{value[0]}' must be between quotes",
                         f"write it as {name}{in_quotes(value)}")
    if line.strip().startswith("-"):
        return _item_among_fields(spot)
    return _misaligned(spot)


def _item_among_fields(spot: Spot) -> Diagnosis:
    """A ``- `` line in a block of fields (often the item above it lacks the space after ``-``)."""
    own = indent_of(spot.lines[spot.line])
    for number in range(spot.line - 1, -1, -1):
        text = spot.lines[number]
        if not has_content(text):
            continue
        if indent_of(text) < own:
            break
        if indent_of(text) == own and re.match(r"^\s*-[^\s-]", text):
            return Diagnosis(number, "a '-' that starts a list item needs a space after it",
                             f"write - {sample(text.strip()[1:], 40)}")
    return Diagnosis(spot.line, "this line starts a list item ('- '), but the lines above it at the same "
                                "indentation are fields (name: value)",
                     "a block is either a list (every line starts with '- ') or fields; indent the list under a "
                     "field name, or remove the '- '")


def _misaligned(spot: Spot) -> Diagnosis:
    """A line indented unlike the fields around it: name the indentations they use."""
    line = spot.lines[spot.line]
    own = indent_of(line)
    levels: dict[int, tuple[str, int]] = {}
    if spot.context_line is not None:
        outer = key_of(spot.lines[spot.context_line])
        if outer and outer[1] == spot.context_column:
            levels[outer[1]] = (outer[0], spot.context_line)
    above = previous_with_content(spot.lines, spot.line)
    inner = key_of(spot.lines[above]) if above != spot.line else None
    if inner:
        levels.setdefault(inner[1], (inner[0], above))
    levels.pop(own, None)
    if not levels:
        return Diagnosis(fallback_line(spot), "this line does not fit the layout of the lines above it", GENERAL_FIX)
    shown = " or ".join(f"{spaces(column)} (like `{key}:` on line {number + 1})"
                        for column, (key, number) in sorted(levels.items()))
    return Diagnosis(spot.line, f"this line is indented {spaces(own)}, but the fields around it use {shown}",
                     "line it up exactly with the field it belongs with, using spaces only")


def _documents(spot: Spot) -> Diagnosis | None:
    """A second document (``---``), an end marker (``...``), a directive (``%``) or an indented
    first field."""
    if "another document" in spot.problem:
        return Diagnosis(spot.line, "a line with only '---' starts a second deck in the same file",
                         "remove the '---' line and what follows it, or put the second deck in a file of its own")
    if "document start" not in spot.problem:
        return None
    for number in range(0, spot.line + 1):
        text = spot.lines[number]
        if text.startswith("..."):
            return Diagnosis(number, "a line with only '...' ends the deck here", "remove that line")
        if text.startswith("%"):
            return Diagnosis(number, "a line that starts with '%' is not part of a deck",
                             "remove it, or put the text between double quotes")
    for number in range(0, spot.line + 1):
        text = spot.lines[number]
        if has_content(text) and indent_of(text) > 0:
            return Diagnosis(number, "the first field is indented, but the fields at the top of a deck start at the "
                                     "left margin", "remove the spaces before it, and indent the lines below to match")
        if has_content(text):
            break
    return None


RULES: tuple[Callable[[Spot], Diagnosis | None], ...] = (
    _nesting, _tab, _quoted, _alias_or_anchor, _start_character, _block_node, _block_scalar, _flow, _dash_without_space,
    _missing_colon, _colon_in_text, _list_item, _block_mapping, _documents,
)
