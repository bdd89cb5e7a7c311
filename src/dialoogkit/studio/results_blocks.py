"""The "after the session" form beyond the lessons: who sends the letters (``sender:``), who exactly
receives each one (``addressees:``, one entry per ``to:`` used under ``higher:``), the agreements
carried from the previous session (``previous: agreements:``, their status to update) and the
words confirmed as no name (``not_names:``).

In: a results file's round-trip document, or the fields a browser posted (``sender.email``,
``addressees.2.to`` with ``addressees.2.department``, ``previous.1.status``, ``previous.1.reason``,
``not_names``); the form's ``higher:`` rows (which addressees the letters need).
Out: ``read_blocks`` / ``post_blocks`` fill the form (``settle_addressees`` puts the addressees in
the order of the points and says whether that list changed, so the page swaps it in);
``write_blocks`` puts them into the document (an empty sender or addressee is written only where
the file has the key already; statuses in the deck's language; the carried agreements' texts are
shown from the file, never from the request); ``block_slot`` places a problem of these blocks at
its field; ``confirm_word`` adds a word to ``not_names``; ``field_label`` names a problem's field
in words for the page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from dialoogkit.cards.models import Deck
from dialoogkit.cards.results.carry import ADDRESSEE_FIELDS, SENDER_FIELDS
from dialoogkit.cards.results.model import STATUS_WORDS, simple
from dialoogkit.errors import Problem
from dialoogkit.studio.forms import clean
from dialoogkit.studio.results_yaml import new_list, set_key

SENDER_SHOWN = tuple(name for name in SENDER_FIELDS if name != "logo")  # the logo is a file: edited in the YAML
MAX_ADDRESSEES = 50
MAX_WORDS = 200
STATUS_NAMES = {"nl": {"open": "open", "started": "bezig", "done": "klaar", "stopped": "gestopt"}}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _status(value: Any) -> str:
    text = " ".join(_text(value).lower().split())
    return STATUS_WORDS.get(text, _text(value)) or "open"


def read_blocks(form: Any, document: Any) -> None:
    """Fill the form's blocks from the file."""
    data = document if isinstance(document, Mapping) else {}
    sender = data.get("sender")
    form.sender = {name: _text(sender.get(name)) if isinstance(sender, Mapping) else "" for name in SENDER_SHOWN}
    addressees = data.get("addressees")
    form.addressees = [{"to": _text(to), **{name: _text(value.get(name)) if isinstance(value, Mapping) else ""
                                            for name in ADDRESSEE_FIELDS}}
                       for to, value in (addressees.items() if isinstance(addressees, Mapping) else [])][:MAX_ADDRESSEES]
    form.previous = read_previous(data)
    words = data.get("not_names")
    form.not_names = "\n".join(_text(w) for w in words if w is not None) if isinstance(words, list) else ""
    settle_addressees(form, posted=None)


def read_previous(data: Mapping) -> list[dict[str, str]]:
    """The carried agreements as the file has them (lesson, what, who, when, status, reason)."""
    previous = data.get("previous")
    items = previous.get("agreements") if isinstance(previous, Mapping) else None
    return [{name: _status(item.get(name)) if name == "status" else _text(item.get(name))
             for name in ("lesson", "what", "who", "when", "status", "reason")}
            for item in (items if isinstance(items, list) else []) if isinstance(item, Mapping)][:500]


def post_blocks(form: Any, posted: Mapping[str, Any]) -> None:
    """Fill the form's blocks from the posted fields."""
    form.sender = {name: clean(posted.get(f"sender.{name}"), True) for name in SENDER_SHOWN}
    rows: list[dict[str, str]] = []
    for number in range(1, MAX_ADDRESSEES + 1):
        if f"addressees.{number}.to" not in posted:
            break
        rows.append({"to": clean(posted.get(f"addressees.{number}.to"), True),
                     **{name: clean(posted.get(f"addressees.{number}.{name}"), True) for name in ADDRESSEE_FIELDS}})
    form.previous = [{"status": _status(posted.get(f"previous.{n}.status")),
                      "reason": clean(posted.get(f"previous.{n}.reason"), True)}
                     for n in range(1, 501) if f"previous.{n}.status" in posted]
    form.not_names = clean(posted.get("not_names"))
    form.addressees = rows
    settle_addressees(form, posted=[row["to"] for row in rows])


def settle_addressees(form: Any, posted: list[str] | None) -> None:
    """One entry per ``to:`` under ``higher:`` in the order of the points (the values kept by
    name), then the entries with values that no point uses; ``form.addressees_moved`` when that
    list is not the one the page posted."""
    known = {simple(row["to"]): row for row in form.addressees if row["to"].strip()}
    wanted: list[dict[str, str]] = []
    for values in form.lessons.values():
        for point in values.higher:
            to = " ".join(point.get("to", "").split())
            if to and simple(to) not in {simple(row["to"]) for row in wanted}:
                wanted.append(known.get(simple(to)) or {"to": to, **{name: "" for name in ADDRESSEE_FIELDS}})
    used = {simple(row["to"]) for row in wanted}
    wanted += [row for key, row in known.items() if key not in used and any(row[n] for n in ADDRESSEE_FIELDS)]
    form.addressees = wanted[:MAX_ADDRESSEES]
    form.addressees_moved = posted is not None and [simple(t) for t in posted] != [simple(r["to"]) for r in wanted]


