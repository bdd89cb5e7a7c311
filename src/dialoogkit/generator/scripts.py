"""Which script each character is in, which font draws it, and which way it runs.

In: text in logical order (as typed, NFC), the face it is set in (``fonts.REGULAR``, ``SEMIBOLD``,
``BOLD`` or ``ITALIC``) and, for a line, the paragraph direction.
Out:
- ``script_of(char)``: an ISO 15924 code (``Latn``, ``Cyrl``, ``Grek``, ``Arab``, ``Hebr``,
  ``Ethi``), ``Zyyy`` for common characters (spaces, digits, punctuation) and ``Zinh`` for
  combining marks; ``Zzzz`` for a letter of any other script (drawn by whichever font has it).
- ``segment(text, face) -> list[Run]``: the text cut into runs of one script and one font, in
  logical order. The font is chosen per run by its script, never per deck (a Dutch text may
  quote an Arabic sentence); common characters and marks join the run around them within their
  word (the letter before; at the start of a word the one after) when that run's font has them,
  else the first font of the face's chain that does; spaces are set in the face's own font. ``Run.direction`` is the script's own direction (``rtl`` for Arabic
  and Hebrew), used to shape a word on its own.
- ``missing_glyphs(text, face)``: characters no font has (still an error: private use and
  unassigned code points, emoji, scripts without a bundled font).
- ``bidi_levels(text, direction)``: one embedding level per character, for any text, by the
  Unicode bidi algorithm (python-bidi's reference implementation, rules P2-I2). Characters the
  algorithm would drop (class BN: U+200C, U+200D, U+FEFF, U+00AD; explicit controls, which the
  model refuses anyway) are kept and take the level of the character before them (UAX #9, 5.2).
  In a right-to-left paragraph, web and e-mail addresses, phone numbers and lesson numbers
  ("3 / 10") are isolated left to right (``left_to_right_spans``). Given a whole paragraph, the
  levels hold across its lines; ``end_of_line`` applies rule L1 to one line (trailing spaces take
  the paragraph level); ``visual_order(levels)`` is rule L2.
- ``is_rtl(language)``, ``paragraph_direction(text)``, ``can_hyphenate(language)`` and
  ``hyphenation_language(language)`` (pyphen's dictionary, or None: wrap at spaces only).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import pyphen

from dialoogkit.generator.scriptfonts import chain, coverage, font_for_script, has_glyph

COMMON = "Zyyy"
INHERITED = "Zinh"
UNKNOWN = "Zzzz"
RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo"})
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "yi", "ckb", "sd", "ug", "dv", "syr", "prs"})

_RANGES = sorted([  # (first, last, script): the blocks of the scripts dialoogkit has fonts for
    (0x0041, 0x005A, "Latn"), (0x0061, 0x007A, "Latn"), (0x00AA, 0x00AA, "Latn"), (0x00BA, 0x00BA, "Latn"),
    (0x00C0, 0x00D6, "Latn"), (0x00D8, 0x00F6, "Latn"), (0x00F8, 0x02AF, "Latn"), (0x1D00, 0x1D7F, "Latn"),
    (0x1E00, 0x1EFF, "Latn"), (0x2C60, 0x2C7F, "Latn"), (0xA720, 0xA7FF, "Latn"), (0xAB30, 0xAB6F, "Latn"),
    (0xFB00, 0xFB06, "Latn"), (0xFF21, 0xFF3A, "Latn"), (0xFF41, 0xFF5A, "Latn"),
    (0x0370, 0x03FF, "Grek"), (0x1F00, 0x1FFF, "Grek"),
    (0x0400, 0x052F, "Cyrl"), (0x1C80, 0x1C8F, "Cyrl"), (0x2DE0, 0x2DFF, "Cyrl"), (0xA640, 0xA69F, "Cyrl"),
    (0x0591, 0x05FF, "Hebr"), (0xFB1D, 0xFB4F, "Hebr"),
    (0x0600, 0x06FF, "Arab"), (0x0750, 0x077F, "Arab"), (0x0870, 0x08FF, "Arab"), (0xFB50, 0xFDFF, "Arab"),
    (0xFE70, 0xFEFF, "Arab"),
    (0x1200, 0x139F, "Ethi"), (0x2D80, 0x2DDF, "Ethi"), (0xAB00, 0xAB2F, "Ethi"), (0x1E7E0, 0x1E7FF, "Ethi"),
])
_STARTS = [first for first, _, _ in _RANGES]
_OWN_PUNCTUATION = frozenset({"Arab", "Hebr", "Ethi"})  # their punctuation and digits belong to them


@lru_cache(maxsize=4096)
def script_of(char: str) -> str:
    """The script of one character (see the module docstring for the codes)."""
    category = unicodedata.category(char)
    if category in ("Mn", "Me"):
        return INHERITED
    index = bisect_right(_STARTS, ord(char)) - 1
    script = _RANGES[index][2] if index >= 0 and ord(char) <= _RANGES[index][1] else ""
    if category[0] in "ZPSNC" and script not in _OWN_PUNCTUATION:
        return COMMON
    return script or (UNKNOWN if category[0] == "L" or category == "Mc" else COMMON)


def direction_of_script(script: str) -> str:
    return "rtl" if script in RTL_SCRIPTS else "ltr"


@dataclass(frozen=True)
class Run:
    """A stretch of text in one script and one font, in logical order."""

    text: str
    script: str
    direction: str  # "ltr" or "rtl": the script's own direction
    font_key: str  # the reportlab font that draws it


def _scripts(text: str) -> list[str]:
    """The script of each character, with common characters and marks resolved within their word
    (text between spaces): to the script of the letter before them, at the start of a word to the
    first one after; a word without letters (a number, a dash) stays common. Resolving within a
    word makes a word's fonts the same on its own as in its line, so measured widths add up."""
    resolved: list[str] = []
    for word in re.split(r"(\s+)", text):
        own = [script_of(ch) for ch in word]
        current = next((s for s in own if s not in (COMMON, INHERITED)), COMMON)
        for script in own:
            if script not in (COMMON, INHERITED):
                current = script
            resolved.append(current)
    return resolved


