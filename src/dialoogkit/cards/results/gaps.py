"""What a report can be made without, but what someone should still fill in: the warnings of
``dialoogkit report``.

In: loaded results (``cards.results.load.LoadedResults``).
Out: ``find_gaps``, warning ``Problem`` values (file, line, field, fix): one when the letters still
say "nog in te vullen" for the sender (``sender_gaps``: its organisation and name, a way to
answer — e-mail, phone or address), one for each letter whose addressee lacks its organisation,
or its department or person (``letter_gaps``), one for an
agreement that stopped without a reason, and for an addressee under ``addressees:`` that no point
under ``higher:`` is sent to but one nearly is (a typing error: "did you mean").
"""

from __future__ import annotations

import difflib

from dialoogkit.cards.results.load import LoadedResults
from dialoogkit.cards.results.model import Results, simple
from dialoogkit.errors import Problem, quoted
from dialoogkit.i18n import say


def sender_gaps(results: Results) -> list[str]:
    """The sender's fields (as written in the file) every letter still lacks."""
    sender = results.sender
    missing = [f"sender.{name}" for name in ("organisation", "name") if sender is None or not getattr(sender, name)]
    if sender is None or not (sender.email or sender.phone or sender.address):
        missing.append(say("results.letters.contact"))
    return missing


def letter_gaps(results: Results, to: str) -> list[str]:
    """The addressee's fields (as written in the file) the letter to ``to`` still lacks."""
    addressee = results.addressee(to)
    key = next((name for name in results.recipients if simple(name) == simple(to)), to)
    missing = []
    if addressee is None or not addressee.organisation:
        missing.append(f"addressees.{key}.organisation")
    if addressee is None or not (addressee.department or addressee.person):
        missing.append(say("results.letters.department", to=key))
    return missing


def find_gaps(loaded: LoadedResults) -> list[Problem]:
    """Every warning (see module docstring), in the order of the file."""
    results = loaded.results
    problems: list[Problem] = []
    letters = results.addressees()
    if letters and sender_gaps(results):
        at = loaded.where("sender") if results.sender is not None else (loaded.file, None)
        problems.append(Problem(*at, say("results.letters.sender", count=len(letters),
                                         fields=", ".join(sender_gaps(results))),
                                say("results.letters.missing_fix"), None, "sender"))
    for to, points in letters.items():
        missing = letter_gaps(results, to)
        if missing:
            lesson_id, point = points[0]
            i = next(n for n, lesson in enumerate(results.lessons) if lesson.id == lesson_id)
            j = results.lessons[i].higher.index(point)
            problems.append(Problem(*loaded.where("lessons", i, "higher", j, "to"),
                                    say("results.letters.missing", to=quoted(to, 60), fields=", ".join(missing)),
                                    say("results.letters.missing_fix"), f"'{lesson_id}'", f"higher[{j + 1}].to"))
    for i, lesson in enumerate(results.lessons):
        for j, agreement in enumerate(lesson.agreements):
            if agreement.status == "stopped" and not agreement.reason:
                problems.append(Problem(*loaded.where("lessons", i, "agreements", j, "status"),
                                        say("results.letters.stopped"), say("results.letters.stopped_fix"),
                                        f"'{lesson.id}'", f"agreements[{j + 1}].status"))
    if results.previous is not None:
        for j, agreement in enumerate(results.previous.agreements):
            if agreement.status == "stopped" and not agreement.reason:
                problems.append(Problem(*loaded.where("previous", "agreements", j, "status"),
                                        say("results.letters.stopped"), say("results.letters.stopped_fix"),
                                        None, f"previous.agreements[{j + 1}].status"))
    return problems + _unused(loaded)


def _unused(loaded: LoadedResults) -> list[Problem]:
    """Addressees with values that no point is sent to."""
    results = loaded.results
    used = {simple(to): to for to in results.addressees()}
    problems = []
    for key, addressee in results.recipients.items():
        if simple(key) in used or addressee is None or not any(addressee.model_dump().values()):
            continue
        guess = difflib.get_close_matches(simple(key), list(used), n=1, cutoff=0.6)
        if not guess:  # kept from an earlier session for a later letter, say
            continue
        hint = say("cards.common.did_you_mean", guess=used[guess[0]]) + " "
        problems.append(Problem(*loaded.where("addressees", key), say("results.letters.unused", to=quoted(key, 60)),
                                hint + say("results.letters.unused_fix"), None, f"addressees.{key}"))
    return problems
