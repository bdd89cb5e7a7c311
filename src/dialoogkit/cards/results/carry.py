"""From one session to the next: what ``dialoogkit results new DECK --after PREVIOUS`` copies.

In: the loaded results of the previous session and the deck of the new one.
Out: ``carried_agreements`` (every agreement of the previous session, and every one it carried
itself, that is not done or stopped: lesson, what, who, when, status), ``previous_votes`` (its
dots per lesson and partner) and the YAML lines of the new file's ``previous:`` block
(``previous_lines``), and of its ``sender:`` and ``addressees:`` blocks (``letter_lines``, with
the previous file's values, or empty; the logo only when the new file lies beside the old one).
The new file holds the copies: it names no other file.
A lesson the new deck does not have is a ``ContentError`` at the line of the previous file.
"""

from __future__ import annotations

import json

from dialoogkit.cards.models import Deck
from dialoogkit.cards.results.load import LoadedResults
from dialoogkit.cards.results.model import FINISHED, Addressee, CarriedAgreement, Results, Sender
from dialoogkit.cards.results.wording import load_wording
from dialoogkit.errors import ContentError, Problem, quoted
from dialoogkit.i18n import say

SENDER_FIELDS = ("organisation", "name", "role", "address", "email", "phone", "logo")
ADDRESSEE_FIELDS = ("organisation", "department", "person")


def carried_agreements(results: Results) -> list[CarriedAgreement]:
    """The agreements still to do: those carried into the previous session first, then its own."""
    carried = list(results.previous.agreements) if results.previous is not None else []
    carried += [CarriedAgreement(lesson=lesson_id, **agreement.model_dump()) for lesson_id, agreement
                in results.agreements()]
    return [agreement for agreement in carried if agreement.status not in FINISHED]


def previous_votes(results: Results) -> dict[str, dict[str, int]]:
    """The dots of the previous session per lesson and partner (no dot left out)."""
    votes = {lesson.id: {partner: vote for partner, vote in lesson.votes.items() if vote is not None}
             for lesson in results.lessons}
    return {lesson_id: row for lesson_id, row in votes.items() if row}


def check_lessons(previous: LoadedResults, deck: Deck) -> None:
    """Every lesson the copies name is one of ``deck``'s (else a located ``ContentError``)."""
    ids = {lesson.id for lesson in deck.lessons}
    problems = []
    for i, lesson in enumerate(previous.results.lessons):
        if lesson.id not in ids and (lesson.votes or any(a.status not in FINISHED for a in lesson.agreements)):
            problems.append(Problem(*previous.where("lessons", i, "id"),
                                    say("results.after.lesson", lesson=lesson.id, path=quoted(previous.file, 80),
                                        deck=deck.id), say("results.after.lesson_fix"), f"'{lesson.id}'", "id"))
    if previous.results.previous is not None:
        for j, item in enumerate(previous.results.previous.agreements):
            if item.lesson not in ids and item.status not in FINISHED:
                problems.append(Problem(*previous.where("previous", "agreements", j, "lesson"),
                                        say("results.after.lesson", lesson=item.lesson,
                                            path=quoted(previous.file, 80), deck=deck.id),
                                        say("results.after.lesson_fix"), None, f"previous.agreements[{j + 1}].lesson"))
    if problems:
        raise ContentError(problems)


def previous_lines(results: Results, language: str) -> list[str]:
    """The ``previous:`` block of the new file, with its comment."""
    words = load_wording(language)
    lines = [*words.template["previous"].splitlines(), "previous:"]
    if results.session.date:
        lines.append(f"  date: {results.session.date}")
    votes = previous_votes(results)
    lines += ["  " + words.template["previous_votes"], "  votes:" + ("" if votes else " {}")]
    for lesson_id, row in votes.items():
        lines.append(f"    {lesson_id}: {{{', '.join(f'{partner}: {vote}' for partner, vote in row.items())}}}")
    carried = carried_agreements(results)
    lines.append("  agreements:" + ("" if carried else " []"))
    for item in carried:
        lines += [f"    - lesson: {item.lesson}", f"      what: {yaml_text(item.what)}"]
        lines += [f"      {key}: {yaml_text(value)}" for key, value in (("who", item.who), ("when", item.when))
                  if value]
        lines.append(f"      status: {words.report['status_' + item.status]}")
    return lines


def letter_lines(language: str, previous: Results | None = None, keep_logo: bool = False) -> list[str]:
    """The ``sender:`` and ``addressees:`` blocks, with the previous file's values or empty (its
    logo, a file beside the previous file, only with ``keep_logo``)."""
    template = load_wording(language).template
    sender = previous.sender if previous is not None and previous.sender is not None else Sender()
    if not keep_logo:
        sender = sender.model_copy(update={"logo": None})
    lines = [f"sender:        {template['sender']}"]
    for key in SENDER_FIELDS:
        value = getattr(sender, key)
        comment = f"   {template['sender_logo']}" if key == "logo" and not value else ""
        lines.append(f"  {key}:" + (f" {yaml_text(value)}" if value else comment))
    lines.append(f"addressees:    {template['addressees']}")
    recipients: dict[str, Addressee | None] = dict(previous.recipients) if previous is not None else {}
    for to in (previous.addressees() if previous is not None else {}):
        recipients.setdefault(to, None)
    for to, addressee in (recipients or {"gemeente" if language == "nl" else "municipality": None}).items():
        lines.append(f"  {yaml_text(to)}:")
        for key in ADDRESSEE_FIELDS:
            value = getattr(addressee, key) if addressee is not None else None
            lines.append(f"    {key}:" + (f" {yaml_text(value)}" if value else ""))
    return lines


# what YAML reads as a line break or drops, written as an escape inside double quotes
YAML_ESCAPES = {0x85: "\\N", 0x2028: "\\L", 0x2029: "\\P", 0xFEFF: "\\ufeff"}


def yaml_text(text: str) -> str:
    """A YAML scalar for ``text``: plain when that reads back the same, else in double quotes, with
    every character YAML would read as a line break (U+0085, U+2028, U+2029) escaped, so a text
    never ends its line and starts a field of its own."""
    plain = text and text == text.strip() and text.isprintable() and \
        not any(ch in text for ch in ":#{}[],&*!|>'\"%@`") and \
        text[0] not in "-?" and text.lower() not in ("null", "true", "false", "yes", "no", "on", "off", "~") and \
        not _number_like(text)
    return text if plain else json.dumps(text, ensure_ascii=False).translate(YAML_ESCAPES)


def one_line(text: str) -> str:
    """``text`` on one line for a comment: every run of white space or line break (U+2028 too) one space."""
    return " ".join(text.split())


def _number_like(text: str) -> bool:
    try:
        float(text.replace("_", ""))
    except ValueError:
        return text[:4].isdigit() and text[4:5] == "-"  # a date would read back as a date
    return True