@lru_cache(maxsize=16)
def plain_characters(face: str) -> frozenset[str]:
    """The characters that are always set in ``face`` itself, wherever they stand: a line break,
    and what its own font draws in a script that font is chosen for (Latin, Greek, Cyrillic, common).
    A text of only these is set in ``face`` alone (the fast way of ``fonts_of``)."""
    own = chain(face)[0]
    if own != face:
        return frozenset()
    scripts = {script for script in (COMMON, "Latn", "Cyrl", "Grek") if font_for_script(face, script) == own}
    drawn = (chr(code) for code in coverage(own) if script_of.__wrapped__(chr(code)) in scripts)
    return frozenset(drawn) | {"\n"}


@lru_cache(maxsize=16)
def _reach(face: str) -> frozenset[int]:
    """The code points some font of ``face``'s chain draws."""
    return frozenset().union(*(coverage(font) for font in chain(face)))


def fonts_of(text: str, face: str) -> list[str]:
    """The font of each character of ``text`` in ``face``: the font of its (resolved) script when
    that has the glyph; a space is always in the face's own font (so a line is as wide as its words
and spaces measured apart); a mark takes the font of the character it sits on; else the first font of
    the chain that has it (a character none has keeps the script's font: see ``missing_glyphs``)."""
    if plain_characters(face).issuperset(text):
        return [face] * len(text)
    return fonts_each(text, face)


def fonts_each(text: str, face: str) -> list[str]:
    """``fonts_of`` character by character, for any text (the rule its fast way must agree with)."""
    fonts: list[str] = []
    for ch, script in zip(text, _scripts(text)):
        if ch.isspace():  # spaces are measured in the face's own font, wherever they stand
            fonts.append(chain(face)[0])
            continue
        if script_of(ch) == INHERITED and fonts and has_glyph(fonts[-1], ch):
            fonts.append(fonts[-1])
            continue
        preferred = font_for_script(face, script)
        if has_glyph(preferred, ch) or ch in "\n":
            fonts.append(preferred)
        else:
            fonts.append(next((f for f in chain(face) if has_glyph(f, ch)), preferred))
    return fonts


def segment(text: str, face: str) -> list[Run]:
    """``text`` as runs of one script and one font, in logical order (see the module docstring)."""
    runs: list[Run] = []
    scripts, fonts = _scripts(text), fonts_of(text, face)
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or (scripts[index], fonts[index]) != (scripts[start], fonts[start]):
            script = scripts[start]
            runs.append(Run(text[start:index], script, direction_of_script(script), fonts[start]))
            start = index
    return runs


