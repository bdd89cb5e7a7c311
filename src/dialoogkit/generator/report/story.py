"""The story of ``verslag.pdf`` and ``verslag.docx``: the session report for residents, in the
deck's language and in plain words (B1).

In: loaded results, the dot-vote ``HeatMap``, the report words, whether the check for residents'
names ran and found none (``names_checked``) and the logo to head it (or None).
Out: ``blocks.Block`` values, in this order: the logo, what the report is and (only when the
check ran clean) that it holds no names; about the session (date, place, partners at the table,
residents by role); what became of the previous session's agreements (``followup``, after
``results new --after``); what we talked about (the lessons); what matters most (the heat map;
after a previous session with what each dot was and how each lesson's total moved); what we
recognise; who does what by when (a table, in the order of the file); what we ask of whom (per
addressee, each point followed by its lesson's number in brackets, which a line explains); what
happens next; whom to call (the deck's contacts); the credit of the deck and the
publication. A section with nothing filled in says "still to fill in" and offers ruled lines to
write on, so the report of the untouched template is a worksheet. The length limits of the
results model keep every table row shorter than a page.
"""

from __future__ import annotations

from pathlib import Path

from dialoogkit.cards.results.load import LoadedResults
from dialoogkit.generator.report.blocks import Cell, Gap, HeatPicture, Keep, Lines, Logo, Para, Table
from dialoogkit.generator.report.followup import followup_blocks, moved_blocks
from dialoogkit.generator.report.heatmap import HeatMap, plan_heatmap
from dialoogkit.generator.report.words import (capitalised, credit_line, lesson_numbers, lesson_statement, spoken_date,
                                                spoken_when, status_word)
from dialoogkit.layouts.units import mm

MAP_ROWS = 12  # lessons per part of the heat map (a part is never split over pages)


def build_report_story(loaded: LoadedResults, heat: HeatMap, words: dict[str, str], names_checked: bool = False,
                       logo: Path | None = None) -> list:
    """All blocks of the report (see module docstring)."""
    deck, results = loaded.deck.deck, loaded.results
    story: list = [Logo(logo), Gap(mm(4))] if logo is not None else []
    story += [Para(words["document"].upper(), "small"), Para(words["title"], "title"), Para(deck.title, "subtitle"),
              Para(words["intro"].format(title=deck.title), "body")]
    story += [Para(words["no_names"], "body")] if names_checked else []
    story += _facts(loaded, words)
    story += followup_blocks(loaded, words)
    numbers = lesson_numbers(deck)
    story.append(Para(words["talked_title"], "h1"))
    if results.lessons:
        story.append(Para(words["talked_intro"], "body"))
        story += [Para(f"{numbers[lesson.id]}. {lesson_statement(deck, lesson.id)}", "body", True)
                  for lesson in results.lessons]
    else:
        story += to_fill(words)
    maps = [HeatPicture(part) for part in _pages_of(heat, loaded, words)]
    story.append(Keep((Para(words["votes_title"], "h1"), Para(words["votes_intro"], "body"), Gap(mm(2)), maps[0],
                       Gap(mm(2)))))
    story += [item for part in maps[1:] for item in (part, Gap(mm(2)))]
    voted = any(cell.value is not None for cell in heat.cells)
    story += [Para(words["votes_empty"], "small")] if voted else to_fill(words, lines=0)
    story += moved_blocks(loaded, heat, words)
    story += _recognised(loaded, words)
    story += _agreements(loaded, words)
    story += _higher(loaded, words)
    story.append(Para(words["next_title"], "h1"))
    story += [Para(text, "body", True) for text in results.next] or to_fill(words)
    story += _contacts(loaded, words)
    story += [Gap(mm(6)), Para(credit_line(deck, words), "small")]
    return story


