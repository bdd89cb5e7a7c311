"""The story of ``verslag.pdf``: the session report for residents, in the deck's language and in
plain words (B1).

In: loaded results, the dot-vote ``HeatMap`` (drawn as vector) and the report words.
Out: platypus flowables, in this order: what the report is and that it holds no names; about the
session (date, place, partners at the table, residents by role); what we talked about (the
lessons); what matters most (the heat map); what we recognise; who does what by when (a table, in
the order of the file); what we ask of whom (per addressee); what happens next; whom to call (the
deck's contacts); the credit of the deck and the publication. A section with nothing filled in
says "still to fill in" and offers ruled lines to write on, so the report of the untouched
template is a worksheet. Every text is escaped before it becomes a Paragraph, and text in any
script the cards print is set as they set it (``guide.styles.para``: the font per script,
shaping, bidi); the length limits of the results model keep every table row shorter than a page.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Spacer

from dialoogkit.cards.results.load import LoadedResults
from dialoogkit.generator.guide.flowables import FaceThumbnail
from dialoogkit.generator.guide.styles import LINE_C, bold, make_table, para, styles
from dialoogkit.generator.report.heatmap import HeatMap, plan_heatmap
from dialoogkit.generator.report.words import (capitalised, credit_line, lesson_numbers, lesson_statement, spoken_date,
                                                spoken_when, status_word)
from dialoogkit.layouts.guidepage import CONTENT_WIDTH
from dialoogkit.layouts.units import mm

BULLET = "•&nbsp;&nbsp;"
MAP_ROWS = 12  # lessons per part of the heat map (a part is never split over pages)


class WritingLines(Flowable):
    """``count`` ruled lines to write on, across the page."""

    def __init__(self, count: int = 3, gap: float = mm(9)):
        super().__init__()
        self.count, self.gap = count, gap

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.count * self.gap

    def draw(self) -> None:
        self.canv.setStrokeColor(LINE_C)
        self.canv.setLineWidth(0.5)
        for line in range(self.count):
            self.canv.line(0, line * self.gap + 1, self.width, line * self.gap + 1)


def build_report_story(loaded: LoadedResults, heat: HeatMap, words: dict[str, str]) -> list:
    """All flowables of the report (see module docstring)."""
    deck, results = loaded.deck.deck, loaded.results
    s = styles(deck.language)
    story: list = [para(words["document"].upper(), s["small"]), para(words["title"], s["title"]),
                   para(deck.title, s["subtitle"]), para(words["intro"].format(title=deck.title), s["body"]),
                   para(words["no_names"], s["body"])]
    story += _facts(loaded, words, s)
    numbers = lesson_numbers(deck)
    story.append(para(words["talked_title"], s["h1"]))
    if results.lessons:
        story.append(para(words["talked_intro"], s["body"]))
        story += [para(f"{numbers[lesson.id]}. {lesson_statement(deck, lesson.id)}", s["body"], BULLET)
                  for lesson in results.lessons]
    else:
        story += _to_fill(words, s)
    maps = [FaceThumbnail(part.face, part.face.width, outline=False) for part in _pages_of(heat, loaded, words)]
    story.append(KeepTogether([para(words["votes_title"], s["h1"]), para(words["votes_intro"], s["body"]),
                               Spacer(1, mm(2)), maps[0], Spacer(1, mm(2))]))
    story += [item for part in maps[1:] for item in (part, Spacer(1, mm(2)))]
    voted = any(cell.value is not None for cell in heat.cells)
    story += [para(words["votes_empty"], s["small"])] if voted else _to_fill(words, s, lines=0)
    story += _recognised(loaded, words, s)
    story += _agreements(loaded, words, s)
    story += _higher(loaded, words, s)
    story.append(para(words["next_title"], s["h1"]))
    story += [para(text, s["body"], BULLET) for text in results.next] or _to_fill(words, s)
    story += _contacts(loaded, words, s)
    story += [Spacer(1, mm(6)), para(credit_line(deck, words), s["small"])]
    return story


def _pages_of(heat: HeatMap, loaded: LoadedResults, words: dict[str, str]) -> list[HeatMap]:
    """The heat map in parts of at most ``MAP_ROWS`` lessons, each short enough for a page."""
    lessons = loaded.results.lessons
    if len(lessons) <= MAP_ROWS:
        return [heat]
    return [plan_heatmap(loaded.results.model_copy(update={"lessons": lessons[start:start + MAP_ROWS]}),
                         loaded.deck.deck, heat.face.width, words) for start in range(0, len(lessons), MAP_ROWS)]


def _to_fill(words: dict[str, str], s: dict, lines: int = 3) -> list:
    """The mark of an empty section, and lines to write on."""
    marked = [para(f"({words['to_fill']})", s["small"])]
    return marked + ([WritingLines(lines)] if lines else [])


def _facts(loaded: LoadedResults, words: dict[str, str], s: dict) -> list:
    deck, session = loaded.deck.deck, loaded.results.session
    missing = f"({words['to_fill']})"
    partners = ", ".join(deck.audiences[p].label for p in session.partners)
    residents = ", ".join(words["residents_count"].format(count=g.count, role=g.role) for g in session.residents)
    rows = [(words["date"], spoken_date(session.date, words)), (words["place"], session.place),
            (words["partners"], partners), (words["residents"], residents)]
    table = make_table([[para(label, s["cellbold"]), para(value or missing, s["cell"] if value else s["small"])]
                        for label, value in rows], [mm(40), CONTENT_WIDTH - mm(40)])
    return [para(words["facts_title"], s["h2"]), table, Spacer(1, mm(4))]


def _recognised(loaded: LoadedResults, words: dict[str, str], s: dict) -> list:
    deck = loaded.deck.deck
    numbers = lesson_numbers(deck)
    story: list = [para(words["recognised_title"], s["h1"])]
    noted = [lesson for lesson in loaded.results.lessons if lesson.recognised]
    for lesson in noted:
        heading = words["lesson_heading"].format(number=numbers[lesson.id],
                                                 statement=lesson_statement(deck, lesson.id))
        story.append(para(heading, s["h2"]))
        story += [para(note, s["body"], BULLET) for note in lesson.recognised]
    return story if noted else story + _to_fill(words, s)


def _agreements(loaded: LoadedResults, words: dict[str, str], s: dict) -> list:
    numbers = lesson_numbers(loaded.deck.deck)
    story: list = [para(words["agreements_title"], s["h1"])]
    agreements = loaded.results.agreements()
    if not agreements:
        return story + _to_fill(words, s, lines=5)
    head = [para(words[key], s["cellbold"]) for key in ("col_lesson", "col_what", "col_who", "col_when", "col_status")]
    rows = [[para(str(numbers[lesson_id]), s["cell"]), para(item.what, s["cell"]), para(item.who or "–", s["cell"]),
             para(spoken_when(item.when, words) or "–", s["cell"]), para(status_word(item.status, words), s["cell"])]
            for lesson_id, item in agreements]
    widths = [mm(16), CONTENT_WIDTH - mm(16 + 40 + 30 + 18), mm(40), mm(30), mm(18)]
    return story + [para(words["agreements_intro"], s["body"]), make_table([head, *rows], widths, header=True)]


def _higher(loaded: LoadedResults, words: dict[str, str], s: dict) -> list:
    numbers = lesson_numbers(loaded.deck.deck)
    story: list = [para(words["higher_title"], s["h1"])]
    addressees = loaded.results.addressees()
    if not addressees:
        return story + _to_fill(words, s)
    story.append(para(words["higher_intro"], s["body"]))
    for to, points in addressees.items():
        story.append(para(words["higher_to"].format(to=capitalised(to)), s["h2"]))
        story += [para(f"{point.point} ({numbers[lesson_id]})", s["body"], BULLET) for lesson_id, point in points]
    return story


def _contacts(loaded: LoadedResults, words: dict[str, str], s: dict) -> list:
    contacts = loaded.deck.deck.contacts
    story: list = [para(words["contacts_title"], s["h1"])]
    if not contacts:
        return story + [para(words["contacts_none"], s["body"])]
    story.append(para(words["contacts_intro"] + ":", s["body"]))
    for contact in contacts:
        details = [d for d in (contact.role, contact.phone, contact.email, contact.url) if d]
        story.append(para(" — ".join(details), s["body"], BULLET + bold(contact.name) + (": " if details else "")))
    return story