def missing_glyphs(text: str, face: str) -> list[str]:
    """Characters of ``text`` that no font of ``face``'s chain can draw, each once, in order."""
    if plain_characters(face).issuperset(text):
        return []
    reach = _reach(face)
    return [ch for ch in dict.fromkeys(text) if ch != "\n" and ord(ch) not in reach]


def is_rtl(language: str) -> bool:
    """Whether ``language`` (an ISO 639 code, optionally with a region: ``ar``, ``fa-AF``) is
    written right to left."""
    return language.lower().replace("_", "-").split("-")[0] in RTL_LANGUAGES


def paragraph_direction(text: str, default: str = "ltr") -> str:
    """The direction of the first strong character (bidi rules P2-P3), else ``default``."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return default


REMOVED_CLASSES = frozenset({"BN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})
OBJECT = "\ufffc"  # a neutral (ON) standing in for an isolated span, or a character without a bidi class
_DIGIT = "[0-9\u0660-\u0669\u06F0-\u06F9]"
_GROUP = f"(?:\\({_DIGIT}+\\){_DIGIT}*|{_DIGIT}+)"
_ZERO = "[0\u0660\u06F0]"
PHONE = re.compile(f"(?<![\\w+])(?:\\+|(?=\\(|{_ZERO})){_GROUP}(?:[ \\-]{_GROUP})+(?![\\w])")
LESSON_NUMBER = re.compile(f"(?<![\\w/]){_DIGIT}{{1,5}} / {_DIGIT}{{1,5}}(?![\\w/])")
EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
WEB_ADDRESS = re.compile(r"(?<![\w@./-])(?:(?:https?://|www\.)[^\s]+|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
                         r"(?:/[^\s]*)?)")
_TRAILING = ".,;:!?'\"»”’…،؛؟"


@dataclass(frozen=True)
class Span:
    """A stretch ``[start, end)`` of a right-to-left paragraph that is set left to right on its own:
    a web or e-mail address (``flat`` False: levels of a left-to-right paragraph), a phone number
    or a lesson number such as "3 / 10" (``flat``: as typed, also in Arabic-Indic digits, whose
    groups the algorithm would otherwise set right to left)."""

    start: int
    end: int
    flat: bool


def left_to_right_spans(text: str) -> list[Span]:
    """Web and e-mail addresses, phone numbers (two or more digit groups, starting with +, a
    bracket or a zero, at least 6 digits) and lesson numbers ("3 / 10") in ``text``, in order,
    none overlapping; trailing punctuation (a full stop after an address) is not part of them."""
    found: list[Span] = []
    for pattern, flat in ((EMAIL, False), (WEB_ADDRESS, False), (PHONE, True), (LESSON_NUMBER, True)):
        for match in pattern.finditer(text):
            start, end = match.start(), _trimmed_end(text, match.start(), match.end())
            if flat and pattern is PHONE and sum(ch.isdigit() for ch in text[start:end]) < 6:
                continue
            if end > start and not any(start < other.end and other.start < end for other in found):
                found.append(Span(start, end, flat))
    return sorted(found, key=lambda span: span.start)


def _trimmed_end(text: str, start: int, end: int) -> int:
    """``end`` moved before trailing punctuation, and before a closing bracket without its opener."""
    while end > start:
        last = text[end - 1]
        if last in _TRAILING or (last == ")" and text.count("(", start, end) < text.count(")", start, end)):
            end -= 1
        else:
            break
    return end


def bidi_levels(text: str, direction: str, line_end: bool = True) -> list[int]:
    """The resolved embedding level of each character of ``text`` in a paragraph of ``direction``
    (``ltr`` or ``rtl``): exactly one level per character, whatever the text holds; odd levels run
    right to left. Characters of class BN (U+200C, U+200D, U+FEFF, U+00AD, …) and explicit
    controls are left out of the algorithm and take the level of the character before them (the
    one after at the start): UAX #9, section 5.2, "Retaining BNs and Explicit Formatting
    Characters". In a right-to-left paragraph each span of ``left_to_right_spans`` is given to the
    algorithm as one U+FFFC (a neutral) and its characters get the levels of a left-to-right
    paragraph plus the least even level above the paragraph's, as LRI…PDI would give them.
    With ``line_end``, ``text`` is a line: rule L1, its trailing white space takes the paragraph level."""
    base = 1 if direction == "rtl" else 0
    spans = left_to_right_spans(text) if base else []
    given, places = _algorithm_input(text, spans)
    levels: list[int | None] = [None] * len(text)
    for place, level in zip(places, _resolve(given, base), strict=True):
        if place >= 0:
            levels[place] = level
    isolate = (base + 2) & ~1
    for span in spans:
        inner = [0] * (span.end - span.start) if span.flat else bidi_levels(text[span.start:span.end], "ltr", False)
        levels[span.start:span.end] = [level + isolate for level in inner]
    filled = _fill_removed(levels, base)
    return end_of_line(text, filled, base) if line_end else filled


def _algorithm_input(text: str, spans: list[Span]) -> tuple[str, list[int]]:
    """The text the algorithm resolves (without BN characters and explicit controls, each span
    as one U+FFFC, a character without a bidi class as U+FFFC) and, for each of its characters,
    its index in ``text`` (-1 for a span)."""
    given: list[str] = []
    places: list[int] = []
    starts = {span.start: span.end for span in spans}
    index = 0
    while index < len(text):
        if index in starts:
            given.append(OBJECT)
            places.append(-1)
            index = starts[index]
            continue
        kind = unicodedata.bidirectional(text[index])
        if kind not in REMOVED_CLASSES:
            given.append(text[index] if kind else OBJECT)
            places.append(index)
        index += 1
    return "".join(given), places


def _resolve(text: str, base: int) -> list[int]:
    """python-bidi's reference implementation, rules P2-I2 (explicit embeddings and isolates are
    never given to it), on ``text`` in a paragraph of embedding level ``base``."""
    from bidi import algorithm

    if not text:
        return []
    storage = algorithm.get_empty_storage()
    storage["base_level"], storage["base_dir"] = base, "LR"[base]
    algorithm.get_embedding_levels(text, storage)
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    levels = [char["level"] for char in storage["chars"]]
    if len(levels) != len(text):  # never: nothing the algorithm removes is given to it
        raise ValueError(f"bidi: {len(levels)} levels for {len(text)} characters")
    return levels


def _fill_removed(levels: list[int | None], base: int) -> list[int]:
    """Levels with each missing one (a removed character) taken from the character before it, at
    the start from the first one after it, in a text of removed characters only the paragraph's."""
    first = next((level for level in levels if level is not None), base)
    filled: list[int] = []
    for level in levels:
        filled.append(level if level is not None else (filled[-1] if filled else first))
    return filled


