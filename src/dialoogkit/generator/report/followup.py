"""From one session to the next, in the report: what became of the previous session's agreements,
and how the dots moved since then.

In: loaded results with a ``previous:`` block (``results new --after``), the heat map and the
report words.
Out: ``followup_blocks``: "Wat is er gebeurd met onze afspraken?" with the agreements the
previous session left, grouped as done, still going (open or started, with their status) and
stopped (with the reason, or "still to fill in"), each with its lesson number in brackets (a line
under the intro says so), owner and date;
``moved_blocks``: how the dots moved, explained in words, with one line per lesson whose total
changed ("Inzicht 3: +3, van 11 naar 14"). Both are empty without a previous session.
"""

from __future__ import annotations

from dialoogkit.cards.results.load import LoadedResults
from dialoogkit.cards.results.model import CarriedAgreement
from dialoogkit.generator.report.blocks import Para
from dialoogkit.generator.report.heatmap import HeatMap
from dialoogkit.generator.report.words import lesson_numbers, spoken_date, spoken_when, status_word

GROUPS = (("followup_done", ("done",)), ("followup_ongoing", ("open", "started")), ("followup_stopped", ("stopped",)))


def followup_blocks(loaded: LoadedResults, words: dict[str, str]) -> list:
    """The section on the previous session's agreements (see module docstring)."""
    previous = loaded.results.previous
    if previous is None:
        return []
    date = spoken_date(previous.date, words) or words["previous_date"]
    blocks: list = [Para(words["followup_title"], "h1"), Para(words["followup_intro"].format(date=date), "body")]
    if not previous.agreements:
        return blocks + [Para(words["followup_none"], "body")]
    blocks.append(Para(words["number_note"], "small"))  # what the "(3)" after each agreement means
    numbers = lesson_numbers(loaded.deck.deck)
    for title, statuses in GROUPS:
        items = [item for item in previous.agreements if item.status in statuses]
        if not items:
            continue
        blocks.append(Para(words[title], "h2"))
        for item in items:
            blocks.append(Para(describe(item, numbers, words), "body", True))
            if item.status == "stopped":
                reason = item.reason or f"({words['to_fill']})"
                blocks.append(Para(words["followup_reason"].format(reason=reason), "small"))
    return blocks


def describe(item: CarriedAgreement, numbers: dict[str, int], words: dict[str, str]) -> str:
    """``What (3) — who, when — status`` of one agreement."""
    details = [part for part in (item.who, spoken_when(item.when, words)) if part]
    if item.status in ("open", "started"):
        details.append(status_word(item.status, words))
    return f"{item.what} ({numbers[item.lesson]})" + (" — " + ", ".join(details) if details else "")


def moved_blocks(loaded: LoadedResults, heat: HeatMap, words: dict[str, str]) -> list:
    """How the dots moved since the previous session (see module docstring)."""
    previous = loaded.results.previous
    if previous is None or not heat.compared:
        return []
    date = spoken_date(previous.date, words) or words["previous_date"]
    blocks: list = [Para(words["moved_title"], "h2"), Para(words["moved_intro"].format(date=date), "body")]
    numbers = lesson_numbers(loaded.deck.deck)
    for row, lesson in enumerate(loaded.results.lessons):
        cells = [cell for cell in heat.cells if cell.row == row]
        now = sum(cell.value or 0 for cell in cells)
        before = sum(cell.before or 0 for cell in cells)
        change = heat.changes[row]
        if any(cell.before is not None for cell in cells) and now != before:
            blocks.append(Para(words["moved_line"].format(number=numbers[lesson.id], change=change, before=before,
                                                          now=now), "body", True))
    return blocks
