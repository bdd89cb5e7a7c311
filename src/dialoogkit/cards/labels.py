"""Fixed labels of the materials ("Gespreksvragen", "Zelf oppakken", …), one table per language.

In: a language code of a deck; a deck (its ``language`` and its own ``labels:``); for checking, the
raw data of a deck file with its line map.
Out: ``load_labels(language)`` (a bundled table: ``nl`` or ``en``, its texts normalised and
checked as a deck's, see ``cards.textroad``); ``labels_for(deck)``, the one table a deck's
materials print (the bundled table of its language, with the deck's own ``labels:`` over it; a
language without a bundled table takes the deck's ``labels:`` only); ``find_label_problems``
(unknown label keys, and for a language without a bundled table every missing key in one
problem); ``label_keys()`` and ``labels_yaml(language)`` (a table as YAML, ready to paste under
``labels:``, for ``dialoogkit labels``).
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Iterator, Mapping

import yaml

from dialoogkit.cards.textroad import check_characters, normalise_text
from dialoogkit.cards.yamlsource import Origins
from dialoogkit.errors import ContentError, Problem, quoted
from dialoogkit.i18n import say

Labels = Mapping[str, str]
BUNDLED = ("nl", "en")


@lru_cache(maxsize=None)
def load_labels(language: str) -> Labels:
    """The bundled label table of ``language``; every bundled language has the same keys. Its
    labels take the road of every text (``cards.textroad``); one that the character policy
    refuses is a ``ContentError`` naming the table's file and key."""
    path = resources.files("dialoogkit.cards") / "data" / "labels" / f"{language}.yaml"
    table = yaml.safe_load(path.read_text("utf-8"))
    return MappingProxyType({str(key): _label_text(str(value), str(path), str(key)) for key, value in table.items()})


def _label_text(value: str, file: str, key: str) -> str:
    """A bundled label, normalised and checked like any text of a deck."""
    try:
        return check_characters(normalise_text(value))
    except ValueError as exc:
        what, _, fix = str(exc).partition(" — ")
        raise ContentError([Problem(file, None, what, fix, None, f"labels.{key}")]) from None


def label_keys() -> tuple[str, ...]:
    """Every label key, in the order of the bundled tables."""
    return tuple(load_labels("nl"))


def is_bundled(language: str) -> bool:
    return language in BUNDLED


def merged_labels(language: str, own: Mapping[str, str] | None) -> dict[str, str]:
    """The bundled table of ``language`` (if there is one) with ``own`` labels over it."""
    table = dict(load_labels(language)) if is_bundled(language) else {}
    table.update({str(k): str(v) for k, v in (own or {}).items()})
    return table


def labels_for(deck: Any) -> Labels:
    """The labels a deck's materials print (see module docstring). Loading a deck already checks
    that they are complete; a deck made otherwise that lacks some fails here, naming them all."""
    language = getattr(deck, "language", "nl")
    table = merged_labels(language, getattr(deck, "labels", None))
    missing = [key for key in label_keys() if key not in table]
    if missing:
        raise ContentError([Problem(getattr(deck, "id", "deck"), None, _missing_message(language, missing),
                                    say("labels.fix", language="nl"), None, "labels")])
    return MappingProxyType(table)


def _missing_message(language: str, missing: list[str]) -> str:
    return say("labels.missing", language=quoted(language, 20), count=len(missing),
               keys=", ".join(missing), bundled=", ".join(BUNDLED))


def find_label_problems(data: dict[str, Any], lines: Origins, file: str) -> Iterator[Problem]:
    """Unknown keys in the deck's ``labels:``, and, for a language without a bundled table, one
    problem listing every label the deck does not give (at ``labels:``, else at ``language:``)."""
    from dialoogkit.cards.messages import where

    language = data.get("language", "nl")
    own = data.get("labels")
    if not isinstance(language, str) or (own is not None and not isinstance(own, dict)):
        return  # the schema reports these
    known = label_keys()
    for key in own or {}:
        if str(key) not in known:
            guess = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = say("cards.common.did_you_mean", guess=guess[0]) if guess else say("labels.fix", language="nl")
            yield Problem(*where(("labels", key), lines, file), say("labels.unknown", label=quoted(key, 40)),
                          hint, None, f"labels.{key}")
    if is_bundled(language):
        return
    missing = [key for key in known if key not in {str(k) for k in (own or {})}]
    if missing:
        at, field = (("labels",), "labels") if own is not None else (("language",), "language")
        yield Problem(*where(at, lines, file), _missing_message(language, missing),
                      say("labels.fix", language="nl"), None, field)


def labels_yaml(language: str) -> str:
    """The bundled table of ``language`` as YAML lines, indented to paste under ``labels:``."""
    body = yaml.safe_dump(dict(load_labels(language)), allow_unicode=True, sort_keys=False, width=4096)
    return "labels:\n" + "".join(f"  {line}\n" for line in body.splitlines())
