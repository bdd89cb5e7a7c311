"""One road for every text read from a file: normalise it, then check its characters.

In: a text as read from any file dialoogkit reads (a deck, a companion deck, a label table, a
results file, an imported table, the guide's texts).
Out:
- ``normalise_text(text) -> str``: Unicode NFC (a decomposed "e" + U+0301 becomes "é"), with every
  U+FEFF (a byte-order mark, also one pasted into the middle of a text) removed. The zero width
  non-joiner U+200C (in almost every Persian sentence) and joiner U+200D are kept, as is the soft
  hyphen U+00AD (a break point the author chose: see ``generator.textfit``).
- ``check_characters(text) -> text``: the character policy. A ``ValueError`` (from the message
  tables, naming the character as ``U+202E``) for a C0 or C1 control character other than a
  newline or a tab, for the bidi embedding, override and isolate controls U+202A-U+202E,
  U+2066-U+2069 (they hide or reorder text), and for a noncharacter (U+FDD0-U+FDEF, U+FFFE and
  U+FFFF of every plane) or a surrogate (no font draws them, and no document format holds them);
  else the text unchanged.
- ``check_visible(text) -> text``: a text made only of characters that show nothing on their own
  (joiners, soft hyphens, byte-order marks, variation selectors, combining marks without a letter,
  spaces) is refused as showing nothing, naming those characters (``U+00AD``).
- ``text_type(limit)``: the pydantic type of a text field: normalised (a ``BeforeValidator``,
  before pydantic's own string checks, so their errors stay ``string_too_short``/``_long``),
  stripped, 1..``limit`` characters, checked, visible, and marked ``NORMALISED``.
- ``NORMALISED`` and ``Unchanged`` marks (``URL``, ``EMAIL``, ``SLUG``, ``KEY``, ``COLOUR``,
  ``LANGUAGE``, ``PHONE``, ``PATH``, ``DATE``): every ``str`` field of a model carries one of them
  in its ``Annotated[...]``, so a test walking the models can tell a text that went this road
  from a value that is validated and never changed (addresses, ids, codes, paths).
Nothing here writes a file: what is on disk stays as the author wrote it.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from dialoogkit.i18n import say

BYTE_ORDER_MARK = "\ufeff"
ALLOWED_CONTROLS = frozenset("\n\t")
DIRECTION_CONTROLS = frozenset(chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


class Normalised:
    """Marks a text type whose values are normalised and checked (``text_type``)."""

    def __repr__(self) -> str:
        return "NORMALISED"


class Unchanged:
    """Marks a value that is validated but never changed: what ``kind`` of value it is."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __repr__(self) -> str:
        return f"Unchanged({self.kind!r})"


NORMALISED = Normalised()
URL = Unchanged("url")
EMAIL = Unchanged("email")
SLUG = Unchanged("slug")
KEY = Unchanged("key")
COLOUR = Unchanged("colour")
LANGUAGE = Unchanged("language")
PHONE = Unchanged("phone")
PATH = Unchanged("path")
DATE = Unchanged("date")


def normalise_text(text: str) -> str:
    """``text`` in NFC without any U+FEFF (see the module docstring)."""
    if BYTE_ORDER_MARK in text:
        text = text.replace(BYTE_ORDER_MARK, "")
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def is_noncharacter(code: int) -> bool:
    """Whether ``code`` is a noncharacter or a surrogate: no character at all."""
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE or 0xD800 <= code <= 0xDFFF


def refused_character(text: str) -> str | None:
    """The first character of ``text`` the policy refuses, or None."""
    for ch in text:
        code = ord(ch)
        if ((code < 32 or 127 <= code < 160) and ch not in ALLOWED_CONTROLS) or ch in DIRECTION_CONTROLS \
                or (code >= 0xD800 and is_noncharacter(code)):  # the guard keeps the common case fast
            return ch
    return None


def check_characters(text: str) -> str:
    """Refuse control characters, text-direction controls and noncharacters (see the module docstring)."""
    found = refused_character(text)
    if found is not None:
        code = ord(found)
        key = "cards.model.noncharacter" if is_noncharacter(code) else "cards.model.control"
        raise ValueError(say(key, code=f"{code:04X}"))
    return text


SHOWS_NOTHING = frozenset({"Cf", "Mn", "Me", "Zs", "Zl", "Zp", "Cc"})  # categories that draw nothing by themselves


def check_visible(text: str) -> str:
    """Refuse a text that shows nothing (see the module docstring)."""
    if any(unicodedata.category(ch) not in SHOWS_NOTHING for ch in text):
        return text
    codes = ", ".join(dict.fromkeys(f"U+{ord(ch):04X}" for ch in text if not ch.isspace()))
    raise ValueError(say("cards.model.invisible", codes=codes[:60]))


def normalise_input(value: Any) -> Any:
    """Pydantic 'before' validator: a string normalised; any other value as it is (the type
    check after it reports it)."""
    return normalise_text(value) if isinstance(value, str) else value


def text_type(limit: int) -> Any:
    """The type of a text field of at most ``limit`` characters (see the module docstring)."""
    from pydantic import AfterValidator, BeforeValidator, StringConstraints  # the models' own; the CLI starts without

    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limit),
                     BeforeValidator(normalise_input), AfterValidator(check_characters), AfterValidator(check_visible),
                     NORMALISED]
