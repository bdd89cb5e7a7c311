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
from dialoogkit.i18n import say

_NO_SPACE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w+-]*):([^\s:].*)$")
_BARE_ITEM = re.compile(r"^(\s*)-\s+([^:#\s][^:#]*?)\s*$")
_COLOUR = re.compile(r"([A-Za-z_][\w-]*):\s+(#[0-9A-Fa-f]{3,8})\b")


def general_fix() -> str:
    """The advice for a line that breaks the layout of a deck file in a way no rule below knows."""
    return say("cards.syntax.general_fix", brace="{")


def explain_syntax_error(text: str, exc: yaml.MarkedYAMLError) -> Diagnosis:
    """The plain-words ``Diagnosis`` of ``exc`` for the deck ``text`` (see module docstring)."""
    lines = split_lines(text)
    spot = make_spot(lines, exc)
    for rule in RULES:
        found = rule(spot)
        if found is not None:
            line = min(max(found.line, 0), len(lines) - 1) if found.line is not None else None
            return Diagnosis(None if line is None else line + 1, found.what, found.fix)
    return Diagnosis(fallback_line(spot) + 1, say("cards.syntax.no_layout"), general_fix())


# --------------------------------------------------------------------------- the rules, in order


def _nesting(spot: Spot) -> Diagnosis | None:
    """Brackets inside brackets, more than a thousand deep."""
    if "nesting" not in spot.problem and "depth" not in spot.problem:
        return None
    return Diagnosis(spot.line, say("cards.syntax.nesting"), say("cards.syntax.nesting_fix"))


def _tab(spot: Spot) -> Diagnosis | None:
    """A tab in the indentation (or anywhere YAML refuses one)."""
    for number in (spot.line, spot.context_line):
        text = spot.lines[number] if number is not None else ""
        if "\t" in text[: len(text) - len(text.lstrip(" \t"))]:
            return Diagnosis(number, say("cards.syntax.tab_indent"), say("cards.syntax.tab_indent_fix"))
    if "tab" in spot.problem or spot.char() == "\t":
        return Diagnosis(spot.line, say("cards.syntax.tab"), say("cards.syntax.tab_fix"))
    return None


def _quoted(spot: Spot) -> Diagnosis | None:
    """A quote that is never closed, or a backslash code between double quotes."""
    if "quoted scalar" not in spot.context:
        return None
    if any(word in spot.problem for word in ("escape", "hexadecimal", "hexdecimal")):
        return Diagnosis(spot.line, say("cards.syntax.escape"), say("cards.syntax.escape_fix"))
    opened = spot.context_line if spot.context_line is not None else spot.line
    mark = spot.char(opened, spot.context_column) or '"'
    fix = say("cards.syntax.unclosed_single_fix") if mark == "'" else say("cards.syntax.unclosed_double_fix")
    return Diagnosis(opened, say("cards.syntax.unclosed", mark=mark), fix)


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
    return Diagnosis(spot.line, say("cards.syntax.must_quote", char=char),
                     say("cards.common.write_as", example=example))


def _block_scalar(spot: Spot) -> Diagnosis | None:
    """Text on the same line as ``>-`` or ``|``."""
    if "block scalar" not in spot.context:
        return None
    return Diagnosis(spot.line, say("cards.syntax.block_text"), say("cards.syntax.block_text_fix"))


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
        return Diagnosis(opened, say("cards.syntax.colour", colour=colour.group(2)),
                         say("cards.syntax.colour_fix", field=colour.group(1), colour=colour.group(2)))
    if re.search(r"\s#", line):
        return Diagnosis(opened, say("cards.syntax.comment"), say("cards.syntax.comment_fix"))
    at_mark = spot.char(opened, spot.context_column)
    brace = at_mark if at_mark and at_mark in "[{" else next((ch for ch in line if ch in "[{"), "[")
    close = "]" if brace == "[" else "}"
    if line.count(brace) > line.count(close):
        example = "publishers: [Aedes, VNG]" if brace == "[" else \
            'wonen: {label: Wonen, colour: "#1D5C7A", icon: house}'
        fix = say("cards.syntax.unclosed_list_fix" if brace == "[" else "cards.syntax.unclosed_block_fix",
                  close=close, example=example)
        return Diagnosis(opened, say("cards.syntax.unclosed_bracket", open=brace, close=close), fix)
    if "node content" in spot.problem:
        return Diagnosis(fallback_line(spot), say("cards.syntax.flow_empty", open=brace, close=close),
                         say("cards.syntax.flow_empty_fix"))
    return Diagnosis(fallback_line(spot), say("cards.syntax.flow_breaks", open=brace, close=close, brace="{"),
                     say("cards.syntax.flow_breaks_fix"))


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
    return Diagnosis(number, say("cards.syntax.no_colon", line=sample(text, 40)),
                     say("cards.syntax.no_colon_fix", example=f"{dash}{sample(word, 20)}: {sample(rest, 30)}"))


def _no_space(number: int, line: str, squeezed: re.Match) -> Diagnosis:
    """``name:value`` needs ``name: value``."""
    return Diagnosis(number, say("cards.syntax.no_space", line=sample(line, 40)),
                     say("cards.common.write", example=f"{squeezed.group(1)}: {sample(squeezed.group(2), 40)}"))


