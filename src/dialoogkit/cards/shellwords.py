"""Paths written into commands that a person can copy and paste into a terminal.

In: a path (or any word of a command).
Out: the word as it may be pasted: unchanged when it holds only letters, digits and ``_@%+=:,./-``;
otherwise between double quotes, which both Windows (cmd, PowerShell) and Unix shells (bash, zsh)
understand; between single quotes on Unix when it holds a character that double quotes do not
protect there (``$``, `````, ``"``, ``\\``, ``!``). Control characters are shown as ``U+XXXX``.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

from dialoogkit.errors import printable

_SAFE = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")


def quote_path(path: str | Path) -> str:
    """``path`` ready to paste into a command (see module docstring)."""
    text = printable(str(path)).replace("\n", " ")
    if _SAFE.fullmatch(text):
        return text
    if os.name == "nt" or not any(ch in text for ch in '$`"\\!'):
        return f'"{text}"'
    return shlex.quote(text)


def command(*words: str | Path) -> str:
    """A ``dialoogkit …`` command line with every word quoted as needed."""
    return " ".join(["dialoogkit", *(quote_path(word) for word in words)])