def _pages_of(heat: HeatMap, loaded: LoadedResults, words: dict[str, str]) -> list[HeatMap]:
    """The heat map in parts of at most ``MAP_ROWS`` lessons, each short enough for a page."""
    lessons = loaded.results.lessons
    if len(lessons) <= MAP_ROWS:
        return [heat]
    return [plan_heatmap(loaded.results.model_copy(update={"lessons": lessons[start:start + MAP_ROWS]}),
                         loaded.deck.deck, heat.face.width, words) for start in range(0, len(lessons), MAP_ROWS)]


def to_fill(words: dict[str, str], lines: int = 3) -> list:
    """The mark of an empty section, and lines to write on."""
    marked: list = [Para(f"({words['to_fill']})", "small")]
    return marked + ([Lines(lines)] if lines else [])


def _facts(loaded: LoadedResults, words: dict[str, str]) -> list:
    deck, session = loaded.deck.deck, loaded.results.session
    missing = f"({words['to_fill']})"
    partners = ", ".join(deck.audiences[p].label for p in session.partners)
    residents = ", ".join(words["residents_count"].format(count=g.count, role=g.role) for g in session.residents)
    rows = [(words["date"], spoken_date(session.date, words)), (words["place"], session.place),
            (words["partners"], partners), (words["residents"], residents)]
    table = Table(tuple((Cell(label, "cellbold"), Cell(value or missing, "cell" if value else "small"))
                        for label, value in rows), (0.24, 0.76))
    return [Para(words["facts_title"], "h2"), table, Gap(mm(4))]


def _recognised(loaded: LoadedResults, words: dict[str, str]) -> list:
    deck = loaded.deck.deck
    numbers = lesson_numbers(deck)
    story: list = [Para(words["recognised_title"], "h1")]
    noted = [lesson for lesson in loaded.results.lessons if lesson.recognised]
    for lesson in noted:
        heading = words["lesson_heading"].format(number=numbers[lesson.id],
                                                 statement=lesson_statement(deck, lesson.id))
        story.append(Para(heading, "h2"))
        story += [Para(note, "body", True) for note in lesson.recognised]
    return story if noted else story + to_fill(words)


def _agreements(loaded: LoadedResults, words: dict[str, str]) -> list:
    numbers = lesson_numbers(loaded.deck.deck)
    story: list = [Para(words["agreements_title"], "h1")]
    agreements = loaded.results.agreements()
    if not agreements:
        return story + to_fill(words, lines=5)
    head = tuple(Cell(words[key], "cellbold") for key in ("col_lesson", "col_what", "col_who", "col_when",
                                                          "col_status"))
    rows = [(Cell(str(numbers[lesson_id])), Cell(item.what), Cell(item.who or "–"),
             Cell(spoken_when(item.when, words) or "–"), Cell(status_word(item.status, words)))
            for lesson_id, item in agreements]
    widths = (0.095, 0.42, 0.235, 0.15, 0.10)
    return story + [Para(words["agreements_intro"], "body"), Table((head, *rows), widths, header=True)]


def _higher(loaded: LoadedResults, words: dict[str, str]) -> list:
    numbers = lesson_numbers(loaded.deck.deck)
    story: list = [Para(words["higher_title"], "h1")]
    addressees = loaded.results.addressees()
    if not addressees:
        return story + to_fill(words)
    story += [Para(words["higher_intro"], "body"), Para(words["number_note"], "small")]  # the "(2)" after a point
    for to, points in addressees.items():
        story.append(Para(words["higher_to"].format(to=capitalised(to)), "h2"))
        story += [Para(f"{point.point} ({numbers[lesson_id]})", "body", True) for lesson_id, point in points]
    return story


def _contacts(loaded: LoadedResults, words: dict[str, str]) -> list:
    contacts = loaded.deck.deck.contacts
    story: list = [Para(words["contacts_title"], "h1")]
    if not contacts:
        return story + [Para(words["contacts_none"], "body")]
    story.append(Para(words["contacts_intro"] + ":", "body"))
    for contact in contacts:
        details = [d for d in (contact.role, contact.phone, contact.email, contact.url) if d]
        story.append(Para(" — ".join(details), "body", True, contact.name + (": " if details else "")))
    return story
