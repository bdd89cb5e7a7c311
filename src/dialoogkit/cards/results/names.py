"""Find names of people, street addresses and phone numbers in one text.

In: a text (a sentence a table wrote after a session, a deck's statement).
Out: ``find_names(text)``, the ``Found`` spans (the words, what kind: ``person``, ``address`` or
``phone``, where they start and end), in the order of the text; ``warm_up()`` loads the finder
now and says how long that took (the studio calls it at start, off its request path);
``is_ready()`` says whether it is loaded.

Two finders work together:
- ``deduce``, the Dutch de-identification library (made for medical text). Its lookup tables are
  built the first time it runs on a machine (about 75-95 s, then cached beside the library, or
  in ``$XDG_CACHE_HOME/dialoogkit`` when the library's folder cannot be written) and load in
  seconds after that: it is imported lazily, once per process, under a lock. Its persons (tag
  ``persoon``/``patient``) and phone numbers (``telefoonnummer``) count; of its places
  (``locatie``) only a street with a house number counts (a town, a district or a street
  without a number is no resident); care institutions (``zorginstelling``) are no residents.
  Its tables are millions of Python objects that live as long as the process: once loaded they are
  moved out of the cyclic garbage collector's sight (``gc.freeze``), whose every full pass would
  otherwise stop the studio or the team server for seconds. It sets up the root logger at import
  (``logging.basicConfig`` to stdout, level DEBUG): that is undone at once, so it never writes
  into the command's output.
- The project's own rules, for what deduce misses (``cards/data/results/names.yaml``): given
  names of people from Eritrea, Ethiopia, Somalia and Afghanistan and the way Eritrean compound
  names begin or end ("Gebre…", "…medhin"), with the capitalised words around them; a word
  such as "mevrouw", "buurman" or "familie" before a capitalised word; "nummer 12" (a house);
  Dutch phone numbers written as one block of digits or with +31.
Then what is no person is taken out again: a suspected name with a word of an organisation or
a place at its start or end, or right before it ("Buurtkamer De Kern", "Het Oranje Fonds"), a single short
common word (English "An", "Both"), and service numbers (0800, 0900, 088, 14 0xx, 112).
"""

from __future__ import annotations

import gc
import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

PERSON, ADDRESS, PHONE = "person", "address", "phone"
_DEDUCE_KINDS = {"persoon": PERSON, "patient": PERSON, "telefoonnummer": PHONE}
_HOUSE_NUMBER = re.compile(r"\d{1,4}\s?[a-zA-Z]?$")
_HOUSE = re.compile(r"\b(?:huis)?(?:nummer|nr\.?)\s*\d{1,4}[a-zA-Z]?\b(?![-\d])", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\d+])(?:\+31|0031|0)[\s-]*(?:\(0\)[\s-]*)?[1-9](?:[\s-]?\d){8}(?!\d)")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SKIPPED = {"dates", "ages", "identifiers", "email_addresses", "urls", "institutions"}

_lock = threading.Lock()
_finder: Any = None
_load_seconds: float | None = None


@dataclass(frozen=True)
class Found:
    """A suspected name, address or phone number: its words and where they are in the text."""

    words: str
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Rules:
    """The project's own word lists (see ``names.yaml``)."""

    given_names: frozenset[str]
    beginnings: tuple[str, ...]
    endings: tuple[str, ...]
    person_words: frozenset[str]
    place_words: frozenset[str]
    common_words: frozenset[str]
    service_numbers: tuple[str, ...]


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """The bundled word lists."""
    text = (resources.files("dialoogkit.cards") / "data" / "results" / "names.yaml").read_text("utf-8")
    data = yaml.safe_load(text)

    def words(key: str) -> frozenset[str]:
        return frozenset(str(word).lower() for word in data[key])

    return Rules(words("given_names"), tuple(data["name_beginnings"]), tuple(data["name_endings"]),
                 words("person_words"), words("place_words"), words("common_words"),
                 tuple(str(number) for number in data["service_numbers"]))


def is_ready() -> bool:
    """Whether deduce is loaded in this process."""
    return _finder is not None


def tables_built() -> bool:
    """Whether deduce's lookup tables were built on this machine (else the first load builds them,
    which takes a minute or two)."""
    import importlib.util

    spec = importlib.util.find_spec("deduce")
    if spec is None or not spec.submodule_search_locations:
        return False
    packaged = Path(next(iter(spec.submodule_search_locations))) / "data" / "lookup"
    return any((folder / "cache" / "lookup_structs.pickle").is_file() for folder in (packaged, _user_cache()))


def warm_up() -> float:
    """Load deduce now (once per process); the seconds the first load took."""
    _load()
    assert _load_seconds is not None
    return _load_seconds


def _load() -> Any:
    global _finder, _load_seconds
    if _finder is not None:
        return _finder
    with _lock:
        if _finder is None:
            started = time.perf_counter()
            finder = _make_finder()
            gc.freeze()  # its millions of lookup objects live as long as the process: never traverse them again
            _finder = finder
            _load_seconds = time.perf_counter() - started
    return _finder