def write_blocks(document: CommentedMap, form: Any, deck: Deck) -> None:
    """Put the blocks into the document (see module docstring)."""
    sender = document.get("sender")
    if isinstance(sender, CommentedMap) or any(form.sender.values()):
        if not isinstance(sender, CommentedMap):
            sender = CommentedMap()
            set_key(document, "sender", sender)
        for name in SENDER_SHOWN:
            if name in sender or form.sender.get(name):
                set_key(sender, name, form.sender.get(name) or None)
    _write_addressees(document, form.addressees)
    _write_previous(document, form, deck.language)
    words = [line.strip() for line in form.not_names.split("\n") if line.strip()][:MAX_WORDS]
    if "not_names" in document or words:
        set_key(document, "not_names", new_list(list(dict.fromkeys(words)), flow=len(words) <= 1))


def _write_addressees(document: CommentedMap, rows: list[dict[str, str]]) -> None:
    block = document.get("addressees")
    filled = [row for row in rows if any(row[name] for name in ADDRESSEE_FIELDS)]
    if not isinstance(block, CommentedMap):
        if not filled:
            return
        block = CommentedMap()
        set_key(document, "addressees", block)
    for row in rows:
        key = next((k for k in block if simple(str(k)) == simple(row["to"])), None)
        if key is None and not any(row[name] for name in ADDRESSEE_FIELDS):
            continue  # a new letter with nothing filled in yet: the report says what is missing
        entry = block.get(key) if key is not None else None
        if not isinstance(entry, CommentedMap):
            entry = CommentedMap()
            set_key(block, key if key is not None else row["to"], entry)
        for name in ADDRESSEE_FIELDS:
            if name in entry or row[name]:
                set_key(entry, name, row[name] or None)


def _write_previous(document: CommentedMap, form: Any, language: str) -> None:
    """The statuses (and reasons) of the carried agreements; their texts come from the file."""
    previous = document.get("previous")
    items = previous.get("agreements") if isinstance(previous, CommentedMap) else None
    posted = form.previous
    form.previous = read_previous(document)
    if not isinstance(items, CommentedSeq):
        return
    for number, (item, row) in enumerate(zip(items, posted), 1):
        if not isinstance(item, CommentedMap):
            continue
        shown = form.previous[number - 1]
        shown.update(status=row["status"], reason=row["reason"])
        set_key(item, "status", STATUS_NAMES.get(language, {}).get(row["status"], row["status"]))
        if row["status"] == "stopped" and row["reason"]:
            set_key(item, "reason", row["reason"])
        elif "reason" in item and row["status"] != "stopped":
            del item["reason"]


def confirm_word(form: Any, words: str) -> str | None:
    """Add ``words`` to the words that are no name (once); the words added, or None."""
    words = " ".join(clean(words, True).split())[:80]
    if not words:
        return None
    lines = [line.strip() for line in form.not_names.split("\n") if line.strip()]
    if words.lower() not in {line.lower() for line in lines}:
        lines.append(words)
    form.not_names = "\n".join(lines)
    return words


def block_slot(parts: list, form: Any, field_id: Callable[[str], str]) -> str | None:
    """The ``f-…`` id of a problem in these blocks (``parts`` of its field), or None."""
    head = parts[0] if parts else None
    if head == "sender":
        name = parts[1] if len(parts) > 1 else None
        return field_id(f"sender.{name}") if name in SENDER_SHOWN else "f-sender"
    if head == "addressees" and len(parts) > 1:
        number = next((n for n, row in enumerate(form.addressees, 1) if simple(row["to"]) == simple(str(parts[1]))),
                      None)
        if number is None:
            return "f-addressees"
        name = parts[2] if len(parts) > 2 else None
        return field_id(f"addressees.{number}.{name}") if name in ADDRESSEE_FIELDS else field_id(f"addressees.{number}")
    if head == "previous" and len(parts) > 2 and parts[1] == "agreements" and isinstance(parts[2], int):
        name = parts[3] if len(parts) > 3 else None
        return field_id(f"previous.{parts[2] + 1}" + (f".{name}" if name in ("status", "reason") else ""))
    if head == "not_names":
        return "f-not_names"
    return None


def field_label(problem: Problem, deck: Deck, t: Callable[..., str]) -> str:
    """Where a problem is, in the page's words: "Herkennen we dit? (inzicht 2)"."""
    from dialoogkit.studio.results_form import field_parts

    parts = field_parts(problem)
    lesson_id = (problem.lesson or "").strip("'")
    number = next((n for n, lesson in enumerate(deck.lessons, 1) if lesson.id == lesson_id), None)
    names = {"recognised": "studio.results.recognised", "votes": "studio.results.votes", "next": "studio.results.next_label",
             "place": "studio.results.place", "date": "studio.results.date"}
    rows = {"agreements": "studio.results.agreement", "higher": "studio.results.higher_point",
            "residents": "studio.results.resident_row"}
    label = None
    if parts and parts[0] == "session" and len(parts) > 1:
        parts = parts[1:]
    if parts and parts[0] in names:
        label = t(names[parts[0]])
    elif parts and parts[0] in rows and len(parts) > 1 and isinstance(parts[1], int):
        label = t(rows[parts[0]], number=parts[1] + 1)
        if len(parts) > 2 and isinstance(parts[2], str):
            label += f", {t('studio.results.' + parts[2]).lower()}"
    elif parts[:2] == ["previous", "agreements"] and len(parts) > 2 and isinstance(parts[2], int):
        label = t("studio.results.previous_agreement", number=parts[2] + 1)
    if label is None:
        return ", ".join(x for x in (problem.lesson, problem.field) if x) or problem.file
    return t("studio.results.in_lesson", field=label, number=number) if number else label