def end_of_line(text: str, levels: list[int], base: int) -> list[int]:
    """Rule L1 for one line: white space (and removed characters among it) at its end takes the
    paragraph level ``base``; returns a new list."""
    levels = list(levels)
    for index in range(len(text) - 1, -1, -1):
        if not (text[index].isspace() or unicodedata.bidirectional(text[index]) in REMOVED_CLASSES):
            break
        levels[index] = base
    return levels


def visual_order(levels: list[int]) -> list[int]:
    """Indices of items with embedding ``levels`` in visual order, left to right (rule L2: from the
    highest level down to the lowest odd one, reverse every stretch at that level or higher)."""
    order = list(range(len(levels)))
    if not levels:
        return order
    lowest_odd = min(level for level in levels) | 1
    for level in range(max(levels), lowest_odd - 1, -1):
        index = 0
        while index < len(order):
            if levels[order[index]] >= level:
                end = index
                while end < len(order) and levels[order[end]] >= level:
                    end += 1
                order[index:end] = reversed(order[index:end])
                index = end
            else:
                index += 1
    return order


def hyphenation_language(language: str) -> str | None:
    """pyphen's dictionary for ``language`` (``nl`` and ``en`` as before), or None when pyphen has
    none: such text wraps at spaces and is never hyphenated."""
    mapped = {"nl": "nl_NL", "en": "en_GB"}.get(language)
    if mapped:
        return mapped
    return pyphen.language_fallback(language.replace("-", "_"))


def can_hyphenate(language: str) -> bool:
    return hyphenation_language(language) is not None