def _make_finder() -> Any:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import deduce
    finally:  # deduce calls logging.basicConfig(stream=sys.stdout, level=DEBUG) when imported
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
    packaged = Path(deduce.__file__).parent / "data" / "lookup"
    if os.access(packaged, os.W_OK) or (packaged / "cache" / "lookup_structs.pickle").is_file():
        return deduce.Deduce()
    return deduce.Deduce(cache_path=_user_cache())


def _user_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dialoogkit" / "deduce"


def find_names(text: str) -> list[Found]:
    """Every suspected name, street address and phone number in ``text`` (see module docstring)."""
    found = _from_deduce(text) + _from_rules(text)
    found = [item for item in found if not _is_no_person(item, text)]
    return _merge(found)


def _from_deduce(text: str) -> list[Found]:
    document = _load().deidentify(text, disabled=_SKIPPED)
    found = []
    for annotation in document.annotations:
        kind = _DEDUCE_KINDS.get(annotation.tag)
        if annotation.tag == "locatie" and _HOUSE_NUMBER.search(annotation.text) and \
                not annotation.text.replace(" ", "")[:4].isdigit():  # a street with its number, not a postcode
            kind = ADDRESS
        if kind is not None:
            found.append(Found(annotation.text, kind, annotation.start_char, annotation.end_char))
    return found


def _from_rules(text: str) -> list[Found]:
    rules = load_rules()
    found = [Found(m.group(), ADDRESS, m.start(), m.end()) for m in _HOUSE.finditer(text)]
    found += [Found(m.group(), PHONE, m.start(), m.end()) for m in _PHONE.finditer(text)]
    words = list(_WORD.finditer(text))
    for index, match in enumerate(words):
        word = match.group()
        if not _capitalised(word):
            continue
        lower = word.lower()
        named = lower in rules.given_names or _compound_name(lower, rules)
        after_person_word = index > 0 and words[index - 1].group().lower() in rules.person_words \
            and text[words[index - 1].end():match.start()].strip(" .") == ""  # "mevrouw X", "mw. X"
        if named or after_person_word:
            found.append(_name_around(text, words, index, rules))
    return found


def _compound_name(lower: str, rules: Rules) -> bool:
    return any(lower.startswith(part) and len(lower) > len(part) + 1 for part in rules.beginnings) or \
        any(lower.endswith(part) and len(lower) > len(part) + 1 for part in rules.endings)


def _name_around(text: str, words: list[re.Match], index: int, rules: Rules) -> Found:
    """The name the word at ``index`` belongs to: with the capitalised words right before and after it."""
    first = last = index
    while first > 0 and _name_word(words[first - 1].group(), rules) and _adjacent(text, words[first - 1], words[first]):
        first -= 1
    while last + 1 < len(words) and last - index < 2 and _name_word(words[last + 1].group(), rules) \
            and _adjacent(text, words[last], words[last + 1]):
        last += 1
    start, end = words[first].start(), words[last].end()
    return Found(text[start:end], PERSON, start, end)


def _name_word(word: str, rules: Rules) -> bool:
    lower = word.lower()
    return _capitalised(word) and lower not in rules.place_words and lower not in rules.common_words


def _adjacent(text: str, left: re.Match, right: re.Match) -> bool:
    """Two words with only spaces or a hyphen between them (no comma, no full stop)."""
    return text[left.end():right.start()].strip(" -") == ""


def _capitalised(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and letters[0].isupper() and any(ch.islower() for ch in letters[1:])


def _is_no_person(item: Found, text: str) -> bool:
    """A place, an organisation, a common word or a service number (see module docstring)."""
    rules = load_rules()
    if item.kind == PHONE:
        digits = re.sub(r"\D", "", item.words)
        digits = "0" + digits[2:] if digits.startswith("31") else digits
        return digits.startswith(rules.service_numbers) or len(digits) < 8
    if item.kind != PERSON:
        return False
    words = [word.lower() for word in _WORD.findall(item.words)]
    if words and (words[0] in rules.place_words or words[-1] in rules.place_words):
        return True
    if len(words) == 1 and words[0] in rules.common_words:
        return True
    before = [word.lower() for word in _WORD.findall(text[:item.start])][-3:]
    while before and before[-1] in ("de", "het", "'t", "the"):
        before.pop()
    return bool(before) and before[-1] in rules.place_words and _WORD.findall(text[:item.start])[-1][:1].isupper()


def _merge(found: list[Found]) -> list[Found]:
    """Overlapping spans as one (the kind of the longest), in the order of the text."""
    merged: list[Found] = []
    for item in sorted(found, key=lambda f: (f.start, -f.end)):
        if merged and item.start < merged[-1].end:
            last = merged[-1]
            if item.end > last.end:
                keep = last.kind if last.end - last.start >= item.end - item.start else item.kind
                merged[-1] = Found(last.words + item.words[last.end - item.start:], keep, last.start, item.end)
            continue
        merged.append(item)
    return merged