def _dash_without_space(spot: Spot) -> Diagnosis | None:
    """``-text: …``: a list item whose dash has no space after it (it then reads as a field name)."""
    for number in (previous_with_content(spot.lines, spot.line), spot.line):
        text = spot.lines[number]
        if re.match(r"^\s*-[^\W\d_][^:]*:(\s|$)", text):
            return Diagnosis(number, say("cards.syntax.dash_space"),
                             say("cards.common.write", example=f"- {sample(text.strip()[1:], 40)}"))
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
        return Diagnosis(above, say("cards.syntax.bare_item", item=sample(bare.group(2), 40)),
                         say("cards.common.write_as", example=f"- {key}: {sample(bare.group(2), 40)}"))
    found = key_of(line)
    if found and found[2] < spot.column:
        value, _ = value_of(line)
        return Diagnosis(number, say("cards.syntax.colon_in_text", field=found[0]),
                         say("cards.syntax.colon_in_text_fix", example=f"{found[0]}: {in_quotes(value)}"))
    squeezed = _NO_SPACE.match(spot.lines[above]) if above != number else None
    if squeezed and ": " not in spot.lines[above]:
        return _no_space(above, spot.lines[above], squeezed)
    upper = key_of(spot.lines[above]) if above != number else None
    if upper and indent_of(line) > upper[1]:
        return Diagnosis(number, say("cards.syntax.indented_into_text", own=spaces(indent_of(line)), field=upper[0],
                                     line=above + 1, upper=spaces(upper[1])),
                         say("cards.syntax.indented_into_text_fix", field=upper[0], upper=spaces(upper[1])))
    return Diagnosis(number, say("cards.syntax.colon_field"), general_fix())


def _list_item(spot: Spot) -> Diagnosis | None:
    """A line among list items without ``- ``, or an item indented unlike the others."""
    if "block collection" not in spot.context:
        return None
    line = spot.lines[spot.line]
    dash = spot.context_column
    stripped = line.strip()
    if stripped.startswith("-") and indent_of(line) != dash:
        return Diagnosis(spot.line, say("cards.syntax.item_indent", own=spaces(indent_of(line)), dash=spaces(dash)),
                         say("cards.syntax.item_indent_fix"))
    return Diagnosis(spot.line, say("cards.syntax.not_item"),
                     say("cards.syntax.not_item_fix", example=f"- {sample(stripped, 40)}", spaces=spaces(dash + 2)))


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
            fix = say("cards.syntax.apostrophe_fix", example=example)
        else:
            fix = say("cards.syntax.single_quotes_fix", example=f"{name}{doubled}")
        return Diagnosis(spot.line, say("cards.syntax.quote_ends", mark=mark), fix)
    if value[:1] in ("[", "{") and spot.column > start:
        return Diagnosis(spot.line, say("cards.syntax.must_quote", char=value[0]),
                         say("cards.common.write_as", example=f"{name}{in_quotes(value)}"))
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
            return Diagnosis(number, say("cards.syntax.dash_space"),
                             say("cards.common.write", example=f"- {sample(text.strip()[1:], 40)}"))
    return Diagnosis(spot.line, say("cards.syntax.item_among_fields"), say("cards.syntax.item_among_fields_fix"))


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
        return Diagnosis(fallback_line(spot), say("cards.syntax.no_fit_above"), general_fix())
    shown = f" {say('cards.common.or')} ".join(
        say("cards.syntax.level", spaces=spaces(column), field=key, line=number + 1)
        for column, (key, number) in sorted(levels.items()))
    return Diagnosis(spot.line, say("cards.syntax.misaligned", own=spaces(own), levels=shown),
                     say("cards.syntax.misaligned_fix"))


def _documents(spot: Spot) -> Diagnosis | None:
    """A second document (``---``), an end marker (``...``), a directive (``%``) or an indented
    first field."""
    if "another document" in spot.problem:
        return Diagnosis(spot.line, say("cards.syntax.second_deck"), say("cards.syntax.second_deck_fix"))
    if "document start" not in spot.problem:
        return None
    for number in range(0, spot.line + 1):
        text = spot.lines[number]
        if text.startswith("..."):
            return Diagnosis(number, say("cards.syntax.end_marker"), say("cards.syntax.end_marker_fix"))
        if text.startswith("%"):
            return Diagnosis(number, say("cards.syntax.directive"), say("cards.syntax.directive_fix"))
    for number in range(0, spot.line + 1):
        text = spot.lines[number]
        if has_content(text) and indent_of(text) > 0:
            return Diagnosis(number, say("cards.syntax.indented_first"), say("cards.syntax.indented_first_fix"))
        if has_content(text):
            break
    return None


RULES: tuple[Callable[[Spot], Diagnosis | None], ...] = (
    _nesting, _tab, _quoted, _alias_or_anchor, _start_character, _block_node, _block_scalar, _flow, _dash_without_space,
    _missing_colon, _colon_in_text, _list_item, _block_mapping, _documents,
)
